// SPDX-License-Identifier: GPL-2.0
/*
 * The irq suite's cases about where an IRQ is delivered: moves under a
 * flood of raises, moves of a device without mask bits (one register
 * per write), and MSI-style allocation spread over the CPUs.  The fake
 * device is irq_test.c's.
 */
#include <exo/atomic.h>
#include <exo/irq.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/time.h>
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include "irq_test.h"

/* --- affinity under a flood ----------------------------------------- */

static atomic_t flood_handled;
static atomic_t flood_raised;
static bool flood_stop;

static irqreturn_t flood_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	atomic_inc(&flood_handled);
	return IRQ_HANDLED;
}

/*
 * One interrupt in flight at a time (the next is raised once the last was
 * handled), so that two never merge in one IRR bit: a lost interrupt then
 * shows as a count that never catches up.
 */
static int flood_fn(void *arg)
{
	u64 end;

	(void)arg;
	while (!READ_ONCE(flood_stop)) {
		int n = atomic_read(&flood_raised);

		end = ktime_get_ns() + 1000000000ull;
		while (atomic_read(&flood_handled) < n) {
			if (ktime_get_ns() > end)
				return -ETIMEDOUT;
			cpu_relax();
		}
		atomic_inc(&flood_raised);
		irqtest_tirq_raise(4);
	}
	return 0;
}

void test_irq_affinity_flood(struct ktest *t)
{
	unsigned int irq = tirq_base + 4, cpu = 0, moves = 0, busy = 0, was;
	struct task_struct *k;
	u64 start, end;

	atomic_set(&flood_handled, 0);
	atomic_set(&flood_raised, 0);
	WRITE_ONCE(flood_stop, false);
	KTEST_ASSERT_EQ(t, request_irq(irq, flood_handler, 0, "flood", &flood_handled), 0);
	k = kthread_create(flood_fn, NULL, "irqtest-flood");
	KTEST_ASSERT_NOT_NULL(t, k);
	wake_up_process(k);
	start = ktime_get_ns();
	end = start + 300000000ull;
	while (ktime_get_ns() < end || (moves < 50 && ktime_get_ns() < start + 3000000000ull)) {
		int ret;

		cpu = cpumask_next(cpu, &cpu_online_mask);
		if (cpu >= NR_CPUS)
			cpu = cpumask_next(-1, &cpu_online_mask);
		was = READ_ONCE(irq_to_desc(irq)->cfg.cpu);
		ret = irq_set_affinity(irq, irqtest_one_cpu(cpu));
		if (!ret && was != cpu)
			moves++;
		else if (ret == -EBUSY)
			busy++;
		else
			KTEST_EXPECT_EQ(t, ret, 0);
		if (moves >= 2000)
			break;
		yield();
	}
	WRITE_ONCE(flood_stop, true);
	KTEST_EXPECT_EQ(t, kthread_stop(k), 0);
	/* The last raise may still be on its way to a vCPU that is not running. */
	KTEST_EXPECT_TRUE(t, irqtest_wait_count(&flood_handled, atomic_read(&flood_raised)));
	KTEST_EXPECT_EQ(t, atomic_read(&flood_handled), atomic_read(&flood_raised));
	KTEST_EXPECT_GT(t, atomic_read(&flood_raised), 100);
	if (num_online_cpus() > 1)
		KTEST_EXPECT_GT(t, moves, 10u);
	ktest_log(t, "%d raised, %d handled, %u moves, %u busy", atomic_read(&flood_raised),
		  atomic_read(&flood_handled), moves, busy);
	free_irq(irq, &flood_handled);
}

/* --- moves of a device without mask bits ---------------------------- */

static atomic_t move_calls;

/* Move test IRQ @i to @cpu, raise it once and wait until the old vector is freed. */
static void move_and_raise(struct ktest *t, unsigned int i, unsigned int cpu,
			   unsigned int *same, unsigned int *both)
{
	struct irq_desc *desc = irq_to_desc(tirq_base + i);
	unsigned int was_cpu = desc->cfg.cpu, was_vector = desc->cfg.vector;
	int want = atomic_read(&move_calls) + 1;
	u64 end = ktime_get_ns() + 2000000000ull;

	KTEST_ASSERT_EQ(t, irq_set_affinity(tirq_base + i, irqtest_one_cpu(cpu)), 0);
	if (desc->cfg.cpu != was_cpu) {
		*same += desc->cfg.vector == was_vector;
		*both += desc->cfg.vector != was_vector;
	}
	irqtest_tirq_raise(i);
	KTEST_EXPECT_TRUE(t, irqtest_wait_count(&move_calls, want));
	while (READ_ONCE(desc->cfg.prev_vector) && ktime_get_ns() < end)
		yield();
	KTEST_EXPECT_EQ(t, READ_ONCE(desc->cfg.prev_vector), 0);
}

/*
 * An MSI without mask bits may fire between the writes of its address and
 * its data, so no move may change both at once, and every message written
 * must name a vector mapped to the IRQ on its CPU.  IRQ 7 takes a vector
 * on c1 and moves to c0; IRQ 6 then takes the lowest free vector on c1,
 * usually the one IRQ 7 left: moving IRQ 7 back needs a new vector there.
 * One of the two moves keeps the vector number, the other changes it.
 */
void test_irq_move_one_register(struct ktest *t)
{
	unsigned int c0 = cpumask_next(-1, &cpu_online_mask), c1, same = 0, both = 0;

	c1 = cpumask_next(c0, &cpu_online_mask);
	if (c1 >= NR_CPUS)
		KTEST_SKIP(t, "needs 2 or more CPUs");
	/* Checked as moves from their last message: start from none. */
	for (unsigned int i = 6; i <= 7; i++)
		tirqs[i].msg = (struct msi_msg){}, tirqs[i].torn = tirqs[i].unmapped = 0;
	atomic_set(&move_calls, 0);
	KTEST_ASSERT_EQ(t, irq_set_affinity(tirq_base + 7, irqtest_one_cpu(c1)), 0);
	KTEST_ASSERT_EQ(t, request_irq(tirq_base + 7, irqtest_count_handler, 0, "move7", &move_calls), 0);
	move_and_raise(t, 7, c0, &same, &both);
	KTEST_EXPECT_EQ(t, irq_set_affinity(tirq_base + 6, irqtest_one_cpu(c1)), 0);
	KTEST_EXPECT_EQ(t, request_irq(tirq_base + 6, irqtest_count_handler, 0, "move6", &move_calls), 0);
	move_and_raise(t, 7, c1, &same, &both);
	for (unsigned int r = 0; r < 8; r++) {
		move_and_raise(t, 6 + (r & 1), r & 2 ? c1 : c0, &same, &both);
		move_and_raise(t, 7 - (r & 1), r & 2 ? c0 : c1, &same, &both);
	}
	free_irq(tirq_base + 6, &move_calls);
	free_irq(tirq_base + 7, &move_calls);
	ktest_log(t, "%u moves kept the vector, %u changed it", same, both);
	KTEST_EXPECT_GT(t, same, 0u);
	KTEST_EXPECT_GT(t, both, 0u);
	KTEST_EXPECT_EQ(t, tirqs[6].torn + tirqs[7].torn, 0u);
	KTEST_EXPECT_EQ(t, tirqs[6].unmapped + tirqs[7].unmapped, 0u);
}

/* --- MSI-style allocation ------------------------------------------- */

static atomic_t msi_calls[TEST_MAX_IRQS];

void test_irq_msi_spread(struct ktest *t)
{
	unsigned int nvec = TEST_MAX_IRQS, online = num_online_cpus(), cpu, writes;
	struct msi_msg msg;

	KTEST_ASSERT_EQ(t, irq_set_affinity_spread(tirq_base, nvec), 0);
	for (unsigned int i = 0; i < nvec; i++) {
		atomic_set(&msi_calls[i], 0);
		KTEST_ASSERT_EQ(t, request_irq(tirq_base + i, irqtest_count_handler, 0, "msi",
					       &msi_calls[i]), 0);
	}
	cpu = cpumask_next(-1, &cpu_online_mask);
	for (unsigned int i = 0; i < nvec; i++) {
		unsigned int irq = tirq_base + i;

		KTEST_ASSERT_EQ(t, irq_get_msi_msg(irq, &msg), 0);
		KTEST_EXPECT_EQ(t, msg.address_lo & 0xfff00000u, 0xfee00000u);
		KTEST_EXPECT_EQ(t, msi_msg_dest_apicid(&msg), cpu_to_apicid(cpu));
		KTEST_EXPECT_GE(t, msi_msg_vector(&msg), (unsigned int)FIRST_DEVICE_VECTOR);
		KTEST_EXPECT_LT(t, msi_msg_vector(&msg), (unsigned int)FIRST_SYSTEM_VECTOR);
		KTEST_EXPECT_TRUE(t, x86_vector_desc(cpu, msi_msg_vector(&msg)) == irq_to_desc(irq));
		irqtest_tirq_raise(i);
		KTEST_EXPECT_TRUE(t, irqtest_wait_count(&msi_calls[i], 1));
		KTEST_EXPECT_EQ(t, kstat_irqs_cpu(irq, cpu), 1ul);
		cpu = cpumask_next(cpu, &cpu_online_mask);
		if (cpu >= NR_CPUS)
			cpu = cpumask_next(-1, &cpu_online_mask);
	}
	/*
	 * A move rewrites the message (twice when the vector number changes
	 * too, see test_irq_move_one_register); the IRQ still arrives, on its
	 * new CPU.
	 */
	cpu = cpumask_next(-1, &cpu_online_mask);
	if (online > 1)
		cpu = cpumask_next(cpu, &cpu_online_mask);
	if (cpu >= NR_CPUS)
		return;		/* cannot be: @online CPUs */
	writes = tirqs[0].writes;
	KTEST_EXPECT_EQ(t, irq_set_affinity(tirq_base, irqtest_one_cpu(cpu)), 0);
	if (online > 1)
		KTEST_EXPECT_EQ(t, tirqs[0].writes - writes,
				irq_to_desc(tirq_base)->cfg.tramp_vector ? 2u : 1u);
	else
		KTEST_EXPECT_EQ(t, tirqs[0].writes, writes);
	KTEST_ASSERT_EQ(t, irq_get_msi_msg(tirq_base, &msg), 0);
	KTEST_EXPECT_EQ(t, msi_msg_dest_apicid(&msg), cpu_to_apicid(cpu));
	irqtest_tirq_raise(0);
	KTEST_EXPECT_TRUE(t, irqtest_wait_count(&msi_calls[0], 2));
	for (unsigned int i = 0; i < nvec; i++)
		free_irq(tirq_base + i, &msi_calls[i]);
}
