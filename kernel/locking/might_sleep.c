// SPDX-License-Identifier: GPL-2.0
/*
 * might_sleep() checks (CONFIG_DEBUG_ATOMIC_SLEEP).
 *
 * A function that can block (schedule_timeout(), wait_event(), an
 * allocation that may wait) calls might_sleep() first.  Called where
 * sleeping is forbidden - a spinlock held (preemption count raised),
 * preemption disabled, interrupt context, interrupts off - it is a bug
 * even if this particular call happened not to sleep, so it is reported at
 * once, with a backtrace, once per call site; the call then goes on.
 * Before the scheduler runs (early boot) nothing can sleep anyway and
 * nothing is reported.
 *
 * "Interrupts off" is judged only in kthreads, which start with interrupts
 * on: the boot thread (init, where start_kernel() and the boot-time tests
 * run) has interrupts off by design for now - schedule() saves and restores
 * the flag - until a timer interrupt exists to preempt it.
 */
#define pr_fmt(fmt) "might_sleep: " fmt

#include <exo/bug.h>
#include <exo/lockdep.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/smp.h>

static unsigned long nr_reports;

void __might_sleep(const char *file, int line, bool *reported)
{
	unsigned int pc = preempt_count();
	bool irqs_off;

	if (!sched_ready())
		return;
	irqs_off = irqs_disabled() && (current->flags & PF_KTHREAD);
	if (likely(!pc && !irqs_off))
		return;
	__atomic_add_fetch(&nr_reports, 1, __ATOMIC_RELAXED);
	if (__atomic_exchange_n(reported, true, __ATOMIC_RELAXED))
		return;
	pr_err("BUG: sleeping function called from invalid context at %s:%d\n", file, line);
	pr_err("CPU %u, thread %s: preempt_count %#x%s%s\n", smp_processor_id(),
	       current->comm, pc, in_interrupt() ? " (interrupt)" : "",
	       irqs_off ? ", interrupts off" : "");
	dump_stack();
}

unsigned long might_sleep_reports(void)
{
	return __atomic_load_n(&nr_reports, __ATOMIC_RELAXED);
}
