// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the restartable per-CPU stack sequences (<asm/pcp.h>), run in
 * the page_alloc suite: the abort itself on every table entry, and the
 * page allocator's fast paths on one CPU while another CPU's cross-CPU
 * calls allocate and free frames in interrupt handlers on it.
 */
#include <exo/atomic.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/page_alloc.h>
#include <exo/percpu.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/time.h>
#include <asm/page.h>
#include <asm/pcp.h>
#include <asm/ptrace.h>

struct pcp_restart_entry {
	unsigned long start, end;
};

extern const struct pcp_restart_entry __start___pcp_restart[], __stop___pcp_restart[];

/* Every sequence: inside before the commit goes back to its start; at its end stays. */
void test_pcp_restart(struct ktest *t)
{
	const struct pcp_restart_entry *e;
	unsigned long flags, before;
	unsigned int n = 0;

	/* This CPU's count only moves with our calls while interrupts are off. */
	local_irq_save(flags);
	before = this_cpu_read(pcp_restarts);
	for (e = __start___pcp_restart; e < __stop___pcp_restart; e++, n++) {
		struct pt_regs regs = { .rip = e->start };

		KTEST_ASSERT_GT(t, e->end, e->start);
		KTEST_EXPECT_LT(t, e->end - e->start, 64UL);
		pcp_restart_fixup(&regs);	/* at the start: nothing to undo, not counted */
		KTEST_EXPECT_EQ(t, regs.rip, e->start);
		regs.rip = e->end - 1;		/* somewhere in the commit */
		__pcp_restart_fixup(&regs);
		KTEST_EXPECT_EQ(t, regs.rip, e->start);
		regs.rip = e->start + 1;
		pcp_restart_fixup(&regs);
		KTEST_EXPECT_EQ(t, regs.rip, e->start);
		regs.rip = e->end;		/* committed: left alone */
		pcp_restart_fixup(&regs);
		KTEST_EXPECT_EQ(t, regs.rip, e->end);
		regs.rip = e->start - 1;
		pcp_restart_fixup(&regs);
		KTEST_EXPECT_EQ(t, regs.rip, e->start - 1);
	}
	/* Two real restarts per sequence; the sum covers this CPU's count. */
	KTEST_EXPECT_EQ(t, this_cpu_read(pcp_restarts) - before, 2UL * n);
	KTEST_EXPECT_GE(t, pcp_restart_count(), this_cpu_read(pcp_restarts));
	local_irq_restore(flags);
	/* alloc_frame, free_frame, alloc_pages, __free_pages at least. */
	KTEST_EXPECT_GE(t, n, 4U);
	ktest_log(t, "%u sequences", n);
}

#define IRQ_TEST_NS	(300 * 1000 * 1000ULL)
#define IRQ_MIN_CALLS	32
#define IRQ_SIG		0x1a7e5ea5000000ULL

struct irq_ctx {
	unsigned int cpu;		/* the CPU of worker 0 */
	bool ready, stop;
	atomic_t errors;
	atomic_long_t handler_ops, task_ops;
};

static u64 *frame_word(phys_addr_t f)
{
	return phys_to_virt(f);
}

/* In interrupt context on worker 0's CPU: take and give back frames there. */
static void irq_alloc_free(void *arg)
{
	struct irq_ctx *c = arg;
	struct page *p[2];
	phys_addr_t f[2];

	for (int i = 0; i < 2; i++) {
		if (alloc_frame(&f[i])) {
			atomic_inc(&c->errors);
			f[i] = 0;
			continue;
		}
		*frame_word(f[i]) = IRQ_SIG | i;
	}
	p[0] = alloc_pages(GFP_ATOMIC, 0);
	p[1] = alloc_pages(GFP_ATOMIC, 3);
	for (int i = 0; i < 2; i++)
		if (p[i])
			*frame_word(page_to_phys(p[i])) = IRQ_SIG | (2 + i);
	for (int i = 0; i < 2; i++) {
		if (p[i] && *frame_word(page_to_phys(p[i])) != (IRQ_SIG | (2 + i)))
			atomic_inc(&c->errors);
		if (p[i])
			__free_pages(p[i], i ? 3 : 0);
		if (f[i] && (*frame_word(f[i]) != (IRQ_SIG | i) || free_frame(f[i])))
			atomic_inc(&c->errors);
	}
	atomic_long_inc(&c->handler_ops);
}

/*
 * Worker 0 allocates, signs, checks and frees in a tight loop; worker 1
 * keeps sending it cross-CPU calls that do the same in the handler.  A
 * frame handed to both, or a push lost to a pop, shows as a wrong
 * signature, a failed free or a leak.
 */
static void irq_worker(void *arg, unsigned int id)
{
	struct irq_ctx *c = arg;
	u64 deadline;

	if (id == 1) {
		while (!smp_load_acquire(&c->ready))
			cpu_relax();
		while (!READ_ONCE(c->stop))
			if (smp_call_function_single(c->cpu, irq_alloc_free, c, true))
				atomic_inc(&c->errors);
		return;
	}
	c->cpu = smp_processor_id();
	smp_store_release(&c->ready, true);
	deadline = ktime_get_ns() + IRQ_TEST_NS;
	/* At least IRQ_MIN_CALLS handler rounds, unless 10 times the time is not enough. */
	for (u64 n = 0, now = 0; now < deadline + 10 * IRQ_TEST_NS &&
	     (now < deadline || atomic_long_read(&c->handler_ops) < IRQ_MIN_CALLS); n++) {
		phys_addr_t f[3];
		struct page *p;

		now = ktime_get_ns();

		for (int i = 0; i < 3; i++) {
			if (alloc_frame(&f[i])) {
				atomic_inc(&c->errors);
				f[i] = 0;
				continue;
			}
			*frame_word(f[i]) = n * 4 + i;
		}
		p = alloc_pages(GFP_KERNEL, n % 2 ? 3 : 0);
		if (p)
			*frame_word(page_to_phys(p)) = n * 4 + 3;
		if (p && *frame_word(page_to_phys(p)) != n * 4 + 3)
			atomic_inc(&c->errors);
		if (p)
			__free_pages(p, n % 2 ? 3 : 0);
		for (int i = 2; i >= 0; i--)
			if (f[i] && (*frame_word(f[i]) != n * 4 + i || free_frame(f[i])))
				atomic_inc(&c->errors);
		atomic_long_inc(&c->task_ops);
	}
	WRITE_ONCE(c->stop, true);
}

void test_pcp_irq_interleave(struct ktest *t)
{
	struct irq_ctx c = { 0 };
	unsigned long baseline;
	int n;

	drain_all_pages();
	baseline = nr_free_pages();
	n = ktest_run_on_cpus(2, irq_worker, &c);
	KTEST_ASSERT_GE(t, n, 2);
	drain_all_pages();
	KTEST_EXPECT_EQ(t, atomic_read(&c.errors), 0);
	KTEST_EXPECT_GE(t, atomic_long_read(&c.handler_ops), (long)IRQ_MIN_CALLS);
	KTEST_EXPECT_EQ(t, nr_free_pages(), baseline);
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0);
	ktest_log(t, "%ld task rounds, %ld handler rounds, %lu restarts", atomic_long_read(&c.task_ops),
		  atomic_long_read(&c.handler_ops), pcp_restart_count());
}
