// SPDX-License-Identifier: GPL-2.0
/*
 * The operations fence of a binding: dev_enter()/dev_exit() around every
 * operation a driver offers outside probe and remove, so that unbinding
 * (forced by `unbind`, a driver or module removal, or a device removal)
 * never runs remove() or frees the driver's resources under a caller.
 *
 * The scheme is Linux's drm_dev_enter()/drm_dev_unplug() with a counter in
 * place of SRCU: a caller increments dev->active, then checks dev->live; the
 * unbinder clears dev->live, then waits for dev->active to reach zero.  A
 * full barrier on each side (the Dekker pattern) guarantees that either
 * the caller sees !live and backs out, or the unbinder sees its count and
 * waits for its dev_exit().  The count is per device, the wait queue shared:
 * unbinding is rare, operations are not, and an operation only wakes the
 * queue when it leaves a device that is being unbound.
 *
 * The debug checks at unbind, as Linux's debugobjects on free: before the
 * core frees a managed memory block of the binding (devm_kzalloc()), every
 * device action released after it has run (a devm IRQ requested with the
 * block as dev_id is free by then), so an IRQ action whose dev_id, or an
 * armed timer or a queued or running work item that lies in the block,
 * is one the driver's remove() forgot.  It is reported (WARN, with the
 * driver's name) and then undone (free_irq(), del_timer_sync(),
 * cancel_work_sync()), so the leak costs a warning, not a use after free.
 * After the last block, an IRQ with the device or its driver data as dev_id
 * is reported only: another binding may share that pointer.  The passes
 * repeat (bounded) until one finds nothing, and skip the work item the
 * unbind itself runs from.
 */
#define pr_fmt(fmt) "device: " fmt

#include <exo/atomic.h>
#include <exo/bug.h>
#include <exo/device.h>
#include <exo/export.h>
#include <exo/interrupt.h>
#include <exo/jiffies.h>
#include <exo/sched.h>
#include <exo/timer.h>
#include <exo/wait.h>
#include <exo/workqueue.h>

#include "base.h"

static DECLARE_WAIT_QUEUE_HEAD(dev_active_wq);

bool dev_enter(struct device *dev)
{
	atomic_inc(&dev->active);
	smp_mb();	/* the increment before the check: pairs with dev_drain() */
	if (likely(READ_ONCE(dev->live)))
		return true;
	/*
	 * Our own remove() (a child it unregisters): the resources are still
	 * there.  In an interrupt, current is whichever task was interrupted
	 * (maybe the remover): an IRQ handler is never let in.
	 */
	if (!in_interrupt() && READ_ONCE(dev->remover) == current)
		return true;
	dev_exit(dev);
	return false;
}
EXPORT_SYMBOL_GPL(dev_enter);

void dev_exit(struct device *dev)
{
	/* atomic_dec_return() is a full barrier: the count, then !live. */
	if (atomic_dec_return(&dev->active) == 0 && !READ_ONCE(dev->live))
		wake_up_all(&dev_active_wq);
}
EXPORT_SYMBOL_GPL(dev_exit);

void dev_drain(struct device *dev)
{
	smp_mb();	/* !live (the caller's store) before reading the count */
	while (!wait_event_timeout(dev_active_wq, atomic_read(&dev->active) == 0, 5 * HZ))
		dev_warn(dev, "unbinding waits for %d operations in flight\n",
			 atomic_read(&dev->active));
}

static atomic_long_t unbind_leaks;

/* Bounds of the unbind checks: reports per pass, passes per unbind. */
#define CHECK_MAX_REPORTS	16
#define CHECK_MAX_PASSES	4

unsigned long device_unbind_leaks(void)
{
	return atomic_long_read(&unbind_leaks);
}

struct owned_range {
	unsigned long start, end;
	const void *a, *b;		/* also owned: exact pointers (dev, drvdata) */
	void *found;
	const void *skip;		/* the caller's own work item */
	void *seen[CHECK_MAX_REPORTS];	/* exact-pointer IRQs reported, not freed */
	unsigned int nr_seen;
};

/* Is @p owned by @r?  If so, @r remembers it (for the undo). */
static bool owned(struct owned_range *r, const void *p)
{
	unsigned long addr = (unsigned long)p;

	if (!((addr >= r->start && addr < r->end) || (p && (p == r->a || p == r->b))))
		return false;
	r->found = (void *)p;
	return true;
}

static bool in_range(const struct owned_range *r, const void *p)
{
	return (unsigned long)p >= r->start && (unsigned long)p < r->end;
}

static bool match_action(const struct irqaction *action, void *arg)
{
	struct owned_range *r = arg;

	for (unsigned int i = 0; i < r->nr_seen; i++)
		if (r->seen[i] == action->dev_id)
			return false;
	return owned(r, action->dev_id);
}

static bool match_timer(const struct timer_list *timer, void *arg)
{
	return owned(arg, timer);
}

static bool match_work(const struct work_struct *work, void *arg)
{
	struct owned_range *r = arg;

	/* The unbind may run from one of the driver's own work items. */
	return work != r->skip && owned(r, work);
}

static void leak(struct device *dev, const char *what, const char *name)
{
	atomic_long_inc(&unbind_leaks);
	dev_warn(dev, "driver %s left %s %s behind after remove(): undone by the core\n",
		 dev->driver ? dev->driver->name : "?", what, name);
	WARN_ON(1);
}

/*
 * One pass over IRQs, timers and work items owned by @r, reporting and
 * undoing each.  An IRQ found by its exact dev_id (the device or its
 * drvdata, which another binding may share) is reported only: free_irq()
 * could take that other binding's handler.  Return: how many were found.
 */
static unsigned int check_pass(struct device *dev, struct owned_range *r)
{
	void (*tfn)(struct timer_list *);
	unsigned int found = 0;
	work_func_t wfn;
	char name[32];
	int irq;

	while (found < CHECK_MAX_REPORTS &&
	       (irq = irq_find_action(match_action, r, name, sizeof(name))) >= 0) {
		found++;
		if (in_range(r, r->found)) {
			leak(dev, "IRQ handler", name);
			free_irq(irq, r->found);
		} else if (r->nr_seen < CHECK_MAX_REPORTS) {
			atomic_long_inc(&unbind_leaks);
			dev_warn(dev, "IRQ handler %s may be left behind after remove() (dev_id %p)\n",
				 name, r->found);
			r->seen[r->nr_seen++] = r->found;
		}
	}
	while (found < CHECK_MAX_REPORTS && timer_find_armed(match_timer, r, &tfn)) {
		found++;
		snprintf(name, sizeof(name), "%ps", tfn);
		leak(dev, "timer", name);
		del_timer_sync(r->found);
	}
	while (found < CHECK_MAX_REPORTS && work_find_busy(match_work, r, &wfn)) {
		found++;
		snprintf(name, sizeof(name), "%ps", wfn);
		leak(dev, "work item", name);
		cancel_work_sync(r->found);
	}
	return found;
}

/*
 * Report and undo what the driver left armed in @r; thread context.  A
 * work item cancelled late may have re-armed a timer (and a timer queued
 * work), so passes repeat until one finds nothing, a bounded number of
 * times: an item that re-arms itself forever is reported, not chased.
 */
static void check_range(struct device *dev, struct owned_range *r)
{
	r->skip = current_work();
	for (unsigned int pass = 0; pass < CHECK_MAX_PASSES; pass++)
		if (!check_pass(dev, r))
			return;
	atomic_long_inc(&unbind_leaks);
	dev_err(dev, "driver %s: timers or work still re-arming after %u passes\n",
		dev->driver ? dev->driver->name : "?", CHECK_MAX_PASSES);
}

void devres_check_block(struct device *dev, const void *p, size_t size)
{
	struct owned_range r = { .start = (unsigned long)p, .end = (unsigned long)p + size };

	if (IS_ENABLED(CONFIG_DEBUG_DRIVER_UNBIND))
		check_range(dev, &r);
}

void device_unbind_checks(struct device *dev, const void *drvdata)
{
	struct owned_range r = { .a = dev, .b = drvdata };

	if (IS_ENABLED(CONFIG_DEBUG_DRIVER_UNBIND))
		check_range(dev, &r);
}
