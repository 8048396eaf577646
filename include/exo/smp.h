/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU numbering and cross-CPU calls.  Logical CPU numbers are dense,
 * 0 = the boot CPU.  kernel/smp.c and arch/x86/kernel/smpboot.c implement
 * the rest when CONFIG_SMP is set.
 */
#ifndef _EXO_SMP_H
#define _EXO_SMP_H

#include <exo/types.h>
#include <exo/percpu.h>
#include <exo/cpumask.h>

DECLARE_PER_CPU(unsigned int, cpu_number);

/* This CPU's logical number; stable only while preemption is disabled. */
static inline unsigned int smp_processor_id(void)
{
	return this_cpu_read(cpu_number);
}
#define raw_smp_processor_id() smp_processor_id()

extern struct cpumask cpu_online_mask;
extern struct cpumask cpu_possible_mask;
extern unsigned int nr_cpu_ids;

static inline unsigned int num_online_cpus(void)
{
	return cpumask_weight(&cpu_online_mask);
}

static inline bool cpu_online(unsigned int cpu)
{
	return cpumask_test_cpu(cpu, &cpu_online_mask);
}

#define for_each_online_cpu(c)   for_each_cpu(c, &cpu_online_mask)
#define for_each_possible_cpu(c) for_each_cpu(c, &cpu_possible_mask)

typedef void (*smp_call_func_t)(void *info);

/**
 * smp_call_function_single() - run @func(@info) on @cpu
 * @cpu: target CPU (may be the calling CPU)
 * @func: function, runs in interrupt context on the target
 * @info: its argument
 * @wait: wait until @func has returned on the target
 *
 * Return: 0, or -ENXIO if @cpu is not online.
 */
int smp_call_function_single(unsigned int cpu, smp_call_func_t func, void *info, bool wait);

/**
 * smp_call_function_many() - run @func on every CPU of @mask except this one
 */
void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func,
			    void *info, bool wait);

/**
 * on_each_cpu() - run @func on every online CPU, this one included
 */
void on_each_cpu(smp_call_func_t func, void *info, bool wait);

/* Stop every other CPU (panic path): NMI IPI, they print their state and halt. */
void smp_send_stop(void);

#endif
