// SPDX-License-Identifier: GPL-2.0
/*
 * CPU masks.  The boot CPU is possible and online from the start; the SMP
 * bring-up code (arch/x86/kernel/smpboot.c) adds the others.
 */
#include <exo/errno.h>
#include <exo/smp.h>

struct cpumask cpu_online_mask = { .bits = { 1 } };
struct cpumask cpu_possible_mask = { .bits = { 1 } };
unsigned int nr_cpu_ids = 1;

/* UP placeholder until SMP lands */
#include <asm/irqflags.h>

int smp_call_function_single(unsigned int cpu, smp_call_func_t func, void *info, bool wait)
{
	unsigned long flags;

	if (cpu != smp_processor_id())
		return -ENXIO;
	flags = arch_local_irq_save();
	func(info);
	arch_local_irq_restore(flags);
	return 0;
}

void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func, void *info,
			    bool wait)
{
	/* Only the calling CPU is online, and it is excluded. */
}

void on_each_cpu(smp_call_func_t func, void *info, bool wait)
{
	unsigned long flags = arch_local_irq_save();

	func(info);
	arch_local_irq_restore(flags);
}
