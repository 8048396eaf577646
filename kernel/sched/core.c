// SPDX-License-Identifier: GPL-2.0
/*
 * The scheduler: per-CPU run queues, round-robin with a time slice.
 *
 * Design goal: the smallest scheduler that is correct on SMP and under
 * preemption, so that threads, sleeps and wait queues can be trusted by the
 * rest of the kernel, and readable in one sitting.
 *
 * Invariants (rq = a CPU's struct rq, always changed under rq->lock with
 * interrupts disabled):
 *
 *   S1  a thread belongs to exactly one rq (task->cpu) for its whole life;
 *       only that rq's lock protects its run state (state, on_rq, lists);
 *   S2  on_rq is true iff the thread is on rq->queue or is rq->curr and
 *       runnable; the idle thread is never on the queue;
 *   S3  rq->nr_running counts the threads with on_rq set;
 *   S4  a thread with a sleep deadline is on rq->sleepers, sorted by
 *       wake_at, until it is woken (by the tick or by wake_up_process());
 *   S5  a switch happens with the rq lock held and preempt count 1 (plus
 *       the lock's own): the incoming thread releases the lock in
 *       finish_task_switch(), so no other CPU sees a half-switched thread.
 *
 * The preempt count is per CPU, not per thread: every switch happens at
 * the same count, so it needs no saving.
 */
#define pr_fmt(fmt) "sched: " fmt

#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/kthread.h>
#include <exo/lockdep.h>
#include <exo/page_alloc.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/time.h>
#include <asm/irqflags.h>

#include "sched.h"
#include <asm/processor.h>
#include <trace/events/sched.h>

struct rq {
	spinlock_t lock;
	struct list_head queue;		/* runnable, not running */
	struct list_head sleepers;	/* timed sleepers, earliest first */
	unsigned int nr_running;
	struct task_struct *curr;
	struct task_struct *idle;
	bool ticking;			/* the timer interrupt reaches this CPU */
	u64 nr_switches;
	u64 ticks;
	u64 idle_ns;
	u64 idle_since;
};

static DEFINE_PER_CPU_ALIGNED(struct rq, runqueues);
DEFINE_PER_CPU(struct task_struct *, current_task);
EXPORT_SYMBOL_GPL(current_task);	/* `current` in modules */

static struct task_struct init_task;
extern char init_stack[], init_stack_top[];
static bool sched_running;


static struct rq *cpu_rq(unsigned int cpu)
{
	return per_cpu_ptr(&runqueues, cpu);
}

static struct rq *this_rq(void)
{
	return this_cpu_ptr(&runqueues);
}

/* notrace: the trace buffer's record path calls it (kernel/trace/trace.c). */
bool notrace sched_ready(void)
{
	return READ_ONCE(sched_running);
}

/* Put @p on its rq's queue; rq locked. */
static void enqueue(struct rq *rq, struct task_struct *p)
{
	list_add_tail(&p->run_list, &rq->queue);
	if (!p->on_rq) {
		p->on_rq = true;
		rq->nr_running++;
	}
}

/* Make @p runnable on @rq; rq locked.  True if it needs the CPU. */
static bool activate(struct rq *rq, struct task_struct *p)
{
	if (!list_empty(&p->sleep_list)) {
		list_del_init(&p->sleep_list);
		p->wake_at = 0;
	}
	if (p->state == TASK_RUNNING)
		return false;
	WRITE_ONCE(p->state, TASK_RUNNING);
	trace_sched_wakeup(p);
	if (p->on_rq)		/* still rq->curr, on its way to sleep */
		return false;
	enqueue(rq, p);
	return true;
}

/* The next thread to run; rq locked. */
static struct task_struct *pick_next(struct rq *rq)
{
	struct task_struct *next;

	if (list_empty(&rq->queue))
		return rq->idle;
	next = list_first_entry(&rq->queue, struct task_struct, run_list);
	list_del_init(&next->run_list);
	return next;
}

/*
 * Second half of a switch, run by the thread switched to: drop the rq lock
 * taken by the thread switched from, and let a dead thread be reaped now
 * that nobody runs on its stack.
 */
static void finish_task_switch(struct task_struct *prev) __releases(rq->lock)
{
	spin_unlock(&this_rq()->lock);
	if (prev->state == TASK_DEAD && !prev->on_rq)
		kthread_reap(prev);
}

/*
 * Switch away from current.  Interrupts disabled, preempt count 1.
 * Returns in the context of whoever runs next on this CPU, eventually
 * current again.
 *
 * @preempt: the switch is involuntary (tick, reschedule IPI, preempt_enable).
 * A preempted thread stays runnable whatever its state: it may have been
 * caught between set_current_state() and its condition test, and taking it
 * off the queue there would lose a wake-up that already happened.
 */
static void __schedule(bool preempt)
{
	struct task_struct *prev = current, *next;
	struct rq *rq = this_rq();
	u64 now = ktime_get_ns();

	spin_lock(&rq->lock);
	clear_preempt_need_resched();
	if (!(prev->flags & PF_IDLE)) {
		if (prev->state == TASK_RUNNING || preempt) {
			list_add_tail(&prev->run_list, &rq->queue);
		} else {
			prev->on_rq = false;
			rq->nr_running--;
		}
	}
	next = pick_next(rq);
	if (next == prev) {
		prev->slice_start = now;
		spin_unlock(&rq->lock);
		return;
	}
	if (prev->flags & PF_IDLE)
		rq->idle_ns += now - rq->idle_since;
	if (next->flags & PF_IDLE)
		rq->idle_since = now;
	next->slice_start = now;
	next->nr_switches++;
	rq->nr_switches++;
	rq->curr = next;
	trace_sched_switch(preempt, prev, next);
	this_cpu_write(current_task, next);
	this_cpu_write(slab_cur_cache, slab_tc_publish(next->slab_cache));
	prev = __switch_to(prev, next);
	finish_task_switch(prev);
}

/*
 * Mark current dead, interrupts disabled.  Wakers change ->state under the
 * rq lock (activate()), reading it first: a plain store here could land
 * between a racing waker's read of an older sleeping state and its write
 * of TASK_RUNNING, which would bring the dead thread back (Linux's
 * set_special_state() exists for the same reason).
 */
void set_current_dead(void)
{
	struct rq *rq = this_rq();

	spin_lock(&rq->lock);
	WRITE_ONCE(current->state, TASK_DEAD);
	spin_unlock(&rq->lock);
}

void schedule(void)
{
	unsigned long flags;

	if (WARN_ON_ONCE(preempt_count() || !sched_ready()))
		return;
	local_irq_save(flags);
	preempt_disable();
	__schedule(false);
	preempt_enable_no_resched();
	local_irq_restore(flags);
}
EXPORT_SYMBOL_GPL(schedule);

/* An involuntary switch from thread context (preempt_enable()). */
static void schedule_preempt(void)
{
	unsigned long flags;

	local_irq_save(flags);
	preempt_disable();
	__schedule(true);
	preempt_enable_no_resched();
	local_irq_restore(flags);
}

/* A new thread's first C code, with interrupts disabled (switch.S). */
void schedule_tail(struct task_struct *prev) __releases(rq->lock)
{
	finish_task_switch(prev);
	preempt_enable_no_resched();
	local_irq_enable();
}

void yield(void)
{
	schedule();
}
EXPORT_SYMBOL(yield);

void preempt_schedule(void)
{
	if (irqs_disabled() || !sched_ready()) {
		/* Cannot switch here; the next tick or schedule() will. */
		return;
	}
	do {
		schedule_preempt();
	} while (test_preempt_need_resched() && !preempt_count());
}
EXPORT_SYMBOL(preempt_schedule);

void preempt_schedule_irq(void)
{
	if (!sched_ready()) {
		clear_preempt_need_resched();
		return;
	}
	do {
		preempt_disable();
		__schedule(true);
		preempt_enable_no_resched();
	} while (test_preempt_need_resched());
}

void __weak smp_send_reschedule(unsigned int cpu)
{
}

bool wake_up_process(struct task_struct *p)
{
	/*
	 * Threads never migrate: read the CPU now.  Once the lock is dropped
	 * a detached @p may run, exit and free itself before we go on.
	 */
	unsigned int cpu = p->cpu;
	struct rq *rq = cpu_rq(cpu);
	unsigned long flags;
	bool woke;

	spin_lock_irqsave(&rq->lock, flags);
	if (p->state == TASK_DEAD) {
		spin_unlock_irqrestore(&rq->lock, flags);
		return false;
	}
	woke = activate(rq, p);
	spin_unlock_irqrestore(&rq->lock, flags);
	if (!woke)
		return false;
	if (cpu != smp_processor_id())
		smp_send_reschedule(cpu);
	else if (current->flags & PF_IDLE)
		set_preempt_need_resched();
	return true;
}
EXPORT_SYMBOL_GPL(wake_up_process);

/* Insert current into its rq's sleepers at @deadline; rq locked. */
static void add_sleeper(struct rq *rq, struct task_struct *p, u64 deadline)
{
	struct task_struct *t;

	p->wake_at = deadline;
	list_for_each_entry(t, &rq->sleepers, sleep_list) {
		if (t->wake_at > deadline) {
			list_add_tail(&p->sleep_list, &t->sleep_list);
			return;
		}
	}
	list_add_tail(&p->sleep_list, &rq->sleepers);
}

u64 schedule_timeout_ns(u64 ns)
{
	struct task_struct *p = current;
	u64 deadline = ktime_get_ns() + ns, now;
	struct rq *rq = this_rq();
	unsigned long flags;

	might_sleep();
	spin_lock_irqsave(&rq->lock, flags);
	if (p->state != TASK_RUNNING)	/* not woken in the meantime */
		add_sleeper(rq, p, deadline);
	spin_unlock_irqrestore(&rq->lock, flags);
	schedule();
	/* Woken early, or the tick moved us: the entry may still be queued. */
	spin_lock_irqsave(&rq->lock, flags);
	if (!list_empty(&p->sleep_list))
		list_del_init(&p->sleep_list);
	p->wake_at = 0;
	spin_unlock_irqrestore(&rq->lock, flags);
	now = ktime_get_ns();
	return now >= deadline ? 0 : deadline - now;
}
EXPORT_SYMBOL_GPL(schedule_timeout_ns);

long schedule_timeout(long timeout)
{
	u64 now, expire;

	if (timeout < 0) {
		pr_err("schedule_timeout: wrong timeout value %ld from %pS\n", timeout,
		       __builtin_return_address(0));
		__set_current_state(TASK_RUNNING);
		return 0;
	}
	if (timeout == MAX_SCHEDULE_TIMEOUT || (u64)timeout > U64_MAX / (2 * TICK_NSEC)) {
		might_sleep();
		schedule();
		return timeout;
	}
	/*
	 * On the tick grid, as Linux's jiffies: the sleep ends at the
	 * @timeout-th tick boundary from now (between @timeout - 1 and
	 * @timeout periods), and what is left is counted in whole boundaries.
	 * A caller that sleeps again with what is left (wait_event_timeout()
	 * woken early) aims at the same boundary: no drift, however often it
	 * is woken.
	 */
	now = ktime_get_ns();
	expire = now / TICK_NSEC + (u64)timeout;
	schedule_timeout_ns(expire * TICK_NSEC - now);
	now = ktime_get_ns() / TICK_NSEC;
	return now >= expire ? 0 : (long)(expire - now);
}
EXPORT_SYMBOL_GPL(schedule_timeout);

void msleep(unsigned int ms)
{
	u64 left = (u64)ms * NSEC_PER_MSEC;

	while (left) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		left = schedule_timeout_ns(left);
	}
}
EXPORT_SYMBOL(msleep);

/* Wake @rq's sleepers whose deadline passed; rq locked.  True if any. */
static bool wake_expired(struct rq *rq, u64 now)
{
	bool any = false;

	while (!list_empty(&rq->sleepers)) {
		struct task_struct *t = list_first_entry(&rq->sleepers, struct task_struct,
							 sleep_list);

		if (t->wake_at > now)
			break;
		any |= activate(rq, t);
	}
	return any;
}

void scheduler_tick(void)
{
	struct rq *rq = this_rq();
	u64 now;

	if (!sched_ready() || !rq->curr)
		return;
	now = ktime_get_ns();
	spin_lock(&rq->lock);
	rq->ticking = true;
	rq->ticks++;
	wake_expired(rq, now);
	if (!list_empty(&rq->queue) &&
	    ((rq->curr->flags & PF_IDLE) || now - rq->curr->slice_start >= SCHED_SLICE_NS))
		set_preempt_need_resched();
	spin_unlock(&rq->lock);
}

/*
 * The idle thread: run whatever is queued, else halt until an interrupt.
 * "sti; hlt" is atomic with respect to interrupts (the STI shadow), so a
 * wake-up IPI that arrives after the queue was found empty still ends the
 * halt.  Without a timer tick on this CPU, timed sleepers are polled.
 */
static void __noreturn idle_loop(void)
{
	struct rq *rq = this_rq();

	for (;;) {
		local_irq_disable();
		if (!list_empty(&rq->sleepers)) {
			spin_lock(&rq->lock);
			if (wake_expired(rq, ktime_get_ns()))
				set_preempt_need_resched();
			spin_unlock(&rq->lock);
		}
		if (!list_empty(&READ_ONCE(rq)->queue) || test_preempt_need_resched()) {
			local_irq_enable();
			schedule();
			continue;
		}
		if (READ_ONCE(rq->ticking)) {
			arch_safe_halt();
		} else {
			local_irq_enable();
			cpu_relax();
		}
	}
}

/* Body of CPU 0's idle thread (a kthread). */
int idle_thread_fn(void *unused)
{
	idle_loop();
}

static void rq_init(struct rq *rq)
{
	spin_lock_init(&rq->lock);
	INIT_LIST_HEAD(&rq->queue);
	INIT_LIST_HEAD(&rq->sleepers);
	rq->nr_running = 0;
	rq->nr_switches = rq->ticks = rq->idle_ns = 0;
	rq->ticking = false;
}

/* Common part of a thread that exists already (boot contexts). */
static void init_running_task(struct task_struct *t, const char *name, unsigned int cpu,
			      void *stack, size_t size, unsigned int flags)
{
	INIT_LIST_HEAD(&t->run_list);
	INIT_LIST_HEAD(&t->sleep_list);
	INIT_LIST_HEAD(&t->tasks);
	t->state = TASK_RUNNING;
	t->flags = flags;
	t->cpu = cpu;
	t->stack = stack;
	t->stack_size = size;
	t->slice_start = ktime_get_ns();
	strlcpy(t->comm, name, sizeof(t->comm));
	kthread_register(t);
}

void __init sched_init(void)
{
	struct rq *rq = this_rq();
	struct task_struct *idle;

	rq_init(rq);
	init_running_task(&init_task, "init", 0, init_stack, init_stack_top - init_stack, 0);
	init_task.on_rq = true;
	rq->nr_running = 1;
	rq->curr = &init_task;
	this_cpu_write(current_task, &init_task);
	this_cpu_write(slab_cur_cache, slab_tc_publish(init_task.slab_cache));
	idle = kthread_create_idle(0);
	if (!idle)
		panic("sched: no memory for the idle thread");
	rq->idle = idle;
	WRITE_ONCE(sched_running, true);
	pr_info("scheduler: round-robin, %llu ms slices\n", SCHED_SLICE_NS / NSEC_PER_MSEC);
}

/* See <exo/sched.h>: runs on the AP itself. */
int sched_init_ap(unsigned int cpu, void *stack, size_t size)
{
	struct rq *rq = this_rq();
	struct task_struct *t = (void *)get_zeroed_page(GFP_KERNEL);

	if (!t)
		return -ENOMEM;
	rq_init(rq);
	init_running_task(t, "idle", cpu, stack, size, PF_IDLE);
	snprintf(t->comm, sizeof(t->comm), "idle/%u", cpu);
	rq->idle = t;
	rq->curr = t;
	rq->idle_since = ktime_get_ns();
	this_cpu_write(current_task, t);
	this_cpu_write(slab_cur_cache, slab_tc_publish(NULL));
	return 0;
}

void __noreturn cpu_startup_entry(unsigned int cpu)
{
	WARN_ON(current != this_rq()->idle || current->cpu != cpu);
	idle_loop();
}

void sched_cpu_stats(unsigned int cpu, struct sched_cpu_stats *st)
{
	struct rq *rq = cpu_rq(cpu);

	memset(st, 0, sizeof(*st));
	if (!rq->idle)
		return;
	st->nr_running = READ_ONCE(rq->nr_running);
	st->nr_switches = READ_ONCE(rq->nr_switches);
	st->ticks = READ_ONCE(rq->ticks);
	st->idle_ns = READ_ONCE(rq->idle_ns);
	if (rq->curr == rq->idle)
		st->idle_ns += ktime_get_ns() - READ_ONCE(rq->idle_since);
}
