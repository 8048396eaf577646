/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel timers (kernel/time/timer.c), as in Linux: a callback run once,
 * in atomic context, when jiffies reaches an expiry.
 *
 *	struct foo { struct timer_list timer; ... };
 *	static void foo_timeout(struct timer_list *t)
 *	{
 *		struct foo *foo = from_timer(foo, t, timer);
 *		...				// atomic: must not sleep
 *	}
 *	timer_setup(&foo->timer, foo_timeout, 0);
 *	mod_timer(&foo->timer, jiffies + msecs_to_jiffies(100));
 *	...
 *	del_timer_sync(&foo->timer);		// before freeing foo
 *
 * Each CPU has a timer base; a timer runs on the CPU whose base it is on,
 * which is the CPU that last armed it (add_timer_on() chooses another),
 * except that re-arming a timer whose callback is running keeps it where
 * it is: a timer's callback never runs on two CPUs at once.
 *
 * Context: callbacks run from the timer tick of their CPU, after the
 * scheduler's part of it, with interrupts enabled but still inside the
 * tick's interrupt handler (in_interrupt() is true): like Linux's timer
 * softirq, they may not sleep, and data they share with thread context
 * must be locked with spin_lock_irqsave().  Expiry has the tick's
 * resolution (1/APIC_TIMER_HZ): a timer runs at the first tick at which
 * jiffies is at or after its expiry.
 */
#ifndef _EXO_TIMER_H
#define _EXO_TIMER_H

#include <exo/jiffies.h>
#include <exo/kernel.h>
#include <exo/list.h>
#include <exo/types.h>

struct timer_list {
	struct list_head entry;		/* on a base's wheel; next NULL if not pending */
	unsigned long expires;		/* in jiffies */
	void (*function)(struct timer_list *);
	u32 flags;			/* TIMER_* and the CPU of its base */
};

/* Low bits of ->flags: the CPU of the timer's base. */
#define TIMER_CPUMASK		0x0003ffffU
#define TIMER_MIGRATING		0x00040000U	/* moving between bases */
#define TIMER_PINNED		0x00200000U	/* mod_timer() keeps its CPU */
/*
 * The callback runs with interrupts disabled, so no interrupt handler on
 * its CPU sees the state between the timer's detaching and the callback's
 * end (delayed work: PENDING set, on no list).
 */
#define TIMER_IRQSAFE		0x00400000U

#define from_timer(var, callback_timer, timer_fieldname) \
	container_of(callback_timer, __typeof__(*var), timer_fieldname)

/**
 * timer_setup() - initialise a timer before its first use
 * @timer: the timer
 * @callback: run with @timer as argument when it expires
 * @flags: 0, or TIMER_PINNED and/or TIMER_IRQSAFE
 */
void timer_setup(struct timer_list *timer, void (*callback)(struct timer_list *),
		 unsigned int flags);

/**
 * timer_pending() - is @timer armed and not yet run?
 * @timer: an initialised timer
 *
 * A snapshot: without a lock of the caller's the answer may change at once.
 */
static inline bool timer_pending(const struct timer_list *timer)
{
	return READ_ONCE(timer->entry.next) != NULL;
}

/**
 * mod_timer() - (re)arm @timer to expire at @expires
 * @timer: an initialised timer
 * @expires: absolute time in jiffies; a time in the past runs it at the
 *	     next tick
 *
 * Moves the timer to this CPU's base (unless TIMER_PINNED, or its callback
 * is running).  Any context.
 * Return: 1 if the timer was pending (and is re-armed), 0 if it was not.
 */
int mod_timer(struct timer_list *timer, unsigned long expires);

/**
 * add_timer() - arm a timer that is not pending, at @timer->expires
 * @timer: an initialised timer, not pending (WARNs otherwise)
 */
void add_timer(struct timer_list *timer);

/**
 * add_timer_on() - add_timer() on the base of @cpu
 * @timer: an initialised timer, not pending
 * @cpu: an online CPU; the callback runs there
 */
void add_timer_on(struct timer_list *timer, unsigned int cpu);

/**
 * del_timer() - disarm @timer if it is pending
 * @timer: an initialised timer
 *
 * Does not wait for a callback that is running: use del_timer_sync()
 * before freeing the timer.  Any context.
 * Return: 1 if the timer was pending, else 0.
 */
int del_timer(struct timer_list *timer);

/**
 * try_to_del_timer_sync() - disarm @timer unless its callback is running
 * @timer: an initialised timer
 *
 * Return: 1 if it was pending, 0 if not, -1 if its callback is running
 * (the timer is then left as it is).
 */
int try_to_del_timer_sync(struct timer_list *timer);

/**
 * del_timer_sync() - disarm @timer and wait for a running callback
 * @timer: an initialised timer
 *
 * On return the timer is not pending and its callback runs nowhere,
 * unless the callback re-arms the timer itself (stop that first).
 * Thread context only: from interrupt context, a timer callback included
 * (waiting there for the callback of the same CPU would never end), it
 * WARNs and only disarms, as try_to_del_timer_sync() does.
 * Return: 1 if the timer was pending, else 0.
 */
int del_timer_sync(struct timer_list *timer);

/* Linux 6.2 names of the same calls. */
#define timer_delete(t)		del_timer(t)
#define timer_delete_sync(t)	del_timer_sync(t)

/**
 * run_local_timers() - the timer tick's deferred part, on every CPU
 *
 * Called by the local APIC timer interrupt after scheduler_tick(), with
 * interrupts disabled: advances jiffies and runs this CPU's expired
 * timers with interrupts enabled (see the top of this file).
 */
void run_local_timers(void);

/**
 * timer_stats() - timers pending on @cpu's base and callbacks run there
 * @cpu: a possible CPU
 * @pending: filled in with the number of pending timers
 * @run: filled in with the number of callbacks run since boot
 */
void timer_stats(unsigned int cpu, unsigned long *pending, unsigned long *run);

/**
 * timer_find_armed() - is a timer that @match accepts armed or running?
 * @match: called under a timer base's lock (atomic) for each timer
 * @arg: passed to @match
 * @fn: set to the timer's callback when one is found
 *
 * A debug walk of every CPU's wheel and of the timers a tick took off
 * it and has not fired yet (the driver core checks at unbind
 * that nothing inside a driver's memory is still armed).
 * Return: true if one was found.
 */
bool timer_find_armed(bool (*match)(const struct timer_list *timer, void *arg), void *arg,
		      void (**fn)(struct timer_list *));

/**
 * usleep_range() - sleep between @min and (about) @max microseconds
 * @min: the shortest sleep, in microseconds
 * @max: the longest wanted; a hint, since the wake-up comes from the tick
 *
 * Never returns before @min microseconds have passed; thread context.
 */
void usleep_range(unsigned long min, unsigned long max);

/**
 * msleep_interruptible() - msleep() that a signal could end early
 * @ms: duration
 *
 * There are no signals: it sleeps the whole time, as msleep() does.
 * Return: the milliseconds left, always 0.
 */
unsigned long msleep_interruptible(unsigned int ms);

#endif /* _EXO_TIMER_H */
