/* SPDX-License-Identifier: GPL-2.0 */
/* CPU helpers: pause, halt, control registers, cpuid, MSRs, TSC. */
#ifndef _ASM_X86_PROCESSOR_H
#define _ASM_X86_PROCESSOR_H

#include <exo/types.h>

static __always_inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" : : : "memory");
}

/*
 * Under a hypervisor the host may deschedule a vCPU that holds or waits for
 * a spinlock.  A ticket lock then serves a stalled waiter before everyone
 * behind it (a convoy), so spinlocks fall back to test-and-set there, as
 * Linux's virt_spin_lock() does.  Set once on the boot CPU from CPUID's
 * hypervisor bit, before any other CPU runs (arch/x86/kernel/cpu/common.c).
 */
extern bool virt_spin_lock_enabled;

static __always_inline bool virt_spin_lock_on(void)
{
	return virt_spin_lock_enabled;
}

static __always_inline void halt(void)
{
	__asm__ __volatile__("hlt" : : : "memory");
}

static inline void cpuid_count(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(sub));
}

/*
 * sync_core() - a serialising instruction (CPUID): instructions fetched
 * before it are discarded, so text another CPU changed is fetched anew
 * (Intel SDM vol. 3, 9.1.3 "Handling Self- and Cross-Modifying Code").
 */
static __always_inline void sync_core(void)
{
	u32 a = 0, b, c = 0, d;

	__asm__ __volatile__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d) : : "memory");
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 val)
{
	__asm__ __volatile__("wrmsr" : : "c"(msr), "a"((u32)val),
			     "d"((u32)(val >> 32)) : "memory");
}

static __always_inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

/* Serialised timestamps for measurement: lfence;rdtsc;lfence ... rdtscp;lfence. */
static __always_inline u64 rdtsc_ordered(void)
{
	u32 lo, hi;

	__asm__ __volatile__("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

static __always_inline u64 rdtscp_ordered(void)
{
	u32 lo, hi, aux;

	__asm__ __volatile__("rdtscp; lfence" : "=a"(lo), "=d"(hi), "=c"(aux) : : "memory");
	return ((u64)hi << 32) | lo;
}

#define DEFINE_CR(n)							\
static inline unsigned long read_cr##n(void)				\
{									\
	unsigned long v;						\
	__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));		\
	return v;							\
}									\
static inline void write_cr##n(unsigned long v)				\
{									\
	__asm__ __volatile__("mov %0, %%cr" #n : : "r"(v) : "memory");	\
}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

#define X86_CR0_WP		(1UL << 16)
#define X86_CR4_PGE		(1UL << 7)
#define X86_CR4_UMIP		(1UL << 11)
#define X86_CR4_PCIDE		(1UL << 17)
#define X86_CR4_SMEP		(1UL << 20)
#define X86_CR4_SMAP		(1UL << 21)

/**
 * cr4_init() - turn on this CPU's paging and protection features (NX,
 * PGE, SMEP, SMAP, UMIP, PCID) as far as it has them; before tlb_cpu_init()
 */
void cr4_init(void);

#endif /* _ASM_X86_PROCESSOR_H */
