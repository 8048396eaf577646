/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Workqueues (kernel/workqueue.c): run a function later, in a kernel
 * thread (so it may sleep), as in Linux.
 *
 *	static void foo_work_fn(struct work_struct *w)
 *	{
 *		struct foo *foo = container_of(w, struct foo, work);
 *		...				// process context, may sleep
 *	}
 *	INIT_WORK(&foo->work, foo_work_fn);
 *	schedule_work(&foo->work);		// any context, IRQ handlers too
 *	...
 *	cancel_work_sync(&foo->work);		// before freeing foo
 *
 * A work item is queued at most once at a time: queueing a pending work
 * does nothing and returns false (the PENDING bit).  The bit is cleared
 * just before the function runs, so the function may queue its own work
 * again.  A work is never run by two workers of one workqueue at once:
 * queued while it runs, it runs again after, on the same pool.
 *
 * A per-CPU workqueue (the default) has one worker thread bound to each
 * CPU and runs a work on the CPU that queued it (queue_work_on() picks
 * another); its works run one at a time per CPU, in queueing order.
 * A WQ_UNBOUND workqueue has max_active workers (default: the number of
 * CPUs) on any CPU, sharing one FIFO list; alloc_ordered_workqueue() is an
 * unbound one with a single worker: works run one at a time, in order.
 *
 * Delayed work is queued when its timer (<exo/timer.h>) expires, at the
 * first tick where jiffies >= jiffies at queueing + delay.
 */
#ifndef _EXO_WORKQUEUE_H
#define _EXO_WORKQUEUE_H

#include <exo/compiler.h>
#include <exo/kernel.h>
#include <exo/list.h>
#include <exo/smp.h>
#include <exo/timer.h>
#include <exo/types.h>

struct work_struct;
struct worker_pool;
struct workqueue_struct;

typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	unsigned long data;		/* WORK_STRUCT_* bits */
	struct list_head entry;		/* on a pool's list while queued */
	work_func_t func;
	struct worker_pool *pool;	/* pool it was last queued on */
	struct worker_pool *queued_pool;	/* pool whose list it is on, or NULL */
	unsigned int wq_id;		/* ... and that pool's workqueue */
	u64 seq;			/* queueing number within that pool */
};

#define WORK_STRUCT_PENDING_BIT		0	/* queued, or its timer armed */
#define WORK_STRUCT_CANCELING_BIT	1	/* cancel_work_sync() holds it */
#define WORK_STRUCT_PENDING		(1UL << WORK_STRUCT_PENDING_BIT)
#define WORK_STRUCT_CANCELING		(1UL << WORK_STRUCT_CANCELING_BIT)

/* queue_work_on() CPU meaning "the calling CPU". */
#define WORK_CPU_UNBOUND	NR_CPUS

struct delayed_work {
	struct work_struct work;
	struct timer_list timer;
	struct workqueue_struct *wq;	/* where the timer queues the work */
	unsigned int cpu;
};

/* alloc_workqueue() flags. */
#define WQ_UNBOUND		(1U << 1)	/* not bound to any CPU */
#define WQ_FREEZABLE		(1U << 2)	/* accepted, no effect: no suspend */
#define WQ_MEM_RECLAIM		(1U << 3)	/* accepted: workers always exist */
#define WQ_HIGHPRI		(1U << 4)	/* accepted, no effect: one priority */
#define __WQ_ORDERED		(1U << 17)

#define WQ_MAX_ACTIVE		64	/* workers of an unbound workqueue */

void __init_work(struct work_struct *work, work_func_t func);

#define INIT_WORK(_work, _func)		__init_work((_work), (_func))

#define __WORK_INITIALIZER(n, f) {					\
	.data = 0, .entry = LIST_HEAD_INIT((n).entry), .func = (f),	\
}
#define DECLARE_WORK(n, f)	struct work_struct n = __WORK_INITIALIZER(n, f)

/**
 * delayed_work_timer_fn() - timer callback of a delayed work (internal)
 * @t: the delayed work's timer
 */
void delayed_work_timer_fn(struct timer_list *t);

#define INIT_DELAYED_WORK(_dwork, _func) do {				\
	INIT_WORK(&(_dwork)->work, (_func));				\
	timer_setup(&(_dwork)->timer, delayed_work_timer_fn, TIMER_IRQSAFE);	\
} while (0)

static inline struct delayed_work *to_delayed_work(struct work_struct *work)
{
	return container_of(work, struct delayed_work, work);
}

/* Is @work queued (or, for delayed work, its timer armed)?  A snapshot. */
#define work_pending(work) \
	((READ_ONCE((work)->data) & (1UL << WORK_STRUCT_PENDING_BIT)) != 0)
#define delayed_work_pending(w)	work_pending(&(w)->work)

extern struct workqueue_struct *system_wq;
extern struct workqueue_struct *system_unbound_wq;

/**
 * alloc_workqueue() - create a workqueue and its worker threads
 * @fmt: printf-style name
 * @flags: WQ_UNBOUND, __WQ_ORDERED (use alloc_ordered_workqueue()); the
 *	   other WQ_* flags are accepted and have no effect
 * @max_active: workers of an unbound workqueue (0: one per online CPU,
 *		at most WQ_MAX_ACTIVE); a per-CPU workqueue has one per CPU
 *
 * May sleep.  Return: the workqueue, or NULL if @max_active is out of
 * range or memory or threads ran out (logged).
 */
struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags,
					 int max_active, ...) __printf(1, 4);

/* An unbound workqueue that runs one work at a time, in queueing order. */
#define alloc_ordered_workqueue(fmt, flags, args...)			\
	alloc_workqueue(fmt, WQ_UNBOUND | __WQ_ORDERED | (flags), 1, ##args)

/**
 * destroy_workqueue() - drain @wq, stop its workers and free it
 * @wq: a workqueue from alloc_workqueue()
 *
 * Every work queued runs first, and works that queue works on @wq while
 * it drains are run too; others may not queue on it any more (refused
 * with a log line).  Delayed works of @wq must be cancelled before.
 * Its works may outlive it: flush_work() and cancel_work_sync() on them
 * then return false, and they may be queued on another workqueue.
 * May sleep; called from a work of @wq it would wait for itself, and is
 * refused with a WARN.
 */
void destroy_workqueue(struct workqueue_struct *wq);

/**
 * queue_work_on() - queue @work on @wq, to run on @cpu
 * @cpu: an online CPU, or WORK_CPU_UNBOUND for the calling one (ignored
 *	 by unbound workqueues)
 * @wq: the workqueue
 * @work: an initialised work
 *
 * Any context.  Return: false if @work was already pending (it is not
 * queued twice), true if it is now queued.
 */
bool queue_work_on(unsigned int cpu, struct workqueue_struct *wq, struct work_struct *work);

/* queue_work_on() the calling CPU. */
static inline bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	return queue_work_on(WORK_CPU_UNBOUND, wq, work);
}

/* queue_work() on system_wq. */
static inline bool schedule_work(struct work_struct *work)
{
	return queue_work(system_wq, work);
}

/**
 * queue_delayed_work_on() - queue @dwork on @wq after @delay jiffies
 * @cpu: as for queue_work_on(); the timer also runs there
 * @wq: the workqueue
 * @dwork: an initialised delayed work
 * @delay: jiffies to wait; 0 queues at once
 *
 * Any context.  Return: false if @dwork was already pending, else true.
 */
bool queue_delayed_work_on(unsigned int cpu, struct workqueue_struct *wq,
			   struct delayed_work *dwork, unsigned long delay);

static inline bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
				      unsigned long delay)
{
	return queue_delayed_work_on(WORK_CPU_UNBOUND, wq, dwork, delay);
}

static inline bool schedule_delayed_work(struct delayed_work *dwork, unsigned long delay)
{
	return queue_delayed_work(system_wq, dwork, delay);
}

/**
 * mod_delayed_work_on() - queue @dwork after @delay, or change its delay
 * @cpu: as for queue_work_on()
 * @wq: the workqueue
 * @dwork: an initialised delayed work
 * @delay: jiffies from now
 *
 * Any context.  Return: true if @dwork was pending (its time is changed)
 * or being cancelled (left alone), false if it was idle and is now queued.
 */
bool mod_delayed_work_on(unsigned int cpu, struct workqueue_struct *wq,
			 struct delayed_work *dwork, unsigned long delay);

static inline bool mod_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
				    unsigned long delay)
{
	return mod_delayed_work_on(WORK_CPU_UNBOUND, wq, dwork, delay);
}

/**
 * flush_work() - wait for the last queueing of @work to finish running
 * @work: the work
 *
 * Works queued again after the call are not waited for.  May sleep; a
 * work flushing itself, or a work queued behind it on the single worker
 * of its per-CPU or ordered pool, is refused with a WARN (never runs).
 * Return: true if it waited, false if @work was idle.
 */
bool flush_work(struct work_struct *work);

/**
 * flush_delayed_work() - queue @dwork now if its timer is armed, then flush it
 * @dwork: the delayed work
 *
 * Return: as flush_work().
 */
bool flush_delayed_work(struct delayed_work *dwork);

/**
 * cancel_work_sync() - unqueue @work and wait for a running instance
 * @work: the work
 *
 * On return @work is neither pending nor running (a work that queues
 * itself cannot do so while this runs: its queue_work() returns false).
 * May sleep; from the work itself it WARNs and does not wait.
 * Return: true if @work was pending.
 */
bool cancel_work_sync(struct work_struct *work);

/**
 * cancel_delayed_work() - disarm or unqueue @dwork, without waiting
 * @dwork: the delayed work
 *
 * Any context.  Return: true if it was pending.
 */
bool cancel_delayed_work(struct delayed_work *dwork);

/**
 * cancel_delayed_work_sync() - cancel_work_sync() for a delayed work
 * @dwork: the delayed work
 *
 * Return: true if it was pending.
 */
bool cancel_delayed_work_sync(struct delayed_work *dwork);

/**
 * flush_workqueue() - wait for every work queued on @wq so far
 * @wq: the workqueue
 *
 * Works queued after the call (including works that queue themselves
 * again) are not waited for, nor delayed works whose timer is pending.
 * May sleep.
 */
void flush_workqueue(struct workqueue_struct *wq);

/* flush_workqueue(system_wq): Linux discourages it, and so do we. */
static inline void flush_scheduled_work(void)
{
	flush_workqueue(system_wq);
}

/**
 * workqueue_stats() - counters for tests: works run and workers alive
 * @executed: works run since boot by every workqueue
 * @workers: worker threads alive
 * @wqs: workqueues alive
 */
void workqueue_stats(unsigned long *executed, unsigned int *workers, unsigned int *wqs);

/**
 * current_work() - the work item the calling worker thread is running
 *
 * As in Linux: lets a work function tell itself apart, e.g. a check that
 * must not wait for or cancel the work it runs from.
 * Context: any thread.
 * Return: the running work item, or NULL if the caller is not a worker.
 */
struct work_struct *current_work(void);

/**
 * work_find_busy() - is a work item that @match accepts queued or running?
 * @match: called under a pool's lock (atomic) for each work item
 * @arg: passed to @match
 * @fn: set to the work's function when one is found
 *
 * A debug walk of every workqueue's pools (the driver core checks at
 * unbind that nothing inside a driver's memory is still pending).  A
 * delayed work still on its timer is found by timer_find_armed().
 * Return: true if one was found.
 */
bool work_find_busy(bool (*match)(const struct work_struct *work, void *arg), void *arg,
		    work_func_t *fn);

#endif /* _EXO_WORKQUEUE_H */
