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

#ifdef __HOSTED__
#include <asm/hosted.h>
#define RANDOM_OPS	2000000UL
#define RANDOM_CHECK	8192UL		/* full consistency check period */
#define STRESS_NS	(1000 * NSEC_PER_MSEC)
#define STRESS_CPUS	{ 2, NR_CPUS - 1 }
#define STRESS_NCPU(n)	(n)
#else
#define RANDOM_OPS	20000UL
#define RANDOM_CHECK	1000UL
#define STRESS_NS	(3000 * NSEC_PER_MSEC)
#define STRESS_CPUS	{ 0 }		/* every online CPU */
#define STRESS_PER_CPU	2		/* threads per CPU */
#define STRESS_NCPU(n)	num_online_cpus()
#endif

#define PA_BAD	((phys_addr_t)0x123)	/* an address nobody allocates */

/* xorshift64*: deterministic, cheap, good enough for test sequences. */
static u64 rnd_next(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static unsigned long rnd_below(u64 *s, unsigned long n)
{
	return (unsigned long)(rnd_next(s) % n);
}

static bool fp_equal(const struct free_area_fingerprint *a, const struct free_area_fingerprint *b)
{
	return !memcmp(a, b, sizeof(*a));
}

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

/* Drain every cache we can reach so the free lists are the whole story. */
static void settle(void)
{
	drain_all_pages();
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
	KTEST_EXPECT_EQ(t, alloc_frame(&f), -ENOMEM);
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
	unsigned int batch = PCP_BATCH, n;

	KTEST_ASSERT_EQ(t, buddy_test_init(&bi, order), 0);
	buddy_test_stats(&bi, &s0);
	/* Miss: one refill of a batch, one frame handed out. */
	KTEST_EXPECT_EQ(t, buddy_test_alloc_frame(&bi, &frames[0]), 0);
	buddy_test_stats(&bi, &s1);
	KTEST_EXPECT_EQ(t, s1.pcp_misses - s0.pcp_misses, 1);
	KTEST_EXPECT_EQ(t, s1.pcp_refills - s0.pcp_refills, 1);
	KTEST_EXPECT_EQ(t, buddy_test_pcp_count(&bi, 0), batch - 1);
	KTEST_EXPECT_EQ(t, buddy_test_nr_free(&bi), size - 1);
	/* Hits until the batch is used up. */
	for (unsigned int i = 1; i < batch; i++)
		KTEST_EXPECT_EQ(t, buddy_test_alloc_frame(&bi, &frames[i]), 0);
	buddy_test_stats(&bi, &s1);
	KTEST_EXPECT_EQ(t, s1.pcp_hits - s0.pcp_hits, batch - 1);
	KTEST_EXPECT_EQ(t, buddy_test_pcp_count(&bi, 0), 0);
	/* Frees fill the cache; at PCP_HIGH pages a batch is drained. */
	n = min_t(unsigned long, PCP_HIGH + batch, size);
	for (unsigned int i = batch; i < n; i++)
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
		KTEST_EXPECT_EQ(t, buddy_test_pcp_count(&bi, 0), PCP_HIGH - batch);
	}
	for (unsigned int i = PCP_HIGH; i < n; i++)
		KTEST_EXPECT_EQ(t, buddy_test_free_frame(&bi, frames[i]), 0);
	/* Higher orders have their own rings, counted in pages. */
	buddy_test_drain(&bi);
	{
		phys_addr_t b8;

		KTEST_EXPECT_EQ(t, buddy_test_alloc_contiguous(&bi, 8, &b8), 0);
		KTEST_EXPECT_EQ(t, b8 & (8 * PAGE_SIZE - 1), 0);
		KTEST_EXPECT_EQ(t, buddy_test_pcp_count(&bi, 3), max(batch / 8, 1U) - 1);
		KTEST_EXPECT_EQ(t, buddy_test_free_contiguous(&bi, b8, 8), 0);
		KTEST_EXPECT_EQ(t, buddy_test_pcp_count(&bi, 3), max(batch / 8, 1U));
	}
	KTEST_EXPECT_EQ(t, buddy_test_nr_free(&bi), size);
	buddy_test_drain(&bi);
	KTEST_EXPECT_EQ(t, buddy_test_pcp_count(&bi, 0), 0);
	KTEST_EXPECT_EQ(t, buddy_test_check(&bi), 0);
	KTEST_EXPECT_EQ(t, buddy_test_destroy(&bi), 0);
}

/*
 * The linear stacks: freeing far more than the high-water mark drains a
 * batch of the oldest frames every PCP_BATCH frees, and once the stack
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
	/* Drained a batch each time the stack reached PCP_HIGH. */
	KTEST_EXPECT_EQ(t, s1.pcp_drains - s0.pcp_drains, (n - PCP_HIGH) / PCP_BATCH + 1);
	KTEST_EXPECT_EQ(t, buddy_test_pcp_count(&bi, 0),
			n - ((n - PCP_HIGH) / PCP_BATCH + 1) * PCP_BATCH);
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
	KTEST_EXPECT_EQ(t, cached, PCP_BATCH - 1);
	KTEST_EXPECT_EQ(t, alloc_frame(&f2), 0);
	page_alloc_cpu_stats(cpu, &s0);
	KTEST_EXPECT_EQ(t, s0.pcp_hits - s1.pcp_hits, 1);
	KTEST_EXPECT_EQ(t, free_frame(f2), 0);
	KTEST_EXPECT_EQ(t, free_frame(f1), 0);
	cached = page_alloc_cpu_stats(cpu, &s1);
	KTEST_EXPECT_EQ(t, cached, PCP_BATCH);
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
	KTEST_EXPECT_EQ(t, *(u8 *)phys_to_virt(f), 0xaa);
	KTEST_EXPECT_EQ(t, alloc_frame(&g), 0);
	KTEST_EXPECT_EQ(t, g, f);
	page_alloc_get_stats(&st);
	KTEST_EXPECT_EQ(t, st.poison_errors, errors);
	/* A write after free (done on purpose, through the direct map). */
	KTEST_EXPECT_EQ(t, free_frame(g), 0);
	((volatile u8 *)phys_to_virt(g))[123] = 0x42;
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
		va[63 * PAGE_SIZE + 4095] = 0;
		KTEST_EXPECT_EQ(t, buddy_test_alloc_contiguous(&bi, 64, &again), 0);
		KTEST_EXPECT_EQ(t, again, base);
		page_alloc_get_stats(&st);
		KTEST_EXPECT_EQ(t, st.poison_errors, errors + 2);
		KTEST_EXPECT_EQ(t, buddy_test_free_contiguous(&bi, again, 64), 0);
		KTEST_EXPECT_EQ(t, buddy_test_destroy(&bi), 0);
	}
	page_poison_enable(was);
}

/* ---------------------------------------------------------------------
 * Random sequences with invariants checked after every step
 */

struct live_block {
	phys_addr_t base;
	unsigned int count;	/* frames */
	unsigned int kind;	/* how it was allocated */
};

enum { K_FRAME, K_PAGES, K_CONTIG };

/* Live blocks (~34 frames each on average): keep a kernel's RAM mostly free. */
#ifdef __HOSTED__
#define MAX_LIVE	4096
#else
#define MAX_LIVE	512
#endif

/*
 * The shadow bitmap has a bit per frame of [0, max_pfn): above 512 GiB of
 * address space that is more than one buddy block, so the kernel maps it
 * with vmalloc(); hosted machines are small.
 */
static unsigned long *shadow_alloc(size_t bytes)
{
#ifdef __HOSTED__
	phys_addr_t pa;

	return alloc_contiguous(DIV_ROUND_UP(bytes, PAGE_SIZE), &pa) ? NULL : phys_to_virt(pa);
#else
	return vmalloc(bytes);
#endif
}

static void shadow_free(unsigned long *shadow, size_t bytes)
{
#ifdef __HOSTED__
	free_contiguous(virt_to_phys(shadow), DIV_ROUND_UP(bytes, PAGE_SIZE));
#else
	(void)bytes;
	vfree(shadow);
#endif
}

static void test_random_sequence(struct ktest *t)
{
	unsigned long baseline, held = 0, shadow_bytes, steps = 0, failures = 0;
	struct free_area_fingerprint before, after;
	struct live_block *live;
	unsigned long *shadow;
	unsigned int nlive = 0;
	phys_addr_t live_pa;
	u64 seed = 0x5eed5eed12345678ULL;
	bool poison = page_poison_enable(true);

	/* The test's own bookkeeping comes from the allocator, before the baseline. */
	shadow_bytes = ALIGN(DIV_ROUND_UP(max_pfn, 8), PAGE_SIZE);
	shadow = shadow_alloc(shadow_bytes);
	KTEST_ASSERT_NOT_NULL(t, shadow);
	if (alloc_contiguous(DIV_ROUND_UP(MAX_LIVE * sizeof(*live), PAGE_SIZE), &live_pa)) {
		shadow_free(shadow, shadow_bytes);
		KTEST_ASSERT_TRUE(t, false);
	}
	live = phys_to_virt(live_pa);
	memset(shadow, 0, shadow_bytes);
	settle();
	baseline = nr_free_pages();
	page_alloc_fingerprint(&before);

	for (unsigned long i = 0; i < RANDOM_OPS && !t->failures; i++) {
		unsigned long r = rnd_below(&seed, 100);

		steps++;
		/* Poisoning is checked on the first stretch; then speed. */
		if (i == RANDOM_OPS / 20)
			page_poison_enable(false);
		if (nlive < MAX_LIVE && (!nlive || r < 52)) {
			struct live_block b = { 0 };
			unsigned long pfn, align;
			int err = 0;

			r = rnd_below(&seed, 100);
			if (r < 60) {
				b.kind = K_FRAME;
				b.count = 1;
				err = alloc_frame(&b.base);
			} else if (r < 95) {
				unsigned int o = r < 85 ? 1 + rnd_below(&seed, 3) : 4 + rnd_below(&seed, 6);
				struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, o);

				b.kind = K_PAGES;
				b.count = 1U << o;
				if (page)
					b.base = page_to_phys(page);
				else
					err = -ENOMEM;
			} else {
				b.kind = K_CONTIG;
				b.count = 2 + rnd_below(&seed, 600);
				err = alloc_contiguous(b.count, &b.base);
			}
			if (err) {
				/* Refused: nothing changed (checked below). */
				KTEST_ASSERT_EQ(t, err, -ENOMEM);
				failures++;
				goto check;
			}
			pfn = PHYS_PFN(b.base);
			align = 1UL << ilog2(b.count);
			KTEST_ASSERT_EQ(t, pfn & (align - 1), 0);
			for (unsigned long p = pfn; p < pfn + b.count; p++) {
				/* No overlap with anything handed out before. */
				KTEST_ASSERT_FALSE(t, (shadow[p / 64] >> (p % 64)) & 1);
				KTEST_ASSERT_TRUE(t, pfn_allocated(p));
				shadow[p / 64] |= 1UL << (p % 64);
			}
			if (b.kind != K_CONTIG)
				KTEST_ASSERT_TRUE(t, pfn_is_block_head(pfn));
			/* The halves a split gave back: aligned, listed, not mergeable. */
			KTEST_ASSERT_EQ(t, page_alloc_check_pfn(pfn - 1), 0);
			KTEST_ASSERT_EQ(t, page_alloc_check_pfn(pfn + b.count), 0);
			live[nlive++] = b;
			held += b.count;
		} else {
			unsigned int idx = rnd_below(&seed, nlive);
			struct live_block b = live[idx];
			unsigned long pfn = PHYS_PFN(b.base);

			live[idx] = live[--nlive];
			r = rnd_below(&seed, 4);
			if (b.kind == K_FRAME) {
				KTEST_ASSERT_EQ(t, free_frame(b.base), 0);
			} else if (b.kind == K_PAGES && r) {
				__free_pages(phys_to_page(b.base), ilog2(b.count));
			} else if (r == 1 && b.count > 2) {
				/* Two pieces, the second one first. */
				unsigned int cut = 1 + rnd_below(&seed, b.count - 1);

				KTEST_ASSERT_EQ(t, free_contiguous(b.base + PFN_PHYS(cut), b.count - cut), 0);
				KTEST_ASSERT_EQ(t, free_contiguous(b.base, cut), 0);
			} else {
				KTEST_ASSERT_EQ(t, free_contiguous(b.base, b.count), 0);
			}
			for (unsigned long p = pfn; p < pfn + b.count; p++) {
				KTEST_ASSERT_FALSE(t, pfn_allocated(p));
				shadow[p / 64] &= ~(1UL << (p % 64));
			}
			held -= b.count;
			/* The block each freed end went to, and their neighbours. */
			KTEST_ASSERT_EQ(t, page_alloc_check_pfn(pfn - 1), 0);
			KTEST_ASSERT_EQ(t, page_alloc_check_pfn(pfn), 0);
			KTEST_ASSERT_EQ(t, page_alloc_check_pfn(pfn + b.count - 1), 0);
			KTEST_ASSERT_EQ(t, page_alloc_check_pfn(pfn + b.count), 0);
			/* Now and then, a double free must be refused. */
			if (!(i & 255))
				KTEST_ASSERT_EQ(t, free_frame(b.base), -ENOENT);
		}
check:
		KTEST_ASSERT_EQ(t, nr_free_pages(), baseline - held);
		if (!(steps % RANDOM_CHECK))
			KTEST_ASSERT_EQ(t, page_alloc_check(), 0);
	}
	while (nlive) {
		struct live_block *b = &live[--nlive];

		KTEST_EXPECT_EQ(t, free_contiguous(b->base, b->count), 0);
	}
	page_poison_enable(poison);
	settle();
	page_alloc_fingerprint(&after);
	KTEST_EXPECT_EQ(t, nr_free_pages(), baseline);
	KTEST_EXPECT_TRUE(t, fp_equal(&before, &after));
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
	ktest_log(t, "%lu operations, %lu allocation failures", steps, failures);
	free_contiguous(live_pa, DIV_ROUND_UP(MAX_LIVE * sizeof(*live), PAGE_SIZE));
	shadow_free(shadow, shadow_bytes);
}

/* ---------------------------------------------------------------------
 * SMP stress: every CPU allocates, signs, verifies and frees
 */

struct stress_ctx {
	u64 deadline;
	atomic_t errors;
	atomic_long_t ops;
};

#define STRESS_SLOTS	64

/* What a frame of a block owned by stress worker @id must hold at both ends. */
static u64 stress_sig(phys_addr_t frame, unsigned int id)
{
	return frame ^ ((u64)id << 56) ^ 0x5ca1ab1e00000000ULL;
}

static void stress_sign(phys_addr_t base, unsigned int count, unsigned int id)
{
	for (unsigned int i = 0; i < count; i++) {
		u64 *va = phys_to_virt(base + PFN_PHYS(i));

		va[0] = va[PAGE_SIZE / 8 - 1] = stress_sig(base + PFN_PHYS(i), id);
	}
}

static bool stress_verify(phys_addr_t base, unsigned int count, unsigned int id)
{
	for (unsigned int i = 0; i < count; i++) {
		u64 *va = phys_to_virt(base + PFN_PHYS(i));
		u64 sig = stress_sig(base + PFN_PHYS(i), id);

		if (va[0] != sig || va[PAGE_SIZE / 8 - 1] != sig)
			return false;
	}
	return true;
}

/*
 * One worker: random allocations of every shape (frames, powers of two up
 * to order 3, odd runs), each frame signed with the worker's id, verified
 * before it is freed.  Another worker writing into our frames, or a frame
 * handed out twice, breaks a signature.
 */
static void stress_worker(struct stress_ctx *ctx, unsigned int id)
{
	struct live_block slot[STRESS_SLOTS] = { { 0 } };
	u64 seed = 0x1234567ULL * (id + 1);
	long ops = 0;

	while (ktime_get_ns() < ctx->deadline) {
		for (unsigned int k = 0; k < 64; k++, ops++) {
			struct live_block *b = &slot[rnd_below(&seed, STRESS_SLOTS)];
			unsigned long r = rnd_below(&seed, 16);

			if (b->count) {
				if (!stress_verify(b->base, b->count, id))
					atomic_inc(&ctx->errors);
				if ((b->kind == K_FRAME ? free_frame(b->base) :
				     free_contiguous(b->base, b->count)))
					atomic_inc(&ctx->errors);
				b->count = 0;
				continue;
			}
			b->kind = r < 10 ? K_FRAME : K_CONTIG;
			b->count = r < 10 ? 1 : r < 14 ? 1U << (r - 10) : 1 + rnd_below(&seed, 40);
			if (b->kind == K_FRAME ? alloc_frame(&b->base) :
			    alloc_contiguous(b->count, &b->base)) {
				b->count = 0;
				continue;
			}
			stress_sign(b->base, b->count, id);
		}
	}
	for (unsigned int i = 0; i < STRESS_SLOTS; i++) {
		struct live_block *b = &slot[i];

		if (!b->count)
			continue;
		if (!stress_verify(b->base, b->count, id) ||
		    free_contiguous(b->base, b->count))
			atomic_inc(&ctx->errors);
	}
	atomic_long_add(ops, &ctx->ops);
}

#ifdef __HOSTED__
/* A hosted CPU thread: worker id = CPU number. */
static void stress_cpu(void *arg)
{
	stress_worker(arg, smp_processor_id());
}

/* @nr CPU threads (CPUs 1..nr) for @ns; their caches drained afterwards. */
static int stress_run(struct stress_ctx *ctx, unsigned int nr, u64 ns)
{
	int err;

	ctx->deadline = ktime_get_ns() + ns;
	err = hosted_run_on_cpus(1, nr, stress_cpu, ctx);
	for (unsigned int cpu = 1; cpu <= nr; cpu++)
		drain_cpu_pages(cpu);
	return err;
}
#else
struct stress_thread {
	struct stress_ctx *ctx;
	unsigned int id;
};

static int stress_thread_fn(void *arg)
{
	struct stress_thread *st = arg;

	stress_worker(st->ctx, st->id);
	return 0;
}

/*
 * STRESS_PER_CPU kernel threads bound to every online CPU, in process
 * context with interrupts on: they preempt each other on their CPU, the
 * timer interrupt lands in the middle of the fast paths, and every CPU
 * allocates and frees at once.  @nr is unused (all online CPUs).
 */
static int stress_run(struct stress_ctx *ctx, unsigned int nr, u64 ns)
{
	static struct stress_thread args[STRESS_PER_CPU * NR_CPUS];
	static struct task_struct *threads[STRESS_PER_CPU * NR_CPUS];
	unsigned int n = 0, cpu;
	int err = 0;

	(void)nr;
	ctx->deadline = ktime_get_ns() + ns;
	for_each_online_cpu(cpu) {
		for (unsigned int k = 0; k < STRESS_PER_CPU; k++) {
			struct task_struct *th;

			args[n] = (struct stress_thread){ .ctx = ctx, .id = n };
			th = kthread_create(stress_thread_fn, &args[n], "pa-stress/%u", cpu);
			if (!th) {
				err = -ENOMEM;
				continue;
			}
			/* Unbound it still runs (and is joined), but the test fails. */
			if (kthread_bind(th, cpu))
				err = -EINVAL;
			wake_up_process(th);
			threads[n++] = th;
		}
	}
	for (unsigned int i = 0; i < n; i++)
		if (kthread_join(threads[i]))
			err = -EIO;
	return err;
}
#endif

/*
 * SMP stress: every CPU allocates, signs every frame, verifies and frees
 * for several seconds; then the free count is back at its baseline and
 * every invariant holds.  Hosted: 2 CPU threads, then 7 (every hosted
 * CPU slot but the test's own).
 */
static void test_smp_stress(struct ktest *t)
{
	static const unsigned int cpus[] = STRESS_CPUS;
	struct stress_ctx ctx;
	unsigned long baseline;
	bool poison = page_poison_enable(true);

	for (unsigned int i = 0; i < ARRAY_SIZE(cpus); i++) {
		settle();
		baseline = nr_free_pages();
		atomic_set(&ctx.errors, 0);
		atomic_long_set(&ctx.ops, 0);
		KTEST_EXPECT_EQ(t, stress_run(&ctx, cpus[i], STRESS_NS), 0);
		settle();
		KTEST_EXPECT_EQ(t, atomic_read(&ctx.errors), 0);
		KTEST_EXPECT_GT(t, atomic_long_read(&ctx.ops), 1000);
		KTEST_EXPECT_EQ(t, nr_free_pages(), baseline);
		KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
		ktest_log(t, "%u CPUs: %ld operations", STRESS_NCPU(cpus[i]),
			  atomic_long_read(&ctx.ops));
	}
	page_poison_enable(poison);
}

/* ---------------------------------------------------------------------
 * Racing double frees
 */

/* Rounds of a race test, and the time budget that may cut it short. */
#ifdef __HOSTED__
#define RACE_ROUNDS	50000U
#define RACE_NS		(2000 * NSEC_PER_MSEC)
#else
#define RACE_ROUNDS	20000U
#define RACE_NS		(1000 * NSEC_PER_MSEC)
#endif

/*
 * Round r: worker 0 allocates a run, publishes it, and both freers free
 * it at the same moment, in one of four shapes (nr % 4): both
 * free_contiguous(base, 3) (slow path twice); both free_contiguous(base,
 * 4) of one order-2 block (fast path twice); free_contiguous(base, 2) of an
 * order-1 block against free_frame(base) (fast path against the slow
 * path's carving); free_contiguous(base, 2) against free_contiguous(base,
 * 3) of a 3-frame run.  Exactly one of the two may succeed; the other gets
 * -ENOENT and changes nothing, and what the winner did not cover is still
 * allocated.  The other workers allocate, sign and free in ZONE_DMA
 * meanwhile: memory the runs (from the preferred zone) can never reuse,
 * so a stray free or poisoning of theirs is a bug, not a reuse.
 */
struct dfree_ctx {
	u64 deadline;
	unsigned int rounds;		/* the last round, once worker 0 knows it */
	unsigned int round;		/* published by worker 0 */
	unsigned int ready;		/* worker 1 has seen the round */
	unsigned int done;		/* rounds worker 1 has finished */
	phys_addr_t base;
	int res[2];
	bool stop;
	atomic_t both_won, none_won, bad_err, leftover, bystander_errors;
	atomic_long_t bystander_ops;
};

/* What worker @w does to the run of round @r (shape r % 4). */
static int dfree_one(phys_addr_t base, unsigned int r, unsigned int w)
{
	switch (r % 4) {
	case 0: return free_contiguous(base, 3);
	case 1: return free_contiguous(base, 4);
	case 2: return w ? free_frame(base) : free_contiguous(base, 2);
	default: return free_contiguous(base, w ? 3 : 2);
	}
}

/*
 * Wait until *@p reaches @v; its value.  A short tight spin first, so that
 * two workers leave a handshake within nanoseconds of each other, then
 * cpu_relax() (which yields to other threads in the hosted build).
 */
static unsigned int dfree_wait(unsigned int *p, unsigned int v)
{
	unsigned int x, spins = 0;

	while ((x = smp_load_acquire(p)) < v)
		if (++spins > 4096)
			cpu_relax();
	return x;
}

static void dfree_worker(void *arg, unsigned int id)
{
	struct dfree_ctx *c = arg;

	if (id == 0) {
		for (unsigned int r = 1; r <= c->rounds; r++) {
			static const size_t count[4] = { 3, 4, 2, 3 };
			phys_addr_t base;
			int a, b;

			if (alloc_contiguous(count[r % 4], &base)) {
				atomic_inc(&c->bad_err);
				base = PA_BAD;
			}
			/* Out of memory, or of time after 100 rounds: the last round. */
			if (base == PA_BAD || (r >= 100 && ktime_get_ns() > c->deadline))
				WRITE_ONCE(c->rounds, r);
			c->base = base;
			smp_store_release(&c->round, r);
			dfree_wait(&c->ready, r);
			a = base == PA_BAD ? -ENOENT : dfree_one(base, r, 0);
			dfree_wait(&c->done, r);
			b = c->res[1];
			if (!a && !b)
				atomic_inc(&c->both_won);
			else if (a && b && base != PA_BAD)
				atomic_inc(&c->none_won);
			else if ((a && a != -ENOENT) || (b && b != -ENOENT))
				atomic_inc(&c->bad_err);
			/* What the winner did not cover is still allocated. */
			if (r % 4 == 2 && !b && free_frame(base + PAGE_SIZE))
				atomic_inc(&c->leftover);
			if (r % 4 == 3 && !a && free_frame(base + 2 * PAGE_SIZE))
				atomic_inc(&c->leftover);
		}
		WRITE_ONCE(c->stop, true);
	} else if (id == 1) {
		for (unsigned int r = 1; r <= READ_ONCE(c->rounds); r++) {
			dfree_wait(&c->round, r);
			smp_store_release(&c->ready, r);
			c->res[1] = c->base == PA_BAD ? -ENOENT : dfree_one(c->base, r, 1);
			smp_store_release(&c->done, r);
		}
	} else {
		struct page *held[16] = { NULL };
		unsigned int order[16] = { 0 };
		u64 seed = 0xd0ab1efULL + id;
		long ops = 0;

		while (!READ_ONCE(c->stop)) {
			unsigned int i = rnd_below(&seed, 16);

			if (held[i]) {
				if (!stress_verify(page_to_phys(held[i]), 1U << order[i], id))
					atomic_inc(&c->bystander_errors);
				__free_pages(held[i], order[i]);
				held[i] = NULL;
			} else {
				order[i] = rnd_below(&seed, 3);
				held[i] = alloc_pages(GFP_DMA | __GFP_NOWARN, order[i]);
				if (held[i])
					stress_sign(page_to_phys(held[i]), 1U << order[i], id);
			}
			ops++;
			cpu_relax();	/* hosted: leave the host CPUs to the freers */
		}
		for (unsigned int i = 0; i < 16; i++) {
			if (!held[i])
				continue;
			if (!stress_verify(page_to_phys(held[i]), 1U << order[i], id) ||
			    free_contiguous(page_to_phys(held[i]), 1U << order[i]))
				atomic_inc(&c->bystander_errors);
		}
		atomic_long_add(ops, &c->bystander_ops);
	}
}

/*
 * Issue 15 item 1: two CPUs freeing the same run both got 0 when the
 * slow path validated the run without the zone lock.
 */
static void test_double_free_race(struct ktest *t)
{
	struct dfree_ctx c = { .rounds = RACE_ROUNDS };
	unsigned long baseline;
	int n;

	settle();
	baseline = nr_free_pages();
	c.deadline = ktime_get_ns() + RACE_NS;
	n = ktest_run_on_cpus(3, dfree_worker, &c);
	KTEST_ASSERT_GE(t, n, 2);
	settle();
	KTEST_EXPECT_EQ(t, READ_ONCE(c.round), c.rounds);
	KTEST_EXPECT_GE(t, c.rounds, 100U);
	KTEST_EXPECT_EQ(t, atomic_read(&c.both_won), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&c.none_won), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&c.bad_err), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&c.leftover), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&c.bystander_errors), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), baseline);
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
	ktest_log(t, "%d CPUs, %u rounds, %ld bystander operations", n, c.rounds,
		  atomic_long_read(&c.bystander_ops));
}

/*
 * Rightful frees of different frames of one order-3 block, at the same
 * moment: free_frame(base) on worker 0, free_frame() of base + 4 .. 7
 * pages on worker 1, for SFREE_RUNS blocks a round.  All must succeed,
 * and frames 1 .. 3 stay allocated.  The fast path once cleared the
 * head's alloc bit before seeing that the block was not of the order
 * freed, so for a moment the block looked free to the other CPU, whose
 * free failed with -ENOENT and leaked its frame.
 */
#define SFREE_RUNS	16

struct sfree_ctx {
	struct dfree_ctx d;		/* rounds, handshakes, counters */
	phys_addr_t base[SFREE_RUNS];
	unsigned int nr;
};

static void sfree_worker0(struct sfree_ctx *c)
{
	for (unsigned int r = 1; r <= c->d.rounds; r++) {
		unsigned int nr = 0;

		while (nr < SFREE_RUNS && !alloc_contiguous(8, &c->base[nr]))
			nr++;
		if (nr < SFREE_RUNS)
			atomic_inc(&c->d.bad_err);
		if (!nr || (r >= 20 && ktime_get_ns() > c->d.deadline))
			WRITE_ONCE(c->d.rounds, r);
		c->nr = nr;
		smp_store_release(&c->d.round, r);
		dfree_wait(&c->d.ready, r);
		for (unsigned int i = 0; i < nr; i++)
			if (free_frame(c->base[i]))
				atomic_inc(&c->d.none_won);
		dfree_wait(&c->d.done, r);
		/* The frames nobody freed are still allocated. */
		for (unsigned int i = 0; i < nr; i++)
			for (unsigned int f = 1; f < 4; f++)
				if (free_frame(c->base[i] + f * PAGE_SIZE))
					atomic_inc(&c->d.leftover);
		if (!nr)
			break;
	}
}

static void sfree_worker(void *arg, unsigned int id)
{
	struct sfree_ctx *c = arg;

	if (id == 0) {
		sfree_worker0(c);
		return;
	}
	for (unsigned int r = 1; r <= READ_ONCE(c->d.rounds); r++) {
		dfree_wait(&c->d.round, r);
		smp_store_release(&c->d.ready, r);
		for (unsigned int i = 0; i < c->nr; i++)
			for (unsigned int f = 4; f < 8; f++)
				if (free_frame(c->base[i] + f * PAGE_SIZE))
					atomic_inc(&c->d.none_won);
		smp_store_release(&c->d.done, r);
	}
}

static void test_split_free_race(struct ktest *t)
{
	struct sfree_ctx c = { .d.rounds = RACE_ROUNDS };
	unsigned long baseline;
	int n;

	settle();
	baseline = nr_free_pages();
	c.d.deadline = ktime_get_ns() + RACE_NS;
	n = ktest_run_on_cpus(2, sfree_worker, &c);
	KTEST_ASSERT_GE(t, n, 2);
	settle();
	KTEST_EXPECT_EQ(t, READ_ONCE(c.d.round), c.d.rounds);
	KTEST_EXPECT_GE(t, c.d.rounds, 20U);
	KTEST_EXPECT_EQ(t, atomic_read(&c.d.bad_err), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&c.d.none_won), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&c.d.leftover), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), baseline);
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
	ktest_log(t, "%u rounds of %d blocks", c.d.rounds, SFREE_RUNS);
}

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

static void test_memblock_reservations(struct ktest *t)
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
static void test_memblock_sanitise(struct ktest *t)
{
	static const struct boot_mmap_entry map[] = {
		{ 0x5000000, 0x1000000, BOOT_MEM_USABLE },
		{ 0x1000000, 0x2000000, BOOT_MEM_USABLE },
		{ 0x2800000, 0x1000000, BOOT_MEM_USABLE },	/* overlaps both sides */
		{ 0x2000000, 0x100000, BOOT_MEM_RESERVED },	/* punches a hole */
		{ 0x5400100, 0x100, BOOT_MEM_ACPI },		/* partial page */
		{ 0x6000000, 0, BOOT_MEM_USABLE },
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
	};
	unsigned long before;
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
	KTEST_EXPECT_EQ(t, memblock_end_of_ram(), 0x6000000);
	/* Boot allocations come from the top, aligned, and are kept out. */
	before = memblock_reserved_size();
	a = memblock_alloc(3 * PAGE_SIZE, 1 << 20);
	KTEST_EXPECT_EQ(t, a, 0);	/* the buddy already took over */
	KTEST_EXPECT_EQ(t, memblock_reserved_size(), before);
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
 * SMP bring-up copies the boot CPU's per-CPU area, caches included.  A CPU
 * whose area is such a copy must not hand out the boot CPU's cached frames.
 */
static void test_percpu_area_copy(struct ktest *t)
{
	static struct copy_ctx c;
	phys_addr_t mine[PCP_BATCH];
	unsigned int cpu = NR_CPUS - 1;	/* never used before: copied now */

	/* Fill CPU 0's ring, then let a new CPU start from a copy of it. */
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
static void test_init_16g(struct ktest *t)
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

static struct ktest_case page_alloc_cases[] = {
	KTEST_CASE(test_buddy_alloc_free),
	KTEST_CASE(test_buddy_coalescing),
	KTEST_CASE_RAM(test_buddy_coalescing_instance, 0, 64),
	KTEST_CASE(test_alignment_every_order),
	KTEST_CASE_RAM(test_alloc_contiguous_tail, 0, 32),
	KTEST_CASE(test_free_pieces),
	KTEST_CASE(test_refused_free_undone),
	KTEST_CASE(test_page_metadata),
	KTEST_CASE(test_error_paths),
	KTEST_CASE(test_exhaust_and_restore),
	KTEST_CASE_RAM(test_exhaust_instance, 0, 64),
	KTEST_CASE(test_zones),
	KTEST_CASE_RAM(test_pcp_instance, 0, 64),
	KTEST_CASE_RAM(test_pcp_compaction, 0, 64),
	KTEST_CASE_RAM(test_pcp_huge, 0, 64),
	KTEST_CASE(test_pcp_local),
	KTEST_CASE(test_poisoning),
	KTEST_CASE_FLAGS(test_random_sequence, KTEST_F_SLOW),
	KTEST_CASE_FLAGS(test_smp_stress, KTEST_F_SMP | KTEST_F_SLOW),
	KTEST_CASE_FLAGS(test_double_free_race, KTEST_F_SMP),
	KTEST_CASE_FLAGS(test_split_free_race, KTEST_F_SMP),
	KTEST_CASE(test_memblock_reservations),
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
