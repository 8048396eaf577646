// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for the frame allocator (mm/page_alloc.c) and memblock.  The same
 * file runs in the kernel (ktest) and in the hosted build, where every case
 * starts from a fresh allocator (hosted_mm_init()) on the default fake
 * machine.  In the kernel the system allocator is shared with the rest of
 * the kernel, so the cases that need an exact starting state either drain
 * the caches and compare fingerprints of the free lists, or work on an
 * isolated instance (struct buddy_test_instance) carved out of it.
 */
#include <exo/atomic.h>
#include <exo/bootinfo.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kasan.h>
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

#ifndef __HOSTED__
#include <asm/pcp.h>	/* test_pcp_restart(), test_pcp_irq_interleave() */
#endif

#ifdef __HOSTED__
#include <asm/hosted.h>
#endif

/* Each hosted case starts on a fresh allocator. */
static int pa_test_init(struct ktest *t)
{
	(void)t;
#ifdef __HOSTED__
	int err, level = console_loglevel;

	/* The default machine's map warnings were shown once at start-up. */
	console_loglevel = min(level, LOGLEVEL_WARNING);
	err = hosted_mm_init(NULL);
	console_loglevel = level;
	return err;
#else
	return 0;
#endif
}

/* Is every frame of [pfn, pfn + n) allocated? */
static bool range_allocated(unsigned long pfn, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		if (!pfn_allocated(pfn + i))
			return false;
	return true;
}

/* ---------------------------------------------------------------------
 * Seed tests
 */

static void test_buddy_alloc_free(struct ktest *t)
{
	unsigned long before = nr_free_pages();
	phys_addr_t f;

	KTEST_ASSERT_EQ(t, alloc_frame(&f), 0);
	KTEST_EXPECT_EQ(t, f & (PAGE_SIZE - 1), 0);
	KTEST_EXPECT_TRUE(t, pfn_valid(PHYS_PFN(f)));
	KTEST_EXPECT_TRUE(t, pfn_is_block_head(PHYS_PFN(f)));
	KTEST_EXPECT_EQ(t, page_order(phys_to_page(f)), 0);
	KTEST_EXPECT_EQ(t, page_type(phys_to_page(f)), PAGE_TYPE_BUDDY);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before - 1);
	/* The frame is usable memory. */
	memset(phys_to_virt(f), 0x5a, PAGE_SIZE);
	KTEST_EXPECT_EQ(t, free_frame(f), 0);
	KTEST_EXPECT_FALSE(t, pfn_allocated(PHYS_PFN(f)));
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
}

/*
 * Contract: on a fresh allocator two consecutive alloc_frame() calls return
 * buddies and freeing both coalesces them.  "Fresh" in the kernel: every
 * cache drained, so the first call refills this CPU's cache with one
 * aligned block; coalescing is proved by the free lists coming back
 * exactly as they were.
 */
static void test_buddy_coalescing(struct ktest *t)
{
	struct free_area_fingerprint before, after;
	phys_addr_t f1, f2;

	settle();
	page_alloc_fingerprint(&before);
	KTEST_ASSERT_EQ(t, alloc_frame(&f1), 0);
	KTEST_ASSERT_EQ(t, alloc_frame(&f2), 0);
	KTEST_EXPECT_EQ(t, f2, f1 + PAGE_SIZE);
	KTEST_EXPECT_EQ(t, PHYS_PFN(f1) ^ 1, PHYS_PFN(f2));	/* order-0 buddies */
	KTEST_EXPECT_EQ(t, free_frame(f1), 0);
	KTEST_EXPECT_EQ(t, free_frame(f2), 0);
	settle();
	page_alloc_fingerprint(&after);
	KTEST_EXPECT_TRUE(t, fp_equal(&before, &after));
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
}

/* The same contract on an isolated instance: exact, whatever else runs. */
static void test_buddy_coalescing_instance(struct ktest *t)
{
	static struct buddy_test_instance bi;
	struct free_area_fingerprint before, after;
	phys_addr_t f1, f2;

	KTEST_ASSERT_EQ(t, buddy_test_init(&bi, 10), 0);
	buddy_test_fingerprint(&bi, &before);
	KTEST_EXPECT_EQ(t, before.nr[0][10], 1);
	KTEST_EXPECT_EQ(t, buddy_test_alloc_frame(&bi, &f1), 0);
	KTEST_EXPECT_EQ(t, buddy_test_alloc_frame(&bi, &f2), 0);
	KTEST_EXPECT_EQ(t, f1, PFN_PHYS(bi.base_pfn));
	KTEST_EXPECT_EQ(t, f2, f1 + PAGE_SIZE);
	KTEST_EXPECT_EQ(t, buddy_test_free_frame(&bi, f2), 0);
	KTEST_EXPECT_EQ(t, buddy_test_free_frame(&bi, f1), 0);
	buddy_test_drain(&bi);
	buddy_test_fingerprint(&bi, &after);
	KTEST_EXPECT_TRUE(t, fp_equal(&before, &after));
	KTEST_EXPECT_EQ(t, buddy_test_check(&bi), 0);
	KTEST_EXPECT_EQ(t, buddy_test_destroy(&bi), 0);
}

/* ---------------------------------------------------------------------
 * Shapes: alignment, contiguous runs, metadata
 */

static void test_alignment_every_order(struct ktest *t)
{
	unsigned long before = nr_free_pages();

	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, o);
		unsigned long pfn, n = 1UL << o;
		phys_addr_t base;

		if (!page) {
			/* A small machine may lack the largest blocks. */
			KTEST_EXPECT_GE(t, o, 9);
			continue;
		}
		pfn = page_to_pfn(page);
		KTEST_EXPECT_EQ(t, pfn & (n - 1), 0);
		KTEST_EXPECT_EQ(t, page_order(page), o);
		KTEST_EXPECT_TRUE(t, pfn_is_block_head(pfn));
		KTEST_EXPECT_TRUE(t, range_allocated(pfn, n));
		KTEST_EXPECT_TRUE(t, pfn_to_block_head(pfn + n - 1) == page);
		KTEST_EXPECT_TRUE(t, pfn_to_block_head(pfn + n / 2) == page);
		__free_pages(page, o);
		KTEST_EXPECT_FALSE(t, pfn_allocated(pfn));

		if (alloc_contiguous(n, &base)) {
			KTEST_EXPECT_GE(t, o, 9);
			continue;
		}
		KTEST_EXPECT_EQ(t, base & ((n << PAGE_SHIFT) - 1), 0);
		KTEST_EXPECT_EQ(t, free_contiguous(base, n), 0);
	}
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
}

static void test_alloc_contiguous_tail(struct ktest *t)
{
	static const size_t counts[] = { 2, 3, 5, 7, 100, 129, 1000 };
	unsigned long before = nr_free_pages();

	for (unsigned int i = 0; i < ARRAY_SIZE(counts); i++) {
		size_t count = counts[i];
		unsigned long align = 1UL << ilog2(count);
		unsigned long pfn;
		phys_addr_t base;

		KTEST_ASSERT_EQ(t, alloc_contiguous(count, &base), 0);
		pfn = PHYS_PFN(base);
		KTEST_EXPECT_EQ(t, pfn & (align - 1), 0);
		/* The tail went back at once: exactly count frames are gone. */
		KTEST_EXPECT_EQ(t, nr_free_pages(), before - count);
		KTEST_EXPECT_TRUE(t, range_allocated(pfn, count));
		if (count != 1UL << order_base_2(count))
			KTEST_EXPECT_FALSE(t, pfn_allocated(pfn + count));
		KTEST_EXPECT_EQ(t, free_contiguous(base, count), 0);
		KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	}
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
}

/*
 * A power-of-two run that starts inside a block is not a block: the fast
 * frees take a block only if its head's bit is set and its order, read
 * once the bit is theirs, matches (I1 makes it aligned), so such a run
 * is freed as a run even when the frame's stale struct page names that
 * order.
 */
static void test_free_misaligned_run(struct ktest *t)
{
	struct page *b = alloc_pages(GFP_KERNEL, 2);
	unsigned long pfn;

	KTEST_ASSERT_NOT_NULL(t, b);
	pfn = page_to_pfn(b);
	b[1].order = 1;			/* left over from an earlier life as a head */
	__free_pages(&b[1], 1);
	KTEST_EXPECT_TRUE(t, pfn_allocated(pfn));
	KTEST_EXPECT_FALSE(t, pfn_allocated(pfn + 1));
	KTEST_EXPECT_FALSE(t, pfn_allocated(pfn + 2));
	KTEST_EXPECT_TRUE(t, pfn_allocated(pfn + 3));
	KTEST_EXPECT_EQ(t, free_contiguous(PFN_PHYS(pfn), 1), 0);
	KTEST_EXPECT_EQ(t, free_contiguous(PFN_PHYS(pfn + 3), 1), 0);
	KTEST_EXPECT_EQ(t, page_alloc_check_pfn(pfn), 0);
}

/* Frames of one run may be freed in any pieces. */
static void test_free_pieces(struct ktest *t)
{
	unsigned long before = nr_free_pages();
	phys_addr_t base;

	KTEST_ASSERT_EQ(t, alloc_contiguous(8, &base), 0);
	KTEST_EXPECT_EQ(t, free_contiguous(base + 2 * PAGE_SIZE, 3), 0);
	KTEST_EXPECT_EQ(t, free_frame(base + 2 * PAGE_SIZE), -ENOENT);
	KTEST_EXPECT_TRUE(t, pfn_allocated(PHYS_PFN(base) + 1));
	KTEST_EXPECT_TRUE(t, pfn_allocated(PHYS_PFN(base) + 5));
	KTEST_EXPECT_EQ(t, free_frame(base + 6 * PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, free_contiguous(base, 2), 0);
	KTEST_EXPECT_EQ(t, free_frame(base + 7 * PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, free_frame(base + 5 * PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);

	/* A frame inside a block from alloc_pages(). */
	{
		struct page *page = alloc_pages(GFP_KERNEL, 4);
		unsigned long pfn;

		KTEST_ASSERT_NOT_NULL(t, page);
		pfn = page_to_pfn(page);
		KTEST_EXPECT_EQ(t, free_frame(PFN_PHYS(pfn + 9)), 0);
		KTEST_EXPECT_FALSE(t, pfn_allocated(pfn + 9));
		KTEST_EXPECT_TRUE(t, pfn_to_block_head(pfn + 8) != NULL);
		KTEST_EXPECT_TRUE(t, pfn_to_block_head(pfn) == page);
		KTEST_EXPECT_EQ(t, page_order(page), 3);
		KTEST_EXPECT_EQ(t, free_contiguous(PFN_PHYS(pfn), 9), 0);
		KTEST_EXPECT_EQ(t, free_contiguous(PFN_PHYS(pfn + 10), 6), 0);
	}
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
}

/*
 * A free that is refused part-way through its run changes nothing: the
 * bits it had already taken are given back.  And a free that takes a
 * block's bit on the fast path but finds a block of another order
 * finishes the job on the slow path, not as the order it asked for.
 */
static void test_refused_free_undone(struct ktest *t)
{
	unsigned long before = nr_free_pages(), pfn;
	struct free_area_fingerprint fp0, fp1;
	struct page *page;
	phys_addr_t base;

	/* Blocks [0, 2) and [3]; frame 2 free: a 4-frame free must not touch them. */
	KTEST_ASSERT_EQ(t, alloc_contiguous(4, &base), 0);
	pfn = PHYS_PFN(base);
	KTEST_ASSERT_EQ(t, free_frame(base + 2 * PAGE_SIZE), 0);
	page_alloc_fingerprint(&fp0);
	KTEST_EXPECT_EQ(t, free_contiguous(base, 4), -ENOENT);
	KTEST_EXPECT_EQ(t, free_contiguous(base + PAGE_SIZE, 3), -ENOENT);
	page_alloc_fingerprint(&fp1);
	KTEST_EXPECT_TRUE(t, fp_equal(&fp0, &fp1));
	KTEST_EXPECT_TRUE(t, pfn_is_block_head(pfn) && pfn_is_block_head(pfn + 3));
	KTEST_EXPECT_TRUE(t, range_allocated(pfn, 2));
	KTEST_EXPECT_EQ(t, free_contiguous(base, 2), 0);
	KTEST_EXPECT_EQ(t, free_frame(base + 3 * PAGE_SIZE), 0);

	/* Blocks [0] and [2, 4); frame 1 free: the fast path takes block 0 first. */
	KTEST_ASSERT_EQ(t, alloc_contiguous(4, &base), 0);
	pfn = PHYS_PFN(base);
	KTEST_ASSERT_EQ(t, free_frame(base + PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, free_contiguous(base, 4), -ENOENT);
	KTEST_EXPECT_TRUE(t, pfn_is_block_head(pfn) && pfn_is_block_head(pfn + 2));
	KTEST_EXPECT_EQ(t, free_frame(base), 0);
	KTEST_EXPECT_EQ(t, free_contiguous(base + 2 * PAGE_SIZE, 2), 0);

	/* One frame of an order-2 block, by its head: the other three stay. */
	page = alloc_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_NOT_NULL(t, page);
	pfn = page_to_pfn(page);
	__free_pages(page, 0);
	KTEST_EXPECT_FALSE(t, pfn_allocated(pfn));
	KTEST_EXPECT_TRUE(t, range_allocated(pfn + 1, 3));
	KTEST_EXPECT_EQ(t, free_contiguous(PFN_PHYS(pfn + 1), 3), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
}

/* What the slab allocator relies on. */
static void test_page_metadata(struct ktest *t)
{
	static int not_in_ram;
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	unsigned long pfn;
	u8 *va;

	KTEST_ASSERT_NOT_NULL(t, page);
	pfn = page_to_pfn(page);
	va = page_address(page);
	KTEST_EXPECT_TRUE(t, memchr_inv(va, 0, 4 * PAGE_SIZE) == NULL);
	KTEST_EXPECT_TRUE(t, virt_to_page(va) == page);
	KTEST_EXPECT_EQ(t, page_to_phys(page), virt_to_phys(va));
	KTEST_EXPECT_TRUE(t, virt_to_head_page(va + 3 * PAGE_SIZE + 17) == page);
	KTEST_EXPECT_TRUE(t, pfn_allocated(pfn + 3));
	KTEST_EXPECT_FALSE(t, pfn_is_block_head(pfn + 3));
	KTEST_EXPECT_EQ(t, page_type(page), PAGE_TYPE_BUDDY);
	KTEST_EXPECT_EQ(t, page->flags, 0);
	KTEST_EXPECT_EQ(t, page->units, 0);
	page_set_type(page, PAGE_TYPE_SLAB);
	page->slab_cache = page;
	page->counters = 42;
	page->units = 7;
	KTEST_EXPECT_EQ(t, page_type(virt_to_head_page(va + 5)), PAGE_TYPE_SLAB);
	KTEST_EXPECT_TRUE(t, virt_to_head_page(va + 5)->slab_cache == page);
	/* Foreign pointers are recognised, not followed. */
	KTEST_EXPECT_NULL(t, virt_to_head_page(&not_in_ram));
	KTEST_EXPECT_NULL(t, virt_to_head_page(NULL));
	KTEST_EXPECT_NULL(t, pfn_to_block_head(~0UL));
	KTEST_EXPECT_NULL(t, pfn_to_block_head(0));
	__free_pages(page, 2);
	KTEST_EXPECT_NULL(t, virt_to_head_page(va));
	/* The next owner gets a clean tag. */
	page = alloc_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_NOT_NULL(t, page);
	KTEST_EXPECT_EQ(t, page_type(page), PAGE_TYPE_BUDDY);
	KTEST_EXPECT_EQ(t, page->units, 0);
	free_pages((unsigned long)page_address(page), 2);
	KTEST_EXPECT_FALSE(t, pfn_allocated(page_to_pfn(page)));
}

/* ---------------------------------------------------------------------
 * Errors: each rejected call returns its error and changes nothing
 */

struct pa_state {
	struct free_area_fingerprint fp;
	unsigned long nr_free;
};

static void snap(struct pa_state *s)
{
	page_alloc_fingerprint(&s->fp);
	s->nr_free = nr_free_pages();
}

static bool unchanged(const struct pa_state *s)
{
	struct pa_state now;

	snap(&now);
	return now.nr_free == s->nr_free && fp_equal(&now.fp, &s->fp);
}

#ifdef __HOSTED__
/* Hosted: count the log lines of each rejected call (one, rate limit allowing). */
static unsigned long error_lines;
static void (*chained_hook)(const char *msg);

static void count_error_line(const char *msg)
{
	if (strstr(msg, "page_alloc: ") && strstr(msg, "(-E"))
		error_lines++;
	if (chained_hook)
		chained_hook(msg);
}
#define LINES_BEFORE()	unsigned long __lines = error_lines
#define LINES_AFTER(t)	KTEST_EXPECT_LE(t, error_lines - __lines, 1)
#else
#define LINES_BEFORE()	do { } while (0)
#define LINES_AFTER(t)	do { } while (0)
#endif

#define EXPECT_REJECTED(t, call, err, st) do {				\
	LINES_BEFORE();							\
	KTEST_EXPECT_EQ(t, call, err);					\
	LINES_AFTER(t);							\
	KTEST_EXPECT_TRUE(t, unchanged(st));				\
} while (0)

static void test_error_paths(struct ktest *t)
{
	phys_addr_t f, run, beyond = PFN_PHYS(max_pfn) + 64 * PAGE_SIZE;
	phys_addr_t kimage = ALIGN(kernel_phys_start(), PAGE_SIZE);
	struct pa_state st;
	unsigned long flags;

#ifdef __HOSTED__
	chained_hook = hosted_printk_hook;
	hosted_printk_hook = count_error_line;
	error_lines = 0;
#endif
	/* Keep interrupt handlers out of our caches while we compare states. */
	local_irq_save(flags);
	KTEST_ASSERT_EQ(t, alloc_frame(&f), 0);
	if (alloc_contiguous(16, &run)) {
		local_irq_restore(flags);
		free_frame(f);
		KTEST_ASSERT_TRUE(t, false);
	}
	snap(&st);

	/* -EINVAL: misaligned address, bad count. */
	EXPECT_REJECTED(t, free_frame(f + 1), -EINVAL, &st);
	EXPECT_REJECTED(t, free_frame(f + PAGE_SIZE / 2), -EINVAL, &st);
	EXPECT_REJECTED(t, free_contiguous(run + 8, 2), -EINVAL, &st);
	EXPECT_REJECTED(t, free_contiguous(run, 0), -EINVAL, &st);
	EXPECT_REJECTED(t, free_contiguous(run, MAX_ORDER_NR_PAGES + 1), -EINVAL, &st);
	EXPECT_REJECTED(t, alloc_contiguous(0, &f), -EINVAL, &st);
	EXPECT_REJECTED(t, alloc_contiguous(MAX_ORDER_NR_PAGES + 1, &f), -EINVAL, &st);
	EXPECT_REJECTED(t, alloc_contiguous((size_t)-1, &f), -EINVAL, &st);
	KTEST_EXPECT_NULL(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER + 1));
	KTEST_EXPECT_TRUE(t, unchanged(&st));

	/* -EFAULT: beyond RAM, reserved (low 1 MiB, kernel image), wrap. */
	EXPECT_REJECTED(t, free_frame(beyond), -EFAULT, &st);
	EXPECT_REJECTED(t, free_frame(~0ULL & PAGE_MASK), -EFAULT, &st);
	EXPECT_REJECTED(t, free_frame(0), -EFAULT, &st);
	EXPECT_REJECTED(t, free_frame(0x8000), -EFAULT, &st);
	EXPECT_REJECTED(t, free_frame(kimage), -EFAULT, &st);
	EXPECT_REJECTED(t, free_contiguous(PFN_PHYS(max_pfn - 1), 4), -EFAULT, &st);
	EXPECT_REJECTED(t, free_contiguous(~0ULL & PAGE_MASK, 4), -EFAULT, &st);
#ifdef __HOSTED__
	/* Firmware hole at 12 MiB and the big hole below 4 GiB. */
	EXPECT_REJECTED(t, free_frame(12ULL << 20), -EFAULT, &st);
	EXPECT_REJECTED(t, free_frame(1ULL << 30), -EFAULT, &st);
	/* A run that starts in RAM and runs into the ACPI range: nothing freed. */
	EXPECT_REJECTED(t, free_contiguous((96ULL << 20) - 2 * PAGE_SIZE, 4), -EFAULT, &st);
#endif

	/* -ENOENT: partly allocated runs (make a hole at the end first). */
	KTEST_EXPECT_EQ(t, free_frame(run + 15 * PAGE_SIZE), 0);
	snap(&st);
	EXPECT_REJECTED(t, free_contiguous(run, 16), -ENOENT, &st);
	EXPECT_REJECTED(t, free_contiguous(run + 14 * PAGE_SIZE, 2), -ENOENT, &st);
	KTEST_EXPECT_TRUE(t, range_allocated(PHYS_PFN(run), 15));
	/* -ENOENT: double free, from the cache and from the free lists. */
	KTEST_EXPECT_EQ(t, free_frame(f), 0);
	snap(&st);
	EXPECT_REJECTED(t, free_frame(f), -ENOENT, &st);	/* in this CPU's cache */
	EXPECT_REJECTED(t, free_contiguous(f, 1), -ENOENT, &st);
	drain_local_pages();
	snap(&st);
	EXPECT_REJECTED(t, free_frame(f), -ENOENT, &st);	/* on a free list */
	KTEST_EXPECT_EQ(t, free_contiguous(run, 15), 0);
	snap(&st);
	EXPECT_REJECTED(t, free_contiguous(run, 15), -ENOENT, &st);
	EXPECT_REJECTED(t, free_frame(run + 14 * PAGE_SIZE), -ENOENT, &st);
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
#ifdef __HOSTED__
	/* Every kind of error was reported (at most 10 lines per call site). */
	hosted_printk_hook = chained_hook;
	KTEST_EXPECT_GE(t, error_lines, 20);
#endif
}

/* ---------------------------------------------------------------------
 * Exhaustion: take everything, give it back, find the lists as they were
 */

/* Blocks are chained through their own first bytes: no extra memory. */
struct held_block {
	struct held_block *next;
	unsigned int order;
};

static void test_exhaust_and_restore(struct ktest *t)
{
	struct held_block *list = NULL;
	struct free_area_fingerprint before, after;
	unsigned long nr_before, taken = 0, zone_blocks[MAX_NR_ZONES] = { 0 };
	struct page_alloc_stats st;
	struct page_alloc_cpu_stats c0, c1;
	bool spans = false;
	phys_addr_t f;

	settle();
	page_alloc_fingerprint(&before);
	nr_before = nr_free_pages();
	page_alloc_get_stats(&st);
	for (int o = MAX_ORDER; o >= 0; o--) {
		struct page *page;

		while ((page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, o))) {
			struct held_block *b = page_address(page);
			unsigned long pfn = page_to_pfn(page);
			unsigned long last = pfn + (1UL << o) - 1;
			unsigned int z = pfn < ZONE_DMA_END_PFN ? 0 : pfn < ZONE_DMA32_END_PFN ? 1 : 2;
			unsigned int zl = last < ZONE_DMA_END_PFN ? 0 : last < ZONE_DMA32_END_PFN ? 1 : 2;

			spans |= z != zl;
			zone_blocks[z]++;
			b->next = list;
			b->order = o;
			list = b;
			taken += 1UL << o;
		}
	}
	KTEST_EXPECT_FALSE(t, spans);
	/* A failing alloc_frame() misses twice: before and after the drain, no more. */
	page_alloc_cpu_stats(smp_processor_id(), &c0);
	KTEST_EXPECT_EQ(t, alloc_frame(&f), -ENOMEM);
	page_alloc_cpu_stats(smp_processor_id(), &c1);
	KTEST_EXPECT_EQ(t, c1.pcp_misses - c0.pcp_misses, 2);
	KTEST_EXPECT_EQ(t, alloc_contiguous(1, &f), -ENOMEM);
	KTEST_EXPECT_NULL(t, alloc_pages(GFP_DMA | __GFP_NOWARN, 0));
#ifdef __HOSTED__
	/* In the kernel, idle CPUs may keep cached frames (no drain IPI). */
	KTEST_EXPECT_EQ(t, nr_free_pages(), 0);
	KTEST_EXPECT_EQ(t, taken, nr_before);
#endif
	/* Every populated zone was used: the fallback NORMAL -> DMA32 -> DMA works. */
	for (unsigned int z = 0; z < MAX_NR_ZONES; z++)
		if (st.zone[z].managed)
			KTEST_EXPECT_GT(t, zone_blocks[z], 0);
	while (list) {
		struct held_block *b = list;

		list = b->next;
		__free_pages(virt_to_page(b), b->order);
	}
	settle();
	page_alloc_fingerprint(&after);
	KTEST_EXPECT_EQ(t, nr_free_pages(), nr_before);
	KTEST_EXPECT_TRUE(t, fp_equal(&before, &after));
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
	ktest_log(t, "%lu frames taken and given back", taken);
}

/* The same frame by frame on an instance, freed in a shuffled order. */
static void test_exhaust_instance(struct ktest *t)
{
	static struct buddy_test_instance bi;
	static phys_addr_t frames[1024];
	struct free_area_fingerprint before, after;
	u64 seed = 0x9e3779b97f4a7c15ULL;
	phys_addr_t f;

	KTEST_ASSERT_EQ(t, buddy_test_init(&bi, 10), 0);
	buddy_test_fingerprint(&bi, &before);
	for (unsigned int i = 0; i < 1024; i++) {
		if (buddy_test_alloc_frame(&bi, &frames[i])) {
			KTEST_EXPECT_EQ(t, i, 1024);
			break;
		}
		KTEST_EXPECT_EQ(t, PHYS_PFN(frames[i]) - bi.base_pfn < 1024, 1);
		KTEST_EXPECT_FALSE(t, i && frames[i] == frames[i - 1]);
	}
	KTEST_EXPECT_EQ(t, buddy_test_alloc_frame(&bi, &f), -ENOMEM);
	KTEST_EXPECT_EQ(t, buddy_test_nr_free(&bi), 0);
	for (unsigned int i = 1023; i > 0; i--) {
		unsigned int j = rnd_below(&seed, i + 1);

		swap(frames[i], frames[j]);
	}
	for (unsigned int i = 0; i < 1024; i++)
		KTEST_EXPECT_EQ(t, buddy_test_free_frame(&bi, frames[i]), 0);
	KTEST_EXPECT_EQ(t, buddy_test_free_frame(&bi, frames[0]), -ENOENT);
	buddy_test_drain(&bi);
	buddy_test_fingerprint(&bi, &after);
	KTEST_EXPECT_TRUE(t, fp_equal(&before, &after));
	KTEST_EXPECT_EQ(t, buddy_test_nr_free(&bi), 1024);
	KTEST_EXPECT_EQ(t, buddy_test_check(&bi), 0);
	/* Contiguous runs of every size inside the instance. */
	for (size_t n = 1; n <= 1024; n = n * 3 + 1) {
		phys_addr_t base;

		KTEST_EXPECT_EQ(t, buddy_test_alloc_contiguous(&bi, n, &base), 0);
		KTEST_EXPECT_EQ(t, buddy_test_nr_free(&bi), 1024 - n);
		KTEST_EXPECT_EQ(t, buddy_test_free_contiguous(&bi, base, n), 0);
	}
	KTEST_EXPECT_EQ(t, buddy_test_destroy(&bi), 0);
}

/* ---------------------------------------------------------------------
 * Zones
 */

static void test_zones(struct ktest *t)
{
	struct held_block *list = NULL;
	unsigned long nr_before, dma = 0;
	struct page_alloc_stats st;
	struct page *page;
	phys_addr_t f;

	settle();
	nr_before = nr_free_pages();
	page_alloc_get_stats(&st);
	/* GFP_DMA: everything below 16 MiB, then nothing. */
	while ((page = alloc_pages(GFP_DMA | __GFP_NOWARN, 0))) {
		struct held_block *b = page_address(page);

		KTEST_EXPECT_LE(t, page_to_phys(page) + PAGE_SIZE, 16ULL << 20);
		b->next = list;
		b->order = 0;
		list = b;
		dma++;
	}
#ifdef __HOSTED__
	KTEST_EXPECT_EQ(t, dma, st.zone[ZONE_DMA].managed);
#else
	KTEST_EXPECT_LE(t, dma, st.zone[ZONE_DMA].managed);
#endif
	/* Other zones still serve GFP_KERNEL. */
	if (st.zone[ZONE_DMA32].managed || st.zone[ZONE_NORMAL].managed) {
		KTEST_EXPECT_EQ(t, alloc_frame(&f), 0);
		KTEST_EXPECT_GE(t, f, 16ULL << 20);
		free_frame(f);
	}
	/* GFP_DMA32: big blocks, all below 4 GiB. */
	for (int o = MAX_ORDER; o >= 3; o -= 3) {
		page = alloc_pages(GFP_DMA32 | __GFP_NOWARN, o);
		if (!page)
			continue;
		KTEST_EXPECT_LE(t, page_to_phys(page) + (PAGE_SIZE << o), 4ULL << 30);
		((struct held_block *)page_address(page))->next = list;
		((struct held_block *)page_address(page))->order = o;
		list = page_address(page);
	}
	/* GFP_KERNEL prefers the highest zone. */
	if (st.zone[ZONE_NORMAL].managed) {
		KTEST_EXPECT_EQ(t, alloc_frame(&f), 0);
		KTEST_EXPECT_GE(t, f, 4ULL << 30);
		free_frame(f);
	}
	while (list) {
		struct held_block *b = list;

		list = b->next;
		__free_pages(virt_to_page(b), b->order);
	}
	settle();
	KTEST_EXPECT_EQ(t, nr_free_pages(), nr_before);
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
}

/* ---------------------------------------------------------------------
 * Per-CPU caches
 */

/* Exact behaviour on an instance: one cache, nothing else touches it. */
static void test_pcp_instance(struct ktest *t)
{
	static struct buddy_test_instance bi;
	static phys_addr_t frames[PCP_HIGH + PCP_BATCH];
	unsigned int order = clamp(order_base_2(PCP_HIGH + PCP_BATCH), 10U, (unsigned int)MAX_ORDER);
	unsigned long size = 1UL << order;
	struct page_alloc_cpu_stats s0, s1;
	unsigned int batch = PCP_BATCH, refill = PCP_REFILL_BLOCKS(0), n;

	KTEST_ASSERT_EQ(t, buddy_test_init(&bi, order), 0);
	buddy_test_stats(&bi, &s0);
	/* Miss: one refill (the batch rounded up to a power of two), one frame handed out. */
	KTEST_EXPECT_EQ(t, buddy_test_alloc_frame(&bi, &frames[0]), 0);
	buddy_test_stats(&bi, &s1);
	KTEST_EXPECT_EQ(t, s1.pcp_misses - s0.pcp_misses, 1);
	KTEST_EXPECT_EQ(t, s1.pcp_refills - s0.pcp_refills, 1);
	KTEST_EXPECT_EQ(t, buddy_test_pcp_count(&bi, 0), refill - 1);
	KTEST_EXPECT_EQ(t, buddy_test_nr_free(&bi), size - 1);
	/* One buddy block, handed out in ascending order. */
	for (unsigned int i = 1; i < refill; i++)
		KTEST_EXPECT_EQ(t, buddy_test_alloc_frame(&bi, &frames[i]), 0);
	for (unsigned int i = 1; i < refill; i++)
		KTEST_EXPECT_EQ(t, frames[i], frames[0] + i * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, frames[0] & (refill * PAGE_SIZE - 1), 0);
	buddy_test_stats(&bi, &s1);
	KTEST_EXPECT_EQ(t, s1.pcp_hits - s0.pcp_hits, refill - 1);
	KTEST_EXPECT_EQ(t, buddy_test_pcp_count(&bi, 0), 0);
	/* Frees fill the cache; at PCP_HIGH pages a batch is drained. */
	n = min_t(unsigned long, PCP_HIGH + batch, size);
	for (unsigned int i = refill; i < n; i++)
		KTEST_EXPECT_EQ(t, buddy_test_alloc_frame(&bi, &frames[i]), 0);
	buddy_test_drain(&bi);		/* whatever the last refill left */
	buddy_test_stats(&bi, &s0);
	for (unsigned int i = 0; i < PCP_HIGH - 1 && i < n; i++)
		KTEST_EXPECT_EQ(t, buddy_test_free_frame(&bi, frames[i]), 0);
	buddy_test_stats(&bi, &s1);
	KTEST_EXPECT_EQ(t, s1.pcp_drains, s0.pcp_drains);
	if (n > PCP_HIGH - 1) {
		KTEST_EXPECT_EQ(t, buddy_test_pcp_count(&bi, 0), PCP_HIGH - 1);
		KTEST_EXPECT_EQ(t, buddy_test_free_frame(&bi, frames[PCP_HIGH - 1]), 0);
		buddy_test_stats(&bi, &s1);
		KTEST_EXPECT_EQ(t, s1.pcp_drains - s0.pcp_drains, 1);
		/* The batch, then up to the end of its refill-sized block (frames contiguous). */
		KTEST_EXPECT_EQ(t, buddy_test_pcp_count(&bi, 0), PCP_HIGH - ALIGN(batch, refill));
	}
	for (unsigned int i = PCP_HIGH; i < n; i++)
		KTEST_EXPECT_EQ(t, buddy_test_free_frame(&bi, frames[i]), 0);
	/* Higher orders have their own rings, counted in pages. */
	buddy_test_drain(&bi);
	{
		phys_addr_t b8;

		KTEST_EXPECT_EQ(t, buddy_test_alloc_contiguous(&bi, 8, &b8), 0);
		KTEST_EXPECT_EQ(t, b8 & (8 * PAGE_SIZE - 1), 0);
		KTEST_EXPECT_EQ(t, buddy_test_pcp_count(&bi, 3), PCP_REFILL_BLOCKS(3) - 1);
		KTEST_EXPECT_EQ(t, buddy_test_free_contiguous(&bi, b8, 8), 0);
		KTEST_EXPECT_EQ(t, buddy_test_pcp_count(&bi, 3), PCP_REFILL_BLOCKS(3));
	}
	KTEST_EXPECT_EQ(t, buddy_test_nr_free(&bi), size);
	buddy_test_drain(&bi);
	KTEST_EXPECT_EQ(t, buddy_test_pcp_count(&bi, 0), 0);
	KTEST_EXPECT_EQ(t, buddy_test_check(&bi), 0);
	KTEST_EXPECT_EQ(t, buddy_test_destroy(&bi), 0);
}

/*
 * The linear stacks: freeing far more than the high-water mark drains a
 * batch of the oldest frames (rounded up to a refill's block, as they are
 * contiguous) every time the stack reaches the mark, and once the stack
 * reaches the end of its slots its blocks move down.  Through all that
 * the cache stays LIFO, every frame comes back exactly once and the hit
 * counter (derived, not counted) stays exact.
 */
static void test_pcp_compaction(struct ktest *t)
{
	static struct buddy_test_instance bi;
	static phys_addr_t frames[1UL << 12];
	unsigned int order = min(12U, (unsigned int)MAX_ORDER);
	unsigned long size = 1UL << order, n = 2 * PCP_HIGH + 3 * PCP_BATCH;
	unsigned long drain = ALIGN(PCP_BATCH, PCP_REFILL_BLOCKS(0));
	struct free_area_fingerprint before, after;
	struct page_alloc_cpu_stats s0, s1;
	phys_addr_t f;

	if (n > size)
		KTEST_SKIP(t, "PCP_HIGH too large for a 2^MAX_ORDER instance");
	KTEST_ASSERT_EQ(t, buddy_test_init(&bi, order), 0);
	buddy_test_fingerprint(&bi, &before);
	for (unsigned long i = 0; i < n; i++)
		KTEST_ASSERT_EQ(t, buddy_test_alloc_frame(&bi, &frames[i]), 0);
	buddy_test_drain(&bi);
	buddy_test_stats(&bi, &s0);
	for (unsigned long i = 0; i < n; i++)
		KTEST_ASSERT_EQ(t, buddy_test_free_frame(&bi, frames[i]), 0);
	buddy_test_stats(&bi, &s1);
	/*
	 * Drained each time the stack reached PCP_HIGH: a batch, then (the
	 * frames being contiguous from an aligned one) on to the end of its
	 * refill-sized block.
	 */
	KTEST_EXPECT_EQ(t, s1.pcp_drains - s0.pcp_drains, (n - PCP_HIGH) / drain + 1);
	KTEST_EXPECT_EQ(t, buddy_test_pcp_count(&bi, 0), n - ((n - PCP_HIGH) / drain + 1) * drain);
	KTEST_EXPECT_EQ(t, buddy_test_nr_free(&bi), size);
	KTEST_EXPECT_EQ(t, buddy_test_check(&bi), 0);
	/* LIFO across the compaction: the newest frames come back first. */
	for (unsigned long i = n; i-- > n - 2 * PCP_BATCH;) {
		KTEST_ASSERT_EQ(t, buddy_test_alloc_frame(&bi, &f), 0);
		KTEST_EXPECT_EQ(t, f, frames[i]);
		frames[i] = f;
	}
	buddy_test_stats(&bi, &s0);
	KTEST_EXPECT_EQ(t, s0.pcp_hits - s1.pcp_hits, 2 * PCP_BATCH);
	KTEST_EXPECT_EQ(t, s0.pcp_misses, s1.pcp_misses);
	for (unsigned long i = n - 2 * PCP_BATCH; i < n; i++)
		KTEST_EXPECT_EQ(t, buddy_test_free_frame(&bi, frames[i]), 0);
	buddy_test_drain(&bi);
	buddy_test_fingerprint(&bi, &after);
	KTEST_EXPECT_TRUE(t, fp_equal(&before, &after));
	KTEST_EXPECT_EQ(t, buddy_test_check(&bi), 0);
	KTEST_EXPECT_EQ(t, buddy_test_destroy(&bi), 0);
}

/* Order-9 (2 MiB) blocks have their own cache of PCP_HUGE_HIGH blocks. */
static void test_pcp_huge(struct ktest *t)
{
	static struct buddy_test_instance bi;
	struct free_area_fingerprint before, after;
	struct page_alloc_cpu_stats s0, s1;
	phys_addr_t b[PCP_HUGE_HIGH + 1], again;
	/* Room for PCP_HUGE_HIGH + 1 blocks of order 9. */
	unsigned int order = PCP_HUGE_ORDER + order_base_2(PCP_HUGE_HIGH + 1);

	if (!PCP_HUGE_HIGH)
		KTEST_SKIP(t, "CONFIG_PCP_HUGE_HIGH=0");
	if (order > MAX_ORDER)
		KTEST_SKIP(t, "MAX_ORDER too small for PCP_HUGE_HIGH + 1 blocks of order 9");
	KTEST_ASSERT_EQ(t, buddy_test_init(&bi, order), 0);
	buddy_test_fingerprint(&bi, &before);
	buddy_test_stats(&bi, &s0);
	/* A miss refills one block and hands it out: the cache stays empty. */
	KTEST_ASSERT_EQ(t, buddy_test_alloc_contiguous(&bi, 512, &b[0]), 0);
	KTEST_EXPECT_EQ(t, b[0] & (PFN_PHYS(512) - 1), 0);
	buddy_test_stats(&bi, &s1);
	KTEST_EXPECT_EQ(t, s1.pcp_misses - s0.pcp_misses, 1);
	KTEST_EXPECT_EQ(t, buddy_test_pcp_count(&bi, PCP_HUGE_ORDER), 0);
	/* Freed: cached, and the next allocation is a hit on the same block. */
	KTEST_EXPECT_EQ(t, buddy_test_free_contiguous(&bi, b[0], 512), 0);
	KTEST_EXPECT_EQ(t, buddy_test_pcp_count(&bi, PCP_HUGE_ORDER), 1);
	KTEST_EXPECT_EQ(t, buddy_test_alloc_contiguous(&bi, 512, &again), 0);
	KTEST_EXPECT_EQ(t, again, b[0]);
	buddy_test_stats(&bi, &s0);
	KTEST_EXPECT_EQ(t, s0.pcp_hits - s1.pcp_hits, 1);
	KTEST_EXPECT_EQ(t, s0.splits, s1.splits);	/* no buddy work at all */
	/* One block more than the limit: the oldest goes back to the zone. */
	for (unsigned int i = 1; i <= PCP_HUGE_HIGH; i++)
		KTEST_ASSERT_EQ(t, buddy_test_alloc_contiguous(&bi, 512, &b[i]), 0);
	for (unsigned int i = 0; i <= PCP_HUGE_HIGH; i++)
		KTEST_EXPECT_EQ(t, buddy_test_free_contiguous(&bi, b[i], 512), 0);
	KTEST_EXPECT_EQ(t, buddy_test_pcp_count(&bi, PCP_HUGE_ORDER), PCP_HUGE_HIGH);
	KTEST_EXPECT_EQ(t, buddy_test_nr_free(&bi), 1UL << order);
	/* Still a double free once cached. */
	KTEST_EXPECT_EQ(t, buddy_test_free_contiguous(&bi, b[PCP_HUGE_HIGH], 512), -ENOENT);
	buddy_test_drain(&bi);
	buddy_test_fingerprint(&bi, &after);
	KTEST_EXPECT_TRUE(t, fp_equal(&before, &after));
	KTEST_EXPECT_EQ(t, buddy_test_check(&bi), 0);
	KTEST_EXPECT_EQ(t, buddy_test_destroy(&bi), 0);
}

/* The real per-CPU cache of this CPU. */
static void test_pcp_local(struct ktest *t)
{
	struct page_alloc_cpu_stats s0, s1;
	unsigned long cached, flags;
	unsigned int cpu;
	phys_addr_t f1, f2;

	local_irq_save(flags);
	cpu = smp_processor_id();
	drain_local_pages();
	page_alloc_cpu_stats(cpu, &s0);
	KTEST_EXPECT_EQ(t, alloc_frame(&f1), 0);
	cached = page_alloc_cpu_stats(cpu, &s1);
	KTEST_EXPECT_EQ(t, s1.pcp_misses - s0.pcp_misses, 1);
	KTEST_EXPECT_EQ(t, s1.pcp_refills - s0.pcp_refills, 1);
	KTEST_EXPECT_EQ(t, cached, PCP_REFILL_BLOCKS(0) - 1);
	KTEST_EXPECT_EQ(t, alloc_frame(&f2), 0);
	page_alloc_cpu_stats(cpu, &s0);
	KTEST_EXPECT_EQ(t, s0.pcp_hits - s1.pcp_hits, 1);
	KTEST_EXPECT_EQ(t, free_frame(f2), 0);
	KTEST_EXPECT_EQ(t, free_frame(f1), 0);
	cached = page_alloc_cpu_stats(cpu, &s1);
	KTEST_EXPECT_EQ(t, cached, PCP_REFILL_BLOCKS(0));
	KTEST_EXPECT_EQ(t, s1.frees - s0.frees, 2);
	/* LIFO: the last frame freed is the next one handed out. */
	KTEST_EXPECT_EQ(t, alloc_frame(&f2), 0);
	KTEST_EXPECT_EQ(t, f2, f1);
	free_frame(f2);
	drain_local_pages();
	KTEST_EXPECT_EQ(t, page_alloc_cpu_stats(cpu, &s1), 0);
	local_irq_restore(flags);
}

/* ---------------------------------------------------------------------
 * Poisoning
 */

static void test_poisoning(struct ktest *t)
{
	struct page_alloc_stats st;
	unsigned long errors, flags;
	phys_addr_t f, g;
	bool was;

	if (!IS_ENABLED(CONFIG_PAGE_POISONING))
		KTEST_SKIP(t, "CONFIG_PAGE_POISONING=n");
	was = page_poison_enable(true);
	local_irq_save(flags);
	page_alloc_get_stats(&st);
	errors = st.poison_errors;
	/* Clean reuse: no report. */
	KTEST_EXPECT_EQ(t, alloc_frame(&f), 0);
	memset(phys_to_virt(f), 0x11, PAGE_SIZE);
	KTEST_EXPECT_EQ(t, free_frame(f), 0);
	/* Page poisoning's checks to make, not KASAN's (three bad accesses). */
	kasan_disable_current();
	KTEST_EXPECT_EQ(t, *(u8 *)phys_to_virt(f), 0xaa);
	kasan_enable_current();
	KTEST_EXPECT_EQ(t, alloc_frame(&g), 0);
	KTEST_EXPECT_EQ(t, g, f);
	page_alloc_get_stats(&st);
	KTEST_EXPECT_EQ(t, st.poison_errors, errors);
	/* A write after free (done on purpose, through the direct map). */
	KTEST_EXPECT_EQ(t, free_frame(g), 0);
	kasan_disable_current();
	((volatile u8 *)phys_to_virt(g))[123] = 0x42;
	kasan_enable_current();
	KTEST_EXPECT_EQ(t, alloc_frame(&f), 0);
	KTEST_EXPECT_EQ(t, f, g);
	page_alloc_get_stats(&st);
	KTEST_EXPECT_EQ(t, st.poison_errors, errors + 1);
	KTEST_EXPECT_EQ(t, free_frame(f), 0);
	local_irq_restore(flags);
	/* Larger blocks, through the free lists (an instance: same block back). */
	{
		static struct buddy_test_instance bi;
		phys_addr_t base, again;
		u8 *va;

		KTEST_ASSERT_EQ(t, buddy_test_init(&bi, 10), 0);
		KTEST_EXPECT_EQ(t, buddy_test_alloc_contiguous(&bi, 64, &base), 0);
		va = phys_to_virt(base);
		KTEST_EXPECT_EQ(t, buddy_test_free_contiguous(&bi, base, 64), 0);
		kasan_disable_current();
		va[63 * PAGE_SIZE + 4095] = 0;
		kasan_enable_current();
		KTEST_EXPECT_EQ(t, buddy_test_alloc_contiguous(&bi, 64, &again), 0);
		KTEST_EXPECT_EQ(t, again, base);
		page_alloc_get_stats(&st);
		KTEST_EXPECT_EQ(t, st.poison_errors, errors + 2);
		KTEST_EXPECT_EQ(t, buddy_test_free_contiguous(&bi, again, 64), 0);
		KTEST_EXPECT_EQ(t, buddy_test_destroy(&bi), 0);
	}
	page_poison_enable(was);
}

static struct ktest_case page_alloc_cases[] = {
	KTEST_CASE(test_buddy_alloc_free),
	KTEST_CASE(test_buddy_coalescing),
	KTEST_CASE_RAM(test_buddy_coalescing_instance, 0, 64),
	KTEST_CASE_RAM(test_alignment_every_order, 0, 16),	/* a free order-9 block */
	KTEST_CASE_RAM(test_alloc_contiguous_tail, 0, 32),
	KTEST_CASE(test_free_pieces),
	KTEST_CASE(test_free_misaligned_run),
	KTEST_CASE(test_refused_free_undone),
	KTEST_CASE(test_page_metadata),
	KTEST_CASE(test_error_paths),
	KTEST_CASE(test_exhaust_and_restore),
	KTEST_CASE_RAM(test_exhaust_instance, 0, 64),
	KTEST_CASE(test_zones),
	KTEST_CASE_RAM(test_pcp_instance, 0, 64),
	KTEST_CASE_RAM(test_pcp_compaction, 0, 64),
	KTEST_CASE_RAM(test_pcp_huge, 0, 64),
	KTEST_CASE_RAM(test_pcp_drain_runs, 0, 16),
	KTEST_CASE_RAM(test_pcp_drain_shuffled, 0, 16),
	KTEST_CASE(test_pcp_local),
	KTEST_CASE(test_pcp_local_mark),
	KTEST_CASE(test_poisoning),
	KTEST_CASE_FLAGS(test_random_sequence, KTEST_F_SLOW),
	KTEST_CASE_FLAGS(test_smp_stress, KTEST_F_SMP | KTEST_F_SLOW),
	/*
	 * With a few hundred free frames a bystander reallocates the run
	 * between the two frees, and the second free is then a valid one.
	 */
	KTEST_CASE_RAM(test_double_free_race, KTEST_F_SMP, 16),
	KTEST_CASE_FLAGS(test_split_free_race, KTEST_F_SMP),
	KTEST_CASE(test_memblock_reservations),
#ifndef __HOSTED__
	KTEST_CASE(test_pcp_restart),
	KTEST_CASE(test_pcp_restart_step),
	KTEST_CASE_FLAGS(test_pcp_irq_interleave, KTEST_F_SMP),
	KTEST_CASE_FLAGS(test_pcp_local_mark_smp, KTEST_F_SMP),
#endif
#ifdef __HOSTED__
	KTEST_CASE(test_memblock_sanitise),
	KTEST_CASE(test_percpu_area_copy),
	KTEST_CASE(test_init_16g),
#endif
	{}
};

static struct ktest_suite page_alloc_suite = {
	.name = "page_alloc",
	.cases = page_alloc_cases,
	.init = pa_test_init,
};
KTEST_SUITE(page_alloc_suite);
