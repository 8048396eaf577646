// SPDX-License-Identifier: GPL-2.0
/*
 * Completions, on a wait queue: the count of complete()s is changed under
 * the queue's lock, and a waiter consumes one in the condition of its
 * wait_event(), so a complete() before the wait is not lost and each one
 * lets exactly one wait through.  complete() wakes every waiter; those that
 * find the count used up by another sleep again.  The wake-up is done
 * before the lock is dropped: a waiter that sees the count may return and
 * free the completion (one on its stack) as soon as it can take the lock.
 */
#include <exo/completion.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/lockdep.h>
#include <exo/sched.h>
#include <exo/wait.h>

#define COMPLETE_ALL	(~0U)

void init_completion(struct completion *x)
{
	x->done = 0;
	init_waitqueue_head(&x->wait);
}
EXPORT_SYMBOL(init_completion);

void complete(struct completion *x)
{
	unsigned long flags;

	spin_lock_irqsave(&x->wait.lock, flags);
	if (x->done != COMPLETE_ALL)
		x->done++;
	wake_up_locked(&x->wait);
	spin_unlock_irqrestore(&x->wait.lock, flags);
}
EXPORT_SYMBOL(complete);

void complete_all(struct completion *x)
{
	unsigned long flags;

	spin_lock_irqsave(&x->wait.lock, flags);
	x->done = COMPLETE_ALL;
	wake_up_locked(&x->wait);
	spin_unlock_irqrestore(&x->wait.lock, flags);
}
EXPORT_SYMBOL(complete_all);

bool try_wait_for_completion(struct completion *x)
{
	unsigned long flags;
	bool ret = false;

	if (!READ_ONCE(x->done))
		return false;
	spin_lock_irqsave(&x->wait.lock, flags);
	if (x->done) {
		if (x->done != COMPLETE_ALL)
			x->done--;
		ret = true;
	}
	spin_unlock_irqrestore(&x->wait.lock, flags);
	return ret;
}
EXPORT_SYMBOL(try_wait_for_completion);

bool completion_done(struct completion *x)
{
	return READ_ONCE(x->done) != 0;
}
EXPORT_SYMBOL(completion_done);

void wait_for_completion(struct completion *x)
{
	wait_event(x->wait, try_wait_for_completion(x));
}
EXPORT_SYMBOL(wait_for_completion);

unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout)
{
	might_sleep();
	return wait_event_timeout(x->wait, try_wait_for_completion(x),
				  (long)min(timeout, (unsigned long)MAX_SCHEDULE_TIMEOUT));
}
EXPORT_SYMBOL(wait_for_completion_timeout);
