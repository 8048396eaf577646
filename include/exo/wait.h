/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wait queues (kernel/sched/wait.c): a thread sleeps until a condition
 * becomes true; whoever makes it true calls wake_up().
 *
 *	wait_event(wq, READ_ONCE(done));	// sleeper
 *	WRITE_ONCE(done, true); wake_up(&wq);	// waker, any CPU or IRQ
 *
 * The sleeper marks itself sleeping and joins the queue before it tests the
 * condition again, so a wake-up between the test and the sleep is not lost.
 */
#ifndef _EXO_WAIT_H
#define _EXO_WAIT_H

#include <exo/list.h>
#include <exo/lockdep.h>
#include <exo/sched.h>
#include <exo/spinlock.h>

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};

struct wait_queue_entry {
	struct task_struct *task;
	struct list_head entry;
};

/* A wait entry for current, on the caller's stack. */
#define DEFINE_WAIT(name) \
	struct wait_queue_entry name = { .task = NULL, .entry = LIST_HEAD_INIT(name.entry) }

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) \
	{ .lock = __SPIN_LOCK_UNLOCKED(name.lock), .head = LIST_HEAD_INIT(name.head) }
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

/**
 * init_waitqueue_head() - initialise a wait queue at run time
 * @wq: the queue
 */
void init_waitqueue_head(struct wait_queue_head *wq);

/**
 * prepare_to_wait() - queue current on @wq and set its sleeping @state
 * @wq: the queue
 * @wait: the caller's entry, from DEFINE_WAIT()
 * @state: TASK_INTERRUPTIBLE or TASK_UNINTERRUPTIBLE
 */
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *wait, int state);

/**
 * finish_wait() - leave @wq and be TASK_RUNNING again
 * @wq: the queue
 * @wait: the entry given to prepare_to_wait()
 */
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *wait);

/**
 * wake_up() - wake every thread waiting on @wq
 * @wq: the queue
 *
 * Safe from any context.  Return: the number of threads woken.
 */
unsigned int wake_up(struct wait_queue_head *wq);

/**
 * wake_up_locked() - wake_up() for a caller that holds @wq->lock
 * @wq: the queue
 *
 * For a waker whose condition lives under the queue's lock and whose
 * object a woken waiter may free as soon as that lock is dropped (a
 * completion on the waiter's stack): it must not touch @wq after the
 * unlock.  Return: the number of threads woken.
 */
unsigned int wake_up_locked(struct wait_queue_head *wq);

/* Sleep until @cond is true (evaluated after every wake-up). */
#define wait_event(wq, cond) do {					\
	DEFINE_WAIT(__w);					\
	might_sleep();							\
	for (;;) {							\
		prepare_to_wait(&(wq), &__w, TASK_UNINTERRUPTIBLE);	\
		if (cond)						\
			break;						\
		schedule();						\
	}								\
	finish_wait(&(wq), &__w);					\
} while (0)

/* wait_event() for at most @ns; evaluates to the time left, 0 on timeout. */
#define wait_event_timeout(wq, cond, ns) ({				\
	DEFINE_WAIT(__w);					\
	u64 __left = (ns);						\
	for (;;) {							\
		prepare_to_wait(&(wq), &__w, TASK_UNINTERRUPTIBLE);	\
		if (cond) {						\
			if (!__left)					\
				__left = 1;				\
			break;						\
		}							\
		if (!__left)						\
			break;						\
		__left = __schedule_timeout(__left);			\
	}								\
	finish_wait(&(wq), &__w);					\
	__left;								\
})

/*
 * Linux's variants.  There are no signals, so an interruptible wait is
 * only ended by its condition (or its timeout) and never returns
 * -ERESTARTSYS; every waiter is woken by wake_up().
 */
#define wake_up_all(wq)			wake_up(wq)
#define wake_up_interruptible(wq)	wake_up(wq)
#define wake_up_interruptible_all(wq)	wake_up(wq)
#define wait_event_interruptible(wq, cond) ({ wait_event(wq, cond); 0; })
#define wait_event_interruptible_timeout(wq, cond, ns) wait_event_timeout(wq, cond, ns)

#endif /* _EXO_WAIT_H */
