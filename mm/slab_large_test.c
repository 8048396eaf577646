// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the kernel allocator's large sizes: tier 3's per-CPU block
 * cache (reuse, double free, drains under memory pressure) and krealloc()
 * in place.  Cases of the slab suite (mm/slab_test.c).
 */
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/numa.h>
#include <exo/page_alloc.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <asm/page.h>

#include "slab.h"
#include "slab_test.h"

/*
 * krealloc() keeps the object whenever the new size fits its usable size
 * (ksize()), growing or shrinking, in every tier, and moves it only
 * beyond; with __GFP_ZERO a shrink in place zeroes the bytes past the new
 * size, so that growing back in place finds zeroes.
 */
void test_krealloc_in_place(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages(), large0 = kmalloc_large_pages();
	static const size_t sizes[] = { 100, 1000, 20000 };
	u8 *p, *q;

	for (unsigned int k = 0; k < ARRAY_SIZE(sizes); k++) {
		size_t size = sizes[k], ks;

		p = kmalloc(size, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, p);
		ks = ksize(p);
		memset(p, 0xa5, ks);
		/* Up to the usable size, down to one byte: the same object. */
		KTEST_EXPECT_TRUE(t, krealloc(p, ks, GFP_KERNEL) == p);
		KTEST_EXPECT_TRUE(t, krealloc(p, 8, GFP_KERNEL) == p);
		KTEST_EXPECT_TRUE(t, krealloc(p, 1, GFP_ATOMIC) == p);
		KTEST_EXPECT_EQ(t, ksize(p), ks);
		KTEST_EXPECT_TRUE(t, !memchr_inv(p, 0xa5, ks));
		/* __GFP_ZERO: shrink zeroes the tail, grow back finds it zero. */
		q = krealloc(p, size / 2, GFP_KERNEL | __GFP_ZERO);
		KTEST_EXPECT_TRUE(t, q == p);
		q = krealloc(p, ks, GFP_KERNEL | __GFP_ZERO);
		KTEST_EXPECT_TRUE(t, q == p);
		KTEST_EXPECT_TRUE(t, !memchr_inv(p, 0xa5, size / 2));
		KTEST_EXPECT_TRUE(t, !memchr_inv(p + size / 2, 0, ks - size / 2));
		/* One byte more moves it, the contents with it. */
		q = krealloc(p, ks + 1, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, q);
		KTEST_EXPECT_TRUE(t, q != p);
		KTEST_EXPECT_GE(t, ksize(q), ks + 1);
		KTEST_EXPECT_TRUE(t, !memchr_inv(q, 0xa5, size / 2));
		/* The old object was freed: a second kfree() is refused. */
		if (ks > KMALLOC_MAX_CACHE_SIZE && !IS_ENABLED(CONFIG_KASAN)) {
			unsigned long err0 = kmem_error_count();

			KTEST_EXPECT_LT(t, kfree_checked(p), 0);
			KTEST_EXPECT_EQ(t, kmem_error_count(), err0 + 1);
		}
		kfree(q);
	}
	KTEST_EXPECT_EQ(t, kmalloc_large_pages(), large0);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
}

/*
 * Tier 3's block cache: a freed 16 KiB (or 128 KiB .. 1 MiB) block waits
 * on this CPU and comes back to the next kmalloc of its order; it does not count as held, a
 * second kfree() of it is refused, and the drain returns it.
 */
void test_large_cache(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages(), large0 = kmalloc_large_pages();
	unsigned long err0 = kmem_error_count();
	void *p, *q;

	p = kmalloc(16384, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, kmalloc_large_pages(), large0 + 4);
	memset(p, 0x5a, 16384);
	KTEST_EXPECT_EQ(t, kfree_checked(p), 0);
	KTEST_EXPECT_EQ(t, kmalloc_large_pages(), large0);
	/* KASAN reports it its own way (mm/kasan/kasan_test.c). */
	if (!IS_ENABLED(CONFIG_KASAN)) {
		KTEST_EXPECT_EQ(t, kfree_checked(p), -EFAULT);
		KTEST_EXPECT_EQ(t, kmem_error_count(), err0 + 1);
	}
	q = kmalloc(16384, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, q);
	KTEST_EXPECT_EQ(t, ksize(q), 16384UL);
	KTEST_EXPECT_EQ(t, kmalloc_large_pages(), large0 + 4);
	/* The test thread stays on its CPU: that CPU's cache gives it back. */
	if (!DEBUG && !IS_ENABLED(CONFIG_KASAN))
		KTEST_EXPECT_TRUE(t, q == p);
	kfree(q);
	/* So do the largest cached orders, 128 KiB .. 1 MiB. */
	for (unsigned int o = 5; o <= 8 && !DEBUG && !IS_ENABLED(CONFIG_KASAN); o++) {
		p = kmalloc(PAGE_SIZE << o, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, p);
		kfree(p);
		q = kmalloc(PAGE_SIZE << o, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, q);
		KTEST_EXPECT_TRUE(t, q == p);
		kfree(q);
	}
	/* A GFP_DMA32 block goes back to its zone, not to the (empty) cache. */
	kmem_drain_all();
	p = kmalloc(16384, GFP_KERNEL | GFP_DMA32);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, kfree_checked(p), 0);
	KTEST_EXPECT_EQ(t, large_cache_pages(), 0UL);
	/* Each order up to 1 MiB and one above, the cache's edges. */
	for (size_t s = 4097; s <= 1048577; s = 2 * s - 1) {
		p = kmalloc(s, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_EQ(t, (unsigned long)p & (PAGE_SIZE - 1), 0UL);
		KTEST_EXPECT_TRUE(t, ksize(p) >= s);
		kfree(p);
	}
	KTEST_EXPECT_EQ(t, kmalloc_large_pages(), large0);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
}

#ifndef __HOSTED__
/*
 * With several memory nodes, kfree() of another node's large block gives
 * it back instead of caching it: this CPU's cache serves any kmalloc() on
 * this CPU, which must not get remote memory.  A local block is cached.
 */
void test_large_cache_node(struct ktest *t)
{
	unsigned int cpu = smp_processor_id();
	int nid, remote = NUMA_NO_NODE;
	void *p, *q;

	if (DEBUG || IS_ENABLED(CONFIG_KASAN))
		KTEST_SKIP(t, "no tier-3 cache with slab debugging or KASAN");
	for_each_online_node(nid) {
		int mem = numa_nearest_node(nid, N_MEMORY);

		if (mem >= 0 && mem != numa_mem_id())
			remote = mem;
	}
	if (remote == NUMA_NO_NODE)
		KTEST_SKIP(t, "needs two memory nodes");
	kmem_drain_all();
	p = kmalloc_node(65536, GFP_KERNEL, remote);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, page_to_nid(virt_to_page(p)), remote);
	kfree(p);
	KTEST_EXPECT_EQ(t, large_cache_cpu_pages(cpu), 0UL);
	q = kmalloc(65536, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, q);
	KTEST_EXPECT_EQ(t, page_to_nid(virt_to_page(q)), numa_mem_id());
	kfree(q);
	KTEST_EXPECT_EQ(t, large_cache_cpu_pages(cpu), 16UL);
	kmem_drain_all();
}

/* Each CPU leaves a 64 KiB block in its tier-3 cache. */
static void lcache_fill_worker(void *arg, unsigned int id)
{
	(void)arg;
	(void)id;
	kfree(kmalloc(65536, GFP_KERNEL));
}

/*
 * Memory runs out while the other CPUs' caches hold blocks.  GFP_ATOMIC
 * allocations take every free page but leave the other CPUs' caches
 * alone (no IPI for them); then a GFP_KERNEL kmalloc(), whose page
 * allocation drains them all (not only its own CPU's), succeeds.
 */
void test_large_cache_remote_drain(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages(), n = 0;
	int level = console_loglevel;
	void *held, *pages = NULL, *p;
	struct page *pg;

	if (DEBUG || IS_ENABLED(CONFIG_KASAN))
		KTEST_SKIP(t, "no tier-3 cache with slab debugging or KASAN");
	if (ktest_run_on_cpus(NR_CPUS, lcache_fill_worker, NULL) < 2)
		KTEST_SKIP(t, "needs two CPUs");
	/* This CPU's own cached block, if any, stays out of reach. */
	held = kmalloc(65536, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, held);
	KTEST_EXPECT_GE(t, large_cache_pages(), 16UL);
	console_loglevel = min(level, LOGLEVEL_ERR);
	while ((pg = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0))) {
		*(void **)page_address(pg) = pages;
		pages = page_address(pg);
		n++;
	}
	KTEST_EXPECT_GE(t, large_cache_pages(), 16UL);
	p = kmalloc(65536, GFP_KERNEL);
	console_loglevel = level;
	KTEST_EXPECT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, large_cache_pages(), 0UL);
	kfree(p);
	kfree(held);
	while (pages) {
		void *next = *(void **)pages;

		__free_pages(virt_to_page(pages), 0);
		pages = next;
	}
	ktest_log(t, "%lu pages taken", n);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
}
#endif


/*
 * The page allocator under pressure: this CPU's block cache holds one
 * block of every cached order (8 KiB .. 1 MiB) and order-0 pages are taken
 * until none is left.  Before failing, alloc_pages() empties the block
 * caches (drain_local_pages()' hook), so the pages taken include the cached
 * blocks', and everything comes back to the baseline afterwards.
 */
void test_large_cache_page_pressure(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages(), large0 = kmalloc_large_pages();
	unsigned int cpu = smp_processor_id();
	unsigned long n = 0, cached;
	int level = console_loglevel;
	void *blk[8], *pages = NULL;
	struct page *pg;

	if (DEBUG || IS_ENABLED(CONFIG_KASAN))
		KTEST_SKIP(t, "no tier-3 cache with slab debugging or KASAN");
	/* All at once, so that each goes to its own slot of the cache. */
	for (unsigned int i = 0; i < ARRAY_SIZE(blk); i++) {
		blk[i] = kmalloc(PAGE_SIZE << (i + 1), GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, blk[i]);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(blk); i++)
		kfree(blk[i]);
	/* This CPU's cache (the others' change with background frees). */
	cached = large_cache_cpu_pages(cpu);
	KTEST_EXPECT_EQ(t, cached, 510UL);
	KTEST_EXPECT_EQ(t, kmalloc_large_pages(), large0);
	console_loglevel = min(level, LOGLEVEL_ERR);
	while ((pg = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0))) {
		*(void **)page_address(pg) = pages;
		pages = page_address(pg);
		n++;
	}
	console_loglevel = level;
	KTEST_EXPECT_EQ(t, large_cache_cpu_pages(cpu), 0UL);
	while (pages) {
		void *next = *(void **)pages;

		__free_pages(virt_to_page(pages), 0);
		pages = next;
	}
	ktest_log(t, "%lu pages taken, %lu of them from the block caches", n, cached);
	KTEST_EXPECT_EQ(t, kmalloc_large_pages(), large0);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
}

#ifndef __HOSTED__
/*
 * kfree() reaches a large block's free, and its double-free report, by
 * tail calls only (__kfree_other(), kfree_other_slow(), free_large_kfree()):
 * the report's frame must still read kfree()'s caller as its return
 * address.  A call in the chain that is not a tail call names kfree's
 * own code (or a helper) instead of this function.
 */
void test_large_double_kfree_caller(struct ktest *t)
{
	unsigned long err0 = kmem_error_count();
	static char line[256], want[64];
	unsigned int rs0 = slab_rs.count;
	bool found = false;
	u64 pos;
	void *p;

	if (IS_ENABLED(CONFIG_KASAN))
		KTEST_SKIP(t, "KASAN reports a double free its own way");
	pos = log_buf_first_line();
	while (log_buf_read_line(&pos, line, sizeof(line)) >= 0)
		;
	p = kmalloc(16384, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	kfree(p);
	/* The report must not be rate-limited away (earlier cases report too). */
	WRITE_ONCE(slab_rs.count, 0);
	kfree(p);
	WRITE_ONCE(slab_rs.count, rs0 + 1);
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0 + 1);
	snprintf(want, sizeof(want), "kfree(%p) from %s+", p, __func__);
	while (log_buf_read_line(&pos, line, sizeof(line)) >= 0)
		found |= strstr(line, want) != NULL;
	KTEST_EXPECT_TRUE(t, found);
	if (!found)
		ktest_log(t, "no report with \"%s\"", want);
}
#endif
