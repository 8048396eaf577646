// SPDX-License-Identifier: GPL-2.0
/* Hosted build: threads standing in for CPUs. */
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/percpu.h>
#include <exo/smp.h>
#include <asm/hosted.h>

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

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

struct ktest_worker_arg {
	void (*fn)(void *arg, unsigned int id);
	void *arg;
};

/*
 * Worker @id runs on host CPU @id modulo the host's CPUs: two workers of
 * a race test then really run at the same time whenever both are
 * runnable, instead of taking turns on one host CPU.
 */
static void ktest_worker(void *p)
{
	struct ktest_worker_arg *w = p;
	unsigned int id = smp_processor_id() - 1;
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	if (ncpus > 1) {
		CPU_ZERO(&set);
		CPU_SET(id % ncpus, &set);
		pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	}
	w->fn(w->arg, id);
}

/* The hosted ktest_run_on_cpus() (see <exo/ktest.h>): CPUs 1 .. @nr. */
int ktest_run_on_cpus(unsigned int nr, void (*fn)(void *arg, unsigned int id), void *arg)
{
	struct ktest_worker_arg w = { .fn = fn, .arg = arg };
	int err;

	nr = min(nr, (unsigned int)NR_CPUS - 1);
	err = hosted_run_on_cpus(1, nr, ktest_worker, &w);
	return err ? err : (int)nr;
}
