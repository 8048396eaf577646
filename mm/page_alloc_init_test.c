// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of memblock and of the frame allocator's initialisation: boot
 * reservations, (hosted) hostile memory maps, a new CPU's per-CPU area
 * and the 16 GiB initialisation.  Cases of the page_alloc suite
 * (mm/page_alloc_test.c).
 */
#include <exo/atomic.h>
#include <exo/bootinfo.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/kthread.h>
#include <exo/memblock.h>
#include <exo/page_alloc.h>
#include <exo/percpu.h>
#include <exo/preempt.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/vmalloc.h>
#include <asm/page.h>

#include "page_alloc_test.h"

#ifdef __HOSTED__
#include <asm/hosted.h>
#endif

/* ---------------------------------------------------------------------
 * memblock and initialisation
 */

/* The kernel's __init sections go to the buddy after boot (free_initmem()). */
static bool in_freed_init(phys_addr_t pa)
{
#ifdef __HOSTED__
	return false;
#else
	phys_addr_t end = pa + PAGE_SIZE;

	/* free_initmem() keeps pages that hold loader data (GRUB uses the gaps). */
	if (boot_info.info_end > pa && boot_info.info_start < end)
		return false;
	for (unsigned int i = 0; i < boot_info.nr_modules; i++)
		if (boot_info.modules[i].end > pa && boot_info.modules[i].start < end)
			return false;
	return pa >= virt_to_phys(__init_begin) && pa < virt_to_phys(__init_end);
#endif
}

void test_memblock_reservations(struct ktest *t)
{
	phys_addr_t base;
	u64 size;

	KTEST_EXPECT_GT(t, memblock_phys_mem_size(), 0);
	KTEST_EXPECT_GE(t, memblock_end_of_ram(), memblock_phys_mem_size());
	KTEST_EXPECT_EQ(t, PHYS_PFN(memblock_end_of_ram()), max_pfn);
	/* Nothing reserved ever reaches the buddy. */
	for (phys_addr_t a = 0; a < MEMBLOCK_LOW_LIMIT; a += PAGE_SIZE)
		KTEST_EXPECT_FALSE(t, pfn_valid(PHYS_PFN(a)));
	for (phys_addr_t a = ALIGN_DOWN(kernel_phys_start(), PAGE_SIZE); a < kernel_phys_end();
	     a += PAGE_SIZE)
		KTEST_EXPECT_EQ(t, pfn_valid(PHYS_PFN(a)), in_freed_init(a));
	for (phys_addr_t a = ALIGN_DOWN(boot_info.info_start, PAGE_SIZE); a < boot_info.info_end;
	     a += PAGE_SIZE)
		KTEST_EXPECT_FALSE(t, pfn_valid(PHYS_PFN(a)));
	for (unsigned int i = 0; i < boot_info.nr_modules; i++)
		KTEST_EXPECT_FALSE(t, pfn_valid(PHYS_PFN(boot_info.modules[i].start)));
	/* Firmware ranges are not RAM; RAM ranges are page aligned. */
	for (unsigned int i = 0; i < boot_info.nr_mmap; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];

		if (e->type != BOOT_MEM_USABLE && e->len && e->addr < PFN_PHYS(max_pfn) &&
		    e->addr + e->len > e->addr)
			KTEST_EXPECT_FALSE(t, pfn_valid(PHYS_PFN(e->addr)));
	}
	for (unsigned int i = 0; memblock_memory_region(i, &base, &size); i++) {
		KTEST_EXPECT_EQ(t, base & (PAGE_SIZE - 1), 0);
		KTEST_EXPECT_EQ(t, size & (PAGE_SIZE - 1), 0);
	}
#ifdef __HOSTED__
	/* The SMP trampoline can still get a page below 1 MiB (kernel: no leak). */
	base = memblock_alloc_low(PAGE_SIZE, PAGE_SIZE, "ktest low page");
	KTEST_EXPECT_NE(t, base, 0);
	KTEST_EXPECT_LT(t, base, MEMBLOCK_LOW_LIMIT);
	KTEST_EXPECT_GE(t, base, PAGE_SIZE);
#endif
	/* What the buddy owns cannot be reserved any more. */
	{
		phys_addr_t f;

		KTEST_ASSERT_EQ(t, alloc_frame(&f), 0);
		KTEST_EXPECT_EQ(t, memblock_reserve(f, PAGE_SIZE, "too late"), -EBUSY);
		KTEST_EXPECT_EQ(t, free_frame(f), 0);
	}
}

#ifdef __HOSTED__
/* memblock_init() on a hostile map, checked range by range. */
void test_memblock_sanitise(struct ktest *t)
{
	static const struct boot_mmap_entry map[] = {
		{ 0x5000000, 0x1000000, BOOT_MEM_USABLE },
		{ 0x1000000, 0x2000000, BOOT_MEM_USABLE },
		{ 0x2800000, 0x1000000, BOOT_MEM_USABLE },	/* overlaps both sides */
		{ 0x2000000, 0x100000, BOOT_MEM_RESERVED },	/* punches a hole */
		{ 0x5400100, 0x100, BOOT_MEM_ACPI },		/* partial page */
		{ 0x6000000, 0, BOOT_MEM_USABLE },
		{ 0x6010000, 0x5000, BOOT_MEM_USABLE },		/* ends off a bitmap word */
		{ 0x7000000, ~0ULL, BOOT_MEM_USABLE },		/* wraps */
		{ 1ULL << 60, 0x1000, BOOT_MEM_USABLE },	/* beyond 2^52 */
		{ 0x800, 0x1800, BOOT_MEM_USABLE },		/* rounds to one page */
	};
	static const struct hosted_mem_layout l = {
		.name = "sanitise", .map = map, .nr_map = ARRAY_SIZE(map),
		.kernel_start = 0x1000000, .kernel_end = 0x1100000,
	};
	static const struct { phys_addr_t base, end; } want[] = {
		{ 0x1000, 0x2000 },
		{ 0x1000000, 0x2000000 },
		{ 0x2100000, 0x3800000 },
		{ 0x5000000, 0x5400000 },
		{ 0x5401000, 0x6000000 },
		{ 0x6010000, 0x6015000 },
	};
	unsigned long before, pfn, n;
	struct page_alloc_stats st;
	phys_addr_t base, a, b;
	u64 size;
	unsigned int i;

	KTEST_ASSERT_EQ(t, hosted_mm_init(&l), 0);
	for (i = 0; memblock_memory_region(i, &base, &size); i++) {
		if (i >= ARRAY_SIZE(want))
			break;
		KTEST_EXPECT_EQ(t, base, want[i].base);
		KTEST_EXPECT_EQ(t, base + size, want[i].end);
	}
	KTEST_EXPECT_EQ(t, i, ARRAY_SIZE(want));
	KTEST_EXPECT_EQ(t, memblock_end_of_ram(), 0x6015000);
	/* Boot allocations come from the top, aligned, and are kept out. */
	before = memblock_reserved_size();
	a = memblock_alloc(3 * PAGE_SIZE, 1 << 20);
	KTEST_EXPECT_EQ(t, a, 0);	/* the buddy already took over */
	KTEST_EXPECT_EQ(t, memblock_reserved_size(), before);
	/*
	 * The managed bitmap, written once over garbage (all ones): RAM
	 * handed over only, nothing in the hole below the last range nor
	 * past max_pfn (0x6015, not a multiple of 64) in its last word.
	 */
	page_alloc_get_stats(&st);
	for (pfn = 0, n = 0; pfn < max_pfn; pfn++)
		n += pfn_valid(pfn);
	KTEST_EXPECT_EQ(t, n, st.managed);
	KTEST_ASSERT_EQ(t, max_pfn, 0x6015);
	KTEST_EXPECT_EQ(t, page_managed_map[max_pfn / 64] >> (max_pfn % 64), 0);
	KTEST_EXPECT_FALSE(t, pfn_valid(PHYS_PFN(0x6000000)));
	KTEST_EXPECT_FALSE(t, pfn_valid(PHYS_PFN(0x600f000)));
	KTEST_EXPECT_FALSE(t, pfn_valid(PHYS_PFN(0x2000000)));
	KTEST_EXPECT_FALSE(t, pfn_valid(PHYS_PFN(0x5400000)));
	KTEST_EXPECT_TRUE(t, pfn_valid(PHYS_PFN(0x5401000)));
	KTEST_EXPECT_FALSE(t, pfn_valid(PHYS_PFN(0x1000000)));	/* kernel image */
	KTEST_EXPECT_TRUE(t, pfn_valid(PHYS_PFN(0x1100000)));
	b = memblock_alloc_low(PAGE_SIZE, PAGE_SIZE, "low");
	KTEST_EXPECT_EQ(t, b, 0x1000);	/* the only RAM page below 1 MiB... */
	KTEST_EXPECT_EQ(t, memblock_alloc_low(PAGE_SIZE, PAGE_SIZE, "low"), 0);	/* ...is gone */
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
	memblock_dump();
	page_alloc_show_buddyinfo();
	page_alloc_show_meminfo();
}

struct copy_ctx {
	phys_addr_t frames[PCP_BATCH];
	int err;
};

static void copy_cpu(void *arg)
{
	struct copy_ctx *c = arg;

	for (unsigned int i = 0; i < PCP_BATCH; i++)
		c->err |= alloc_frame(&c->frames[i]);
}

/*
 * A new CPU's per-CPU area is a copy of the pristine template, never of
 * the boot CPU's live one (which runs on the template): it must not hand
 * out the boot CPU's cached frames.
 */
void test_percpu_area_copy(struct ktest *t)
{
	static struct copy_ctx c;
	phys_addr_t mine[PCP_BATCH];
	unsigned int cpu = NR_CPUS - 1;	/* never used before: copied now */

	/* Fill CPU 0's ring, then bring up a new CPU. */
	for (unsigned int i = 0; i < PCP_BATCH; i++)
		KTEST_ASSERT_EQ(t, alloc_frame(&mine[i]), 0);
	for (unsigned int i = 0; i < PCP_BATCH; i++)
		KTEST_ASSERT_EQ(t, free_frame(mine[i]), 0);
	KTEST_ASSERT_EQ(t, hosted_run_on_cpus(cpu, 1, copy_cpu, &c), 0);
	KTEST_ASSERT_EQ(t, c.err, 0);
	for (unsigned int i = 0; i < PCP_BATCH; i++)
		KTEST_ASSERT_EQ(t, alloc_frame(&mine[i]), 0);
	for (unsigned int i = 0; i < PCP_BATCH; i++)
		for (unsigned int j = 0; j < PCP_BATCH; j++)
			KTEST_EXPECT_NE(t, mine[i], c.frames[j]);
	for (unsigned int i = 0; i < PCP_BATCH; i++) {
		KTEST_EXPECT_EQ(t, free_frame(mine[i]), 0);
		KTEST_EXPECT_EQ(t, free_contiguous(c.frames[i], 1), 0);
	}
	drain_cpu_pages(cpu);
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
}

/* A 16 GiB machine initialises in O(blocks): a few milliseconds. */
void test_init_16g(struct ktest *t)
{
	static const struct boot_mmap_entry map[] = {
		{ 0, 0x9f000, BOOT_MEM_USABLE },
		{ 1ULL << 20, (3ULL << 30) - (1ULL << 20), BOOT_MEM_USABLE },
		{ 4ULL << 30, 13ULL << 30, BOOT_MEM_USABLE },
	};
	static const struct hosted_mem_layout l = {
		.name = "16g", .map = map, .nr_map = ARRAY_SIZE(map),
		.kernel_start = 1ULL << 20, .kernel_end = 4ULL << 20,
	};
	struct page_alloc_stats st;
	u64 t0, ns;

	t0 = ktime_get_ns();
	KTEST_ASSERT_EQ(t, hosted_mm_init(&l), 0);
	ns = ktime_get_ns() - t0;
	page_alloc_get_stats(&st);
	ktest_log(t, "16 GiB: init %llu us, %lu free frames, metadata %lu KiB",
		  ns / 1000, st.free, st.metadata_bytes >> 10);
	KTEST_EXPECT_LT(t, ns, 500 * NSEC_PER_MSEC);
	/* mem_map 48 B/frame over 17 GiB of address space + 3 bitmaps. */
	KTEST_EXPECT_LT(t, st.metadata_bytes, 220ULL << 20);
	KTEST_EXPECT_GT(t, st.free, (16ULL << 30) / PAGE_SIZE - (300ULL << 20) / PAGE_SIZE);
	/* [4 GiB, 16 GiB) is whole top-order blocks. */
	KTEST_EXPECT_GE(t, st.zone[ZONE_NORMAL].nr_free[MAX_ORDER], (12UL << 30) >> (PAGE_SHIFT + MAX_ORDER));
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
	KTEST_EXPECT_EQ(t, hosted_mm_init(NULL), 0);
}
#endif
