// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the kernel allocator under concurrency and in special contexts:
 * threads and CPUs freeing each other's objects, and kmalloc from
 * interrupt, exception and NMI handlers.  Cases of the slab suite
 * (mm/slab_test.c).
 */
#include <exo/errno.h>
#include <exo/kasan.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/page_alloc.h>
#include <exo/percpu.h>
#include <exo/preempt.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/time.h>
#include <asm/page.h>

#include "slab_test.h"

#ifdef __HOSTED__
#include <asm/hosted.h>
#define STRESS_OPS	200000UL
#else
#include <exo/kthread.h>
#include <asm/apic.h>
#include <asm/smp.h>
#include <asm/traps.h>
#define STRESS_OPS	20000UL
#endif

/* ---------------------------------------------------------------------
 * Threads and CPUs freeing each other's objects
 */

#define MBOX_SIZE	64
#define MAX_WORKERS	8

struct mbox {
	spinlock_t lock;
	unsigned int n;
	void *obj[MBOX_SIZE];
	size_t size[MBOX_SIZE];
};

struct stress_ctx {
	unsigned int nr;
	unsigned long ops;
	unsigned int started;		/* atomic: worker ids */
	unsigned int done;		/* atomic */
	unsigned long bad_sig;		/* atomic */
	unsigned long nomem;		/* atomic */
	unsigned long passed;		/* atomic: objects freed by another thread */
	struct mbox box[MAX_WORKERS];
};

static bool mbox_put(struct mbox *b, void *p, size_t size)
{
	unsigned long flags;
	bool ok = false;

	spin_lock_irqsave(&b->lock, flags);
	if (b->n < MBOX_SIZE) {
		b->obj[b->n] = p;
		b->size[b->n++] = size;
		ok = true;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return ok;
}

/* Verify and free what others passed to us. */
static void mbox_drain(struct stress_ctx *ctx, struct mbox *b)
{
	void *obj[MBOX_SIZE];
	size_t size[MBOX_SIZE];
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&b->lock, flags);
	n = b->n;
	memcpy(obj, b->obj, n * sizeof(obj[0]));
	memcpy(size, b->size, n * sizeof(size[0]));
	b->n = 0;
	spin_unlock_irqrestore(&b->lock, flags);
	for (unsigned int i = 0; i < n; i++) {
		if (!signed_ok(obj[i], size[i]))
			__atomic_fetch_add(&ctx->bad_sig, 1, __ATOMIC_RELAXED);
		kfree(obj[i]);
	}
	__atomic_fetch_add(&ctx->passed, n, __ATOMIC_RELAXED);
}

#define HELD 48

static void stress_worker(void *arg)
{
	struct stress_ctx *ctx = arg;
	unsigned int me = __atomic_fetch_add(&ctx->started, 1, __ATOMIC_RELAXED) % ctx->nr;
	u64 seed = 0x1234567ULL * (me + 1);
	void *held[HELD] = { 0 };
	size_t hsize[HELD];

	for (unsigned long op = 0; op < ctx->ops; op++) {
		unsigned int slot = (unsigned int)(rnd_next(&seed) % HELD);
		u64 r = rnd_next(&seed);
		size_t size;

		if (held[slot]) {
			if (!signed_ok(held[slot], hsize[slot]))
				__atomic_fetch_add(&ctx->bad_sig, 1, __ATOMIC_RELAXED);
			/* One in four goes to the next worker to free. */
			if (!(r & 3) && ctx->nr > 1 &&
			    mbox_put(&ctx->box[(me + 1) % ctx->nr], held[slot], hsize[slot])) {
				held[slot] = NULL;
			} else {
				kfree(held[slot]);
				held[slot] = NULL;
			}
			continue;
		}
		/* Mostly small, some tier 2, a few whole pages. */
		switch ((r >> 8) & 15) {
		case 0:
			size = 4097 + (r >> 16) % 12000;
			break;
		case 1: case 2: case 3:
			size = 257 + (r >> 16) % 3840;
			break;
		default:
			size = 1 + (r >> 16) % 256;
		}
		held[slot] = kmalloc(size, GFP_KERNEL);
		if (!held[slot]) {
			__atomic_fetch_add(&ctx->nomem, 1, __ATOMIC_RELAXED);
			continue;
		}
		hsize[slot] = size;
		sign(held[slot], size);
		if (!(op & 63))
			mbox_drain(ctx, &ctx->box[me]);
		if (!(op & 255))
			let_others_run();
	}
	for (unsigned int i = 0; i < HELD; i++) {
		if (!held[i])
			continue;
		if (!signed_ok(held[i], hsize[i]))
			__atomic_fetch_add(&ctx->bad_sig, 1, __ATOMIC_RELAXED);
		kfree(held[i]);
	}
	/* Wait until nobody sends any more, then empty our box. */
	__atomic_fetch_add(&ctx->done, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&ctx->done, __ATOMIC_ACQUIRE) < ctx->nr) {
		mbox_drain(ctx, &ctx->box[me]);
		let_others_run();
	}
	mbox_drain(ctx, &ctx->box[me]);
}

static void stress_check(struct ktest *t, struct stress_ctx *ctx, unsigned long base,
			 unsigned long err0)
{
	ktest_log(t, "%u threads, %lu ops each, %lu objects freed by another thread",
		  ctx->nr, ctx->ops, ctx->passed);
	KTEST_EXPECT_EQ(t, ctx->bad_sig, 0UL);
	KTEST_EXPECT_EQ(t, ctx->nomem, 0UL);
	if (ctx->nr > 1)
		KTEST_EXPECT_GT(t, ctx->passed, 0UL);
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
}

static struct stress_ctx stress;

static void stress_init(unsigned int nr, unsigned long ops)
{
	memset(&stress, 0, sizeof(stress));
	stress.nr = nr;
	stress.ops = ops;
	for (unsigned int i = 0; i < MAX_WORKERS; i++)
		spin_lock_init(&stress.box[i].lock);
}

#ifndef __HOSTED__
/* @nr threads placed round-robin on @ncpus CPUs, started together, joined. */
static void run_stress(struct ktest *t, unsigned int nr, unsigned int ncpus)
{
	struct task_struct *th[MAX_WORKERS];
	void *pair[2] = { (void *)stress_worker, &stress };
	unsigned int cpu = smp_processor_id(), made = 0;

	for (unsigned int i = 0; i < nr; i++) {
		th[i] = kthread_create(kthread_body, pair, "slabstress%u", i);
		if (!th[i])
			break;
		kthread_bind(th[i], cpu);
		made++;
		while (ncpus > 1) {
			cpu = (cpu + 1) % NR_CPUS;
			if (cpu_online(cpu))
				break;
		}
	}
	KTEST_ASSERT_EQ(t, made, nr);
	for (unsigned int i = 0; i < nr; i++)
		wake_up_process(th[i]);
	for (unsigned int i = 0; i < nr; i++)
		kthread_join(th[i]);
}
#endif

/* Threads sharing one CPU preempt each other mid-operation (timer tick). */
void test_stress_threads(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages(), err0 = kmem_error_count();

	stress_init(3, STRESS_OPS);
#ifdef __HOSTED__
	/* Host threads: three CPUs running truly in parallel. */
	KTEST_ASSERT_EQ(t, hosted_run_on_cpus(1, 3, stress_worker, &stress), 0);
#else
	run_stress(t, 3, 1);
#endif
	stress_check(t, &stress, base, err0);
}

/* Every online CPU, two threads each, cross-CPU frees. */
void test_stress_smp(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages(), err0 = kmem_error_count();
#ifdef __HOSTED__
	stress_init(4, STRESS_OPS);
	KTEST_ASSERT_EQ(t, hosted_run_on_cpus(1, 4, stress_worker, &stress), 0);
#else
	unsigned int n = min_t(unsigned int, 2 * num_online_cpus(), MAX_WORKERS);

	stress_init(n, STRESS_OPS);
	run_stress(t, n, num_online_cpus());
#endif
	stress_check(t, &stress, base, err0);
}

/* ---------------------------------------------------------------------
 * Interrupt context.  Kernel: a real software interrupt (int $0x99 on a
 * vector installed with set_irq_handler()).  Hosted: the handler body run
 * with the hardirq count raised, which is all the allocator looks at.
 */
#define TEST_VECTOR	0x99

static void *irq_small, *irq_mid;
static unsigned long irq_runs, irq_bad;

/* Free what the last interrupt allocated, allocate again, sign it. */
static void slab_test_irq_body(void)
{
	/* Handlers see the empty cache, never the interrupted thread's (I5). */
	if (slab_cur_tc() != &slab_no_tcache)
		irq_bad++;
	if (irq_small && !signed_ok(irq_small, 64))
		irq_bad++;
	if (irq_mid && !signed_ok(irq_mid, 700))
		irq_bad++;
	kfree(irq_small);
	kfree(irq_mid);
	irq_small = kmalloc(64, GFP_ATOMIC);
	irq_mid = kmalloc(700, GFP_ATOMIC);
	if (!irq_small || !irq_mid)
		irq_bad++;
	else {
		sign(irq_small, 64);
		sign(irq_mid, 700);
	}
	/* ... and leave it empty, with negative left and room words (I6). */
	for (int i = 0; i <= SLAB_T1_CLASSES; i++)
		if (slab_no_tcache.head[i] || slab_no_tcache.freed[i] ||
		    READ_ONCE(slab_no_tcache.left[i]) >= 0 ||
		    (i < SLAB_T1_CLASSES && READ_ONCE(slab_no_tcache.room[i]) >= 0))
			irq_bad++;
	irq_runs++;
}

/* What the test interrupt runs: slab_test_irq_body() unless a test says otherwise. */
static void (*irq_body)(void) = slab_test_irq_body;

#ifdef __HOSTED__
static int test_irq_install(void)
{
	return 0;
}

static void test_irq_remove(void)
{
}

/* What the kernel's do_interrupt() does around a handler. */
static void raise_test_irq(void)
{
	void *tc;

	__preempt_count_add(HARDIRQ_OFFSET);
	tc = slab_irq_enter();
	irq_body();
	slab_irq_exit(tc);
	__preempt_count_add(-(int)HARDIRQ_OFFSET);
}
#else
static void slab_test_irq(struct pt_regs *regs)
{
	(void)regs;
	irq_body();
}

static int test_irq_install(void)
{
	return set_irq_handler(TEST_VECTOR, slab_test_irq);
}

static void test_irq_remove(void)
{
	set_irq_handler(TEST_VECTOR, NULL);
}

static void raise_test_irq(void)
{
	raise_vector(TEST_VECTOR);
}
#endif

void test_irq_context(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages(), err0 = kmem_error_count();
	struct kmem_cache_stats a, b;
	void *held[32] = { 0 };
	int cpu;

	KTEST_ASSERT_EQ(t, test_irq_install(), 0);
	irq_small = irq_mid = NULL;
	irq_runs = irq_bad = 0;
	/* Warm this thread's 64-byte list. */
	kfree(kmalloc(64, GFP_KERNEL));
	preempt_disable();	/* the per-CPU counters below must stay ours */
	cpu = this_cpu();
	a = stats_of(64, cpu);
	raise_test_irq();
	raise_test_irq();
	b = stats_of(64, cpu);
	/* The interrupted thread got its own cache pointer back. */
	KTEST_EXPECT_TRUE(t, (void *)slab_cur_tc() == slab_tc_publish(current->slab_cache));
	/* ... a live one, unless tier 1 is configured out. */
	KTEST_EXPECT_TRUE(t, !TIER1 || (void *)slab_cur_tc() != (void *)&slab_no_tcache);
	preempt_enable();
	/* The handler never touched the thread cache: tier 2 only. */
	KTEST_EXPECT_EQ(t, b.t1_hits, a.t1_hits);
	KTEST_EXPECT_EQ(t, b.t1_misses, a.t1_misses);
	if (TIER2)
		KTEST_EXPECT_GE(t, b.t2_hits + b.t2_misses, a.t2_hits + a.t2_misses + 2);

	/* Interleave: the thread allocates and frees around interrupts. */
	for (unsigned int i = 0; i < 5000; i++) {
		unsigned int s = i % 32;

		if (held[s]) {
			if (!signed_ok(held[s], 64))
				irq_bad++;
			kfree(held[s]);
		}
		held[s] = kmalloc(64, GFP_KERNEL);
		if (held[s])
			sign(held[s], 64);
		if (!(i % 3))
			raise_test_irq();
	}
	for (unsigned int s = 0; s < 32; s++) {
		if (held[s] && !signed_ok(held[s], 64))
			irq_bad++;
		kfree(held[s]);
	}
	test_irq_remove();
	kfree(irq_small);
	kfree(irq_mid);
	KTEST_EXPECT_GT(t, irq_runs, 1600UL);
	KTEST_EXPECT_EQ(t, irq_bad, 0UL);
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
}

/*
 * Interrupts on every CPU at once: their handlers all see slab_no_tcache,
 * whose left and room words every tier-1 miss takes a unit of and stores
 * back, on each CPU (I6).  The words must stay negative and the lists
 * empty, and the hosted ThreadSanitizer run reports any unmarked access
 * to them.
 */
#ifdef __HOSTED__
#define IRQ_SMP_WORKERS	4
#else
#define IRQ_SMP_WORKERS	NR_CPUS		/* every online CPU */
#endif
#define IRQ_SMP_RUNS	3000

static const size_t irq_smp_sizes[] = { 16, 64, 256, 700 };

static void irq_smp_body(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(irq_smp_sizes); i++) {
		size_t size = irq_smp_sizes[i];
		void *p = kmalloc(size, GFP_ATOMIC);

		if (!p) {
			__atomic_fetch_add(&irq_bad, 1, __ATOMIC_RELAXED);
			continue;
		}
		sign(p, size);
		if (slab_cur_tc() != &slab_no_tcache || !signed_ok(p, size))
			__atomic_fetch_add(&irq_bad, 1, __ATOMIC_RELAXED);
		kfree(p);
	}
	__atomic_fetch_add(&irq_runs, 1, __ATOMIC_RELAXED);
}

static void irq_smp_worker(void *arg, unsigned int id)
{
	(void)arg;
	(void)id;
	for (unsigned int i = 0; i < IRQ_SMP_RUNS; i++)
		raise_test_irq();
}

void test_irq_context_smp(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages(), err0 = kmem_error_count();
	int n;

	KTEST_ASSERT_EQ(t, test_irq_install(), 0);
	irq_runs = irq_bad = 0;
	irq_body = irq_smp_body;
	n = ktest_run_on_cpus(IRQ_SMP_WORKERS, irq_smp_worker, NULL);
	irq_body = slab_test_irq_body;
	test_irq_remove();
	KTEST_ASSERT_GT(t, n, 0);
	ktest_log(t, "%d CPUs, %lu interrupts", n, irq_runs);
	KTEST_EXPECT_EQ(t, irq_runs, (unsigned long)n * IRQ_SMP_RUNS);
	KTEST_EXPECT_EQ(t, irq_bad, 0UL);
	for (int i = 0; i <= SLAB_T1_CLASSES; i++) {
		KTEST_EXPECT_TRUE(t, !slab_no_tcache.head[i] && !slab_no_tcache.freed[i]);
		KTEST_EXPECT_LT(t, READ_ONCE(slab_no_tcache.left[i]), 0L);
		if (i < SLAB_T1_CLASSES)
			KTEST_EXPECT_LT(t, READ_ONCE(slab_no_tcache.room[i]), 0L);
	}
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
}

/* ---------------------------------------------------------------------
 * Exception and NMI context (I8).  Kernel: a real NMI that this CPU sends
 * itself, taken by a hook in front of the panic-stop one.  Hosted: the
 * body run with the trap count raised and the thread cache hidden, which
 * is what do_interrupt() does for vectors 0-31.
 */
#define TRAP_REFUSALS	10	/* calls slab_test_trap_body() makes */

static struct kmem_cache *trap_cache;
static void *trap_victim, *trap_t2_victim, *trap_cache_victim, *trap_got[6];
static const void *trap_seen_tc;
static int trap_checked;
static unsigned long trap_runs;

static void slab_test_trap_body(void)
{
	trap_seen_tc = slab_cur_tc();
	/* Tier 1 (the interrupted thread's list is warm), tier 2, tier 3. */
	trap_got[0] = kmalloc(64, GFP_ATOMIC);
	trap_got[1] = kmalloc(700, GFP_ATOMIC);
	trap_got[2] = kmalloc(3 * PAGE_SIZE, GFP_ATOMIC);
	trap_got[3] = kzalloc(32, GFP_ATOMIC);
	trap_got[4] = krealloc(trap_victim, 100, GFP_ATOMIC);
	trap_got[5] = kmem_cache_alloc(trap_cache, GFP_ATOMIC);
	kfree(trap_victim);
	kfree(trap_t2_victim);
	kmem_cache_free(trap_cache, trap_cache_victim);
	trap_checked = kfree_checked(trap_victim);
	WRITE_ONCE(trap_runs, trap_runs + 1);
}

#ifdef __HOSTED__
static int raise_test_trap(void)
{
	void *tc;

	__preempt_count_add(TRAP_OFFSET);
	tc = slab_irq_enter();
	slab_test_trap_body();
	slab_irq_exit(tc);
	__preempt_count_add(-(int)TRAP_OFFSET);
	return 0;
}
#else
static bool (*trap_prev_hook)(struct pt_regs *regs);
static int trap_cpu = -1;

static bool slab_test_nmi(struct pt_regs *regs)
{
	if ((int)smp_processor_id() != READ_ONCE(trap_cpu))
		return trap_prev_hook && trap_prev_hook(regs);
	WRITE_ONCE(trap_cpu, -1);
	slab_test_trap_body();
	return true;
}

static int raise_test_trap(void)
{
	unsigned long runs = READ_ONCE(trap_runs);
	u64 deadline = ktime_get_ns() + 200 * NSEC_PER_MSEC;
	int ret = 0;

	preempt_disable();
	trap_prev_hook = nmi_handler_hook;
	WRITE_ONCE(trap_cpu, (int)smp_processor_id());
	WRITE_ONCE(nmi_handler_hook, slab_test_nmi);
	apic_send_ipi(cpu_to_apicid(smp_processor_id()), APIC_DM_NMI);
	while (READ_ONCE(trap_runs) == runs && ktime_get_ns() < deadline)
		cpu_relax();
	if (READ_ONCE(trap_runs) == runs)
		ret = -ETIMEDOUT;
	WRITE_ONCE(trap_cpu, -1);
	WRITE_ONCE(nmi_handler_hook, trap_prev_hook);
	preempt_enable();
	return ret;
}
#endif

void test_trap_context(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages(), err0 = kmem_error_count();
	struct kmem_cache_stats a, b;

	trap_cache = kmem_cache_create("ktest-trap", 48, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, trap_cache);
	trap_victim = kmalloc(64, GFP_KERNEL);
	trap_t2_victim = kmalloc(1024, GFP_KERNEL);
	trap_cache_victim = kmem_cache_alloc(trap_cache, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, trap_victim);
	KTEST_ASSERT_NOT_NULL(t, trap_t2_victim);
	KTEST_ASSERT_NOT_NULL(t, trap_cache_victim);
	sign(trap_victim, 64);
	sign(trap_t2_victim, 1024);
	/* Warm this thread's 64-byte list: a handler using it would succeed. */
	kfree(kmalloc(64, GFP_KERNEL));
	kmem_cache_get_stats(trap_cache, -1, &a);
	memset(trap_got, 0x5a, sizeof(trap_got));
	KTEST_ASSERT_EQ(t, raise_test_trap(), 0);
	kmem_cache_get_stats(trap_cache, -1, &b);

	/* The handler saw no thread cache, got nothing, freed nothing. */
	KTEST_EXPECT_TRUE(t, trap_seen_tc == (const void *)&slab_no_tcache);
	for (unsigned int i = 0; i < ARRAY_SIZE(trap_got); i++)
		KTEST_EXPECT_NULL(t, trap_got[i]);
	KTEST_EXPECT_EQ(t, b.objs_inuse, a.objs_inuse);
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0 + TRAP_REFUSALS);
	KTEST_ASSERT_EQ(t, trap_checked, -EDEADLK);
	/* The thread's cache pointer is its own again. */
	KTEST_EXPECT_TRUE(t, (void *)slab_cur_tc() == slab_tc_publish(current->slab_cache));

	/* The objects are still the thread's, whole, and free once. */
	KTEST_EXPECT_TRUE(t, signed_ok(trap_victim, 64));
	KTEST_EXPECT_EQ(t, kfree_checked(trap_victim), 0);
	KTEST_EXPECT_TRUE(t, signed_ok(trap_t2_victim, 1024));
	KTEST_EXPECT_EQ(t, kfree_checked(trap_t2_victim), 0);
	kmem_cache_free(trap_cache, trap_cache_victim);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(trap_cache), 0);
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0 + TRAP_REFUSALS);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
}
