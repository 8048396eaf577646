/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel threads (kernel/kthread.c).
 *
 *	struct task_struct *t = kthread_create(worker, arg, "worker%u", i);
 *	kthread_bind(t, cpu);			// optional, before it runs
 *	wake_up_process(t);			// or kthread_run() for both
 *	...
 *	err = kthread_join(t);			// its return value; t is freed
 *
 * Each thread has its own stack with an unmapped guard page below it (an
 * overflow faults instead of corrupting memory).  A thread that nobody will
 * join is created with kthread_detach() and freed when it exits.
 */
#ifndef _EXO_KTHREAD_H
#define _EXO_KTHREAD_H

#include <exo/compiler.h>
#include <exo/sched.h>

#define KTHREAD_STACK_SIZE	(16 * 1024)

/**
 * kthread_create() - create a thread that will run @fn(@arg)
 * @fn: its body; its return value is the thread's exit code
 * @arg: argument
 * @namefmt: printf-style name
 *
 * The thread does not run until wake_up_process().  It is placed on the
 * online CPUs round-robin unless kthread_bind() says otherwise.
 * Return: the thread, or NULL without memory (logged).
 */
struct task_struct *kthread_create(int (*fn)(void *arg), void *arg, const char *namefmt, ...)
	__printf(3, 4);

/* kthread_create() + wake_up_process(). */
#define kthread_run(fn, arg, ...) ({					\
	struct task_struct *__t = kthread_create(fn, arg, __VA_ARGS__);	\
	if (__t)							\
		wake_up_process(__t);					\
	__t;								\
})

/**
 * kthread_bind() - run a new thread on @cpu only
 * @t: a thread not yet woken
 * @cpu: an online CPU
 *
 * Return: 0; -EINVAL if @cpu is not online; -EBUSY if @t already ran.
 */
int kthread_bind(struct task_struct *t, unsigned int cpu);

/**
 * kthread_join() - wait for @t to exit and free it
 * @t: a thread that is not detached; nobody else may use @t afterwards
 *
 * Return: @t's exit code.
 */
int kthread_join(struct task_struct *t);

/**
 * kthread_stop() - ask @t to stop and join it
 * @t: a thread that polls kthread_should_stop()
 *
 * Return: @t's exit code.
 */
int kthread_stop(struct task_struct *t);

/* True once kthread_stop() was called for the current thread. */
bool kthread_should_stop(void);

/**
 * kthread_detach() - nobody will join @t: free it when it exits
 * @t: a thread created by kthread_create() and not yet woken
 */
void kthread_detach(struct task_struct *t);

/**
 * kthread_exit() - end the current thread with @code
 * @code: exit code for kthread_join()
 */
void __noreturn kthread_exit(int code);

#endif /* _EXO_KTHREAD_H */
