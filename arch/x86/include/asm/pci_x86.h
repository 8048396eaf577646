/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 PCI INTx routing (arch/x86/pci/irq.c): which I/O APIC input (GSI),
 * trigger mode and polarity a PCI function's interrupt pin reaches.
 * Sources, in order: the MP table's I/O interrupt assignments (on the
 * function's bus, or on the first bus up the bridges that the table
 * describes, swizzling the pin at each bridge), then the chipset's
 * documented wiring (PIIX3/PIIX4 or ICH9).  Documentation/irq.rst, "PCI
 * INTx routing", says which source each machine uses.
 *
 * Enumeration is followed by pcibios_irq_init() (fs_initcall), which
 * stores every function's route in struct pci_dev (irq_gsi, irq_trigger,
 * irq_polarity, irq_source) and registers the GSI with the IRQ core
 * (acpi_register_gsi()), whose IRQ number goes to pdev->irq, before any
 * driver binds.
 */
#ifndef _ASM_X86_PCI_X86_H
#define _ASM_X86_PCI_X86_H

#include <exo/irq.h>	/* ACPI_*_SENSITIVE, ACPI_ACTIVE_* */
#include <exo/pci.h>

/* Where a route came from (struct pci_dev's irq_source). */
enum pci_intx_source {
	PCI_INTX_SRC_NONE,		/* no pin, or not routable */
	PCI_INTX_SRC_MPTABLE,		/* firmware MP table entry */
	PCI_INTX_SRC_PIIX,		/* PIIX3/4 PIRQ route registers 0x60-0x63 */
	PCI_INTX_SRC_ICH9,		/* ICH9 PIRQA-H -> GSI 16-23 */
};

struct pci_intx_route {
	u32 gsi;			/* I/O APIC input: the Linux IRQ number */
	int trigger;			/* ACPI_LEVEL_SENSITIVE or ACPI_EDGE_SENSITIVE */
	int polarity;			/* ACPI_ACTIVE_HIGH or ACPI_ACTIVE_LOW */
	enum pci_intx_source source;
	/* Where the answer was found: after swizzling, a slot of @bus. */
	u8 bus, slot, pin;		/* pin 1-4 = INTA#-INTD# */
};

/**
 * pci_intx_source_name() - "MP table", "PIIX", "ICH9" or "none"
 */
const char *pci_intx_source_name(enum pci_intx_source src);

/**
 * pci_swizzle_interrupt_pin() - the pin of the bridge above @dev that
 * @dev's @pin arrives on: (pin - 1 + slot) % 4 + 1 (PCI-PCI bridge spec)
 * @dev: a function on the bridge's secondary bus
 * @pin: 1-4 (INTA#-INTD#)
 */
u8 pci_swizzle_interrupt_pin(const struct pci_dev *dev, u8 pin);

/**
 * pcibios_intx_route() - the I/O APIC input @pdev's INTx pin reaches
 * @pdev: the function
 * @r: filled on success (GSI, trigger, polarity, source, and the
 *     bus/slot/pin the answer was found for)
 *
 * Computed afresh from the MP table, the MADT and the chipset's routing
 * registers (no state is changed, nothing is enabled); the caller maps the
 * GSI to an IRQ (acpi_register_gsi(&pdev->dev, r->gsi, r->trigger,
 * r->polarity)).  Context: any; it only reads config space.
 *
 * Return: 0; -ENOENT when @pdev has no interrupt pin (or an invalid one,
 * logged); -ENODEV when no source routes it (no MP entry up to the root
 * bus and no known chipset, or the chipset's PIRQ is disabled), logged.
 */
int pcibios_intx_route(struct pci_dev *pdev, struct pci_intx_route *r);

#endif /* _ASM_X86_PCI_X86_H */
