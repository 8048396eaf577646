// SPDX-License-Identifier: GPL-2.0
/*
 * Workqueue tests: where and in which context works run, the PENDING
 * rule, FIFO and ordered execution, concurrency of unbound queues, flush
 * and cancel semantics (cancel_work_sync() against a work re-queueing
 * itself from another CPU, against a running instance), delayed work
 * never early, mod_delayed_work, destroy with pending work, and threads,
 * workqueues and memory back to their baseline afterwards.
 */
#include <exo/atomic.h>
#include <exo/completion.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/kthread.h>
#include <exo/preempt.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/workqueue.h>
#include <asm/irqflags.h>
#include <asm/processor.h>

struct twork {
	struct work_struct work;
	struct delayed_work dwork;
	atomic_t runs;
	unsigned int cpu;
	bool atomic_ctx;		/* ran with preemption or interrupts off */
	unsigned int sleep_ms;
	atomic_t requeue;		/* queue itself again while > 0 */
	unsigned int requeue_cpu;
	struct workqueue_struct *wq;
	struct completion *gate;	/* wait for it before returning */
	atomic_t *order;		/* global sequence */
	unsigned int my_order;
	unsigned long jiffies_at;
	u64 ns_at;
	atomic_t running;
};

static atomic_t concurrent, max_concurrent;

static void twork_body(struct twork *tw)
{
	int c = atomic_inc_return(&concurrent), m;

	atomic_set(&tw->running, 1);
	while ((m = atomic_read(&max_concurrent)) < c && !atomic_try_cmpxchg(&max_concurrent, &m, c))
		;
	tw->cpu = smp_processor_id();
	tw->atomic_ctx = !preemptible() || in_interrupt();
	tw->jiffies_at = jiffies;
	tw->ns_at = ktime_get_ns();
	if (tw->order)
		tw->my_order = atomic_inc_return(tw->order);
	if (tw->gate)
		wait_for_completion(tw->gate);
	if (tw->sleep_ms)
		msleep(tw->sleep_ms);
	atomic_dec(&concurrent);
	atomic_set(&tw->running, 0);
	atomic_inc(&tw->runs);
}

static void twork_fn(struct work_struct *w)
{
	struct twork *tw = container_of(w, struct twork, work);

	twork_body(tw);
	if (atomic_read(&tw->requeue) > 0) {
		atomic_dec(&tw->requeue);
		queue_work_on(tw->requeue_cpu, tw->wq, &tw->work);
	}
}

static void tdwork_fn(struct work_struct *w)
{
	twork_body(container_of(to_delayed_work(w), struct twork, dwork));
}

static void twork_init(struct twork *tw, struct workqueue_struct *wq)
{
	memset(tw, 0, sizeof(*tw));
	INIT_WORK(&tw->work, twork_fn);
	INIT_DELAYED_WORK(&tw->dwork, tdwork_fn);
	tw->wq = wq;
	tw->requeue_cpu = WORK_CPU_UNBOUND;
}

/* Sleep until @tw ran @n times; false after about @ms milliseconds. */
static bool wait_runs(struct twork *tw, int n, unsigned int ms)
{
	for (unsigned int i = 0; i < ms && atomic_read(&tw->runs) < n; i++)
		msleep(1);
	return atomic_read(&tw->runs) >= n;
}

struct baseline {
	unsigned int threads, workers, wqs;
	unsigned long kmalloc_objs;
};

static void take_baseline(struct baseline *b)
{
	unsigned long exec;

	/* Lets exited workers be reaped and deferred frees finish first. */
	ktest_settled_free_pages();
	b->threads = nr_threads();
	workqueue_stats(&exec, &b->workers, &b->wqs);
	b->kmalloc_objs = kmalloc_usage(NULL);
}

static void expect_baseline(struct ktest *t, const struct baseline *b)
{
	struct baseline now;

	take_baseline(&now);
	KTEST_EXPECT_EQ(t, now.threads, b->threads);
	KTEST_EXPECT_EQ(t, now.workers, b->workers);
	KTEST_EXPECT_EQ(t, now.wqs, b->wqs);
	KTEST_EXPECT_EQ(t, now.kmalloc_objs, b->kmalloc_objs);
}

static void test_wq_schedule_work(struct ktest *t)
{
	static struct twork tw;
	unsigned int cpu;

	twork_init(&tw, system_wq);
	preempt_disable();
	cpu = smp_processor_id();
	KTEST_EXPECT_TRUE(t, schedule_work(&tw.work));
	KTEST_EXPECT_TRUE(t, work_pending(&tw.work));
	KTEST_EXPECT_FALSE(t, schedule_work(&tw.work));	/* queued once */
	preempt_enable();
	flush_work(&tw.work);		/* false if it already ran */
	KTEST_EXPECT_EQ(t, atomic_read(&tw.runs), 1);
	KTEST_EXPECT_EQ(t, tw.cpu, cpu);
	KTEST_EXPECT_FALSE(t, tw.atomic_ctx);
	KTEST_EXPECT_FALSE(t, work_pending(&tw.work));
	KTEST_EXPECT_FALSE(t, flush_work(&tw.work));	/* idle: nothing to wait */
	KTEST_EXPECT_FALSE(t, cancel_work_sync(&tw.work));
}

static void test_wq_queue_on_each_cpu(struct ktest *t)
{
	static struct twork tw[NR_CPUS];
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		twork_init(&tw[cpu], system_wq);
		KTEST_EXPECT_TRUE(t, queue_work_on(cpu, system_wq, &tw[cpu].work));
	}
	for_each_online_cpu(cpu) {
		flush_work(&tw[cpu].work);
		KTEST_EXPECT_EQ(t, atomic_read(&tw[cpu].runs), 1);
		KTEST_EXPECT_EQ(t, tw[cpu].cpu, cpu);
	}
}

/* FIFO on one CPU of a per-CPU queue, and strict order on an ordered queue. */
static void check_order(struct ktest *t, struct workqueue_struct *wq, unsigned int cpu)
{
	static struct twork tw[16];
	atomic_t order = ATOMIC_INIT(0);

	atomic_set(&concurrent, 0);
	atomic_set(&max_concurrent, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(tw); i++) {
		twork_init(&tw[i], wq);
		tw[i].order = &order;
		tw[i].sleep_ms = i % 3;
		queue_work_on(cpu, wq, &tw[i].work);
	}
	flush_workqueue(wq);
	for (unsigned int i = 0; i < ARRAY_SIZE(tw); i++) {
		KTEST_EXPECT_EQ(t, atomic_read(&tw[i].runs), 1);
		KTEST_EXPECT_EQ(t, tw[i].my_order, i + 1);
	}
	KTEST_EXPECT_EQ(t, atomic_read(&max_concurrent), 1);
}

static void test_wq_fifo_and_ordered(struct ktest *t)
{
	struct workqueue_struct *percpu = alloc_workqueue("tpercpu", 0, 0);
	struct workqueue_struct *ordered = alloc_ordered_workqueue("tordered", 0);
	struct baseline b;

	KTEST_ASSERT_NOT_NULL(t, percpu);
	KTEST_ASSERT_NOT_NULL(t, ordered);
	check_order(t, percpu, smp_processor_id());
	check_order(t, ordered, WORK_CPU_UNBOUND);
	check_order(t, ordered, 0);	/* the CPU is ignored */
	destroy_workqueue(percpu);
	destroy_workqueue(ordered);
	/* A create/destroy cycle leaves nothing behind. */
	take_baseline(&b);
	percpu = alloc_workqueue("tcycle%d", 0, 0, 1);
	ordered = alloc_ordered_workqueue("tcycle%d", 0, 2);
	KTEST_ASSERT_NOT_NULL(t, percpu);
	KTEST_ASSERT_NOT_NULL(t, ordered);
	destroy_workqueue(percpu);
	destroy_workqueue(ordered);
	expect_baseline(t, &b);
}

static void test_wq_unbound_concurrency(struct ktest *t)
{
	struct workqueue_struct *wq = alloc_workqueue("tunbound", WQ_UNBOUND, 3);
	static struct twork tw[8];

	KTEST_ASSERT_NOT_NULL(t, wq);
	atomic_set(&concurrent, 0);
	atomic_set(&max_concurrent, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(tw); i++) {
		twork_init(&tw[i], wq);
		tw[i].sleep_ms = 20;
		queue_work(wq, &tw[i].work);
	}
	flush_workqueue(wq);
	for (unsigned int i = 0; i < ARRAY_SIZE(tw); i++)
		KTEST_EXPECT_EQ(t, atomic_read(&tw[i].runs), 1);
	/* Sleeping works overlap, up to max_active of them. */
	KTEST_EXPECT_GT(t, atomic_read(&max_concurrent), 1);
	KTEST_EXPECT_LE(t, atomic_read(&max_concurrent), 3);
	destroy_workqueue(wq);
}

#define IDLE_OBJS	256		/* 256 B each: 64 KiB, a whole tier-1 list */

static void alloc_free_fn(struct work_struct *work)
{
	void *objs[IDLE_OBJS];
	unsigned int n = 0;

	while (n < IDLE_OBJS && (objs[n] = kmalloc(256, GFP_KERNEL)))
		n++;
	while (n)
		kfree(objs[--n]);
}

/*
 * A worker that goes idle keeps no kmalloc objects: what its works freed
 * into its thread cache would otherwise pin their slab pages for as long
 * as it sleeps (and every leak check after it would see them).  A queue
 * of its own, so that the worker is not one whose cache is already full.
 */
static void test_wq_idle_worker_keeps_no_objects(struct ktest *t)
{
	struct workqueue_struct *wq = alloc_workqueue("tidle", 0, 1);
	struct work_struct w;
	unsigned long before;

	KTEST_ASSERT_NOT_NULL(t, wq);
	before = ktest_settled_free_pages();
	INIT_WORK(&w, alloc_free_fn);
	queue_work(wq, &w);
	flush_work(&w);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), before);
	destroy_workqueue(wq);
}

static void test_wq_requeue_self_and_flush(struct ktest *t)
{
	static struct twork tw;

	twork_init(&tw, system_unbound_wq);
	atomic_set(&tw.requeue, 5);
	tw.sleep_ms = 2;
	queue_work(system_unbound_wq, &tw.work);
	KTEST_ASSERT_TRUE(t, wait_runs(&tw, 6, 3000));
	flush_work(&tw.work);
	KTEST_EXPECT_EQ(t, atomic_read(&tw.runs), 6);
	KTEST_EXPECT_FALSE(t, work_pending(&tw.work));
	/* flush_work() waits for the running instance and the queued one. */
	twork_init(&tw, system_wq);
	tw.sleep_ms = 30;
	queue_work(system_wq, &tw.work);
	while (!atomic_read(&tw.running))
		msleep(1);
	queue_work(system_wq, &tw.work);
	KTEST_EXPECT_TRUE(t, flush_work(&tw.work));
	KTEST_EXPECT_EQ(t, atomic_read(&tw.runs), 2);
}

static void test_wq_cancel_pending_and_running(struct ktest *t)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("tcancel", 0);
	static struct twork blocker, tw;
	DECLARE_COMPLETION(gate);

	KTEST_ASSERT_NOT_NULL(t, wq);
	twork_init(&blocker, wq);
	blocker.gate = &gate;
	twork_init(&tw, wq);
	queue_work(wq, &blocker.work);
	queue_work(wq, &tw.work);
	KTEST_EXPECT_TRUE(t, cancel_work_sync(&tw.work));	/* pending, never ran */
	KTEST_EXPECT_FALSE(t, work_pending(&tw.work));
	complete(&gate);
	flush_workqueue(wq);
	KTEST_EXPECT_EQ(t, atomic_read(&tw.runs), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&blocker.runs), 1);
	/* Running: cancel_work_sync() returns after the instance ended. */
	twork_init(&tw, wq);
	tw.sleep_ms = 40;
	queue_work(wq, &tw.work);
	while (!atomic_read(&tw.running))
		msleep(1);
	KTEST_EXPECT_FALSE(t, cancel_work_sync(&tw.work));
	KTEST_EXPECT_EQ(t, atomic_read(&tw.running), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&tw.runs), 1);
	destroy_workqueue(wq);
}

static struct twork flushed_tw;
static DECLARE_COMPLETION(flushed_done);

static int flush_thread_fn(void *arg)
{
	flush_work(&flushed_tw.work);
	complete(&flushed_done);
	return 0;
}

/*
 * A flusher sleeping on a pending work must wake when another thread
 * cancels that work (its queueing ends without running): it used to
 * sleep until some other work of the pool ran, forever on an idle pool.
 */
static void test_wq_flush_vs_cancel_pending(struct ktest *t)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("tflushcancel", 0);
	static struct twork blocker;
	DECLARE_COMPLETION(gate);
	struct task_struct *th;

	KTEST_ASSERT_NOT_NULL(t, wq);
	reinit_completion(&flushed_done);
	twork_init(&blocker, wq);
	blocker.gate = &gate;
	twork_init(&flushed_tw, wq);
	queue_work(wq, &blocker.work);
	queue_work(wq, &flushed_tw.work);
	th = kthread_run(flush_thread_fn, NULL, "tflush");
	if (!th)
		complete(&gate);	/* before the abort: the blocker waits on our stack */
	KTEST_ASSERT_NOT_NULL(t, th);
	/* Sleeping in flush_work() on the pool: the only sleep it makes (bounded). */
	for (int i = 0; i < 2000 && READ_ONCE(th->state) != TASK_UNINTERRUPTIBLE; i++)
		msleep(1);
	KTEST_EXPECT_EQ(t, READ_ONCE(th->state), TASK_UNINTERRUPTIBLE);
	KTEST_EXPECT_FALSE(t, completion_done(&flushed_done));
	KTEST_EXPECT_TRUE(t, cancel_work_sync(&flushed_tw.work));
	/* The blocker still runs: only the cancel can have woken it. */
	KTEST_EXPECT_NE(t, wait_for_completion_timeout(&flushed_done, msecs_to_jiffies(2000)), 0UL);
	KTEST_EXPECT_EQ(t, atomic_read(&blocker.runs), 0);
	complete(&gate);
	kthread_join(th);
	destroy_workqueue(wq);
	KTEST_EXPECT_EQ(t, atomic_read(&flushed_tw.runs), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&blocker.runs), 1);
}

/*
 * cancel_work_sync() from this CPU while the work re-queues itself on
 * another CPU, at many points of its cycle.
 */
static void test_wq_cancel_self_requeue_race(struct ktest *t)
{
	static struct twork tw;
	unsigned int other = smp_processor_id(), cpu;

	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id())
			other = cpu;
	for (unsigned int round = 0; round < 40; round++) {
		int runs;

		twork_init(&tw, system_wq);
		atomic_set(&tw.requeue, 1 << 30);
		tw.requeue_cpu = other;
		queue_work_on(other, system_wq, &tw.work);
		udelay(round * 37);
		cancel_work_sync(&tw.work);
		KTEST_EXPECT_FALSE(t, work_pending(&tw.work));
		KTEST_EXPECT_EQ(t, atomic_read(&tw.running), 0);
		runs = atomic_read(&tw.runs);
		msleep(2);
		KTEST_EXPECT_EQ(t, atomic_read(&tw.runs), runs);
		KTEST_EXPECT_FALSE(t, work_pending(&tw.work));
	}
}

/* Every CPU queues and cancels the same works at once. */
static struct twork race_tw[4];

static void race_worker(void *arg, unsigned int id)
{
	for (unsigned int i = 0; i < 300; i++) {
		struct twork *tw = &race_tw[(i + id) % ARRAY_SIZE(race_tw)];

		switch ((i + id) % 3) {
		case 0:
			queue_work_on((i % 2) ? WORK_CPU_UNBOUND : (id % num_online_cpus()),
				      system_wq, &tw->work);
			break;
		case 1:
			cancel_work_sync(&tw->work);
			break;
		default:
			flush_work(&tw->work);
			break;
		}
	}
}

static void test_wq_smp_queue_cancel_flush(struct ktest *t)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(race_tw); i++)
		twork_init(&race_tw[i], system_wq);
	KTEST_ASSERT_GT(t, ktest_run_on_cpus(num_online_cpus(), race_worker, NULL), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(race_tw); i++) {
		cancel_work_sync(&race_tw[i].work);
		KTEST_EXPECT_FALSE(t, work_pending(&race_tw[i].work));
		KTEST_EXPECT_EQ(t, atomic_read(&race_tw[i].running), 0);
	}
}

static void test_wq_delayed_work(struct ktest *t)
{
	static struct twork tw;
	unsigned int cpu, last = 0;
	unsigned long j0;
	u64 t0;

	twork_init(&tw, system_wq);
	j0 = jiffies;
	t0 = ktime_get_ns();
	/* 20 ticks: a vCPU stalled by a busy host must not see it run already. */
	KTEST_EXPECT_TRUE(t, schedule_delayed_work(&tw.dwork, 20));
	KTEST_EXPECT_FALSE(t, schedule_delayed_work(&tw.dwork, 1));
	KTEST_EXPECT_TRUE(t, delayed_work_pending(&tw.dwork));
	KTEST_ASSERT_TRUE(t, wait_runs(&tw, 1, 3000));
	KTEST_EXPECT_TRUE(t, time_after_eq(tw.jiffies_at, j0 + 20));
	/* jiffies is ktime_get_ns() / TICK_NSEC: the clock had reached j0 + 20. */
	KTEST_EXPECT_GE(t, tw.ns_at, jiffies_to_nsecs(j0 + 20));
	KTEST_EXPECT_GT(t, tw.ns_at, t0);
	KTEST_EXPECT_EQ(t, tw.cpu, smp_processor_id());
	/* Cancelled while its timer is armed: never runs. */
	twork_init(&tw, system_wq);
	schedule_delayed_work(&tw.dwork, HZ);
	KTEST_EXPECT_TRUE(t, cancel_delayed_work_sync(&tw.dwork));
	KTEST_EXPECT_FALSE(t, cancel_delayed_work(&tw.dwork));
	msleep(80);
	KTEST_EXPECT_EQ(t, atomic_read(&tw.runs), 0);
	/* mod_delayed_work() pushes it later; flush_delayed_work() runs it now. */
	twork_init(&tw, system_wq);
	KTEST_EXPECT_FALSE(t, mod_delayed_work(system_wq, &tw.dwork, HZ));
	KTEST_EXPECT_TRUE(t, mod_delayed_work(system_wq, &tw.dwork, 10 * HZ));
	msleep(60);
	KTEST_EXPECT_EQ(t, atomic_read(&tw.runs), 0);
	KTEST_EXPECT_TRUE(t, flush_delayed_work(&tw.dwork));
	KTEST_EXPECT_EQ(t, atomic_read(&tw.runs), 1);
	/* Delay 0 queues at once; on another CPU's timer too. */
	twork_init(&tw, system_unbound_wq);
	KTEST_EXPECT_TRUE(t, queue_delayed_work(system_unbound_wq, &tw.dwork, 0));
	KTEST_ASSERT_TRUE(t, wait_runs(&tw, 1, 2000));
	/* The last online CPU (a skipped CPU leaves a hole in the numbers). */
	for_each_online_cpu(cpu)
		last = cpu;
	twork_init(&tw, system_wq);
	queue_delayed_work_on(last, system_wq, &tw.dwork, 2);
	KTEST_ASSERT_TRUE(t, wait_runs(&tw, 1, 2000));
	KTEST_EXPECT_EQ(t, tw.cpu, last);
}

/*
 * A driver timer on this CPU re-arms a delayed work every tick while this
 * thread cancels it synchronously: a tick landing between a canceller's
 * grab and its CANCELING mark (or between clearing the two bits) used to
 * make the timer callback spin on the work with interrupts off.
 */
static struct delayed_work race_dw;
static struct timer_list race_timer;
static bool race_stop;
static atomic_t race_fired, race_dw_runs;

static void race_dw_fn(struct work_struct *w)
{
	atomic_inc(&race_dw_runs);
}

static void race_timer_fn(struct timer_list *tl)
{
	mod_delayed_work(system_wq, &race_dw, HZ);
	atomic_inc(&race_fired);
	if (!READ_ONCE(race_stop))
		mod_timer(tl, jiffies + 1);
}

static void test_wq_cancel_vs_timer_requeue(struct ktest *t)
{
	u64 end = ktime_get_ns() + 1000 * NSEC_PER_MSEC;
	unsigned int i;

	INIT_DELAYED_WORK(&race_dw, race_dw_fn);
	KTEST_EXPECT_TRUE(t, race_dw.timer.flags & TIMER_IRQSAFE);
	timer_setup(&race_timer, race_timer_fn, 0);
	WRITE_ONCE(race_stop, false);
	atomic_set(&race_fired, 0);
	race_timer.expires = jiffies + 1;
	add_timer_on(&race_timer, smp_processor_id());
	for (i = 0; i < 400000 && ktime_get_ns() < end; i++) {
		cancel_delayed_work_sync(&race_dw);
		if (i % 4 == 0)
			udelay(i % 13);
	}
	WRITE_ONCE(race_stop, true);
	del_timer_sync(&race_timer);
	cancel_delayed_work_sync(&race_dw);
	KTEST_EXPECT_FALSE(t, delayed_work_pending(&race_dw));
	KTEST_EXPECT_GT(t, atomic_read(&race_fired), 0);
	ktest_log(t, "%u cancels against %d timer re-arms", i, atomic_read(&race_fired));
}

/*
 * flush_delayed_work() right as the timer fires on another CPU: the
 * timer is detached but its callback has not queued the work yet.  The
 * flush must still wait for that run.
 */
static void test_wq_flush_delayed_vs_timer(struct ktest *t)
{
	static struct twork tw;
	unsigned int other = smp_processor_id(), cpu, bad = 0;

	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id())
			other = cpu;
	twork_init(&tw, system_wq);
	for (int round = 0; round < 60; round++) {
		u64 end = ktime_get_ns() + 5 * NSEC_PER_SEC;

		queue_delayed_work_on(other, system_wq, &tw.dwork, 1);
		while (timer_pending(&tw.dwork.timer) && ktime_get_ns() < end)
			cpu_relax();
		flush_delayed_work(&tw.dwork);
		if (atomic_read(&tw.runs) != round + 1)
			bad++;
		/* Resynchronise if it ran late: never let the count drift. */
		flush_delayed_work(&tw.dwork);
		atomic_set(&tw.runs, round + 1);
	}
	KTEST_EXPECT_EQ(t, bad, 0U);
}

static void test_wq_destroy_with_pending(struct ktest *t)
{
	static struct twork tw[6];
	struct workqueue_struct *wq;
	struct baseline b;

	take_baseline(&b);
	wq = alloc_workqueue("tdestroy", WQ_UNBOUND, 2);
	KTEST_ASSERT_NOT_NULL(t, wq);
	for (unsigned int i = 0; i < ARRAY_SIZE(tw); i++) {
		twork_init(&tw[i], wq);
		tw[i].sleep_ms = 5;
		if (i == 0)
			atomic_set(&tw[i].requeue, 3);	/* queues itself while draining */
		queue_work(wq, &tw[i].work);
	}
	destroy_workqueue(wq);
	KTEST_EXPECT_EQ(t, atomic_read(&tw[0].runs), 4);
	for (unsigned int i = 1; i < ARRAY_SIZE(tw); i++)
		KTEST_EXPECT_EQ(t, atomic_read(&tw[i].runs), 1);
	/* Their workqueue's pools are freed: flush and cancel must not touch them. */
	for (unsigned int i = 0; i < ARRAY_SIZE(tw); i++) {
		KTEST_EXPECT_FALSE(t, flush_work(&tw[i].work));
		KTEST_EXPECT_FALSE(t, cancel_work_sync(&tw[i].work));
		KTEST_EXPECT_FALSE(t, work_pending(&tw[i].work));
	}
	/* ... and they may be queued on another workqueue. */
	KTEST_EXPECT_TRUE(t, queue_work(system_wq, &tw[1].work));
	KTEST_EXPECT_TRUE(t, flush_work(&tw[1].work) || atomic_read(&tw[1].runs) == 2);
	KTEST_EXPECT_EQ(t, atomic_read(&tw[1].runs), 2);
	expect_baseline(t, &b);
}

static int self_flush_ret = -1;

static void self_flush_fn(struct work_struct *w)
{
	self_flush_ret = flush_work(w);
}

static struct work_struct behind_work;
static int behind_flush_ret = -1;
static struct workqueue_struct *own_wq;

static void behind_fn(struct work_struct *w)
{
}

/* Queues behind_work behind itself on its CPU's only worker, flushes it. */
static void flush_behind_fn(struct work_struct *w)
{
	queue_work_on(smp_processor_id(), system_wq, &behind_work);
	behind_flush_ret = flush_work(&behind_work);
}

static void destroy_own_fn(struct work_struct *w)
{
	destroy_workqueue(own_wq);
}

static void test_wq_bad_input(struct ktest *t)
{
	static struct work_struct w;
	static struct work_struct w2;

	KTEST_EXPECT_NULL(t, alloc_workqueue("tbad", 0, -1));
	KTEST_EXPECT_NULL(t, alloc_workqueue("tbad", WQ_UNBOUND, WQ_MAX_ACTIVE + 1));
	ktest_log(t, "expect a WARNING: a work flushing itself");
	INIT_WORK(&w, self_flush_fn);
	schedule_work(&w);
	flush_work(&w);
	KTEST_EXPECT_EQ(t, self_flush_ret, 0);
	/* Would wait for the worker that runs it: refused, not a hang. */
	ktest_log(t, "expect a WARNING: a work flushing one queued behind it");
	INIT_WORK(&behind_work, behind_fn);
	INIT_WORK(&w2, flush_behind_fn);
	schedule_work(&w2);
	flush_work(&w2);
	KTEST_EXPECT_EQ(t, behind_flush_ret, 0);
	flush_work(&behind_work);
	KTEST_EXPECT_FALSE(t, work_pending(&behind_work));
	ktest_log(t, "expect a WARNING: a workqueue destroyed from its own work");
	own_wq = alloc_workqueue("tdestroyself", 0, 0);
	KTEST_ASSERT_NOT_NULL(t, own_wq);
	INIT_WORK(&w2, destroy_own_fn);
	queue_work(own_wq, &w2);
	flush_work(&w2);
	destroy_workqueue(own_wq);
}

static struct ktest_case workqueue_cases[] = {
	KTEST_CASE(test_wq_schedule_work),
	KTEST_CASE(test_wq_queue_on_each_cpu),
	KTEST_CASE(test_wq_fifo_and_ordered),
	KTEST_CASE(test_wq_unbound_concurrency),
	KTEST_CASE(test_wq_idle_worker_keeps_no_objects),
	KTEST_CASE(test_wq_requeue_self_and_flush),
	KTEST_CASE(test_wq_cancel_pending_and_running),
	KTEST_CASE(test_wq_flush_vs_cancel_pending),
	KTEST_CASE_FLAGS(test_wq_cancel_self_requeue_race, KTEST_F_SMP),
	KTEST_CASE(test_wq_smp_queue_cancel_flush),
	KTEST_CASE(test_wq_delayed_work),
	KTEST_CASE(test_wq_cancel_vs_timer_requeue),
	KTEST_CASE_FLAGS(test_wq_flush_delayed_vs_timer, KTEST_F_SMP),
	KTEST_CASE(test_wq_destroy_with_pending),
	KTEST_CASE(test_wq_bad_input),
	{}
};

static struct ktest_suite workqueue_suite = {
	.name = "workqueue",
	.cases = workqueue_cases,
};
KTEST_SUITE(workqueue_suite);
