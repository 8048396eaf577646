// SPDX-License-Identifier: GPL-2.0
/*
 * ktest_run_on_cpus(): the workers of a concurrency test, one kernel
 * thread bound to each CPU.  The hosted build has its own version on host
 * threads (arch/hosted/threads.c), so that a test body is the same in both.
 */
#include <exo/errno.h>
#include <exo/ktest.h>
#include <exo/kthread.h>
#include <exo/sched.h>
#include <exo/smp.h>

struct ktest_worker {
	void (*fn)(void *arg, unsigned int id);
	void *arg;
	unsigned int id;
};

static int ktest_worker_fn(void *p)
{
	struct ktest_worker *w = p;

	/* Stopped before it was ever woken: a sibling failed to start. */
	if (!kthread_should_stop())
		w->fn(w->arg, w->id);
	return 0;
}

/* Run @fn on up to @nr online CPUs at once; see <exo/ktest.h>. */
int ktest_run_on_cpus(unsigned int nr, void (*fn)(void *arg, unsigned int id), void *arg)
{
	static struct ktest_worker w[NR_CPUS];
	static struct task_struct *th[NR_CPUS];
	unsigned int cpus[NR_CPUS], n = 0, self = smp_processor_id(), cpu;
	int err = 0;

	/* The caller's CPU last: it runs its worker only once we sleep. */
	for_each_online_cpu(cpu)
		if (cpu != self && n < nr)
			cpus[n++] = cpu;
	if (n < nr)
		cpus[n++] = self;
	for (unsigned int i = 0; i < n; i++) {
		w[i] = (struct ktest_worker){ .fn = fn, .arg = arg, .id = i };
		th[i] = kthread_create(ktest_worker_fn, &w[i], "ktest/%u", cpus[i]);
		if (!th[i] || kthread_bind(th[i], cpus[i])) {
			err = th[i] ? -EINVAL : -ENOMEM;
			if (th[i])
				kthread_stop(th[i]);
			/* Nothing was woken yet: stop the ones created. */
			while (i--)
				kthread_stop(th[i]);
			return err;
		}
	}
	for (unsigned int i = 0; i < n; i++)
		wake_up_process(th[i]);
	for (unsigned int i = 0; i < n; i++)
		if (kthread_join(th[i]))
			err = -EIO;
	return err ? err : (int)n;
}
