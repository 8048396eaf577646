/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hosted per-CPU emulation: each test thread that calls hosted_set_cpu(n)
 * acts as CPU n.  Per-CPU variables live in the "exo_percpu" section; CPU n's
 * copy sits at __per_cpu_offset[n] from the template, exactly like the kernel.
 * Accesses are plain loads/stores on the thread's own copy.
 */
#ifndef _ASM_HOSTED_PERCPU_H
#define _ASM_HOSTED_PERCPU_H

#include <exo/compiler.h>

/* No __used: DECLARE_PER_CPU() puts these attributes on extern declarations. */
#define __PER_CPU_ATTRS __section("exo_percpu")

extern __thread unsigned long hosted_this_cpu_off;
#define arch_this_cpu_off()	hosted_this_cpu_off

#define __hosted_pcpu(var) \
	(*(__typeof__(var) *)((unsigned long)&(var) + hosted_this_cpu_off))

#define this_cpu_read(var)		__hosted_pcpu(var)
#define this_cpu_write(var, val)	(__hosted_pcpu(var) = (val))
#define this_cpu_add(var, val)		(__hosted_pcpu(var) += (val))
/* Word @n of the per-CPU array @var (this CPU's copy); no protection of its own. */
#define raw_cpu_inc_idx(var, n)		((&__hosted_pcpu(var))[n]++)

/* Make the calling thread CPU @cpu (allocates its area on first use). */
void hosted_set_cpu(int cpu);

#endif /* _ASM_HOSTED_PERCPU_H */
