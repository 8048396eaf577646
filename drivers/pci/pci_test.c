// SPDX-License-Identifier: GPL-2.0
/*
 * PCI tests: enumeration against an independent brute-force scan of bus 0,
 * the host and ISA bridges every PC emulator has (QEMU and Bochs: i440FX +
 * PIIX), the functions the harness asked for (pci_expect=vvvv:dddd,... on
 * the command line: scripts/ktest-qemu.sh passes the edu device), BAR
 * sizes and alignment, config-space errors, ECAM against mechanism #1,
 * MCFG parsing, ID-table matching and a class-matched driver binding.
 */
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/page_alloc.h>
#include <exo/pci.h>
#include <exo/string.h>

#define MAX_EXPECT	8
static u32 expect_ids[MAX_EXPECT];	/* vendor << 16 | device */
static unsigned int nr_expect;

static int hex4(const char *s, u32 *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*v |= (c | 0x20) - 'a' + 10;
		else
			return -EINVAL;
	}
	return 0;
}

/* All of the list or nothing: a bad entry leaves the previous list. */
static int __init pci_expect_setup(const char *val)
{
	u32 ids[MAX_EXPECT];
	unsigned int n = 0;

	do {
		u32 v, d;

		if (n == MAX_EXPECT || strnlen(val, 9) < 9 || val[4] != ':' ||
		    hex4(val, &v) || hex4(val + 5, &d) || (val[9] && val[9] != ','))
			return -EINVAL;
		ids[n++] = v << 16 | d;
		val += 9;
	} while (*val++ == ',');
	memcpy(expect_ids, ids, n * sizeof(ids[0]));
	nr_expect = n;
	return 0;
}
__setup_desc("pci_expect=", pci_expect_setup, "vvvv:dddd[,vvvv:dddd...], at most 8");

static struct pci_dev *find_slot(u8 bus, u8 devfn)
{
	struct pci_dev *p = NULL;

	while ((p = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, p)))
		if (p->bus == bus && p->devfn == devfn)
			return p;
	return NULL;
}

static struct pci_dev *find_class(u32 class16)
{
	struct pci_dev *p = NULL;

	while ((p = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, p)))
		if ((p->class >> 8) == class16)
			return p;
	return NULL;
}

static void test_host_and_isa_bridges(struct ktest *t)
{
	struct pci_dev *host, *isa;

	KTEST_ASSERT_GT(t, pci_nr_devices(), 1u);
	host = find_slot(0, 0);
	KTEST_ASSERT_NOT_NULL(t, host);
	KTEST_EXPECT_EQ(t, host->class >> 8, (u32)PCI_CLASS_BRIDGE_HOST);
	KTEST_EXPECT_EQ(t, host->vendor, 0x8086);
	KTEST_EXPECT_EQ(t, strcmp(dev_name(&host->dev), "0000:00:00.0"), 0);
	KTEST_EXPECT_EQ(t, strcmp(dev_name(host->dev.parent), "pci0000:00"), 0);
	ktest_log(t, "host bridge %04x:%04x", host->vendor, host->device);
	put_device(&host->dev);
	isa = find_class(PCI_CLASS_BRIDGE_ISA);
	KTEST_ASSERT_NOT_NULL(t, isa);
	KTEST_EXPECT_EQ(t, isa->vendor, 0x8086);
	ktest_log(t, "ISA bridge %04x:%04x at %s", isa->vendor, isa->device, dev_name(&isa->dev));
	put_device(&isa->dev);
}

static void test_expected_devices(struct ktest *t)
{
	if (!nr_expect)
		KTEST_SKIP(t, "no pci_expect= on the command line");
	for (unsigned int i = 0; i < nr_expect; i++) {
		u32 vendor = expect_ids[i] >> 16, device = expect_ids[i] & 0xffff;
		struct pci_dev *p = pci_get_device(vendor, device, NULL);

		KTEST_EXPECT_NOT_NULL(t, p);
		if (!p)
			ktest_log(t, "missing %04x:%04x", vendor, device);
		put_device(p ? &p->dev : NULL);
	}
}

/* Independent scan of bus 0 by mechanism #1: same functions, same IDs. */
static void test_bus0_matches_brute_force(struct ktest *t)
{
	unsigned int found = 0;

	for (u8 slot = 0; slot < 32; slot++) {
		u32 hdr;

		for (u8 fn = 0; fn < 8; fn++) {
			u32 id;
			struct pci_dev *p;

			pci_conf1_read(0, PCI_DEVFN(slot, fn), PCI_VENDOR_ID, 4, &id);
			if ((id & 0xffff) == 0xffff) {
				if (!fn)
					break;
				continue;
			}
			if (!fn)
				pci_conf1_read(0, PCI_DEVFN(slot, 0), PCI_HEADER_TYPE, 1, &hdr);
			p = find_slot(0, PCI_DEVFN(slot, fn));
			KTEST_EXPECT_NOT_NULL(t, p);
			if (p) {
				KTEST_EXPECT_EQ(t, p->vendor, id & 0xffff);
				KTEST_EXPECT_EQ(t, p->device, id >> 16);
				put_device(&p->dev);
			}
			found++;
			if (!(hdr & PCI_HEADER_MULTIFUNC))
				break;
		}
	}
	KTEST_EXPECT_GT(t, found, 1u);
	KTEST_EXPECT_LE(t, found, pci_nr_devices());
}

static void test_bars(struct ktest *t)
{
	struct pci_dev *p = NULL;
	unsigned int bars = 0;

	while ((p = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, p))) {
		for (unsigned int i = 0; i < PCI_NUM_BARS; i++) {
			const struct resource *r = &p->resource[i];
			u64 size = pci_resource_len(p, i);
			u32 reg;

			if (!r->flags)
				continue;
			bars++;
			KTEST_EXPECT_TRUE(t, is_power_of_2(size));
			KTEST_EXPECT_EQ(t, r->start & (size - 1), 0ull);
			/* Sizing restored the BAR: it still holds the base. */
			pci_read_config_dword(p, PCI_BASE_ADDRESS_0 + 4 * i, &reg);
			if (r->flags & IORESOURCE_IO) {
				KTEST_EXPECT_EQ(t, reg & ~3u, (u32)r->start);
				KTEST_EXPECT_GE(t, size, 4ull);
			} else {
				KTEST_EXPECT_EQ(t, reg & ~0xfu, (u32)r->start);
				KTEST_EXPECT_GE(t, size, 16ull);
			}
			if (r->flags & IORESOURCE_MEM_64)
				i++;
		}
		if (p->vendor == 0x1234 && p->device == 0x11e8) {
			KTEST_EXPECT_EQ(t, pci_resource_len(p, 0), 1ull << 20);
			KTEST_EXPECT_TRUE(t, pci_resource_flags(p, 0) & IORESOURCE_MEM);
		}
		if (p->resource[PCI_IRQ_RESOURCE].flags) {
			KTEST_EXPECT_EQ(t, p->resource[PCI_IRQ_RESOURCE].start, (u64)p->irq_line);
			KTEST_EXPECT_LT(t, p->irq_line, 16);
		}
	}
	KTEST_EXPECT_GT(t, bars, 0u);
}

static void test_config_errors(struct ktest *t)
{
	u32 v = 0x1234;

	KTEST_EXPECT_EQ(t, pci_bus_read_config(0, 0, 0, 0, 3, &v), -EINVAL);
	KTEST_EXPECT_EQ(t, pci_bus_read_config(0, 0, 0, 2, 4, &v), -EINVAL);
	KTEST_EXPECT_EQ(t, pci_bus_read_config(0, 0, 0, 1, 2, &v), -EINVAL);
	KTEST_EXPECT_EQ(t, pci_conf1_read(0, 0, 256, 4, &v), -EINVAL);
	KTEST_EXPECT_EQ(t, v, 0x1234u);		/* untouched on error */
	KTEST_EXPECT_EQ(t, pci_bus_read_config(7, 0, 0, 0, 4, &v), -ENODEV);
	/* A slot nobody occupies reads all ones. */
	KTEST_EXPECT_EQ(t, pci_conf1_read(0xfe, PCI_DEVFN(31, 7), 0, 4, &v), 0);
	KTEST_EXPECT_EQ(t, v, 0xffffffffu);
}

static void test_ecam_matches_conf1(struct ktest *t)
{
	struct pci_dev *p = NULL;

	if (!pci_ecam_active())
		KTEST_SKIP(t, "no MCFG/ECAM on this machine");
	while ((p = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, p)))
		for (unsigned int off = 0; off < 64; off += 4) {
			u32 a, b;

			pci_conf1_read(p->bus, p->devfn, off, 4, &a);
			pci_bus_read_config(0, p->bus, p->devfn, off, 4, &b);
			if (off != PCI_COMMAND)	/* status bits may change */
				KTEST_EXPECT_EQ(t, a, b);
		}
}

static void mcfg_build(u8 *t, u32 nent, u64 base, u8 sbus, u8 ebus)
{
	u32 len = 44 + 16 * nent;
	u8 sum = 0;

	memset(t, 0, len);
	memcpy(t, "MCFG", 4);
	memcpy(t + 4, &len, 4);
	for (u32 i = 0; i < nent; i++) {
		u64 b = base + i * (256ULL << 20);
		u16 seg = i;

		memcpy(t + 44 + 16 * i, &b, 8);
		memcpy(t + 44 + 16 * i + 8, &seg, 2);
		t[44 + 16 * i + 10] = sbus;
		t[44 + 16 * i + 11] = ebus;
	}
	for (u32 i = 0; i < len; i++)
		sum += t[i];
	t[9] = -sum;				/* checksum byte of the ACPI header */
}

static void test_mcfg_parse(struct ktest *t)
{
	struct pci_mcfg_region r[4];
	u8 tbl[44 + 16 * 3];

	mcfg_build(tbl, 2, 0xb0000000, 0, 255);
	KTEST_ASSERT_EQ(t, pci_mcfg_parse(tbl, sizeof(tbl), r, 4), 2);
	KTEST_EXPECT_EQ(t, r[0].base, 0xb0000000ull);
	KTEST_EXPECT_EQ(t, r[1].base, 0xc0000000ull);
	KTEST_EXPECT_EQ(t, r[1].segment, 1);
	KTEST_EXPECT_EQ(t, r[0].end_bus, 255);
	KTEST_EXPECT_EQ(t, pci_mcfg_parse(tbl, sizeof(tbl), r, 1), 1);
	KTEST_EXPECT_EQ(t, pci_mcfg_parse(tbl, 50, r, 4), -EINVAL);	/* truncated */
	tbl[20] ^= 1;
	KTEST_EXPECT_EQ(t, pci_mcfg_parse(tbl, sizeof(tbl), r, 4), -EINVAL);	/* checksum */
	mcfg_build(tbl, 1, 0xb0000000, 5, 4);
	KTEST_EXPECT_EQ(t, pci_mcfg_parse(tbl, sizeof(tbl), r, 4), -EINVAL);	/* end < start */
	mcfg_build(tbl, 1, 0xb0001000, 0, 4);
	KTEST_EXPECT_EQ(t, pci_mcfg_parse(tbl, sizeof(tbl), r, 4), -EINVAL);	/* misaligned */
	memcpy(tbl, "APIC", 4);
	KTEST_EXPECT_EQ(t, pci_mcfg_parse(tbl, sizeof(tbl), r, 4), -EINVAL);
}

static void test_match_id(struct ktest *t)
{
	static const struct pci_device_id ids[] = {
		{ PCI_DEVICE(0x1234, 0x11e8), .driver_data = 1 },
		{ PCI_DEVICE_CLASS(0x060100, 0xffff00), .driver_data = 2 },
		{ .vendor = 0x8086, .device = PCI_ANY_ID, .subvendor = 0x1af4,
		  .subdevice = PCI_ANY_ID, .driver_data = 3 },
		{ }
	};
	struct pci_dev d = { .vendor = 0x1234, .device = 0x11e8, .class = 0x00ff00 };

	KTEST_EXPECT_EQ(t, pci_match_id(ids, &d)->driver_data, 1ul);
	d.device = 0x1111;
	KTEST_EXPECT_NULL(t, pci_match_id(ids, &d));
	d.class = 0x060180;			/* ISA bridge, any prog-if */
	KTEST_EXPECT_EQ(t, pci_match_id(ids, &d)->driver_data, 2ul);
	d.class = 0x060000;
	d.vendor = 0x8086;
	d.subsystem_vendor = 0x1af4;
	KTEST_EXPECT_EQ(t, pci_match_id(ids, &d)->driver_data, 3ul);
	d.subsystem_vendor = 0x1234;
	KTEST_EXPECT_NULL(t, pci_match_id(ids, &d));
	KTEST_EXPECT_NULL(t, pci_match_id(NULL, &d));
}

static struct pci_dev *isa_probed;
static int isa_removes;

static int kt_isa_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	if (pdev->dev.driver == NULL || id->driver_data != 42)
		return -EINVAL;
	isa_probed = pdev;
	pci_set_drvdata(pdev, &isa_probed);
	return 0;
}

static void kt_isa_remove(struct pci_dev *pdev)
{
	isa_removes++;
}

static const struct pci_device_id kt_isa_ids[] = {
	{ PCI_DEVICE_CLASS(PCI_CLASS_BRIDGE_ISA << 8, 0xffff00), .driver_data = 42 },
	{ }
};

static struct pci_driver kt_isa_driver = {
	.name = "kt-isa",
	.id_table = kt_isa_ids,
	.probe = kt_isa_probe,
	.remove = kt_isa_remove,
};

static void test_class_driver_binds(struct ktest *t)
{
	struct pci_driver bad = { .name = "kt-bad", .probe = kt_isa_probe };
	unsigned long before = ktest_settled_free_pages();
	struct pci_dev *isa = find_class(PCI_CLASS_BRIDGE_ISA);

	KTEST_ASSERT_NOT_NULL(t, isa);
	put_device(&isa->dev);
	if (isa->dev.driver)
		KTEST_SKIP(t, "the ISA bridge already has a driver");
	KTEST_EXPECT_EQ(t, pci_register_driver(&bad), -EINVAL);
	isa_probed = NULL;
	isa_removes = 0;
	KTEST_ASSERT_EQ(t, pci_register_driver(&kt_isa_driver), 0);
	KTEST_EXPECT_TRUE(t, isa_probed == isa);
	KTEST_EXPECT_TRUE(t, isa->dev.driver == &kt_isa_driver.driver);
	KTEST_EXPECT_TRUE(t, pci_get_drvdata(isa) == &isa_probed);
	pci_unregister_driver(&kt_isa_driver);
	KTEST_EXPECT_EQ(t, isa_removes, 1);
	KTEST_EXPECT_NULL(t, isa->dev.driver);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), before);
}

static struct ktest_case pci_cases[] = {
	KTEST_CASE(test_host_and_isa_bridges),
	KTEST_CASE(test_expected_devices),
	KTEST_CASE(test_bus0_matches_brute_force),
	KTEST_CASE(test_bars),
	KTEST_CASE(test_config_errors),
	KTEST_CASE(test_ecam_matches_conf1),
	KTEST_CASE(test_mcfg_parse),
	KTEST_CASE(test_match_id),
	KTEST_CASE(test_class_driver_binds),
	{}
};

static struct ktest_suite pci_suite = {
	.name = "pci",
	.cases = pci_cases,
};
KTEST_SUITE(pci_suite);
