// SPDX-License-Identifier: GPL-2.0
/*
 * I/O APIC: legacy IRQ routing.  At boot every redirection entry of every
 * I/O APIC the MADT lists is masked; request_irq() then routes one ISA IRQ
 * (through the MADT's interrupt source overrides: GSI, polarity, trigger)
 * to vector IRQ0_VECTOR + irq on the boot CPU.  The 8259 PICs stay masked
 * (idt_init()).
 */
#define pr_fmt(fmt) "IOAPIC: " fmt

#include <exo/acpi.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/interrupt.h>
#include <exo/printk.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/smp.h>
#include <asm/traps.h>

#define IOREGSEL	0x00
#define IOWIN		0x10
#define IOAPIC_VER	0x01
#define IOAPIC_REDTBL(n) (0x10 + 2 * (n))

#define RTE_MASKED	(1u << 16)
#define RTE_LEVEL	(1u << 15)
#define RTE_ACTIVE_LOW	(1u << 13)

struct ioapic {
	void __iomem *base;
	u32 gsi_base;
	unsigned int nr_pins;
};

static struct ioapic ioapics[MADT_MAX_IOAPICS];
static unsigned int nr_ioapics;
static DEFINE_SPINLOCK(ioapic_lock);

struct irq_desc {
	irq_fn_t fn;
	void *dev_id;
	const char *name;
	unsigned long count;
};

static struct irq_desc irq_descs[NR_LEGACY_IRQS];

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
		io->gsi_base = m->gsi_base;
		io->nr_pins = ((io_read(io, IOAPIC_VER) >> 16) & 0xff) + 1;
		for (unsigned int pin = 0; pin < io->nr_pins; pin++) {
			io_write(io, IOAPIC_REDTBL(pin) + 1, 0);
			io_write(io, IOAPIC_REDTBL(pin), RTE_MASKED);
		}
		pr_info("ID %u at %#x, GSI %u-%u, all masked\n", m->id, m->address,
			io->gsi_base, io->gsi_base + io->nr_pins - 1);
		nr_ioapics++;
	}
	return nr_ioapics;
}

/* GSI and redirection flags of an ISA IRQ: identity, edge, active high unless overridden. */
static u32 isa_irq_gsi(unsigned int irq, u32 *flags)
{
	*flags = 0;
	for (unsigned int i = 0; i < acpi_madt.nr_overrides; i++) {
		const struct madt_override *o = &acpi_madt.overrides[i];

		if (o->bus_irq != irq)
			continue;
		if ((o->flags & 3) == 3)
			*flags |= RTE_ACTIVE_LOW;
		if (((o->flags >> 2) & 3) == 3)
			*flags |= RTE_LEVEL;
		return o->gsi;
	}
	return irq;
}

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

int ioapic_route(unsigned int isa_irq, unsigned int vector, u32 apic_id)
{
	unsigned long flags;
	struct ioapic *io;
	unsigned int pin;
	u32 rte_flags, gsi;

	if (isa_irq >= NR_LEGACY_IRQS || vector < 32 || vector > 255)
		return -EINVAL;
	gsi = isa_irq_gsi(isa_irq, &rte_flags);
	io = gsi_ioapic(gsi, &pin);
	if (!io)
		return -ENODEV;
	spin_lock_irqsave(&ioapic_lock, flags);
	io_write(io, IOAPIC_REDTBL(pin), RTE_MASKED);
	io_write(io, IOAPIC_REDTBL(pin) + 1, apic_id << 24);
	io_write(io, IOAPIC_REDTBL(pin), vector | rte_flags);
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return 0;
}

int ioapic_mask(unsigned int isa_irq, bool masked)
{
	unsigned long flags;
	struct ioapic *io;
	unsigned int pin;
	u32 rte_flags, lo;

	if (isa_irq >= NR_LEGACY_IRQS)
		return -EINVAL;
	io = gsi_ioapic(isa_irq_gsi(isa_irq, &rte_flags), &pin);
	if (!io)
		return -ENODEV;
	spin_lock_irqsave(&ioapic_lock, flags);
	lo = io_read(io, IOAPIC_REDTBL(pin));
	io_write(io, IOAPIC_REDTBL(pin), masked ? lo | RTE_MASKED : lo & ~RTE_MASKED);
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return 0;
}

static void legacy_irq_entry(struct pt_regs *regs)
{
	unsigned int irq = regs->vector - IRQ0_VECTOR;
	struct irq_desc *d = &irq_descs[irq];
	irq_fn_t fn = READ_ONCE(d->fn);

	d->count++;
	if (fn)
		fn(irq, d->dev_id);
	apic_eoi();
}

int request_irq(unsigned int irq, irq_fn_t fn, const char *name, void *dev_id)
{
	struct irq_desc *d;
	unsigned long flags;
	int err;

	if (irq >= NR_LEGACY_IRQS || !fn) {
		pr_err("request_irq(%u, %s): bad IRQ or no handler\n", irq, name);
		return -EINVAL;
	}
	d = &irq_descs[irq];
	spin_lock_irqsave(&ioapic_lock, flags);
	if (d->fn) {
		spin_unlock_irqrestore(&ioapic_lock, flags);
		pr_err("request_irq(%u, %s): already taken by %s\n", irq, name, d->name);
		return -EBUSY;
	}
	d->dev_id = dev_id;
	d->name = name;
	WRITE_ONCE(d->fn, fn);
	spin_unlock_irqrestore(&ioapic_lock, flags);
	set_irq_handler(IRQ0_VECTOR + irq, NULL);
	set_irq_handler(IRQ0_VECTOR + irq, legacy_irq_entry);
	err = ioapic_route(irq, IRQ0_VECTOR + irq, cpu_to_apicid(0));
	if (err) {
		pr_err("request_irq(%u, %s): cannot route it (%d)\n", irq, name, err);
		set_irq_handler(IRQ0_VECTOR + irq, NULL);
		WRITE_ONCE(d->fn, NULL);
		return err;
	}
	pr_info("IRQ %u (%s) -> vector %#x on CPU 0\n", irq, name, IRQ0_VECTOR + irq);
	return 0;
}

void free_irq(unsigned int irq, void *dev_id)
{
	struct irq_desc *d;

	if (irq >= NR_LEGACY_IRQS || irq_descs[irq].dev_id != dev_id) {
		pr_err("free_irq(%u): not requested with this dev_id\n", irq);
		return;
	}
	d = &irq_descs[irq];
	ioapic_mask(irq, true);
	set_irq_handler(IRQ0_VECTOR + irq, NULL);
	WRITE_ONCE(d->fn, NULL);
	d->dev_id = NULL;
}

unsigned long irq_stat(unsigned int irq)
{
	return irq < NR_LEGACY_IRQS ? READ_ONCE(irq_descs[irq].count) : 0;
}
