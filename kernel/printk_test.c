// SPDX-License-Identifier: GPL-2.0
/*
 * printk from an NMI that interrupted a printk on its own CPU: the handler
 * must not wait for ever on the log lock the interrupted code holds; it
 * drops its line, and the next message reports the drop.
 */
#include <exo/atomic.h>
#include <exo/ktest.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/smp.h>
#include <exo/time.h>
#include <asm/apic.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/irqflags.h>
#include <asm/traps.h>

static bool (*prev_hook)(struct pt_regs *regs);
static int nmi_cpu = -1;
static int nmi_ret = -1;
static bool nmi_done;

static bool printk_test_nmi(struct pt_regs *regs)
{
	if ((int)smp_processor_id() != READ_ONCE(nmi_cpu))
		return prev_hook && prev_hook(regs);
	WRITE_ONCE(nmi_cpu, -1);
	nmi_ret = printk(KERN_INFO "printk_test: this line is dropped\n");
	smp_store_release(&nmi_done, true);
	return true;
}

static void test_nmi_while_log_held(struct ktest *t)
{
	unsigned long flags, before, dropped;
	u64 deadline;

	preempt_disable();
	before = printk_dropped_count();
	nmi_done = false;
	nmi_ret = -1;
	prev_hook = nmi_handler_hook;
	WRITE_ONCE(nmi_cpu, (int)smp_processor_id());
	WRITE_ONCE(nmi_handler_hook, printk_test_nmi);
	/* This CPU now holds the log lock, as a printk interrupted by an NMI. */
	flags = printk_test_lock_log();
	apic_send_ipi(cpu_to_apicid(smp_processor_id()), APIC_DM_NMI);
	deadline = ktime_get_ns() + 5 * NSEC_PER_SEC;
	while (!smp_load_acquire(&nmi_done) && ktime_get_ns() < deadline)
		cpu_relax();
	dropped = printk_dropped_count();
	printk_test_unlock_log(flags);
	WRITE_ONCE(nmi_cpu, -1);
	WRITE_ONCE(nmi_handler_hook, prev_hook);
	preempt_enable();

	KTEST_ASSERT_TRUE(t, READ_ONCE(nmi_done));
	KTEST_EXPECT_EQ(t, nmi_ret, 0);
	KTEST_EXPECT_EQ(t, dropped, before + 1);
	/* The next message reports the drop and resets the count. */
	pr_info("printk_test: after the NMI\n");
	KTEST_EXPECT_EQ(t, printk_dropped_count(), 0UL);
}

/* Outside handlers nothing is ever dropped. */
static void test_thread_never_drops(struct ktest *t)
{
	unsigned long before = printk_dropped_count();

	KTEST_EXPECT_GT(t, pr_info("printk_test: %d\n", 42), 0);
	KTEST_EXPECT_EQ(t, printk_dropped_count(), before);
}

static struct ktest_case printk_cases[] = {
	KTEST_CASE(test_nmi_while_log_held),
	KTEST_CASE(test_thread_never_drops),
	{}
};

static struct ktest_suite printk_suite = {
	.name = "printk",
	.cases = printk_cases,
};
KTEST_SUITE(printk_suite);
