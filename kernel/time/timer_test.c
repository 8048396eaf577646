// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of timer_list and of the sleeping calls: expiry never early and
 * on the arming CPU, ordering, re-arming from the callback, mod_timer()
 * and del_timer() return values, del_timer_sync() against a callback
 * running on another CPU, concurrent arm/disarm from every CPU, and the
 * accuracy of msleep()/usleep_range()/schedule_timeout() against the TSC.
 *
 * Accuracy bound: a sleep or a timer is never early; its lateness is the
 * time to the next tick (at most 1/APIC_TIMER_HZ = 10 ms) plus the wake-up.
 * Under TCG on a loaded host a vCPU can be descheduled for tens of ms, so
 * the bound checked is on the median of SLEEP_RUNS sleeps: LATE_BOUND_NS
 * (10 ticks), not on each sleep.
 */
#include <exo/atomic.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/kthread.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/timer.h>
#include <asm/apic.h>
#include <asm/processor.h>

#define SLEEP_RUNS	7
#define TICK_NS		(NSEC_PER_SEC / APIC_TIMER_HZ)
#define LATE_BOUND_NS	(10 * TICK_NS)

struct ttimer {
	struct timer_list timer;
	atomic_t fired;
	unsigned int cpu;
	unsigned long jiffies_at;
	u64 ns_at;
	unsigned int rearm;		/* re-arm this many more times */
	unsigned int order;		/* sequence number of its firing */
	bool hold;			/* callback spins until ->release */
	atomic_t release;
	atomic_t running;
};

static atomic_t fire_seq;

static void ttimer_fn(struct timer_list *t)
{
	struct ttimer *tt = from_timer(tt, t, timer);

	atomic_set(&tt->running, 1);
	tt->cpu = smp_processor_id();
	tt->jiffies_at = jiffies;
	tt->ns_at = ktime_get_ns();
	tt->order = atomic_inc_return(&fire_seq);
	if (tt->hold) {
		/* Bounded: a test that never releases it costs 10 s, not a CPU. */
		u64 end = ktime_get_ns() + 10 * NSEC_PER_SEC;

		while (!atomic_read(&tt->release) && ktime_get_ns() < end)
			cpu_relax();
	}
	if (tt->rearm) {
		tt->rearm--;
		mod_timer(t, jiffies + 1);
	}
	atomic_set(&tt->running, 0);
	atomic_inc(&tt->fired);
}

static void ttimer_init(struct ttimer *tt)
{
	memset(tt, 0, sizeof(*tt));
	timer_setup(&tt->timer, ttimer_fn, 0);
}

/* Wait (sleeping) until @tt fired @n times, at most @ms. */
static bool wait_fired(struct ttimer *tt, int n, unsigned int ms)
{
	u64 end = ktime_get_ns() + (u64)ms * NSEC_PER_MSEC;

	while (atomic_read(&tt->fired) < n) {
		if (ktime_get_ns() > end)
			return false;
		msleep(1);
	}
	return true;
}

static unsigned long total_pending(void)
{
	unsigned long sum = 0, p, r;
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		timer_stats(cpu, &p, &r);
		sum += p;
	}
	return sum;
}

static void test_timer_fires_not_early(struct ktest *t)
{
	static struct ttimer tt;
	unsigned long pending0 = total_pending(), j0;
	u64 t0;

	ttimer_init(&tt);
	j0 = jiffies;
	t0 = ktime_get_ns();
	KTEST_EXPECT_EQ(t, mod_timer(&tt.timer, j0 + 3), 0);
	KTEST_EXPECT_TRUE(t, timer_pending(&tt.timer));
	KTEST_EXPECT_EQ(t, total_pending(), pending0 + 1);
	KTEST_ASSERT_TRUE(t, wait_fired(&tt, 1, 2000));
	KTEST_EXPECT_FALSE(t, timer_pending(&tt.timer));
	KTEST_EXPECT_TRUE(t, time_after_eq(tt.jiffies_at, j0 + 3));
	/* jiffies is ktime_get_ns() / TICK_NSEC: the clock had reached j0 + 3. */
	KTEST_EXPECT_GE(t, tt.ns_at, jiffies_to_nsecs(j0 + 3));
	KTEST_EXPECT_GT(t, tt.ns_at, t0);
	KTEST_EXPECT_EQ(t, tt.cpu, smp_processor_id());
	KTEST_EXPECT_EQ(t, total_pending(), pending0);
	KTEST_EXPECT_EQ(t, del_timer_sync(&tt.timer), 0);
}

static void test_timer_mod_del_return(struct ktest *t)
{
	static struct ttimer tt;

	ttimer_init(&tt);
	KTEST_EXPECT_EQ(t, del_timer(&tt.timer), 0);
	KTEST_EXPECT_EQ(t, mod_timer(&tt.timer, jiffies + HZ), 0);
	KTEST_EXPECT_EQ(t, mod_timer(&tt.timer, jiffies + 2 * HZ), 1);
	KTEST_EXPECT_TRUE(t, time_after(tt.timer.expires, jiffies + HZ));
	KTEST_EXPECT_EQ(t, del_timer(&tt.timer), 1);
	KTEST_EXPECT_EQ(t, del_timer(&tt.timer), 0);
	KTEST_EXPECT_FALSE(t, timer_pending(&tt.timer));
	tt.timer.expires = jiffies + HZ;
	add_timer(&tt.timer);
	KTEST_EXPECT_EQ(t, del_timer_sync(&tt.timer), 1);
	msleep(30);
	KTEST_EXPECT_EQ(t, atomic_read(&tt.fired), 0);
}

static void test_timer_past_expiry(struct ktest *t)
{
	static struct ttimer tt;

	ttimer_init(&tt);
	mod_timer(&tt.timer, jiffies - 1000);	/* long past: next tick */
	KTEST_EXPECT_TRUE(t, wait_fired(&tt, 1, 1000));
	ttimer_init(&tt);
	mod_timer(&tt.timer, jiffies + 3 * 256 + 2);	/* three wheel turns */
	msleep(20);
	KTEST_EXPECT_EQ(t, atomic_read(&tt.fired), 0);
	KTEST_EXPECT_EQ(t, del_timer_sync(&tt.timer), 1);
}

static void test_timer_ordering(struct ktest *t)
{
	static struct ttimer tt[6];
	static const unsigned int delay[6] = { 5, 1, 9, 3, 7, 2 };
	unsigned long j0 = jiffies, j1;

	atomic_set(&fire_seq, 0);
	for (unsigned int i = 0; i < 6; i++) {
		ttimer_init(&tt[i]);
		mod_timer(&tt[i].timer, j0 + delay[i] * 2);
	}
	j1 = jiffies;
	for (unsigned int i = 0; i < 6; i++)
		KTEST_ASSERT_TRUE(t, wait_fired(&tt[i], 1, 3000));
	/*
	 * Distinct future expiries fire in expiry order.  If arming crossed
	 * more than one tick (a descheduled vCPU), the first ones were already
	 * due and fire in arming order: nothing to check then.
	 */
	if (time_after(j1, j0 + 1)) {
		ktest_log(t, "arming took %lu jiffies: order not checked", j1 - j0);
		return;
	}
	for (unsigned int i = 0; i < 6; i++)
		for (unsigned int k = 0; k < 6; k++)
			if (delay[i] < delay[k])
				KTEST_EXPECT_LT(t, tt[i].order, tt[k].order);
}

static void test_timer_rearm_self(struct ktest *t)
{
	static struct ttimer tt;

	ttimer_init(&tt);
	tt.rearm = 9;
	mod_timer(&tt.timer, jiffies + 1);
	KTEST_ASSERT_TRUE(t, wait_fired(&tt, 10, 3000));
	msleep(30);
	KTEST_EXPECT_EQ(t, atomic_read(&tt.fired), 10);
	KTEST_EXPECT_FALSE(t, timer_pending(&tt.timer));
}

static void test_timer_add_on_cpu(struct ktest *t)
{
	static struct ttimer tt[NR_CPUS];
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		ttimer_init(&tt[cpu]);
		tt[cpu].timer.expires = jiffies + 1;
		add_timer_on(&tt[cpu].timer, cpu);
	}
	for_each_online_cpu(cpu) {
		KTEST_ASSERT_TRUE(t, wait_fired(&tt[cpu], 1, 2000));
		KTEST_EXPECT_EQ(t, tt[cpu].cpu, cpu);
	}
}

static struct ttimer sync_tt;

/* On CPU 1: arm a slow timer there, then let CPU 0 re-arm it. */
static void arm_remote(void *arg, unsigned int id)
{
	if (id == 0)
		mod_timer(&sync_tt.timer, jiffies + 1);
}

/*
 * Arm sync_tt on another CPU and catch its callback running there.  The
 * callback spins until the test sets ->release, so checks made while it
 * runs do not depend on how long this vCPU is descheduled.
 */
static bool catch_remote_callback(struct ktest *t, unsigned int *other)
{
	for (int round = 0; round < 5; round++) {
		u64 end;

		ttimer_init(&sync_tt);
		sync_tt.hold = true;
		if (ktest_run_on_cpus(1, arm_remote, NULL) != 1)
			return false;
		*other = sync_tt.timer.flags & TIMER_CPUMASK;
		end = ktime_get_ns() + 10 * NSEC_PER_SEC;
		while (!atomic_read(&sync_tt.running) && !atomic_read(&sync_tt.fired) &&
		       ktime_get_ns() < end)
			cpu_relax();
		if (atomic_read(&sync_tt.running))
			return true;
		ktest_log(t, "round %d: fired %d on CPU %u, armed on %u, not seen running",
			  round, atomic_read(&sync_tt.fired), sync_tt.cpu, *other);
		atomic_set(&sync_tt.release, 1);
		del_timer_sync(&sync_tt.timer);
	}
	return false;
}

static void test_timer_del_sync_running(struct ktest *t)
{
	unsigned int other = 0;

	KTEST_ASSERT_TRUE(t, catch_remote_callback(t, &other));
	KTEST_EXPECT_NE(t, other, smp_processor_id());
	/* The callback runs on the other CPU: a re-arm stays there (T3). */
	KTEST_EXPECT_EQ(t, mod_timer(&sync_tt.timer, jiffies + HZ), 0);
	KTEST_EXPECT_EQ(t, sync_tt.timer.flags & TIMER_CPUMASK, other);
	KTEST_EXPECT_EQ(t, try_to_del_timer_sync(&sync_tt.timer), -1);
	atomic_set(&sync_tt.release, 1);
	KTEST_EXPECT_EQ(t, del_timer_sync(&sync_tt.timer), 1);
	/* Returned only once the callback had finished. */
	KTEST_EXPECT_EQ(t, atomic_read(&sync_tt.running), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&sync_tt.fired), 1);
	KTEST_EXPECT_EQ(t, sync_tt.cpu, other);
	KTEST_EXPECT_FALSE(t, timer_pending(&sync_tt.timer));
}

static struct ttimer due_tt;

/* On another CPU: two timers due on the same jiffy, sync_tt's first. */
static void arm_due_pair(void *arg, unsigned int id)
{
	if (id)
		return;
	sync_tt.timer.expires = jiffies + 1;
	due_tt.timer.expires = sync_tt.timer.expires;
	add_timer(&sync_tt.timer);
	add_timer(&due_tt.timer);
}

static bool is_due_tt(const struct timer_list *timer, void *arg)
{
	return timer == &due_tt.timer;
}

/*
 * While one callback runs, the timers the same tick found due wait for
 * it off the wheel: timer_find_armed() (the unbind check) must see them.
 */
static void test_timer_find_armed_due(struct ktest *t)
{
	void (*fn)(struct timer_list *) = NULL;
	u64 end = ktime_get_ns() + 10 * NSEC_PER_SEC;

	ttimer_init(&sync_tt);
	ttimer_init(&due_tt);
	sync_tt.hold = true;
	KTEST_ASSERT_EQ(t, ktest_run_on_cpus(1, arm_due_pair, NULL), 1);
	while (!atomic_read(&sync_tt.running) && ktime_get_ns() < end)
		cpu_relax();
	KTEST_EXPECT_TRUE(t, atomic_read(&sync_tt.running));
	KTEST_EXPECT_EQ(t, atomic_read(&due_tt.fired), 0);
	KTEST_EXPECT_TRUE(t, timer_find_armed(is_due_tt, NULL, &fn));
	KTEST_EXPECT_TRUE(t, fn == ttimer_fn);
	atomic_set(&sync_tt.release, 1);
	del_timer_sync(&sync_tt.timer);
	KTEST_EXPECT_TRUE(t, wait_fired(&due_tt, 1, 2000));
	/* ->fired counts before the callback returns: wait for the return. */
	del_timer_sync(&due_tt.timer);
	KTEST_EXPECT_FALSE(t, timer_find_armed(is_due_tt, NULL, &fn));
}

static int self_del_ret = 99;

static void self_del_fn(struct timer_list *timer)
{
	self_del_ret = del_timer_sync(timer);	/* WARNs, must not hang */
}

static void test_timer_del_sync_from_callback(struct ktest *t)
{
	static struct timer_list timer;

	ktest_log(t, "expect one WARNING: del_timer_sync() from a callback");
	timer_setup(&timer, self_del_fn, 0);
	self_del_ret = 99;
	mod_timer(&timer, jiffies + 1);
	for (int ms = 0; ms < 10000 && READ_ONCE(self_del_ret) == 99; ms += 10)
		msleep(10);
	KTEST_EXPECT_EQ(t, self_del_ret, 0);
	KTEST_EXPECT_EQ(t, del_timer_sync(&timer), 0);
}

static int irqsafe_seen = -1;

static void irqsafe_fn(struct timer_list *timer)
{
	WRITE_ONCE(irqsafe_seen, irqs_disabled());
}

/* TIMER_IRQSAFE callbacks run with interrupts off; the others with them on. */
static void test_timer_irqsafe(struct ktest *t)
{
	static struct timer_list timer;

	for (int pass = 0; pass < 2; pass++) {
		timer_setup(&timer, irqsafe_fn, pass ? TIMER_IRQSAFE : 0);
		KTEST_EXPECT_EQ(t, !!(timer.flags & TIMER_IRQSAFE), pass);
		WRITE_ONCE(irqsafe_seen, -1);
		mod_timer(&timer, jiffies + 1);
		for (int ms = 0; ms < 10000 && READ_ONCE(irqsafe_seen) < 0; ms += 10)
			msleep(10);
		del_timer_sync(&timer);
		KTEST_EXPECT_EQ(t, READ_ONCE(irqsafe_seen), pass);
	}
}

static void test_timer_bad_input(struct ktest *t)
{
	static struct timer_list zero;

	ktest_log(t, "expect a WARNING: an uninitialised timer");
	KTEST_EXPECT_EQ(t, mod_timer(&zero, jiffies + 1), -EINVAL);
	KTEST_EXPECT_EQ(t, del_timer_sync(&zero), 0);
	KTEST_EXPECT_FALSE(t, timer_pending(&zero));
}

/* Every CPU arms, re-arms and disarms the same few timers at once. */
#define RACE_TIMERS	4
#define RACE_ROUNDS	2000
static struct ttimer race_tt[RACE_TIMERS];

static void race_worker(void *arg, unsigned int id)
{
	for (unsigned int i = 0; i < RACE_ROUNDS; i++) {
		struct timer_list *timer = &race_tt[(i + id) % RACE_TIMERS].timer;

		switch ((i * 7 + id) % 4) {
		case 0:
		case 1:
			mod_timer(timer, jiffies + (i % 3));
			break;
		case 2:
			del_timer(timer);
			break;
		default:
			del_timer_sync(timer);
			break;
		}
	}
}

static void test_timer_smp_race(struct ktest *t)
{
	unsigned long pending0 = total_pending();
	int n;

	for (unsigned int i = 0; i < RACE_TIMERS; i++)
		ttimer_init(&race_tt[i]);
	n = ktest_run_on_cpus(num_online_cpus(), race_worker, NULL);
	KTEST_ASSERT_GT(t, n, 0);
	for (unsigned int i = 0; i < RACE_TIMERS; i++) {
		del_timer_sync(&race_tt[i].timer);
		KTEST_EXPECT_FALSE(t, timer_pending(&race_tt[i].timer));
		KTEST_EXPECT_EQ(t, atomic_read(&race_tt[i].running), 0);
	}
	KTEST_EXPECT_EQ(t, total_pending(), pending0);
}

static u64 median(u64 *v, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int k = i; k && v[k - 1] > v[k]; k--)
			swap(v[k - 1], v[k]);
	return v[n / 2];
}

enum sleep_kind { SLEEP_MSLEEP, SLEEP_USLEEP, SLEEP_TIMEOUT };

/* Run one kind of sleep SLEEP_RUNS times: never early, median late <= bound. */
static void check_sleep(struct ktest *t, enum sleep_kind kind, u64 want_ns)
{
	u64 late[SLEEP_RUNS];

	for (unsigned int i = 0; i < SLEEP_RUNS; i++) {
		u64 t0 = ktime_get_ns(), took;

		switch (kind) {
		case SLEEP_MSLEEP:
			msleep(want_ns / NSEC_PER_MSEC);
			break;
		case SLEEP_USLEEP:
			usleep_range(want_ns / NSEC_PER_USEC, 2 * want_ns / NSEC_PER_USEC);
			break;
		case SLEEP_TIMEOUT:
			do
				set_current_state(TASK_UNINTERRUPTIBLE);
			while (schedule_timeout_ns(want_ns - min(want_ns, ktime_get_ns() - t0)));
			break;
		}
		took = ktime_get_ns() - t0;
		KTEST_EXPECT_GE(t, took, want_ns);
		late[i] = took > want_ns ? took - want_ns : 0;
	}
	ktest_log(t, "kind %d, %llu us: median late %llu us", kind, want_ns / NSEC_PER_USEC,
		  median(late, SLEEP_RUNS) / NSEC_PER_USEC);
	KTEST_EXPECT_LE(t, median(late, SLEEP_RUNS), LATE_BOUND_NS);
}

static void test_sleep_accuracy(struct ktest *t)
{
	check_sleep(t, SLEEP_MSLEEP, 1 * NSEC_PER_MSEC);
	check_sleep(t, SLEEP_MSLEEP, 25 * NSEC_PER_MSEC);
	check_sleep(t, SLEEP_USLEEP, 200 * NSEC_PER_USEC);
	check_sleep(t, SLEEP_USLEEP, 15 * NSEC_PER_MSEC);
	check_sleep(t, SLEEP_TIMEOUT, 12 * NSEC_PER_MSEC);
	KTEST_EXPECT_EQ(t, msleep_interruptible(2), 0UL);
}

static void test_jiffies_conversions(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, msecs_to_jiffies(0), 0UL);
	KTEST_EXPECT_EQ(t, msecs_to_jiffies(1), 1UL);
	KTEST_EXPECT_EQ(t, msecs_to_jiffies(1000), (unsigned long)HZ);
	KTEST_EXPECT_EQ(t, usecs_to_jiffies(1), 1UL);
	KTEST_EXPECT_EQ(t, usecs_to_jiffies(1000000), (unsigned long)HZ);
	KTEST_EXPECT_EQ(t, jiffies_to_msecs(HZ), 1000U);
	KTEST_EXPECT_TRUE(t, time_after(5UL, 3UL));
	KTEST_EXPECT_TRUE(t, time_after(2UL, ~0UL));	/* across the wrap */
	KTEST_EXPECT_TRUE(t, time_before_eq(3UL, 3UL));
	/* jiffies follows the TSC clock. */
	KTEST_EXPECT_LE(t, jiffies, ktime_get_ns() / TICK_NSEC);
	/* Ticks bring it up to date; a descheduled vCPU's may come late. */
	KTEST_EXPECT_GE(t, jiffies + HZ, ktime_get_ns() / TICK_NSEC);
}

static struct ktest_case timer_cases[] = {
	KTEST_CASE(test_jiffies_conversions),
	KTEST_CASE(test_timer_fires_not_early),
	KTEST_CASE(test_timer_mod_del_return),
	KTEST_CASE(test_timer_past_expiry),
	KTEST_CASE(test_timer_ordering),
	KTEST_CASE(test_timer_rearm_self),
	KTEST_CASE(test_timer_add_on_cpu),
	KTEST_CASE_FLAGS(test_timer_del_sync_running, KTEST_F_SMP),
	KTEST_CASE_FLAGS(test_timer_find_armed_due, KTEST_F_SMP),
	KTEST_CASE(test_timer_del_sync_from_callback),
	KTEST_CASE(test_timer_irqsafe),
	KTEST_CASE(test_timer_bad_input),
	KTEST_CASE(test_timer_smp_race),
	KTEST_CASE(test_sleep_accuracy),
	{}
};

static struct ktest_suite timer_suite = {
	.name = "timer",
	.cases = timer_cases,
};
KTEST_SUITE(timer_suite);
