// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 side of kernel/smp.c: IPIs through the local APIC, one fixed
 * vector each for calls and reschedules, and an NMI for the panic stop
 * (which must reach a CPU spinning with interrupts off).
 */
#include <exo/init.h>
#include <exo/smp.h>
#include <asm/apic.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/traps.h>

void arch_send_call_function_single_ipi(unsigned int cpu)
{
	apic_send_ipi(cpu_to_apicid(cpu), APIC_DM_FIXED | CALL_FUNCTION_VECTOR);
}

/*
 * The "all excluding self" shorthand reaches every local APIC, online or
 * not: only while every CPU of the MADT is online (none parked in INIT,
 * left out for want of memory or beyond NR_CPUS), as Linux requires too.
 * shorthand_cpus is that online count, 0 when it never holds.
 */
static unsigned int shorthand_cpus;

void __init smp_ipi_shorthand_setup(unsigned int cpus)
{
	shorthand_cpus = cpus;
}

/* Whether @mask is every online CPU but this one, and the shorthand may reach them. */
static bool all_others(const struct cpumask *mask)
{
	unsigned int me = smp_processor_id();

	if (!shorthand_cpus || cpumask_weight(&cpu_online_mask) != shorthand_cpus)
		return false;
	for (unsigned int i = 0; i < BITS_TO_LONGS(NR_CPUS); i++) {
		unsigned long want = __atomic_load_n(&cpu_online_mask.bits[i], __ATOMIC_RELAXED);

		if (i == me / BITS_PER_LONG)
			want &= ~(1UL << (me % BITS_PER_LONG));
		if (mask->bits[i] != want)
			return false;
	}
	return true;
}

/*
 * One ICR write for all the other CPUs when they are all targets (a TLB
 * shootdown of the kernel half, on_each_cpu()); else one IPI per target:
 * physical destination mode has no multicast.
 */
void arch_send_call_function_ipi_mask(const struct cpumask *mask)
{
	unsigned int cpu;

	if (all_others(mask)) {
		apic_send_ipi(0, APIC_DEST_ALLBUT | APIC_DM_FIXED | CALL_FUNCTION_VECTOR);
		return;
	}
	for_each_cpu(cpu, mask)
		arch_send_call_function_single_ipi(cpu);
}

void arch_smp_send_reschedule(unsigned int cpu)
{
	apic_send_ipi(cpu_to_apicid(cpu), APIC_DM_FIXED | RESCHEDULE_VECTOR);
}

void arch_smp_send_stop(unsigned int cpu)
{
	apic_send_ipi(cpu_to_apicid(cpu), APIC_DM_NMI);
}

void arch_smp_cpu_stats(unsigned int cpu, struct smp_cpu_stats *st)
{
	st->timer_ticks = READ_ONCE(per_cpu(apic_timer_ticks, cpu));
	st->irqs = READ_ONCE(per_cpu(irq_count, cpu));
}

static void call_function_interrupt(struct pt_regs *regs)
{
	apic_eoi();
	generic_smp_call_function_interrupt();
}

static void reschedule_interrupt(struct pt_regs *regs)
{
	apic_eoi();
	generic_smp_reschedule_interrupt();	/* do_interrupt() switches on the way out */
}

static bool stop_nmi(struct pt_regs *regs)
{
	if (!smp_stop_begin())
		return false;
	show_regs(regs);
	show_backtrace(regs->rbp, regs->rip);
	smp_stop_end();
	for (;;) {
		arch_local_irq_disable();
		halt();
	}
}

void __init smp_ipi_init(void)
{
	set_irq_handler(CALL_FUNCTION_VECTOR, call_function_interrupt);
	set_irq_handler(RESCHEDULE_VECTOR, reschedule_interrupt);
	nmi_handler_hook = stop_nmi;
}
