// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler benchmarks: a context switch between two threads of one CPU.
 * The benchmark thread yields to a partner that yields straight back, so
 * one operation is two switches (the figure is per round trip).
 */
#include <exo/bench.h>
#include <exo/errno.h>
#include <exo/smp.h>
#include <exo/kthread.h>
#include <exo/sched.h>

static int partner(void *unused)
{
	while (!kthread_should_stop())
		yield();
	return 0;
}

static int switch_setup(struct bench *b)
{
	struct task_struct *t = kthread_create(partner, NULL, "bench-partner");

	if (!t)
		return -ENOMEM;
	kthread_bind(t, smp_processor_id());
	wake_up_process(t);
	b->priv = t;
	return 0;
}

static void switch_teardown(struct bench *b)
{
	kthread_stop(b->priv);
}

static void switch_run(struct bench *b, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++)
		yield();
}
DEFINE_BENCH_FULL(sched_yield_roundtrip, .desc = "yield to a thread that yields back (2 switches)",
		  .run = switch_run, .setup = switch_setup, .teardown = switch_teardown);
