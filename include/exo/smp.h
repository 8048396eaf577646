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
/*
 * The CPUs that have per-CPU data: per_cpu() and per_cpu_ptr() may be used
 * for these only.  A CPU becomes possible once its per-CPU area exists
 * (arch/x86/kernel/smpboot.c), before it starts; it may then fail to start
 * and never be online.  Walkers of per-CPU data go over the possible CPUs.
 */
extern struct cpumask cpu_possible_mask;
extern unsigned int nr_cpu_ids;

static inline bool cpu_possible(unsigned int cpu)
{
	return cpu < NR_CPUS && cpumask_test_cpu(cpu, &cpu_possible_mask);
}

static inline unsigned int num_online_cpus(void)
{
	return cpumask_weight(&cpu_online_mask);
}

static inline bool cpu_online(unsigned int cpu)
{
	return cpumask_test_cpu(cpu, &cpu_online_mask);
}

/* Mark @cpu online or offline (the CPU itself, while it starts or stops). */
void set_cpu_online(unsigned int cpu, bool online);

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
 * Context: thread context, interrupts on or off (while it waits with them
 * off it serves calls addressed to this CPU).  Not from an interrupt,
 * exception or NMI handler: the call shares its per-target slot with the
 * thread it interrupted; it is refused with a warning (once).
 * Return: 0, -ENXIO if @cpu is not online, or -EDEADLK from a handler.
 */
int smp_call_function_single(unsigned int cpu, smp_call_func_t func, void *info, bool wait);

/**
 * smp_call_function_many() - run @func on every online CPU of @mask except this one
 * @mask: target CPUs (offline CPUs and the caller are skipped)
 * @func: function, runs in interrupt context with interrupts off on each target
 * @info: its argument
 * @wait: return only after every target has run @func
 *
 * Sends at most one IPI per target (none to a CPU whose call queue already
 * has an IPI pending).  May be called with interrupts disabled: while it
 * waits it serves calls addressed to this CPU, so two CPUs calling each
 * other cannot deadlock.  Not from interrupt, exception or NMI handlers,
 * as smp_call_function_single(): there it warns (once) and calls nothing.
 */
void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func,
			    void *info, bool wait);

/**
 * smp_call_function() - smp_call_function_many() on all other online CPUs
 */
void smp_call_function(smp_call_func_t func, void *info, bool wait);

/**
 * on_each_cpu() - run @func on every online CPU, this one included
 *
 * The local call runs with interrupts disabled, like the remote ones.
 * Not from interrupt, exception or NMI handlers: there it warns (once) and
 * calls nothing, not even locally.
 */
void on_each_cpu(smp_call_func_t func, void *info, bool wait);

/* Stop every other CPU (panic path): NMI IPI, they print their state and halt. */
void smp_send_stop(void);

/**
 * smp_init() - bring up the interrupt controllers and every CPU the firmware lists
 *
 * Called once by start_kernel() after the scheduler is initialised.
 */
void smp_init(void);

/*
 * Provided by the architecture (x86: arch/x86/kernel/smp.c), for the
 * calls above.  Each sends without waiting for the target to act; the
 * target must be online and not the caller.
 */

/* The call-function IPI to every CPU in @mask. */
void arch_send_call_function_ipi_mask(const struct cpumask *mask);
/* The call-function IPI to @cpu. */
void arch_send_call_function_single_ipi(unsigned int cpu);
/* The reschedule IPI to @cpu. */
void arch_smp_send_reschedule(unsigned int cpu);
/* The stop IPI (x86: an NMI, so that a CPU spinning with interrupts off stops too). */
void arch_smp_send_stop(unsigned int cpu);

struct smp_cpu_stats;
/* Fill @st's timer_ticks and irqs for @cpu (a possible CPU). */
void arch_smp_cpu_stats(unsigned int cpu, struct smp_cpu_stats *st);

/*
 * For the architecture's IPI handlers, which run with interrupts off and
 * have acknowledged the interrupt.
 */

/* The call-function IPI: run the calls queued for this CPU. */
void generic_smp_call_function_interrupt(void);
/* The reschedule IPI: reschedule when the interrupt returns. */
void generic_smp_reschedule_interrupt(void);

/**
 * smp_stop_begin() - start of the stop IPI's work on this CPU
 *
 * Return: false when no other CPU is stopping this one (the IPI is not a
 * stop: the handler goes on); true once "CPU n stopped by CPU m" is
 * printed, with the print lock held: the handler prints this CPU's state,
 * calls smp_stop_end() and halts for good.
 */
bool smp_stop_begin(void);

/** smp_stop_end() - drop the print lock and count this CPU as stopped (offline) */
void smp_stop_end(void);

/* Per-CPU counters of the cross-CPU machinery (for `cpus`, tests, benches). */
struct smp_cpu_stats {
	unsigned long ipi_sent;		/* IPIs this CPU sent (all kinds) */
	unsigned long ipi_received;	/* IPIs it took (call, reschedule) */
	unsigned long calls_sent;	/* cross-calls it queued for others */
	unsigned long calls_handled;	/* cross-calls it ran for others */
	unsigned long resched_received;
	u64 wait_ticks;			/* TSC ticks in the pause of its call waits */
	unsigned long timer_ticks;
	unsigned long irqs;		/* all interrupts taken */
};

/** smp_cpu_stats() - a snapshot of @cpu's counters (zeros if @cpu is not possible) */
void smp_cpu_stats(unsigned int cpu, struct smp_cpu_stats *st);

#endif
