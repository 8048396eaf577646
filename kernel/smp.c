// SPDX-License-Identifier: GPL-2.0
/*
 * CPU masks.  The boot CPU is possible and online from the start; the SMP
 * bring-up code (arch/x86/kernel/smpboot.c) adds the others.
 */
#include <exo/smp.h>

struct cpumask cpu_online_mask = { .bits = { 1 } };
struct cpumask cpu_possible_mask = { .bits = { 1 } };
unsigned int nr_cpu_ids = 1;

/* UP placeholder until SMP lands */
void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func, void *info,
			    bool wait)
{
	/* Only the boot CPU is online: nobody but the caller, who is excluded. */
	(void)mask;
	(void)func;
	(void)info;
	(void)wait;
}
