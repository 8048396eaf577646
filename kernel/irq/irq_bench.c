// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmarks of the interrupt path through the IRQ core, raised by a
 * self-IPI (no device needed):
 *
 *   irq_selfipi_sysvec     a system vector (set_irq_handler(): entry and
 *                          the handler only), the floor
 *   irq_selfipi_request    a request_irq() handler: the same plus the
 *                          per-CPU vector table, the edge flow, the
 *                          descriptor lock and the action walk
 *   irq_threaded_wakeup    from the self-IPI to the end of the IRQ's
 *                          thread function (wake-up and context switches)
 *
 * Each operation sends the IPI with interrupts off and takes it when they
 * are turned back on, so the figure covers ICR write, entry, dispatch,
 * handler, EOI and return.
 */
#include <exo/bench.h>
#include <exo/interrupt.h>
#include <exo/irq.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/time.h>
#include <asm/apic.h>
#include <asm/smp.h>
#include <asm/traps.h>

#define BENCH_SYSVEC	0x98

struct irq_bench {
	unsigned int irq;
	unsigned long count;
	struct msi_msg msg;
};

static struct irq_bench ib;

static void ib_noop(struct irq_data *d)
{
	(void)d;
}

static void ib_write_msg(struct irq_data *d, struct msi_msg *msg)
{
	(void)d;
	ib.msg = *msg;
}

static struct irq_chip bench_chip = {
	.name			= "bench",
	.irq_mask		= ib_noop,
	.irq_unmask		= ib_noop,
	.irq_ack		= apic_ack_irq,
	.irq_write_msi_msg	= ib_write_msg,
};

/* One self-IPI of @vector, taken when interrupts come back on. */
static void self_ipi(unsigned int vector)
{
	local_irq_disable();
	apic_send_ipi(cpu_to_apicid(smp_processor_id()), vector);
	local_irq_enable();
}

static void sysvec_handler(struct pt_regs *regs)
{
	(void)regs;
	ib.count++;
	apic_eoi();
}

static int sysvec_setup(struct bench *b)
{
	(void)b;
	return set_irq_handler(BENCH_SYSVEC, sysvec_handler);
}

static void sysvec_teardown(struct bench *b)
{
	(void)b;
	set_irq_handler(BENCH_SYSVEC, NULL);
}

static void sysvec_run(struct bench *b, unsigned int ops)
{
	(void)b;
	for (unsigned int i = 0; i < ops; i++)
		self_ipi(BENCH_SYSVEC);
}
DEFINE_BENCH_FULL(irq_selfipi_sysvec, .desc = "self-IPI to a set_irq_handler() vector",
		  .setup = sysvec_setup, .teardown = sysvec_teardown, .run = sysvec_run);

static irqreturn_t bench_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	ib.count++;
	return IRQ_HANDLED;
}

static irqreturn_t bench_wake(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	return IRQ_WAKE_THREAD;
}

static irqreturn_t bench_thread_fn(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	WRITE_ONCE(ib.count, ib.count + 1);
	return IRQ_HANDLED;
}

/* An IRQ of the bench chip on this CPU, with @handler (and @thread_fn). */
static int bench_irq_setup(irq_handler_t handler, irq_handler_t thread_fn)
{
	struct cpumask here = {};
	int irq = irq_alloc_descs(-1, 0, 1, NUMA_NO_NODE);
	int ret;

	if (irq < 0)
		return irq;
	ib.irq = irq;
	cpumask_set_cpu(smp_processor_id(), &here);
	irq_set_chip_and_handler_name(irq, &bench_chip, handle_edge_irq, "edge");
	irq_set_affinity(irq, &here);
	ret = request_threaded_irq(irq, handler, thread_fn, thread_fn ? IRQF_ONESHOT : 0,
				   "bench", &ib);
	if (ret)
		irq_free_descs(irq, 1);
	return ret;
}

static void bench_irq_teardown(struct bench *b)
{
	(void)b;
	free_irq(ib.irq, &ib);
	irq_free_descs(ib.irq, 1);
}

static int request_setup(struct bench *b)
{
	(void)b;
	return bench_irq_setup(bench_handler, NULL);
}

static void request_run(struct bench *b, unsigned int ops)
{
	(void)b;
	for (unsigned int i = 0; i < ops; i++)
		self_ipi(msi_msg_vector(&ib.msg));
}
DEFINE_BENCH_FULL(irq_selfipi_request, .desc = "self-IPI to a request_irq() handler",
		  .setup = request_setup, .teardown = bench_irq_teardown, .run = request_run);

static int threaded_setup(struct bench *b)
{
	(void)b;
	return bench_irq_setup(bench_wake, bench_thread_fn);
}

static void threaded_run(struct bench *b, unsigned int ops)
{
	(void)b;
	for (unsigned int i = 0; i < ops; i++) {
		unsigned long want = READ_ONCE(ib.count) + 1;
		u64 end = ktime_get_ns() + 2000000000ull;

		self_ipi(msi_msg_vector(&ib.msg));
		/* A lost interrupt fails the run instead of hanging it. */
		while (READ_ONCE(ib.count) != want) {
			if (ktime_get_ns() > end) {
				pr_err("irq bench: thread run %u never came\n", i);
				return;
			}
			yield();
		}
	}
}
DEFINE_BENCH_FULL(irq_threaded_wakeup, .desc = "self-IPI to the end of its thread function",
		  .setup = threaded_setup, .teardown = bench_irq_teardown, .run = threaded_run,
		  .ops = 16);
