// SPDX-License-Identifier: GPL-2.0
/*
 * ktests of the IRQ core (suite "irq"), with no device: a test irq_chip
 * whose IRQs get real vectors and are raised by sending their message's
 * vector to their message's CPU as an IPI, the way an MSI write would.
 * Masking the chip latches a raise as pending (as the MSI-X pending bit
 * does), unmasking delivers it.  A second, software-only chip lets the
 * storm test run a flow handler 100 000 times without IPIs.  Both run in
 * Bochs as well as QEMU.
 */
#include <exo/atomic.h>
#include <exo/device.h>
#include <exo/interrupt.h>
#include <exo/irq.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/preempt.h>
#include <exo/sched.h>
#include <exo/shell.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/trace.h>
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/traps.h>
#include "internal.h"
#include "irq_test.h"

struct tirq tirqs[TEST_MAX_IRQS];
unsigned int tirq_base;
static DEFINE_SPINLOCK(tchip_lock);

static struct tirq *to_tirq(struct irq_data *d)
{
	return d->chip_data;
}

/* Under tchip_lock: the device "writes its message". */
static void tirq_send(struct tirq *ti)
{
	apic_send_ipi(msi_msg_dest_apicid(&ti->msg), msi_msg_vector(&ti->msg));
}

static void tchip_mask(struct irq_data *d)
{
	unsigned long flags;

	spin_lock_irqsave(&tchip_lock, flags);
	to_tirq(d)->masked = true;
	spin_unlock_irqrestore(&tchip_lock, flags);
}

static void tchip_unmask(struct irq_data *d)
{
	struct tirq *ti = to_tirq(d);
	unsigned long flags;

	spin_lock_irqsave(&tchip_lock, flags);
	ti->masked = false;
	if (ti->pending) {
		ti->pending = false;
		tirq_send(ti);
	}
	spin_unlock_irqrestore(&tchip_lock, flags);
}

/*
 * What a device without mask bits could send between two of the writes
 * that take @old to @new: every message on the way must reach the IRQ.
 * Writes to or from the shutdown vector (device quiet) are not moves.
 */
static void tchip_check_move(struct irq_data *d, struct tirq *ti, const struct msi_msg *old,
			     const struct msi_msg *new)
{
	unsigned int vector = msi_msg_vector(new), cpu;

	if (!old->data || msi_msg_vector(old) == MANAGED_IRQ_SHUTDOWN_VECTOR ||
	    vector == MANAGED_IRQ_SHUTDOWN_VECTOR)
		return;
	if (old->address_lo != new->address_lo && old->data != new->data)
		ti->torn++;
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu_online(cpu) && cpu_to_apicid(cpu) == msi_msg_dest_apicid(new))
			break;
	if (cpu == NR_CPUS ||
	    x86_vector_desc(cpu, vector) != container_of(d, struct irq_desc, irq_data))
		ti->unmapped++;
}

static void tchip_write_msg(struct irq_data *d, struct msi_msg *msg)
{
	struct tirq *ti = to_tirq(d);
	unsigned long flags;

	spin_lock_irqsave(&tchip_lock, flags);
	tchip_check_move(d, ti, &ti->msg, msg);
	ti->msg = *msg;
	ti->writes++;
	spin_unlock_irqrestore(&tchip_lock, flags);
}

static struct irq_chip test_chip = {
	.name			= "test-msi",
	.irq_mask		= tchip_mask,
	.irq_unmask		= tchip_unmask,
	.irq_ack		= apic_ack_irq,
	.irq_eoi		= apic_ack_irq,
	.irq_write_msi_msg	= tchip_write_msg,
};

/* Raise test IRQ @i (index from tirq_base) as its device would. */
void irqtest_tirq_raise(unsigned int i)
{
	struct tirq *ti = &tirqs[i];
	unsigned long flags;

	spin_lock_irqsave(&tchip_lock, flags);
	if (ti->masked)
		ti->pending = true;
	else
		tirq_send(ti);
	spin_unlock_irqrestore(&tchip_lock, flags);
}

static void soft_noop(struct irq_data *d)
{
	(void)d;
}

/*
 * Raised by generic_handle_irq() with interrupts off, where the EOI of
 * apic_ack_irq() finds nothing in service and is ignored; but a replay
 * by enable_irq() comes as a real vector, which needs it.
 */
static struct irq_chip soft_chip = {
	.name		= "test-soft",
	.irq_mask	= soft_noop,
	.irq_unmask	= soft_noop,
	.irq_ack	= apic_ack_irq,
};

static unsigned int vectors_before[NR_CPUS];
static struct cpumask one_cpu_masks[NR_CPUS];

const struct cpumask *irqtest_one_cpu(unsigned int cpu)
{
	cpumask_clear(&one_cpu_masks[cpu]);
	cpumask_set_cpu(cpu, &one_cpu_masks[cpu]);
	return &one_cpu_masks[cpu];
}

static int irq_suite_init(struct ktest *t)
{
	int irq = irq_alloc_descs(-1, 0, TEST_MAX_IRQS, NUMA_NO_NODE);

	if (irq < 0)
		return irq;
	tirq_base = irq;
	for (unsigned int i = 0; i < TEST_MAX_IRQS; i++) {
		tirqs[i] = (struct tirq){ .masked = true };
		irq_set_chip_and_handler_name(irq + i, &test_chip, handle_edge_irq, "edge");
		irq_set_chip_data(irq + i, &tirqs[i]);
	}
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		vectors_before[cpu] = cpu_online(cpu) ? x86_vectors_used(cpu) : 0;
	(void)t;
	return 0;
}

/* Every case frees what it requested: no vector may stay allocated. */
static void irq_suite_exit(struct ktest *t)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu_online(cpu))
			KTEST_EXPECT_EQ(t, x86_vectors_used(cpu), vectors_before[cpu]);
	irq_free_descs(tirq_base, TEST_MAX_IRQS);
}

/* Wait (sleeping) up to 2 s for *@v to reach @want. */
bool irqtest_wait_count(atomic_t *v, int want)
{
	u64 end = ktime_get_ns() + 2000000000ull;

	while (atomic_read(v) < want) {
		if (ktime_get_ns() > end)
			return false;
		yield();
	}
	return true;
}

/* Spin (interrupts on, no sleep) up to 2 s until *@a or *@b is nonzero. */
static bool spin_nonzero(atomic_t *a, atomic_t *b)
{
	u64 end = ktime_get_ns() + 2000000000ull;

	while (!atomic_read(a) && !atomic_read(b)) {
		if (ktime_get_ns() > end)
			return false;
		cpu_relax();
	}
	return true;
}

/* Forget a raise test IRQ @i latched while masked, so that no later case inherits it. */
void irqtest_tirq_clear_pending(unsigned int i)
{
	unsigned long flags;

	spin_lock_irqsave(&tchip_lock, flags);
	tirqs[i].pending = false;
	spin_unlock_irqrestore(&tchip_lock, flags);
}

/* --- sharing -------------------------------------------------------- */

static atomic_t share_calls[3];

static irqreturn_t share_handler(int irq, void *dev_id)
{
	atomic_t *calls = dev_id;

	(void)irq;
	atomic_inc(calls);
	/* Only the middle device "raised" it. */
	return calls == &share_calls[1] ? IRQ_HANDLED : IRQ_NONE;
}

static void test_irq_shared(struct ktest *t)
{
	unsigned int irq = tirq_base;
	struct irq_desc *desc = irq_to_desc(irq);

	for (int i = 0; i < 3; i++) {
		atomic_set(&share_calls[i], 0);
		KTEST_ASSERT_EQ(t, request_irq(irq, share_handler, IRQF_SHARED, "share",
					       &share_calls[i]), 0);
	}
	for (int n = 1; n <= 20; n++) {
		irqtest_tirq_raise(0);
		KTEST_ASSERT_TRUE(t, irqtest_wait_count(&share_calls[2], n));
	}
	for (int i = 0; i < 3; i++)
		KTEST_EXPECT_EQ(t, atomic_read(&share_calls[i]), 20);
	KTEST_EXPECT_EQ(t, kstat_irqs(irq), 20ul);
	KTEST_EXPECT_EQ(t, desc->irqs_unhandled, 0u);
	KTEST_EXPECT_TRUE(t, free_irq(irq, &share_calls[1]) != NULL);
	/* The others still run. */
	irqtest_tirq_raise(0);
	KTEST_EXPECT_TRUE(t, irqtest_wait_count(&share_calls[2], 21));
	KTEST_EXPECT_EQ(t, atomic_read(&share_calls[1]), 20);
	free_irq(irq, &share_calls[0]);
	free_irq(irq, &share_calls[2]);
	KTEST_EXPECT_NULL(t, desc->action);
	KTEST_EXPECT_FALSE(t, desc->istate & IRQS_STARTED);
}

static irqreturn_t nop_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	return IRQ_HANDLED;
}

static irqreturn_t nop_thread(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	return IRQ_HANDLED;
}

static void test_irq_share_mismatch(struct ktest *t)
{
	unsigned int irq = tirq_base;
	int a, b, c;

	KTEST_ASSERT_EQ(t, request_irq(irq, nop_handler, IRQF_SHARED, "a", &a), 0);
	KTEST_EXPECT_EQ(t, request_irq(irq, nop_handler, 0, "b", &b), -EBUSY);
	KTEST_EXPECT_EQ(t, request_threaded_irq(irq, nop_handler, nop_thread,
						IRQF_SHARED | IRQF_ONESHOT, "b", &b), -EBUSY);
	KTEST_EXPECT_EQ(t, request_irq(irq, nop_handler, IRQF_SHARED | IRQF_TRIGGER_RISING,
				       "c", &c), -EBUSY);
	free_irq(irq, &a);
	/* Not shared first: nobody may join. */
	KTEST_ASSERT_EQ(t, request_irq(irq, nop_handler, 0, "a", &a), 0);
	KTEST_EXPECT_EQ(t, request_irq(irq, nop_handler, IRQF_SHARED, "b", &b), -EBUSY);
	free_irq(irq, &a);
}

/* --- error paths ---------------------------------------------------- */

static void test_irq_errors(struct ktest *t)
{
	unsigned int irq = tirq_base;
	struct cpumask none = {};
	int a;

	KTEST_EXPECT_EQ(t, request_irq(NR_IRQS + 5, nop_handler, 0, "bad", &a), -EINVAL);
	KTEST_EXPECT_EQ(t, request_irq(irq + TEST_MAX_IRQS + 100, nop_handler, 0, "bad", &a),
			-EINVAL);
	KTEST_EXPECT_EQ(t, request_threaded_irq(irq, NULL, NULL, 0, "null", &a), -EINVAL);
	KTEST_EXPECT_EQ(t, request_irq(irq, nop_handler, IRQF_SHARED, "nodev", NULL), -EINVAL);
	KTEST_EXPECT_EQ(t, request_threaded_irq(irq, NULL, nop_thread, 0, "noos", &a), -EINVAL);
	KTEST_EXPECT_NULL(t, free_irq(irq, &a));
	KTEST_EXPECT_NULL(t, free_irq(NR_IRQS + 5, &a));
	KTEST_ASSERT_EQ(t, request_irq(irq, nop_handler, 0, "a", &a), 0);
	KTEST_EXPECT_NULL(t, free_irq(irq, &none));		/* unknown dev_id */
	KTEST_EXPECT_EQ(t, irq_set_affinity(irq, &none), -EINVAL);
	KTEST_EXPECT_EQ(t, irq_set_chip_and_handler_name(irq, &soft_chip, handle_edge_irq,
							 "edge"), -EBUSY);
	irq_free_descs(irq, 1);					/* kept: in use */
	KTEST_EXPECT_TRUE(t, irq_to_desc(irq) != NULL);
	KTEST_EXPECT_TRUE(t, free_irq(irq, &a) != NULL);
	enable_irq(irq);					/* unbalanced: logged */
	KTEST_EXPECT_EQ(t, irq_to_desc(irq)->depth, 1u);
	KTEST_EXPECT_EQ(t, irq_alloc_descs(-1, 0, 0, NUMA_NO_NODE), -EINVAL);
	KTEST_EXPECT_EQ(t, irq_alloc_descs(irq, 0, 1, NUMA_NO_NODE), -EEXIST);
	KTEST_EXPECT_EQ(t, irq_alloc_descs(NR_IRQS - 1, 0, 2, NUMA_NO_NODE), -EINVAL);
	KTEST_EXPECT_EQ(t, irq_set_irq_type(irq, 0x100), -EINVAL);
	KTEST_EXPECT_EQ(t, irq_get_msi_msg(irq, &(struct msi_msg){}), -ENOENT);
	KTEST_EXPECT_EQ(t, acpi_register_gsi(NULL, 9999, ACPI_LEVEL_SENSITIVE, ACPI_ACTIVE_LOW),
			-ENODEV);
	KTEST_EXPECT_EQ(t, acpi_register_gsi(NULL, 20, 7, ACPI_ACTIVE_LOW), -EINVAL);
}

/* --- threaded handlers ---------------------------------------------- */

static atomic_t thr_hard, thr_entered, thr_runs, thr_masked, thr_in_irq;

static irqreturn_t thr_primary(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	atomic_inc(&thr_hard);
	return IRQ_WAKE_THREAD;
}

static irqreturn_t thr_fn(int irq, void *dev_id)
{
	struct irq_desc *desc = dev_id;

	if (in_interrupt())
		atomic_inc(&thr_in_irq);
	if (READ_ONCE(desc->istate) & IRQS_MASKED)
		atomic_inc(&thr_masked);
	atomic_inc(&thr_entered);
	msleep(1);		/* a thread may sleep */
	(void)irq;
	atomic_inc(&thr_runs);
	return IRQ_HANDLED;
}

static void run_threaded(struct ktest *t, irq_handler_t primary, irq_flow_handler_t flow,
			 bool expect_masked)
{
	unsigned int irq = tirq_base + 1;
	struct irq_desc *desc = irq_to_desc(irq);

	atomic_set(&thr_hard, 0);
	atomic_set(&thr_entered, 0);
	atomic_set(&thr_runs, 0);
	atomic_set(&thr_masked, 0);
	atomic_set(&thr_in_irq, 0);
	irq_set_chip_and_handler_name(irq, &test_chip, flow, "test");
	KTEST_ASSERT_EQ(t, request_threaded_irq(irq, primary, thr_fn, IRQF_ONESHOT,
						"thr", desc), 0);
	KTEST_EXPECT_NOT_NULL(t, desc->action->thread);
	for (int n = 1; n <= 10; n++) {
		irqtest_tirq_raise(1);
		KTEST_ASSERT_TRUE(t, irqtest_wait_count(&thr_runs, n));
	}
	/*
	 * A raise while the thread sleeps waits behind the mask (fasteoi) or
	 * the RUNTHREAD flag (edge) and gives exactly one more run.  It is
	 * raised only once the thread is in its function, so that it cannot
	 * merge with the previous raise in the APIC's IRR; and the checks
	 * wait for run 12, whose hard IRQ is the last one: once it ran, no
	 * raise is latched or in flight, however late a vCPU runs.
	 */
	irqtest_tirq_raise(1);
	KTEST_ASSERT_TRUE(t, irqtest_wait_count(&thr_entered, 11));
	irqtest_tirq_raise(1);
	KTEST_ASSERT_TRUE(t, irqtest_wait_count(&thr_runs, 12));
	synchronize_irq(irq);
	KTEST_EXPECT_EQ(t, atomic_read(&thr_runs), 12);
	KTEST_EXPECT_EQ(t, atomic_read(&thr_in_irq), 0);
	if (expect_masked)
		KTEST_EXPECT_EQ(t, atomic_read(&thr_masked), atomic_read(&thr_runs));
	KTEST_EXPECT_FALSE(t, desc->istate & IRQS_MASKED);
	KTEST_EXPECT_EQ(t, desc->threads_oneshot, 0ul);
	free_irq(irq, desc);
	irq_set_chip_and_handler_name(irq, &test_chip, handle_edge_irq, "edge");
}

/* Level-style (fasteoi): the line is masked while the thread runs. */
static void test_irq_threaded_oneshot(struct ktest *t)
{
	run_threaded(t, thr_primary, handle_fasteoi_irq, true);
	KTEST_EXPECT_EQ(t, atomic_read(&thr_hard), 12);
}

/* No primary handler: the default one wakes the thread. */
static void test_irq_threaded_default_primary(struct ktest *t)
{
	run_threaded(t, NULL, handle_edge_irq, false);
}

/* --- disable / enable ----------------------------------------------- */

static atomic_t de_calls;

irqreturn_t irqtest_count_handler(int irq, void *dev_id)
{
	(void)irq;
	atomic_inc(dev_id);
	return IRQ_HANDLED;
}

static void test_irq_disable_depth(struct ktest *t)
{
	unsigned int irq = tirq_base + 2;
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;

	atomic_set(&de_calls, 0);
	KTEST_ASSERT_EQ(t, request_irq(irq, irqtest_count_handler, 0, "depth", &de_calls), 0);
	disable_irq(irq);
	disable_irq(irq);
	KTEST_EXPECT_EQ(t, desc->depth, 2u);
	irqtest_tirq_raise(2);
	msleep(20);
	KTEST_EXPECT_EQ(t, atomic_read(&de_calls), 0);
	enable_irq(irq);
	msleep(20);
	KTEST_EXPECT_EQ(t, atomic_read(&de_calls), 0);
	enable_irq(irq);
	KTEST_EXPECT_TRUE(t, irqtest_wait_count(&de_calls, 1));
	KTEST_EXPECT_EQ(t, desc->depth, 0u);

	/* An edge already in flight when disabled is replayed by enable_irq(). */
	local_irq_save(flags);
	KTEST_EXPECT_EQ(t, irq_set_affinity(irq, irqtest_one_cpu(smp_processor_id())), 0);
	irqtest_tirq_raise(2);			/* pending in this CPU's IRR or on the way */
	disable_irq_nosync(irq);
	local_irq_restore(flags);
	msleep(20);
	KTEST_EXPECT_EQ(t, atomic_read(&de_calls), 1);
	enable_irq(irq);
	KTEST_EXPECT_TRUE(t, irqtest_wait_count(&de_calls, 2));
	msleep(5);
	KTEST_EXPECT_EQ(t, atomic_read(&de_calls), 2);
	free_irq(irq, &de_calls);
}

/* irq:irq_handler_entry and irq:irq_handler_exit around a handler. */
static void test_irq_trace_events(struct ktest *t)
{
	unsigned int irq = tirq_base + 2;
	char num[24], line[TRACE_KTEST_LINE_MAX];
	static atomic_t calls;

	if (!IS_ENABLED(CONFIG_TRACEPOINTS))
		KTEST_SKIP(t, "CONFIG_TRACEPOINTS=n");
	atomic_set(&calls, 0);
	KTEST_ASSERT_EQ(t, request_irq(irq, irqtest_count_handler, 0, "trace", &calls), 0);
	trace_clear();
	KTEST_EXPECT_EQ(t, trace_set_event("irq", true), 2);
	irqtest_tirq_raise(2);
	KTEST_EXPECT_TRUE(t, irqtest_wait_count(&calls, 1));
	trace_disable_all();
	free_irq(irq, &calls);
	snprintf(num, sizeof(num), " irq=%u ", irq);
	KTEST_EXPECT_GE(t, trace_ktest_grep(line, sizeof(line), " irq_handler_entry:", num,
					    "name=trace"), 1);
	KTEST_EXPECT_GE(t, trace_ktest_grep(line, sizeof(line), " irq_handler_exit:", num,
					    "ret=handled"), 1);
	trace_clear();
}

/* --- synchronize_irq / free_irq against other CPUs ------------------ */

static atomic_t slow_running, slow_calls;

static irqreturn_t slow_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	atomic_inc(&slow_running);
	udelay(2000);
	atomic_inc(&slow_calls);
	atomic_dec(&slow_running);
	return IRQ_HANDLED;
}

/* The IRQ on another CPU than the caller's; false on a single CPU. */
static bool route_elsewhere(unsigned int irq, unsigned int *cpu)
{
	unsigned int me = smp_processor_id(), c;

	for_each_online_cpu(c)
		if (c != me && !irq_set_affinity(irq, irqtest_one_cpu(c))) {
			*cpu = c;
			return true;
		}
	return false;
}

/* The slow handler on test IRQ 3, routed to another CPU; false (skipped) on one CPU. */
static bool slow_request(struct ktest *t, unsigned int *cpu)
{
	unsigned int irq = tirq_base + 3;

	atomic_set(&slow_running, 0);
	atomic_set(&slow_calls, 0);
	KTEST_ASSERT_EQ(t, request_irq(irq, slow_handler, 0, "slow", &slow_calls), 0);
	if (route_elsewhere(irq, cpu))
		return true;
	free_irq(irq, &slow_calls);
	ktest_skip(t, "needs 2 CPUs");
	return false;
}

static void test_irq_synchronize(struct ktest *t)
{
	unsigned int irq = tirq_base + 3, cpu;

	if (!slow_request(t, &cpu))
		return;
	irqtest_tirq_raise(3);
	KTEST_EXPECT_TRUE(t, spin_nonzero(&slow_running, &slow_calls));
	synchronize_irq(irq);
	KTEST_EXPECT_EQ(t, atomic_read(&slow_running), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&slow_calls), 1);
	KTEST_EXPECT_EQ(t, kstat_irqs_cpu(irq, cpu), 1ul);
	free_irq(irq, &slow_calls);
}

struct raiser {
	unsigned int idx;
	unsigned long raised;
};

static int raiser_fn(void *arg)
{
	struct raiser *r = arg;

	while (!kthread_should_stop()) {
		irqtest_tirq_raise(r->idx);
		r->raised++;
		udelay(50);
	}
	return 0;
}

/* free_irq() while another CPU keeps taking the IRQ: it returns only when no handler runs. */
static void test_irq_free_during_delivery(struct ktest *t)
{
	unsigned int irq = tirq_base + 3, cpu;
	struct raiser r = { .idx = 3 };
	struct task_struct *k;
	int calls;

	if (!slow_request(t, &cpu))
		return;
	k = kthread_create(raiser_fn, &r, "irqtest-raise");
	KTEST_ASSERT_NOT_NULL(t, k);
	wake_up_process(k);
	KTEST_EXPECT_TRUE(t, irqtest_wait_count(&slow_calls, 3));
	/* The raiser keeps the handler busy: free_irq() meets it running. */
	KTEST_EXPECT_TRUE(t, spin_nonzero(&slow_running, &slow_running));
	KTEST_EXPECT_TRUE(t, free_irq(irq, &slow_calls) != NULL);
	KTEST_EXPECT_EQ(t, atomic_read(&slow_running), 0);
	calls = atomic_read(&slow_calls);
	msleep(20);
	KTEST_EXPECT_EQ(t, atomic_read(&slow_calls), calls);
	kthread_stop(k);
	/* Raises after free_irq() were latched by the masked "device". */
	irqtest_tirq_clear_pending(3);
	ktest_log(t, "%d handled, %lu raised", calls, r.raised);
}

/* --- stuck line ----------------------------------------------------- */

static atomic_t storm_calls;

static irqreturn_t none_handler(int irq, void *dev_id)
{
	(void)irq;
	atomic_inc(dev_id);
	return IRQ_NONE;
}

/* @n interrupts of @irq through its flow handler, as if its vector came. */
static void soft_raise(unsigned int irq, unsigned int n)
{
	unsigned long flags;

	while (n) {
		unsigned int batch = n < 1000 ? n : 1000;

		local_irq_save(flags);
		__preempt_count_add(HARDIRQ_OFFSET);
		for (unsigned int i = 0; i < batch; i++)
			generic_handle_irq(irq);
		__preempt_count_add(-(int)HARDIRQ_OFFSET);
		local_irq_restore(flags);
		n -= batch;
	}
}

/*
 * The storm tests' IRQ on the software chip, with @handler counting in
 * @calls.  The gap that restarts the unhandled count is lifted until
 * soft_free(): a vCPU descheduled between two raises must not change the
 * verdict.
 */
static struct irq_desc *soft_request(struct ktest *t, irq_handler_t handler, atomic_t *calls)
{
	unsigned int irq = tirq_base + 5;

	irq_set_chip_and_handler_name(irq, &soft_chip, handle_edge_irq, "edge");
	atomic_set(calls, 0);
	KTEST_ASSERT_EQ(t, request_irq(irq, handler, 0, "stuck", calls), 0);
	WRITE_ONCE(spurious_gap_ns, ~0ull);
	return irq_to_desc(irq);
}

static void soft_free(atomic_t *calls)
{
	free_irq(tirq_base + 5, calls);
	irq_set_chip_and_handler_name(tirq_base + 5, &test_chip, handle_edge_irq, "edge");
	WRITE_ONCE(spurious_gap_ns, SPURIOUS_GAP_NS);
}

static void test_irq_storm(struct ktest *t)
{
	struct irq_desc *desc = soft_request(t, none_handler, &storm_calls);
	unsigned int irq = desc->irq_data.irq;

	soft_raise(irq, SPURIOUS_WINDOW - 1);
	KTEST_EXPECT_FALSE(t, desc->istate & IRQS_SPURIOUS_DISABLED);
	soft_raise(irq, 1);
	KTEST_EXPECT_TRUE(t, desc->istate & IRQS_SPURIOUS_DISABLED);
	KTEST_EXPECT_TRUE(t, desc->istate & IRQS_MASKED);
	KTEST_EXPECT_EQ(t, desc->depth, 1u);
	/* Disabled: the handler is no longer called. */
	soft_raise(irq, 10);
	KTEST_EXPECT_EQ(t, atomic_read(&storm_calls), (int)SPURIOUS_WINDOW);
	/* enable_irq() brings it back and replays the edge latched meanwhile. */
	enable_irq(irq);
	KTEST_EXPECT_FALSE(t, desc->istate & (IRQS_SPURIOUS_DISABLED | IRQS_DISABLED));
	KTEST_EXPECT_TRUE(t, irqtest_wait_count(&storm_calls, SPURIOUS_WINDOW + 1));
	soft_raise(irq, 1);
	KTEST_EXPECT_EQ(t, atomic_read(&storm_calls), (int)SPURIOUS_WINDOW + 2);
	soft_free(&storm_calls);
}

static atomic_t mostly_calls;

static irqreturn_t mostly_none_handler(int irq, void *dev_id)
{
	(void)irq;
	/* One in 400 handled: 250 of 100 000, under Linux's threshold of 99 900. */
	return atomic_inc_return((atomic_t *)dev_id) % 400 ? IRQ_NONE : IRQ_HANDLED;
}

static void test_irq_storm_threshold(struct ktest *t)
{
	struct irq_desc *desc = soft_request(t, mostly_none_handler, &mostly_calls);

	soft_raise(desc->irq_data.irq, SPURIOUS_WINDOW);
	KTEST_EXPECT_FALSE(t, desc->istate & IRQS_SPURIOUS_DISABLED);
	KTEST_EXPECT_EQ(t, atomic_read(&mostly_calls), (int)SPURIOUS_WINDOW);
	soft_free(&mostly_calls);
}

/* --- a slow free holds up no other IRQ ------------------------------ */

static atomic_t slow_thr_in, other_done;
static bool slow_thr_release, slow_freed;

static irqreturn_t slow_thr_fn(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	atomic_inc(&slow_thr_in);
	while (!READ_ONCE(slow_thr_release))
		msleep(1);
	return IRQ_HANDLED;
}

static int slow_free_fn(void *arg)
{
	free_irq(tirq_base + 6, arg);
	WRITE_ONCE(slow_freed, true);
	return 0;
}

static int other_request_fn(void *arg)
{
	int ret = request_irq(tirq_base + 7, irqtest_count_handler, 0, "other", arg);

	if (!ret)
		free_irq(tirq_base + 7, arg);
	atomic_inc(&other_done);
	return ret;
}

/*
 * free_irq() of IRQ 6 waits for its thread, which is stuck in its handler;
 * meanwhile IRQ 7 is requested and freed: requests and frees are
 * serialised per IRQ, not by one global lock.
 */
static void test_irq_free_waits_alone(struct ktest *t)
{
	struct task_struct *k, *other;
	atomic_t calls = ATOMIC_INIT(0);
	u64 end;

	atomic_set(&slow_thr_in, 0);
	atomic_set(&other_done, 0);
	WRITE_ONCE(slow_thr_release, false);
	WRITE_ONCE(slow_freed, false);
	KTEST_ASSERT_EQ(t, request_threaded_irq(tirq_base + 6, NULL, slow_thr_fn, IRQF_ONESHOT,
						"slow", &slow_thr_in), 0);
	irqtest_tirq_raise(6);
	KTEST_ASSERT_TRUE(t, irqtest_wait_count(&slow_thr_in, 1));
	k = kthread_run(slow_free_fn, &slow_thr_in, "irqtest-free");
	if (!k)
		WRITE_ONCE(slow_thr_release, true);	/* before the abort */
	KTEST_ASSERT_NOT_NULL(t, k);
	/* free_irq(6) unlinks the action under its mutex, then waits for the thread. */
	end = ktime_get_ns() + 2 * NSEC_PER_SEC;
	while (READ_ONCE(irq_to_desc(tirq_base + 6)->action) && ktime_get_ns() < end)
		msleep(1);
	KTEST_EXPECT_NULL(t, READ_ONCE(irq_to_desc(tirq_base + 6)->action));
	other = kthread_run(other_request_fn, &calls, "irqtest-other");
	if (!other)
		WRITE_ONCE(slow_thr_release, true);
	KTEST_ASSERT_NOT_NULL(t, other);
	KTEST_EXPECT_TRUE(t, irqtest_wait_count(&other_done, 1));
	KTEST_EXPECT_FALSE(t, READ_ONCE(slow_freed));	/* still waiting for its thread */
	WRITE_ONCE(slow_thr_release, true);
	KTEST_EXPECT_EQ(t, kthread_join(other), 0);
	KTEST_EXPECT_EQ(t, kthread_join(k), 0);
	KTEST_EXPECT_TRUE(t, READ_ONCE(slow_freed));
	KTEST_EXPECT_NULL(t, irq_to_desc(tirq_base + 6)->action);
	irqtest_tirq_clear_pending(6);
}

/* --- device-managed ------------------------------------------------- */

static void test_irq_devm(struct ktest *t)
{
	static struct device dev;
	unsigned int irq = tirq_base + 6;
	atomic_t calls;

	device_initialize(&dev);
	dev_set_name(&dev, "irqtest");
	atomic_set(&calls, 0);
	KTEST_ASSERT_EQ(t, devm_request_irq(&dev, irq, irqtest_count_handler, 0, NULL, &calls), 0);
	KTEST_EXPECT_EQ(t, devres_count(&dev), 2u);
	KTEST_EXPECT_EQ(t, strcmp(irq_to_desc(irq)->action->name, "irqtest"), 0);
	irqtest_tirq_raise(6);
	KTEST_EXPECT_TRUE(t, irqtest_wait_count(&calls, 1));
	devres_release_all(&dev);
	KTEST_EXPECT_NULL(t, irq_to_desc(irq)->action);
	KTEST_EXPECT_EQ(t, devres_count(&dev), 0u);
	/* devm_free_irq(): the IRQ and both resources go at once; a foreign one is refused. */
	KTEST_ASSERT_EQ(t, devm_request_irq(&dev, irq, irqtest_count_handler, 0, NULL, &calls), 0);
	devm_free_irq(&dev, irq, &dev);
	KTEST_EXPECT_NOT_NULL(t, irq_to_desc(irq)->action);
	KTEST_EXPECT_EQ(t, devres_count(&dev), 2u);
	devm_free_irq(&dev, irq, &calls);
	KTEST_EXPECT_NULL(t, irq_to_desc(irq)->action);
	KTEST_EXPECT_EQ(t, devres_count(&dev), 0u);
	/* A failed request leaves nothing behind. */
	KTEST_EXPECT_EQ(t, devm_request_irq(&dev, NR_IRQS + 1, irqtest_count_handler, 0, NULL, &calls),
			-EINVAL);
	KTEST_EXPECT_EQ(t, devres_count(&dev), 0u);
}

/* --- `interrupts` against descriptors freed meanwhile ---------------- */

static unsigned long churn_rounds;

/* Allocate, request, free and free again a descriptor whose chip is kmalloc'ed, as MSI does. */
static int churn_fn(void *arg)
{
	atomic_t *calls = arg;

	while (!kthread_should_stop()) {
		struct irq_chip *chip = kzalloc(sizeof(*chip), GFP_KERNEL);
		int irq = irq_alloc_descs(-1, 0, 1, NUMA_NO_NODE);

		if (chip && irq >= 0) {
			*chip = test_chip;
			chip->name = "churn";
			irq_set_chip_and_handler_name(irq, chip, handle_edge_irq, "edge");
			irq_set_chip_data(irq, &tirqs[7]);
			if (!request_irq(irq, irqtest_count_handler, 0, "churn", calls))
				free_irq(irq, calls);
		}
		if (irq >= 0)
			irq_free_descs(irq, 1);
		kfree(chip);
		WRITE_ONCE(churn_rounds, churn_rounds + 1);
		yield();
	}
	return 0;
}

/* The descriptor walk holds sparse_irq_lock: a freed descriptor or chip is never read. */
static void test_irq_interrupts_vs_free(struct ktest *t)
{
	struct task_struct *k;
	unsigned long before;
	atomic_t calls;

	atomic_set(&calls, 0);
	churn_rounds = 0;
	k = kthread_create(churn_fn, &calls, "irqtest-churn");
	KTEST_ASSERT_NOT_NULL(t, k);
	wake_up_process(k);
	for (int i = 0; i < 4; i++) {
		before = READ_ONCE(churn_rounds);
		KTEST_EXPECT_EQ(t, shell_run_command("interrupts"), 0);
		/* Bounded: the churn must make progress between two walks. */
		for (int ms = 0; ms < 2000 && READ_ONCE(churn_rounds) == before; ms++)
			msleep(1);
	}
	KTEST_EXPECT_EQ(t, kthread_stop(k), 0);
	KTEST_EXPECT_GT(t, READ_ONCE(churn_rounds), 0ul);
}

/* --- the I/O APIC's GSIs -------------------------------------------- */

static void test_irq_gsi(struct ktest *t)
{
	struct irq_desc *desc;
	int irq;

	if (!irq_to_desc(20) || !irq_to_desc(4)) {
		ktest_skip(t, "no I/O APIC with 24 inputs");
		return;
	}
	irq = acpi_register_gsi(NULL, 20, ACPI_LEVEL_SENSITIVE, ACPI_ACTIVE_LOW);
	KTEST_ASSERT_EQ(t, irq, 20);
	desc = irq_to_desc(irq);
	KTEST_EXPECT_EQ(t, desc->irq_data.type, (unsigned int)IRQ_TYPE_LEVEL_LOW);
	KTEST_EXPECT_TRUE(t, desc->handle_irq == handle_fasteoi_irq);
	KTEST_EXPECT_EQ(t, strcmp(desc->irq_data.chip->name, "IO-APIC"), 0);
	KTEST_EXPECT_EQ(t, acpi_register_gsi(NULL, 20, ACPI_EDGE_SENSITIVE, ACPI_ACTIVE_HIGH), 20);
	KTEST_EXPECT_TRUE(t, desc->handle_irq == handle_edge_irq);
	KTEST_EXPECT_EQ(t, acpi_register_gsi(NULL, 20, ACPI_LEVEL_SENSITIVE, ACPI_ACTIVE_LOW), 20);
	/* ISA IRQs keep their numbers and are edge unless overridden. */
	KTEST_EXPECT_EQ(t, irq_to_desc(4)->irq_data.type, (unsigned int)IRQ_TYPE_EDGE_RISING);
	/* The serial console's line is in use: a different mode is refused. */
	if (irq_to_desc(4)->action)
		KTEST_EXPECT_EQ(t, acpi_register_gsi(NULL, 4, ACPI_LEVEL_SENSITIVE,
						     ACPI_ACTIVE_LOW), -EINVAL);
}

static struct ktest_case irq_cases[] = {
	KTEST_CASE_FLAGS(test_irq_shared, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_irq_share_mismatch, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_irq_errors, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_irq_threaded_oneshot, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_irq_threaded_default_primary, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_irq_disable_depth, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_irq_trace_events, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_irq_synchronize, KTEST_F_NOHOST | KTEST_F_SMP),
	KTEST_CASE_FLAGS(test_irq_free_during_delivery, KTEST_F_NOHOST | KTEST_F_SMP),
	KTEST_CASE_FLAGS(test_irq_affinity_flood, KTEST_F_NOHOST | KTEST_F_SLOW),
	KTEST_CASE_FLAGS(test_irq_move_one_register, KTEST_F_NOHOST | KTEST_F_SMP),
	KTEST_CASE_FLAGS(test_irq_storm, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_irq_storm_threshold, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_irq_msi_spread, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_irq_free_waits_alone, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_irq_devm, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_irq_gsi, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_irq_interrupts_vs_free, KTEST_F_NOHOST),
	{}
};

static struct ktest_suite irq_suite = {
	.name = "irq",
	.cases = irq_cases,
	.init = irq_suite_init,
	.exit = irq_suite_exit,
};
KTEST_SUITE(irq_suite);
