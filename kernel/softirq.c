// SPDX-License-Identifier: GPL-2.0
/*
 * Softirqs, as Linux's kernel/softirq.c: per-CPU pending bits, run at
 * the exit of the outermost interrupt, at the end of a local_bh_disable()
 * section, or by the CPU's ksoftirqd thread.
 *
 * Running: handle_softirqs() takes the pending mask with interrupts off,
 * clears it, sets SOFTIRQ_OFFSET in the preempt count (so nothing nests:
 * in_interrupt() is true, an interrupt taken meanwhile only raises) and
 * runs the actions with interrupts on.  Vectors raised meanwhile are run
 * again, at most MAX_SOFTIRQ_RESTART rounds and MAX_SOFTIRQ_TIME, and not
 * once a reschedule is pending: what is left goes to ksoftirqd/<cpu>, a
 * normal thread, so a flood of interrupts and softirqs cannot starve the
 * threads of the CPU.
 *
 * A raise from thread context outside a bh-disabled section has no
 * interrupt exit coming to run it: it wakes ksoftirqd.
 */
#include <exo/bitmap.h>
#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/interrupt.h>
#include <exo/kernel.h>
#include <exo/kthread.h>
#include <exo/percpu.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/shell.h>
#include <exo/smp.h>
#include <exo/time.h>
#include "softirq.h"

#define MAX_SOFTIRQ_RESTART	10
#define MAX_SOFTIRQ_TIME_NS	(2 * 1000 * 1000ULL)

DEFINE_PER_CPU(unsigned int, __softirq_pending);
EXPORT_SYMBOL_GPL(__softirq_pending);	/* local_softirq_pending() in modules */
static DEFINE_PER_CPU(struct task_struct *, ksoftirqd);
struct softirq_stat {
	unsigned long runs[NR_SOFTIRQS];
};
static DEFINE_PER_CPU(struct softirq_stat, softirq_stat);
/* Rounds handed over to ksoftirqd, for the tests. */
static DEFINE_PER_CPU(unsigned long, softirq_deferred);

static struct softirq_action softirq_vec[NR_SOFTIRQS];

static const char *const softirq_names[NR_SOFTIRQS] = {
	"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET",
	"SCHED", "HRTIMER", "RCU",
};

const char *softirq_name(unsigned int nr)
{
	return nr < NR_SOFTIRQS ? softirq_names[nr] : "?";
}

/**
 * open_softirq() - install @action as vector @nr's handler
 * @nr: a vector below NR_SOFTIRQS
 * @action: its handler
 *
 * Context: thread, at init.  A bad @nr or a vector taken is logged and
 * ignored.
 */
void open_softirq(int nr, void (*action)(struct softirq_action *))
{
	if (nr < 0 || nr >= NR_SOFTIRQS || !action) {
		pr_err("open_softirq: bad vector %d or no action\n", nr);
		return;
	}
	if (softirq_vec[nr].action && softirq_vec[nr].action != action) {
		pr_err("open_softirq: vector %s already has %pS\n", softirq_names[nr],
		       (void *)softirq_vec[nr].action);
		return;
	}
	WRITE_ONCE(softirq_vec[nr].action, action);
}
EXPORT_SYMBOL_GPL(open_softirq);

static void wakeup_softirqd(void)
{
	struct task_struct *tsk = this_cpu_read(ksoftirqd);

	if (tsk)
		wake_up_process(tsk);
}

/**
 * raise_softirq_irqoff() - mark vector @nr pending on this CPU
 * @nr: the vector
 *
 * Context: interrupts off.
 */
void raise_softirq_irqoff(unsigned int nr)
{
	if (WARN_ON_ONCE(nr >= NR_SOFTIRQS))
		return;
	this_cpu_write(__softirq_pending, this_cpu_read(__softirq_pending) | (1U << nr));
	/* Outside interrupt and bh-off sections nothing would run it soon. */
	if (!in_interrupt())
		wakeup_softirqd();
}
EXPORT_SYMBOL_GPL(raise_softirq_irqoff);

/**
 * raise_softirq() - mark vector @nr pending on this CPU
 * @nr: the vector
 *
 * Context: any but NMI/exception.
 */
void raise_softirq(unsigned int nr)
{
	unsigned long flags;

	local_irq_save(flags);
	raise_softirq_irqoff(nr);
	local_irq_restore(flags);
}
EXPORT_SYMBOL_GPL(raise_softirq);

static void run_actions(unsigned int pending)
{
	unsigned int pc = preempt_count();

	while (pending) {
		unsigned int nr = __builtin_ctz(pending);
		struct softirq_action *h = &softirq_vec[nr];
		void (*action)(struct softirq_action *) = READ_ONCE(h->action);

		pending &= pending - 1;
		/* Only softirq context on this CPU writes it, and that never nests. */
		this_cpu_ptr(&softirq_stat)->runs[nr]++;
		if (unlikely(!action)) {
			pr_err("softirq %s raised without a handler\n", softirq_names[nr]);
			continue;
		}
		action(h);
		if (unlikely(preempt_count() != pc)) {
			pr_err("softirq %s: %pS left the preempt count %#x (was %#x)\n",
			       softirq_names[nr], (void *)action, preempt_count(), pc);
			__preempt_count_add((int)(pc - preempt_count()));
		}
	}
}

/*
 * Interrupts off on entry and exit, no softirq count held.  Runs the
 * pending vectors with interrupts on, restarting while more are raised,
 * within the bounds above.  notrace, as irq_exit_softirq(): entered from
 * interrupt exit in the interrupted context's count.
 */
static notrace void handle_softirqs(bool in_ksoftirqd)
{
	u64 end = ktime_get_ns() + MAX_SOFTIRQ_TIME_NS;
	int restart = MAX_SOFTIRQ_RESTART;
	unsigned int pending;

	__preempt_count_add(SOFTIRQ_OFFSET);
	barrier();
	for (;;) {
		pending = this_cpu_read(__softirq_pending);
		this_cpu_write(__softirq_pending, 0);
		local_irq_enable();
		run_actions(pending);
		local_irq_disable();
		if (!this_cpu_read(__softirq_pending))
			break;
		if (in_ksoftirqd || --restart <= 0 || ktime_get_ns() >= end ||
		    test_preempt_need_resched()) {
			if (!in_ksoftirqd) {
				this_cpu_inc(softirq_deferred);
				wakeup_softirqd();
			}
			break;
		}
	}
	barrier();
	__preempt_count_add(-(int)SOFTIRQ_OFFSET);
}

/**
 * irq_exit_softirq() - run pending softirqs at interrupt exit
 *
 * Context: interrupt exit, interrupts off, hard interrupt count dropped.
 * notrace: it runs in the interrupted context's count, where the function
 * tracer would drop its call as recursion if that context was writing a
 * record.
 */
void notrace irq_exit_softirq(void)
{
	if (in_interrupt() || !this_cpu_read(__softirq_pending))
		return;
	handle_softirqs(false);
}

/**
 * local_bh_enable() - end a local_bh_disable() section
 *
 * Context: thread or softirq; runs the pending softirqs only with
 * interrupts on (with them off, ksoftirqd is woken instead).
 */
void local_bh_enable(void)
{
	unsigned long flags;

	if (WARN_ON_ONCE(!(preempt_count() & ~SOFTIRQ_OFFSET & SOFTIRQ_MASK)))
		return;
	if (WARN_ON_ONCE(in_hardirq())) {
		/* Ends the section all the same: nothing runs from here. */
		__preempt_count_add(-(int)SOFTIRQ_DISABLE_OFFSET);
		return;
	}
	/* Keep preemption off until the pending ones ran (Linux does the same). */
	__preempt_count_add(-(int)(SOFTIRQ_DISABLE_OFFSET - 1));
	if (unlikely(!in_interrupt() && this_cpu_read(__softirq_pending))) {
		if (irqs_disabled()) {
			wakeup_softirqd();
		} else {
			local_irq_save(flags);
			if (this_cpu_read(__softirq_pending))
				handle_softirqs(false);
			local_irq_restore(flags);
		}
	}
	preempt_enable();
}
EXPORT_SYMBOL_GPL(local_bh_enable);

unsigned long softirq_count_cpu(unsigned int cpu, unsigned int nr)
{
	if (!cpu_possible(cpu) || nr >= NR_SOFTIRQS)
		return 0;
	return READ_ONCE(per_cpu_ptr(&softirq_stat, cpu)->runs[nr]);
}
EXPORT_SYMBOL_GPL(softirq_count_cpu);

unsigned long softirq_deferred_cpu(unsigned int cpu)
{
	return cpu_possible(cpu) ? READ_ONCE(per_cpu(softirq_deferred, cpu)) : 0;
}

struct task_struct *softirq_ksoftirqd(unsigned int cpu)
{
	return cpu_possible(cpu) ? per_cpu(ksoftirqd, cpu) : NULL;
}

/* `softirqs`: runs per CPU and vector (Linux's /proc/softirqs, transposed). */
static int cmd_softirqs(int argc, char **argv)
{
	char line[NR_SOFTIRQS * 21 + 8];	/* 20-digit counts fit */
	unsigned int cpu;
	int pos;

	pos = snprintf(line, sizeof(line), "%-6s", "");
	for (unsigned int nr = 0; nr < NR_SOFTIRQS; nr++)
		pos += snprintf(line + pos, sizeof(line) - (size_t)pos, " %9s", softirq_names[nr]);
	printk("%s\n", line);
	for_each_online_cpu(cpu) {
		pos = snprintf(line, sizeof(line), "CPU%-3u", cpu);
		for (unsigned int nr = 0; nr < NR_SOFTIRQS; nr++)
			pos += snprintf(line + pos, sizeof(line) - (size_t)pos, " %9lu",
					softirq_count_cpu(cpu, nr));
		printk("%s\n", line);
	}
	return 0;
}
DEFINE_SHELL_CMD(softirqs, "softirq runs per vector and CPU", cmd_softirqs);

static int ksoftirqd_fn(void *arg)
{
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		/* A raise after this check wakes us: schedule() returns at once. */
		if (!this_cpu_read(__softirq_pending))
			schedule();
		__set_current_state(TASK_RUNNING);
		local_irq_disable();
		if (this_cpu_read(__softirq_pending))
			handle_softirqs(true);
		local_irq_enable();
		/* Let the CPU's other threads in between rounds. */
		if (this_cpu_read(__softirq_pending))
			yield();
	}
	return 0;
}

static int __init spawn_ksoftirqd(void)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		struct task_struct *t = kthread_create(ksoftirqd_fn, NULL, "ksoftirqd/%u", cpu);

		if (!t)
			return -ENOMEM;
		if (kthread_bind(t, cpu)) {
			pr_err("ksoftirqd/%u: cannot bind\n", cpu);
			continue;
		}
		per_cpu(ksoftirqd, cpu) = t;
		wake_up_process(t);
	}
	return 0;
}
early_initcall(spawn_ksoftirqd);
