// SPDX-License-Identifier: GPL-2.0
/*
 * Wait queues.  A sleeper joins the queue and marks itself sleeping under
 * the queue lock before it re-tests its condition; a waker changes the
 * condition first and then wakes everyone queued, so either the sleeper
 * sees the new condition or the waker sees the sleeper.
 */
#include <exo/export.h>
#include <exo/sched.h>
#include <exo/wait.h>

void init_waitqueue_head(struct wait_queue_head *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->head);
}
EXPORT_SYMBOL_GPL(init_waitqueue_head);

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *wait, int state)
{
	unsigned long flags;

	wait->task = current;
	spin_lock_irqsave(&wq->lock, flags);
	if (list_empty(&wait->entry))
		list_add_tail(&wait->entry, &wq->head);
	set_current_state(state);
	spin_unlock_irqrestore(&wq->lock, flags);
}
EXPORT_SYMBOL_GPL(prepare_to_wait);

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *wait)
{
	unsigned long flags;

	__set_current_state(TASK_RUNNING);
	spin_lock_irqsave(&wq->lock, flags);
	if (!list_empty(&wait->entry))
		list_del_init(&wait->entry);
	spin_unlock_irqrestore(&wq->lock, flags);
}
EXPORT_SYMBOL_GPL(finish_wait);

unsigned int wake_up_locked(struct wait_queue_head *wq)
{
	struct wait_queue_entry *w;
	unsigned int n = 0;

	list_for_each_entry(w, &wq->head, entry)
		n += wake_up_process(w->task);
	return n;
}
EXPORT_SYMBOL_GPL(wake_up_locked);

unsigned int wake_up(struct wait_queue_head *wq)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&wq->lock, flags);
	n = wake_up_locked(wq);
	spin_unlock_irqrestore(&wq->lock, flags);
	return n;
}
EXPORT_SYMBOL_GPL(wake_up);
