// SPDX-License-Identifier: GPL-2.0
/*
 * The abort side of the restartable per-CPU stack sequences
 * (<asm/pcp.h>): an interrupt or exception that lands inside one, before
 * its commit, sends the interrupted code back to the sequence's start.
 */
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/percpu.h>
#include <exo/smp.h>
#include <asm/pcp.h>
#include <asm/ptrace.h>

struct pcp_restart_entry {
	unsigned long start, end;
};

extern const struct pcp_restart_entry __start___pcp_restart[], __stop___pcp_restart[];

/*
 * Until pcp_restart_init(): every rip is searched for.  Set once by the
 * boot CPU before any interrupt can be taken, so readers need no order.
 */
unsigned long pcp_restart_lo __read_mostly;
unsigned long pcp_restart_span __read_mostly = ~0UL;
/* Sequences cut off after their first instruction, by this CPU's interrupts. */
DEFINE_PER_CPU(unsigned long, pcp_restarts);

void __pcp_restart_fixup(struct pt_regs *regs)
{
	const struct pcp_restart_entry *e;

	for (e = __start___pcp_restart; e < __stop___pcp_restart; e++) {
		if (regs->rip - e->start < e->end - e->start) {
			/* At its first instruction, nothing ran yet: not a restart. */
			if (regs->rip != e->start) {
				regs->rip = e->start;
				this_cpu_inc(pcp_restarts);
			}
			return;
		}
	}
}

/**
 * pcp_restart_count() - sequences restarted since boot, all CPUs
 *
 * Each CPU counts its own restarts with a plain per-CPU increment in its
 * interrupt entry; the sum reads each CPU's count once, so it is exact
 * only while no CPU takes interrupts, and otherwise never over the truth.
 *
 * Return: the number of interrupts that sent a sequence back to its start.
 */
unsigned long pcp_restart_count(void)
{
	unsigned long sum = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu(pcp_restarts, cpu));
	return sum;
}

/*
 * The bounds of all sequences, so that most interrupts cost one compare.
 * Called by idt_init(): on the boot CPU, interrupts still disabled and
 * no other CPU started, so no interrupt entry ever sees half of them.
 */
void __init pcp_restart_init(void)
{
	unsigned long lo = ~0UL, hi = 0;
	const struct pcp_restart_entry *e;

	for (e = __start___pcp_restart; e < __stop___pcp_restart; e++) {
		lo = min(lo, e->start);
		hi = max(hi, e->end);
	}
	if (lo >= hi)
		lo = hi = 0;
	pcp_restart_lo = lo;
	pcp_restart_span = hi - lo;
}
