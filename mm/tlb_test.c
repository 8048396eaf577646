// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of mm/tlb.c and arch/x86/mm/tlb.c.  Single-CPU cases check that
 * flushes really drop stale translations (QEMU TCG and Bochs both keep a
 * TLB and honour single-page, CR3 and INVPCID flushes), that the counters
 * count, and that PCID switching (Bochs) or its fallback (QEMU) keeps every
 * address space reading its own frames.  The SMP cases (skipped with one
 * CPU) run readers on the other CPUs while this CPU remaps, and check the
 * IPI counts: one per CPU that may cache the range, one round per range,
 * none for lazy CPUs.
 */
#include <exo/atomic.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/kthread.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/preempt.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/tlb.h>
#include <asm/tlbflush.h>

#define TEST_VA		0xffffe10000000000UL	/* kernel half, unused */
#define USER_VA		0x10000000UL		/* lower half, supervisor pages */
#define ROUNDS		1000

/*
 * Remap rounds of test_shootdown_remap: ROUNDS up to 4 CPUs, then fewer so
 * that the total IPIs stay about the same.  Each round waits for every
 * other vCPU, which TCG runs on the host's few cores; at least 300 rounds,
 * so the round numbers the readers check (mod 256) still wrap.
 */
static int remap_rounds(void)
{
	unsigned int n = num_online_cpus();

	return n <= 4 ? ROUNDS : max(300, ROUNDS * 4 / (int)n);
}

static void stats(int cpu, struct tlb_stats *s)
{
	tlb_get_stats(cpu, s);
}

/* A frame filled with @v. */
static phys_addr_t frame_with(struct ktest *t, u8 v)
{
	phys_addr_t pa;

	KTEST_ASSERT_EQ(t, alloc_frame(&pa), 0);
	memset(phys_to_virt(pa), v, PAGE_SIZE);
	return pa;
}

static void test_flush_drops_stale(struct ktest *t)
{
	volatile u8 *p = (volatile u8 *)TEST_VA;
	phys_addr_t a = frame_with(t, 0xaa), b = frame_with(t, 0xbb);

	for (int i = 0; i < 200; i++) {
		KTEST_ASSERT_EQ(t, map_page(TEST_VA, i & 1 ? b : a, 0), 0);
		/* Load the TLB with this translation... */
		KTEST_ASSERT_EQ(t, p[i], i & 1 ? 0xbb : 0xaa);
		/* ...and the next mapping must not see it. */
		KTEST_ASSERT_EQ(t, unmap_page(TEST_VA), 0);
	}
	/* Same for a user-half mapping of the current address space. */
	for (int i = 0; i < 200; i++) {
		KTEST_ASSERT_EQ(t, map_page(USER_VA, i & 1 ? b : a, 0), 0);
		KTEST_ASSERT_EQ(t, ((volatile u8 *)USER_VA)[i], i & 1 ? 0xbb : 0xaa);
		KTEST_ASSERT_EQ(t, unmap_page(USER_VA), 0);
	}
	free_frame(a);
	free_frame(b);
}

/*
 * unmap_page()'s local flush of a kernel page is the whole flush only
 * when no other CPU is online: with several, the hook must decline
 * (the caller then shoots the page down everywhere).
 */
static void test_local_page_flush_alone(struct ktest *t)
{
	unsigned long flags;
	bool local;

	if (!IS_ENABLED(CONFIG_X86_64))
		KTEST_SKIP(t, "no local kernel-page flush here");
	local_irq_save(flags);
	local = arch_flush_tlb_kernel_page_local(TEST_VA);
	local_irq_restore(flags);
	/* The hook reads one word of cpu_online_mask: NR_CPUS > 64 always declines. */
	KTEST_EXPECT_EQ(t, local, num_online_cpus() == 1 && BITS_TO_LONGS(NR_CPUS) == 1);
}

static void test_counters_and_ceiling(struct ktest *t)
{
	struct mm_struct *mm, *old;
	unsigned int cpu, others;
	struct tlb_stats s0, s1;
	phys_addr_t f = frame_with(t, 1);

	preempt_disable();
	cpu = smp_processor_id();
	others = num_online_cpus() - 1;
	/* One page: one flush, one IPI per other CPU (kernel mapping), one round. */
	KTEST_EXPECT_EQ(t, map_page(TEST_VA, f, 0), 0);
	KTEST_EXPECT_EQ(t, map_page(TEST_VA + PAGE_SIZE, f, 0), 0);	/* keeps the PT */
	stats(cpu, &s0);
	KTEST_EXPECT_EQ(t, unmap_page(TEST_VA), 0);
	stats(cpu, &s1);
	KTEST_EXPECT_EQ(t, s1.local_page_flushes - s0.local_page_flushes, 1UL);
	KTEST_EXPECT_EQ(t, s1.full_flushes, s0.full_flushes);
	KTEST_EXPECT_EQ(t, s1.pages_flushed - s0.pages_flushed, 1UL);
	KTEST_EXPECT_EQ(t, s1.shootdowns_sent - s0.shootdowns_sent, (unsigned long)others);
	KTEST_EXPECT_EQ(t, s1.shootdown_rounds - s0.shootdown_rounds, others ? 1UL : 0UL);
	/* The contract's explicit flushes. */
	stats(cpu, &s0);
	flush_tlb(TEST_VA + PAGE_SIZE + 5);
	stats(cpu, &s1);
	KTEST_EXPECT_EQ(t, s1.local_page_flushes - s0.local_page_flushes, 1UL);
	KTEST_EXPECT_EQ(t, s1.shootdowns_sent - s0.shootdowns_sent, (unsigned long)others);
	flush_tlb_all();
	stats(cpu, &s0);
	KTEST_EXPECT_EQ(t, s0.full_flushes - s1.full_flushes, 1UL);
	KTEST_EXPECT_EQ(t, *(volatile u8 *)(TEST_VA + PAGE_SIZE), 1);	/* still mapped */
	KTEST_EXPECT_EQ(t, unmap_page(TEST_VA + PAGE_SIZE), 0);
	/* 512 pages in one call: one round, and a full flush (past the ceiling). */
	KTEST_EXPECT_EQ(t, map_range(TEST_VA, 0, 512 * PAGE_SIZE, 0), 0);
	stats(cpu, &s0);
	KTEST_EXPECT_EQ(t, unmap_range(TEST_VA, 512 * PAGE_SIZE), 0);
	stats(cpu, &s1);
	KTEST_EXPECT_EQ(t, s1.full_flushes - s0.full_flushes, 1UL);
	KTEST_EXPECT_EQ(t, s1.local_page_flushes, s0.local_page_flushes);
	KTEST_EXPECT_EQ(t, s1.shootdowns_sent - s0.shootdowns_sent, (unsigned long)others);
	KTEST_EXPECT_EQ(t, s1.shootdown_rounds - s0.shootdown_rounds, others ? 1UL : 0UL);
	/* At the ceiling: single-page flushes. */
	KTEST_EXPECT_EQ(t, map_range(TEST_VA, 0, 34 * PAGE_SIZE, 0), 0);
	stats(cpu, &s0);
	KTEST_EXPECT_EQ(t, unmap_range(TEST_VA + PAGE_SIZE, tlb_single_page_flush_ceiling *
				       PAGE_SIZE), 0);
	stats(cpu, &s1);
	KTEST_EXPECT_EQ(t, s1.local_page_flushes - s0.local_page_flushes,
			(unsigned long)tlb_single_page_flush_ceiling);
	KTEST_EXPECT_EQ(t, s1.full_flushes, s0.full_flushes);
	KTEST_EXPECT_EQ(t, unmap_range(TEST_VA, 34 * PAGE_SIZE), 0);
	/*
	 * A user-half mapping of an address space loaded only here: no IPI at
	 * all.  (init_mm's lower half would not do: every idle CPU has init_mm
	 * loaded and may cache it.)
	 */
	preempt_enable();
	KTEST_ASSERT_EQ(t, mm_create(&mm), 0);
	preempt_disable();
	old = current_mm();
	switch_mm(mm);
	KTEST_EXPECT_EQ(t, map_page(USER_VA, f, 0), 0);
	KTEST_EXPECT_EQ(t, map_page(USER_VA + PAGE_SIZE, f, 0), 0);
	stats(cpu, &s0);
	KTEST_EXPECT_EQ(t, unmap_page(USER_VA), 0);
	stats(cpu, &s1);
	KTEST_EXPECT_EQ(t, s1.local_page_flushes - s0.local_page_flushes, 1UL);
	KTEST_EXPECT_EQ(t, s1.shootdowns_sent, s0.shootdowns_sent);
	KTEST_EXPECT_EQ(t, unmap_page(USER_VA + PAGE_SIZE), 0);
	switch_mm(old);
	preempt_enable();
	KTEST_EXPECT_EQ(t, mm_destroy(mm), 0);
	free_frame(f);
}

struct two_spaces {
	struct mm_struct *mm[8];
	phys_addr_t frame[8];
	unsigned int n;
};

static void spaces_create(struct ktest *t, struct two_spaces *s, unsigned int n)
{
	s->n = n;
	for (unsigned int i = 0; i < n; i++) {
		KTEST_ASSERT_EQ(t, mm_create(&s->mm[i]), 0);
		s->frame[i] = frame_with(t, (u8)(0x10 + i));
		KTEST_ASSERT_EQ(t, mm_map_page(s->mm[i], USER_VA, s->frame[i], PAGE_WRITABLE), 0);
	}
}

static void spaces_destroy(struct ktest *t, struct two_spaces *s)
{
	for (unsigned int i = 0; i < s->n; i++) {
		KTEST_EXPECT_EQ(t, mm_destroy(s->mm[i]), 0);
		free_frame(s->frame[i]);
	}
}

/* Switch round robin @rounds times; return the number of wrong reads. */
static unsigned long switch_and_read(struct two_spaces *s, unsigned long rounds, unsigned int step)
{
	unsigned long wrong = 0;

	preempt_disable();
	for (unsigned long r = 0; r < rounds; r++) {
		unsigned int i = (unsigned int)((r * step) % s->n);

		switch_mm(s->mm[i]);
		if (*(volatile u8 *)(USER_VA + (r & 0xfff)) != (u8)(0x10 + i))
			wrong++;
	}
	switch_mm(&init_mm);
	preempt_enable();
	return wrong;
}

static void test_pcid_switch(struct ktest *t)
{
	struct two_spaces s;
	struct tlb_stats s0, s1;
	int cpu;

	spaces_create(t, &s, 2);
	preempt_disable();
	cpu = (int)smp_processor_id();
	stats(cpu, &s0);
	KTEST_EXPECT_EQ(t, switch_and_read(&s, 5000, 1), 0UL);
	stats(cpu, &s1);
	preempt_enable();
	KTEST_EXPECT_GE(t, s1.switches - s0.switches, 5000UL);
	if (tlb_pcid_enabled()) {
		/* Each space gets a PCID once; no flush on the 5000 switches after. */
		KTEST_EXPECT_LE(t, s1.switch_flushes - s0.switch_flushes, 3UL);
		ktest_log(t, "PCID: %lu switches, %lu flushed", s1.switches - s0.switches,
			  s1.switch_flushes - s0.switch_flushes);
	} else {
		KTEST_EXPECT_EQ(t, s1.switch_flushes - s0.switch_flushes,
				s1.switches - s0.switches);
		ktest_log(t, "no PCID: every switch flushes (fallback path)");
	}
	spaces_destroy(t, &s);
}

/* Change a space while another is loaded: switching back must see the change. */
static void test_pcid_stale_generation(struct ktest *t)
{
	struct two_spaces s;
	phys_addr_t other = frame_with(t, 0x99);

	spaces_create(t, &s, 2);
	for (int i = 0; i < 500; i++) {
		preempt_disable();
		switch_mm(s.mm[0]);
		KTEST_EXPECT_EQ(t, *(volatile u8 *)(USER_VA + i), i & 1 ? 0x99 : 0x10);
		switch_mm(s.mm[1]);
		/* mm[0] is not loaded anywhere: no IPI, its PCID slot goes stale. */
		KTEST_EXPECT_EQ(t, mm_unmap_page(s.mm[0], USER_VA), 0);
		KTEST_EXPECT_EQ(t, mm_map_page(s.mm[0], USER_VA, i & 1 ? s.frame[0] : other,
					       PAGE_WRITABLE), 0);
		KTEST_EXPECT_EQ(t, *(volatile u8 *)(USER_VA + i), 0x11);
		switch_mm(&init_mm);
		preempt_enable();
	}
	spaces_destroy(t, &s);
	free_frame(other);
}

/* More spaces than PCID slots: slots are recycled, reads stay right. */
static void test_pcid_many_spaces(struct ktest *t)
{
	struct two_spaces s;

	spaces_create(t, &s, 8);
	KTEST_EXPECT_EQ(t, switch_and_read(&s, 4000, 3), 0UL);
	KTEST_EXPECT_EQ(t, switch_and_read(&s, 4000, 1), 0UL);
	spaces_destroy(t, &s);
}

/* ---- SMP ---- */

struct smp_ctx {
	struct two_spaces *spaces;
	unsigned long wrong;
	volatile u64 published;		/* last round whose map_page returned */
	volatile bool stop;
	atomic_t running;
	unsigned long reads, faults;
};

static int pcid_worker(void *arg)
{
	struct smp_ctx *c = arg;
	unsigned long w = switch_and_read(c->spaces, 3000, 1);

	__atomic_fetch_add(&c->wrong, w, __ATOMIC_RELAXED);
	return 0;
}

static struct task_struct *start_on(int (*fn)(void *), void *arg, unsigned int cpu)
{
	struct task_struct *th = kthread_create(fn, arg, "tlbtest/%u", cpu);

	if (th && kthread_bind(th, cpu) == 0) {
		wake_up_process(th);
		return th;
	}
	if (th)
		kthread_stop(th);
	return NULL;
}

static void test_pcid_switch_smp(struct ktest *t)
{
	struct task_struct *th[NR_CPUS] = { NULL };
	struct smp_ctx c = { .wrong = 0 };
	struct two_spaces s;
	unsigned int cpu;

	spaces_create(t, &s, 2);
	c.spaces = &s;
	for_each_online_cpu(cpu)
		th[cpu] = start_on(pcid_worker, &c, cpu);
	for_each_online_cpu(cpu)
		if (th[cpu])
			KTEST_EXPECT_EQ(t, kthread_join(th[cpu]), 0);
	KTEST_EXPECT_EQ(t, c.wrong, 0UL);
	KTEST_EXPECT_TRUE(t, cpumask_empty(&s.mm[0]->cpus));
	spaces_destroy(t, &s);
}

/* Readers: whatever they read must never be older than what was published before. */
static int shootdown_reader(void *arg)
{
	struct smp_ctx *c = arg;

	atomic_inc(&c->running);
	while (!READ_ONCE(c->stop)) {
		u8 seen, want = (u8)__atomic_load_n(&c->published, __ATOMIC_ACQUIRE);

		if (probe_read((void *)(TEST_VA + 64), &seen)) {
			__atomic_fetch_add(&c->faults, 1, __ATOMIC_RELAXED);
			continue;	/* between unmap and map */
		}
		/* Round numbers mod 256: "older" is up to 127 behind. */
		if ((u8)(seen - want) >= 128)
			__atomic_fetch_add(&c->wrong, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&c->reads, 1, __ATOMIC_RELAXED);
	}
	atomic_dec(&c->running);
	return 0;
}

static void test_shootdown_remap(struct ktest *t)
{
	static phys_addr_t frames[ROUNDS + 1];
	struct task_struct *th[NR_CPUS] = { NULL };
	struct smp_ctx c = { .wrong = 0 };
	/* Not on the stack: NR_CPUS (256) of them would overflow it. */
	static unsigned long r0[NR_CPUS];
	struct tlb_stats me0, me1, r1;
	unsigned int cpu, self, readers = 0;
	int rounds = remap_rounds();

	for (int r = 0; r <= rounds; r++)
		frames[r] = frame_with(t, (u8)r);
	KTEST_ASSERT_EQ(t, map_page(TEST_VA, frames[0], 0), 0);
	preempt_disable();
	self = smp_processor_id();
	for_each_online_cpu(cpu) {
		if (cpu == self)
			continue;
		th[cpu] = start_on(shootdown_reader, &c, cpu);
		readers += th[cpu] != NULL;
	}
	preempt_enable();
	while ((unsigned int)atomic_read(&c.running) < readers)
		cpu_relax();
	for_each_online_cpu(cpu) {
		stats((int)cpu, &r1);
		r0[cpu] = r1.shootdowns_received;
	}
	preempt_disable();
	stats((int)self, &me0);
	for (int r = 1; r <= rounds; r++) {
		/* No ASSERT with preemption disabled: it would unwind past preempt_enable(). */
		if (unmap_page(TEST_VA) || map_page(TEST_VA, frames[r], 0)) {
			ktest_fail(t, __FILE__, __LINE__, "remap round %d failed", r);
			break;
		}
		__atomic_store_n(&c.published, (u64)r, __ATOMIC_RELEASE);
	}
	stats((int)self, &me1);
	preempt_enable();
	WRITE_ONCE(c.stop, true);
	for_each_online_cpu(cpu)
		if (th[cpu])
			kthread_join(th[cpu]);
	KTEST_EXPECT_EQ(t, c.wrong, 0UL);
	KTEST_EXPECT_GT(t, c.reads, 0UL);
	/* Exactly one IPI per other online CPU per unmap, none for map_page. */
	KTEST_EXPECT_EQ(t, me1.shootdowns_sent - me0.shootdowns_sent,
			(unsigned long)rounds * (num_online_cpus() - 1));
	KTEST_EXPECT_EQ(t, me1.shootdown_rounds - me0.shootdown_rounds, (unsigned long)rounds);
	for_each_online_cpu(cpu) {
		if (cpu == self)
			continue;
		stats((int)cpu, &r1);
		KTEST_EXPECT_GE(t, r1.shootdowns_received - r0[cpu],
				(unsigned long)rounds);
	}
	ktest_log(t, "%d rounds, %lu reads, %lu transient faults, %u readers", rounds, c.reads,
		  c.faults, readers);
	KTEST_EXPECT_EQ(t, unmap_page(TEST_VA), 0);
	for (int r = 0; r <= rounds; r++)
		free_frame(frames[r]);
}

/* A user mm loaded on one other CPU: 1 IPI; after it left: 0 IPIs (lazy). */
struct holder {
	struct mm_struct *mm;
	volatile int phase;	/* 1: loaded, 2: please leave, 3: left, 4: exit */
};

static int mm_holder(void *arg)
{
	struct holder *h = arg;

	preempt_disable();
	switch_mm(h->mm);
	WRITE_ONCE(h->phase, 1);
	while (READ_ONCE(h->phase) == 1)
		cpu_relax();
	switch_mm(&init_mm);
	WRITE_ONCE(h->phase, 3);
	preempt_enable();
	while (READ_ONCE(h->phase) != 4)
		cpu_relax();
	return 0;
}

static void test_shootdown_targets_lazy(struct ktest *t)
{
	struct holder h = { .phase = 0 };
	struct task_struct *th;
	struct tlb_stats s0, s1;
	unsigned int self, other;
	phys_addr_t f = frame_with(t, 3);

	KTEST_ASSERT_EQ(t, mm_create(&h.mm), 0);
	for (int i = 0; i < 4; i++)
		KTEST_ASSERT_EQ(t, mm_map_page(h.mm, USER_VA + i * PAGE_SIZE, f, 0), 0);
	preempt_disable();
	self = smp_processor_id();
	other = cpumask_next((int)self, &cpu_online_mask);
	if (other >= NR_CPUS)
		other = cpumask_next(-1, &cpu_online_mask);
	preempt_enable();
	th = start_on(mm_holder, &h, other);
	KTEST_ASSERT_NOT_NULL(t, th);
	while (READ_ONCE(h.phase) != 1)
		cpu_relax();
	preempt_disable();	/* EXPECT only from here on: no ASSERT unwinding */
	stats((int)self, &s0);
	KTEST_EXPECT_EQ(t, mm_unmap_page(h.mm, USER_VA), 0);
	stats((int)self, &s1);
	KTEST_EXPECT_EQ(t, s1.shootdowns_sent - s0.shootdowns_sent, 1UL);	/* only @other */
	/* A 2-page range is still one round. */
	KTEST_EXPECT_EQ(t, mm_unmap_range(h.mm, USER_VA + PAGE_SIZE, 2 * PAGE_SIZE), 0);
	stats((int)self, &s0);
	KTEST_EXPECT_EQ(t, s0.shootdowns_sent - s1.shootdowns_sent, 1UL);
	preempt_enable();
	WRITE_ONCE(h.phase, 2);
	while (READ_ONCE(h.phase) != 3)
		cpu_relax();
	preempt_disable();
	stats((int)self, &s0);
	KTEST_EXPECT_EQ(t, mm_unmap_page(h.mm, USER_VA + 3 * PAGE_SIZE), 0);
	stats((int)self, &s1);
	preempt_enable();
	KTEST_EXPECT_EQ(t, s1.shootdowns_sent, s0.shootdowns_sent);		/* lazy */
	KTEST_EXPECT_EQ(t, s1.lazy_ipis_avoided - s0.lazy_ipis_avoided, 1UL);
	WRITE_ONCE(h.phase, 4);
	KTEST_EXPECT_EQ(t, kthread_join(th), 0);
	KTEST_EXPECT_EQ(t, mm_destroy(h.mm), 0);
	free_frame(f);
}

static struct ktest_case tlb_cases[] = {
	KTEST_CASE(test_flush_drops_stale),
	KTEST_CASE(test_local_page_flush_alone),
	KTEST_CASE(test_counters_and_ceiling),
	KTEST_CASE(test_pcid_switch),
	KTEST_CASE(test_pcid_stale_generation),
	KTEST_CASE(test_pcid_many_spaces),
	KTEST_CASE_FLAGS(test_pcid_switch_smp, KTEST_F_SMP),
	KTEST_CASE_RAM(test_shootdown_remap, KTEST_F_SMP, 32),	/* 1001 frames */
	KTEST_CASE_FLAGS(test_shootdown_targets_lazy, KTEST_F_SMP),
	{}
};

static struct ktest_suite tlb_suite = {
	.name = "tlb",
	.cases = tlb_cases,
};
KTEST_SUITE(tlb_suite);
