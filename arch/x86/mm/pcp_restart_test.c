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
#include <exo/string.h>
#include <exo/time.h>
#include <asm/page.h>
#include <asm/pcp.h>
#include <asm/pgtable.h>
#include <asm/ptrace.h>
#include <asm/traps.h>

struct pcp_restart_entry {
	unsigned long start, end;
};

extern const struct pcp_restart_entry __start___pcp_restart[], __stop___pcp_restart[];

/*
 * One of arch_xlate_walk()'s two sequences: they alone test a table
 * entry's present and leaf bits together (testb $0x81, %reg8: [REX] f6
 * /0 81, or a8 81 when the register is %al).
 */
static bool entry_is_walk(const struct pcp_restart_entry *e)
{
	const u8 *c = (const u8 *)e->start;

	for (unsigned long i = 0; i + 3 <= e->end - e->start; i++)
		if ((c[i] == 0xf6 && (c[i + 1] & 0xf8) == 0xc0 && c[i + 2] == 0x81) ||
		    (c[i] == 0xa8 && c[i + 1] == 0x81))
			return true;
	return false;
}

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
		/*
		 * A few instructions: under 64 bytes, but for translate()'s
		 * walk (<asm/pcp.h>, ~80 bytes), told by its testb $0x81.
		 */
		KTEST_EXPECT_LT(t, e->end - e->start, entry_is_walk(e) ? 128UL : 64UL);
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
/*
 * Under TCG an IPI cuts about one handler round in 200 inside a sequence;
 * after this many rounds a run without a restart is out of chance.
 */
#define IRQ_RESTART_CALLS	5000
#define IRQ_SIG		0x1a7e5ea5000000ULL

struct irq_ctx {
	unsigned int cpu;		/* the CPU of worker 0 */
	bool ready, stop;
	atomic_t errors;
	atomic_long_t handler_ops, task_ops;
	unsigned long restarts0;	/* pcp_restart_count() before */
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
	/*
	 * At least IRQ_MIN_CALLS handler rounds, and then until a restart or
	 * IRQ_RESTART_CALLS rounds, unless 10 times the time is not enough.
	 */
	for (u64 n = 0, now = 0; now < deadline + 10 * IRQ_TEST_NS &&
	     (now < deadline || atomic_long_read(&c->handler_ops) < IRQ_MIN_CALLS ||
	      (pcp_restart_count() == c->restarts0 &&
	       atomic_long_read(&c->handler_ops) < IRQ_RESTART_CALLS)); n++) {
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
	struct irq_ctx c = { .restarts0 = pcp_restart_count() };
	unsigned long baseline, restarts;
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
	/* The IPIs did cut sequences (after a taken or untaken branch, under TCG). */
	restarts = pcp_restart_count() - c.restarts0;
	/*
	 * The debug builds (fault injection, poisoning, KASAN) take the slow
	 * paths or instrument around the sequences, and TCG then seldom ends
	 * a block inside one: none was cut in 18557 rounds of allyesconfig.
	 * On a loaded host the time may run out before enough rounds for a
	 * cut to be certain; test_pcp_restart_step() covers every boundary
	 * whatever the timing.
	 */
	if (!IS_ENABLED(CONFIG_FAULT_INJECTION) && !IS_ENABLED(CONFIG_PAGE_POISONING) &&
	    !IS_ENABLED(CONFIG_KASAN) &&
	    atomic_long_read(&c.handler_ops) >= IRQ_RESTART_CALLS)
		KTEST_EXPECT_GT(t, restarts, 0UL);
	ktest_log(t, "%ld task rounds, %ld handler rounds, %lu restarts", atomic_long_read(&c.task_ops),
		  atomic_long_read(&c.handler_ops), restarts);
}

/*
 * Every interruption point, deterministically.  Under TCG an interrupt
 * lands only where a translation block starts, so the interleave test
 * never cuts most sequences where a broken table entry would show.
 * Here the CPU single-steps (EFLAGS.TF) one operation on a test stack,
 * and at the k-th instruction boundary the #DB hook plays an interrupt:
 * it runs the rewind as do_interrupt() does, then a handler that uses
 * the same per-CPU data.  For every k the result must be one of the two
 * serial orders (handler first or operation first); a boundary the
 * table leaves out loses, duplicates or reads a stale entry.
 */
#define STEP_MAX	256
#define STEP_SLOTS	8
#define STEP_A(i)	(0xa0UL + (i))
#define STEP_H		0xeeUL	/* what a handler pushes */
#define STEP_T		0x77UL	/* what the stepped push pushes */
#define STEP_TAG1	0x1234UL
#define STEP_TAG2	0x5678UL
#define STEP_IDX	3

struct step_stack {
	unsigned int top, bottom, limit;
	unsigned long slots[STEP_SLOTS];
};

static DEFINE_PER_CPU(struct step_stack, step_stack);

/*
 * arch_pcp_pop_idx() and arch_pcp_push_idx() (the slab's tier-2 arrays)
 * run on stack 1 of these two, which share one slot array (stack 1 holds
 * slots STEP_SLOTS ..), picked by its number in a register as the slab
 * picks a class; step_run() copies it into step_stack after the run for
 * the same checks.
 */
struct step_ac {
	unsigned long tops[2];
	unsigned long slots[2 * STEP_SLOTS];
};
static DEFINE_PER_CPU(struct step_ac, step_ac);
#define STEP_AC_LIMIT	(STEP_SLOTS - 2)
static const unsigned long step_bottoms[2] = { 0, STEP_SLOTS };
static const unsigned long step_limits[2] = { STEP_AC_LIMIT, STEP_SLOTS + STEP_AC_LIMIT };
static DEFINE_PER_CPU(unsigned long, step_tag);
static DEFINE_PER_CPU(u64 *, step_ptr);
static u64 step_table1[8], step_table2[8];

enum step_act { ACT_PUSH, ACT_POP, ACT_PTR, ACT_TAG, ACT_CHECK };

static struct {
	int cpu;
	unsigned int k, n;		/* boundary to interrupt at, boundaries seen */
	enum step_act act;
	bool idx;			/* the _idx forms (handler and stepped run) */
	unsigned long stack;		/* their stack: 1 */
	unsigned long rips[STEP_MAX];
	unsigned long hval;		/* what the handler popped */
	bool hok, restarted;
	bool torn;			/* ACT_CHECK saw a tag with another's pointer */
} sc;

/*
 * translate()'s walk (arch_xlate_walk()) on a private cache and private
 * tables: a PDPT under PGD slot 256, a page directory and a page table
 * (frames, so that the walk's direct-map addresses reach them), mapping
 * WALK_VA to WALK_PA.  The cache starts with other entries (WALK_OLD*),
 * so the walk fills both of its one-entry caches.
 */
#define WALK_VA		(0xffff800000000000UL + 5 * PUD_SIZE + 7 * PMD_SIZE + 9 * PAGE_SIZE + 0x123)
#define WALK_PA		0x12345000UL
#define WALK_OLD	((WALK_VA >> PMD_SHIFT) + 1)	/* the next 2 MiB */
#define WALK_OLD2	((WALK_VA >> PUD_SHIFT) + 1)	/* the next GiB */
#define WALK_2M_VA	(WALK_VA - 7 * PMD_SIZE + 3 * PMD_SIZE + 0x45678)	/* same GiB */
#define WALK_2M_PA	(0x40000000UL + (WALK_2M_VA & (PMD_SIZE - 1)))
#define WALK_1G_VA	(WALK_VA + 2 * PUD_SIZE + 0x1234567)
#define WALK_1G_PA	(0x80000000UL + (WALK_1G_VA & (PUD_SIZE - 1)))
#define WALK_HOLE_VA	(WALK_VA + 3 * PUD_SIZE)
#define WALK_TOP_VA	(WALK_VA | 0x0000ff8000000000UL)	/* PGD slot 511 */

static DEFINE_PER_CPU(unsigned long, walk_tag);
static DEFINE_PER_CPU(u64 *, walk_pt);
static DEFINE_PER_CPU(unsigned long, walk_tag2);
static DEFINE_PER_CPU(u64 *, walk_pmd);
static u64 *walk_tables[256];
static u64 *walk_pd, *walk_ptab;	/* the new directory and page table */

/*
 * What an interrupt handler's translate() would use: each tag must come
 * with its own pointer (or be invalid), else a translate() of the old
 * 2 MiB or GiB reads the new table.
 */
static bool walk_cache_consistent(void)
{
	unsigned long tag = this_cpu_read(walk_tag), tag2 = this_cpu_read(walk_tag2);
	u64 *pt = this_cpu_read(walk_pt), *pmd = this_cpu_read(walk_pmd);

	return (tag == ~0UL || (tag == WALK_OLD && pt == step_table1) ||
		(tag == WALK_VA >> PMD_SHIFT && pt == walk_ptab)) &&
	       (tag2 == ~0UL || (tag2 == WALK_OLD2 && pmd == step_table2) ||
		(tag2 == WALK_VA >> PUD_SHIFT && pmd == walk_pd));
}

static bool step_hook(struct pt_regs *regs)
{
	unsigned int i;

	if (READ_ONCE(sc.cpu) != (int)smp_processor_id())
		return false;
	i = sc.n++;
	if (i < STEP_MAX)
		sc.rips[i] = regs->rip;
	if (i != sc.k)
		return true;
	/* An interrupt here: the entry's rewind first, then its handler. */
	sc.restarted = false;
	{
		unsigned long rip = regs->rip;

		pcp_restart_fixup(regs);
		sc.restarted = regs->rip != rip;
	}
	switch (sc.act) {
	case ACT_PUSH:
		if (sc.idx)
			arch_pcp_push_idx(step_ac.tops[0], step_limits[0], step_ac.slots, sc.stack,
					  STEP_H);
		else
			arch_pcp_push(step_stack.top, step_stack.limit, step_stack.slots, STEP_H);
		break;
	case ACT_POP:
		if (sc.idx)
			sc.hok = arch_pcp_pop_idx(step_ac.tops[0], step_bottoms[0], step_ac.slots,
						  sc.stack, (void **)&sc.hval);
		else
			sc.hok = arch_pcp_pop(step_stack.top, step_stack.bottom, step_stack.slots,
					      &sc.hval);
		break;
	case ACT_PTR:	/* a refill: the old table is freed and reused */
	case ACT_TAG:	/* a flush, then the same */
		if (sc.act == ACT_TAG)
			this_cpu_write(step_tag, STEP_TAG2);
		this_cpu_write(step_ptr, step_table2);
		WRITE_ONCE(step_table1[STEP_IDX], STEP_H);
		break;
	case ACT_CHECK:	/* a handler that translates in the old 2 MiB or GiB */
		sc.torn = !walk_cache_consistent();
		break;
	}
	return true;
}

/* The first trap comes after the instruction that follows popfq: a nop, so none is missed. */
#define tf_on()	__asm__ __volatile__("pushfq; orq $0x100, (%%rsp); popfq; nop" ::: "memory", "cc")
#define tf_off() __asm__ __volatile__("pushfq; andq $~0x100, (%%rsp); popfq" ::: "memory", "cc")

static noinline bool step_pop(unsigned long *v)
{
	bool ok;

	tf_on();
	ok = arch_pcp_pop(step_stack.top, step_stack.bottom, step_stack.slots, v);
	tf_off();
	return ok;
}

static noinline void step_push(void)
{
	tf_on();
	arch_pcp_push(step_stack.top, step_stack.limit, step_stack.slots, STEP_T);
	tf_off();
}

static noinline bool step_pop_idx(unsigned long stack, unsigned long *v)
{
	bool ok;

	tf_on();
	ok = arch_pcp_pop_idx(step_ac.tops[0], step_bottoms[0], step_ac.slots, stack, (void **)v);
	tf_off();
	return ok;
}

static noinline bool step_push_idx(unsigned long stack)
{
	bool ok;

	tf_on();
	ok = arch_pcp_push_idx(step_ac.tops[0], step_limits[0], step_ac.slots, stack, STEP_T);
	tf_off();
	return ok;
}

static noinline bool step_read(u64 *v)
{
	bool hit;

	tf_on();
	hit = arch_pcpu_tagged_read(step_tag, step_ptr, STEP_TAG1, STEP_IDX, v);
	tf_off();
	return hit;
}

static noinline bool step_walk(unsigned long va, u64 *phys)
{
	bool ok;

	tf_on();
	ok = arch_xlate_walk(walk_tag, walk_pt, walk_tag2, walk_pmd, walk_tables, va,
			     va >> PMD_SHIFT, ((va >> PAGE_SHIFT) & 511), phys);
	tf_off();
	return ok;
}

/*
 * The walks: WALK_VA from the other GiB's directory cached (the walk
 * fills both caches), WALK_VA and the 2 MiB leaf from WALK_VA's
 * directory cached (the PGD-level walk skipped), the 1 GiB leaf from the
 * other directory (no cache filled).
 */
enum step_seq {
	SEQ_POP, SEQ_PUSH, SEQ_READ, SEQ_POP_IDX, SEQ_PUSH_IDX,
	SEQ_WALK, SEQ_WALK_WARM, SEQ_WALK_2M, SEQ_WALK_1G,	/* walks last: seq >= SEQ_WALK */
};

static const struct { unsigned long va, pa; } step_walks[] = {
	[SEQ_WALK - SEQ_WALK] = { WALK_VA, WALK_PA + (WALK_VA & ~PAGE_MASK) },
	[SEQ_WALK_WARM - SEQ_WALK] = { WALK_VA, WALK_PA + (WALK_VA & ~PAGE_MASK) },
	[SEQ_WALK_2M - SEQ_WALK] = { WALK_2M_VA, WALK_2M_PA },
	[SEQ_WALK_1G - SEQ_WALK] = { WALK_1G_VA, WALK_1G_PA },
};

/* A stepped walk's result and caches: WALK_VA's entries where it walked them, else the old. */
static bool step_walk_done(enum step_seq seq, u64 r)
{
	bool pt = seq == SEQ_WALK || seq == SEQ_WALK_WARM;	/* went through walk_ptab */
	bool dir = seq != SEQ_WALK_1G;				/* had or took walk_pd */

	return r == step_walks[seq - SEQ_WALK].pa &&
	       this_cpu_read(walk_tag) == (pt ? WALK_VA >> PMD_SHIFT : WALK_OLD) &&
	       this_cpu_read(walk_pt) == (pt ? walk_ptab : step_table1) &&
	       this_cpu_read(walk_tag2) == (dir ? WALK_VA >> PUD_SHIFT : WALK_OLD2) &&
	       this_cpu_read(walk_pmd) == (dir ? walk_pd : step_table2);
}

/* The stack's contents as a bit set of small values, or ~0 if one is duplicated or odd. */
static unsigned long stack_set(void)
{
	struct step_stack *s = this_cpu_ptr(&step_stack);
	unsigned long set = 0;

	for (unsigned int i = s->bottom; i < s->top; i++) {
		unsigned long v = s->slots[i], b;

		b = v == STEP_H ? 1UL << 60 : v == STEP_T ? 1UL << 61 : 1UL << (v - STEP_A(0));
		if (v != STEP_H && v != STEP_T && (v < STEP_A(0) || v > STEP_A(3)))
			return ~0UL;
		if (set & b)
			return ~0UL;
		set |= b;
	}
	return set;
}

#define SET_A(i)	(1UL << (i))
#define SET_H		(1UL << 60)
#define SET_T		(1UL << 61)
#define SET_A03		(SET_A(0) | SET_A(1) | SET_A(2) | SET_A(3))

static unsigned long bit_of(unsigned long v)
{
	return v == STEP_H ? SET_H : v == STEP_T ? SET_T :
	       v >= STEP_A(0) && v <= STEP_A(3) ? 1UL << (v - STEP_A(0)) : ~0UL;
}

/* One stepped run interrupted at boundary @k (none if past the end); true if serialisable. */
static bool step_run(enum step_seq seq, enum step_act act, unsigned int k)
{
	struct step_stack *s = this_cpu_ptr(&step_stack);
	struct step_ac *ac = this_cpu_ptr(&step_ac);
	unsigned long v = 0, set;
	bool push_ok = true;
	u64 r = 0;
	bool ok = false;

	for (unsigned int i = 0; i < 4; i++)
		ac->slots[STEP_SLOTS + i] = s->slots[i] = STEP_A(i);
	s->bottom = 0;
	s->top = 4;
	s->limit = STEP_SLOTS - 2;
	ac->tops[1] = STEP_SLOTS + 4;
	sc.idx = seq == SEQ_POP_IDX || seq == SEQ_PUSH_IDX;
	sc.stack = 1;
	this_cpu_write(step_tag, STEP_TAG1);
	this_cpu_write(step_ptr, step_table1);
	step_table1[STEP_IDX] = STEP_A(1);
	step_table2[STEP_IDX] = STEP_A(2);
	sc.k = k;
	sc.n = 0;
	sc.act = act;
	sc.hok = false;
	sc.restarted = false;
	sc.torn = false;
	this_cpu_write(walk_tag, WALK_OLD);
	this_cpu_write(walk_pt, step_table1);
	if (seq == SEQ_WALK_WARM || seq == SEQ_WALK_2M) {
		this_cpu_write(walk_tag2, WALK_VA >> PUD_SHIFT);
		this_cpu_write(walk_pmd, walk_pd);
	} else {
		this_cpu_write(walk_tag2, WALK_OLD2);
		this_cpu_write(walk_pmd, step_table2);
	}
	WRITE_ONCE(sc.cpu, smp_processor_id());
	if (seq >= SEQ_WALK)
		ok = step_walk(step_walks[seq - SEQ_WALK].va, &r);
	else if (seq == SEQ_POP)
		ok = step_pop(&v);
	else if (seq == SEQ_PUSH)
		step_push();
	else if (seq == SEQ_POP_IDX)
		ok = step_pop_idx(sc.stack, &v);
	else if (seq == SEQ_PUSH_IDX)
		push_ok = step_push_idx(sc.stack);
	else
		ok = step_read(&r);
	/* The hook ran in #DB, behind the compiler's back: reload what it wrote. */
	barrier();
	WRITE_ONCE(sc.cpu, -1);
	if (sc.idx) {		/* the same checks on stack 1's contents */
		if (!push_ok || ac->tops[1] < STEP_SLOTS || ac->tops[1] > 2 * STEP_SLOTS)
			return false;
		s->top = (unsigned int)(ac->tops[1] - STEP_SLOTS);
		memcpy(s->slots, &ac->slots[STEP_SLOTS], sizeof(s->slots));
		seq = seq == SEQ_POP_IDX ? SEQ_POP : SEQ_PUSH;
	}
	if (seq >= SEQ_WALK)	/* the right address and caches, never torn */
		return ok && !sc.torn && step_walk_done(seq, r);
	if (k >= sc.n)		/* not interrupted: the plain result */
		act = seq == SEQ_READ ? ACT_PTR : ACT_PUSH;
	set = stack_set();
	if (seq == SEQ_POP && act == ACT_PUSH && k < sc.n)
		return ok && ((bit_of(v) == SET_H && set == SET_A03) ||
			      (v == STEP_A(3) && set == (SET_A03 & ~SET_A(3)) + SET_H));
	if (seq == SEQ_POP && act == ACT_PUSH)
		return ok && v == STEP_A(3) && set == (SET_A03 & ~SET_A(3));
	if (seq == SEQ_POP)	/* ACT_POP: the two pops took A3 and A2 between them */
		return ok && sc.hok && set == (SET_A(0) | SET_A(1)) &&
		       (bit_of(v) | bit_of(sc.hval)) == (SET_A(2) | SET_A(3));
	if (seq == SEQ_PUSH && act == ACT_PUSH)
		return set == (SET_A03 | SET_T | (k < sc.n ? SET_H : 0));
	if (seq == SEQ_PUSH)	/* ACT_POP: the handler took A3 or T */
		return sc.hok && ((sc.hval == STEP_A(3) && set == (SET_A03 & ~SET_A(3)) + SET_T) ||
				  (sc.hval == STEP_T && set == SET_A03));
	/* SEQ_READ: the old table's word before the handler freed it, or the new state. */
	if (k >= sc.n)
		return ok && r == STEP_A(1);
	if (act == ACT_PTR)
		return ok && (r == STEP_A(1) || r == STEP_A(2));
	return !ok || r == STEP_A(1);
}

/*
 * The table entry a stepped run went through: its boundaries inside
 * [start, end) must be one run from start, the instruction after them
 * must land on end, the first must be a %gs access and the last the
 * commit (a %gs store, increment or decrement of the top, or the table
 * word's load).
 */
static void step_check_entry(struct ktest *t, enum step_seq seq, unsigned int n)
{
	const struct pcp_restart_entry *e = NULL;
	unsigned int first = n, last = n;
	const u8 *c;

	for (unsigned int i = 0; i < n && i < STEP_MAX && !e; i++)
		for (const struct pcp_restart_entry *x = __start___pcp_restart;
		     x < __stop___pcp_restart; x++)
			if (sc.rips[i] - x->start < x->end - x->start)
				e = x;
	KTEST_ASSERT_NOT_NULL(t, e);
	for (unsigned int i = 0; i < n && i < STEP_MAX; i++) {
		if (sc.rips[i] - e->start >= e->end - e->start)
			continue;
		if (first == n)
			first = i;
		KTEST_EXPECT_TRUE(t, last == n || last == i - 1);
		last = i;
	}
	KTEST_ASSERT_LT(t, last + 1, n);
	KTEST_EXPECT_EQ(t, sc.rips[first], e->start);
	KTEST_EXPECT_EQ(t, sc.rips[last + 1], e->end);
	c = (const u8 *)e->start;
	KTEST_EXPECT_EQ(t, c[0], 0x65);			/* %gs: the first load */
	c = (const u8 *)sc.rips[last];
	if (seq == SEQ_READ) {				/* REX.W mov (...),%reg */
		KTEST_EXPECT_EQ(t, c[0] & 0xf0, 0x40);
		KTEST_EXPECT_EQ(t, c[1], 0x8b);
	} else {	/* %gs: [REX] mov %reg,mem, or add/sub $imm8,mem (the top's +-1) */
		unsigned int ext;	/* the ModRM reg field: 0 add, 5 sub */

		KTEST_EXPECT_EQ(t, c[0], 0x65);
		if ((c[1] & 0xf0) == 0x40)
			c++;
		ext = (c[2] >> 3) & 7;
		KTEST_EXPECT_TRUE(t, c[1] == 0x89 || (c[1] == 0x83 && (ext == 0 || ext == 5)));
	}
}

/* A stepped pop of an empty stack: the miss path, the stack and *v untouched. */
static void step_pop_empty(struct ktest *t)
{
	struct step_stack *s = this_cpu_ptr(&step_stack);
	unsigned long v = STEP_T;
	bool ok;

	s->slots[1] = STEP_A(1);
	s->bottom = 2;
	s->top = 2;
	sc.k = ~0U;
	sc.n = 0;
	WRITE_ONCE(sc.cpu, smp_processor_id());
	ok = step_pop(&v);
	barrier();
	WRITE_ONCE(sc.cpu, -1);
	KTEST_EXPECT_FALSE(t, ok);
	KTEST_EXPECT_GT(t, sc.n, 0U);
	KTEST_EXPECT_EQ(t, s->top, 2U);
	KTEST_EXPECT_EQ(t, s->bottom, 2U);
	KTEST_EXPECT_EQ(t, s->slots[1], STEP_A(1));
	KTEST_EXPECT_EQ(t, v, STEP_T);
}

/* One walk of the private tables, from both caches empty unless @warm. */
static bool walk_once(unsigned long va, bool warm, u64 *phys)
{
	if (!warm) {
		this_cpu_write(walk_tag, ~0UL);
		this_cpu_write(walk_tag2, ~0UL);
	}
	return arch_xlate_walk(walk_tag, walk_pt, walk_tag2, walk_pmd, walk_tables, va,
			       va >> PMD_SHIFT, (va >> PAGE_SHIFT) & 511, phys);
}

/*
 * The walk's other ends, unstepped: huge leaves at both levels, holes,
 * addresses outside the kernel half (lower half, non-canonical), and the
 * PGD slot's PDPT taken from both ends of @tables (va >> 39 sign-extended
 * indexes it from its end): slot 511 is given slot 256's PDPT.
 */

static void step_walk_exits(struct ktest *t)
{
	u64 phys = 0;

	walk_tables[255] = walk_tables[0];
	KTEST_EXPECT_TRUE(t, walk_once(WALK_2M_VA, false, &phys));
	KTEST_EXPECT_EQ(t, phys, WALK_2M_PA);
	/* Again from the cached directory (the 2 MiB leaf ends that walk too). */
	KTEST_EXPECT_TRUE(t, walk_once(WALK_2M_VA, true, &phys));
	KTEST_EXPECT_EQ(t, phys, WALK_2M_PA);
	KTEST_EXPECT_TRUE(t, walk_once(WALK_1G_VA, false, &phys));
	KTEST_EXPECT_EQ(t, phys, WALK_1G_PA);
	KTEST_EXPECT_TRUE(t, walk_once(WALK_TOP_VA, false, &phys));
	KTEST_EXPECT_EQ(t, phys, WALK_PA + (WALK_VA & ~PAGE_MASK));
	KTEST_EXPECT_EQ(t, this_cpu_read(walk_tag2), WALK_TOP_VA >> PUD_SHIFT);
	/* A hole caches nothing: the other GiB's directory stays. */
	this_cpu_write(walk_tag, ~0UL);
	this_cpu_write(walk_tag2, WALK_OLD2);
	this_cpu_write(walk_pmd, step_table2);
	KTEST_EXPECT_FALSE(t, walk_once(WALK_HOLE_VA, true, &phys));
	KTEST_EXPECT_EQ(t, this_cpu_read(walk_tag2), WALK_OLD2);
	KTEST_EXPECT_TRUE(t, this_cpu_read(walk_pmd) == step_table2);
	KTEST_EXPECT_FALSE(t, walk_once(WALK_VA + PAGE_SIZE, false, &phys));	/* no PTE */
	KTEST_EXPECT_FALSE(t, walk_once(WALK_VA & 0x00007fffffffffffUL, false, &phys));
	KTEST_EXPECT_FALSE(t, walk_once(WALK_VA & ~(1UL << 47), false, &phys));
	KTEST_EXPECT_FALSE(t, walk_once(WALK_VA & ~(1UL << 62), false, &phys));
	KTEST_EXPECT_FALSE(t, walk_once(WALK_TOP_VA & ~(1UL << 63), false, &phys));
	walk_tables[255] = NULL;
}

/* The conditional jump (rel8 or rel32) on condition @cc at @rip. */
static bool is_jcc(unsigned long rip, u8 cc)
{
	const u8 *c = (const u8 *)rip;

	return c[0] == 0x70 + cc || (c[0] == 0x0f && c[1] == 0x80 + cc);
}

#define CC_AE	0x3
#define CC_E	0x4

/*
 * The _idx forms' miss paths, stepped: a pop of stack 1 while empty with
 * a handler that pushes, a push while full (top == limit) with a handler
 * that pops.  Interrupted between the compare and its jump (or between
 * the load and the compare) the sequence must restart and see the
 * handler's change: the pop takes the handler's entry, the push
 * succeeds.  The miss with a stale compare would also be a serial order,
 * but the sequence's design promises the restart, and without its table
 * entry the stale compare is what runs.  One run interrupted at boundary
 * @k of @plain (the @n boundaries of the run without interruption, NULL
 * for that run); true if its result is right, *@inside set if @k is one
 * of those two points.
 */
static bool step_miss_run(bool push, unsigned int k, const unsigned long *plain,
			  unsigned int n, bool *inside)
{
	struct step_ac *ac = this_cpu_ptr(&step_ac);
	unsigned long v = 0, *sl = &ac->slots[STEP_SLOTS];
	u8 cc = push ? CC_AE : CC_E;
	bool ok;

	for (unsigned int i = 0; i < STEP_SLOTS; i++)
		sl[i] = STEP_A(i);
	ac->tops[1] = STEP_SLOTS + (push ? STEP_AC_LIMIT : 0);
	sc.idx = true;
	sc.stack = 1;
	sc.act = push ? ACT_POP : ACT_PUSH;
	sc.k = k;
	sc.n = 0;
	sc.hok = false;
	sc.hval = 0;
	sc.restarted = false;
	WRITE_ONCE(sc.cpu, smp_processor_id());
	if (push)
		ok = step_push_idx(sc.stack);
	else
		ok = step_pop_idx(sc.stack, &v);
	barrier();
	WRITE_ONCE(sc.cpu, -1);
	*inside = plain && k + 1 < n && (is_jcc(plain[k], cc) || is_jcc(plain[k + 1], cc));
	if (!plain || k >= sc.n)	/* not interrupted: the miss, nothing changed */
		return !ok && ac->tops[1] == STEP_SLOTS + (push ? STEP_AC_LIMIT : 0);
	if (push) {
		bool after = sc.hok && sc.hval == STEP_A(STEP_AC_LIMIT - 1);
		bool first = after && ok && ac->tops[1] == STEP_SLOTS + STEP_AC_LIMIT &&
			     sl[STEP_AC_LIMIT - 1] == STEP_T;

		if (*inside)
			return sc.restarted && first;
		return first || (after && !ok && ac->tops[1] == STEP_SLOTS + STEP_AC_LIMIT - 1);
	}
	if (*inside)
		return sc.restarted && ok && v == STEP_H && ac->tops[1] == STEP_SLOTS;
	return (ok && v == STEP_H && ac->tops[1] == STEP_SLOTS) ||
	       (!ok && ac->tops[1] == STEP_SLOTS + 1 && sl[0] == STEP_H);
}

static void step_miss_idx(struct ktest *t, bool push)
{
	const char *name = push ? "push_idx full/pop" : "pop_idx empty/push";
	static unsigned long plain[STEP_MAX];
	unsigned int n, bad = 0, inside_n = 0;
	bool inside;

	KTEST_EXPECT_TRUE(t, step_miss_run(push, ~0U, NULL, 0, &inside));
	n = sc.n;
	KTEST_ASSERT_LE(t, n, (unsigned int)STEP_MAX);
	memcpy(plain, sc.rips, n * sizeof(plain[0]));
	for (unsigned int k = 0; k < n; k++) {
		if (!step_miss_run(push, k, plain, n, &inside) && !bad++)
			ktest_log(t, "%s: wrong result interrupted at %pS (k %u, restarted %d)",
				  name, (void *)plain[k], k, sc.restarted);
		inside_n += inside;
	}
	KTEST_EXPECT_EQ(t, bad, 0U);
	/* Before the compare and before its jump: the two points the restart covers. */
	KTEST_EXPECT_EQ(t, inside_n, 2U);
	ktest_log(t, "%s: %u boundaries", name, n);
}

void test_pcp_restart_step(struct ktest *t)
{
	static const struct { enum step_seq seq; enum step_act act; const char *name; } cases[] = {
		{ SEQ_POP, ACT_PUSH, "pop/push" }, { SEQ_POP, ACT_POP, "pop/pop" },
		{ SEQ_PUSH, ACT_PUSH, "push/push" }, { SEQ_PUSH, ACT_POP, "push/pop" },
		{ SEQ_READ, ACT_PTR, "read/refill" }, { SEQ_READ, ACT_TAG, "read/flush" },
		{ SEQ_WALK, ACT_CHECK, "walk/translate" },
		{ SEQ_POP_IDX, ACT_PUSH, "pop_idx/push" }, { SEQ_POP_IDX, ACT_POP, "pop_idx/pop" },
		{ SEQ_PUSH_IDX, ACT_PUSH, "push_idx/push" }, { SEQ_PUSH_IDX, ACT_POP, "push_idx/pop" },
		{ SEQ_WALK_WARM, ACT_CHECK, "walk-cached-dir/translate" },
		{ SEQ_WALK_2M, ACT_CHECK, "walk-2M/translate" },
		{ SEQ_WALK_1G, ACT_CHECK, "walk-1G/translate" },
	};
	bool (*prev)(struct pt_regs *regs) = debug_trap_hook;
	phys_addr_t f[3];
	unsigned long flags;

	for (int i = 0; i < 3; i++) {
		KTEST_ASSERT_EQ(t, alloc_frame(&f[i]), 0);
		memset(phys_to_virt(f[i]), 0, PAGE_SIZE);
	}
	walk_tables[0] = phys_to_virt(f[0]);
	walk_pd = phys_to_virt(f[1]);
	walk_ptab = phys_to_virt(f[2]);
	walk_tables[0][(WALK_VA >> PUD_SHIFT) & 511] = f[1] | 1;
	walk_pd[(WALK_VA >> PMD_SHIFT) & 511] = f[2] | 1;
	walk_ptab[((WALK_VA >> PAGE_SHIFT) & 511)] = WALK_PA | 1;
	walk_pd[(WALK_2M_VA >> PMD_SHIFT) & 511] = 0x40000000UL | 0x81;
	walk_tables[0][(WALK_1G_VA >> PUD_SHIFT) & 511] = 0x80000000UL | 0x81 | (1UL << 63);
	sc.cpu = -1;
	WRITE_ONCE(debug_trap_hook, step_hook);
	local_irq_save(flags);
	for (unsigned int c = 0; c < ARRAY_SIZE(cases); c++) {
		unsigned int n, bad = 0, restarts = 0;

		/* A run without interruption: the plain result and the boundaries. */
		KTEST_EXPECT_TRUE(t, step_run(cases[c].seq, cases[c].act, ~0U));
		n = sc.n;
		KTEST_ASSERT_LE(t, n, (unsigned int)STEP_MAX);
		if (cases[c].seq < SEQ_WALK)	/* two entries, each checked by the steps below */
			step_check_entry(t, cases[c].seq == SEQ_READ ? SEQ_READ : SEQ_POP, n);
		for (unsigned int k = 0; k < n; k++) {
			if (!step_run(cases[c].seq, cases[c].act, k)) {
				if (!bad++)
					ktest_log(t, "%s: wrong result interrupted at %pS (k %u, hval %lx set %lx)",
						  cases[c].name, (void *)sc.rips[k], k, sc.hval, stack_set());
			}
			restarts += sc.restarted;
		}
		KTEST_EXPECT_EQ(t, bad, 0U);
		KTEST_EXPECT_GT(t, restarts, 0U);
		ktest_log(t, "%s: %u boundaries, %u restarts", cases[c].name, n, restarts);
	}
	step_pop_empty(t);
	step_walk_exits(t);
	step_miss_idx(t, false);
	step_miss_idx(t, true);
	local_irq_restore(flags);
	WRITE_ONCE(debug_trap_hook, prev);
	walk_tables[0] = NULL;
	for (int i = 0; i < 3; i++)
		KTEST_EXPECT_EQ(t, free_frame(f[i]), 0);
}
