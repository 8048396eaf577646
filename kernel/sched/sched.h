/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals shared by kernel/sched/core.c, kernel/kthread.c and switch.S;
 * nothing outside those files may use them.
 */
#ifndef _KERNEL_SCHED_SCHED_H
#define _KERNEL_SCHED_SCHED_H

#include <exo/sched.h>

/* Arch (x86: switch.S): returns, in next's context, the previous thread. */
struct task_struct *__switch_to(struct task_struct *prev, struct task_struct *next);

/* core.c */
void set_current_dead(void);
void schedule_tail(struct task_struct *prev) __releases(rq->lock);
int idle_thread_fn(void *unused);

/* kthread.c */
void kthread_register(struct task_struct *t);
void kthread_reap(struct task_struct *t);
void kthread_main(struct task_struct *t);
struct task_struct *kthread_create_idle(unsigned int cpu);

#endif /* _KERNEL_SCHED_SCHED_H */
