/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sleeping mutual exclusion (kernel/locking/mutex.c), as in Linux.
 *
 *	static DEFINE_MUTEX(my_lock);
 *	mutex_lock(&my_lock);		// may sleep: thread context only
 *	...
 *	mutex_unlock(&my_lock);		// by the thread that locked it
 *
 * A mutex has one owner, the thread that locked it; contended lockers sleep
 * on its wait list and the unlocker hands the lock to the first of them, so
 * waiters get it in the order they arrived.  It is not recursive: locking a
 * mutex its owner already holds deadlocks (and is reported).  Unlocking one
 * current does not own is refused with a warning.  Under CONFIG_LOCKDEP each
 * mutex has a lock class (its DEFINE_MUTEX(), or its mutex_init() call
 * site, or lockdep_set_class()) and the validator checks the order of
 * mutexes held together; mutex_lock_nested() orders two of one class.
 * See Documentation/locking.rst.
 */
#ifndef _EXO_MUTEX_H
#define _EXO_MUTEX_H

#include <exo/bug.h>
#include <exo/list.h>
#include <exo/lockdep.h>
#include <exo/spinlock.h>
#include <exo/types.h>

struct task_struct;

struct mutex {
	unsigned long owner;		/* task_struct pointer | MUTEX_FLAG_WAITERS */
	spinlock_t wait_lock;		/* wait_list and hand-over; raw use only */
	struct list_head wait_list;	/* struct mutex_waiter, oldest first */
#ifdef CONFIG_LOCKDEP
	struct lockdep_map dep_map;
#endif
};

#ifdef CONFIG_LOCKDEP
#define __MUTEX_DEP_MAP_INIT(n)	, .dep_map = { .name = #n }
#else
#define __MUTEX_DEP_MAP_INIT(n)
#endif

#define __MUTEX_INITIALIZER(n) {					\
	.owner = 0,							\
	.wait_lock = __SPIN_LOCK_UNLOCKED(n.wait_lock),			\
	.wait_list = LIST_HEAD_INIT(n.wait_list)			\
	__MUTEX_DEP_MAP_INIT(n) }

/* A statically defined mutex is its own lock class. */
#define DEFINE_MUTEX(n) struct mutex n = __MUTEX_INITIALIZER(n)

/**
 * __mutex_init() - initialise @m, unlocked, in lock class @key
 * @m: the mutex
 * @name: class name for lockdep reports
 * @key: class key (static storage)
 *
 * Use mutex_init(), which gives each call site its own class.
 */
void __mutex_init(struct mutex *m, const char *name, struct lock_class_key *key);

#define mutex_init(m) do {						\
	static struct lock_class_key __key;				\
	__mutex_init((m), #m, &__key);					\
} while (0)

/**
 * mutex_lock() - lock @m, sleeping until it is free
 * @m: the mutex
 *
 * Thread context only (might_sleep()).  Not recursive.
 */
void mutex_lock(struct mutex *m);

#ifdef CONFIG_LOCKDEP
/**
 * mutex_lock_nested() - mutex_lock(), at nesting level @subclass of its class
 * @m: the mutex
 * @subclass: below MAX_LOCKDEP_SUBCLASSES; 0 is mutex_lock()
 *
 * For a mutex taken while another of the same lock class is held, in an
 * order the caller guarantees (a parent's, then a child's): the validator
 * treats each subclass as a class of its own, so it checks that order
 * instead of ignoring it.  Without CONFIG_LOCKDEP, mutex_lock().
 */
void mutex_lock_nested(struct mutex *m, unsigned int subclass);
#else
#define mutex_lock_nested(m, subclass)	do { (void)(subclass); mutex_lock(m); } while (0)
#endif

/**
 * mutex_trylock() - lock @m if it is free, without sleeping
 * @m: the mutex
 *
 * Thread context only (the owner is current).
 * Return: 1 if current now owns @m, 0 if it is held.
 */
int mutex_trylock(struct mutex *m);

/**
 * mutex_unlock() - release @m, handing it to the oldest waiter if any
 * @m: the mutex, owned by current
 *
 * A mutex not owned by current is left as it is, with a warning.
 */
void mutex_unlock(struct mutex *m);

/**
 * mutex_owner() - the thread that holds @m
 * @m: the mutex
 *
 * Return: the owner, or NULL if @m is free.  A snapshot.
 */
static inline struct task_struct *mutex_owner(struct mutex *m)
{
	return (struct task_struct *)(READ_ONCE(m->owner) & ~1UL);
}

/**
 * mutex_is_locked() - is @m held by any thread?
 * @m: the mutex
 *
 * Return: true if held (a snapshot).
 */
static inline bool mutex_is_locked(struct mutex *m)
{
	return READ_ONCE(m->owner) != 0;
}

/**
 * mutex_held_by_current() - does current own @m?
 * @m: the mutex
 *
 * Return: true if current is @m's owner.
 */
bool mutex_held_by_current(struct mutex *m);

/* A function that needs @m held by its caller says so. */
#define lockdep_assert_held(m)	WARN_ON_ONCE(!mutex_held_by_current(m))

#endif /* _EXO_MUTEX_H */
