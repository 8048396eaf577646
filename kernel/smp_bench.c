// SPDX-License-Identifier: GPL-2.0
/*
 * SMP benchmarks: uncontended spinlock pairs (guest instructions under
 * -icount, -smp 1) and cross-CPU call latency (needs 2+ CPUs, so plain TCG:
 * emulation time, reported as such by scripts/bench.sh).  The IPI benches
 * also print how many IPIs and calls one operation cost, as counts.
 */
#include <exo/bench.h>
#include <exo/smp.h>
#include <exo/spinlock.h>

static DEFINE_SPINLOCK(bench_lock);

static void spin_pair_run(struct bench *b, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++) {
		spin_lock(&bench_lock);
		spin_unlock(&bench_lock);
	}
}
DEFINE_BENCH(spinlock_pair, "spin_lock+spin_unlock, uncontended", spin_pair_run);

static void spin_irqsave_run(struct bench *b, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++) {
		unsigned long flags;

		spin_lock_irqsave(&bench_lock, flags);
		spin_unlock_irqrestore(&bench_lock, flags);
	}
}
DEFINE_BENCH(spinlock_irqsave_pair, "spin_lock_irqsave+spin_unlock_irqrestore", spin_irqsave_run);

static void empty_call(void *unused)
{
}

struct ipi_bench {
	unsigned long ops;
	struct smp_cpu_stats before;
};

static struct ipi_bench ipi_state;

static void sum_stats(struct smp_cpu_stats *sum)
{
	unsigned int cpu;

	*sum = (struct smp_cpu_stats){ 0 };
	for_each_online_cpu(cpu) {
		struct smp_cpu_stats st;

		smp_cpu_stats(cpu, &st);
		sum->ipi_sent += st.ipi_sent;
		sum->calls_sent += st.calls_sent;
	}
}

static int ipi_setup(struct bench *b)
{
	ipi_state.ops = 0;
	sum_stats(&ipi_state.before);
	b->priv = &ipi_state;
	return 0;
}

static void ipi_teardown(struct bench *b)
{
	struct ipi_bench *s = b->priv;
	struct smp_cpu_stats now;

	sum_stats(&now);
	if (!s->ops)
		return;
	printk("bench %-28s IPIs/op=%lu.%02lu calls/op=%lu.%02lu\n", b->def->name,
	       (now.ipi_sent - s->before.ipi_sent) / s->ops,
	       (now.ipi_sent - s->before.ipi_sent) * 100 / s->ops % 100,
	       (now.calls_sent - s->before.calls_sent) / s->ops,
	       (now.calls_sent - s->before.calls_sent) * 100 / s->ops % 100);
}

static void ipi_one_run(struct bench *b, unsigned int ops)
{
	struct ipi_bench *s = b->priv;
	unsigned int target = cpumask_next(0, &cpu_online_mask);

	for (unsigned int i = 0; i < ops; i++)
		smp_call_function_single(target, empty_call, NULL, true);
	s->ops += ops;
}
DEFINE_BENCH_FULL(ipi_one_other_wait, .desc = "call an empty function on CPU 1 and wait",
		  .run = ipi_one_run, .setup = ipi_setup, .teardown = ipi_teardown,
		  .ops = 16, .batches = 41, .min_cpus = 2);

static void ipi_all_run(struct bench *b, unsigned int ops)
{
	struct ipi_bench *s = b->priv;

	for (unsigned int i = 0; i < ops; i++)
		smp_call_function(empty_call, NULL, true);
	s->ops += ops;
}
DEFINE_BENCH_FULL(ipi_all_others_wait, .desc = "call an empty function on all other CPUs, wait",
		  .run = ipi_all_run, .setup = ipi_setup, .teardown = ipi_teardown,
		  .ops = 16, .batches = 41, .min_cpus = 2);
