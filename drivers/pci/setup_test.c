// SPDX-License-Identifier: GPL-2.0
/*
 * PCI setup tests: capability walks on a synthetic config space (loops,
 * pointers into the header, misaligned pointers, extended lists) and on
 * QEMU's devices (edu's MSI; on q35 e1000e's PM, PCIe, MSI-X and extended
 * capabilities), power state and the enable count, the raw MSI/MSI-X
 * layer (messages, masks, enable bits, a table outside its BAR), BAR
 * claims, and the managed pcim_/devm_ calls released by an unbind, on
 * pci-testdev (memory, I/O and 64-bit prefetchable BARs); BAR placement
 * in a synthetic bridge's windows for hot-added functions.
 */
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/msi.h>
#include <exo/page_alloc.h>
#include <exo/pci.h>
#include <exo/shell.h>
#include <exo/string.h>
#include <exo/time.h>
#include <asm/io.h>
#include "pci.h"

/* A function whose config space is an array: every access is checked. */
struct fake_pci {
	struct pci_dev pdev;
	u8 cfg[PCI_CFG_SPACE_EXP_SIZE];
	bool pm_stuck;			/* PMCSR ignores writes */
};

#define to_fake(p)	container_of(p, struct fake_pci, pdev)

static int fake_read(struct pci_dev *pdev, unsigned int where, unsigned int size, u32 *val)
{
	struct fake_pci *f = to_fake(pdev);

	if (where + size > pdev->cfg_size || (where & (size - 1)))
		return -EINVAL;
	*val = 0;
	memcpy(val, f->cfg + where, size);
	return 0;
}

static int fake_write(struct pci_dev *pdev, unsigned int where, unsigned int size, u32 val)
{
	struct fake_pci *f = to_fake(pdev);

	if (where + size > pdev->cfg_size || (where & (size - 1)))
		return -EINVAL;
	if (f->pm_stuck && pdev->pm_cap && where == pdev->pm_cap + PCI_PM_CTRL)
		return 0;
	memcpy(f->cfg + where, &val, size);
	return 0;
}

static const struct pci_cfg_ops fake_ops = { .read = fake_read, .write = fake_write };

static struct fake_pci fake;

static struct pci_dev *fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.pdev.cfg_ops = &fake_ops;
	fake.pdev.cfg_size = PCI_CFG_SPACE_SIZE;
	dev_set_name(&fake.pdev.dev, "fake:00:00.0");
	fake.cfg[PCI_STATUS] = PCI_STATUS_CAP_LIST;
	return &fake.pdev;
}

static void fake_cap(u8 pos, u8 id, u8 next)
{
	fake.cfg[pos] = id;
	fake.cfg[pos + 1] = next;
}

static void fake_ext_cap(u16 pos, u16 id, u16 next)
{
	u32 h = id | 1u << 16 | (u32)next << 20;

	memcpy(fake.cfg + pos, &h, 4);
}

static void test_cap_walk_synthetic(struct ktest *t)
{
	struct pci_dev *p = fake_reset();

	fake.cfg[PCI_CAPABILITY_LIST] = 0x40;
	fake_cap(0x40, PCI_CAP_ID_PM, 0x50);
	fake_cap(0x50, PCI_CAP_ID_VNDR, 0x60);
	fake_cap(0x60, PCI_CAP_ID_MSI, 0x70);
	fake_cap(0x70, PCI_CAP_ID_VNDR, 0x00);
	KTEST_EXPECT_EQ(t, pci_find_capability(p, PCI_CAP_ID_PM), 0x40);
	KTEST_EXPECT_EQ(t, pci_find_capability(p, PCI_CAP_ID_MSI), 0x60);
	KTEST_EXPECT_EQ(t, pci_find_capability(p, PCI_CAP_ID_VNDR), 0x50);
	KTEST_EXPECT_EQ(t, pci_find_next_capability(p, 0x50, PCI_CAP_ID_VNDR), 0x70);
	KTEST_EXPECT_EQ(t, pci_find_next_capability(p, 0x70, PCI_CAP_ID_VNDR), 0);
	KTEST_EXPECT_EQ(t, pci_find_capability(p, PCI_CAP_ID_MSIX), 0);
	/* No Capabilities List bit in the status register: no list. */
	fake.cfg[PCI_STATUS] = 0;
	KTEST_EXPECT_EQ(t, pci_find_capability(p, PCI_CAP_ID_PM), 0);
	fake.cfg[PCI_STATUS] = PCI_STATUS_CAP_LIST;
	/* A loop ends after the TTL. */
	fake_cap(0x70, PCI_CAP_ID_VNDR, 0x40);
	KTEST_EXPECT_EQ(t, pci_find_capability(p, PCI_CAP_ID_MSIX), 0);
	KTEST_EXPECT_EQ(t, pci_find_capability(p, PCI_CAP_ID_MSI), 0x60);
	/* A self-loop too. */
	fake_cap(0x40, PCI_CAP_ID_PM, 0x40);
	KTEST_EXPECT_EQ(t, pci_find_capability(p, PCI_CAP_ID_EXP), 0);
	/* Into the header: refused.  Bits 1:0 are reserved: masked, as Linux does. */
	fake_cap(0x40, PCI_CAP_ID_PM, 0x10);
	KTEST_EXPECT_EQ(t, pci_find_capability(p, PCI_CAP_ID_MSI), 0);
	fake_cap(0x40, PCI_CAP_ID_PM, 0x53);
	fake_cap(0x70, PCI_CAP_ID_VNDR, 0);
	KTEST_EXPECT_EQ(t, pci_find_capability(p, PCI_CAP_ID_MSI), 0x60);
	KTEST_EXPECT_EQ(t, pci_find_next_capability(p, 0x40, PCI_CAP_ID_VNDR), 0x50);
	fake.cfg[PCI_CAPABILITY_LIST] = 0x41;
	KTEST_EXPECT_EQ(t, pci_find_capability(p, PCI_CAP_ID_PM), 0x40);
	fake.cfg[PCI_CAPABILITY_LIST] = 0x3e;
	KTEST_EXPECT_EQ(t, pci_find_capability(p, PCI_CAP_ID_PM), 0);
	fake.cfg[PCI_CAPABILITY_LIST] = 0xff;
	KTEST_EXPECT_EQ(t, pci_find_capability(p, PCI_CAP_ID_PM), 0);
}

static void test_ext_cap_walk_synthetic(struct ktest *t)
{
	struct pci_dev *p = fake_reset();

	fake_ext_cap(0x100, PCI_EXT_CAP_ID_ERR, 0x140);
	fake_ext_cap(0x140, PCI_EXT_CAP_ID_VNDR, 0x180);
	fake_ext_cap(0x180, PCI_EXT_CAP_ID_DSN, 0x1c0);
	fake_ext_cap(0x1c0, PCI_EXT_CAP_ID_VNDR, 0);
	/* 256 bytes of config space (mechanism #1, or conventional PCI): none. */
	KTEST_EXPECT_EQ(t, pci_find_ext_capability(p, PCI_EXT_CAP_ID_ERR), 0);
	p->cfg_size = PCI_CFG_SPACE_EXP_SIZE;
	KTEST_EXPECT_EQ(t, pci_find_ext_capability(p, PCI_EXT_CAP_ID_ERR), 0x100);
	KTEST_EXPECT_EQ(t, pci_find_ext_capability(p, PCI_EXT_CAP_ID_DSN), 0x180);
	KTEST_EXPECT_EQ(t, pci_find_ext_capability(p, PCI_EXT_CAP_ID_VNDR), 0x140);
	KTEST_EXPECT_EQ(t, pci_find_next_ext_capability(p, 0x140, PCI_EXT_CAP_ID_VNDR), 0x1c0);
	KTEST_EXPECT_EQ(t, pci_find_next_ext_capability(p, 0x1c0, PCI_EXT_CAP_ID_VNDR), 0);
	KTEST_EXPECT_EQ(t, pci_find_ext_capability(p, 0x15), 0);
	/* A start outside extended space or misaligned is refused. */
	KTEST_EXPECT_EQ(t, pci_find_next_ext_capability(p, 0x40, PCI_EXT_CAP_ID_DSN), 0);
	KTEST_EXPECT_EQ(t, pci_find_next_ext_capability(p, 0x102, PCI_EXT_CAP_ID_DSN), 0);
	/* A loop ends; a pointer below 0x100 ends the walk; bits 1:0 are masked. */
	fake_ext_cap(0x1c0, PCI_EXT_CAP_ID_VNDR, 0x100);
	KTEST_EXPECT_EQ(t, pci_find_ext_capability(p, 0x15), 0);
	fake_ext_cap(0x140, PCI_EXT_CAP_ID_VNDR, 0x080);
	KTEST_EXPECT_EQ(t, pci_find_ext_capability(p, PCI_EXT_CAP_ID_DSN), 0);
	fake_ext_cap(0x140, PCI_EXT_CAP_ID_VNDR, 0x182);
	KTEST_EXPECT_EQ(t, pci_find_ext_capability(p, PCI_EXT_CAP_ID_DSN), 0x180);
	/* An empty extended space (header 0) has no capabilities. */
	memset(fake.cfg + 0x100, 0, 4);
	KTEST_EXPECT_EQ(t, pci_find_ext_capability(p, PCI_EXT_CAP_ID_ERR), 0);
}

/*
 * lspci -v walks one hop per find call: a looping list must still end, after
 * at most as many entries as the space holds.
 */
static void test_lspci_caps_loop(struct ktest *t)
{
	/* Write each entry in turn; where want is set, lspci must print that many. */
	static const struct {
		u16 pos, id, next;
		unsigned int want;
	} steps[] = {
		{ 0x40, PCI_CAP_ID_PM, 0x50, 0 },
		{ 0x50, PCI_CAP_ID_VNDR, 0, 2 },
		{ 0x40, PCI_CAP_ID_VNDR, 0x40, PCI_FIND_CAP_TTL },	/* self-loop */
		{ 0x40, PCI_CAP_ID_VNDR, 0x50, 0 },
		{ 0x50, PCI_CAP_ID_VNDR, 0x40, PCI_FIND_CAP_TTL },	/* 0x40 <-> 0x50 */
		/* Extended (the standard list is switched off first). */
		{ 0x100, PCI_EXT_CAP_ID_ERR, 0x140, 0 },
		{ 0x140, PCI_EXT_CAP_ID_VNDR, 0, 2 },
		{ 0x140, PCI_EXT_CAP_ID_VNDR, 0x100, PCI_EXT_CAP_TTL },	/* 0x100 <-> 0x140 */
		/* A self-loop ends inside the find call: printed once. */
		{ 0x100, PCI_EXT_CAP_ID_ERR, 0x100, 1 },
	};
	struct pci_dev *p = fake_reset();

	fake.cfg[PCI_CAPABILITY_LIST] = 0x40;
	p->cfg_size = PCI_CFG_SPACE_EXP_SIZE;
	for (unsigned int i = 0; i < ARRAY_SIZE(steps); i++) {
		if (steps[i].pos >= PCI_CFG_SPACE_SIZE) {
			fake.cfg[PCI_STATUS] = 0;
			fake_ext_cap(steps[i].pos, steps[i].id, steps[i].next);
		} else {
			fake_cap(steps[i].pos, steps[i].id, steps[i].next);
		}
		if (steps[i].want)
			KTEST_EXPECT_EQ(t, lspci_caps(p), steps[i].want);
	}
}

static u16 fake_word(unsigned int where)
{
	u16 v;

	memcpy(&v, fake.cfg + where, 2);
	return v;
}

static void test_enable_count_and_d0(struct ktest *t)
{
	struct pci_dev *p = fake_reset();
	u64 t0, elapsed;

	fake.cfg[PCI_CAPABILITY_LIST] = 0x40;
	fake_cap(0x40, PCI_CAP_ID_PM, 0);
	fake.cfg[0x40 + PCI_PM_CTRL] = PCI_D3hot;
	p->pm_cap = pci_find_capability(p, PCI_CAP_ID_PM);
	p->resource[0].flags = IORESOURCE_MEM;
	p->resource[0].start = 0xfe000000;
	p->resource[0].end = 0xfe000fff;
	KTEST_ASSERT_EQ(t, p->pm_cap, 0x40);

	t0 = ktime_get_ns();
	KTEST_ASSERT_EQ(t, pci_enable_device(p), 0);
	elapsed = ktime_get_ns() - t0;
	KTEST_EXPECT_EQ(t, fake.cfg[0x40 + PCI_PM_CTRL] & PCI_PM_CTRL_STATE_MASK, PCI_D0);
	KTEST_EXPECT_EQ(t, p->current_state, PCI_D0);
	KTEST_EXPECT_GE(t, elapsed, PCI_PM_D3HOT_WAIT * NSEC_PER_MSEC);
	KTEST_EXPECT_EQ(t, fake_word(PCI_COMMAND), PCI_COMMAND_MEMORY);
	KTEST_EXPECT_TRUE(t, pci_is_enabled(p));
	pci_set_master(p);
	KTEST_EXPECT_TRUE(t, p->is_busmaster);
	/* The second enable only counts. */
	fake.cfg[0x40 + PCI_PM_CTRL] = PCI_D3hot;
	KTEST_EXPECT_EQ(t, pci_enable_device(p), 0);
	KTEST_EXPECT_EQ(t, fake.cfg[0x40 + PCI_PM_CTRL] & 3, PCI_D3hot);
	fake.cfg[0x40 + PCI_PM_CTRL] = PCI_D0;
	pci_disable_device(p);
	KTEST_EXPECT_TRUE(t, pci_is_enabled(p));
	KTEST_EXPECT_EQ(t, fake_word(PCI_COMMAND), PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	pci_disable_device(p);
	KTEST_EXPECT_FALSE(t, pci_is_enabled(p));
	KTEST_EXPECT_EQ(t, fake_word(PCI_COMMAND), PCI_COMMAND_MEMORY);
	KTEST_EXPECT_FALSE(t, p->is_busmaster);
	/* Unbalanced: logged, the count stays at 0. */
	pci_disable_device(p);
	KTEST_EXPECT_EQ(t, atomic_read(&p->enable_cnt), 0);

	/* A state that does not stick fails the enable, and is not counted. */
	fake.cfg[0x40 + PCI_PM_CTRL] = PCI_D3hot;
	fake.pm_stuck = true;
	KTEST_EXPECT_EQ(t, pci_enable_device(p), -EIO);
	KTEST_EXPECT_EQ(t, atomic_read(&p->enable_cnt), 0);
	fake.pm_stuck = false;
	KTEST_EXPECT_EQ(t, pci_set_power_state(p, 4), -EINVAL);
	KTEST_EXPECT_EQ(t, pci_set_power_state(p, PCI_D2), 0);
	KTEST_EXPECT_EQ(t, pci_set_power_state(p, PCI_D0), 0);
	/* Without PM, D0 is the only state. */
	p->pm_cap = 0;
	KTEST_EXPECT_EQ(t, pci_set_power_state(p, PCI_D0), 0);
	KTEST_EXPECT_EQ(t, pci_set_power_state(p, PCI_D3hot), -EIO);
	pci_intx(p, 0);
	KTEST_EXPECT_TRUE(t, fake_word(PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE);
	pci_intx(p, 1);
	KTEST_EXPECT_FALSE(t, fake_word(PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE);
}

static void test_msi_synthetic(struct ktest *t)
{
	struct pci_dev *p = fake_reset();
	struct msi_msg msg = { .address_lo = 0xfee01000, .address_hi = 1, .data = 0x4041 };
	struct pci_msi_info mi;
	u32 mask;

	/* 32-bit address, per-vector masking, 4 vectors capable. */
	fake.cfg[PCI_CAPABILITY_LIST] = 0x50;
	fake_cap(0x50, PCI_CAP_ID_MSI, 0);
	fake.cfg[0x50 + PCI_MSI_FLAGS] = 2 << 1;
	fake.cfg[0x50 + PCI_MSI_FLAGS + 1] = PCI_MSI_FLAGS_MASKBIT >> 8;
	p->msi_cap = pci_find_capability(p, PCI_CAP_ID_MSI);
	KTEST_ASSERT_EQ(t, pci_msi_read_info(p, &mi), 0);
	KTEST_EXPECT_EQ(t, mi.nvec_capable, 4u);
	KTEST_EXPECT_FALSE(t, mi.is_64bit);
	KTEST_EXPECT_TRUE(t, mi.maskable);
	KTEST_EXPECT_EQ(t, pci_msi_vec_count(p), 4);
	KTEST_EXPECT_EQ(t, pci_msi_write_msg(p, &msg), -EINVAL);	/* address_hi */
	msg.address_hi = 0;
	KTEST_EXPECT_EQ(t, pci_msi_write_msg(p, &msg), 0);
	KTEST_EXPECT_EQ(t, fake_word(0x50 + PCI_MSI_DATA_32), 0x4041);
	KTEST_EXPECT_EQ(t, pci_msi_set_mask(p, 2, true), 0);
	memcpy(&mask, fake.cfg + 0x50 + PCI_MSI_MASK_32, 4);
	KTEST_EXPECT_EQ(t, mask, 4u);
	KTEST_EXPECT_EQ(t, pci_msi_masked(p, 2), 1);
	KTEST_EXPECT_EQ(t, pci_msi_masked(p, 1), 0);
	KTEST_EXPECT_EQ(t, pci_msi_set_mask(p, 4, true), -EINVAL);
	KTEST_EXPECT_EQ(t, pci_msi_set_mask(p, 2, false), 0);
	KTEST_EXPECT_EQ(t, pci_msi_masked(p, 2), 0);
	KTEST_EXPECT_EQ(t, pci_msi_set_enable(p, 3), -EINVAL);
	KTEST_EXPECT_EQ(t, pci_msi_set_enable(p, 8), -EINVAL);
	KTEST_EXPECT_EQ(t, pci_msi_set_enable(p, 4), 0);
	KTEST_EXPECT_EQ(t, fake_word(0x50 + PCI_MSI_FLAGS) & (PCI_MSI_FLAGS_QSIZE | 1), 0x21);
	KTEST_EXPECT_TRUE(t, fake_word(PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE);
	KTEST_EXPECT_TRUE(t, p->msi_enabled);
	KTEST_EXPECT_EQ(t, pci_msi_set_enable(p, 0), 0);
	KTEST_EXPECT_EQ(t, fake_word(0x50 + PCI_MSI_FLAGS) & 1, 0);
	KTEST_EXPECT_FALSE(t, fake_word(PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE);
	/* Without masking. */
	fake.cfg[0x50 + PCI_MSI_FLAGS + 1] = 0;
	KTEST_EXPECT_EQ(t, pci_msi_set_mask(p, 0, true), -EOPNOTSUPP);
	KTEST_EXPECT_EQ(t, pci_msi_masked(p, 0), 0);
	/* No MSI capability at all. */
	p->msi_cap = 0;
	KTEST_EXPECT_EQ(t, pci_msi_vec_count(p), -EINVAL);
	KTEST_EXPECT_EQ(t, pci_msi_set_enable(p, 1), -EINVAL);
}

static void test_msix_table_outside_bar(struct ktest *t)
{
	struct pci_dev *p = fake_reset();
	struct msi_msg msg = { 0 };
	u32 table;

	fake.cfg[PCI_CAPABILITY_LIST] = 0x60;
	fake_cap(0x60, PCI_CAP_ID_MSIX, 0);
	fake.cfg[0x60 + PCI_MSIX_FLAGS] = 7;	/* 8 entries, 128 bytes */
	p->msix_cap = pci_find_capability(p, PCI_CAP_ID_MSIX);
	p->resource[1].flags = IORESOURCE_MEM;
	p->resource[1].start = 0xfe000000;
	p->resource[1].end = 0xfe000fff;
	p->resource[2].flags = IORESOURCE_IO;
	p->resource[2].start = 0xc000;
	p->resource[2].end = 0xc0ff;
	KTEST_EXPECT_EQ(t, pci_msix_vec_count(p), 8);
	table = 0xf88 | 1;			/* BAR1 + 0xf88: 8 bytes short */
	memcpy(fake.cfg + 0x60 + PCI_MSIX_TABLE, &table, 4);
	KTEST_EXPECT_EQ(t, pci_msix_map_table(p), -EINVAL);
	table = 0x1000 | 1;			/* past the end */
	memcpy(fake.cfg + 0x60 + PCI_MSIX_TABLE, &table, 4);
	KTEST_EXPECT_EQ(t, pci_msix_map_table(p), -EINVAL);
	table = 0 | 2;				/* an I/O BAR */
	memcpy(fake.cfg + 0x60 + PCI_MSIX_TABLE, &table, 4);
	KTEST_EXPECT_EQ(t, pci_msix_map_table(p), -EINVAL);
	table = 0 | 7;				/* BIR 7 does not exist */
	memcpy(fake.cfg + 0x60 + PCI_MSIX_TABLE, &table, 4);
	KTEST_EXPECT_EQ(t, pci_msix_map_table(p), -EINVAL);
	table = 0 | 3;				/* an absent BAR */
	memcpy(fake.cfg + 0x60 + PCI_MSIX_TABLE, &table, 4);
	KTEST_EXPECT_EQ(t, pci_msix_map_table(p), -EINVAL);
	KTEST_EXPECT_NULL(t, p->msix_base);
	/* Entries need a mapped table. */
	KTEST_EXPECT_EQ(t, pci_msix_write_msg(p, 0, &msg), -EINVAL);
	KTEST_EXPECT_EQ(t, pci_msix_set_mask(p, 0, true), -EINVAL);
	/* Enable bits, MSI and MSI-X exclusive. */
	KTEST_EXPECT_EQ(t, pci_msix_set_enable(p, true), 0);
	KTEST_EXPECT_TRUE(t, fake_word(0x60 + PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_ENABLE);
	KTEST_EXPECT_TRUE(t, fake_word(PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE);
	KTEST_EXPECT_EQ(t, pci_msix_set_maskall(p, true), 0);
	KTEST_EXPECT_TRUE(t, fake_word(0x60 + PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_MASKALL);
	fake.cfg[PCI_CAPABILITY_LIST] = 0x50;
	fake_cap(0x50, PCI_CAP_ID_MSI, 0x60);
	p->msi_cap = 0x50;
	KTEST_EXPECT_EQ(t, pci_msi_set_enable(p, 1), -EINVAL);
	KTEST_EXPECT_EQ(t, pci_msix_set_enable(p, false), 0);
	KTEST_EXPECT_EQ(t, pci_msix_set_maskall(p, false), 0);
	KTEST_EXPECT_EQ(t, fake_word(0x60 + PCI_MSIX_FLAGS), 7);
	KTEST_EXPECT_EQ(t, pci_msi_set_enable(p, 1), 0);
	KTEST_EXPECT_EQ(t, pci_msix_set_enable(p, true), -EINVAL);
	KTEST_EXPECT_EQ(t, pci_msi_set_enable(p, 0), 0);
}

/* The first function with @vendor:@device, its reference dropped. */
static struct pci_dev *find_dev(u16 vendor, u16 device)
{
	struct pci_dev *p = pci_get_device(vendor, device, NULL);

	if (p)
		put_device(&p->dev);
	return p;
}

/* Every walk result agrees with the cached offsets and an independent scan. */
static void check_caps_cached(struct ktest *t, struct pci_dev *p)
{
	KTEST_EXPECT_EQ(t, p->msi_cap, pci_find_capability(p, PCI_CAP_ID_MSI));
	KTEST_EXPECT_EQ(t, p->msix_cap, pci_find_capability(p, PCI_CAP_ID_MSIX));
	KTEST_EXPECT_EQ(t, p->pm_cap, pci_find_capability(p, PCI_CAP_ID_PM));
	KTEST_EXPECT_EQ(t, p->pcie_cap, pci_find_capability(p, PCI_CAP_ID_EXP));
}

static void test_caps_on_devices(struct ktest *t)
{
	struct pci_dev *edu = find_dev(0x1234, 0x11e8), *nic = find_dev(0x8086, 0x10d3);
	struct pci_dev *p = NULL;
	struct pci_msi_info mi;
	struct pci_msix_info xi;
	unsigned int n = 0;

	while ((p = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, p))) {
		check_caps_cached(t, p);
		n++;
	}
	KTEST_EXPECT_EQ(t, n, pci_nr_devices());
	if (!edu)
		KTEST_SKIP(t, "no edu device");
	KTEST_ASSERT_NE(t, edu->msi_cap, 0);
	KTEST_ASSERT_EQ(t, pci_msi_read_info(edu, &mi), 0);
	KTEST_EXPECT_TRUE(t, mi.is_64bit);
	KTEST_EXPECT_EQ(t, mi.nvec_capable, 1u);
	KTEST_EXPECT_EQ(t, edu->cfg_size, PCI_CFG_SPACE_SIZE);
	KTEST_EXPECT_EQ(t, pci_find_ext_capability(edu, PCI_EXT_CAP_ID_ERR), 0);
	ktest_log(t, "edu: MSI at %#x", edu->msi_cap);
	if (!nic)
		return;			/* the e1000e is q35's default NIC */
	KTEST_EXPECT_NE(t, nic->pm_cap, 0);
	KTEST_EXPECT_NE(t, nic->pcie_cap, 0);
	KTEST_EXPECT_NE(t, nic->msix_cap, 0);
	KTEST_EXPECT_EQ(t, pci_pcie_type(nic), PCI_EXP_TYPE_RC_END);
	KTEST_ASSERT_EQ(t, pci_msix_read_info(nic, &xi), 0);
	KTEST_EXPECT_EQ(t, xi.table_size, 5u);
	KTEST_EXPECT_EQ(t, pci_msix_vec_count(nic), 5);
	if (pci_ecam_active()) {
		KTEST_EXPECT_EQ(t, nic->cfg_size, PCI_CFG_SPACE_EXP_SIZE);
		KTEST_EXPECT_EQ(t, pci_find_ext_capability(nic, PCI_EXT_CAP_ID_ERR), 0x100);
		KTEST_EXPECT_NE(t, pci_find_ext_capability(nic, PCI_EXT_CAP_ID_DSN), 0);
	}
	ktest_log(t, "e1000e: PM %#x MSI %#x PCIe %#x MSI-X %#x (%u entries, BAR%u+%#x)",
		  nic->pm_cap, nic->msi_cap, nic->pcie_cap, nic->msix_cap, xi.table_size,
		  xi.table_bir, xi.table_offset);
}

static void test_msix_table_masking(struct ktest *t)
{
	struct pci_dev *nic = find_dev(0x8086, 0x10d3);
	struct msi_msg msg = { 0xfee00000, 0, 0x4055 }, back, saved;
	unsigned int n;

	if (!nic || !nic->msix_cap)
		KTEST_SKIP(t, "no MSI-X device (e1000e on q35)");
	if (nic->dev.driver)
		KTEST_SKIP(t, "the e1000e has a driver");
	KTEST_ASSERT_EQ(t, pci_msix_map_table(nic), 0);
	KTEST_EXPECT_EQ(t, pci_msix_map_table(nic), 0);	/* already mapped */
	n = pci_msix_vec_count(nic);
	for (unsigned int e = 0; e < n; e++) {
		KTEST_EXPECT_EQ(t, pci_msix_masked(nic, e), 1);	/* reset state */
		KTEST_ASSERT_EQ(t, pci_msix_read_msg(nic, e, &saved), 0);
		msg.data = 0x4050 + e;
		KTEST_EXPECT_EQ(t, pci_msix_write_msg(nic, e, &msg), 0);
		KTEST_EXPECT_EQ(t, pci_msix_read_msg(nic, e, &back), 0);
		KTEST_EXPECT_EQ(t, back.address_lo, msg.address_lo);
		KTEST_EXPECT_EQ(t, back.data, msg.data);
		KTEST_EXPECT_EQ(t, pci_msix_set_mask(nic, e, false), 0);
		KTEST_EXPECT_EQ(t, pci_msix_masked(nic, e), 0);
		KTEST_EXPECT_EQ(t, pci_msix_set_mask(nic, e, true), 0);
		KTEST_EXPECT_EQ(t, pci_msix_masked(nic, e), 1);
		pci_msix_write_msg(nic, e, &saved);
	}
	KTEST_EXPECT_EQ(t, pci_msix_set_mask(nic, n, true), -EINVAL);
	KTEST_EXPECT_EQ(t, pci_msix_masked(nic, n), -EINVAL);
	pci_msix_unmap_table(nic);
	KTEST_EXPECT_NULL(t, nic->msix_base);
}

#define TESTDEV_VENDOR	0x1b36
#define TESTDEV_DEVICE	0x0005

static void test_bar_claims(struct ktest *t)
{
	struct pci_dev *p = find_dev(TESTDEV_VENDOR, TESTDEV_DEVICE);
	unsigned int mem0 = resource_count_busy(&iomem_resource);
	unsigned int io0 = resource_count_busy(&ioport_resource);
	struct resource *r;

	if (!p)
		KTEST_SKIP(t, "no pci-testdev");
	if (p->dev.driver)
		KTEST_SKIP(t, "pci-testdev has a driver");
	/* Enumeration put every BAR in the tree. */
	for (int bar = 0; bar < PCI_NUM_BARS; bar++)
		if (pci_resource_len(p, bar))
			KTEST_EXPECT_NOT_NULL(t, p->resource[bar].parent);
	KTEST_ASSERT_EQ(t, pci_request_regions(p, "kt-regions"), 0);
	KTEST_EXPECT_GT(t, resource_count_busy(&iomem_resource), mem0);
	KTEST_EXPECT_EQ(t, resource_count_busy(&ioport_resource), io0 + 1);
	/* A second claim of any part of a BAR is refused. */
	KTEST_EXPECT_EQ(t, pci_request_region(p, 0, "kt-again"), -EBUSY);
	KTEST_EXPECT_NULL(t, request_mem_region(pci_resource_start(p, 0) + 16, 4, "kt-part"));
	KTEST_EXPECT_NULL(t, request_region(pci_resource_start(p, 1), 1, "kt-port"));
	KTEST_EXPECT_EQ(t, pci_request_region(p, 6, "kt-bad"), -EINVAL);
	pci_release_regions(p);
	KTEST_EXPECT_EQ(t, resource_count_busy(&iomem_resource), mem0);
	KTEST_EXPECT_EQ(t, resource_count_busy(&ioport_resource), io0);
	/* A claim inside a BAR nests under it, and the BAR cannot then go. */
	r = request_mem_region(pci_resource_start(p, 0) + 16, 4, "kt-part");
	KTEST_ASSERT_NOT_NULL(t, r);
	KTEST_EXPECT_TRUE(t, r->parent == &p->resource[0]);
	KTEST_EXPECT_EQ(t, pci_request_region(p, 0, "kt-whole"), -EBUSY);
	KTEST_EXPECT_EQ(t, release_resource(&p->resource[0]), -EBUSY);
	release_mem_region(pci_resource_start(p, 0) + 16, 4);
	KTEST_EXPECT_EQ(t, pci_request_region(p, 0, "kt-whole"), 0);
	pci_release_region(p, 0);
	KTEST_EXPECT_EQ(t, resource_count_busy(&iomem_resource), mem0);
}

/* pci-testdev bound by a driver that only uses managed calls. */
static int kt_probe_ret;
static bool kt_plain;		/* claim with plain pci_request_regions() only */
static void __iomem *kt_extra;

static int kt_testdev_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	void __iomem *const *table;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	if (kt_plain)
		return pci_request_regions(pdev, "kt-plain");
	pci_set_master(pdev);
	/* An I/O BAR cannot be mapped: all or none, nothing stays claimed. */
	if (pcim_iomap_regions(pdev, 1 << 0 | 1 << 1, "kt-testdev") != -EINVAL)
		return -EINVAL;
	ret = pcim_iomap_regions(pdev, 1 << 0 | 1 << 2, "kt-testdev");
	if (ret)
		return ret;
	table = pcim_iomap_table(pdev);
	if (!table || !table[0] || !table[2] || table[1])
		return -EINVAL;
	kt_extra = devm_ioremap(&pdev->dev, pci_resource_start(pdev, 0), 64);
	if (!kt_extra)
		return -ENOMEM;
	if (!devm_request_region(&pdev->dev, pci_resource_start(pdev, 1), 4, "kt-testdev"))
		return -EBUSY;
	return kt_probe_ret;
}

static const struct pci_device_id kt_testdev_ids[] = {
	{ PCI_DEVICE(TESTDEV_VENDOR, TESTDEV_DEVICE) },
	{ }
};

static struct pci_driver kt_testdev_driver = {
	.name = "kt-testdev",
	.id_table = kt_testdev_ids,
	.probe = kt_testdev_probe,
};

static void test_pcim_released_on_unbind(struct ktest *t)
{
	struct pci_dev *p = find_dev(TESTDEV_VENDOR, TESTDEV_DEVICE);
	unsigned int mem0 = resource_count_busy(&iomem_resource);
	unsigned int io0 = resource_count_busy(&ioport_resource);
	unsigned long pages0;
	u16 cmd;

	if (!p)
		KTEST_SKIP(t, "no pci-testdev");
	if (p->dev.driver)
		KTEST_SKIP(t, "pci-testdev has a driver");
	pages0 = ktest_settled_free_pages();
	kt_probe_ret = 0;
	KTEST_ASSERT_EQ(t, pci_register_driver(&kt_testdev_driver), 0);
	KTEST_ASSERT_TRUE(t, p->dev.driver == &kt_testdev_driver.driver);
	KTEST_EXPECT_TRUE(t, pci_is_enabled(p));
	KTEST_EXPECT_TRUE(t, p->is_managed);
	KTEST_EXPECT_EQ(t, resource_count_busy(&iomem_resource), mem0 + 2);
	KTEST_EXPECT_EQ(t, resource_count_busy(&ioport_resource), io0 + 1);
	KTEST_EXPECT_GT(t, devres_count(&p->dev), 0u);
	pci_read_config_word(p, PCI_COMMAND, &cmd);
	KTEST_EXPECT_TRUE(t, cmd & PCI_COMMAND_MASTER);
	/* A mapped BAR works: pci-testdev's BAR0 reads back. */
	KTEST_EXPECT_NE(t, readl(kt_extra), 0xffffffffu);
	/* lspci -v takes each device's lock: a bound one must not block it. */
	KTEST_EXPECT_EQ(t, shell_run_command("lspci -v"), 0);
	devm_iounmap(&p->dev, kt_extra);
	pci_unregister_driver(&kt_testdev_driver);
	KTEST_EXPECT_NULL(t, p->dev.driver);
	KTEST_EXPECT_FALSE(t, pci_is_enabled(p));
	KTEST_EXPECT_FALSE(t, p->is_managed);
	KTEST_EXPECT_NULL(t, p->iomap);
	KTEST_EXPECT_EQ(t, devres_count(&p->dev), 0u);
	KTEST_EXPECT_EQ(t, resource_count_busy(&iomem_resource), mem0);
	KTEST_EXPECT_EQ(t, resource_count_busy(&ioport_resource), io0);
	pci_read_config_word(p, PCI_COMMAND, &cmd);
	KTEST_EXPECT_FALSE(t, cmd & PCI_COMMAND_MASTER);
	/* A probe that fails after acquiring releases everything too. */
	kt_probe_ret = -ENODEV;
	KTEST_ASSERT_EQ(t, pci_register_driver(&kt_testdev_driver), 0);
	KTEST_EXPECT_NULL(t, p->dev.driver);
	pci_unregister_driver(&kt_testdev_driver);
	KTEST_EXPECT_EQ(t, devres_count(&p->dev), 0u);
	KTEST_EXPECT_EQ(t, atomic_read(&p->enable_cnt), 0);
	KTEST_EXPECT_EQ(t, resource_count_busy(&iomem_resource), mem0);
	KTEST_EXPECT_EQ(t, resource_count_busy(&ioport_resource), io0);
	/* On a managed function, plain pci_request_regions() claims end at unbind. */
	kt_probe_ret = 0;
	kt_plain = true;
	KTEST_EXPECT_EQ(t, pci_register_driver(&kt_testdev_driver), 0);
	kt_plain = false;
	KTEST_EXPECT_TRUE(t, p->dev.driver == &kt_testdev_driver.driver);
	KTEST_EXPECT_EQ(t, resource_count_busy(&iomem_resource), mem0 + 2);
	KTEST_EXPECT_NE(t, p->regions_requested, 0);
	pci_unregister_driver(&kt_testdev_driver);
	KTEST_EXPECT_EQ(t, p->regions_requested, 0);
	KTEST_EXPECT_EQ(t, resource_count_busy(&iomem_resource), mem0);
	KTEST_EXPECT_EQ(t, resource_count_busy(&ioport_resource), io0);
	KTEST_EXPECT_FALSE(t, pci_is_enabled(p));
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), pages0);
}

/* A bridge for the hot-add tests: only its windows are read. */
static struct fake_pci fake_bridge;

static struct pci_dev *fake_bridge_reset(void)
{
	struct pci_dev *br = &fake_bridge.pdev;
	u32 v;

	memset(&fake_bridge, 0, sizeof(fake_bridge));
	br->cfg_ops = &fake_ops;
	br->cfg_size = PCI_CFG_SPACE_SIZE;
	br->hdr_type = PCI_HEADER_TYPE_BRIDGE;
	br->secondary = 0x42;
	br->dev.bus = &pci_bus_type;
	dev_set_name(&br->dev, "fake:00:1f.0");
	/* I/O and memory windows closed (base above limit). */
	fake_bridge.cfg[0x1c] = 0xf0;
	v = 0x0000fff0;
	memcpy(&fake_bridge.cfg[0x20], &v, 4);
	/* Prefetchable, 64-bit: 4 MiB at 0x60_0000_0000, far from any real BAR. */
	v = 0x00310001;
	memcpy(&fake_bridge.cfg[0x24], &v, 4);
	v = 0x60;
	memcpy(&fake_bridge.cfg[0x28], &v, 4);
	memcpy(&fake_bridge.cfg[0x2c], &v, 4);
	return br;
}

static void fake_bar(struct pci_dev *p, int i, unsigned long flags, u64 size)
{
	p->resource[i].flags = flags;
	p->resource[i].start = 0;
	p->resource[i].end = size - 1;
}

/* pci_assign_resource(): placement, alignment, refusals; pci_scan_slot() refusals. */
static void test_assign_resource(struct ktest *t)
{
	const unsigned long pref64 = IORESOURCE_MEM | IORESOURCE_PREFETCH | IORESOURCE_MEM_64;
	struct pci_dev *br = fake_bridge_reset(), *p = fake_reset();
	u32 lo, hi;

	p->hdr_type = PCI_HEADER_TYPE_NORMAL;
	p->dev.parent = &br->dev;
	fake_bar(p, 0, pref64, 2 << 20);
	fake_bar(p, 2, pref64, 1 << 20);
	fake_bar(p, 4, IORESOURCE_MEM, 4096);
	fake_bar(p, 5, IORESOURCE_IO, 32);
	KTEST_ASSERT_EQ(t, pci_assign_resource(p, 0), 0);
	KTEST_EXPECT_EQ(t, p->resource[0].start, 0x6000000000ULL);
	memcpy(&lo, &fake.cfg[PCI_BASE_ADDRESS_0], 4);
	memcpy(&hi, &fake.cfg[PCI_BASE_ADDRESS_0 + 4], 4);
	KTEST_EXPECT_EQ(t, ((u64)hi << 32) | lo, 0x6000000000ULL);
	KTEST_EXPECT_EQ(t, pci_assign_resource(p, 2), 0);
	/* Aligned to its size, after the first. */
	KTEST_EXPECT_EQ(t, p->resource[2].start, 0x6000200000ULL);
	/* 1 MiB left: a second 2 MiB BAR does not fit; it is cleared. */
	fake_bar(p, 1, pref64, 2 << 20);
	KTEST_EXPECT_EQ(t, pci_assign_resource(p, 1), -ENOSPC);
	KTEST_EXPECT_EQ(t, p->resource[1].flags, 0ul);
	/* No memory or I/O window open. */
	KTEST_EXPECT_EQ(t, pci_assign_resource(p, 4), -ENOSPC);
	KTEST_EXPECT_EQ(t, pci_assign_resource(p, 5), -ENOSPC);
	KTEST_EXPECT_EQ(t, pci_assign_resource(p, 6), -EINVAL);
	KTEST_EXPECT_EQ(t, pci_assign_resource(p, -1), -EINVAL);
	KTEST_EXPECT_EQ(t, release_resource(&p->resource[0]), 0);
	KTEST_EXPECT_EQ(t, release_resource(&p->resource[2]), 0);
	/* Not below a PCI bridge. */
	fake_bar(p, 0, pref64, 4096);
	p->dev.parent = NULL;
	KTEST_EXPECT_EQ(t, pci_assign_resource(p, 0), -EINVAL);
	p->dev.parent = &br->dev;
	br->hdr_type = PCI_HEADER_TYPE_NORMAL;
	KTEST_EXPECT_EQ(t, pci_assign_resource(p, 0), -EINVAL);
	/* pci_scan_slot() wants a bridge and function 0. */
	KTEST_EXPECT_EQ(t, pci_scan_slot(br, PCI_DEVFN(0, 0)), -EINVAL);
	br->hdr_type = PCI_HEADER_TYPE_BRIDGE;
	KTEST_EXPECT_EQ(t, pci_scan_slot(br, PCI_DEVFN(0, 1)), -EINVAL);
	br->secondary = 0;
	KTEST_EXPECT_EQ(t, pci_scan_slot(br, PCI_DEVFN(0, 0)), -EINVAL);
}

static struct ktest_case pci_setup_cases[] = {
	KTEST_CASE(test_cap_walk_synthetic),
	KTEST_CASE(test_ext_cap_walk_synthetic),
	KTEST_CASE(test_lspci_caps_loop),
	KTEST_CASE(test_enable_count_and_d0),
	KTEST_CASE(test_msi_synthetic),
	KTEST_CASE(test_msix_table_outside_bar),
	KTEST_CASE(test_caps_on_devices),
	KTEST_CASE(test_msix_table_masking),
	KTEST_CASE(test_bar_claims),
	KTEST_CASE(test_pcim_released_on_unbind),
	KTEST_CASE(test_assign_resource),
	{}
};

static struct ktest_suite pci_setup_suite = {
	.name = "pci_setup",
	.cases = pci_setup_cases,
};
KTEST_SUITE(pci_setup_suite);
