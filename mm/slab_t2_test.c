// SPDX-License-Identifier: GPL-2.0
/*
 * Tier 2 under interrupts: the kmalloc caches' tier-2 hit paths are
 * restartable sequences, not sections with interrupts off (mm/slab.h,
 * I11).  One CPU allocates and frees the tier-2 sizes in a loop while
 * another CPU's cross-CPU calls do the same in interrupt handlers on it,
 * on the same per-CPU arrays.  A case of the slab suite (mm/slab_test.c).
 *
 * A smoke test: it does not wait for an interrupt to cut a tier-2
 * sequence, and cannot tell if one did (the restart count covers every
 * sequence, the page allocator's among them), so it passes with the
 * sequences' table entries missing.  What proves the restarts is the
 * page_alloc suite's test_pcp_restart_step() (arch/x86/mm/pcp_restart_test.c),
 * which steps every interruption point of the same macros.
 */
#include <exo/atomic.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/time.h>

#include "slab_test.h"

#define T2I_NS		(300 * 1000 * 1000ULL)
#define T2I_MIN_CALLS	32
#define T2I_SIG		0x7e2a11c000000000ULL

/* The tier-2 kmalloc sizes, one per class (512 .. 4096). */
static const size_t t2i_size[] = { 512, 1024, 2048, 4096 };

struct t2i_ctx {
	unsigned int cpu;		/* the CPU of worker 0 */
	bool ready, stop;
	atomic_t errors;
	atomic_long_t handler_ops, task_ops;
};

/* The object's first and last words: a signature of its owner and round. */
static void t2i_sign(u64 *p, size_t size, u64 sig)
{
	p[0] = sig;
	p[size / 8 - 1] = ~sig;
}

static bool t2i_signed(const u64 *p, size_t size, u64 sig)
{
	return p[0] == sig && p[size / 8 - 1] == ~sig;
}

/* In interrupt context on worker 0's CPU: two tier-2 objects taken and given back. */
static void t2i_handler(void *arg)
{
	struct t2i_ctx *c = arg;
	long n = atomic_long_read(&c->handler_ops);
	u64 *p[2];

	for (int i = 0; i < 2; i++) {
		size_t size = t2i_size[(n + 2 * i) % ARRAY_SIZE(t2i_size)];

		p[i] = kmalloc(size, GFP_ATOMIC);
		if (!p[i]) {
			atomic_inc(&c->errors);
			continue;
		}
		t2i_sign(p[i], size, T2I_SIG | (u64)(n * 2 + i));
	}
	for (int i = 1; i >= 0; i--) {
		size_t size = t2i_size[(n + 2 * i) % ARRAY_SIZE(t2i_size)];

		if (!p[i])
			continue;
		if (!t2i_signed(p[i], size, T2I_SIG | (u64)(n * 2 + i)))
			atomic_inc(&c->errors);
		kfree(p[i]);
	}
	atomic_long_inc(&c->handler_ops);
}

/*
 * Worker 0 allocates, signs, checks and frees one object of each tier-2
 * size in a tight loop; worker 1 keeps sending it cross-CPU calls that
 * do the same in the handler.  An object handed out twice, or a push
 * lost to a pop, shows as a wrong signature or in kmem_check().
 */
static void t2i_worker(void *arg, unsigned int id)
{
	struct t2i_ctx *c = arg;
	u64 deadline;

	if (id == 1) {
		while (!smp_load_acquire(&c->ready))
			cpu_relax();
		while (!READ_ONCE(c->stop))
			if (smp_call_function_single(c->cpu, t2i_handler, c, true))
				atomic_inc(&c->errors);
		return;
	}
	if (id)
		return;
	c->cpu = smp_processor_id();
	smp_store_release(&c->ready, true);
	deadline = ktime_get_ns() + T2I_NS;
	/* At least T2I_MIN_CALLS handler rounds, unless 10 times the time is not enough. */
	for (u64 n = 0, now = 0; now < deadline + 10 * T2I_NS &&
	     (now < deadline || atomic_long_read(&c->handler_ops) < T2I_MIN_CALLS); n++) {
		u64 *p[ARRAY_SIZE(t2i_size)];

		now = ktime_get_ns();
		for (unsigned int i = 0; i < ARRAY_SIZE(t2i_size); i++) {
			p[i] = kmalloc(t2i_size[i], GFP_KERNEL);
			if (!p[i]) {
				atomic_inc(&c->errors);
				continue;
			}
			t2i_sign(p[i], t2i_size[i], n * 8 + i);
		}
		for (int i = ARRAY_SIZE(t2i_size) - 1; i >= 0; i--) {
			if (!p[i])
				continue;
			if (!t2i_signed(p[i], t2i_size[i], n * 8 + i))
				atomic_inc(&c->errors);
			kfree(p[i]);
		}
		atomic_long_inc(&c->task_ops);
	}
	WRITE_ONCE(c->stop, true);
}

void test_t2_irq_interleave(struct ktest *t)
{
	struct t2i_ctx c = { 0 };
	unsigned long errors0 = kmem_error_count();

	KTEST_ASSERT_GE(t, ktest_run_on_cpus(2, t2i_worker, &c), 2);
	KTEST_EXPECT_EQ(t, atomic_read(&c.errors), 0);
	KTEST_EXPECT_GE(t, atomic_long_read(&c.handler_ops), (long)T2I_MIN_CALLS);
	KTEST_EXPECT_EQ(t, kmem_error_count(), errors0);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	ktest_log(t, "%ld task rounds, %ld handler rounds",
		  atomic_long_read(&c.task_ops), atomic_long_read(&c.handler_ops));
}
