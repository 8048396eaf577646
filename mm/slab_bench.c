// SPDX-License-Identifier: GPL-2.0
/*
 * kmalloc micro-benchmarks for `make bench`, the operations of the Linux 6.1
 * anchors (shared/anchors/linux: kmalloc{64,256,2048,16384}_pair,
 * kmem_cache64_pair, kmalloc64_bulk256) plus the tier-1 bulk of issue 6
 * (1000 x kmalloc(64) then 1000 frees).  Under QEMU -icount shift=0 the
 * figures are guest instructions per op.  The size goes through a volatile
 * so that it is a run-time value, as in the anchor module.
 */
#include <exo/bench.h>
#include <exo/kernel.h>
#include <exo/printk.h>
#include <exo/slab.h>

#define BULK	1000

static void *bulk[BULK];
static volatile size_t bench_size;
static struct kmem_cache *bench_cache;

static void fail(const char *what)
{
	pr_err("bench: %s failed\n", what);
}

static void pair(unsigned int ops, size_t size)
{
	bench_size = size;
	for (unsigned int i = 0; i < ops; i++) {
		void *p = kmalloc(bench_size);

		if (!p)
			return fail("kmalloc");
		kfree(p);
	}
}

#define DEFINE_PAIR(sz, what)						\
static void pair_##sz(struct bench *b, unsigned int ops)		\
{									\
	pair(ops, sz);							\
}									\
DEFINE_BENCH_FULL(kmalloc##sz##_pair, .desc = "kmalloc(" #sz ")+kfree (" what ")", \
		  .run = pair_##sz, .ops = 64)

DEFINE_PAIR(16, "tier 1 hit");
DEFINE_PAIR(64, "tier 1 hit");
DEFINE_PAIR(256, "tier 1 hit");
DEFINE_PAIR(512, "tier 2 hit");
DEFINE_PAIR(2048, "tier 2 hit");
DEFINE_PAIR(4096, "tier 2 hit");
DEFINE_PAIR(16384, "tier 3, order-2 pages");

static int cache_setup(struct bench *b)
{
	bench_cache = kmem_cache_create("bench64", 64, 0, 0, NULL);
	return bench_cache ? 0 : -12;
}

static void cache_teardown(struct bench *b)
{
	kmem_cache_destroy(bench_cache);
}

static void cache_pair(struct bench *b, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++) {
		void *p = kmem_cache_alloc(bench_cache);

		if (!p)
			return fail("kmem_cache_alloc");
		kmem_cache_free(bench_cache, p);
	}
}
DEFINE_BENCH_FULL(kmem_cache64_pair, .desc = "kmem_cache_alloc+free, 64 B typed cache (tier 2)",
		  .run = cache_pair, .setup = cache_setup, .teardown = cache_teardown, .ops = 64);

/* @ops allocations timed; the frees that undo them are not. */
static void bulk_alloc(struct bench *b, unsigned int ops)
{
	bench_size = 64;
	for (unsigned int i = 0; i < ops; i++)
		if (!(bulk[i] = kmalloc(bench_size)))
			return fail("kmalloc");
	bench_pause(b);
	for (unsigned int i = 0; i < ops; i++)
		kfree(bulk[i]);
	bench_resume(b);
}

/* @ops frees timed; the allocations that feed them are not. */
static void bulk_free(struct bench *b, unsigned int ops)
{
	bench_size = 64;
	bench_pause(b);
	for (unsigned int i = 0; i < ops; i++)
		if (!(bulk[i] = kmalloc(bench_size)))
			return fail("kmalloc");
	bench_resume(b);
	for (unsigned int i = 0; i < ops; i++)
		kfree(bulk[i]);
}

DEFINE_BENCH_FULL(kmalloc64_bulk1000_alloc, .desc = "1000 x kmalloc(64) (then untimed frees)",
		  .run = bulk_alloc, .ops = BULK, .batches = 51);
DEFINE_BENCH_FULL(kmalloc64_bulk1000_free, .desc = "1000 x kfree (after untimed kmalloc(64))",
		  .run = bulk_free, .ops = BULK, .batches = 51);
DEFINE_BENCH_FULL(kmalloc64_bulk256_alloc, .desc = "256 x kmalloc(64) (then untimed frees)",
		  .run = bulk_alloc, .ops = 256);
DEFINE_BENCH_FULL(kmalloc64_bulk256_free, .desc = "256 x kfree (after untimed kmalloc(64))",
		  .run = bulk_free, .ops = 256);
