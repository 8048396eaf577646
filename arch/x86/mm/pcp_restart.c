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

/*
 * The sequences are inlined all over mm/, so [lo, lo + span) covers a
 * large part of the kernel's text (the interrupt benchmarks' own loops
 * among it), and a search of every entry on each interrupt there cost
 * hundreds of instructions.  A bit per 2^shift bytes of the span says
 * whether a sequence touches those bytes: one load and a test for most
 * interrupts.  Bits past the map (a span too large for the smallest
 * shift) and every rip before pcp_restart_init() fall back to the search.
 */
#define PCP_MAP_BITS	8192
static unsigned long pcp_restart_map[PCP_MAP_BITS / BITS_PER_LONG] __read_mostly;
static unsigned int pcp_restart_shift __read_mostly = 6;
static bool pcp_restart_mapped __read_mostly;

/*
 * notrace: do_interrupt() calls it in the interrupted context, before the
 * interrupt's count is added, where a traced call made while that context
 * writes a trace record counts as function tracer recursion.
 */
void notrace __pcp_restart_fixup(struct pt_regs *regs)
{
	unsigned long bit = (regs->rip - pcp_restart_lo) >> pcp_restart_shift;
	const struct pcp_restart_entry *e;

	if (likely(pcp_restart_mapped) && bit < PCP_MAP_BITS &&
	    !(pcp_restart_map[bit / BITS_PER_LONG] & (1UL << (bit % BITS_PER_LONG))))
		return;
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
	while (((hi - lo) >> pcp_restart_shift) >= PCP_MAP_BITS && pcp_restart_shift < 12)
		pcp_restart_shift++;
	for (e = __start___pcp_restart; e < __stop___pcp_restart; e++) {
		unsigned long b = (e->start - lo) >> pcp_restart_shift;
		unsigned long last = (e->end - 1 - lo) >> pcp_restart_shift;

		for (; b <= last && b < PCP_MAP_BITS; b++)
			pcp_restart_map[b / BITS_PER_LONG] |= 1UL << (b % BITS_PER_LONG);
	}
	pcp_restart_lo = lo;
	pcp_restart_span = hi - lo;
	pcp_restart_mapped = true;
}
