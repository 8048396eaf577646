// SPDX-License-Identifier: GPL-2.0
/*
 * The abort side of the restartable per-CPU stack sequences
 * (<asm/pcp.h>): an interrupt or exception that lands inside one, before
 * its commit, sends the interrupted code back to the sequence's start.
 */
#include <exo/init.h>
#include <exo/kernel.h>
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
unsigned long pcp_restarts;

void __pcp_restart_fixup(struct pt_regs *regs)
{
	const struct pcp_restart_entry *e;

	for (e = __start___pcp_restart; e < __stop___pcp_restart; e++) {
		if (regs->rip - e->start < e->end - e->start) {
			regs->rip = e->start;
			/* Not atomic: a count for tests, and only this CPU's interrupt path writes it often. */
			WRITE_ONCE(pcp_restarts, READ_ONCE(pcp_restarts) + 1);
			return;
		}
	}
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
