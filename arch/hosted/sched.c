// SPDX-License-Identifier: GPL-2.0
/*
 * Hosted build: the little of the scheduler that per-thread state needs.
 * Each host thread that acts as a CPU (hosted_run_on_cpus(), or the main
 * thread after hosted_task_begin()) gets its own struct task_struct as
 * `current`, so the thread-local kmalloc tier sees one owner per thread,
 * as in the kernel.  hosted_task_end() runs the exit hooks, like
 * kthread_exit().
 */
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <asm/hosted.h>

#include <pthread.h>
#include <stdlib.h>

DEFINE_PER_CPU(struct task_struct *, current_task);

static struct task_exit_hook *exit_hooks;
static pthread_mutex_t hooks_lock = PTHREAD_MUTEX_INITIALIZER;

void register_task_exit_hook(struct task_exit_hook *h)
{
	pthread_mutex_lock(&hooks_lock);
	h->next = exit_hooks;
	exit_hooks = h;
	pthread_mutex_unlock(&hooks_lock);
}

bool sched_ready(void)
{
	return true;
}

struct task_struct *hosted_task_begin(const char *name)
{
	struct task_struct *t = calloc(1, sizeof(*t));

	if (!t)
		abort();
	t->cpu = this_cpu_read(cpu_number);
	t->state = TASK_RUNNING;
	t->flags = PF_KTHREAD;
	strlcpy(t->comm, name, sizeof(t->comm));
	this_cpu_write(current_task, t);
	return t;
}

void hosted_task_end(void)
{
	struct task_struct *t = this_cpu_read(current_task);

	if (!t)
		return;
	for (struct task_exit_hook *h = exit_hooks; h; h = h->next)
		h->fn(t);
	this_cpu_write(current_task, NULL);
	free(t);
}
