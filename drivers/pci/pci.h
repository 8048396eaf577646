/* SPDX-License-Identifier: GPL-2.0 */
/* Internal to drivers/pci/: what enumeration calls in pci.c. */
#ifndef _DRIVERS_PCI_PCI_H
#define _DRIVERS_PCI_PCI_H

#include <exo/pci.h>

/*
 * Capability ID that pci_find_capability() and the other walkers match
 * with any capability: lspci lists them all with it.
 */
#define PCI_CAP_ANY		(-1)

/* Extended capabilities the 4K space can hold (each at least 8 bytes). */
#define PCI_EXT_CAP_TTL		((PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / 8)

/* Find and cache the capabilities, config space size and power state. */
void pci_setup_caps(struct pci_dev *pdev);

/* Print @pdev's capabilities as `lspci -v` does; returns how many. */
unsigned int lspci_caps(struct pci_dev *pdev);

/* pci_assign_resource() on each unset BAR; returns how many failed. */
unsigned int pci_assign_unassigned_resources(struct pci_dev *dev);

struct attribute_group;
/* The attributes of a device's /sys directory (pci-sysfs.c). */
extern const struct attribute_group *pci_dev_groups[];

#endif /* _DRIVERS_PCI_PCI_H */
