/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 per-CPU access.  The per-CPU template section is linked at virtual
 * address 0, so a per-CPU symbol's address is its offset inside every CPU's
 * area, and %gs points at the area: "mov %gs:var" reads this CPU's copy in
 * one instruction that preemption cannot split.
 */
#ifndef _ASM_X86_PERCPU_H
#define _ASM_X86_PERCPU_H

#include <exo/compiler.h>

#define __PER_CPU_ATTRS __section(".data..percpu")

/* The value goes through a typed temporary so narrowing casts stay quiet. */
#define __pcpu_op(op, var, val)						\
do {									\
	__typeof__(var) __pv = (__typeof__(var))(val);			\
	switch (sizeof(var)) {						\
	case 1: __asm__ __volatile__(op "b %1, %%gs:%c0"		\
		: : "i"(&(var)), "qi"((u8)(unsigned long)__pv) : "memory"); break;	\
	case 2: __asm__ __volatile__(op "w %1, %%gs:%c0"		\
		: : "i"(&(var)), "ri"((u16)(unsigned long)__pv) : "memory"); break;	\
	case 4: __asm__ __volatile__(op "l %1, %%gs:%c0"		\
		: : "i"(&(var)), "ri"((u32)(unsigned long)__pv) : "memory"); break;	\
	case 8: __asm__ __volatile__(op "q %1, %%gs:%c0"		\
		: : "i"(&(var)), "re"((u64)(unsigned long)__pv) : "memory"); break;	\
	}								\
} while (0)

#define this_cpu_read(var) ({						\
	__typeof__(var) __r;						\
	switch (sizeof(var)) {						\
	case 1: __asm__ __volatile__("movb %%gs:%c1, %0"		\
		: "=q"(*(u8 *)&__r) : "i"(&(var)) : "memory"); break;	\
	case 2: __asm__ __volatile__("movw %%gs:%c1, %0"		\
		: "=r"(*(u16 *)&__r) : "i"(&(var)) : "memory"); break;	\
	case 4: __asm__ __volatile__("movl %%gs:%c1, %0"		\
		: "=r"(*(u32 *)&__r) : "i"(&(var)) : "memory"); break;	\
	default: __asm__ __volatile__("movq %%gs:%c1, %0"		\
		: "=r"(*(u64 *)&__r) : "i"(&(var)) : "memory"); break;	\
	}								\
	__r;								\
})

#define this_cpu_write(var, val)	__pcpu_op("mov", var, val)
#define this_cpu_add(var, val)		__pcpu_op("add", var, val)

/*
 * An element of a per-CPU array picked at run time, addressed from the
 * per-CPU symbol and a byte offset held in a register, with no per-CPU base
 * or CPU number to load: @var is a field of the array's first element
 * (large_cache.addr[0]), @off the element's byte offset.  4- and 8-byte
 * fields only.  raw_: no protection of their own, the caller keeps other
 * code off this CPU's copy (interrupts disabled).  The "memory" clobbers
 * keep them ordered against the caller's other accesses.  @var may also be
 * such a field less a constant (*(T *)(&field - k)): the %P operands print
 * symbol-minus-constant, which %c refuses.
 */
#define raw_cpu_read_off(var, off) ({					\
	__typeof__(var) __r;						\
	BUILD_BUG_ON(sizeof(var) != 4 && sizeof(var) != 8);		\
	if (sizeof(var) == 4)						\
		__asm__ __volatile__("movl %%gs:%P1(%2), %0"		\
			: "=r"(*(u32 *)&__r)				\
			: "i"((__force char *)&(var)), "r"(off) : "memory");	\
	else								\
		__asm__ __volatile__("movq %%gs:%P1(%2), %0"		\
			: "=r"(*(u64 *)&__r)				\
			: "i"((__force char *)&(var)), "r"(off) : "memory");	\
	__r;								\
})

#define raw_cpu_write_off(var, off, val) do {				\
	__typeof__(var) __v = (val);					\
	BUILD_BUG_ON(sizeof(var) != 4 && sizeof(var) != 8);		\
	if (sizeof(var) == 4)						\
		__asm__ __volatile__("movl %0, %%gs:%P1(%2)"		\
			: : "r"(*(u32 *)&__v),				\
			    "i"((__force char *)&(var)), "r"(off) : "memory");	\
	else								\
		__asm__ __volatile__("movq %0, %%gs:%P1(%2)"		\
			: : "r"(*(u64 *)&__v),				\
			    "i"((__force char *)&(var)), "r"(off) : "memory");	\
} while (0)

/* Word @n of the per-CPU array @var (this CPU's copy): one scaled index. */
#define raw_cpu_inc_idx(var, n) do {					\
	BUILD_BUG_ON(sizeof(var) != 8);					\
	__asm__ __volatile__("incq %%gs:%P0(,%1,8)"			\
		: : "i"((__force char *)&(var)), "r"((unsigned long)(n)) : "memory");	\
} while (0)

/* Each area stores its own base so this_cpu_ptr() needs one load. */
extern unsigned long __percpu this_cpu_off;
#define arch_this_cpu_off()	this_cpu_read(this_cpu_off)

#endif /* _ASM_X86_PERCPU_H */
