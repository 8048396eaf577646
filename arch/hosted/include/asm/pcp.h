/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hosted build: the per-CPU stack operations of <asm/pcp.h> (x86: restartable
 * sequences) with the emulated interrupt flag off around them, so that the
 * cross-CPU call emulation and ThreadSanitizer see the same exclusion.
 */
#ifndef _ASM_HOSTED_PCP_H
#define _ASM_HOSTED_PCP_H

#include <exo/compiler.h>
#include <exo/types.h>
#include <asm/irqflags.h>
#include <asm/percpu.h>

/* On an empty stack: false, and *@pfnp = 0 (callers use it only on true). */
#define arch_pcp_pop(top, bottom, slots, pfnp) ({			\
	unsigned long __f = arch_local_irq_save();			\
	unsigned int __t = __hosted_pcpu(top);				\
	bool __ok = __t != __hosted_pcpu(bottom);			\
	unsigned long __v = 0;						\
	if (__ok) {							\
		__hosted_pcpu(top) = --__t;				\
		__v = (&__hosted_pcpu(slots))[__t];			\
	}								\
	arch_local_irq_restore(__f);					\
	*(pfnp) = __v;							\
	__ok;								\
})

#define arch_pcp_push(top, limit, slots, pfn) ({			\
	unsigned long __f = arch_local_irq_save();			\
	unsigned int __t = __hosted_pcpu(top);				\
	bool __full;							\
	(&__hosted_pcpu(slots))[__t++] = (pfn);				\
	__hosted_pcpu(top) = __t;					\
	__full = __t > __hosted_pcpu(limit);				\
	arch_local_irq_restore(__f);					\
	__full;								\
})

#define arch_pcpu_tagged_read(tag, ptr, want, idx, valp) ({		\
	unsigned long __f = arch_local_irq_save();			\
	bool __hit = __hosted_pcpu(tag) == (want);			\
	u64 __v = 0;							\
	if (__hit)							\
		__v = (u64)READ_ONCE(__hosted_pcpu(ptr)[idx]);		\
	arch_local_irq_restore(__f);					\
	*(valp) = __v;							\
	__hit;								\
})

#endif /* _ASM_HOSTED_PCP_H */
