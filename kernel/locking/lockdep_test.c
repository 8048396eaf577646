// SPDX-License-Identifier: GPL-2.0
/*
 * Lock debugging tests, on one CPU and without any real deadlock: the
 * validator must report an A->B / B->A inversion (and a three-lock cycle)
 * exactly once, and stay quiet for consistent orders, trylocks, nesting
 * within a class and locks taken in interrupt context; might_sleep() must
 * catch a sleeping call under a spinlock, with preemption disabled and
 * with interrupts off.
 *
 * The classes come from a pool of keys, fresh ones for each run, because
 * the validator never forgets a recorded order (a second run with the
 * same classes would see nothing new).
 */
#include <exo/bottom_half.h>
#include <exo/ktest.h>
#include <exo/kthread.h>
#include <exo/lockdep.h>
#include <exo/page_alloc.h>
#include <exo/preempt.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/string.h>

#ifdef CONFIG_LOCKDEP
#define NR_KEYS 96
static struct lock_class_key keys[NR_KEYS];
static unsigned int next_key;

/* Give @n locks classes never used before; false when the pool is empty. */
static bool fresh_locks(spinlock_t *locks, const char *const *names, unsigned int n)
{
	if (next_key + n > NR_KEYS)
		return false;
	for (unsigned int i = 0; i < n; i++)
		__spin_lock_init(&locks[i], names[i], &keys[next_key++]);
	return true;
}

static unsigned long reports(void)
{
	struct lockdep_stats st;

	lockdep_get_stats(&st);
	return st.nr_reports;
}

static const char *const ab_names[] = { "test_lock_A", "test_lock_B", "test_lock_C" };

static void test_abba_reported_once(struct ktest *t)
{
	static spinlock_t l[2];
	unsigned long before = reports();
	struct lockdep_stats st;

	if (!fresh_locks(l, ab_names, 2))
		KTEST_SKIP(t, "no fresh lock classes left (run again after a reboot)");
	spin_lock(&l[0]);
	spin_lock(&l[1]);
	spin_unlock(&l[1]);
	spin_unlock(&l[0]);
	KTEST_EXPECT_EQ(t, reports(), before);
	/* The opposite order: reported before spinning on A (which is free). */
	spin_lock(&l[1]);
	spin_lock(&l[0]);
	spin_unlock(&l[0]);
	spin_unlock(&l[1]);
	lockdep_get_stats(&st);
	KTEST_EXPECT_EQ(t, st.nr_reports, before + 1);
	KTEST_EXPECT_TRUE(t, st.last_held && !strcmp(st.last_held, "test_lock_B"));
	KTEST_EXPECT_TRUE(t, st.last_acquired && !strcmp(st.last_acquired, "test_lock_A"));
	/* Once: the same inversion again is not a new report. */
	spin_lock(&l[1]);
	spin_lock(&l[0]);
	spin_unlock(&l[0]);
	spin_unlock(&l[1]);
	KTEST_EXPECT_EQ(t, reports(), before + 1);
}

static void test_three_lock_cycle(struct ktest *t)
{
	static spinlock_t l[3];
	unsigned long flags, before = reports();
	struct lockdep_stats st;

	if (!fresh_locks(l, ab_names, 3))
		KTEST_SKIP(t, "no fresh lock classes left (run again after a reboot)");
	spin_lock(&l[0]);		/* A -> B */
	spin_lock(&l[1]);
	spin_unlock(&l[1]);
	spin_unlock(&l[0]);
	spin_lock_irqsave(&l[1], flags);	/* B -> C */
	spin_lock(&l[2]);
	spin_unlock(&l[2]);
	spin_unlock_irqrestore(&l[1], flags);
	KTEST_EXPECT_EQ(t, reports(), before);
	spin_lock(&l[2]);		/* C -> A closes A -> B -> C -> A */
	spin_lock(&l[0]);
	spin_unlock(&l[0]);
	spin_unlock(&l[2]);
	lockdep_get_stats(&st);
	KTEST_EXPECT_EQ(t, st.nr_reports, before + 1);
	KTEST_EXPECT_TRUE(t, st.last_held && !strcmp(st.last_held, "test_lock_C"));
	KTEST_EXPECT_TRUE(t, st.last_acquired && !strcmp(st.last_acquired, "test_lock_A"));
}

static void test_no_false_positives(struct ktest *t)
{
	static spinlock_t l[2], same[2];
	static const char *const same_names[] = { "test_same", "test_same" };
	unsigned long before = reports();
	unsigned int depth = lockdep_depth();

	if (!fresh_locks(l, ab_names, 2) || next_key >= NR_KEYS)
		KTEST_SKIP(t, "no fresh lock classes left (run again after a reboot)");
	/* Two locks of one class. */
	__spin_lock_init(&same[0], same_names[0], &keys[next_key]);
	__spin_lock_init(&same[1], same_names[1], &keys[next_key++]);
	for (int i = 0; i < 3; i++) {
		spin_lock(&l[0]);
		spin_lock(&l[1]);
		KTEST_EXPECT_EQ(t, lockdep_depth(), depth + 2);
		spin_unlock(&l[1]);
		spin_unlock(&l[0]);
	}
	/* A trylock in the opposite order cannot deadlock. */
	spin_lock(&l[1]);
	if (spin_trylock(&l[0])) {
		__acquire(&l[0]);	/* for sparse: spin_trylock() is conditional */
		spin_unlock(&l[0]);
	} else {
		KTEST_EXPECT_TRUE(t, false);
	}
	spin_unlock(&l[1]);
	/* Nesting within a class, both ways. */
	spin_lock(&same[0]);
	spin_lock(&same[1]);
	spin_unlock(&same[1]);
	spin_unlock(&same[0]);
	spin_lock(&same[1]);
	spin_lock(&same[0]);
	spin_unlock(&same[0]);
	spin_unlock(&same[1]);
	/* Out-of-order release keeps the stack right. */
	spin_lock(&l[0]);
	spin_lock(&l[1]);
	spin_unlock(&l[0]);
	KTEST_EXPECT_EQ(t, lockdep_depth(), depth + 1);
	spin_unlock(&l[1]);
	KTEST_EXPECT_EQ(t, lockdep_depth(), depth);
	KTEST_EXPECT_EQ(t, reports(), before);
}

/*
 * Locks taken in an interrupt are not ordered after what the interrupted
 * code held: A held, "interrupt" takes B, later B -> A in thread context
 * is the first order between them.
 */
static void test_irq_context_separate(struct ktest *t)
{
	static spinlock_t l[2];
	unsigned long flags, before = reports();

	if (!fresh_locks(l, ab_names, 2))
		KTEST_SKIP(t, "no fresh lock classes left (run again after a reboot)");
	spin_lock_irqsave(&l[0], flags);
	__preempt_count_add(HARDIRQ_OFFSET);	/* what the interrupt entry does */
	spin_lock(&l[1]);
	spin_unlock(&l[1]);
	__preempt_count_add(-(int)HARDIRQ_OFFSET);
	spin_unlock_irqrestore(&l[0], flags);
	spin_lock(&l[1]);
	spin_lock(&l[0]);
	spin_unlock(&l[0]);
	spin_unlock(&l[1]);
	KTEST_EXPECT_EQ(t, reports(), before);
}

/*
 * A thread's bh-disabled section is thread context: A held, then B with
 * bottom halves off records A -> B, and the opposite order is reported.
 */
static void test_bh_disabled_is_thread_context(struct ktest *t)
{
	static spinlock_t l[2];
	unsigned long before = reports();

	if (!fresh_locks(l, ab_names, 2))
		KTEST_SKIP(t, "no fresh lock classes left (run again after a reboot)");
	spin_lock(&l[0]);
	spin_lock_bh(&l[1]);
	spin_unlock_bh(&l[1]);
	spin_unlock(&l[0]);
	KTEST_EXPECT_EQ(t, reports(), before);
	local_bh_disable();
	spin_lock(&l[1]);
	spin_lock(&l[0]);
	spin_unlock(&l[0]);
	spin_unlock(&l[1]);
	local_bh_enable();
	KTEST_EXPECT_EQ(t, reports(), before + 1);
}

/*
 * Serving a softirq and a hard interrupt on top of it are two contexts:
 * A in the softirq, B in the interrupt records no A -> B, so B then A in
 * a thread is no inversion.
 */
static void test_softirq_hardirq_separate(struct ktest *t)
{
	static spinlock_t l[2];
	unsigned long flags, before = reports();

	if (!fresh_locks(l, ab_names, 2))
		KTEST_SKIP(t, "no fresh lock classes left (run again after a reboot)");
	local_irq_save(flags);
	__preempt_count_add(SOFTIRQ_OFFSET);	/* what handle_softirqs() does */
	spin_lock(&l[0]);
	__preempt_count_add(HARDIRQ_OFFSET);	/* an interrupt on top of it */
	spin_lock(&l[1]);
	spin_unlock(&l[1]);
	__preempt_count_add(-(int)HARDIRQ_OFFSET);
	spin_unlock(&l[0]);
	__preempt_count_add(-(int)SOFTIRQ_OFFSET);
	local_irq_restore(flags);
	spin_lock(&l[1]);
	spin_lock(&l[0]);
	spin_unlock(&l[0]);
	spin_unlock(&l[1]);
	KTEST_EXPECT_EQ(t, reports(), before);
}

/*
 * Every online CPU takes the same two locks in the same order, many times
 * and concurrently: no report, and every CPU's held stack back to empty.
 */
struct smp_order_ctx {
	spinlock_t *locks;
	unsigned int rounds;
	unsigned int depth_after;
	unsigned long done;
};

static int smp_order_thread(void *arg)
{
	struct smp_order_ctx *c = arg;
	unsigned long flags;

	for (unsigned int i = 0; i < c->rounds; i++) {
		spin_lock_irqsave(&c->locks[0], flags);
		spin_lock(&c->locks[1]);
		c->done++;
		spin_unlock(&c->locks[1]);
		spin_unlock_irqrestore(&c->locks[0], flags);
	}
	preempt_disable();
	c->depth_after = lockdep_depth();
	preempt_enable();
	return 0;
}

static void test_smp_consistent_order(struct ktest *t)
{
	static spinlock_t l[2];
	static struct smp_order_ctx ctx[NR_CPUS];
	static struct task_struct *th[NR_CPUS];
	unsigned long before = reports();
	unsigned int cpu;

	if (!fresh_locks(l, ab_names, 2))
		KTEST_SKIP(t, "no fresh lock classes left (run again after a reboot)");
	for_each_online_cpu(cpu) {
		ctx[cpu] = (struct smp_order_ctx){ .locks = l, .rounds = 2000, .depth_after = ~0U };
		th[cpu] = kthread_create(smp_order_thread, &ctx[cpu], "lockdep_smp/%u", cpu);
		KTEST_ASSERT_NOT_NULL(t, th[cpu]);
		KTEST_ASSERT_EQ(t, kthread_bind(th[cpu], cpu), 0);
	}
	for_each_online_cpu(cpu)
		wake_up_process(th[cpu]);
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, kthread_join(th[cpu]), 0);
		KTEST_EXPECT_EQ(t, ctx[cpu].done, 2000UL);
		KTEST_EXPECT_EQ(t, ctx[cpu].depth_after, 0U);
	}
	KTEST_EXPECT_EQ(t, reports(), before);
}

static void test_stats(struct ktest *t)
{
	struct lockdep_stats st;

	lockdep_get_stats(&st);
	/* The kernel's own locks (printk, zones, run queues...) are classes. */
	KTEST_EXPECT_GT(t, st.nr_classes, 3U);
	KTEST_EXPECT_GT(t, st.nr_edges, 0U);
	KTEST_EXPECT_GE(t, st.max_depth, 2U);
	ktest_log(t, "%u classes, %u dependencies, max depth %u, %lu untracked", st.nr_classes,
		  st.nr_edges, st.max_depth, st.nr_untracked);
}
#endif

#ifdef CONFIG_DEBUG_ATOMIC_SLEEP
/* In a kthread (interrupts on): fine, then with interrupts off: a report. */
static int irqs_off_thread(void *arg)
{
	unsigned long *counts = arg, flags;

	might_sleep();
	counts[0] = might_sleep_reports();
	local_irq_save(flags);
	might_sleep();
	local_irq_restore(flags);
	counts[1] = might_sleep_reports();
	return 0;
}

static void test_might_sleep(struct ktest *t)
{
	static DEFINE_SPINLOCK(sleep_test_lock);
	unsigned long before = might_sleep_reports(), counts[2] = { 0, 0 };
	struct task_struct *th;

	might_sleep();				/* fine: thread context */
	KTEST_EXPECT_EQ(t, might_sleep_reports(), before);
	spin_lock(&sleep_test_lock);
	might_sleep();
	spin_unlock(&sleep_test_lock);
	KTEST_EXPECT_EQ(t, might_sleep_reports(), before + 1);
	preempt_disable();
	might_alloc(GFP_KERNEL);
	might_alloc(GFP_ATOMIC);		/* atomic allocations may not sleep: fine */
	preempt_enable();
	KTEST_EXPECT_EQ(t, might_sleep_reports(), before + 2);
	/* Counted every time, printed once per site. */
	for (int i = 0; i < 3; i++) {
		preempt_disable();
		might_sleep();
		preempt_enable();
	}
	KTEST_EXPECT_EQ(t, might_sleep_reports(), before + 5);
	before = might_sleep_reports();
	th = kthread_run(irqs_off_thread, counts, "might_sleep_test");
	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_EXPECT_EQ(t, kthread_join(th), 0);
	KTEST_EXPECT_EQ(t, counts[0], before);
	KTEST_EXPECT_EQ(t, counts[1], before + 1);
}
#endif

static struct ktest_case lockdep_cases[] = {
#ifdef CONFIG_LOCKDEP
	KTEST_CASE(test_abba_reported_once),
	KTEST_CASE(test_three_lock_cycle),
	KTEST_CASE(test_no_false_positives),
	KTEST_CASE(test_irq_context_separate),
	KTEST_CASE(test_bh_disabled_is_thread_context),
	KTEST_CASE(test_softirq_hardirq_separate),
	KTEST_CASE_FLAGS(test_smp_consistent_order, KTEST_F_SMP),
	KTEST_CASE(test_stats),
#endif
#ifdef CONFIG_DEBUG_ATOMIC_SLEEP
	KTEST_CASE(test_might_sleep),
#endif
	{}
};

static struct ktest_suite lockdep_suite = {
	.name = "lockdep",
	.cases = lockdep_cases,
};
KTEST_SUITE(lockdep_suite);
