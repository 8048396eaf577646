// SPDX-License-Identifier: GPL-2.0
/*
 * pci_intx tests: the MP table parser on synthetic tables (accepted, and
 * refused for each kind of damage), pin swizzling and the routing walk on
 * a synthetic bridge topology (pure functions), then the routes of every
 * function with a pin on the running machine: each GSI is an input of an
 * I/O APIC the MADT lists, agrees with the firmware's INTERRUPT_LINE, and
 * the chipset fallback agrees with the MP table where both answer, and an
 * edu device's INTx is delivered on the line its route names.
 */
#include <exo/acpi.h>
#include <exo/errno.h>
#include <exo/interrupt.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/mpspec.h>
#include <exo/pci.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/time.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/pci_x86.h>

#include "internal.h"

/* ---- synthetic MP tables ---- */

struct mp_builder {
	u8 buf[512];
	size_t len;
	u16 count;
};

static void mpb_init(struct mp_builder *b)
{
	struct mpc_table *h = (struct mpc_table *)b->buf;

	memset(b, 0, sizeof(*b));
	memcpy(h->signature, "PCMP", 4);
	h->spec = 4;
	h->lapic = 0xfee00000;
	b->len = sizeof(*h);
}

static void mpb_add(struct mp_builder *b, const void *e, size_t len)
{
	memcpy(b->buf + b->len, e, len);
	b->len += len;
	b->count++;
}

static void mpb_bus(struct mp_builder *b, u8 id, const char *type)
{
	struct mpc_bus e = { .type = MP_BUS, .busid = id };

	memcpy(e.bustype, type, 6);
	mpb_add(b, &e, sizeof(e));
}

static void mpb_ioapic(struct mp_builder *b, u8 id)
{
	struct mpc_ioapic e = { .type = MP_IOAPIC, .apicid = id, .apicver = 0x11,
				.flags = MPC_APIC_USABLE, .apicaddr = 0xfec00000 };

	mpb_add(b, &e, sizeof(e));
}

static void mpb_intsrc(struct mp_builder *b, u8 bus, u8 srcbusirq, u8 apic, u8 dstirq, u16 flag)
{
	struct mpc_intsrc e = { .type = MP_INTSRC, .irqtype = mp_INT, .irqflag = flag,
				.srcbus = bus, .srcbusirq = srcbusirq, .dstapic = apic,
				.dstirq = dstirq };

	mpb_add(b, &e, sizeof(e));
}

/* Fix length, count and checksum, as firmware does. */
static void mpb_seal(struct mp_builder *b)
{
	struct mpc_table *h = (struct mpc_table *)b->buf;
	u8 s = 0;

	h->length = b->len;
	h->oemcount = b->count;
	h->checksum = 0;
	for (size_t i = 0; i < b->len; i++)
		s += b->buf[i];
	h->checksum = -s;
}

/* A SeaBIOS-like table: PCI bus 0, ISA bus 1, I/O APIC 0, two PCI entries. */
static void mpb_seabios(struct mp_builder *b)
{
	struct { u8 type, apicid, apicver, flags; u32 sig, feat, res[2]; } __packed cpu = {
		.type = MP_PROCESSOR, .flags = 3 };

	mpb_init(b);
	mpb_add(b, &cpu, sizeof(cpu));
	mpb_bus(b, 0, "PCI   ");
	mpb_bus(b, 1, "ISA   ");
	mpb_ioapic(b, 0);
	mpb_intsrc(b, 0, 3 << 2 | 0, 0, 11, MP_IRQPOL_ACTIVE_HIGH);
	mpb_intsrc(b, 0, 5 << 2 | 1, 0, 10, 0);
	mpb_intsrc(b, 1, 4, 0, 4, 0);
	mpb_seal(b);
}

static void test_mp_parse_good(struct ktest *t)
{
	struct mp_builder *b = kzalloc(sizeof(*b), GFP_KERNEL);
	struct mp_config_info *info = kzalloc(sizeof(*info), GFP_KERNEL);

	KTEST_ASSERT_NOT_NULL(t, b);
	KTEST_ASSERT_NOT_NULL(t, info);
	mpb_seabios(b);
	KTEST_EXPECT_EQ(t, mp_parse_config((void *)b->buf, b->len, info), 0);
	KTEST_EXPECT_EQ(t, info->nr_cpus, 1u);
	KTEST_EXPECT_EQ(t, info->bus_type[0], MP_BUS_PCI);
	KTEST_EXPECT_EQ(t, info->bus_type[1], MP_BUS_ISA);
	KTEST_EXPECT_EQ(t, info->bus_type[2], MP_BUS_NONE);
	KTEST_EXPECT_EQ(t, info->nr_ioapics, 1u);
	KTEST_EXPECT_EQ(t, info->ioapics[0].address, 0xfec00000u);
	KTEST_EXPECT_TRUE(t, info->ioapics[0].usable);
	KTEST_EXPECT_EQ(t, info->nr_irqs, 3u);
	KTEST_EXPECT_EQ(t, info->irqs[1].srcbusirq, 5 << 2 | 1);
	KTEST_EXPECT_EQ(t, info->irqs[1].dstirq, 10);
	KTEST_EXPECT_EQ(t, info->lapic, 0xfee00000u);
	/* Extra bytes after the table are not its business. */
	KTEST_EXPECT_EQ(t, mp_parse_config((void *)b->buf, sizeof(b->buf), info), 0);
	kfree(info);
	kfree(b);
}

/* Each damage, applied to a fresh SeaBIOS-like table: the parser's verdict. */
enum mp_damage {
	DMG_SIGNATURE, DMG_CHECKSUM, DMG_SHORT_AVAIL, DMG_LEN_SMALL, DMG_SPEC,
	DMG_COUNT, DMG_TYPE, DMG_CROSS_END, DMG_DUP_BUS, DMG_DUP_IOAPIC,
	DMG_UNDECLARED_BUS, DMG_UNDECLARED_APIC, DMG_PCI_BIT7, DMG_POLARITY,
	DMG_TRIGGER, DMG_NR
};

static int mp_damaged(struct mp_builder *b, struct mp_config_info *info, enum mp_damage d)
{
	struct mpc_table *h = (struct mpc_table *)b->buf;
	size_t avail;

	mpb_seabios(b);
	switch (d) {
	case DMG_SIGNATURE:
		h->signature[0] = 'X';
		break;
	case DMG_CHECKSUM:
		h->checksum++;
		return mp_parse_config((void *)b->buf, b->len, info);
	case DMG_SHORT_AVAIL:
		return mp_parse_config((void *)b->buf, b->len - 1, info);
	case DMG_LEN_SMALL:
		b->len = sizeof(*h) - 4;
		break;
	case DMG_SPEC:
		h->spec = 2;
		break;
	case DMG_COUNT:
		b->count++;
		break;
	case DMG_TYPE:
		b->buf[b->len - 8] = 9;		/* the last entry */
		break;
	case DMG_CROSS_END:
		b->len -= 4;			/* cuts the last entry in half */
		break;
	case DMG_DUP_BUS:
		mpb_bus(b, 0, "PCI   ");
		break;
	case DMG_DUP_IOAPIC:
		mpb_ioapic(b, 0);
		break;
	case DMG_UNDECLARED_BUS:
		mpb_intsrc(b, 7, 0, 0, 9, 0);
		break;
	case DMG_UNDECLARED_APIC:
		mpb_intsrc(b, 0, 0, 5, 9, 0);
		break;
	case DMG_PCI_BIT7:
		mpb_intsrc(b, 0, 0x80, 0, 9, 0);
		break;
	case DMG_POLARITY:
		mpb_intsrc(b, 0, 4, 0, 9, MP_IRQPOL_RESERVED);
		break;
	case DMG_TRIGGER:
		mpb_intsrc(b, 0, 4, 0, 9, MP_IRQTRIG_RESERVED);
		break;
	default:
		break;
	}
	mpb_seal(b);
	if (d == DMG_LEN_SMALL)
		h->length = sizeof(*h) - 4;
	avail = d == DMG_LEN_SMALL ? sizeof(b->buf) : b->len;
	return mp_parse_config((void *)b->buf, avail, info);
}

static void test_mp_parse_refuses(struct ktest *t)
{
	struct mp_builder *b = kzalloc(sizeof(*b), GFP_KERNEL);
	struct mp_config_info *info = kzalloc(sizeof(*info), GFP_KERNEL);

	KTEST_ASSERT_NOT_NULL(t, b);
	KTEST_ASSERT_NOT_NULL(t, info);
	for (int d = 0; d < DMG_NR; d++) {
		int err = mp_damaged(b, info, d);

		KTEST_EXPECT_EQ(t, err, -EINVAL);
		if (err != -EINVAL)
			ktest_log(t, "damage %d accepted", d);
		/* Refused means nothing kept. */
		KTEST_EXPECT_EQ(t, info->nr_irqs + info->nr_ioapics + info->nr_cpus, 0u);
	}
	/* Too few bytes for even the header. */
	KTEST_EXPECT_EQ(t, mp_parse_config((void *)b->buf, 10, info), -EINVAL);
	kfree(info);
	kfree(b);
}

static void test_mpf_checks(struct ktest *t)
{
	struct mpf_intel mpf = { .signature = "_MP_", .physptr = 0xf1000, .length = 1,
				 .specification = 4 };
	u8 s = 0;

	for (size_t i = 0; i < sizeof(mpf); i++)
		s += ((u8 *)&mpf)[i];
	mpf.checksum = -s;
	KTEST_EXPECT_TRUE(t, mpf_checksum_ok(&mpf));
	mpf.checksum++;
	KTEST_EXPECT_FALSE(t, mpf_checksum_ok(&mpf));
	mpf.checksum--;
	mpf.length = 2;
	mpf.checksum--;		/* still sums to 0, but 32 bytes claimed */
	KTEST_EXPECT_FALSE(t, mpf_checksum_ok(&mpf));
	mpf.length = 1;
	mpf.checksum++;
	mpf.specification = 3;
	mpf.checksum++;
	KTEST_EXPECT_FALSE(t, mpf_checksum_ok(&mpf));
}

/* ---- synthetic topology ---- */

/*
 * bus 0: slot 5 bridge A (-> bus 1), slot 3 device d0 (INTA)
 * bus 1: slot 4 bridge B (-> bus 2), slot 2 device d1 (INTB)
 * bus 2: slot 3 device d2 (INTB)
 * d2 INTB -> B's INT((1 + 3) % 4 + 1 = A) -> A's INT((0 + 4) % 4 + 1 = A)
 * d1 INTB -> A's INT((1 + 2) % 4 + 1 = D)
 */
struct topo {
	struct pci_dev a, b, d0, d1, d2;
};

static void topo_dev(struct pci_dev *p, struct pci_dev *bridge, u8 bus, u8 slot, u8 pin)
{
	p->dev.bus = &pci_bus_type;
	p->dev.parent = bridge ? &bridge->dev : NULL;
	snprintf(p->dev.name, sizeof(p->dev.name), "synth:%02x:%02x.0", bus, slot);
	p->bus = bus;
	p->devfn = PCI_DEVFN(slot, 0);
	p->irq_pin = pin;
}

static void topo_init(struct topo *tp)
{
	memset(tp, 0, sizeof(*tp));
	topo_dev(&tp->a, NULL, 0, 5, 1);
	topo_dev(&tp->b, &tp->a, 1, 4, 1);
	topo_dev(&tp->d0, NULL, 0, 3, 1);
	topo_dev(&tp->d1, &tp->a, 1, 2, 2);
	topo_dev(&tp->d2, &tp->b, 2, 3, 2);
}

static void test_swizzle(struct ktest *t)
{
	struct topo *tp = kzalloc(sizeof(*tp), GFP_KERNEL);

	KTEST_ASSERT_NOT_NULL(t, tp);
	topo_init(tp);
	for (u8 slot = 0; slot < 32; slot++)
		for (u8 pin = 1; pin <= 4; pin++) {
			tp->d0.devfn = PCI_DEVFN(slot, 0);
			KTEST_EXPECT_EQ(t, pci_swizzle_interrupt_pin(&tp->d0, pin),
					(pin - 1 + slot) % 4 + 1);
		}
	KTEST_EXPECT_EQ(t, pci_swizzle_interrupt_pin(&tp->d2, 2), 1);
	KTEST_EXPECT_EQ(t, pci_swizzle_interrupt_pin(&tp->b, 1), 1);
	KTEST_EXPECT_EQ(t, pci_swizzle_interrupt_pin(&tp->d1, 2), 4);
	kfree(tp);
}

struct route_fixture {
	struct topo tp;
	struct mp_builder b;
	struct mp_config_info mp;
	struct madt_info madt;
	struct intx_chipset cs;
	struct pci_intx_route r;
};

static void test_route_walk(struct ktest *t)
{
	struct route_fixture *f = kzalloc(sizeof(*f), GFP_KERNEL);
	struct intx_env env;

	KTEST_ASSERT_NOT_NULL(t, f);
	topo_init(&f->tp);
	env = (struct intx_env){ .mp = &f->mp, .madt = &f->madt, .cs = &f->cs };
	f->madt.nr_ioapics = 2;
	f->madt.ioapics[0] = (struct madt_ioapic){ .id = 0, .gsi_base = 0 };
	f->madt.ioapics[1] = (struct madt_ioapic){ .id = 1, .gsi_base = 24 };
	/* MP: bus 0 (A's INTA -> pin 9 edge/high), bus 1 described, INTB of B's slot -> IOAPIC 1. */
	mpb_init(&f->b);
	mpb_bus(&f->b, 0, "PCI   ");
	mpb_bus(&f->b, 1, "PCI   ");
	mpb_ioapic(&f->b, 0);
	mpb_ioapic(&f->b, 1);
	mpb_intsrc(&f->b, 0, 5 << 2 | 0, 0, 9, MP_IRQPOL_ACTIVE_HIGH | MP_IRQTRIG_EDGE);
	mpb_intsrc(&f->b, 1, 4 << 2 | 1, 1, 3, 0);
	mpb_seal(&f->b);
	KTEST_ASSERT_EQ(t, mp_parse_config((void *)f->b.buf, f->b.len, &f->mp), 0);

	/* d2 INTB -> B INTA: bus 1 is described but has no B INTA: up to A INTA. */
	KTEST_EXPECT_EQ(t, intx_route(&env, &f->tp.d2, &f->r), 0);
	KTEST_EXPECT_EQ(t, f->r.source, PCI_INTX_SRC_MPTABLE);
	KTEST_EXPECT_EQ(t, f->r.bus, 0);
	KTEST_EXPECT_EQ(t, f->r.slot, 5);
	KTEST_EXPECT_EQ(t, f->r.pin, 1);
	KTEST_EXPECT_EQ(t, f->r.gsi, 9u);
	KTEST_EXPECT_EQ(t, f->r.trigger, ACPI_EDGE_SENSITIVE);
	KTEST_EXPECT_EQ(t, f->r.polarity, ACPI_ACTIVE_HIGH);
	/* B itself INTB (conforming flags: PCI level/low), on I/O APIC 1. */
	f->tp.b.irq_pin = 2;
	KTEST_EXPECT_EQ(t, intx_route(&env, &f->tp.b, &f->r), 0);
	KTEST_EXPECT_EQ(t, f->r.bus, 1);
	KTEST_EXPECT_EQ(t, f->r.gsi, 24u + 3);
	KTEST_EXPECT_EQ(t, f->r.trigger, ACPI_LEVEL_SENSITIVE);
	KTEST_EXPECT_EQ(t, f->r.polarity, ACPI_ACTIVE_LOW);
	/* A device on bus 2 whose pin reaches B's INTB is found on bus 1. */
	f->tp.d2.devfn = PCI_DEVFN(4, 0);	/* INTB -> (1 + 4) % 4 + 1 = B */
	KTEST_EXPECT_EQ(t, intx_route(&env, &f->tp.d2, &f->r), 0);
	KTEST_EXPECT_EQ(t, f->r.bus, 1);
	KTEST_EXPECT_EQ(t, f->r.gsi, 27u);

	/* d1 INTB -> A INTD: no MP entry, no chipset: not routable. */
	KTEST_EXPECT_EQ(t, intx_route(&env, &f->tp.d1, &f->r), -ENODEV);
	KTEST_EXPECT_EQ(t, f->r.source, PCI_INTX_SRC_NONE);
	/* PIIX: slot 5 INTD -> PIRQ[(5 + 4 - 2) % 4] = PIRQD -> ISA IRQ 11. */
	f->cs.type = INTX_CHIPSET_PIIX;
	memcpy(f->cs.pirq_route, "\x0a\x0a\x0b\x0b", 4);
	f->madt.nr_overrides = 1;
	f->madt.overrides[0] = (struct madt_override){ .bus_irq = 11, .gsi = 19, .flags = 0xf };
	KTEST_EXPECT_EQ(t, intx_route(&env, &f->tp.d1, &f->r), 0);
	KTEST_EXPECT_EQ(t, f->r.source, PCI_INTX_SRC_PIIX);
	KTEST_EXPECT_EQ(t, f->r.slot, 5);
	KTEST_EXPECT_EQ(t, f->r.pin, 4);
	KTEST_EXPECT_EQ(t, f->r.gsi, 19u);
	KTEST_EXPECT_EQ(t, f->r.trigger, ACPI_LEVEL_SENSITIVE);
	KTEST_EXPECT_EQ(t, f->r.polarity, ACPI_ACTIVE_LOW);
	f->cs.pirq_route[3] = 0x80;	/* PIRQD disabled */
	KTEST_EXPECT_EQ(t, intx_route(&env, &f->tp.d1, &f->r), -ENODEV);
	/* ICH9: slot 5 INTD -> PIRQ (5 + 3) % 4 + 4 = E -> GSI 20. */
	f->cs.type = INTX_CHIPSET_ICH9;
	KTEST_EXPECT_EQ(t, intx_route(&env, &f->tp.d1, &f->r), 0);
	KTEST_EXPECT_EQ(t, f->r.source, PCI_INTX_SRC_ICH9);
	KTEST_EXPECT_EQ(t, f->r.gsi, 20u);
	f->cs.dir[31] = 0x3210;
	f->tp.d0.devfn = PCI_DEVFN(31, 2);	/* SATA: INTA -> PIRQA by D31IR */
	f->tp.d0.irq_pin = 1;
	env.mp = NULL;
	KTEST_EXPECT_EQ(t, intx_route(&env, &f->tp.d0, &f->r), 0);
	KTEST_EXPECT_EQ(t, f->r.gsi, 16u);
	f->tp.d0.devfn = PCI_DEVFN(30, 0);	/* DMI bridge: INTB -> PIRQF */
	f->tp.d0.irq_pin = 2;
	KTEST_EXPECT_EQ(t, intx_route(&env, &f->tp.d0, &f->r), 0);
	KTEST_EXPECT_EQ(t, f->r.gsi, 21u);

	/* No pin, or a pin that is not INTA-INTD. */
	f->tp.d0.irq_pin = 0;
	KTEST_EXPECT_EQ(t, intx_route(&env, &f->tp.d0, &f->r), -ENOENT);
	f->tp.d0.irq_pin = 5;
	KTEST_EXPECT_EQ(t, intx_route(&env, &f->tp.d0, &f->r), -ENOENT);
	kfree(f);
}

/* ---- this machine ---- */

static void test_machine_routes(struct ktest *t)
{
	struct pci_dev *p = NULL;
	unsigned int n = 0, by_src[4] = { 0 };

	if (!acpi_madt_valid)
		KTEST_SKIP(t, "no MADT");
	while ((p = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, p))) {
		struct pci_intx_route r;
		u16 flags;

		if (!p->irq_pin)
			continue;
		n++;
		KTEST_EXPECT_EQ(t, pcibios_intx_route(p, &r), 0);
		KTEST_EXPECT_EQ(t, p->irq_gsi, r.gsi);
		KTEST_EXPECT_NE(t, p->irq, 0u);
		KTEST_EXPECT_EQ(t, p->irq_source, r.source);
		KTEST_EXPECT_NE(t, r.source, PCI_INTX_SRC_NONE);
		KTEST_EXPECT_TRUE(t, ioapic_gsi_valid(r.gsi));
		KTEST_EXPECT_EQ(t, r.trigger, ACPI_LEVEL_SENSITIVE);
		by_src[r.source & 3]++;
		ktest_log(t, "%s INT%c -> GSI %u %s (%02x:%02x INT%c), INTERRUPT_LINE %u",
			  dev_name(&p->dev), 'A' + p->irq_pin - 1, r.gsi,
			  pci_intx_source_name(r.source), r.bus, r.slot, 'A' + r.pin - 1,
			  p->irq_line);
		/* The firmware's ISA IRQ reaches the I/O APIC where we say. */
		if (r.source != PCI_INTX_SRC_ICH9 && p->irq_line && p->irq_line != 0xff)
			KTEST_EXPECT_EQ(t, intx_isa_irq_gsi(&acpi_madt, p->irq_line, &flags),
					r.gsi);
	}
	ktest_log(t, "%u functions with a pin: %u MP table, %u PIIX, %u ICH9", n,
		  by_src[PCI_INTX_SRC_MPTABLE], by_src[PCI_INTX_SRC_PIIX],
		  by_src[PCI_INTX_SRC_ICH9]);
	if (!n)
		KTEST_SKIP(t, "no PCI function has an interrupt pin");
}

/*
 * The route is where the interrupt really arrives: an edu raises
 * INTx (no MSI enabled), a handler on the routed line counts it and
 * acknowledges the device before the local APIC's EOI (level triggered:
 * the line must be low again by then, or it fires anew).  The line may
 * be shared with other functions, as PCI INTx lines are.
 */
#define EDU_IRQ_STATUS	0x24
#define EDU_IRQ_RAISE	0x60
#define EDU_IRQ_ACK	0x64

struct edu_intx {
	void __iomem *mmio;
	unsigned int count;
	u32 status;
};

static irqreturn_t edu_intx_handler(int irq, void *dev_id)
{
	struct edu_intx *e = dev_id;
	u32 st = readl(e->mmio + EDU_IRQ_STATUS);

	if (!st)
		return IRQ_NONE;
	writel(st, e->mmio + EDU_IRQ_ACK);
	WRITE_ONCE(e->status, st);
	WRITE_ONCE(e->count, e->count + 1);
	return IRQ_HANDLED;
}

/* Raise edu's INTx @n times; return how many handler runs counted. */
static unsigned int edu_intx_rounds(struct edu_intx *e, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		unsigned int before = READ_ONCE(e->count);

		writel(1u << (i % 8), e->mmio + EDU_IRQ_RAISE);
		for (int ms = 0; ms < 1000 && READ_ONCE(e->count) == before; ms++)
			mdelay(1);
		if (READ_ONCE(e->count) == before)
			break;
	}
	return READ_ONCE(e->count);
}

/* One edu: borrowed from its driver, 50 rounds on its line, given back. */
static void edu_intx_check(struct ktest *t, struct pci_dev *p)
{
	struct edu_intx e = { 0 };
	bool was_bound = p->dev.driver;
	int err;

	if (was_bound)
		device_release_driver(&p->dev);
	KTEST_EXPECT_EQ(t, pci_enable_device(p), 0);
	e.mmio = pci_iomap(p, 0);
	KTEST_EXPECT_NOT_NULL(t, e.mmio);
	if (!e.mmio)
		goto out;
	err = request_irq(p->irq, edu_intx_handler, IRQF_SHARED, "pci_intx-test", &e);
	KTEST_EXPECT_EQ(t, err, 0);
	if (!err) {
		KTEST_EXPECT_EQ(t, edu_intx_rounds(&e, 50), 50u);
		mdelay(5);	/* no extra run once acknowledged */
		KTEST_EXPECT_EQ(t, READ_ONCE(e.count), 50u);
		KTEST_EXPECT_EQ(t, readl(e.mmio + EDU_IRQ_STATUS), 0u);
		free_irq(p->irq, &e);
		ktest_log(t, "%s: 50 INTx on IRQ %u, GSI %u (%s)", dev_name(&p->dev), p->irq, p->irq_gsi,
			  pci_intx_source_name(p->irq_source));
	}
	pci_iounmap(p, e.mmio);
out:
	pci_disable_device(p);
	if (was_bound)
		KTEST_EXPECT_GE(t, device_attach(&p->dev), 0);
}

static void test_edu_intx_delivered(struct ktest *t)
{
	struct pci_dev *p = NULL;
	unsigned int n = 0;

	if (!acpi_madt_valid)
		KTEST_SKIP(t, "no MADT: the I/O APIC is not set up");
	while ((p = pci_get_device(0x1234, 0x11e8, p))) {
		if (p->irq_source == PCI_INTX_SRC_NONE || !p->irq)
			continue;
		edu_intx_check(t, p);
		n++;
	}
	if (!n)
		KTEST_SKIP(t, "no routed edu");
}

/* Where the MP table answers for a root-bus slot, the chipset's wiring agrees. */
static void test_fallback_agrees(struct ktest *t)
{
	struct intx_env env = { .mp = NULL, .madt = &acpi_madt, .cs = &intx_chipset };
	struct pci_dev *p = NULL;
	unsigned int n = 0;

	if (!acpi_madt_valid)
		KTEST_SKIP(t, "no MADT");
	if (intx_chipset.type == INTX_CHIPSET_NONE)
		KTEST_SKIP(t, "no known south bridge");
	while ((p = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, p))) {
		struct pci_intx_route r;

		if (!p->irq_pin || p->irq_source != PCI_INTX_SRC_MPTABLE)
			continue;
		KTEST_EXPECT_EQ(t, intx_route(&env, p, &r), 0);
		if (r.source == PCI_INTX_SRC_ICH9) {
			/* The MP table names the PIRQ's ISA copy; compare with the register. */
			u8 route = intx_chipset.pirq_route[r.gsi - ICH9_PIRQ_GSI_BASE];
			u16 flags;

			KTEST_EXPECT_EQ(t, intx_isa_irq_gsi(&acpi_madt, route & PIRQ_ROUTE_IRQ,
							    &flags), p->irq_gsi);
		} else {
			KTEST_EXPECT_EQ(t, r.gsi, p->irq_gsi);
		}
		n++;
	}
	ktest_log(t, "%u MP table routes checked against the chipset's wiring", n);
	if (!n)
		KTEST_SKIP(t, "the MP table routes nothing here");
}

/* Functions behind a bridge are answered for at a root-bus slot. */
static void test_behind_bridge(struct ktest *t)
{
	struct pci_dev *p = NULL;
	unsigned int n = 0;

	while ((p = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, p))) {
		struct pci_intx_route r;

		if (!p->irq_pin || p->bus == 0)
			continue;
		KTEST_EXPECT_EQ(t, pcibios_intx_route(p, &r), 0);
		if (!intx_mp_bus_described(r.bus))
			KTEST_EXPECT_EQ(t, r.bus, 0);
		ktest_log(t, "%s INT%c -> %02x:%02x INT%c -> GSI %u (%s)", dev_name(&p->dev),
			  'A' + p->irq_pin - 1, r.bus, r.slot, 'A' + r.pin - 1, r.gsi,
			  pci_intx_source_name(r.source));
		n++;
	}
	if (!n)
		KTEST_SKIP(t, "no function with a pin behind a bridge");
}

static struct ktest_case pci_intx_cases[] = {
	KTEST_CASE(test_mp_parse_good),
	KTEST_CASE(test_mp_parse_refuses),
	KTEST_CASE(test_mpf_checks),
	KTEST_CASE(test_swizzle),
	KTEST_CASE(test_route_walk),
	KTEST_CASE(test_machine_routes),
	KTEST_CASE(test_fallback_agrees),
	KTEST_CASE(test_behind_bridge),
	KTEST_CASE(test_edu_intx_delivered),
	{}
};

static struct ktest_suite pci_intx_suite = {
	.name = "pci_intx",
	.cases = pci_intx_cases,
};
KTEST_SUITE(pci_intx_suite);
