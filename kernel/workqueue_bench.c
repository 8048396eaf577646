// SPDX-License-Identifier: GPL-2.0
/*
 * Workqueue benchmarks: queue_work_on() until the work has run, on the
 * benchmark's own CPU (wq_local_roundtrip: exact guest instructions under
 * -icount -smp 1) and on another CPU (wq_remote_roundtrip: needs 2+ CPUs,
 * so plain TCG emulation time, run by scripts/bench.sh with the IPIs).
 * One operation is queue_work_on(), the wake-up of the bound worker (a
 * reschedule IPI for another CPU), the switch to it and the work function
 * marking itself done.  On the same CPU the benchmark thread sleeps in
 * wait_for_completion() meanwhile (so the figure includes its wake-up and
 * switch back); for another CPU it spins on the work's flag, so the figure
 * is the latency from queueing to the work having run.
 */
#include <exo/bench.h>
#include <exo/completion.h>
#include <exo/errno.h>
#include <exo/smp.h>
#include <exo/workqueue.h>
#include <asm/processor.h>

struct wq_bench {
	struct workqueue_struct *wq;
	struct work_struct work;
	struct completion done;
	unsigned int cpu;
	bool spin;			/* wait by polling ran, not sleeping */
	bool ran;
};

static struct wq_bench wqb;

static void wq_bench_fn(struct work_struct *w)
{
	struct wq_bench *s = container_of(w, struct wq_bench, work);

	if (s->spin)
		smp_store_release(&s->ran, true);
	else
		complete(&s->done);
}

static int wq_bench_setup(struct bench *b, unsigned int cpu)
{
	wqb.wq = alloc_workqueue("bench", 0, 0);
	if (!wqb.wq)
		return -ENOMEM;
	INIT_WORK(&wqb.work, wq_bench_fn);
	init_completion(&wqb.done);
	wqb.cpu = cpu;
	wqb.spin = cpu != smp_processor_id();
	b->priv = &wqb;
	return 0;
}

static int wq_local_setup(struct bench *b)
{
	return wq_bench_setup(b, smp_processor_id());
}

static int wq_remote_setup(struct bench *b)
{
	unsigned int self = smp_processor_id(), cpu;

	for_each_online_cpu(cpu)
		if (cpu != self)
			return wq_bench_setup(b, cpu);
	return -ENODEV;
}

static void wq_bench_teardown(struct bench *b)
{
	struct wq_bench *s = b->priv;

	destroy_workqueue(s->wq);
}

static void wq_bench_run(struct bench *b, unsigned int ops)
{
	struct wq_bench *s = b->priv;

	for (unsigned int i = 0; i < ops; i++) {
		WRITE_ONCE(s->ran, false);
		queue_work_on(s->cpu, s->wq, &s->work);
		if (!s->spin)
			wait_for_completion(&s->done);
		else
			while (!smp_load_acquire(&s->ran))
				cpu_relax();
	}
}
DEFINE_BENCH_FULL(wq_local_roundtrip, .desc = "queue_work_on(this CPU) until the work ran",
		  .run = wq_bench_run, .setup = wq_local_setup, .teardown = wq_bench_teardown);
DEFINE_BENCH_FULL(wq_remote_roundtrip, .desc = "queue_work_on(other CPU) until the work ran",
		  .run = wq_bench_run, .setup = wq_remote_setup, .teardown = wq_bench_teardown,
		  .ops = 16, .batches = 41, .min_cpus = 2);
