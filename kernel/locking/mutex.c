// SPDX-License-Identifier: GPL-2.0
/*
 * Sleeping mutexes.
 *
 * The owner word holds the owning task, with bit 0 (MUTEX_FLAG_WAITERS)
 * set while threads sleep on the wait list.  Uncontended lock and unlock
 * are one compare-and-exchange each; everything else happens under the
 * wait lock.
 *
 * Invariants (the wait lock held to change either):
 *  - MUTEX_FLAG_WAITERS is set iff the wait list is not empty;
 *  - a free mutex (owner 0) has no waiters: unlock with waiters hands the
 *    mutex straight to the oldest one (owner = that task) before waking
 *    it.  Nobody can take the mutex between the unlock and the waiter's
 *    wake-up, so waiters get it in arrival order.
 *
 * The wait lock is a spinlock taken raw (preemption off, no lock debugging):
 * it is innermost, only this file takes it, and tracking it would cost
 * the validator one class per statically defined mutex.
 */
#define pr_fmt(fmt) "mutex: " fmt

#include <exo/bug.h>
#include <exo/export.h>
#include <exo/lockdep.h>
#include <exo/mutex.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/sched.h>

#define MUTEX_FLAG_WAITERS	1UL

/* A sleeping locker, on its own stack. */
struct mutex_waiter {
	struct list_head list;
	struct task_struct *task;
	bool handed;			/* the unlocker made us the owner */
};

#ifdef CONFIG_LOCKDEP
#define dep_acquire(m, sub, try, ip)	lock_map_acquire(&(m)->dep_map, (sub), (try), (ip))
#define dep_release(m)		lock_map_release(&(m)->dep_map)
#else
#define dep_acquire(m, sub, try, ip)	do { (void)(m); (void)(ip); } while (0)
#define dep_release(m)		do { (void)(m); } while (0)
#endif

void __mutex_init(struct mutex *m, const char *name, struct lock_class_key *key)
{
	m->owner = 0;
	spin_lock_init(&m->wait_lock);
	INIT_LIST_HEAD(&m->wait_list);
#ifdef CONFIG_LOCKDEP
	m->dep_map = (struct lockdep_map){ .key = key, .name = name };
#endif
	(void)name;
	(void)key;
}
EXPORT_SYMBOL(__mutex_init);

static void wait_lock(struct mutex *m)
{
	preempt_disable();
	arch_spin_lock(&m->wait_lock);
}

static void wait_unlock(struct mutex *m)
{
	arch_spin_unlock(&m->wait_lock);
	preempt_enable();
}

/* Take a free mutex; false if it is held. */
static bool mutex_try_fast(struct mutex *m)
{
	unsigned long free = 0;

	return __atomic_compare_exchange_n(&m->owner, &free, (unsigned long)current, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static noinline void mutex_lock_slow(struct mutex *m)
{
	struct mutex_waiter waiter = { .task = current, .handed = false };
	unsigned long old, new;

	/* It sleeps forever, as in Linux; say why first. */
	if (WARN_ON_ONCE(mutex_owner(m) == current))
		pr_err("%s locks a mutex it holds: deadlock\n", current->comm);
	wait_lock(m);
	/* Free after all: take it; else announce a waiter to the owner. */
	old = READ_ONCE(m->owner);
	do {
		new = old ? old | MUTEX_FLAG_WAITERS : (unsigned long)current;
	} while (!__atomic_compare_exchange_n(&m->owner, &old, new, false, __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	if (!old) {
		wait_unlock(m);
		return;
	}
	list_add_tail(&waiter.list, &m->wait_list);
	/* The unlocker sets the owner and ->handed under the wait lock, then wakes us. */
	while (!waiter.handed) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		wait_unlock(m);
		schedule();
		wait_lock(m);
	}
	__set_current_state(TASK_RUNNING);
	wait_unlock(m);
}

static __always_inline void __mutex_lock(struct mutex *m, unsigned int subclass,
					 unsigned long ip)
{
	might_sleep();
	/* Before sleeping: an inversion is reported even if it deadlocks now. */
	dep_acquire(m, subclass, false, ip);
	if (!mutex_try_fast(m))
		mutex_lock_slow(m);
}

void mutex_lock(struct mutex *m)
{
	__mutex_lock(m, 0, _RET_IP_);
}
EXPORT_SYMBOL(mutex_lock);

#ifdef CONFIG_LOCKDEP
void mutex_lock_nested(struct mutex *m, unsigned int subclass)
{
	__mutex_lock(m, subclass, _RET_IP_);
}
EXPORT_SYMBOL(mutex_lock_nested);
#endif

int mutex_trylock(struct mutex *m)
{
	if (!mutex_try_fast(m))
		return 0;
	dep_acquire(m, 0, true, _RET_IP_);
	return 1;
}
EXPORT_SYMBOL(mutex_trylock);

/*
 * Unlock that the fast path could not do: @m has waiters (hand it to the
 * oldest and wake it), or current does not own it (refuse).
 */
static noinline void mutex_unlock_slow(struct mutex *m)
{
	struct task_struct *owner = mutex_owner(m), *next;
	struct mutex_waiter *w;

	if (WARN_ON(owner != current)) {
		pr_err("%s unlocks a mutex it does not hold (owner %s): refused\n",
		       current->comm, owner ? owner->comm : "none");
		return;
	}
	dep_release(m);
	wait_lock(m);
	w = list_first_entry(&m->wait_list, struct mutex_waiter, list);
	list_del(&w->list);
	next = w->task;
	w->handed = true;
	__atomic_store_n(&m->owner, (unsigned long)next |
			 (list_empty(&m->wait_list) ? 0 : MUTEX_FLAG_WAITERS), __ATOMIC_RELEASE);
	/* Under the wait lock: the waiter cannot see ->handed and go yet. */
	wake_up_process(next);
	wait_unlock(m);
}

void mutex_unlock(struct mutex *m)
{
	unsigned long me = (unsigned long)current;

	/* Owned by current, no waiters: the common case, one cmpxchg. */
	if (likely(__atomic_compare_exchange_n(&m->owner, &me, 0, false, __ATOMIC_RELEASE,
					       __ATOMIC_RELAXED))) {
		dep_release(m);
		return;
	}
	mutex_unlock_slow(m);
}
EXPORT_SYMBOL(mutex_unlock);

bool mutex_held_by_current(struct mutex *m)
{
	return mutex_owner(m) == current;
}
EXPORT_SYMBOL(mutex_held_by_current);
