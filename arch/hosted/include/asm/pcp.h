/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hosted build: the per-CPU stack operations of <asm/pcp.h> (x86: restartable
 * sequences) as plain accesses to the calling thread's per-CPU area: a
 * hosted CPU is one thread, which nothing interrupts, so a sequence runs
 * whole, as an x86 one that no interrupt restarted.  The emulated
 * interrupt flag is off around them, so that the cross-CPU call emulation
 * and ThreadSanitizer see the same exclusion as the kernel's restart
 * gives; the benchmarks (HOSTED_BENCH), which have no cross-CPU calls to
 * exclude (<asm/irqflags.h>), leave the flag alone, as the x86 sequences
 * do.
 */
#ifndef _ASM_HOSTED_PCP_H
#define _ASM_HOSTED_PCP_H

#include <exo/compiler.h>
#include <exo/types.h>
#include <asm/irqflags.h>
#include <asm/percpu.h>

#ifdef HOSTED_BENCH
#define __pcp_irq_save()	0UL
#define __pcp_irq_restore(f)	((void)(f))
#else
#define __pcp_irq_save()	arch_local_irq_save()
#define __pcp_irq_restore(f)	arch_local_irq_restore(f)
#endif

/* This thread's copy of the per-CPU @var as an array of @type. */
#define __hosted_pcp_array(type, var)	((type *)((unsigned long)&(var) + hosted_this_cpu_off))

/* On an empty stack: false, and *@pfnp = 0 (callers use it only on true). */
#define arch_pcp_pop(top, bottom, slots, pfnp) ({			\
	unsigned long __f = __pcp_irq_save();				\
	unsigned int __t = __hosted_pcpu(top);				\
	bool __ok = __t != __hosted_pcpu(bottom);			\
	unsigned long __v = 0;						\
	if (__ok) {							\
		__hosted_pcpu(top) = --__t;				\
		__v = (&__hosted_pcpu(slots))[__t];			\
	}								\
	__pcp_irq_restore(__f);					\
	*(pfnp) = __v;							\
	__ok;								\
})

#define arch_pcp_push(top, limit, slots, pfn) ({			\
	unsigned long __f = __pcp_irq_save();				\
	unsigned int __t = __hosted_pcpu(top);				\
	bool __full;							\
	(&__hosted_pcpu(slots))[__t++] = (pfn);				\
	__hosted_pcpu(top) = __t;					\
	__full = __t > __hosted_pcpu(limit);				\
	__pcp_irq_restore(__f);					\
	__full;								\
})

#define arch_pcpu_tagged_read(tag, ptr, want, idx, valp) ({		\
	unsigned long __f = __pcp_irq_save();				\
	bool __hit = __hosted_pcpu(tag) == (want);			\
	u64 __v = 0;							\
	if (__hit)							\
		__v = (u64)READ_ONCE(__hosted_pcpu(ptr)[idx]);		\
	__pcp_irq_restore(__f);					\
	*(valp) = __v;							\
	__hit;								\
})

/*
 * The x86 ones' contract (stack @i_ of @tops_, @bottoms_/@limits_ and the
 * word array @slots_; false on an empty or full stack, nothing changed),
 * except that the pop stores NULL in *@objp_ on an empty stack.
 */
#define arch_pcp_pop_idx(tops_, bottoms_, slots_, i_, objp_) ({		\
	unsigned long __i = (unsigned long)(i_), __f = __pcp_irq_save();	\
	unsigned long *__tp = __hosted_pcp_array(unsigned long, tops_) + __i;	\
	unsigned long __t = *__tp;					\
	bool __ok = __t != (&(bottoms_))[__i];				\
	void *__v = NULL;						\
	if (__ok) {							\
		__v = __hosted_pcp_array(void *, slots_)[__t - 1];	\
		*__tp = __t - 1;					\
	}								\
	__pcp_irq_restore(__f);						\
	*(objp_) = __v;							\
	__ok;								\
})

/*
 * arch_pcp_pop_idx() that on a hit also counts it in word @i_ of the
 * per-CPU array @hits_, from the same per-CPU offset: the count in a
 * separate statement would read the thread's offset again after the
 * store to the top, which may alias it.
 */
#define arch_pcp_pop_idx_hit(tops_, bottoms_, slots_, hits_, i_, objp_) ({	\
	unsigned long __i = (unsigned long)(i_), __f = __pcp_irq_save();	\
	unsigned long __o = hosted_this_cpu_off;				\
	unsigned long *__tp = (unsigned long *)((unsigned long)&(tops_) + __o) + __i;	\
	unsigned long __t = *__tp;					\
	bool __ok = __t != (&(bottoms_))[__i];				\
	void *__v = NULL;						\
	if (__ok) {							\
		__v = ((void **)((unsigned long)&(slots_) + __o))[__t - 1];	\
		*__tp = __t - 1;					\
		((unsigned long *)((unsigned long)&(hits_) + __o))[__i]++;	\
	}								\
	__pcp_irq_restore(__f);						\
	*(objp_) = __v;							\
	__ok;								\
})

#define arch_pcp_push_idx(tops_, limits_, slots_, i_, obj_) ({		\
	unsigned long __i = (unsigned long)(i_), __f = __pcp_irq_save();	\
	unsigned long *__tp = __hosted_pcp_array(unsigned long, tops_) + __i;	\
	unsigned long __t = *__tp;					\
	bool __ok = __t < (&(limits_))[__i];				\
	if (__ok) {							\
		__hosted_pcp_array(void *, slots_)[__t] = (obj_);	\
		*__tp = __t + 1;					\
	}								\
	__pcp_irq_restore(__f);						\
	__ok;								\
})

#endif /* _ASM_HOSTED_PCP_H */
