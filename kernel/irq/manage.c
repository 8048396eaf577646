// SPDX-License-Identifier: GPL-2.0
/*
 * The driver API: request_threaded_irq(), free_irq(), disable/enable,
 * synchronize_irq(), irq_set_affinity() and the handler threads.
 *
 * Requests and frees of an IRQ are serialized by its desc->request_mutex
 * (they sleep: waiting for handlers, stopping a thread), so a slow free of
 * one IRQ never holds up another's; each IRQ's state by its desc->lock,
 * which interrupt context takes too.
 */
#define pr_fmt(fmt) "irq: " fmt

#include <exo/bitmap.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kthread.h>
#include <exo/mutex.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <asm/processor.h>
#include "internal.h"

irqreturn_t irq_default_primary_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	return IRQ_WAKE_THREAD;
}
EXPORT_SYMBOL_GPL(irq_default_primary_handler);

/*
 * A oneshot thread finished: drop its bit, and unmask once none is left.
 * If the hard handler runs right now (on another CPU), wait: it may be
 * about to set the bit again, and unmasking under it would let a level
 * line fire into a handler that has not finished.
 */
void irq_finalize_oneshot(struct irq_desc *desc, struct irqaction *action)
{
	unsigned long flags;

	if (!(action->flags & IRQF_ONESHOT))
		return;
	for (;;) {
		spin_lock_irqsave(&desc->lock, flags);
		if (!(desc->istate & IRQS_INPROGRESS))
			break;
		spin_unlock_irqrestore(&desc->lock, flags);
		cpu_relax();
	}
	if (!test_bit(IRQTF_RUNTHREAD, &action->thread_flags)) {
		__atomic_fetch_and(&desc->threads_oneshot, ~action->thread_mask, __ATOMIC_SEQ_CST);
		if (!desc->threads_oneshot && !(desc->istate & IRQS_DISABLED) &&
		    (desc->istate & IRQS_ONESHOT))
			unmask_irq(desc);
	}
	spin_unlock_irqrestore(&desc->lock, flags);
}

static int irq_thread(void *data)
{
	struct irqaction *action = data;
	struct irq_desc *desc = irq_to_desc(action->irq);

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		if (!test_and_clear_bit(IRQTF_RUNTHREAD, &action->thread_flags)) {
			schedule();
			continue;
		}
		__set_current_state(TASK_RUNNING);
		action->thread_fn(action->irq, action->dev_id);
		irq_finalize_oneshot(desc, action);
		if (atomic_dec_and_test(&desc->threads_active))
			wake_up(&desc->wait_for_threads);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* Under desc->lock: may @new join the actions already there? */
static int irq_check_share(struct irq_desc *desc, struct irqaction *new)
{
	struct irqaction *old = desc->action;

	if (!old)
		return 0;
	if (!(old->flags & new->flags & IRQF_SHARED) ||
	    (old->flags ^ new->flags) & (IRQF_ONESHOT | IRQF_TRIGGER_MASK)) {
		pr_err("IRQ %u: %s cannot share it with %s (flags %#x vs %#x)\n",
		       desc->irq_data.irq, new->name, old->name, new->flags, old->flags);
		return -EBUSY;
	}
	return 0;
}

/* Under desc->lock: a oneshot bit for @new that no other action uses. */
static int irq_pick_thread_mask(struct irq_desc *desc, struct irqaction *new)
{
	unsigned long used = 0;

	if (!(new->flags & IRQF_ONESHOT) || !new->thread_fn)
		return 0;
	for (struct irqaction *a = desc->action; a; a = a->next)
		used |= a->thread_mask;
	if (used == ~0ul) {
		pr_err("IRQ %u: too many oneshot threads\n", desc->irq_data.irq);
		return -EBUSY;
	}
	new->thread_mask = 1ul << __builtin_ctzl(~used);
	return 0;
}

static int setup_irq_locked(struct irq_desc *desc, struct irqaction *new)
{
	struct irqaction **p;
	int ret;

	ret = irq_check_share(desc, new);
	if (!ret)
		ret = irq_pick_thread_mask(desc, new);
	if (ret)
		return ret;
	if (!desc->action) {
		if ((new->flags & IRQF_TRIGGER_MASK) &&
		    (ret = __irq_set_trigger(desc, new->flags & IRQF_TRIGGER_MASK)))
			return ret;
		desc->irq_count = 0;
		desc->irqs_unhandled = 0;
		if (new->flags & IRQF_ONESHOT)
			desc->istate |= IRQS_ONESHOT;
		/* Published first: the first interrupt may come as soon as it is unmasked. */
		WRITE_ONCE(desc->action, new);
		ret = irq_startup(desc);
		if (ret) {
			WRITE_ONCE(desc->action, NULL);
			desc->istate &= ~IRQS_ONESHOT;
		}
		return ret;
	}
	for (p = &desc->action; *p; p = &(*p)->next)
		;
	WRITE_ONCE(*p, new);
	return 0;
}

static int request_check(unsigned int irq, struct irq_desc *desc, irq_handler_t handler,
			 irq_handler_t thread_fn, unsigned long flags, const char *name,
			 void *dev_id)
{
	const char *why = NULL;

	if (!desc)
		why = "no such IRQ";
	else if (!desc->irq_data.chip || !desc->handle_irq)
		why = "no chip or flow handler";
	else if (!handler && !thread_fn)
		why = "no handler";
	else if ((flags & IRQF_SHARED) && !dev_id)
		why = "IRQF_SHARED without dev_id";
	else if (!handler && !(flags & IRQF_ONESHOT))
		why = "threaded without primary handler needs IRQF_ONESHOT";
	if (!why)
		return 0;
	pr_err("request_irq(%u, %s): %s\n", irq, name ? name : "?", why);
	return -EINVAL;
}

int request_threaded_irq(unsigned int irq, irq_handler_t handler, irq_handler_t thread_fn,
			 unsigned long irqflags, const char *devname, void *dev_id)
{
	struct irq_desc *desc = irq_to_desc(irq);
	struct irqaction *action;
	unsigned long flags;
	int ret;

	ret = request_check(irq, desc, handler, thread_fn, irqflags, devname, dev_id);
	if (ret)
		return ret;
	action = kzalloc(sizeof(*action), GFP_KERNEL);
	if (!action)
		return -ENOMEM;
	action->handler = handler ? handler : irq_default_primary_handler;
	action->thread_fn = thread_fn;
	action->flags = irqflags;
	action->name = devname;
	action->dev_id = dev_id;
	action->irq = irq;
	if (thread_fn) {
		action->thread = kthread_create(irq_thread, action, "irq/%u-%s", irq, devname);
		if (!action->thread) {
			kfree(action);
			return -ENOMEM;
		}
		wake_up_process(action->thread);	/* it sleeps until woken by a handler */
	}
	mutex_lock(&desc->request_mutex);
	spin_lock_irqsave(&desc->lock, flags);
	ret = setup_irq_locked(desc, action);
	spin_unlock_irqrestore(&desc->lock, flags);
	mutex_unlock(&desc->request_mutex);
	if (ret) {
		pr_err("request_irq(%u, %s): %d\n", irq, devname, ret);
		if (action->thread)
			kthread_stop(action->thread);
		kfree(action);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(request_threaded_irq);

static void wait_for_hardirq(struct irq_desc *desc)
{
	unsigned long flags;
	bool running;

	do {
		while (READ_ONCE(desc->istate) & IRQS_INPROGRESS)
			cpu_relax();
		spin_lock_irqsave(&desc->lock, flags);
		running = desc->istate & IRQS_INPROGRESS;
		spin_unlock_irqrestore(&desc->lock, flags);
	} while (running);
}

void synchronize_irq(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);

	if (!desc)
		return;
	wait_for_hardirq(desc);
	wait_event(desc->wait_for_threads, !atomic_read(&desc->threads_active));
}
EXPORT_SYMBOL_GPL(synchronize_irq);

const void *free_irq(unsigned int irq, void *dev_id)
{
	struct irq_desc *desc = irq_to_desc(irq);
	struct irqaction *action = NULL, **p;
	const char *name;
	unsigned long flags;

	if (!desc) {
		pr_err("free_irq(%u): no such IRQ\n", irq);
		return NULL;
	}
	mutex_lock(&desc->request_mutex);
	spin_lock_irqsave(&desc->lock, flags);
	for (p = &desc->action; *p; p = &(*p)->next) {
		if ((*p)->dev_id == dev_id) {
			action = *p;
			WRITE_ONCE(*p, action->next);
			break;
		}
	}
	if (action && !desc->action)
		irq_shutdown(desc);
	spin_unlock_irqrestore(&desc->lock, flags);
	if (!action) {
		mutex_unlock(&desc->request_mutex);
		pr_err("free_irq(%u): no action with dev_id %p\n", irq, dev_id);
		return NULL;
	}
	/* A handler may still run the action on another CPU, or its thread. */
	synchronize_irq(irq);
	if (action->thread)
		kthread_stop(action->thread);
	mutex_unlock(&desc->request_mutex);
	name = action->name;
	kfree(action);
	return name;
}
EXPORT_SYMBOL_GPL(free_irq);

void disable_irq_nosync(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;

	if (!desc) {
		pr_err("disable_irq(%u): no such IRQ\n", irq);
		return;
	}
	spin_lock_irqsave(&desc->lock, flags);
	if (!desc->depth++) {
		desc->istate |= IRQS_DISABLED;
		if (desc->irq_data.chip)
			mask_irq(desc);
	}
	spin_unlock_irqrestore(&desc->lock, flags);
}
EXPORT_SYMBOL_GPL(disable_irq_nosync);

void disable_irq(unsigned int irq)
{
	disable_irq_nosync(irq);
	synchronize_irq(irq);
}
EXPORT_SYMBOL_GPL(disable_irq);

void enable_irq(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;

	if (!desc) {
		pr_err("enable_irq(%u): no such IRQ\n", irq);
		return;
	}
	spin_lock_irqsave(&desc->lock, flags);
	if (!desc->depth || !desc->action) {
		spin_unlock_irqrestore(&desc->lock, flags);
		pr_err("enable_irq(%u): unbalanced enable, or no handler\n", irq);
		return;
	}
	if (!--desc->depth && desc->action && (desc->istate & IRQS_STARTED)) {
		desc->istate &= ~(IRQS_DISABLED | IRQS_SPURIOUS_DISABLED);
		if (!desc->threads_oneshot)
			unmask_irq(desc);
		/*
		 * An edge that came while disabled was only latched here:
		 * replay it, under the lock, so that a concurrent move or
		 * free_irq() cannot leave it aimed at a vector no longer ours.
		 */
		if ((desc->istate & IRQS_PENDING) && !(desc->irq_data.type & IRQ_TYPE_LEVEL_MASK))
			x86_vector_retrigger(desc);
	}
	spin_unlock_irqrestore(&desc->lock, flags);
}
EXPORT_SYMBOL_GPL(enable_irq);

int irq_set_affinity(unsigned int irq, const struct cpumask *cpumask)
{
	struct irq_desc *desc = irq_to_desc(irq);
	struct irq_data *d;
	unsigned long flags;
	unsigned int cpu;
	int ret = -EINVAL;

	if (!desc || !cpumask)
		goto bad;
	for_each_online_cpu(cpu)
		if (cpumask_test_cpu(cpu, cpumask))
			ret = 0;
	if (ret)
		goto bad;
	d = &desc->irq_data;
	spin_lock_irqsave(&desc->lock, flags);
	if ((desc->istate & IRQS_STARTED) && !cpumask_test_cpu(desc->cfg.cpu, cpumask))
		ret = d->chip->irq_set_affinity ? d->chip->irq_set_affinity(d, cpumask, false)
						: x86_vector_set_affinity(desc, cpumask);
	if (!ret)
		d->affinity = *cpumask;
	spin_unlock_irqrestore(&desc->lock, flags);
	return ret;
bad:
	pr_err("irq_set_affinity(%u): no such IRQ or no online CPU in the mask\n", irq);
	return -EINVAL;
}
EXPORT_SYMBOL_GPL(irq_set_affinity);

int irq_set_affinity_spread(unsigned int irq, unsigned int cnt)
{
	unsigned int cpu = cpumask_next(-1, &cpu_online_mask);

	for (unsigned int i = 0; i < cnt; i++) {
		struct cpumask m = {};
		int ret;

		cpumask_set_cpu(cpu, &m);
		ret = irq_set_affinity(irq + i, &m);
		if (ret)
			return ret;
		cpu = cpumask_next(cpu, &cpu_online_mask);
		if (cpu >= NR_CPUS)
			cpu = cpumask_next(-1, &cpu_online_mask);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(irq_set_affinity_spread);
