// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of kernel threads, the scheduler and wait queues.
 */
#include <exo/atomic.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/page_alloc.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/time.h>
#include <exo/wait.h>

static int return_arg(void *arg)
{
	return (int)(long)arg;
}

static void test_kthread_run_join(struct ktest *t)
{
	unsigned long before = ktest_settled_free_pages();
	unsigned int threads = nr_threads();
	struct task_struct *k = kthread_run(return_arg, (void *)42L, "ktest-ret");

	KTEST_ASSERT_NOT_NULL(t, k);
	KTEST_EXPECT_EQ(t, kthread_join(k), 42);
	KTEST_EXPECT_EQ(t, nr_threads(), threads);
	/* A thread never woken can be joined too. */
	k = kthread_create(return_arg, (void *)-7L, "ktest-new");
	KTEST_ASSERT_NOT_NULL(t, k);
	KTEST_EXPECT_EQ(t, kthread_join(k), -7);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), before);
}

static int report_cpu(void *arg)
{
	unsigned int *where = arg;

	preempt_disable();
	*where = smp_processor_id();
	preempt_enable();
	return 0;
}

static void test_bind_every_cpu(struct ktest *t)
{
	struct task_struct *k[NR_CPUS];
	unsigned int where[NR_CPUS], cpu;

	for_each_online_cpu(cpu) {
		where[cpu] = -1U;
		k[cpu] = kthread_create(report_cpu, &where[cpu], "ktest-cpu%u", cpu);
		KTEST_ASSERT_NOT_NULL(t, k[cpu]);
		KTEST_EXPECT_EQ(t, kthread_bind(k[cpu], cpu), 0);
		wake_up_process(k[cpu]);
	}
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, kthread_join(k[cpu]), 0);
		KTEST_EXPECT_EQ(t, where[cpu], cpu);
	}
	/* Error paths: a bad CPU, a thread that already ran. */
	k[0] = kthread_create(return_arg, NULL, "ktest-bind");
	KTEST_ASSERT_NOT_NULL(t, k[0]);
	KTEST_EXPECT_EQ(t, kthread_bind(k[0], NR_CPUS), -EINVAL);
	wake_up_process(k[0]);
	KTEST_EXPECT_EQ(t, kthread_bind(k[0], 0), -EBUSY);
	kthread_join(k[0]);
}

struct counter_ctx {
	spinlock_t lock;
	unsigned long value;
	unsigned int rounds;
};

static int count_under_lock(void *arg)
{
	struct counter_ctx *c = arg;

	for (unsigned int i = 0; i < c->rounds; i++) {
		unsigned long flags;

		spin_lock_irqsave(&c->lock, flags);
		/* A non-atomic read-modify-write: only the lock makes it exact. */
		WRITE_ONCE(c->value, READ_ONCE(c->value) + 1);
		spin_unlock_irqrestore(&c->lock, flags);
		if (!(i & 255))
			yield();
	}
	return 0;
}

/* Two threads per CPU hammer one counter; the total must be exact. */
static void test_spinlock_counter_all_cpus(struct ktest *t)
{
	struct counter_ctx c = { .lock = __SPIN_LOCK_UNLOCKED(c.lock) };
	struct task_struct *k[2 * NR_CPUS];
	unsigned int n = 0, cpu;

	/*
	 * About 4000 acquisitions in all: under TCG with more vCPUs than host
	 * cores a ticket hand-off (nopvspin) waits for the next holder's vCPU
	 * to be scheduled by the host (~ms), so the total, not the per-thread
	 * count, sets the run time.
	 */
	c.rounds = max(100u, 4000 / (2 * num_online_cpus()));
	for_each_online_cpu(cpu) {
		for (int j = 0; j < 2; j++) {
			k[n] = kthread_create(count_under_lock, &c, "ktest-cnt%u", cpu);
			KTEST_ASSERT_NOT_NULL(t, k[n]);
			kthread_bind(k[n], cpu);
			wake_up_process(k[n++]);
		}
	}
	for (unsigned int i = 0; i < n; i++)
		KTEST_EXPECT_EQ(t, kthread_join(k[i]), 0);
	KTEST_EXPECT_EQ(t, c.value, (unsigned long)n * c.rounds);
}

struct pingpong {
	atomic_t turn;
	unsigned int rounds;
	unsigned int bad;
};

/* Thread @me waits for its turn, yielding, then hands over. */
static int pingpong_fn(void *arg, int me)
{
	struct pingpong *p = arg;

	for (unsigned int i = 0; i < p->rounds; i++) {
		unsigned int spins = 0;

		while (atomic_read(&p->turn) != me) {
			yield();
			if (++spins > 1000000) {
				p->bad++;
				return -1;
			}
		}
		atomic_set(&p->turn, !me);
	}
	return 0;
}

static int ping(void *arg)
{
	return pingpong_fn(arg, 0);
}

static int pong(void *arg)
{
	return pingpong_fn(arg, 1);
}

/* Two threads on one CPU that only progress by yielding to each other. */
static void test_yield_pingpong(struct ktest *t)
{
	struct pingpong p = { .rounds = 2000 };
	struct task_struct *a = kthread_create(ping, &p, "ktest-ping");
	struct task_struct *b = kthread_create(pong, &p, "ktest-pong");
	u64 before;

	KTEST_ASSERT_NOT_NULL(t, a);
	KTEST_ASSERT_NOT_NULL(t, b);
	kthread_bind(a, 0);
	kthread_bind(b, 0);
	before = a->nr_switches;
	wake_up_process(a);
	wake_up_process(b);
	KTEST_EXPECT_EQ(t, kthread_join(a), 0);
	KTEST_EXPECT_EQ(t, kthread_join(b), 0);
	KTEST_EXPECT_EQ(t, p.bad, 0);
	KTEST_EXPECT_EQ(t, before, 0);
}

static void test_msleep(struct ktest *t)
{
	u64 t0 = ktime_get_ns(), slept;

	msleep(20);
	slept = ktime_get_ns() - t0;
	KTEST_EXPECT_GE(t, slept, 20 * NSEC_PER_MSEC);
	/* Generous: TCG on a loaded host can be slow, but not this slow. */
	KTEST_EXPECT_LT(t, slept, 2000 * NSEC_PER_MSEC);
	KTEST_EXPECT_EQ(t, schedule_timeout(0), 0);
	KTEST_EXPECT_EQ(t, schedule_timeout_ns(0), 0ull);
	/* Negative: refused with a log line, no sleep. */
	KTEST_EXPECT_EQ(t, schedule_timeout(-1), 0);
	/* Jiffies, as Linux's: 2 of them end at the second tick boundary, returning 0. */
	t0 = ktime_get_ns();
	KTEST_EXPECT_EQ(t, schedule_timeout_uninterruptible(2), 0);
	KTEST_EXPECT_GE(t, ktime_get_ns() - t0, TICK_NSEC);
}

struct waiter_ctx {
	struct wait_queue_head wq;
	int flag;
	int seen;
};

static int waiter(void *arg)
{
	struct waiter_ctx *w = arg;

	wait_event(w->wq, READ_ONCE(w->flag));
	w->seen = READ_ONCE(w->flag);
	return 0;
}

static void test_wait_queue(struct ktest *t)
{
	struct waiter_ctx w = { .flag = 0 };
	struct task_struct *k[NR_CPUS];
	unsigned int n = 0, cpu;

	init_waitqueue_head(&w.wq);
	for_each_online_cpu(cpu) {
		k[n] = kthread_create(waiter, &w, "ktest-wait%u", cpu);
		KTEST_ASSERT_NOT_NULL(t, k[n]);
		kthread_bind(k[n], cpu);
		wake_up_process(k[n++]);
	}
	msleep(5);
	KTEST_EXPECT_EQ(t, w.seen, 0);
	WRITE_ONCE(w.flag, 7);
	wake_up(&w.wq);
	for (unsigned int i = 0; i < n; i++)
		KTEST_EXPECT_EQ(t, kthread_join(k[i]), 0);
	KTEST_EXPECT_EQ(t, w.seen, 7);
	/* A timed wait whose condition never comes true times out. */
	KTEST_EXPECT_EQ(t, wait_event_timeout(w.wq, READ_ONCE(w.flag) == 99, 1), 0);
}

/*
 * schedule_timeout() called again and again with what it returned, each
 * call ending at once (still TASK_RUNNING, as a waiter woken early is):
 * what is left must still run out on time.  Each call used to restart the
 * remaining time, rounded up to a whole tick, so it never did.
 */
static void test_timeout_left_runs_out(struct ktest *t)
{
	u64 t0 = ktime_get_ns();
	long left = 20;		/* 200 ms: more than a vCPU stall that could hide the bug */

	while (left && ktime_get_ns() - t0 < 2 * NSEC_PER_SEC) {
		__set_current_state(TASK_RUNNING);
		left = schedule_timeout(left);
	}
	KTEST_EXPECT_EQ(t, left, 0);
	KTEST_EXPECT_GE(t, ktime_get_ns() - t0, 19 * TICK_NSEC);
}

static int spin_until_stopped(void *arg)
{
	atomic_t *progress = arg;

	while (!kthread_should_stop())
		atomic_inc(progress);
	return 0;
}

/* A thread that never yields must not starve another on its CPU. */
static void test_preemption(struct ktest *t)
{
	struct sched_cpu_stats st;
	atomic_t progress = ATOMIC_INIT(0);
	struct task_struct *hog;
	u64 t0;

	sched_cpu_stats(0, &st);
	if (!st.ticks)
		KTEST_SKIP(t, "no timer tick on CPU 0");
	hog = kthread_create(spin_until_stopped, &progress, "ktest-hog");
	KTEST_ASSERT_NOT_NULL(t, hog);
	kthread_bind(hog, 0);
	wake_up_process(hog);
	/* We are on CPU 0 too: getting back here at all means preemption. */
	t0 = ktime_get_ns();
	while (ktime_get_ns() - t0 < 50 * NSEC_PER_MSEC)
		yield();
	KTEST_EXPECT_GT(t, atomic_read(&progress), 0);
	KTEST_EXPECT_EQ(t, kthread_stop(hog), 0);
}

/* Many short threads: stacks and task structs all come back. */
static void test_no_leak(struct ktest *t)
{
	unsigned long before = ktest_settled_free_pages();
	unsigned int threads = nr_threads();
	u64 deadline;

	for (int round = 0; round < 10; round++) {
		struct task_struct *k[16];

		for (int i = 0; i < 16; i++) {
			k[i] = kthread_run(return_arg, (void *)(long)i, "ktest-leak");
			KTEST_ASSERT_NOT_NULL(t, k[i]);
		}
		for (int i = 0; i < 16; i++)
			KTEST_EXPECT_EQ(t, kthread_join(k[i]), i);
	}
	/* Detached threads free themselves. */
	for (int i = 0; i < 16; i++) {
		struct task_struct *k = kthread_create(return_arg, NULL, "ktest-detached");

		KTEST_ASSERT_NOT_NULL(t, k);
		kthread_detach(k);
		wake_up_process(k);
	}
	/* Detached threads reap themselves when they get to run (bounded). */
	deadline = ktime_get_ns() + 10 * NSEC_PER_SEC;
	do
		msleep(20);
	while (nr_threads() != threads && ktime_get_ns() < deadline);
	KTEST_EXPECT_EQ(t, nr_threads(), threads);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), before);
}

static struct ktest_case sched_cases[] = {
	KTEST_CASE(test_kthread_run_join),
	KTEST_CASE(test_bind_every_cpu),
	KTEST_CASE(test_spinlock_counter_all_cpus),
	KTEST_CASE(test_yield_pingpong),
	KTEST_CASE(test_msleep),
	KTEST_CASE(test_wait_queue),
	KTEST_CASE(test_timeout_left_runs_out),
	KTEST_CASE(test_preemption),
	KTEST_CASE(test_no_leak),
	{}
};

static struct ktest_suite sched_suite = {
	.name = "sched",
	.cases = sched_cases,
};
KTEST_SUITE(sched_suite);
