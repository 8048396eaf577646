/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device interrupts for drivers, the Linux API (kernel/irq/,
 * Documentation/irq.rst):
 *
 *	static irqreturn_t my_irq(int irq, void *dev_id)
 *	{
 *		if (!my_device_raised_it(dev_id))
 *			return IRQ_NONE;	// shared line: someone else's
 *		ack_my_device(dev_id);
 *		return IRQ_WAKE_THREAD;		// or IRQ_HANDLED
 *	}
 *	err = request_threaded_irq(irq, my_irq, my_thread_fn,
 *				   IRQF_SHARED | IRQF_ONESHOT, "mydev", priv);
 *	...
 *	free_irq(irq, priv);
 *
 * A primary handler runs in hard interrupt context with interrupts off on
 * the CPU the IRQ is routed to; a thread function runs in a per-action
 * kernel thread ("irq/<irq>-<name>") and may sleep.
 */
#ifndef _EXO_INTERRUPT_H
#define _EXO_INTERRUPT_H

#include <exo/bottom_half.h>
#include <exo/irq.h>
#include <exo/irqreturn.h>
#include <exo/percpu.h>
#include <exo/types.h>

typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

/* request_irq() flags (Linux's values). */
#define IRQF_TRIGGER_NONE	0x00000000
#define IRQF_TRIGGER_RISING	0x00000001
#define IRQF_TRIGGER_FALLING	0x00000002
#define IRQF_TRIGGER_HIGH	0x00000004
#define IRQF_TRIGGER_LOW	0x00000008
#define IRQF_TRIGGER_MASK	0x0000000f
#define IRQF_SHARED		0x00000080	/* every sharer must say so */
#define IRQF_ONESHOT		0x00002000	/* masked until the thread ran */
#define IRQF_NO_THREAD		0x00010000
#define IRQF_COND_SUSPEND	0x00040000	/* accepted, no meaning here */

/**
 * struct irqaction - one handler of an IRQ
 * @handler: primary handler (hard interrupt context)
 * @dev_id: its cookie, the key of free_irq()
 * @next: next action of a shared IRQ
 * @thread_fn: thread function (NULL: none)
 * @thread: the handler thread
 * @irq: the IRQ number
 * @flags: IRQF_*
 * @thread_flags: IRQTF_* (internal)
 * @thread_mask: this action's bit in desc->threads_oneshot
 * @name: the requester's name
 */
struct irqaction {
	irq_handler_t handler;
	void *dev_id;
	struct irqaction *next;
	irq_handler_t thread_fn;
	struct task_struct *thread;
	unsigned int irq;
	unsigned int flags;
	unsigned long thread_flags;
	unsigned long thread_mask;
	const char *name;
};

/**
 * request_threaded_irq() - install a handler (and a thread) for @irq
 * @irq: an IRQ number (ISA IRQ, GSI from acpi_register_gsi(), MSI IRQ)
 * @handler: primary handler; NULL: irq_default_primary_handler (wake the
 *	thread; then IRQF_ONESHOT is required)
 * @thread_fn: run in a kernel thread when @handler returns
 *	IRQ_WAKE_THREAD; NULL: no thread
 * @irqflags: IRQF_*
 * @devname: shown by `interrupts` and the thread's name
 * @dev_id: passed to the handlers; required (non-NULL) with IRQF_SHARED
 *
 * The first action starts the IRQ: a vector is allocated on a CPU of its
 * affinity, the chip routes it there and unmasks it.  A shared IRQ's
 * actions must all pass IRQF_SHARED and agree on IRQF_ONESHOT and the
 * trigger type.
 * Context: may sleep.  Return: 0; -EINVAL for a bad IRQ, no handler at
 * all, IRQF_SHARED without @dev_id, or no IRQF_ONESHOT without a primary
 * handler; -EBUSY when the IRQ is taken and not shareable on these terms;
 * -ENOSPC without a free vector; -ENOMEM.  Each is logged.
 */
int request_threaded_irq(unsigned int irq, irq_handler_t handler, irq_handler_t thread_fn,
			 unsigned long irqflags, const char *devname, void *dev_id);

/** request_irq() - request_threaded_irq() without a thread */
static inline int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
			      const char *name, void *dev)
{
	return request_threaded_irq(irq, handler, NULL, flags, name, dev);
}

/**
 * free_irq() - remove the action of @irq whose cookie is @dev_id
 *
 * Waits until no handler of @irq runs on any CPU and its thread finished,
 * then stops the thread.  The last action's removal masks the IRQ and
 * frees its vector.
 * Context: may sleep; not from the IRQ's own handlers.  Return: the
 * action's devname, as Linux 6.1; NULL (and a log line) when @irq has no
 * action with @dev_id.
 */
const void *free_irq(unsigned int irq, void *dev_id);

/**
 * disable_irq_nosync() - mask @irq and don't wait for running handlers
 *
 * Nests: enable_irq() must be called as many times.
 * Context: any.
 */
void disable_irq_nosync(unsigned int irq);

/**
 * disable_irq() - disable_irq_nosync() and wait for running handlers and threads
 * Context: may sleep; not from @irq's own handler (it would wait for itself).
 */
void disable_irq(unsigned int irq);

/**
 * enable_irq() - undo one disable_irq(); the last one unmasks
 *
 * An unbalanced call (depth already 0), or one for an IRQ without
 * handler, is logged and ignored.  An edge that arrived while disabled
 * is replayed.
 * Context: any.
 */
void enable_irq(unsigned int irq);

/**
 * synchronize_irq() - wait until no handler or thread of @irq is running
 * Context: may sleep.
 */
void synchronize_irq(unsigned int irq);

/**
 * irq_set_affinity() - deliver @irq to a CPU of @cpumask from now on
 *
 * The vector moves at once; the old one stays valid until an interrupt
 * arrived on the new one and none is pending on the old one, so none is
 * lost (Documentation/irq.rst, "Affinity").
 * Context: any (spins on the IRQ's lock).  Return: 0; -EINVAL for a bad
 * IRQ or a mask without online CPU; -EBUSY while the previous move is
 * not complete; -ENOSPC without a free vector on those CPUs.
 */
int irq_set_affinity(unsigned int irq, const struct cpumask *cpumask);

/** irq_default_primary_handler() - the primary handler that wakes the thread */
irqreturn_t irq_default_primary_handler(int irq, void *dev_id);

/**
 * devm_request_threaded_irq() - request_threaded_irq() freed at unbind of @dev
 * Context: may sleep (probe).  Return: as request_threaded_irq(), or -ENOMEM.
 */
int devm_request_threaded_irq(struct device *dev, unsigned int irq, irq_handler_t handler,
			      irq_handler_t thread_fn, unsigned long irqflags,
			      const char *devname, void *dev_id);

/** devm_request_irq() - devm_request_threaded_irq() without a thread */
static inline int devm_request_irq(struct device *dev, unsigned int irq, irq_handler_t handler,
				   unsigned long irqflags, const char *devname, void *dev_id)
{
	return devm_request_threaded_irq(dev, irq, handler, NULL, irqflags, devname, dev_id);
}

/**
 * devm_free_irq() - free a devm_request_irq()ed IRQ before unbind
 * @dev: the device it was requested for
 * @irq: the IRQ
 * @dev_id: the cookie it was requested with
 *
 * free_irq() now, and forget the managed resource.  An IRQ that @dev did
 * not request with devm_ is left alone, with a log line (free_irq() is
 * for those).  Context: may sleep; from probe or remove, or with
 * device_lock() held, like every devres change (the list is unlocked).
 */
void devm_free_irq(struct device *dev, unsigned int irq, void *dev_id);

/**
 * irq_find_action() - the IRQ of an installed action that @match accepts
 * @match: called under the descriptor's lock (atomic) for each action
 * @arg: passed to @match
 * @name: set to the action's name when one is found
 * @size: bytes at @name
 *
 * A debug walk (the driver core checks at unbind that a driver freed its
 * IRQs).  Return: the IRQ number, or -ENOENT.
 */
int irq_find_action(bool (*match)(const struct irqaction *action, void *arg), void *arg,
		    char *name, size_t size);

/*
 * Softirqs (kernel/softirq.c), Linux's vectors and numbering.  A softirq
 * is a per-CPU deferred action: raise_softirq() marks it pending on this
 * CPU, and it runs on the same CPU at the exit of the outermost interrupt
 * (interrupts on, not preemptible, in_serving_softirq()), at the end of
 * a local_bh_disable() section, or in that CPU's ksoftirqd/<cpu> thread
 * when it keeps being raised.  A vector's action never nests on one CPU,
 * but may run on several CPUs at once: its data is per CPU or locked.
 */
enum {
	HI_SOFTIRQ = 0,
	TIMER_SOFTIRQ,
	NET_TX_SOFTIRQ,
	NET_RX_SOFTIRQ,
	BLOCK_SOFTIRQ,
	IRQ_POLL_SOFTIRQ,
	TASKLET_SOFTIRQ,
	SCHED_SOFTIRQ,
	HRTIMER_SOFTIRQ,
	RCU_SOFTIRQ,
	NR_SOFTIRQS
};

/**
 * struct softirq_action - a softirq vector's handler
 * @action: called with the vector's entry; softirq context, interrupts on
 */
struct softirq_action {
	void (*action)(struct softirq_action *);
};

/* This CPU's pending vectors (bit n: vector n). */
DECLARE_PER_CPU(unsigned int, __softirq_pending);
#define local_softirq_pending()	this_cpu_read(__softirq_pending)

/**
 * open_softirq() - install @action as vector @nr's handler
 *
 * Once, at boot, by the subsystem that owns the vector.  A second
 * installation or a bad @nr is logged and ignored.
 * Context: thread.
 */
void open_softirq(int nr, void (*action)(struct softirq_action *));

/**
 * raise_softirq_irqoff() - mark vector @nr pending on this CPU
 *
 * From thread context (no interrupt to exit), wakes ksoftirqd so it runs
 * soon.  Context: interrupts off.
 */
void raise_softirq_irqoff(unsigned int nr);

/** raise_softirq() - raise_softirq_irqoff() from any context */
void raise_softirq(unsigned int nr);

/**
 * irq_exit_softirq() - run pending softirqs at interrupt exit
 *
 * Called by the architecture's interrupt exit, interrupts off, hard
 * interrupt count already dropped, when local_softirq_pending(); does
 * nothing if the interrupt nested in another, a softirq or a
 * local_bh_disable() section (those run them when they end).
 */
void irq_exit_softirq(void);

/**
 * softirq_count_cpu() - how many times vector @nr ran on @cpu (for `softirqs`)
 * Context: any.
 */
unsigned long softirq_count_cpu(unsigned int cpu, unsigned int nr);

#endif /* _EXO_INTERRUPT_H */
