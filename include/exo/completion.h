/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Completions (kernel/sched/completion.c): "wait until this is done", as in
 * Linux.  One thread waits for an event another thread or an interrupt
 * signals:
 *
 *	DECLARE_COMPLETION(done);
 *	wait_for_completion(&done);	// waiter, may sleep
 *	complete(&done);		// signaller, any context
 *
 * A completion counts its complete() calls: each lets one wait through,
 * whether it came before or after the wait.  complete_all() lets every
 * present and future wait through until reinit_completion().
 * See Documentation/locking.rst.
 */
#ifndef _EXO_COMPLETION_H
#define _EXO_COMPLETION_H

#include <exo/types.h>
#include <exo/wait.h>

struct completion {
	unsigned int done;		/* complete()s not yet consumed; ~0U: all */
	struct wait_queue_head wait;
};

#define COMPLETION_INITIALIZER(n) { .done = 0, .wait = __WAIT_QUEUE_HEAD_INITIALIZER((n).wait) }
#define DECLARE_COMPLETION(n)	struct completion n = COMPLETION_INITIALIZER(n)

/**
 * init_completion() - initialise @x at run time, not done
 * @x: the completion
 */
void init_completion(struct completion *x);

/**
 * reinit_completion() - make a used completion not done again
 * @x: the completion, with no waiters
 */
static inline void reinit_completion(struct completion *x)
{
	WRITE_ONCE(x->done, 0);
}

/**
 * complete() - let one waiter of @x (present or future) through
 * @x: the completion
 *
 * Safe from any context.
 */
void complete(struct completion *x);

/**
 * complete_all() - let every waiter of @x through, until reinit_completion()
 * @x: the completion
 *
 * Safe from any context.
 */
void complete_all(struct completion *x);

/**
 * wait_for_completion() - sleep until @x is completed, and consume that
 * @x: the completion
 *
 * Thread context only (might_sleep()).
 */
void wait_for_completion(struct completion *x);

/**
 * wait_for_completion_timeout() - wait_for_completion() for at most @timeout
 * @x: the completion
 * @timeout: the longest wait, in jiffies (msecs_to_jiffies())
 *
 * Return: 0 if the time ran out, else the jiffies left (at least 1).
 */
unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout);

/**
 * try_wait_for_completion() - consume a completion of @x without sleeping
 * @x: the completion
 *
 * Return: true if @x was completed (and one completion is now used up),
 * false if waiting would have been needed.
 */
bool try_wait_for_completion(struct completion *x);

/**
 * completion_done() - would a wait on @x go through at once?
 * @x: the completion
 *
 * Return: true if @x has a completion not yet consumed.
 */
bool completion_done(struct completion *x);

#endif /* _EXO_COMPLETION_H */
