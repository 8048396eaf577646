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
 */
#define pr_fmt(fmt) "device: " fmt

#include <exo/atomic.h>
#include <exo/device.h>
#include <exo/export.h>
#include <exo/jiffies.h>
#include <exo/wait.h>

#include "base.h"

static DECLARE_WAIT_QUEUE_HEAD(dev_active_wq);

bool dev_enter(struct device *dev)
{
	atomic_inc(&dev->active);
	smp_mb();	/* the increment before the check: pairs with dev_drain() */
	if (likely(READ_ONCE(dev->live)))
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
