// SPDX-License-Identifier: GPL-2.0
/*
 * I/O APIC: the irq_chip of every input of every I/O APIC the MADT lists.
 *
 * IRQ numbers follow Linux: GSI n is IRQ n, except that an ISA IRQ the
 * MADT overrides (e.g. ISA 0 -> GSI 2) keeps its ISA number and takes the
 * GSI's pin, which then has no IRQ of its own.  ISA lines default to edge,
 * active high, the other GSIs (PCI) to level, active low; the overrides
 * and acpi_register_gsi() set the rest.  Edge lines use handle_edge_irq
 * (EOI first), level lines handle_fasteoi_irq (EOI after the handlers).
 *
 * Routing arrives as an x86 MSI message (apic/vector.c) that becomes the
 * redirection entry's destination and vector.  A level line's entry is
 * not rewritten while an interrupt from it is in flight: the local APIC's
 * EOI is matched by vector against the entry, and a changed vector would
 * leave the remote IRR set forever.  The entry is masked before its
 * remote IRR is read, so that nothing is delivered between the check and
 * the rewrite; a move that finds an interrupt in flight is applied by the
 * EOI path instead, which masks the entry before the EOI (a line still
 * asserted would otherwise be delivered again at once on the old vector)
 * and unmasks it after the rewrite unless the IRQ is masked.  A remote IRR
 * the firmware left set is cleared at init, and one left by an interrupt
 * of a shut-down IRQ when it starts again.
 */
#define pr_fmt(fmt) "IOAPIC: " fmt

#include <exo/acpi.h>
#include <exo/device.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/irq.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/irq.h>
#include <asm/page.h>

#define IOREGSEL	0x00
#define IOWIN		0x10
#define IOAPIC_VER	0x01
#define IOAPIC_REDTBL(n) (0x10 + 2 * (n))

#define RTE_MASKED	(1u << 16)
#define RTE_LEVEL	(1u << 15)
#define RTE_REMOTE_IRR	(1u << 14)
#define RTE_ACTIVE_LOW	(1u << 13)

struct ioapic {
	void __iomem *base;
	u32 id;
	u32 gsi_base;
	unsigned int nr_pins;
};

/* Per input: where it is, and a move that waits for the next EOI. */
struct ioapic_pin {
	struct ioapic *io;
	unsigned int pin;
	u32 rte_lo;			/* vector, trigger, polarity, mask */
	u32 rte_hi;			/* destination */
	bool move_pending;
	struct msi_msg pending;
};

static struct ioapic ioapics[MADT_MAX_IOAPICS];
static unsigned int nr_ioapics;
static unsigned int gsi_top = NR_IRQS_LEGACY;
/* Orders the two-register accesses (IOREGSEL then IOWIN) of all CPUs. */
static DEFINE_SPINLOCK(ioapic_lock);

static u32 io_read(struct ioapic *io, u32 reg)
{
	writel(reg, io->base + IOREGSEL);
	return readl(io->base + IOWIN);
}

static void io_write(struct ioapic *io, u32 reg, u32 v)
{
	writel(reg, io->base + IOREGSEL);
	writel(v, io->base + IOWIN);
}

/* Write the entry: high half first, so it never fires with a stale destination. */
static void pin_write(struct ioapic_pin *p)
{
	unsigned long flags;

	spin_lock_irqsave(&ioapic_lock, flags);
	io_write(p->io, IOAPIC_REDTBL(p->pin), p->rte_lo | RTE_MASKED);
	io_write(p->io, IOAPIC_REDTBL(p->pin) + 1, p->rte_hi);
	io_write(p->io, IOAPIC_REDTBL(p->pin), p->rte_lo);
	spin_unlock_irqrestore(&ioapic_lock, flags);
}

static void pin_set_mask(struct ioapic_pin *p, bool masked)
{
	unsigned long flags;

	p->rte_lo = masked ? p->rte_lo | RTE_MASKED : p->rte_lo & ~RTE_MASKED;
	spin_lock_irqsave(&ioapic_lock, flags);
	io_write(p->io, IOAPIC_REDTBL(p->pin), p->rte_lo);
	spin_unlock_irqrestore(&ioapic_lock, flags);
}

/* Mask the entry in the I/O APIC only: p->rte_lo keeps the IRQ's own mask state. */
static void pin_hw_mask(struct ioapic_pin *p)
{
	unsigned long flags;

	spin_lock_irqsave(&ioapic_lock, flags);
	io_write(p->io, IOAPIC_REDTBL(p->pin), p->rte_lo | RTE_MASKED);
	spin_unlock_irqrestore(&ioapic_lock, flags);
}

/*
 * Clear the remote IRR of a masked level entry whose EOI will never come
 * (as Linux's __eoi_ioapic_pin() without the EOI register): an entry
 * switched to edge drops its remote IRR.  The entry is left masked, with
 * trigger @lo & RTE_LEVEL.
 */
static void io_clear_remote_irr(struct ioapic *io, unsigned int pin, u32 lo)
{
	io_write(io, IOAPIC_REDTBL(pin), (lo | RTE_MASKED) & ~(RTE_LEVEL | RTE_REMOTE_IRR));
	io_write(io, IOAPIC_REDTBL(pin), (lo | RTE_MASKED) & ~RTE_REMOTE_IRR);
}

static void pin_apply_msg(struct ioapic_pin *p, const struct msi_msg *msg)
{
	p->rte_lo = (p->rte_lo & ~0xffu) | msi_msg_vector(msg);
	/* 8 destination bits in both APIC modes (no interrupt remapping). */
	p->rte_hi = (msi_msg_dest_apicid(msg) & 0xff) << 24;
	pin_write(p);
}

static void ioapic_mask(struct irq_data *d)
{
	pin_set_mask(d->chip_data, true);
}

static void ioapic_unmask(struct irq_data *d)
{
	pin_set_mask(d->chip_data, false);
}

static bool pin_remote_irr(struct ioapic_pin *p)
{
	unsigned long flags;
	u32 lo;

	spin_lock_irqsave(&ioapic_lock, flags);
	lo = io_read(p->io, IOAPIC_REDTBL(p->pin));
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return lo & RTE_REMOTE_IRR;
}

/* desc->lock held. */
static void ioapic_write_msg(struct irq_data *d, struct msi_msg *msg)
{
	struct ioapic_pin *p = d->chip_data;

	if (p->rte_lo & RTE_LEVEL) {
		pin_hw_mask(p);
		if (pin_remote_irr(p)) {
			/* Its EOI (ioapic_ack_level()) applies the move. */
			p->pending = *msg;
			p->move_pending = true;
			pin_set_mask(p, p->rte_lo & RTE_MASKED);
			return;
		}
	}
	p->move_pending = false;
	pin_apply_msg(p, msg);
}

/*
 * Level lines, desc->lock held: EOI (which clears the remote IRR), then a
 * deferred move, with the entry masked across both.  If the remote IRR is
 * still set (the EOI not yet at the I/O APIC) the move waits for the next
 * EOI, as in Linux.
 */
static void ioapic_ack_level(struct irq_data *d)
{
	struct ioapic_pin *p = d->chip_data;
	bool move = p->move_pending;

	if (move)
		pin_hw_mask(p);
	apic_ack_irq(d);
	if (!move)
		return;
	if (pin_remote_irr(p)) {
		pin_set_mask(p, p->rte_lo & RTE_MASKED);
		return;
	}
	p->move_pending = false;
	pin_apply_msg(p, &p->pending);
}

/*
 * Start, desc->lock held, the entry masked since the shutdown (or init).
 * An interrupt of the IRQ's previous life may have been in flight at its
 * shutdown: it landed on a freed vector, so the deferred move it holds
 * back is applied now, and its remote IRR, which would block the line,
 * cleared (the late EOI, on the old vector, then matches nothing).
 */
static unsigned int ioapic_startup(struct irq_data *d)
{
	struct ioapic_pin *p = d->chip_data;
	unsigned long flags;

	if (p->move_pending) {
		spin_lock_irqsave(&ioapic_lock, flags);
		io_clear_remote_irr(p->io, p->pin, p->rte_lo);
		spin_unlock_irqrestore(&ioapic_lock, flags);
		p->move_pending = false;
		pin_apply_msg(p, &p->pending);
	}
	pin_set_mask(p, false);
	return 0;
}

/* Shut down, desc->lock held: masked; a move still pending is kept for the next start. */
static void ioapic_shutdown(struct irq_data *d)
{
	pin_set_mask(d->chip_data, true);
}

static int ioapic_set_type(struct irq_data *d, unsigned int type)
{
	struct ioapic_pin *p = d->chip_data;
	struct irq_desc *desc = irq_to_desc(d->irq);
	bool level = type & IRQ_TYPE_LEVEL_MASK;

	if (type == IRQ_TYPE_NONE || type == IRQ_TYPE_EDGE_BOTH ||
	    type == (IRQ_TYPE_LEVEL_HIGH | IRQ_TYPE_LEVEL_LOW))
		return -EINVAL;
	p->rte_lo &= ~(RTE_LEVEL | RTE_ACTIVE_LOW);
	if (level)
		p->rte_lo |= RTE_LEVEL;
	if (type & (IRQ_TYPE_LEVEL_LOW | IRQ_TYPE_EDGE_FALLING))
		p->rte_lo |= RTE_ACTIVE_LOW;
	desc->handle_irq = level ? handle_fasteoi_irq : handle_edge_irq;
	desc->name = level ? "fasteoi" : "edge";
	return 0;
}

static struct irq_chip ioapic_chip = {
	.name			= "IO-APIC",
	.irq_startup		= ioapic_startup,
	.irq_shutdown		= ioapic_shutdown,
	.irq_mask		= ioapic_mask,
	.irq_unmask		= ioapic_unmask,
	.irq_ack		= apic_ack_irq,
	.irq_eoi		= ioapic_ack_level,
	.irq_set_type		= ioapic_set_type,
	.irq_write_msi_msg	= ioapic_write_msg,
};

static struct ioapic *gsi_ioapic(u32 gsi, unsigned int *pin)
{
	for (unsigned int i = 0; i < nr_ioapics; i++) {
		if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].nr_pins) {
			*pin = gsi - ioapics[i].gsi_base;
			return &ioapics[i];
		}
	}
	return NULL;
}

static const struct madt_override *isa_override(unsigned int isa_irq)
{
	for (unsigned int i = 0; i < acpi_madt.nr_overrides; i++)
		if (acpi_madt.overrides[i].bus_irq == isa_irq)
			return &acpi_madt.overrides[i];
	return NULL;
}

/* The ISA IRQ an override moved onto @gsi, or -1. */
static int gsi_overridden_isa(u32 gsi)
{
	for (unsigned int i = 0; i < acpi_madt.nr_overrides; i++) {
		const struct madt_override *o = &acpi_madt.overrides[i];

		if (o->gsi == gsi && o->bus_irq != gsi && o->bus_irq < NR_IRQS_LEGACY)
			return o->bus_irq;
	}
	return -1;
}

/* MPS INTI flags (polarity bits 0-1, trigger 2-3; 0 = bus default, ISA: edge high). */
static unsigned int inti_type(u16 flags)
{
	bool low = (flags & 3) == 3, level = ((flags >> 2) & 3) == 3;

	if (level)
		return low ? IRQ_TYPE_LEVEL_LOW : IRQ_TYPE_LEVEL_HIGH;
	return low ? IRQ_TYPE_EDGE_FALLING : IRQ_TYPE_EDGE_RISING;
}

static int __init ioapic_setup_irq(unsigned int irq, u32 gsi, unsigned int type)
{
	struct ioapic_pin *p;
	unsigned int pin;
	struct ioapic *io = gsi_ioapic(gsi, &pin);
	int ret;

	if (!io)
		return -ENODEV;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->io = io;
	p->pin = pin;
	p->rte_lo = RTE_MASKED;
	ret = irq_alloc_descs(irq, irq, 1, NUMA_NO_NODE);
	if (ret < 0) {
		kfree(p);
		return ret;
	}
	irq_set_chip_and_handler_name(irq, &ioapic_chip, handle_edge_irq, "edge");
	irq_set_chip_data(irq, p);
	irq_to_desc(irq)->irq_data.hwirq = gsi;
	return irq_set_irq_type(irq, type);
}

/* A descriptor for every input: ISA IRQs through the overrides, GSI n as IRQ n. */
static void __init ioapic_setup_irqs(void)
{
	for (unsigned int irq = 0; irq < NR_IRQS_LEGACY; irq++) {
		const struct madt_override *o = isa_override(irq);

		if (!o && gsi_overridden_isa(irq) >= 0)
			continue;	/* its pin belongs to another ISA IRQ */
		ioapic_setup_irq(irq, o ? o->gsi : irq, o ? inti_type(o->flags) : IRQ_TYPE_EDGE_RISING);
	}
	for (u32 gsi = NR_IRQS_LEGACY; gsi < gsi_top; gsi++) {
		unsigned int pin;

		if (gsi_overridden_isa(gsi) < 0 && gsi_ioapic(gsi, &pin))
			ioapic_setup_irq(gsi, gsi, IRQ_TYPE_LEVEL_LOW);
	}
}

int __init ioapic_init(void)
{
	if (!acpi_madt_valid)
		return 0;
	for (unsigned int i = 0; i < acpi_madt.nr_ioapics; i++) {
		struct ioapic *io = &ioapics[nr_ioapics];
		const struct madt_ioapic *m = &acpi_madt.ioapics[i];

		io->base = ioremap(m->address, PAGE_SIZE);
		if (!io->base)
			continue;
		io->id = m->id;
		io->gsi_base = m->gsi_base;
		io->nr_pins = ((io_read(io, IOAPIC_VER) >> 16) & 0xff) + 1;
		for (unsigned int pin = 0; pin < io->nr_pins; pin++) {
			u32 lo = io_read(io, IOAPIC_REDTBL(pin));

			/* Left by the firmware, it would block the line's first interrupt. */
			if (lo & RTE_REMOTE_IRR)
				io_clear_remote_irr(io, pin, lo);
			io_write(io, IOAPIC_REDTBL(pin) + 1, 0);
			io_write(io, IOAPIC_REDTBL(pin), RTE_MASKED);
			if (io_read(io, IOAPIC_REDTBL(pin)) & RTE_REMOTE_IRR)
				pr_warn("ID %u pin %u: remote IRR stuck\n", m->id, pin);
		}
		if (io->gsi_base + io->nr_pins > gsi_top)
			gsi_top = io->gsi_base + io->nr_pins;
		pr_info("ID %u at %#x, GSI %u-%u, all masked\n", m->id, m->address,
			io->gsi_base, io->gsi_base + io->nr_pins - 1);
		nr_ioapics++;
	}
	ioapic_setup_irqs();
	return nr_ioapics;
}

unsigned int arch_dynirq_lower_bound(unsigned int from)
{
	return from > gsi_top ? from : gsi_top;
}

int acpi_register_gsi(struct device *dev, u32 gsi, int trigger, int polarity)
{
	unsigned int type, pin;
	struct irq_desc *desc;
	int irq, isa;

	if ((trigger != ACPI_EDGE_SENSITIVE && trigger != ACPI_LEVEL_SENSITIVE) ||
	    (polarity != ACPI_ACTIVE_HIGH && polarity != ACPI_ACTIVE_LOW)) {
		pr_err("%s: GSI %u: bad trigger %d or polarity %d\n",
		       dev ? dev_name(dev) : "?", gsi, trigger, polarity);
		return -EINVAL;
	}
	if (!gsi_ioapic(gsi, &pin)) {
		pr_err("%s: GSI %u: no I/O APIC serves it\n", dev ? dev_name(dev) : "?", gsi);
		return -ENODEV;
	}
	isa = gsi_overridden_isa(gsi);
	irq = isa >= 0 ? isa : (int)gsi;
	desc = irq_to_desc(irq);
	if (!desc)
		return -ENODEV;
	if (trigger == ACPI_LEVEL_SENSITIVE)
		type = polarity == ACPI_ACTIVE_LOW ? IRQ_TYPE_LEVEL_LOW : IRQ_TYPE_LEVEL_HIGH;
	else
		type = polarity == ACPI_ACTIVE_LOW ? IRQ_TYPE_EDGE_FALLING : IRQ_TYPE_EDGE_RISING;
	if (READ_ONCE(desc->action)) {
		if (desc->irq_data.type == type)
			return irq;
		pr_err("%s: GSI %u: in use as type %#x, not %#x\n", dev ? dev_name(dev) : "?",
		       gsi, desc->irq_data.type, type);
		return -EINVAL;
	}
	return irq_set_irq_type(irq, type) ?: irq;
}
EXPORT_SYMBOL_GPL(acpi_register_gsi);

void acpi_unregister_gsi(u32 gsi)
{
	(void)gsi;
}
EXPORT_SYMBOL_GPL(acpi_unregister_gsi);

/*
 * The pin counts are read once at ioapic_init() and never change, so the
 * answer needs neither ioapic_lock nor a register access racing pin_write().
 */
bool ioapic_gsi_valid(u32 gsi)
{
	unsigned int pin;

	return gsi_ioapic(gsi, &pin) != NULL;
}
