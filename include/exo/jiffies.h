/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jiffies: a counter that advances HZ times a second (CONFIG_HZ), the unit
 * of timer_list expiries and of delayed work (kernel/time/timer.c).
 *
 * It is derived from the TSC clock (ktime_get_ns() / TICK_NSEC) and
 * brought up to date by every CPU's timer tick, so it never runs ahead of
 * real time and never goes back; between ticks it may lag by one tick
 * period.  Compare jiffies with time_after()/time_before(), never with <,
 * so that code stays right when the counter wraps.
 */
#ifndef _EXO_JIFFIES_H
#define _EXO_JIFFIES_H

#include <exo/time.h>
#include <exo/types.h>

#ifdef CONFIG_HZ
# define HZ		CONFIG_HZ
#else
# define HZ		100
#endif
#define TICK_NSEC	(NSEC_PER_SEC / HZ)
#define MAX_JIFFY_OFFSET ((long)(~0UL >> 1) - 1)

extern unsigned long volatile jiffies;

#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)

/**
 * msecs_to_jiffies() - convert milliseconds to jiffies, rounding up
 * @m: milliseconds
 *
 * Rounds up, so a delay given in jiffies is never shorter than @m.
 * Return: the jiffies, at most MAX_JIFFY_OFFSET.
 */
static inline unsigned long msecs_to_jiffies(unsigned int m)
{
	u64 j = ((u64)m * NSEC_PER_MSEC + TICK_NSEC - 1) / TICK_NSEC;

	return j > MAX_JIFFY_OFFSET ? MAX_JIFFY_OFFSET : (unsigned long)j;
}

/**
 * usecs_to_jiffies() - convert microseconds to jiffies, rounding up
 * @u: microseconds
 *
 * Return: the jiffies, at most MAX_JIFFY_OFFSET.
 */
static inline unsigned long usecs_to_jiffies(unsigned int u)
{
	u64 j = ((u64)u * NSEC_PER_USEC + TICK_NSEC - 1) / TICK_NSEC;

	return j > MAX_JIFFY_OFFSET ? MAX_JIFFY_OFFSET : (unsigned long)j;
}

/* jiffies to milliseconds / nanoseconds. */
static inline unsigned int jiffies_to_msecs(unsigned long j)
{
	return (unsigned int)((u64)j * TICK_NSEC / NSEC_PER_MSEC);
}

static inline u64 jiffies_to_nsecs(unsigned long j)
{
	return (u64)j * TICK_NSEC;
}

#endif /* _EXO_JIFFIES_H */
