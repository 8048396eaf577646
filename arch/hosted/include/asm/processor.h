/* SPDX-License-Identifier: GPL-2.0 */
/* Hosted build: the CPU helpers portable code may use. */
#ifndef _ASM_HOSTED_PROCESSOR_H
#define _ASM_HOSTED_PROCESSOR_H

#include <exo/types.h>

int sched_yield(void);

/*
 * Test threads outnumber host CPUs: a spinner yields, so that a lock holder
 * the host descheduled runs again instead of a ticket-lock convoy forming.
 */
static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" : : : "memory");
	sched_yield();
}

/* Hosted CPUs are threads that yield while spinning: ticket locks throughout. */
static inline bool virt_spin_lock_on(void)
{
	return false;
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline u64 rdtsc_ordered(void)
{
	u32 lo, hi;

	__asm__ __volatile__("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

static inline u64 rdtscp_ordered(void)
{
	u32 lo, hi, aux;

	__asm__ __volatile__("rdtscp; lfence" : "=a"(lo), "=d"(hi), "=c"(aux) : : "memory");
	return ((u64)hi << 32) | lo;
}

#endif
