// SPDX-License-Identifier: GPL-2.0
/* Hosted build: threads standing in for CPUs. */
#include <exo/errno.h>
#include <exo/percpu.h>
#include <asm/hosted.h>

#include <pthread.h>

struct cpu_thread {
	pthread_t tid;
	unsigned int cpu;
	void (*fn)(void *);
	void *arg;
};

static void *cpu_thread_main(void *p)
{
	struct cpu_thread *t = p;

	hosted_set_cpu((int)t->cpu);
	hosted_task_begin("cpu-thread");
	t->fn(t->arg);
	hosted_task_end();
	return NULL;
}

int hosted_run_on_cpus(unsigned int first, unsigned int nr, void (*fn)(void *), void *arg)
{
	struct cpu_thread t[NR_CPUS];
	unsigned int started = 0;
	int err = 0;

	if (!nr || first + nr > NR_CPUS)
		return -EINVAL;
	for (; started < nr; started++) {
		t[started] = (struct cpu_thread){ .cpu = first + started, .fn = fn, .arg = arg };
		if (pthread_create(&t[started].tid, NULL, cpu_thread_main, &t[started])) {
			err = -EAGAIN;
			break;
		}
	}
	for (unsigned int i = 0; i < started; i++)
		pthread_join(t[i].tid, NULL);
	return err;
}
