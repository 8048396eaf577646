// SPDX-License-Identifier: GPL-2.0
/*
 * Workqueues: deferred work run by kernel threads.
 *
 * A workqueue owns its worker pools: one per online CPU with one bound
 * worker each (per-CPU workqueues), or a single pool with max_active
 * unbound workers (WQ_UNBOUND; ordered workqueues have one).  A pool is a
 * FIFO list of works and the workers that take from it.
 *
 * Invariants (under pool->lock, interrupts disabled):
 *   W1  a work is on at most one list: a pool's worklist or a worker's
 *       ->scheduled list, and then its PENDING bit is set and ->pool and
 *       ->queued_pool are that pool.  ->queued_pool is set and cleared
 *       only under that pool's lock, with the list change, so a grabber
 *       holding a pool's lock knows the work is on that pool's list iff
 *       ->queued_pool is that pool (->pool alone may be overwritten by a
 *       queuer on another pool meanwhile);
 *   W2  PENDING is set by whoever queues (or cancels) the work, with an
 *       atomic test-and-set, and cleared by the worker under the lock of
 *       the pool just before it calls the function (or by the canceller
 *       when it is done): one owner at a time;
 *   W3  a work runs on at most one worker of a workqueue at a time: queued
 *       while it runs, it goes to the pool where it runs, and a worker
 *       that takes a work another worker of its pool is running hands it
 *       to that worker's ->scheduled list instead;
 *   W4  ->seq numbers a pool's queueings in order; a worker records the
 *       number of the queueing it runs, so flush_work() and
 *       flush_workqueue() wait for "every queueing up to N is done"
 *       without barrier works.  A queueing finishes when its work has
 *       run or when a grab took it off the list: pool->done_wq is woken
 *       after both, or a flusher waiting for it would sleep on.
 *
 * Lifetime: a work keeps ->pool (and ->wq_id) after it ran, and its
 * workqueue may be destroyed since, its pools freed.  So ->pool is only
 * dereferenced
 *   - by the PENDING owner queueing on a live workqueue whose id is
 *     ->wq_id: then it is one of that workqueue's pools (ids are never
 *     reused);
 *   - through get_work_pool(), which finds it among the pools of a
 *     workqueue still on all_wqs and takes a reference (flushers);
 *   - as ->queued_pool, read and locked with interrupts disabled by a
 *     grabber: destroy_workqueue() first drains (no ->queued_pool points
 *     to its pools any more), then waits until every other CPU has
 *     taken an IPI, so every such section that read one has ended,
 *     before it drops its references.
 */
#define pr_fmt(fmt) "workqueue: " fmt

#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/kthread.h>
#include <exo/bitmap.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/wait.h>
#include <exo/workqueue.h>
#include <asm/bitops.h>
#include <asm/irqflags.h>
#include <asm/processor.h>

#define WQ_NAME_LEN	24
#define __WQ_DRAINING	(1U << 16)

struct worker {
	struct task_struct *task;
	struct worker_pool *pool;
	struct work_struct *current_work;
	work_func_t current_func;
	u64 current_seq;
	struct list_head scheduled;	/* works handed to this worker (W3) */
	struct list_head node;		/* pool->workers */
	bool idle;
	bool ran;			/* ran a work since its last kmalloc flush */
};

struct worker_pool {
	spinlock_t lock;
	struct list_head worklist;
	struct list_head workers;
	struct workqueue_struct *wq;
	unsigned int cpu;		/* WORK_CPU_UNBOUND for unbound pools */
	bool stopping;
	u64 seq;			/* last queueing number given (W4) */
	struct wait_queue_head done_wq;
	atomic_t refs;			/* its workqueue's + get_work_pool()'s */
};

struct workqueue_struct {
	char name[WQ_NAME_LEN];
	unsigned int flags;
	int max_active;
	unsigned int id;
	struct list_head list;		/* all_wqs */
	struct worker_pool *pools[NR_CPUS];	/* unbound: pools[0] only */
};

struct workqueue_struct *system_wq;
EXPORT_SYMBOL_GPL(system_wq);
struct workqueue_struct *system_unbound_wq;
EXPORT_SYMBOL_GPL(system_unbound_wq);

static DEFINE_SPINLOCK(wq_list_lock);
static LIST_HEAD(all_wqs);
static unsigned int next_wq_id = 1;
static unsigned int nr_wqs, nr_workers;
static atomic_long_t nr_executed;

static int worker_thread(void *arg);

void __init_work(struct work_struct *work, work_func_t func)
{
	work->data = 0;
	INIT_LIST_HEAD(&work->entry);
	work->func = func;
	work->pool = NULL;
	work->queued_pool = NULL;
	work->wq_id = 0;
	work->seq = 0;
}
EXPORT_SYMBOL_GPL(__init_work);

static bool test_pending(struct work_struct *work, unsigned int bit)
{
	return test_bit(bit, &work->data);
}

/* The worker the current thread is, or NULL. */
static struct worker *current_worker(void)
{
	struct task_struct *t = current;

	return t->fn == worker_thread ? t->arg : NULL;
}

static struct worker *find_worker_executing(struct worker_pool *pool, struct work_struct *work)
{
	struct worker *w;

	list_for_each_entry(w, &pool->workers, node)
		if (w->current_work == work && w->current_func == work->func)
			return w;
	return NULL;
}

static void wake_idle_worker(struct worker_pool *pool)
{
	struct worker *w;

	list_for_each_entry(w, &pool->workers, node) {
		if (w->idle) {
			w->idle = false;
			wake_up_process(w->task);
			return;
		}
	}
}

static struct worker_pool *pick_pool(struct workqueue_struct *wq, unsigned int cpu)
{
	if (wq->flags & WQ_UNBOUND)
		return wq->pools[0];
	if (cpu == WORK_CPU_UNBOUND)
		return wq->pools[smp_processor_id()];
	if (cpu >= NR_CPUS || !wq->pools[cpu]) {
		pr_err("%s: CPU %u has no worker, queueing on CPU %u\n", wq->name, cpu,
		       smp_processor_id());
		return wq->pools[smp_processor_id()];
	}
	return wq->pools[cpu];
}

/* Put a work whose PENDING bit we own on @wq.  Interrupts disabled. */
static void __queue_work(unsigned int cpu, struct workqueue_struct *wq, struct work_struct *work)
{
	struct worker_pool *pool, *last = work->pool;

	if (unlikely(READ_ONCE(wq->flags) & __WQ_DRAINING)) {
		struct worker *me = current_worker();

		if (!me || me->pool->wq != wq) {
			pr_err("%s is being destroyed: %ps not queued\n", wq->name, work->func);
			clear_bit(WORK_STRUCT_PENDING_BIT, &work->data);
			return;
		}
	}
	pool = pick_pool(wq, cpu);
	/* W3: still running on a pool of this workqueue?  Queue it there. */
	if (last && last != pool && work->wq_id == wq->id) {
		spin_lock(&last->lock);
		if (find_worker_executing(last, work)) {
			pool = last;
			goto locked;
		}
		spin_unlock(&last->lock);
	}
	spin_lock(&pool->lock);
locked:
	WRITE_ONCE(work->pool, pool);
	work->wq_id = wq->id;
	work->seq = ++pool->seq;
	list_add_tail(&work->entry, &pool->worklist);
	work->queued_pool = pool;
	wake_idle_worker(pool);
	spin_unlock(&pool->lock);
}

bool queue_work_on(unsigned int cpu, struct workqueue_struct *wq, struct work_struct *work)
{
	unsigned long flags;
	bool ret = false;

	local_irq_save(flags);
	if (!test_and_set_bit(WORK_STRUCT_PENDING_BIT, &work->data)) {
		__queue_work(cpu, wq, work);
		ret = true;
	}
	local_irq_restore(flags);
	return ret;
}
EXPORT_SYMBOL_GPL(queue_work_on);

void delayed_work_timer_fn(struct timer_list *t)
{
	struct delayed_work *dwork = from_timer(dwork, t, timer);
	unsigned long flags;

	local_irq_save(flags);
	__queue_work(dwork->cpu, dwork->wq, &dwork->work);
	local_irq_restore(flags);
}
EXPORT_SYMBOL_GPL(delayed_work_timer_fn);

/* Arm @dwork's timer (PENDING owned, interrupts disabled). */
static void __queue_delayed_work(unsigned int cpu, struct workqueue_struct *wq,
				 struct delayed_work *dwork, unsigned long delay)
{
	struct timer_list *timer = &dwork->timer;

	if (WARN_ON_ONCE(timer->function != delayed_work_timer_fn ||
			 !(timer->flags & TIMER_IRQSAFE)))
		timer_setup(timer, delayed_work_timer_fn, TIMER_IRQSAFE);
	if (!delay) {
		__queue_work(cpu, wq, &dwork->work);
		return;
	}
	dwork->wq = wq;
	dwork->cpu = cpu;
	timer->expires = jiffies + delay;
	if (cpu == WORK_CPU_UNBOUND || (wq->flags & WQ_UNBOUND))
		add_timer(timer);
	else
		add_timer_on(timer, cpu);
}

bool queue_delayed_work_on(unsigned int cpu, struct workqueue_struct *wq,
			   struct delayed_work *dwork, unsigned long delay)
{
	unsigned long flags;
	bool ret = false;

	local_irq_save(flags);
	if (!test_and_set_bit(WORK_STRUCT_PENDING_BIT, &dwork->work.data)) {
		__queue_delayed_work(cpu, wq, dwork, delay);
		ret = true;
	}
	local_irq_restore(flags);
	return ret;
}
EXPORT_SYMBOL_GPL(queue_delayed_work_on);

/*
 * Take ownership of @work's PENDING bit, unqueueing it or disarming its
 * timer.  Interrupts disabled.  Return: 1 if it was pending and now is
 * ours, 0 if it was idle and now is ours, -EAGAIN if it is in flight
 * between states (retry), -ENOENT if a canceller owns it.
 */
static int try_to_grab_pending(struct work_struct *work, bool is_dwork)
{
	struct worker_pool *pool;

	if (is_dwork && del_timer(&to_delayed_work(work)->timer))
		return 1;
	if (!test_and_set_bit(WORK_STRUCT_PENDING_BIT, &work->data))
		return 0;
	pool = READ_ONCE(work->queued_pool);
	if (pool) {
		spin_lock(&pool->lock);
		if (work->queued_pool == pool) {
			list_del_init(&work->entry);
			work->queued_pool = NULL;
			/*
			 * W4: this queueing is finished as surely as if it had
			 * run, and flushers waiting for it sleep on done_wq.
			 */
			wake_up(&pool->done_wq);
			spin_unlock(&pool->lock);
			return 1;
		}
		spin_unlock(&pool->lock);
	}
	if (test_pending(work, WORK_STRUCT_CANCELING_BIT))
		return -ENOENT;
	return -EAGAIN;
}

/*
 * Own @dwork's PENDING bit, or learn that a canceller does (-ENOENT).
 * Returns with interrupts disabled (restore with @flags): the -EAGAIN
 * window it spins over is never preempted (see queue_work_on()).
 */
static int grab_dwork_irqsave(struct delayed_work *dwork, unsigned long *flags)
{
	int ret;

	local_irq_save(*flags);
	do {
		ret = try_to_grab_pending(&dwork->work, true);
	} while (ret == -EAGAIN);
	return ret;
}

bool mod_delayed_work_on(unsigned int cpu, struct workqueue_struct *wq,
			 struct delayed_work *dwork, unsigned long delay)
{
	unsigned long flags;
	int ret = grab_dwork_irqsave(dwork, &flags);

	if (ret >= 0)
		__queue_delayed_work(cpu, wq, dwork, delay);
	local_irq_restore(flags);
	/* -ENOENT: a canceller owns it; Linux reports that as true too. */
	return ret != 0;
}
EXPORT_SYMBOL_GPL(mod_delayed_work_on);

/* Is a queueing of @work numbered <= @seq on @pool still to finish? */
static bool work_busy_upto(struct worker_pool *pool, struct work_struct *work, u64 seq)
{
	struct worker *w;
	unsigned long flags;
	bool busy = false;

	spin_lock_irqsave(&pool->lock, flags);
	if (work->queued_pool == pool && work->seq <= seq)
		busy = true;
	list_for_each_entry(w, &pool->workers, node)
		if (w->current_work == work && w->current_seq <= seq)
			busy = true;
	spin_unlock_irqrestore(&pool->lock, flags);
	return busy;
}

static void put_pool(struct worker_pool *pool)
{
	if (atomic_dec_and_test(&pool->refs))
		kfree(pool);
}

/*
 * The pool @work was last queued on, referenced (put_pool() it), or NULL
 * if it has none or its workqueue is being freed (then nothing of @work
 * can be queued or running there).
 */
static struct worker_pool *get_work_pool(struct work_struct *work)
{
	struct worker_pool *pool = READ_ONCE(work->pool), *found = NULL;
	unsigned int id = READ_ONCE(work->wq_id);
	struct workqueue_struct *wq;
	unsigned long flags;

	if (!pool)
		return NULL;
	spin_lock_irqsave(&wq_list_lock, flags);
	list_for_each_entry(wq, &all_wqs, list) {
		if (wq->id != id)
			continue;
		for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
			if (wq->pools[cpu] == pool) {
				atomic_inc(&pool->refs);
				found = pool;
				break;
			}
		}
		break;
	}
	spin_unlock_irqrestore(&wq_list_lock, flags);
	return found;
}

/* Under @pool's lock: a work on it that @match accepts, queued or running. */
static struct work_struct *pool_find_work(struct worker_pool *pool,
					  bool (*match)(const struct work_struct *work, void *arg),
					  void *arg)
{
	struct work_struct *work;
	struct worker *w;

	list_for_each_entry(work, &pool->worklist, entry)
		if (match(work, arg))
			return work;
	list_for_each_entry(w, &pool->workers, node) {
		if (w->current_work && match(w->current_work, arg))
			return w->current_work;
		list_for_each_entry(work, &w->scheduled, entry)
			if (match(work, arg))
				return work;
	}
	return NULL;
}

struct work_struct *current_work(void)
{
	struct worker *me = current_worker();

	return me ? me->current_work : NULL;
}
EXPORT_SYMBOL_GPL(current_work);

bool work_find_busy(bool (*match)(const struct work_struct *work, void *arg), void *arg,
		    work_func_t *fn)
{
	struct workqueue_struct *wq;
	struct work_struct *work = NULL;
	unsigned long flags;

	spin_lock_irqsave(&wq_list_lock, flags);
	list_for_each_entry(wq, &all_wqs, list) {
		for (unsigned int cpu = 0; cpu < NR_CPUS && !work; cpu++) {
			struct worker_pool *pool = wq->pools[cpu];

			if (!pool)
				continue;
			spin_lock(&pool->lock);
			work = pool_find_work(pool, match, arg);
			if (work)
				*fn = work->func;
			spin_unlock(&pool->lock);
		}
		if (work)
			break;
	}
	spin_unlock_irqrestore(&wq_list_lock, flags);
	return work != NULL;
}
EXPORT_SYMBOL_GPL(work_find_busy);

/* Wait until @work's queueings on its pool up to now have run. */
static bool __flush_work(struct work_struct *work)
{
	struct worker *w, *me = current_worker();
	struct worker_pool *pool;
	unsigned long flags;
	u64 target = 0;
	bool found = false;

	if (me && me->current_work == work) {
		pr_err("%ps flushes or cancels itself: not waiting\n", work->func);
		WARN_ON_ONCE(1);
		return false;
	}
	pool = get_work_pool(work);
	if (!pool)
		return false;
	spin_lock_irqsave(&pool->lock, flags);
	if (work->queued_pool == pool) {
		target = work->seq;
		found = true;
	}
	list_for_each_entry(w, &pool->workers, node) {
		if (w->current_work == work) {
			target = max(target, w->current_seq);
			found = true;
		}
	}
	/* Queued behind us on a pool whose only worker we are: never runs. */
	if (found && me && me->pool == pool &&
	    pool->workers.next == pool->workers.prev) {
		spin_unlock_irqrestore(&pool->lock, flags);
		pr_err("%ps flushes %ps queued behind it on its single worker: not waiting\n",
		       me->current_func, work->func);
		WARN_ON_ONCE(1);
		put_pool(pool);
		return false;
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	if (found)
		wait_event(pool->done_wq, !work_busy_upto(pool, work, target));
	put_pool(pool);
	return found;
}

bool flush_work(struct work_struct *work)
{
	might_sleep();
	return __flush_work(work);
}
EXPORT_SYMBOL_GPL(flush_work);

bool flush_delayed_work(struct delayed_work *dwork)
{
	unsigned long flags;
	int ret;

	might_sleep();
	/*
	 * Wait out a callback running on another CPU: it is about to queue
	 * the work, and flush_work() before that would find nothing to wait
	 * for.  It runs with interrupts off (TIMER_IRQSAFE), so it ends.
	 */
	local_irq_save(flags);
	while ((ret = try_to_del_timer_sync(&dwork->timer)) < 0)
		cpu_relax();
	if (ret)
		__queue_work(dwork->cpu, dwork->wq, &dwork->work);
	local_irq_restore(flags);
	return flush_work(&dwork->work);
}
EXPORT_SYMBOL_GPL(flush_delayed_work);

static bool __cancel_work_sync(struct work_struct *work, bool is_dwork)
{
	unsigned long flags;
	int ret;

	might_sleep();
	for (;;) {
		local_irq_save(flags);
		ret = try_to_grab_pending(work, is_dwork);
		/*
		 * Mark it before interrupts come back: PENDING owned, off every
		 * list and without CANCELING is the -EAGAIN state, and an IRQ
		 * or timer callback grabbing it here would spin on it forever.
		 */
		if (ret >= 0)
			set_bit(WORK_STRUCT_CANCELING_BIT, &work->data);
		local_irq_restore(flags);
		if (ret >= 0)
			break;
		/* Another canceller sleeps with it (-ENOENT): let it finish. */
		if (ret == -ENOENT)
			yield();
		else
			cpu_relax();
	}
	/* CANCELING: grabbers get -ENOENT and queuers fail while we wait. */
	__flush_work(work);
	/* Both bits in one step, for the same reason as above. */
	local_irq_save(flags);
	__atomic_fetch_and(&work->data, ~(WORK_STRUCT_PENDING | WORK_STRUCT_CANCELING),
			   __ATOMIC_SEQ_CST);
	local_irq_restore(flags);
	return ret;
}

bool cancel_work_sync(struct work_struct *work)
{
	return __cancel_work_sync(work, false);
}
EXPORT_SYMBOL_GPL(cancel_work_sync);

bool cancel_delayed_work_sync(struct delayed_work *dwork)
{
	return __cancel_work_sync(&dwork->work, true);
}
EXPORT_SYMBOL_GPL(cancel_delayed_work_sync);

bool cancel_delayed_work(struct delayed_work *dwork)
{
	unsigned long flags;
	int ret = grab_dwork_irqsave(dwork, &flags);

	if (ret >= 0)
		clear_bit(WORK_STRUCT_PENDING_BIT, &dwork->work.data);
	local_irq_restore(flags);
	return ret == 1;
}
EXPORT_SYMBOL_GPL(cancel_delayed_work);

/* Has every queueing on @pool numbered <= @seq finished? */
static bool pool_done_upto(struct worker_pool *pool, u64 seq)
{
	struct work_struct *work;
	struct worker *w;
	unsigned long flags;
	bool busy = false;

	spin_lock_irqsave(&pool->lock, flags);
	list_for_each_entry(work, &pool->worklist, entry)
		busy |= work->seq <= seq;
	list_for_each_entry(w, &pool->workers, node) {
		busy |= w->current_work && w->current_seq <= seq;
		list_for_each_entry(work, &w->scheduled, entry)
			busy |= work->seq <= seq;
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	return !busy;
}

void flush_workqueue(struct workqueue_struct *wq)
{
	struct worker *me = current_worker();

	might_sleep();
	if (me && me->pool->wq == wq) {
		pr_err("%s flushed from one of its own works: not waiting\n", wq->name);
		WARN_ON_ONCE(1);
		return;
	}
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct worker_pool *pool = wq->pools[cpu];
		unsigned long flags;
		u64 target;

		if (!pool)
			continue;
		spin_lock_irqsave(&pool->lock, flags);
		target = pool->seq;
		spin_unlock_irqrestore(&pool->lock, flags);
		wait_event(pool->done_wq, pool_done_upto(pool, target));
	}
}
EXPORT_SYMBOL_GPL(flush_workqueue);

/* Run @work, taken off its list; pool locked, interrupts disabled. */
static void process_one_work(struct worker *worker, struct work_struct *work, bool from_pool)
	__must_hold(&worker->pool->lock)
{
	struct worker_pool *pool = worker->pool;
	struct worker *other;
	work_func_t fn = work->func;

	list_del_init(&work->entry);
	if (from_pool && (other = find_worker_executing(pool, work))) {
		list_add_tail(&work->entry, &other->scheduled);		/* W3 */
		return;
	}
	work->queued_pool = NULL;
	worker->current_work = work;
	worker->current_func = fn;
	worker->current_seq = work->seq;
	clear_bit(WORK_STRUCT_PENDING_BIT, &work->data);		/* W2 */
	spin_unlock_irq(&pool->lock);

	fn(work);		/* @work may be freed from here on */
	if (unlikely(preempt_count() || irqs_disabled())) {
		pr_err("%ps left preemption (count %u) or interrupts disabled\n", fn,
		       preempt_count());
		local_irq_enable();
	}
	atomic_long_inc(&nr_executed);

	spin_lock_irq(&pool->lock);
	worker->current_work = NULL;
	worker->current_func = NULL;
	wake_up(&pool->done_wq);
}

static int worker_thread(void *arg)
{
	struct worker *worker = arg;
	struct worker_pool *pool = worker->pool;

	spin_lock_irq(&pool->lock);
	for (;;) {
		if (!list_empty(&worker->scheduled)) {
			worker->ran = true;
			process_one_work(worker, list_first_entry(&worker->scheduled,
								  struct work_struct, entry), false);
		} else if (!list_empty(&pool->worklist)) {
			worker->ran = true;
			process_one_work(worker, list_first_entry(&pool->worklist,
								  struct work_struct, entry), true);
		} else if (pool->stopping || kthread_should_stop()) {
			break;
		} else if (worker->ran) {
			/*
			 * Going idle: give back the objects the works left in
			 * this thread's kmalloc cache (tcmalloc's "mark thread
			 * idle").  An idle worker may sleep for the rest of the
			 * boot, and its cache would pin their slab pages.
			 */
			worker->ran = false;
			spin_unlock_irq(&pool->lock);
			kmem_flush_current();
			spin_lock_irq(&pool->lock);
		} else {
			worker->idle = true;
			set_current_state(TASK_INTERRUPTIBLE);
			spin_unlock_irq(&pool->lock);
			schedule();
			spin_lock_irq(&pool->lock);
			worker->idle = false;
		}
	}
	spin_unlock_irq(&pool->lock);
	return 0;
}

static void stop_pool(struct worker_pool *pool)
{
	struct worker *w, *tmp;

	spin_lock_irq(&pool->lock);
	pool->stopping = true;
	spin_unlock_irq(&pool->lock);
	list_for_each_entry_safe(w, tmp, &pool->workers, node) {
		kthread_stop(w->task);
		/*
		 * A flusher holding a reference to the pool (get_work_pool())
		 * still walks its workers: unlink before freeing, so that a
		 * dead pool has none and its flushers find nothing to wait for.
		 */
		spin_lock_irq(&pool->lock);
		list_del(&w->node);
		spin_unlock_irq(&pool->lock);
		spin_lock_irq(&wq_list_lock);
		nr_workers--;
		spin_unlock_irq(&wq_list_lock);
		kfree(w);
	}
	put_pool(pool);
}

static int start_worker(struct worker_pool *pool, unsigned int index)
{
	struct workqueue_struct *wq = pool->wq;
	struct worker *w = kzalloc(sizeof(*w), GFP_KERNEL);

	if (!w)
		return -ENOMEM;
	w->pool = pool;
	INIT_LIST_HEAD(&w->scheduled);
	if (pool->cpu == WORK_CPU_UNBOUND)
		w->task = kthread_create(worker_thread, w, "kwu%u/%s", index, wq->name);
	else
		w->task = kthread_create(worker_thread, w, "kw%u/%s", pool->cpu, wq->name);
	if (!w->task) {
		kfree(w);
		return -ENOMEM;
	}
	if (pool->cpu != WORK_CPU_UNBOUND && kthread_bind(w->task, pool->cpu)) {
		kthread_stop(w->task);
		kfree(w);
		return -EINVAL;
	}
	/* Not idle yet: its first look at the list finds what was queued. */
	list_add_tail(&w->node, &pool->workers);
	spin_lock_irq(&wq_list_lock);
	nr_workers++;
	spin_unlock_irq(&wq_list_lock);
	wake_up_process(w->task);
	return 0;
}

static struct worker_pool *create_pool(struct workqueue_struct *wq, unsigned int cpu,
				       unsigned int nr)
{
	struct worker_pool *pool = kzalloc(sizeof(*pool), GFP_KERNEL);

	if (!pool)
		return NULL;
	pool->wq = wq;
	pool->cpu = cpu;
	spin_lock_init(&pool->lock);
	INIT_LIST_HEAD(&pool->worklist);
	INIT_LIST_HEAD(&pool->workers);
	init_waitqueue_head(&pool->done_wq);
	atomic_set(&pool->refs, 1);
	for (unsigned int i = 0; i < nr; i++) {
		if (start_worker(pool, i)) {
			stop_pool(pool);
			return NULL;
		}
	}
	return pool;
}

static void free_pools(struct workqueue_struct *wq)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		if (wq->pools[cpu])
			stop_pool(wq->pools[cpu]);
		wq->pools[cpu] = NULL;
	}
}

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags, int max_active, ...)
{
	struct workqueue_struct *wq;
	unsigned int cpu;
	va_list ap;

	might_sleep();
	if (max_active < 0 || max_active > WQ_MAX_ACTIVE) {
		pr_err("alloc_workqueue(%s): max_active %d not in 0..%d (-EINVAL)\n", fmt,
		       max_active, WQ_MAX_ACTIVE);
		return NULL;
	}
	wq = kzalloc(sizeof(*wq), GFP_KERNEL);
	if (!wq)
		goto nomem;
	va_start(ap, max_active);
	vsnprintf(wq->name, sizeof(wq->name), fmt, ap);
	va_end(ap);
	wq->flags = flags & ~__WQ_DRAINING;
	if (!max_active)
		max_active = min(num_online_cpus(), (unsigned int)WQ_MAX_ACTIVE);
	if (flags & __WQ_ORDERED)
		max_active = 1;
	wq->max_active = max_active;
	spin_lock_irq(&wq_list_lock);
	wq->id = next_wq_id++;
	spin_unlock_irq(&wq_list_lock);
	if (flags & WQ_UNBOUND) {
		wq->pools[0] = create_pool(wq, WORK_CPU_UNBOUND, max_active);
		if (!wq->pools[0])
			goto fail;
	} else {
		for_each_online_cpu(cpu) {
			wq->pools[cpu] = create_pool(wq, cpu, 1);
			if (!wq->pools[cpu])
				goto fail;
		}
	}
	spin_lock_irq(&wq_list_lock);
	list_add_tail(&wq->list, &all_wqs);
	nr_wqs++;
	spin_unlock_irq(&wq_list_lock);
	return wq;
fail:
	free_pools(wq);
	kfree(wq);
nomem:
	pr_err("alloc_workqueue(%s): no memory or threads (-ENOMEM)\n", fmt);
	return NULL;
}
EXPORT_SYMBOL_GPL(alloc_workqueue);

/* Is every pool of @wq empty and idle? */
static bool wq_idle(struct workqueue_struct *wq)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct worker_pool *pool = wq->pools[cpu];

		if (pool && !pool_done_upto(pool, ~0ULL))
			return false;
	}
	return true;
}

static void wq_quiesce_ipi(void *unused)
{
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	struct worker *me = current_worker();

	might_sleep();
	if (!wq)
		return;
	/* Its workers would have to stop the one running us: refuse. */
	if (me && me->pool->wq == wq) {
		pr_err("%s destroyed from one of its own works: not destroyed\n", wq->name);
		WARN_ON_ONCE(1);
		return;
	}
	WRITE_ONCE(wq->flags, wq->flags | __WQ_DRAINING);
	/* Works queued by works being drained are drained too. */
	while (!wq_idle(wq))
		flush_workqueue(wq);
	/* From here get_work_pool() finds none of its pools. */
	spin_lock_irq(&wq_list_lock);
	list_del(&wq->list);
	nr_wqs--;
	spin_unlock_irq(&wq_list_lock);
	/* Grabbers that read a ->queued_pool of ours before the drain are done. */
	smp_call_function(wq_quiesce_ipi, NULL, true);
	free_pools(wq);
	kfree(wq);
}
EXPORT_SYMBOL_GPL(destroy_workqueue);

void workqueue_stats(unsigned long *executed, unsigned int *workers, unsigned int *wqs)
{
	*executed = atomic_long_read(&nr_executed);
	*workers = READ_ONCE(nr_workers);
	*wqs = READ_ONCE(nr_wqs);
}

static int __init workqueue_init(void)
{
	system_wq = alloc_workqueue("events", 0, 0);
	system_unbound_wq = alloc_workqueue("events_unbound", WQ_UNBOUND, 0);
	if (!system_wq || !system_unbound_wq)
		panic("workqueue: cannot create the system workqueues");
	pr_info("system workqueues: %u per-CPU workers, %d unbound\n", num_online_cpus(),
		system_unbound_wq->max_active);
	return 0;
}
core_initcall(workqueue_init);
