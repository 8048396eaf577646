// SPDX-License-Identifier: GPL-2.0
/*
 * irqwq_bench.c - Linux 6.1 anchors for Exo-OS's interrupt and deferred
 * work benchmarks (Documentation/benchmarks.md, "Interrupts" and
 * "Deferred work").
 *
 * Loaded once in a throw-away QEMU guest started with "-device edu"; all
 * work happens in irqwq_init(), which binds a pci_driver to QEMU's edu
 * device (1234:11e8), measures, and unbinds it before returning.
 *
 * Every result line is
 *
 *   anchor <name> <median> p10=<x> p90=<y> n=<batches>x<ops>
 *
 * in TSC ticks per operation: a batch of <ops> operations is timed as a
 * whole with Linux's rdtsc_ordered() (lfence; rdtsc, or rdtscp, as the
 * CPU allows), the cost of an empty timestamp pair is subtracted, the
 * rest is divided by <ops>, and median/p10/p90 are taken over <batches>
 * batches after <warmup> untimed ones.  Under QEMU "-icount shift=0,sleep=off"
 * one TSC tick is one guest instruction (icount_check_100nop shows it).
 * Lines that cannot be measured print "anchor <name> n/a <reason>".
 *
 * The operations mirror Exo-OS's kernel/irq/irq_bench.c, its edu MSI
 * benchmark and kernel/workqueue_bench.c:
 *
 *   irq_selfipi_sysvec       a self-IPI of IRQ_WORK_VECTOR, a system
 *                            vector, with no irq_work queued
 *   irq_selfipi_irq_work     irq_work_queue() with interrupts off: the
 *                            same vector, running the queued work
 *   irq_selfipi_request      a self-IPI of the vector of a request_irq()
 *                            handler (the edu MSI's IRQ): common_interrupt,
 *                            handle_edge_irq, the action
 *   irq_threaded_wakeup      the same IRQ requested threaded: from the
 *                            self-IPI to the end of the thread function
 *   edu_msi_roundtrip        writel() to edu's INTR_RAISE with interrupts
 *                            off; the handler reads INTR_STATUS and writes
 *                            it to INTR_ACK
 *   edu_msi_threaded         the same with the status read and the ack in
 *                            the IRQ's thread function
 *   wq_local_roundtrip       queue_work_on(this CPU) on an alloc_workqueue(0)
 *                            queue, caller sleeps in a completion
 *   wq_remote_roundtrip      queue_work_on(another CPU), caller polls
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irq_work.h>
#include <linux/workqueue.h>
#include <linux/completion.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/utsname.h>
#include <linux/cpuidle.h>
#include <asm/apic.h>
#include <asm/hardirq.h>
#include <asm/hw_irq.h>
#include <asm/tsc.h>
#include <asm/cpufeature.h>

static int batches = 201;
module_param(batches, int, 0444);
MODULE_PARM_DESC(batches, "timed batches per measurement (median taken)");
static int ops = 64;
module_param(ops, int, 0444);
MODULE_PARM_DESC(ops, "operations per timed batch");
static int warmup = 20;
module_param(warmup, int, 0444);
MODULE_PARM_DESC(warmup, "untimed warm-up batches per measurement");

#define MAX_BATCHES	2001
#define MAX_OPS		1024
#define REMOTE_OPS	16	/* as Exo-OS's wq_remote_roundtrip */
#define REMOTE_BATCHES	41
#define SPIN_LIMIT	100000000UL	/* a lost interrupt fails, never hangs */
#define REMOTE_TIMEOUT_NS	(60 * NSEC_PER_SEC)

/* edu registers (QEMU docs/specs/edu.txt); 32-bit accesses only */
#define EDU_IDENT		0x00
#define EDU_INTR_STATUS		0x24
#define EDU_INTR_RAISE		0x60
#define EDU_INTR_ACK		0x64
#define EDU_BENCH_BIT		0x1

struct irqwq {
	struct pci_dev *pdev;
	void __iomem *bar;
	int irq;
	unsigned long count;
	struct irq_work iw;
	struct workqueue_struct *wq;
	struct work_struct work;
	struct completion done;
	bool spin;		/* the caller polls ran instead of sleeping */
	bool ran;
	int wq_cpu;
};

static struct irqwq st;
static u64 *samples;
static u64 baseline;	/* cost of the timestamp pair, subtracted per batch */

static int u64_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Does @n operations; returns the ticks they took, or -EIO if one failed. */
typedef s64 (*batch_fn)(int n);

static void print_row(const char *name, int nb, int n)
{
	u64 med, p10, p90;

	sort(samples, nb, sizeof(u64), u64_cmp, NULL);
	med = samples[nb / 2];
	p10 = samples[nb / 10];
	p90 = samples[nb - 1 - nb / 10];
	pr_info("anchor %s %llu.%llu p10=%llu.%llu p90=%llu.%llu n=%dx%d\n", name,
		med * 10 / n / 10, med * 10 / n % 10,
		p10 * 10 / n / 10, p10 * 10 / n % 10,
		p90 * 10 / n / 10, p90 * 10 / n % 10, nb, n);
}

static void run_bench(const char *name, batch_fn fn, int n, int nb)
{
	s64 t;
	int i;

	nb = clamp(nb, 11, batches);
	for (i = 0; i < warmup + nb; i++) {
		t = fn(n);
		if (t < 0) {
			pr_info("anchor %s n/a operation-lost\n", name);
			return;
		}
		if (i >= warmup)
			samples[i - warmup] = (u64)t > baseline ? t - baseline : 0;
		cond_resched();
	}
	print_row(name, nb, n);
}

/* ---- baseline and the icount check ----------------------------------- */

static s64 b_empty(int n)
{
	u64 t0 = rdtsc_ordered();
	int i;

	for (i = 0; i < n; i++)
		barrier();
	return rdtsc_ordered() - t0;
}

#define NOP10	"nop; nop; nop; nop; nop; nop; nop; nop; nop; nop\n\t"

/* 100 nops per op: under icount shift=0 this must read 100 + the loop */
static s64 b_nop100(int n)
{
	u64 t0 = rdtsc_ordered();
	int i;

	for (i = 0; i < n; i++)
		asm volatile(NOP10 NOP10 NOP10 NOP10 NOP10
			     NOP10 NOP10 NOP10 NOP10 NOP10 ::: "memory");
	return rdtsc_ordered() - t0;
}

/* ---- raising an interrupt ---------------------------------------------- */

enum raise_how {
	RAISE_SYSVEC,		/* self-IPI of IRQ_WORK_VECTOR, nothing queued */
	RAISE_IRQ_WORK,		/* irq_work_queue(): the same vector, with work */
	RAISE_VECTOR,		/* self-IPI of the request_irq()ed MSI's vector */
	RAISE_DEVICE,		/* the edu device's MSI */
};

static void iw_fn(struct irq_work *w)
{
	st.count++;
}

/*
 * The bare system vector runs sysvec_irq_work() (EOI, statistics, two
 * empty-list checks), which counts itself in irq_stat; every other
 * handler counts in st.count.
 */
static __always_inline unsigned long handled(enum raise_how how)
{
	if (how == RAISE_SYSVEC)
		return this_cpu_read(irq_stat.apic_irq_work_irqs);
	return READ_ONCE(st.count);
}

static __always_inline bool wait_handled(enum raise_how how,
					 unsigned long want, bool sleep)
{
	unsigned long spins = 0;

	while (handled(how) != want) {
		if (++spins > SPIN_LIMIT)
			return false;
		if (sleep)
			yield();
		else
			cpu_relax();
	}
	return true;
}

/*
 * Linux has no API to raise a device vector by IPI; apic->send_IPI_self()
 * of the vector the IRQ's activation assigned takes the same path as the
 * device's MSI would, from common_interrupt on, without the device.
 */
static unsigned int irq_vector_of(int irq)
{
	return irqd_cfg(irq_get_irq_data(irq))->vector;
}

/*
 * One operation raises the interrupt @how with interrupts off and ends
 * when its handler or (@sleep: the caller yields meanwhile) its thread
 * function has counted it.  Always inlined so that each caller's constant
 * arguments leave no branch in the timed loop.
 */
static __always_inline s64 raise_batch(int n, enum raise_how how, bool sleep)
{
	unsigned int vector = 0;
	u64 t0, t;
	int i;

	migrate_disable();
	if (how == RAISE_VECTOR)
		vector = irq_vector_of(st.irq);
	t0 = rdtsc_ordered();
	for (i = 0; i < n; i++) {
		unsigned long want = handled(how) + 1;

		local_irq_disable();
		if (how == RAISE_SYSVEC)
			apic->send_IPI_self(IRQ_WORK_VECTOR);
		else if (how == RAISE_IRQ_WORK)
			irq_work_queue(&st.iw);
		else if (how == RAISE_VECTOR)
			apic->send_IPI_self(vector);
		else
			writel(EDU_BENCH_BIT, st.bar + EDU_INTR_RAISE);
		local_irq_enable();
		if (unlikely(!wait_handled(how, want, sleep))) {
			migrate_enable();
			return -EIO;
		}
	}
	t = rdtsc_ordered() - t0;
	migrate_enable();
	return t;
}

/* one batch function per way of raising, each with its own raise_batch() */
#define DEFINE_RAISE_BENCH(fn, how, sleep)		\
	static s64 fn(int n)				\
	{						\
		return raise_batch(n, how, sleep);	\
	}

DEFINE_RAISE_BENCH(b_sysvec, RAISE_SYSVEC, false)
DEFINE_RAISE_BENCH(b_irq_work, RAISE_IRQ_WORK, false)
DEFINE_RAISE_BENCH(b_selfipi, RAISE_VECTOR, false)
DEFINE_RAISE_BENCH(b_selfipi_threaded, RAISE_VECTOR, true)
DEFINE_RAISE_BENCH(b_edu, RAISE_DEVICE, false)
DEFINE_RAISE_BENCH(b_edu_threaded, RAISE_DEVICE, true)

static irqreturn_t count_handler(int irq, void *dev_id)
{
	st.count++;
	return IRQ_HANDLED;
}

static irqreturn_t wake_handler(int irq, void *dev_id)
{
	return IRQ_WAKE_THREAD;
}

static irqreturn_t count_thread_fn(int irq, void *dev_id)
{
	WRITE_ONCE(st.count, st.count + 1);
	return IRQ_HANDLED;
}

/* ---- edu MSI ----------------------------------------------------------- */

static irqreturn_t edu_ack(void)
{
	u32 status = readl(st.bar + EDU_INTR_STATUS);

	if (!status)
		return IRQ_NONE;
	writel(status, st.bar + EDU_INTR_ACK);
	WRITE_ONCE(st.count, st.count + 1);
	return IRQ_HANDLED;
}

static irqreturn_t edu_handler(int irq, void *dev_id)
{
	return edu_ack();
}

static irqreturn_t edu_thread_fn(int irq, void *dev_id)
{
	return edu_ack();
}

static const struct cpumask *irq_target(void)
{
	return irq_data_get_effective_affinity_mask(irq_get_irq_data(st.irq));
}

/*
 * x86 moves a non-remapped MSI at its next interrupt, not in
 * irq_set_affinity(): raise it once where it points now (by the device if
 * @device, else by an IPI of its vector) so that the move completes.
 */
static bool irq_settle(bool device)
{
	unsigned long want = READ_ONCE(st.count) + 1;
	int cpu = smp_processor_id();

	if (cpumask_test_cpu(cpu, irq_target()))
		return true;
	if (device)
		writel(EDU_BENCH_BIT, st.bar + EDU_INTR_RAISE);
	else
		apic->send_IPI(cpumask_first(irq_target()), irq_vector_of(st.irq));
	return wait_handled(RAISE_DEVICE, want, true) &&
	       cpumask_test_cpu(cpu, irq_target());
}

/*
 * Request the edu MSI with @handler/@thread_fn, move it to this CPU
 * (migration is off while the benchmark runs), and run @fn as @name.
 * @device: @fn raises it through the device, not by a self-IPI.
 */
static void irq_bench(const char *name, irq_handler_t handler,
		      irq_handler_t thread_fn, batch_fn fn, bool device)
{
	int ret;

	ret = request_threaded_irq(st.irq, handler, thread_fn,
				   thread_fn ? IRQF_ONESHOT : 0, "irqwq", &st);
	if (ret) {
		pr_info("anchor %s n/a request_irq=%d\n", name, ret);
		return;
	}
	migrate_disable();
	ret = irq_set_affinity(st.irq, cpumask_of(smp_processor_id()));
	if (!ret && !irq_settle(device))
		ret = -EAGAIN;
	if (!ret) {
		pr_info("anchor_info %s irq=%d vector=%#x cpu=%d msi=%d\n", name,
			st.irq, irq_vector_of(st.irq), smp_processor_id(),
			st.pdev->msi_enabled);
		run_bench(name, fn, ops, batches);
	} else {
		pr_info("anchor %s n/a irq_set_affinity=%d\n", name, ret);
	}
	migrate_enable();
	free_irq(st.irq, &st);
}

/* ---- workqueue --------------------------------------------------------- */

static void wq_fn(struct work_struct *w)
{
	if (st.spin)
		smp_store_release(&st.ran, true);
	else
		complete(&st.done);
}

/*
 * The poll yields to anything woken on this CPU: the remote pool may need
 * kthreadd to create its spare worker, and kthreadd may be queued here.
 * Under TCG a halted vCPU may wait long for a host CPU, so the wait gives
 * up after REMOTE_TIMEOUT_NS of kernel time, not a spin count; the clock
 * is read only after the first 1024 spins, off the fast path.
 */
static bool wait_ran(void)
{
	unsigned long spins;
	u64 deadline = 0;

	for (spins = 0; !smp_load_acquire(&st.ran); spins++) {
		if (unlikely(!(spins & 1023) && spins)) {
			if (!deadline)
				deadline = ktime_get_ns() + REMOTE_TIMEOUT_NS;
			else if (ktime_get_ns() > deadline)
				return false;
		}
		cpu_relax();
		cond_resched();
	}
	return true;
}

static int remote_cpu(void)
{
	return cpumask_any_but(cpu_online_mask, smp_processor_id());
}

/*
 * One operation queues the work on this CPU, the caller sleeping in a
 * completion, or (@remote) on another CPU, the caller polling.
 */
static __always_inline s64 wq_batch(int n, bool remote)
{
	u64 t0, t;
	int i;

	migrate_disable();
	st.wq_cpu = remote ? remote_cpu() : smp_processor_id();
	st.spin = remote;
	t0 = rdtsc_ordered();
	for (i = 0; i < n; i++) {
		if (remote)
			WRITE_ONCE(st.ran, false);
		queue_work_on(st.wq_cpu, st.wq, &st.work);
		if (!remote) {
			wait_for_completion(&st.done);
		} else if (unlikely(!wait_ran())) {
			migrate_enable();
			flush_work(&st.work);
			return -EIO;
		}
	}
	t = rdtsc_ordered() - t0;
	migrate_enable();
	return t;
}

static s64 b_wq_local(int n)
{
	return wq_batch(n, false);
}

static s64 b_wq_remote(int n)
{
	return wq_batch(n, true);
}

static void wq_benches(void)
{
	st.wq = alloc_workqueue("irqwq", 0, 0);
	if (!st.wq) {
		pr_info("anchor wq_local_roundtrip n/a alloc_workqueue\n");
		return;
	}
	INIT_WORK(&st.work, wq_fn);
	init_completion(&st.done);
	run_bench("wq_local_roundtrip", b_wq_local, ops, batches);
	if (num_online_cpus() > 1) {
		/* the first work there makes its pool create a spare worker */
		st.spin = true;
		migrate_disable();
		queue_work_on(remote_cpu(), st.wq, &st.work);
		migrate_enable();
		flush_work(&st.work);
		run_bench("wq_remote_roundtrip", b_wq_remote, REMOTE_OPS,
			  REMOTE_BATCHES);
	} else
		pr_info("anchor wq_remote_roundtrip n/a single-cpu\n");
	destroy_workqueue(st.wq);
}

/* ---- the edu driver ---------------------------------------------------- */

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	u32 ident;
	int ret;

	if (st.pdev)
		return -EBUSY;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(0), "irqwq");
	if (ret)
		return ret;
	st.bar = pcim_iomap_table(pdev)[0];
	ident = readl(st.bar + EDU_IDENT);
	if ((ident & 0xff) != 0xed) {
		dev_err(&pdev->dev, "not an edu device: ident %#x\n", ident);
		return -ENODEV;
	}
	/* the MSI is a memory write of the device: it needs bus mastering */
	pci_set_master(pdev);
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (ret < 0)
		return ret;
	st.irq = pci_irq_vector(pdev, 0);
	st.pdev = pdev;
	return 0;
}

static void edu_remove(struct pci_dev *pdev)
{
	pci_free_irq_vectors(pdev);
	st.pdev = NULL;
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ }
};

static struct pci_driver edu_driver = {
	.name		= "irqwq_edu",
	.id_table	= edu_ids,
	.probe		= edu_probe,
	.remove		= edu_remove,
};

static void irq_benches(void)
{
	run_bench("irq_selfipi_sysvec", b_sysvec, ops, batches);
	init_irq_work(&st.iw, iw_fn);
	run_bench("irq_selfipi_irq_work", b_irq_work, ops, batches);

	if (pci_register_driver(&edu_driver)) {
		pr_info("anchor edu n/a pci_register_driver\n");
		return;
	}
	if (!st.pdev) {
		pr_info("anchor edu n/a no-edu-device\n");
		goto out;
	}
	irq_bench("irq_selfipi_request", count_handler, NULL, b_selfipi, false);
	irq_bench("irq_threaded_wakeup", wake_handler, count_thread_fn,
		  b_selfipi_threaded, false);
	irq_bench("edu_msi_roundtrip", edu_handler, NULL, b_edu, true);
	irq_bench("edu_msi_threaded", NULL, edu_thread_fn, b_edu_threaded, true);
out:
	pci_unregister_driver(&edu_driver);
}

static int __init irqwq_init(void)
{
	batches = clamp(batches, 11, MAX_BATCHES);
	ops = clamp(ops, 1, MAX_OPS);
	warmup = max(warmup, 0);
	samples = kvmalloc_array(MAX_BATCHES, sizeof(*samples), GFP_KERNEL);
	if (!samples) {
		pr_err("anchor setup failed\n");
		return 0;
	}
	pr_info("anchor_info kernel=%s cpus=%d tsc_khz=%u rdtscp=%d x2apic=%d batches=%d ops=%d warmup=%d\n",
		init_utsname()->release, num_online_cpus(), tsc_khz,
		boot_cpu_has(X86_FEATURE_RDTSCP), x2apic_mode, batches, ops,
		warmup);

	/* how an idle CPU waits decides the cross-CPU wake-up latency */
	pr_info("anchor_info cpuidle=%s mwait=%d idle_override=%lu\n",
		cpuidle_get_driver() ? cpuidle_get_driver()->name : "none",
		boot_cpu_has(X86_FEATURE_MWAIT), boot_option_idle_override);

	baseline = 0;
	run_bench("tsc_pair_overhead", b_empty, 1, batches);
	baseline = samples[batches / 2];
	run_bench("empty_loop_per_op", b_empty, ops, batches);
	run_bench("icount_check_100nop", b_nop100, ops, batches);

	irq_benches();
	wq_benches();
	pr_info("anchor_end\n");
	kvfree(samples);
	/* succeed: on an error busybox insmod retries and runs it all again */
	return 0;
}

static void __exit irqwq_exit(void)
{
}

module_init(irqwq_init);
module_exit(irqwq_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Exo-OS anchor: Linux IRQ and workqueue round trips");
