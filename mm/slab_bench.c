// SPDX-License-Identifier: GPL-2.0
/*
 * kmalloc micro-benchmarks for `make bench`, the operations of the Linux 6.1
 * anchors (shared/anchors/linux: kmalloc{64,256,2048,16384}_pair,
 * kmem_cache64_pair, kmalloc64_bulk256) plus bursts of 1000, 4096 and
 * 100 000 x kmalloc(64, GFP_KERNEL) then as many frees.  Under QEMU -icount
 * shift=0 the figures are guest instructions per op.  The size goes through a volatile
 * so that it is a run-time value, as in the anchor module.
 */
#include <exo/bench.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/kthread.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <asm/processor.h>

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
		void *p = kmalloc(bench_size, GFP_KERNEL);

		if (!p)
			return fail("kmalloc");
		kfree(p);
	}
}

/*
 * The inline kmalloc()/kfree() take a tier-1 hit in line; above 256 bytes
 * their size and class tests call out of line (__kmalloc_big(),
 * __kfree_other()): @what says which.
 */
#define DEFINE_PAIR(sz, what)						\
static void pair_##sz(struct bench *b, unsigned int ops)		\
{									\
	pair(ops, sz);							\
}									\
DEFINE_BENCH_FULL(kmalloc##sz##_pair, .desc = "kmalloc(" #sz ")+kfree built in, " what, \
		  .run = pair_##sz, .ops = 64)

#define PAIR_T1 "inlined hit (tier 1 hit)"
#define PAIR_T2 "inline tests, tier 2 hit out of line (__kmalloc_big, __kfree_other)"
#define PAIR_T3 "inline tests, tier 3 out of line (__kmalloc_big, kfree_other_slow; order-2 pages)"
DEFINE_PAIR(16, PAIR_T1);
DEFINE_PAIR(64, PAIR_T1);
DEFINE_PAIR(256, PAIR_T1);
DEFINE_PAIR(512, PAIR_T2);
DEFINE_PAIR(2048, PAIR_T2);
DEFINE_PAIR(4096, PAIR_T2);
DEFINE_PAIR(16384, PAIR_T3);

static int cache_setup(struct bench *b)
{
	bench_cache = kmem_cache_create("bench64", 64, 0, 0, NULL);
	return bench_cache ? 0 : -ENOMEM;
}

static void cache_teardown(struct bench *b)
{
	kmem_cache_destroy(bench_cache);
}

static void cache_pair(struct bench *b, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++) {
		void *p = kmem_cache_alloc(bench_cache, GFP_KERNEL);

		if (!p)
			return fail("kmem_cache_alloc");
		kmem_cache_free(bench_cache, p);
	}
}
DEFINE_BENCH_FULL(kmem_cache64_pair, .desc = "kmem_cache_alloc+free, 64 B typed cache (tier 2)",
		  .run = cache_pair, .setup = cache_setup, .teardown = cache_teardown, .ops = 64);

/*
 * Bursts of kmalloc(64): @ops allocations, then @ops frees, timed apart
 * and reported per op.  256 is Linux's kmalloc64_bulk256 anchor; 1000 fits
 * the thread cache (1024 objects per class), 4096 and 100 000 run past it.
 */
static unsigned int objs_alloc(u64 *table, unsigned int ops)
{
	void **v = (void **)table;
	unsigned int i;

	bench_size = 64;
	for (i = 0; i < ops; i++)
		if (!(v[i] = kmalloc(bench_size, GFP_KERNEL)))
			break;
	return i;
}

static void objs_free(u64 *table, unsigned int ops)
{
	void **v = (void **)table;

	for (unsigned int i = 0; i < ops; i++)
		kfree(v[i]);
}

static void bulk_alloc(struct bench *b, unsigned int ops)
{
	bench_burst(b, ops, objs_alloc, objs_free, false);
}

static void bulk_free(struct bench *b, unsigned int ops)
{
	bench_burst(b, ops, objs_alloc, objs_free, true);
}

#define BULK_BENCH(_n, _batches)						\
DEFINE_BENCH_FULL(kmalloc64_bulk##_n##_alloc,					\
		  .desc = #_n " x kmalloc(64), per op (then untimed frees)",	\
		  .run = bulk_alloc, .setup = bench_burst_setup,			\
		  .teardown = bench_burst_teardown, .ops = _n, .batches = _batches);	\
DEFINE_BENCH_FULL(kmalloc64_bulk##_n##_free,					\
		  .desc = #_n " x kfree, per op (after untimed kmalloc(64))",	\
		  .run = bulk_free, .setup = bench_burst_setup,			\
		  .teardown = bench_burst_teardown, .ops = _n, .batches = _batches)

BULK_BENCH(256, 101);
BULK_BENCH(1000, 51);
BULK_BENCH(4096, 21);
BULK_BENCH(100000, 5);

/*
 * Several CPUs allocating at once (plain TCG -smp N: emulation time, read
 * as a ratio).  Worker threads bound to CPUs 1..N-1 spin on a generation
 * counter; each batch, every CPU (this one included) runs @ops operations
 * of a mixed workload (a window of 32 live objects, 3/4 in tier 1, 1/4 of
 * 512..4096 B) and the batch ends when the last one is done.  Per-op time
 * of kmalloc_mt<N> against kmalloc_mt1 gives the throughput ratio:
 * N * t1 / tN.
 */
#define MT_MAX	4

static struct {
	unsigned int gen;		/* bumped to start a batch */
	unsigned int done;		/* workers finished with it */
	unsigned int ops;
	unsigned int nworkers;
	bool stop;
	struct task_struct *worker[MT_MAX];
} mt;

static void mt_work(unsigned int ops, u64 seed)
{
	void *win[32] = { 0 };

	for (unsigned int op = 0; op < ops; op++) {
		unsigned int slot;
		size_t size;

		seed ^= seed >> 12;
		seed ^= seed << 25;
		seed ^= seed >> 27;
		slot = (unsigned int)(seed & 31);
		size = (seed >> 8) & 3 ? 16UL << ((seed >> 10) % 5) : 512UL << ((seed >> 10) % 4);
		kfree(win[slot]);
		win[slot] = kmalloc(size, GFP_KERNEL);
		if (!win[slot])
			return fail("kmalloc");
		*(volatile char *)win[slot] = 1;
	}
	for (unsigned int i = 0; i < 32; i++)
		kfree(win[i]);
}

static int mt_worker_fn(void *arg)
{
	unsigned int seen = 0;
	u64 seed = 0x9e3779b97f4a7c15ULL * ((unsigned long)arg + 2);

	while (!READ_ONCE(mt.stop)) {
		unsigned int g = __atomic_load_n(&mt.gen, __ATOMIC_ACQUIRE);

		if (g == seen) {
			cpu_relax();
			continue;
		}
		seen = g;
		mt_work(READ_ONCE(mt.ops), seed + g);
		__atomic_fetch_add(&mt.done, 1, __ATOMIC_RELEASE);
	}
	return 0;
}

static int mt_setup(struct bench *b, unsigned int ncpus)
{
	unsigned int cpu = 0;

	memset(&mt, 0, sizeof(mt));
	for (unsigned int i = 0; i + 1 < ncpus; i++) {
		struct task_struct *t;

		do {
			cpu++;
		} while (cpu < NR_CPUS && !cpu_online(cpu));
		if (cpu >= NR_CPUS)
			return -ENODEV;
		t = kthread_create(mt_worker_fn, (void *)(unsigned long)i, "kmalloc_mt%u", i);
		if (!t)
			return -ENOMEM;
		kthread_bind(t, cpu);
		mt.worker[mt.nworkers++] = t;
		wake_up_process(t);
	}
	return 0;
}

static void mt_teardown(struct bench *b)
{
	WRITE_ONCE(mt.stop, true);
	for (unsigned int i = 0; i < mt.nworkers; i++)
		kthread_join(mt.worker[i]);
	mt.nworkers = 0;
	kmem_drain_all();
}

static void mt_run(struct bench *b, unsigned int ops)
{
	static u64 seed = 12345;

	WRITE_ONCE(mt.ops, ops);
	__atomic_store_n(&mt.done, 0, __ATOMIC_RELAXED);
	__atomic_fetch_add(&mt.gen, 1, __ATOMIC_RELEASE);
	mt_work(ops, seed++);
	while (__atomic_load_n(&mt.done, __ATOMIC_ACQUIRE) < mt.nworkers)
		cpu_relax();
}

static int mt_setup1(struct bench *b)
{
	return mt_setup(b, 1);
}

static int mt_setup2(struct bench *b)
{
	return mt_setup(b, 2);
}

static int mt_setup4(struct bench *b)
{
	return mt_setup(b, 4);
}

DEFINE_BENCH_FULL(kmalloc_mt1, .desc = "mixed kmalloc/kfree, this CPU alone (per op)",
		  .run = mt_run, .setup = mt_setup1, .teardown = mt_teardown, .ops = 2000,
		  .batches = 21);
DEFINE_BENCH_FULL(kmalloc_mt2, .desc = "same on 2 CPUs at once (per op of one CPU)",
		  .run = mt_run, .setup = mt_setup2, .teardown = mt_teardown, .ops = 2000,
		  .batches = 21, .min_cpus = 2);
DEFINE_BENCH_FULL(kmalloc_mt4, .desc = "same on 4 CPUs at once (per op of one CPU)",
		  .run = mt_run, .setup = mt_setup4, .teardown = mt_teardown, .ops = 2000,
		  .batches = 21, .min_cpus = 4);

/* The same pair from a module (mm/slab_bench_module.c, loaded to run). */
DEFINE_BENCH_MODULE(kmalloc64_pair_module,
		    "kmalloc(64)+kfree from a module (exported out-of-line path)",
		    "slab_bench_module");
