// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of SMP bring-up and cross-CPU calls: every CPU the firmware lists is
 * online and answers, calls reach exactly their targets, synchronous and
 * asynchronous calls complete, two CPUs calling each other with interrupts
 * off do not deadlock, the tick runs everywhere, and a storm of calls
 * between every pair of CPUs loses nothing.
 */
#include <exo/acpi.h>
#include <exo/atomic.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/page_alloc.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/tlb.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/traps.h>

static unsigned int expect_cpus;

/* check.sh passes expect_cpus=N, the -smp it gave QEMU or Bochs. */
static int __init expect_cpus_setup(const char *val)
{
	unsigned long n;

	if (kstrtoul(val, 10, &n) || !n || n > ~0U)
		return -EINVAL;
	expect_cpus = n;
	return 0;
}
__setup_desc("expect_cpus=", expect_cpus_setup, "a number of CPUs, 1 or more");

static void test_cpus_online(struct ktest *t)
{
	unsigned int cpu, n = 0, nomem = smp_cpus_without_memory();

	for_each_online_cpu(cpu) {
		KTEST_EXPECT_LT(t, cpu, nr_cpu_ids);
		n++;
	}
	KTEST_EXPECT_EQ(t, n, num_online_cpus());
	KTEST_EXPECT_TRUE(t, cpu_online(0));
	/*
	 * Every CPU the firmware listed is online, or was reported dead and
	 * skipped, or was left out for lack of memory (also reported).
	 */
	if (acpi_madt_valid) {
		unsigned int dead = 0;

		for (cpu = 0; cpu < nr_cpu_ids; cpu++)
			dead += cpu_data[cpu].state == CPU_STATE_DEAD;
		KTEST_EXPECT_EQ(t, num_online_cpus() + dead + nomem,
				min_t(unsigned int, acpi_madt.nr_cpus, NR_CPUS));
		if (dead)
			ktest_log(t, "%u CPUs did not answer and were skipped", dead);
	}
	if (nomem)
		ktest_log(t, "%u CPUs left out for lack of memory", nomem);
	if (expect_cpus)
		KTEST_EXPECT_EQ(t, num_online_cpus() + nomem,
				min_t(unsigned int, expect_cpus, NR_CPUS));
	else
		ktest_log(t, "no expect_cpus= given");
	/* What the harness greps to tell "all of -smp N" from "NR_CPUS of them". */
	ktest_log(t, "%u CPUs online (NR_CPUS=%u)", num_online_cpus(), NR_CPUS);
}

/*
 * smp_test_late_cpu=N sends CPU N its STARTUP IPI after its time-out, while
 * the next CPU's parameters are in the trampoline: it must stand down (not
 * come up as that CPU, on its stack) and stay offline (test_cpus_online
 * counts it among the dead).  smp_test_wrong_apic_cpu=M names an APIC ID
 * in CPU M's parameters that its local APIC does not have: it stands down
 * too.  On any other boot no CPU stands down.  The late CPU, once it stood
 * down, gets an NMI: the trampoline's IDT must park it (counted), where
 * the real-mode IDTR would triple-fault and reset the machine.
 */
static void test_late_cpu_stood_down(struct ktest *t)
{
	unsigned int late = smp_test_late_cpu_nr(), wrong = smp_test_wrong_apic_cpu_nr();

	if (late >= nr_cpu_ids || wrong >= nr_cpu_ids)
		KTEST_SKIP(t, "smp_test_late_cpu= or smp_test_wrong_apic_cpu= is not a possible CPU");
	/* A CPU may stand down twice: INIT brings back a pending STARTUP IPI. */
	if (!late && !wrong)
		KTEST_EXPECT_EQ(t, smp_cpus_stood_down(), 0U);
	else
		KTEST_EXPECT_GE(t, smp_cpus_stood_down(), (unsigned int)!!late + !!wrong);
	/* The late CPU got one NMI where it stood down and took it parked. */
	KTEST_EXPECT_EQ(t, smp_stood_down_wakeups(), (unsigned int)!!late);
	/* ... on the park stack in the trampoline page, not at 4 GiB - 12. */
	KTEST_EXPECT_FALSE(t, smp_stood_down_stray_stack());
	if (late) {
		KTEST_EXPECT_FALSE(t, cpu_online(late));
		KTEST_EXPECT_EQ(t, cpu_data[late].state, CPU_STATE_DEAD);
	}
	if (wrong) {
		KTEST_EXPECT_FALSE(t, cpu_online(wrong));
		KTEST_EXPECT_EQ(t, cpu_data[wrong].state, CPU_STATE_DEAD);
	}
}

/*
 * Every possible CPU has per-CPU data, and the per-CPU statistics give
 * zeros for any other CPU number (a CPU left out for lack of memory has
 * none: smp_test_nomem_apic= makes one, make check boots that way).
 */
static void test_possible_cpus_have_areas(struct ktest *t)
{
	unsigned int cpu, possible = 0;

	for_each_possible_cpu(cpu) {
		KTEST_EXPECT_TRUE(t, cpu == 0 || __per_cpu_offset[cpu]);
		KTEST_EXPECT_LT(t, cpu, nr_cpu_ids);
		possible++;
	}
	KTEST_EXPECT_EQ(t, possible, nr_cpu_ids);
	for (cpu = nr_cpu_ids; cpu < NR_CPUS + 2; cpu++) {
		struct smp_cpu_stats st;
		struct tlb_stats tl;
		struct page_alloc_cpu_stats pa;

		memset(&st, 0xff, sizeof(st));
		memset(&tl, 0xff, sizeof(tl));
		smp_cpu_stats(cpu, &st);
		tlb_get_stats((int)cpu, &tl);
		KTEST_EXPECT_EQ(t, st.ipi_sent | st.irqs | st.timer_ticks, 0UL);
		KTEST_EXPECT_EQ(t, tl.switches | tl.shootdowns_sent, 0UL);
		KTEST_EXPECT_EQ(t, page_alloc_cpu_stats(cpu, &pa), 0UL);
		KTEST_EXPECT_EQ(t, pa.allocs, 0UL);
	}
	if (smp_cpus_without_memory())
		ktest_log(t, "%u CPUs without memory; %u possible", smp_cpus_without_memory(),
			  possible);
}

static void record_cpu(void *arg)
{
	unsigned int *where = arg;

	where[smp_processor_id()] = smp_processor_id() + 1;
	if (!irqs_disabled())
		where[smp_processor_id()] = 1000;	/* must run with interrupts off */
}

static void test_every_cpu_answers(struct ktest *t)
{
	unsigned int where[NR_CPUS], cpu;

	memset(where, 0, sizeof(where));
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, record_cpu, where, true), 0);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, where[cpu], cpu + 1);
	/* Error path: a CPU that is not online. */
	KTEST_EXPECT_EQ(t, smp_call_function_single(NR_CPUS, record_cpu, where, true), -ENXIO);
	if (num_online_cpus() < NR_CPUS)
		KTEST_EXPECT_EQ(t, smp_call_function_single(NR_CPUS - 1, record_cpu, where, true),
				-ENXIO);
}

static atomic_t hits[NR_CPUS];

static void count_hit(void *unused)
{
	atomic_inc(&hits[smp_processor_id()]);
}

static void clear_hits(void)
{
	for (unsigned int i = 0; i < NR_CPUS; i++)
		atomic_set(&hits[i], 0);
}

/* Exactly the CPUs of @mask other than the caller were hit, once. */
static void check_hits(struct ktest *t, const struct cpumask *mask, unsigned int me, bool self)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		int want = cpu_online(cpu) && cpumask_test_cpu(cpu, mask) && (cpu != me || self);

		KTEST_EXPECT_EQ(t, atomic_read(&hits[cpu]), want);
	}
}

static void test_call_many_targets(struct ktest *t)
{
	struct cpumask mask;
	unsigned int me, cpu;

	if (num_online_cpus() < 2)
		KTEST_SKIP(t, "needs 2 or more CPUs");
	preempt_disable();
	me = smp_processor_id();
	/* Each CPU alone, then the odd ones, then everyone; sync calls. */
	for_each_online_cpu(cpu) {
		cpumask_clear(&mask);
		cpumask_set_cpu(cpu, &mask);
		clear_hits();
		smp_call_function_many(&mask, count_hit, NULL, true);
		check_hits(t, &mask, me, false);
	}
	cpumask_clear(&mask);
	for_each_online_cpu(cpu)
		if (cpu & 1)
			cpumask_set_cpu(cpu, &mask);
	clear_hits();
	smp_call_function_many(&mask, count_hit, NULL, true);
	check_hits(t, &mask, me, false);
	clear_hits();
	on_each_cpu(count_hit, NULL, true);
	check_hits(t, &cpu_online_mask, me, true);
	/* Asynchronous: returns at once, every target runs it soon. */
	clear_hits();
	smp_call_function(count_hit, NULL, false);
	for (u64 end = ktime_get_ns() + 2 * NSEC_PER_SEC; ktime_get_ns() < end;) {
		unsigned int done = 0;

		for_each_online_cpu(cpu)
			done += atomic_read(&hits[cpu]);
		if (done == num_online_cpus() - 1)
			break;
		cpu_relax();
	}
	check_hits(t, &cpu_online_mask, me, false);
	preempt_enable();
}

struct crossfire {
	atomic_t ready;
	atomic_t done;
	unsigned int cpus[2];
	unsigned int got[2];
};

static void mark_got(void *arg)
{
	unsigned int *got = arg;

	(*got)++;
}

/* Both threads call the other CPU, waiting, with interrupts off (C3). */
static int crossfire_fn(void *arg)
{
	struct crossfire *c = arg;
	unsigned int me = smp_processor_id() == c->cpus[0] ? 0 : 1;
	unsigned long flags;

	local_irq_save(flags);
	atomic_inc(&c->ready);
	while (atomic_read(&c->ready) < 2)
		cpu_relax();
	for (int i = 0; i < 100; i++)
		smp_call_function_single(c->cpus[!me], mark_got, &c->got[!me], true);
	local_irq_restore(flags);
	atomic_inc(&c->done);
	return 0;
}

static void test_calls_with_irqs_off(struct ktest *t)
{
	struct crossfire c = { .ready = ATOMIC_INIT(0), .done = ATOMIC_INIT(0) };
	struct task_struct *k[2];

	if (num_online_cpus() < 3)
		KTEST_SKIP(t, "needs 3 or more CPUs (two besides the test thread)");
	c.cpus[0] = cpumask_next(0, &cpu_online_mask);
	c.cpus[1] = cpumask_next(c.cpus[0], &cpu_online_mask);
	for (int i = 0; i < 2; i++) {
		k[i] = kthread_create(crossfire_fn, &c, "ktest-xfire%d", i);
		KTEST_ASSERT_NOT_NULL(t, k[i]);
		kthread_bind(k[i], c.cpus[i]);
	}
	wake_up_process(k[0]);
	wake_up_process(k[1]);
	KTEST_EXPECT_EQ(t, kthread_join(k[0]), 0);
	KTEST_EXPECT_EQ(t, kthread_join(k[1]), 0);
	KTEST_EXPECT_EQ(t, c.got[0], 100);
	KTEST_EXPECT_EQ(t, c.got[1], 100);
}

/*
 * From an interrupt handler (int $0x9a on a vector of the test's own), every
 * cross-CPU call is refused (C4): the handler may have interrupted this
 * CPU's thread in the middle of using the very csd it would take.
 */
#define SMP_TEST_VECTOR	0x9a

static int irq_call_ret[2];
static atomic_t irq_call_hits;
static unsigned int irq_call_other;

static void irq_call_hit(void *unused)
{
	atomic_inc(&irq_call_hits);
}

static void smp_test_irq(struct pt_regs *regs)
{
	irq_call_ret[0] = smp_call_function_single(irq_call_other, irq_call_hit, NULL, false);
	irq_call_ret[1] = smp_call_function_single(smp_processor_id(), irq_call_hit, NULL, false);
	smp_call_function_many(&cpu_online_mask, irq_call_hit, NULL, false);
	on_each_cpu(irq_call_hit, NULL, false);
}

static void test_call_from_interrupt(struct ktest *t)
{
	struct smp_cpu_stats before, after;
	unsigned int me, cpu;

	atomic_set(&irq_call_hits, 0);
	irq_call_ret[0] = irq_call_ret[1] = 1;
	preempt_disable();
	me = smp_processor_id();
	irq_call_other = me;
	for_each_online_cpu(cpu)
		if (cpu != me)
			irq_call_other = cpu;
	smp_cpu_stats(me, &before);
	if (set_irq_handler(SMP_TEST_VECTOR, smp_test_irq)) {
		preempt_enable();
		KTEST_ASSERT_TRUE(t, false);
	}
	raise_vector(SMP_TEST_VECTOR);
	set_irq_handler(SMP_TEST_VECTOR, NULL);
	smp_cpu_stats(me, &after);
	preempt_enable();
	/* An asynchronous call that had been queued would have run by now. */
	msleep(20);
	KTEST_EXPECT_EQ(t, irq_call_ret[0], -EDEADLK);
	KTEST_EXPECT_EQ(t, irq_call_ret[1], -EDEADLK);
	KTEST_EXPECT_EQ(t, atomic_read(&irq_call_hits), 0);
	KTEST_EXPECT_EQ(t, after.calls_sent, before.calls_sent);
	/* From the thread, the same call goes through. */
	KTEST_EXPECT_EQ(t, smp_call_function_single(irq_call_other, irq_call_hit, NULL, true), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&irq_call_hits), 1);
}

struct wait_probe {
	unsigned int caller;
	u64 start;
};

/* Return once the caller has paused at least once (bounded: 2 s). */
static void wait_for_a_pause(void *arg)
{
	const struct wait_probe *p = arg;
	u64 deadline = ktime_get_ns() + 2 * NSEC_PER_SEC;
	struct smp_cpu_stats st;

	do {
		cpu_relax();
		smp_cpu_stats(p->caller, &st);
	} while (st.wait_ticks == p->start && ktime_get_ns() < deadline);
}

/*
 * wait_ticks (make bench's initiator figures): a synchronous call that
 * does not return before its caller paused in its wait is counted there,
 * and the ticks counted lie within the call's own time.
 */
static void test_wait_ticks_counted(struct ktest *t)
{
	struct smp_cpu_stats before, after;
	struct wait_probe probe;
	unsigned int other, cpu;
	u64 t0, t1;

	if (num_online_cpus() < 2)
		KTEST_SKIP(t, "needs 2 or more CPUs");
	preempt_disable();
	probe.caller = other = smp_processor_id();
	for_each_online_cpu(cpu)
		if (cpu != probe.caller)
			other = cpu;
	smp_cpu_stats(probe.caller, &before);
	probe.start = before.wait_ticks;
	t0 = rdtsc();
	KTEST_EXPECT_EQ(t, smp_call_function_single(other, wait_for_a_pause, &probe, true), 0);
	t1 = rdtsc();
	smp_cpu_stats(probe.caller, &after);
	preempt_enable();
	KTEST_EXPECT_GT(t, after.wait_ticks, before.wait_ticks);
	KTEST_EXPECT_LE(t, after.wait_ticks - before.wait_ticks, t1 - t0);
}

static void test_tick_everywhere(struct ktest *t)
{
	/* Not on the stack: NR_CPUS (256) whole stats would overflow it. */
	static unsigned long before[NR_CPUS];
	struct smp_cpu_stats after;
	unsigned int cpu;

	u64 deadline;

	for_each_online_cpu(cpu) {
		smp_cpu_stats(cpu, &after);
		before[cpu] = after.timer_ticks;
	}
	/*
	 * A few ticks' worth, then more while some CPU has not ticked: TCG
	 * with more vCPUs than busy host cores can leave a vCPU unscheduled
	 * for longer than 60 ms of guest time (bounded).
	 */
	deadline = ktime_get_ns() + 10 * NSEC_PER_SEC;
	msleep(60);
	for_each_online_cpu(cpu) {
		smp_cpu_stats(cpu, &after);
		while (after.timer_ticks == before[cpu] &&
		       ktime_get_ns() < deadline) {
			msleep(20);
			smp_cpu_stats(cpu, &after);
		}
		KTEST_EXPECT_GT(t, after.timer_ticks, before[cpu]);
	}
}

/*
 * The storm: every CPU sends storm_rounds calls to every other CPU, about
 * 4000 calls in all (at least 100 per ordered pair up to 8 CPUs): TCG with
 * more vCPUs than host cores makes each synchronous call cost a host
 * reschedule.
 */
static unsigned int storm_rounds;

static atomic_t storm_count[NR_CPUS][NR_CPUS];
static atomic_t storm_go;

static void storm_hit(void *arg)
{
	unsigned int src = (unsigned int)(unsigned long)arg;

	atomic_inc(&storm_count[src][smp_processor_id()]);
}

static int storm_fn(void *arg)
{
	unsigned int me = smp_processor_id(), cpu;

	while (!atomic_read(&storm_go))
		yield();
	for (int i = 0; i < storm_rounds; i++) {
		for_each_online_cpu(cpu) {
			if (cpu != me)
				smp_call_function_single(cpu, storm_hit, (void *)(unsigned long)me,
							 i & 1);
		}
		if (!(i & 63))
			yield();
	}
	/* A last synchronous broadcast flushes every asynchronous call of ours. */
	smp_call_function(storm_hit, (void *)(unsigned long)me, true);
	return 0;
}

static void test_ipi_storm(struct ktest *t)
{
	struct task_struct *k[NR_CPUS];
	struct smp_cpu_stats st;
	unsigned long sent = 0, handled = 0;
	unsigned int cpu, src, n = num_online_cpus();

	if (n < 2)
		KTEST_SKIP(t, "needs 2 or more CPUs");
	/* Beyond 8 CPUs the pairs grow as n^2: at least 2 rounds per pair. */
	storm_rounds = n <= 8 ? max(100u, 4000 / (n * (n - 1))) : max(2u, 4000 / (n * (n - 1)));
	memset(storm_count, 0, sizeof(storm_count));
	atomic_set(&storm_go, 0);
	for_each_online_cpu(cpu) {
		smp_cpu_stats(cpu, &st);
		sent -= st.calls_sent;
		handled -= st.calls_handled;
		k[cpu] = kthread_create(storm_fn, NULL, "ktest-storm%u", cpu);
		KTEST_ASSERT_NOT_NULL(t, k[cpu]);
		kthread_bind(k[cpu], cpu);
		wake_up_process(k[cpu]);
	}
	atomic_set(&storm_go, 1);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, kthread_join(k[cpu]), 0);
	for_each_online_cpu(src) {
		for_each_online_cpu(cpu) {
			int want = src == cpu ? 0 : storm_rounds + 1;

			KTEST_EXPECT_EQ(t, atomic_read(&storm_count[src][cpu]), want);
		}
	}
	for_each_online_cpu(cpu) {
		smp_cpu_stats(cpu, &st);
		sent += st.calls_sent;
		handled += st.calls_handled;
	}
	/* Nothing else ran cross-calls meanwhile: queued == run, none lost. */
	KTEST_EXPECT_EQ(t, sent, handled);
	KTEST_EXPECT_GE(t, sent, (unsigned long)n * (n - 1) * (storm_rounds + 1));
	ktest_log(t, "%lu calls between %u CPUs", sent, n);
}

static atomic_t woke_on;

static int note_cpu(void *unused)
{
	atomic_set(&woke_on, (int)smp_processor_id() + 1);
	return 0;
}

/* Waking a thread on an idle CPU takes a reschedule IPI to that CPU. */
static void test_remote_wakeup(struct ktest *t)
{
	struct smp_cpu_stats before, after;
	struct task_struct *k;
	unsigned int target;

	if (num_online_cpus() < 2)
		KTEST_SKIP(t, "needs 2 or more CPUs");
	target = cpumask_next(0, &cpu_online_mask);
	atomic_set(&woke_on, 0);
	msleep(5);	/* let the target go idle */
	smp_cpu_stats(target, &before);
	k = kthread_create(note_cpu, NULL, "ktest-wake");
	KTEST_ASSERT_NOT_NULL(t, k);
	kthread_bind(k, target);
	wake_up_process(k);
	KTEST_EXPECT_EQ(t, kthread_join(k), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&woke_on), (int)target + 1);
	smp_cpu_stats(target, &after);
	KTEST_EXPECT_GT(t, after.resched_received, before.resched_received);
}

struct hog_pair {
	atomic_t hog_progress;
	atomic_t other_progress;
	bool stop;
};

static int hog_spin(void *arg)
{
	struct hog_pair *h = arg;

	while (!kthread_should_stop() && !READ_ONCE(h->stop))
		atomic_inc(&h->hog_progress);	/* never yields: only the tick can switch */
	return 0;
}

static int hog_other(void *arg)
{
	struct hog_pair *h = arg;

	while (!kthread_should_stop()) {
		atomic_inc(&h->other_progress);
		msleep(1);
	}
	return 0;
}

/* Has the pair on every online CPU made progress, both threads? */
static bool pairs_progressed(struct hog_pair *h)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (atomic_read(&h[cpu].hog_progress) <= 0 || atomic_read(&h[cpu].other_progress) <= 1)
			return false;
	return true;
}

/*
 * On every CPU a thread that never yields shares the CPU with one that
 * sleeps and counts: both progress only if the tick preempts the hog.
 * Afterwards every stack and task is freed.
 */
static void test_preempt_every_cpu(struct ktest *t)
{
	static struct hog_pair h[NR_CPUS];
	struct task_struct *hog[NR_CPUS], *other[NR_CPUS];
	unsigned long before;
	unsigned int cpu;
	u64 deadline;

	before = ktest_settled_free_pages();
	for_each_online_cpu(cpu) {
		h[cpu].stop = false;
		atomic_set(&h[cpu].hog_progress, 0);
		atomic_set(&h[cpu].other_progress, 0);
		hog[cpu] = kthread_create(hog_spin, &h[cpu], "ktest-hog%u", cpu);
		other[cpu] = kthread_create(hog_other, &h[cpu], "ktest-oth%u", cpu);
		KTEST_ASSERT_NOT_NULL(t, hog[cpu]);
		KTEST_ASSERT_NOT_NULL(t, other[cpu]);
		kthread_bind(hog[cpu], cpu);
		kthread_bind(other[cpu], cpu);
		wake_up_process(hog[cpu]);
		wake_up_process(other[cpu]);
	}
	/*
	 * 100 ms, and more while some pair has not progressed: TCG with many
	 * vCPUs on a busy host may leave a vCPU unscheduled that long (bounded).
	 */
	deadline = ktime_get_ns() + 10 * NSEC_PER_SEC;
	msleep(100);
	while (!pairs_progressed(h) && ktime_get_ns() < deadline)
		msleep(20);
	/*
	 * Stop every hog at once before the one-by-one kthread_stop(): with
	 * many vCPUs on few host cores, each stop would otherwise wait for its
	 * vCPU to be scheduled among all the others still spinning.
	 */
	for_each_online_cpu(cpu)
		WRITE_ONCE(h[cpu].stop, true);
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, kthread_stop(other[cpu]), 0);
		KTEST_EXPECT_EQ(t, kthread_stop(hog[cpu]), 0);
		KTEST_EXPECT_GT(t, atomic_read(&h[cpu].hog_progress), 0);
		KTEST_EXPECT_GT(t, atomic_read(&h[cpu].other_progress), 1);
	}
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), before);
}

static struct ktest_case smp_cases[] = {
	KTEST_CASE(test_preempt_every_cpu),
	KTEST_CASE(test_cpus_online),
	KTEST_CASE(test_late_cpu_stood_down),
	KTEST_CASE(test_possible_cpus_have_areas),
	KTEST_CASE(test_every_cpu_answers),
	KTEST_CASE(test_call_many_targets),
	KTEST_CASE(test_calls_with_irqs_off),
	KTEST_CASE(test_call_from_interrupt),
	KTEST_CASE(test_wait_ticks_counted),
	KTEST_CASE(test_tick_everywhere),
	KTEST_CASE(test_remote_wakeup),
	KTEST_CASE_FLAGS(test_ipi_storm, KTEST_F_SLOW),
	{}
};

static struct ktest_suite smp_suite = {
	.name = "smp",
	.cases = smp_cases,
};
KTEST_SUITE(smp_suite);
