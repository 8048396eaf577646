// SPDX-License-Identifier: GPL-2.0
/*
 * PCI INTx routing: for a function's interrupt pin, the GSI (I/O APIC
 * input), trigger mode and polarity it reaches.  Linux asks ACPI's _PRT
 * (AML); without an interpreter we use, in order:
 *
 *  1. the MP table's I/O interrupt assignments (source bus IRQ
 *     = slot << 2 | (pin - 1)) for the function's bus; failing that, the
 *     pin is swizzled through each PCI-PCI bridge above it and looked up
 *     on the bridge's bus, up to the root bus (SeaBIOS describes bus 0
 *     only, so a device behind a bridge is found at its bridge's slot);
 *  2. where the MP table has nothing up to the root bus, the chipset's
 *     documented wiring of root-bus slots: PIIX3/PIIX4 (QEMU pc, Bochs)
 *     PIRQ[(slot + pin - 2) % 4] and its route control register
 *     (0x60-0x63 of the ISA bridge) to an ISA IRQ; ICH9 (QEMU q35)
 *     PIRQ A-H by QEMU's slot table, wired to GSI 16-23.
 *
 * The firmware also wrote an ISA IRQ to each function's INTERRUPT_LINE;
 * on a PIIX machine the route must agree with it (a mismatch is logged).
 */
#define pr_fmt(fmt) "PCI: " fmt

#include <exo/acpi.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/mpspec.h>
#include <exo/pci.h>
#include <exo/printk.h>
#include <exo/string.h>
#include <asm/pci_x86.h>

#include "internal.h"

struct intx_chipset intx_chipset;
static bool intx_mp_valid;

const char *pci_intx_source_name(enum pci_intx_source src)
{
	switch (src) {
	case PCI_INTX_SRC_MPTABLE:
		return "MP table";
	case PCI_INTX_SRC_PIIX:
		return "PIIX";
	case PCI_INTX_SRC_ICH9:
		return "ICH9";
	default:
		return "none";
	}
}
EXPORT_SYMBOL_GPL(pci_intx_source_name);

u8 pci_swizzle_interrupt_pin(const struct pci_dev *dev, u8 pin)
{
	return (((pin - 1) + PCI_SLOT(dev->devfn)) % 4) + 1;
}
EXPORT_SYMBOL_GPL(pci_swizzle_interrupt_pin);

/* The bridge @dev sits behind, or NULL on a root bus. */
static const struct pci_dev *intx_upstream(const struct pci_dev *dev)
{
	struct device *parent = dev->dev.parent;

	return parent && parent->bus == &pci_bus_type ? to_pci_dev(parent) : NULL;
}

u32 intx_isa_irq_gsi(const struct madt_info *madt, u8 irq, u16 *flags)
{
	*flags = 0;
	for (unsigned int i = 0; madt && i < madt->nr_overrides; i++)
		if (madt->overrides[i].bus_irq == irq) {
			*flags = madt->overrides[i].flags;
			return madt->overrides[i].gsi;
		}
	return irq;
}

/* GSI of input @pin of the I/O APIC with MP ID @id; false if the MADT does not list it. */
static bool intx_ioapic_gsi(const struct intx_env *env, u8 id, u8 pin, u32 *gsi)
{
	if (!env->madt) {
		/* Without a MADT, only a lone I/O APIC has a known GSI base (0). */
		if (env->mp->nr_ioapics != 1 || env->mp->ioapics[0].id != id)
			return false;
		*gsi = pin;
		return true;
	}
	for (unsigned int i = 0; i < env->madt->nr_ioapics; i++)
		if (env->madt->ioapics[i].id == id) {
			*gsi = env->madt->ioapics[i].gsi_base + pin;
			return true;
		}
	return false;
}

/* The MP table's entry for (@bus, @slot, @pin): 0, or -ENOENT. */
static int intx_mp_lookup(const struct intx_env *env, u8 bus, u8 slot, u8 pin,
			  struct pci_intx_route *r)
{
	const struct mp_config_info *mp = env->mp;
	u8 srcbusirq = slot << 2 | (pin - 1);

	if (!mp || mp->bus_type[bus] != MP_BUS_PCI)
		return -ENOENT;
	for (unsigned int i = 0; i < mp->nr_irqs; i++) {
		const struct mpc_intsrc *m = &mp->irqs[i];

		if (m->irqtype != mp_INT || m->srcbus != bus || m->srcbusirq != srcbusirq)
			continue;
		if (!intx_ioapic_gsi(env, m->dstapic, m->dstirq, &r->gsi)) {
			pr_warn("MP table routes %02x:%02x INT%c to I/O APIC %u, which the MADT does not list\n",
				bus, slot, 'A' + pin - 1, m->dstapic);
			return -ENOENT;
		}
		/* Conforming means the PCI default: level triggered, active low. */
		r->trigger = (m->irqflag & MP_IRQTRIG_MASK) == MP_IRQTRIG_EDGE ?
			     ACPI_EDGE_SENSITIVE : ACPI_LEVEL_SENSITIVE;
		r->polarity = (m->irqflag & MP_IRQPOL_MASK) == MP_IRQPOL_ACTIVE_HIGH ?
			      ACPI_ACTIVE_HIGH : ACPI_ACTIVE_LOW;
		r->source = PCI_INTX_SRC_MPTABLE;
		return 0;
	}
	return -ENOENT;
}

/*
 * PIIX: slot S pin P drives PIRQ[(S + P - 2) % 4] (QEMU's piix3 and Bochs's
 * pci2isa agree), which the route control register sends to an ISA IRQ.
 * The PIIX drives the ISA line active high; level, since PCI lines are
 * shared.  A MADT override of that ISA IRQ gives its GSI (and may say
 * active low).
 */
static int intx_piix_route(const struct intx_env *env, const struct pci_dev *dev, u8 pin,
			   struct pci_intx_route *r)
{
	u8 route = env->cs->pirq_route[(PCI_SLOT(dev->devfn) + pin - 2) & 3];
	u16 flags;

	/* The PIIX4 power management function's pin is the SCI, on ISA IRQ 9. */
	if (dev->vendor == 0x8086 && dev->device == 0x7113)
		route = PIIX4_SCI_IRQ;
	if ((route & PIRQ_ROUTE_DISABLE) || !(route & PIRQ_ROUTE_IRQ))
		return -ENODEV;
	r->gsi = intx_isa_irq_gsi(env->madt, route & PIRQ_ROUTE_IRQ, &flags);
	r->trigger = ACPI_LEVEL_SENSITIVE;
	r->polarity = (flags & MP_IRQPOL_MASK) == MP_IRQPOL_ACTIVE_LOW ?
		      ACPI_ACTIVE_LOW : ACPI_ACTIVE_HIGH;
	r->source = PCI_INTX_SRC_PIIX;
	return 0;
}

/* ICH9: which PIRQ (0-7 = A-H) slot @slot pin @pin drives, as QEMU wires it. */
static unsigned int ich9_pirq(const struct intx_chipset *cs, u8 slot, u8 pin)
{
	if (slot == 30)			/* DMI-to-PCI bridge: INTA-D -> PIRQE-H */
		return pin - 1 + 4;
	if (slot >= 25)			/* chipset functions: the DxIR register */
		return (cs->dir[slot] >> (4 * (pin - 1))) & 7;
	return (slot + pin - 1) % 4 + 4;	/* other slots: PIRQE-H, rotated */
}

/*
 * ICH9 in APIC mode: PIRQA-H are I/O APIC inputs 16-23 whatever the route
 * control registers say (these only add a copy on an ISA IRQ).  QEMU's
 * DSDT declares those GSIs level triggered, active high.
 */
static int intx_ich9_route(const struct intx_env *env, u8 slot, u8 pin,
			   struct pci_intx_route *r)
{
	r->gsi = ICH9_PIRQ_GSI_BASE + ich9_pirq(env->cs, slot, pin);
	r->trigger = ACPI_LEVEL_SENSITIVE;
	r->polarity = ACPI_ACTIVE_HIGH;
	r->source = PCI_INTX_SRC_ICH9;
	return 0;
}

int intx_route(const struct intx_env *env, const struct pci_dev *pdev,
	       struct pci_intx_route *r)
{
	const struct pci_dev *dev = pdev, *bridge;
	u8 pin = pdev->irq_pin;
	int err = -ENODEV;

	memset(r, 0, sizeof(*r));
	if (!pin)
		return -ENOENT;
	if (pin > 4) {
		pr_warn("%s: interrupt pin %u is not INTA-INTD: ignored\n", dev_name(&pdev->dev),
			pin);
		return -ENOENT;
	}
	for (;;) {
		r->bus = dev->bus;
		r->slot = PCI_SLOT(dev->devfn);
		r->pin = pin;
		if (!intx_mp_lookup(env, r->bus, r->slot, pin, r))
			return 0;
		bridge = intx_upstream(dev);
		if (!bridge)
			break;
		pin = pci_swizzle_interrupt_pin(dev, pin);
		dev = bridge;
	}
	/* The chipset's wiring describes the slots of bus 0 only. */
	if (r->bus == 0 && env->cs->type == INTX_CHIPSET_PIIX)
		err = intx_piix_route(env, dev, r->pin, r);
	else if (r->bus == 0 && env->cs->type == INTX_CHIPSET_ICH9)
		err = intx_ich9_route(env, r->slot, r->pin, r);
	if (err) {
		pr_warn("%s: INT%c reaches %02x:%02x INT%c, which no source routes\n",
			dev_name(&pdev->dev), 'A' + pdev->irq_pin - 1, r->bus, r->slot,
			'A' + r->pin - 1);
		r->source = PCI_INTX_SRC_NONE;
	}
	return err;
}

int pcibios_intx_route(struct pci_dev *pdev, struct pci_intx_route *r)
{
	struct intx_env env = {
		.mp = intx_mp_valid ? &mp_config : NULL,
		.madt = acpi_madt_valid ? &acpi_madt : NULL,
		.cs = &intx_chipset,
	};

	return intx_route(&env, pdev, r);
}
EXPORT_SYMBOL_GPL(pcibios_intx_route);

bool intx_mp_bus_described(u8 bus)
{
	return intx_mp_valid && mp_config.bus_type[bus] == MP_BUS_PCI;
}

static u8 cfg_byte(u8 bus, u8 devfn, unsigned int where)
{
	u32 v = 0xff;

	pci_bus_read_config(0, bus, devfn, where, 1, &v);
	return v;
}

static u32 cfg_id(u8 bus, u8 devfn)
{
	u32 v = ~0u;

	pci_bus_read_config(0, bus, devfn, PCI_VENDOR_ID, 4, &v);
	return v;
}

/* Find the PIIX or ICH9 south bridge and read its PIRQ route control registers. */
static void __init intx_chipset_init(struct intx_chipset *cs)
{
	u32 piix = cfg_id(0, PCI_DEVFN(1, 0)), lpc = cfg_id(0, PCI_DEVFN(31, 0));
	u8 devfn;

	if (piix == 0x70008086 || piix == 0x71108086) {		/* PIIX3, PIIX4 */
		cs->type = INTX_CHIPSET_PIIX;
		devfn = PCI_DEVFN(1, 0);
	} else if (lpc == 0x29188086) {				/* ICH9 LPC */
		cs->type = INTX_CHIPSET_ICH9;
		devfn = PCI_DEVFN(31, 0);
		for (unsigned int i = 0; i < 4; i++)
			cs->pirq_route[4 + i] = cfg_byte(0, devfn, 0x68 + i);
		/* QEMU's reset value of D25IR-D31IR; the firmware leaves them. */
		for (unsigned int slot = 25; slot < 32; slot++)
			cs->dir[slot] = 0x3210;
	} else {
		pr_info("INTx: no PIIX or ICH9 south bridge: MP table only\n");
		return;
	}
	for (unsigned int i = 0; i < 4; i++)
		cs->pirq_route[i] = cfg_byte(0, devfn, 0x60 + i);
	pr_info("INTx: %s PIRQ A-H routes %02x %02x %02x %02x %02x %02x %02x %02x\n",
		cs->type == INTX_CHIPSET_PIIX ? "PIIX" : "ICH9", cs->pirq_route[0],
		cs->pirq_route[1], cs->pirq_route[2], cs->pirq_route[3], cs->pirq_route[4],
		cs->pirq_route[5], cs->pirq_route[6], cs->pirq_route[7]);
}

/*
 * The firmware's INTERRUPT_LINE is an ISA IRQ: through the MADT's
 * overrides, the GSI it names must be ours where the line reaches the
 * I/O APIC on an ISA input (the MP table and PIIX sources).  On ICH9 the
 * GSIs 16-23 have no ISA number; the PIRQ's ISA route must be the line.
 */
static void intx_check_line(struct pci_dev *pdev, const struct pci_intx_route *r)
{
	u16 flags;
	u32 want;

	if (!pdev->irq_line || pdev->irq_line == 0xff)
		return;
	if (r->source == PCI_INTX_SRC_ICH9) {
		u8 route = intx_chipset.pirq_route[r->gsi - ICH9_PIRQ_GSI_BASE];

		if (!(route & PIRQ_ROUTE_DISABLE) && (route & PIRQ_ROUTE_IRQ) != pdev->irq_line)
			pr_warn("%s: INTERRUPT_LINE %u, but its PIRQ goes to ISA IRQ %u\n",
				dev_name(&pdev->dev), pdev->irq_line, route & PIRQ_ROUTE_IRQ);
		return;
	}
	want = intx_isa_irq_gsi(acpi_madt_valid ? &acpi_madt : NULL, pdev->irq_line, &flags);
	if (want != r->gsi)
		pr_warn("%s: INTERRUPT_LINE %u is GSI %u, but the %s says GSI %u\n",
			dev_name(&pdev->dev), pdev->irq_line, want,
			pci_intx_source_name(r->source), r->gsi);
}

/* Linux's pcibios_lookup_irq(): route @pdev's pin and record it in @pdev. */
static int pcibios_lookup_irq(struct pci_dev *pdev)
{
	struct pci_intx_route r;
	int err = pcibios_intx_route(pdev, &r);
	int irq;

	if (err)
		return err;
	irq = acpi_register_gsi(&pdev->dev, r.gsi, r.trigger, r.polarity);
	if (irq < 0) {
		pr_err("%s: GSI %u cannot be registered (%d)\n", dev_name(&pdev->dev), r.gsi, irq);
		return irq;
	}
	pdev->irq = irq;
	pdev->irq_gsi = r.gsi;
	pdev->irq_trigger = r.trigger;
	pdev->irq_polarity = r.polarity;
	pdev->irq_source = r.source;
	pr_info("%s: INT%c -> GSI %u, %s, active %s (%s, %02x:%02x INT%c)\n",
		dev_name(&pdev->dev), 'A' + pdev->irq_pin - 1, r.gsi,
		r.trigger == ACPI_LEVEL_SENSITIVE ? "level" : "edge",
		r.polarity == ACPI_ACTIVE_LOW ? "low" : "high", pci_intx_source_name(r.source),
		r.bus, r.slot, 'A' + r.pin - 1);
	intx_check_line(pdev, &r);
	return 0;
}

static int __init pcibios_irq_init(void)
{
	struct pci_dev *pdev = NULL;

	if (!pci_nr_devices())
		return 0;
	intx_mp_valid = !mp_table_init();
	intx_chipset_init(&intx_chipset);
	while ((pdev = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, pdev)))
		if (pdev->irq_pin)
			pcibios_lookup_irq(pdev);
	return 0;
}
fs_initcall(pcibios_irq_init);
