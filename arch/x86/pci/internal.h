/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arch/x86/pci internals, shared with the ktests (irq_test.c): the routing
 * algorithm on an explicit environment, so that a synthetic MP table,
 * MADT, chipset and bridge topology can be checked as a pure function.
 */
#ifndef _ARCH_X86_PCI_INTERNAL_H
#define _ARCH_X86_PCI_INTERNAL_H

#include <exo/acpi.h>
#include <exo/mpspec.h>
#include <asm/pci_x86.h>

enum intx_chipset_type { INTX_CHIPSET_NONE, INTX_CHIPSET_PIIX, INTX_CHIPSET_ICH9 };

#define ICH9_NR_PIRQS		8
#define ICH9_PIRQ_GSI_BASE	16
#define PIRQ_ROUTE_DISABLE	0x80	/* PIRQx route control: bit 7 */
#define PIRQ_ROUTE_IRQ		0x0f
#define PIIX4_SCI_IRQ		9

struct intx_chipset {
	enum intx_chipset_type type;
	u8 pirq_route[ICH9_NR_PIRQS];	/* PIRQA-D: 0x60-0x63; ICH9 E-H: 0x68-0x6b */
	u16 dir[32];			/* ICH9 DxIR (slots 25-31 but 30): pin -> PIRQ */
};

/* This machine's south bridge (pcibios_irq_init()). */
extern struct intx_chipset intx_chipset;

struct intx_env {
	const struct mp_config_info *mp;	/* NULL: no MP table */
	const struct madt_info *madt;		/* NULL: no MADT */
	const struct intx_chipset *cs;
};

/**
 * intx_route() - pcibios_intx_route() on @env; @pdev's bridges are its
 * ancestors in the device model whose bus is pci_bus_type
 * Return: as pcibios_intx_route().
 */
int intx_route(const struct intx_env *env, const struct pci_dev *pdev,
	       struct pci_intx_route *r);

/**
 * intx_isa_irq_gsi() - GSI of ISA IRQ @irq through the MADT's overrides
 * @flags: set to the override's MPS INTI flags, 0 without one
 */
u32 intx_isa_irq_gsi(const struct madt_info *madt, u8 irq, u16 *flags);

/**
 * intx_mp_bus_described() - does this machine's MP table list PCI bus @bus?
 */
bool intx_mp_bus_described(u8 bus);

#endif /* _ARCH_X86_PCI_INTERNAL_H */
