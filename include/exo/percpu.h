/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU variables.
 *
 * DEFINE_PER_CPU(type, name) places one instance in the per-CPU template
 * section; every CPU gets its own copy of that section (the boot CPU uses the
 * template itself, so per-CPU data works before any allocator exists).
 *
 *   this_cpu_read(x) / this_cpu_write(x, v) / this_cpu_add(x, n) / this_cpu_inc(x)
 *	single instructions relative to the CPU's base register: safe against
 *	preemption and interrupts without disabling either.
 *   this_cpu_ptr(&x)	pointer to this CPU's copy (caller disables preemption)
 *   per_cpu_ptr(&x, c)	pointer to CPU c's copy
 *   per_cpu(x, c)	CPU c's copy as an lvalue
 *
 * Per-CPU variables are __percpu for sparse: dereferencing one without these
 * accessors is an error.
 */
#ifndef _EXO_PERCPU_H
#define _EXO_PERCPU_H

#include <exo/types.h>
#include <asm/percpu.h>

#define NR_CPUS CONFIG_NR_CPUS

#define DECLARE_PER_CPU(type, name) \
	extern __PER_CPU_ATTRS __typeof__(type) __percpu name
#define DEFINE_PER_CPU(type, name) \
	__PER_CPU_ATTRS __typeof__(type) __percpu name
#define DEFINE_PER_CPU_ALIGNED(type, name) \
	__PER_CPU_ATTRS __aligned(64) __typeof__(type) __percpu name

/* Base of each CPU's area relative to the template (0 until set up). */
extern unsigned long __per_cpu_offset[NR_CPUS];

#define per_cpu_ptr(ptr, cpu) ({					\
	unsigned long __p = (__force unsigned long)(ptr);		\
	(__typeof__(*(ptr)) __force *)(__p + __per_cpu_offset[cpu]);	\
})

#define per_cpu(var, cpu)	(*per_cpu_ptr(&(var), cpu))

#define this_cpu_ptr(ptr) ({						\
	unsigned long __p = (__force unsigned long)(ptr);		\
	(__typeof__(*(ptr)) __force *)(__p + arch_this_cpu_off());	\
})

#define this_cpu_inc(var)	this_cpu_add(var, 1)
#define this_cpu_dec(var)	this_cpu_add(var, -1)

#endif /* _EXO_PERCPU_H */
