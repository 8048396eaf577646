// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of kernel/softirq.c (suite "softirq").  They use HI_SOFTIRQ, a
 * vector nothing else opens here (there are no tasklets).
 */
#include <exo/atomic.h>
#include <exo/bottom_half.h>
#include <exo/interrupt.h>
#include <exo/jiffies.h>
#include <exo/ktest.h>
#include <exo/sched.h>
#include <exo/shell.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/time.h>
#include <exo/timer.h>
#include "softirq.h"

#define TEST_VEC	HI_SOFTIRQ

static atomic_t st_runs;
static atomic_t st_bad_ctx;		/* ran outside softirq context */
static atomic_t st_reraise;		/* re-raise while > 0 */
static int st_cpu;
static struct task_struct *st_task;

static void st_action(struct softirq_action *h)
{
	if (!in_serving_softirq() || in_hardirq() || irqs_disabled())
		atomic_inc(&st_bad_ctx);
	WRITE_ONCE(st_cpu, (int)smp_processor_id());
	WRITE_ONCE(st_task, current);
	atomic_inc(&st_runs);
	if (atomic_read(&st_reraise) > 0) {
		atomic_dec(&st_reraise);
		raise_softirq(TEST_VEC);
	}
}

static int st_init(struct ktest *t)
{
	open_softirq(TEST_VEC, st_action);
	atomic_set(&st_runs, 0);
	atomic_set(&st_bad_ctx, 0);
	atomic_set(&st_reraise, 0);
	WRITE_ONCE(st_cpu, -1);
	return 0;
}

/* Wait up to @ms for st_runs to reach @n. */
static bool st_wait_runs(int n, unsigned int ms)
{
	u64 end = ktime_get_ns() + (u64)ms * 1000000;

	while (atomic_read(&st_runs) < n) {
		if (ktime_get_ns() > end)
			return false;
		msleep(1);
	}
	return true;
}

static struct timer_list st_timer;
static atomic_t st_timer_cpu;

static void st_timer_fn(struct timer_list *tl)
{
	atomic_set(&st_timer_cpu, (int)smp_processor_id());
	raise_softirq(TEST_VEC);
}

/* Raised by a timer callback (hard interrupt): runs at that interrupt's exit. */
static void test_softirq_raise_from_irq(struct ktest *t)
{
	timer_setup(&st_timer, st_timer_fn, 0);
	mod_timer(&st_timer, jiffies + 1);
	KTEST_ASSERT_TRUE(t, st_wait_runs(1, 2000));
	del_timer_sync(&st_timer);
	KTEST_EXPECT_EQ(t, atomic_read(&st_bad_ctx), 0);
	KTEST_EXPECT_EQ(t, READ_ONCE(st_cpu), atomic_read(&st_timer_cpu));
	/* At the interrupt's exit, not in ksoftirqd. */
	KTEST_EXPECT_NE(t, READ_ONCE(st_task), softirq_ksoftirqd((unsigned int)READ_ONCE(st_cpu)));
}

/* A bh-disabled section keeps it pending across interrupts; the enable runs it. */
static void test_softirq_bh_disable_masks(struct ktest *t)
{
	u64 end;

	local_bh_disable();
	KTEST_EXPECT_TRUE(t, in_softirq());
	KTEST_EXPECT_FALSE(t, in_serving_softirq());
	raise_softirq(TEST_VEC);
	/* Ticks arrive meanwhile: their exits must leave it pending. */
	end = ktime_get_ns() + 20 * 1000000ULL;
	while (ktime_get_ns() < end)
		cpu_relax();
	KTEST_EXPECT_EQ(t, atomic_read(&st_runs), 0);
	KTEST_EXPECT_TRUE(t, local_softirq_pending() & (1U << TEST_VEC));
	/* Nested: only the outermost enable runs it. */
	local_bh_disable();
	local_bh_enable();
	KTEST_EXPECT_EQ(t, atomic_read(&st_runs), 0);
	local_bh_enable();
	KTEST_EXPECT_EQ(t, atomic_read(&st_runs), 1);
	KTEST_EXPECT_EQ(t, atomic_read(&st_bad_ctx), 0);
	KTEST_EXPECT_FALSE(t, in_softirq());
}

/* Raised from a thread outside any section: ksoftirqd runs it. */
static void test_softirq_thread_raise_wakes_ksoftirqd(struct ktest *t)
{
	unsigned int cpu;

	preempt_disable();
	cpu = smp_processor_id();
	raise_softirq(TEST_VEC);
	preempt_enable();
	KTEST_ASSERT_TRUE(t, st_wait_runs(1, 2000));
	KTEST_EXPECT_EQ(t, READ_ONCE(st_cpu), (int)cpu);
	KTEST_EXPECT_EQ(t, atomic_read(&st_bad_ctx), 0);
}

static void st_ipi_raise(void *info)
{
	raise_softirq(TEST_VEC);
}

/* Pending bits are per CPU: a raise on another CPU runs there. */
static void test_softirq_per_cpu(struct ktest *t)
{
	unsigned int me, other;

	preempt_disable();
	me = smp_processor_id();
	/* Online CPUs need not be numbered 0..n-1: one may have been skipped. */
	other = cpumask_next(-1, &cpu_online_mask);
	if (other == me)
		other = cpumask_next(me, &cpu_online_mask);
	preempt_enable();
	KTEST_ASSERT_LT(t, other, (unsigned int)NR_CPUS);
	KTEST_ASSERT_EQ(t, smp_call_function_single(other, st_ipi_raise, NULL, true), 0);
	KTEST_ASSERT_TRUE(t, st_wait_runs(1, 2000));
	KTEST_EXPECT_EQ(t, READ_ONCE(st_cpu), (int)other);
	KTEST_EXPECT_EQ(t, atomic_read(&st_bad_ctx), 0);
}

/*
 * An action that keeps raising itself: one run at bh-enable does at most
 * MAX_SOFTIRQ_RESTART (10) rounds and hands the rest to ksoftirqd, which
 * finishes them without starving this thread.
 */
static void test_softirq_restart_bound(struct ktest *t)
{
	unsigned int cpu;
	unsigned long deferred;
	int after_enable;

	local_bh_disable();
	cpu = smp_processor_id();
	deferred = softirq_deferred_cpu(cpu);
	atomic_set(&st_reraise, 200);
	raise_softirq(TEST_VEC);
	local_bh_enable();
	after_enable = atomic_read(&st_runs);
	KTEST_EXPECT_GE(t, after_enable, 1);
	KTEST_EXPECT_LE(t, after_enable, 10);
	KTEST_EXPECT_GT(t, softirq_deferred_cpu(cpu), deferred);
	KTEST_ASSERT_TRUE(t, st_wait_runs(201, 5000));
	KTEST_EXPECT_EQ(t, atomic_read(&st_bad_ctx), 0);
	msleep(5);
	KTEST_EXPECT_EQ(t, atomic_read(&st_runs), 201);
}

/* Bad input is refused with a log line. */
static void test_softirq_bad_vector(struct ktest *t)
{
	open_softirq(NR_SOFTIRQS, st_action);
	open_softirq(-1, st_action);
	open_softirq(TEST_VEC, NULL);
	KTEST_EXPECT_EQ(t, softirq_count_cpu(0, NR_SOFTIRQS), 0UL);
	KTEST_EXPECT_EQ(t, softirq_count_cpu(NR_CPUS, 0), 0UL);
	KTEST_EXPECT_EQ(t, shell_run_command("softirqs"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("softirqs now"), -EINVAL);
}

/*
 * local_bh_enable() from a hard interrupt handler is a bug it logs, but
 * it still ends the section: the count the matching local_bh_disable()
 * added must not stay behind (it would keep softirqs off on the CPU).
 */
static void test_softirq_bh_enable_in_hardirq(struct ktest *t)
{
	unsigned long flags;
	unsigned int pc;

	local_irq_save(flags);
	pc = preempt_count();
	__preempt_count_add(HARDIRQ_OFFSET);	/* what the interrupt entry does */
	local_bh_disable();
	local_bh_enable();
	__preempt_count_add(-(int)HARDIRQ_OFFSET);
	KTEST_EXPECT_EQ(t, preempt_count(), pc);
	local_irq_restore(flags);
}

static struct ktest_case softirq_cases[] = {
	KTEST_CASE(test_softirq_raise_from_irq),
	KTEST_CASE(test_softirq_bh_disable_masks),
	KTEST_CASE(test_softirq_thread_raise_wakes_ksoftirqd),
	KTEST_CASE_FLAGS(test_softirq_per_cpu, KTEST_F_SMP),
	KTEST_CASE(test_softirq_restart_bound),
	KTEST_CASE(test_softirq_bad_vector),
	KTEST_CASE(test_softirq_bh_enable_in_hardirq),
	{}
};

static struct ktest_suite softirq_suite = {
	.name = "softirq", .cases = softirq_cases, .init = st_init,
};
KTEST_SUITE(softirq_suite);
