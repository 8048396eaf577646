// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of mm/vmalloc.c: vmalloc/vfree with guard pages, the module area
 * and set_memory_*, kernel stacks and their guard page (thread stacks
 * included).  Kernel only: they touch the memory they map.
 *
 * The boot parameter "vm_overflow_test" runs a thread that overflows its
 * stack on purpose: the guard page faults, the #DF handler runs on its IST
 * stack and the kernel oopses and panics instead of triple-faulting.
 * scripts/check.sh boots it once and checks exactly that.
 */
#include <exo/atomic.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/kthread.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/printk.h>
#include <exo/preempt.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/vmalloc.h>
#include <asm/pgtable.h>

extern char _text[], _end[];

struct vbase {
	unsigned long free, tables, vpages;
};

/* As pgtable's baseline_take(): every CPU's caches, the slab's too. */
static void vbase_take(struct vbase *b)
{
	vmalloc_drain();
	drain_all_pages();
	b->free = nr_free_pages();
	b->tables = nr_pgtable_pages();
	b->vpages = vmalloc_nr_pages();
}

#define EXPECT_VBASE(t, b) do {						\
	drain_all_pages();						\
	KTEST_EXPECT_EQ(t, nr_free_pages(), (b)->free);			\
	KTEST_EXPECT_EQ(t, nr_pgtable_pages(), (b)->tables);		\
	KTEST_EXPECT_EQ(t, vmalloc_nr_pages(), (b)->vpages);		\
} while (0)

static void test_vmalloc_guards(struct ktest *t)
{
	const size_t size = 3 * PAGE_SIZE + 5;
	phys_addr_t pa[4];
	struct vbase b;
	u8 *p;

	vbase_take(&b);
	p = vmalloc(size);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr(p));
	KTEST_EXPECT_EQ(t, (unsigned long)p & (PAGE_SIZE - 1), 0UL);
	KTEST_EXPECT_EQ(t, vmalloc_nr_pages(), b.vpages + 4);
	for (size_t i = 0; i < 4 * PAGE_SIZE; i++)
		p[i] = (u8)(i * 7);
	for (unsigned int i = 0; i < 4; i++) {
		KTEST_ASSERT_EQ(t, translate((unsigned long)p + i * PAGE_SIZE, &pa[i]), 0);
		/* The frame seen through the direct map holds what was written. */
		KTEST_EXPECT_EQ(t, ((u8 *)phys_to_virt(pa[i]))[9], (u8)((i * PAGE_SIZE + 9) * 7));
	}
	KTEST_EXPECT_NE(t, pa[0], pa[1]);
	/* Guard pages on both sides. */
	KTEST_EXPECT_FAULT_READ(t, p + 4 * PAGE_SIZE);
	KTEST_EXPECT_FAULT_WRITE(t, p + 4 * PAGE_SIZE);
	KTEST_EXPECT_FAULT_READ(t, p - 1);
	vfree(p);
	KTEST_EXPECT_FAULT_READ(t, p);
	KTEST_EXPECT_FAULT_READ(t, p + 3 * PAGE_SIZE);
	EXPECT_VBASE(t, &b);
}

static void test_vmalloc_errors(struct ktest *t)
{
	static u8 not_vmalloc[16];
	struct vbase b;
	u8 *p;

	vbase_take(&b);
	KTEST_EXPECT_NULL(t, vmalloc(0));
	KTEST_EXPECT_NULL(t, vmalloc(1UL << 50));	/* larger than the area */
	KTEST_EXPECT_NULL(t, vmalloc(~0UL));		/* would round up to 0 pages */
	KTEST_EXPECT_NULL(t, module_alloc(~0UL - PAGE_SIZE + 2));
	vfree(NULL);
	p = vmalloc(2 * PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, p);
	/* Foreign, interior and module pointers are refused; p stays usable. */
	vfree(not_vmalloc);
	vfree(p + PAGE_SIZE);
	module_memfree(p);
	free_kernel_stack(p, 2 * PAGE_SIZE);
	p[PAGE_SIZE + 1] = 1;
	KTEST_EXPECT_EQ(t, vmalloc_nr_pages(), b.vpages + 2);
	vfree(p);
	vfree(p);			/* double free: refused, logged */
	/* From atomic context (SMP) the free is deferred; a double free is still caught. */
	if (num_online_cpus() > 1) {
		p = vmalloc(PAGE_SIZE);
		KTEST_ASSERT_NOT_NULL(t, p);
		local_irq_disable();
		preempt_disable();
		vfree(p);
		vfree(p);
		preempt_enable_no_resched();
		local_irq_enable();
		KTEST_EXPECT_EQ(t, vmalloc_nr_pages(), b.vpages + 1);	/* still mapped */
		KTEST_EXPECT_NO_FAULT_READ(t, p);
		vmalloc_drain();
		KTEST_EXPECT_FAULT_READ(t, p);
	}
	KTEST_EXPECT_NULL(t, alloc_kernel_stack(PAGE_SIZE + 1, NULL));
	EXPECT_VBASE(t, &b);
}

#define BURST_AREAS	200	/* more than two pages of area descriptors */

/*
 * A burst of areas freed newest first empties the last descriptor page
 * while the others are full, so the pool keeps it: the settled count of
 * free pages (leak checks) must not see it.  The order of frees decided
 * whether a leak check failed by one page (modload.test_store_smp at
 * -smp 8).
 */
static void test_vmalloc_burst_settles(struct ktest *t)
{
	static void *areas[BURST_AREAS];
	unsigned long before = ktest_settled_free_pages();
	unsigned int n = 0;

	while (n < BURST_AREAS && (areas[n] = vmalloc(1)))
		n++;
	KTEST_EXPECT_EQ(t, n, BURST_AREAS);
	while (n)
		vfree(areas[--n]);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), before);
}

static void test_vmalloc_large(struct ktest *t)
{
	const size_t size = 4UL << 20;
	struct vbase b;
	u64 *p, *q;

	vbase_take(&b);
	p = vmalloc(size);
	q = vmalloc(PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_ASSERT_NOT_NULL(t, q);
	/* Guard page between the two. */
	KTEST_EXPECT_TRUE(t, (unsigned long)q >= (unsigned long)p + size + PAGE_SIZE ||
			     (unsigned long)q + 2 * PAGE_SIZE <= (unsigned long)p);
	for (size_t i = 0; i < size / 8; i += 61)
		p[i] = i ^ 0x5a5a5a5a5a5aULL;
	for (size_t i = 0; i < size / 8; i += 61)
		if (p[i] != (i ^ 0x5a5a5a5a5a5aULL))
			KTEST_ASSERT_EQ(t, p[i], i ^ 0x5a5a5a5a5a5aULL);
	vfree(p);
	vfree(q);
	EXPECT_VBASE(t, &b);
}

static void test_module_alloc_perms(struct ktest *t)
{
	struct vbase b;
	unsigned long m;
	long dist;
	u8 v;

	vbase_take(&b);
	m = (unsigned long)module_alloc(3 * PAGE_SIZE);
	KTEST_ASSERT_NE(t, m, 0UL);
	KTEST_EXPECT_TRUE(t, is_module_addr((void *)m));
	KTEST_EXPECT_GE(t, m, MODULES_VADDR);
	KTEST_EXPECT_LE(t, m + 3 * PAGE_SIZE, MODULES_END);
	/* Every byte reachable from the kernel text with a 32-bit displacement. */
	dist = (long)(m + 3 * PAGE_SIZE) - (long)_text;
	KTEST_EXPECT_LT(t, dist, 1L << 31);
	dist = (long)m - (long)_end;
	KTEST_EXPECT_GT(t, dist, -(1L << 31));
	((volatile u8 *)m)[0] = 0xc3;			/* ret */
	/* RW + NX at first; RW -> X is refused (never W+X). */
	KTEST_EXPECT_EQ(t, set_memory_x(m, 3), -EINVAL);
	KTEST_EXPECT_EQ(t, set_memory_ro(m, 3), 0);
	KTEST_EXPECT_FAULT_WRITE(t, m);
	KTEST_EXPECT_FAULT_WRITE(t, m + 2 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, probe_read((void *)m, &v), 0);
	KTEST_EXPECT_EQ(t, v, 0xc3);
	KTEST_EXPECT_EQ(t, set_memory_x(m, 3), 0);
	((void (*)(void))m)();			/* runs the ret */
	KTEST_EXPECT_EQ(t, set_memory_rw(m, 1), -EINVAL);	/* X -> W+X refused */
	KTEST_EXPECT_EQ(t, set_memory_nx(m, 1), 0);
	KTEST_EXPECT_EQ(t, set_memory_rw(m, 1), 0);
	KTEST_EXPECT_EQ(t, probe_write((void *)m, 0x90), 0);
	KTEST_EXPECT_FAULT_WRITE(t, m + PAGE_SIZE);		/* others still RO+X */
	/* Errors change nothing. */
	KTEST_EXPECT_EQ(t, set_memory_ro(m + 1, 1), -EINVAL);
	KTEST_EXPECT_EQ(t, set_memory_ro(0x10000000, 1), -EINVAL);
	KTEST_EXPECT_EQ(t, set_memory_ro(m, 4), -ENOENT);	/* guard page after */
	KTEST_EXPECT_EQ(t, probe_write((void *)m, 0x91), 0);
	KTEST_EXPECT_EQ(t, set_memory_ro(m, 0), 0);
	KTEST_EXPECT_EQ(t, paging_check_wx(false), 0UL);
	vfree((void *)m);				/* wrong allocator: refused */
	module_memfree((void *)m);
	KTEST_EXPECT_FAULT_READ(t, m);
	EXPECT_VBASE(t, &b);
}

struct vleaf {
	unsigned long size;
	pgflags_t flags;
};

static int vleaf_cb(const struct pt_leaf *l, void *arg)
{
	struct vleaf *v = arg;

	v->size = l->size;
	v->flags = pte_pgflags(l->entry, l->size);
	return 0;
}

/* The kernel leaf mapping @va: its size and flags (size 0: none). */
static struct vleaf vleaf_of(unsigned long va)
{
	struct vleaf v = { 0, 0 };

	mm_walk(&init_mm, va, va + 1, vleaf_cb, &v);
	return v;
}

#define MEMTYPE	(PAGE_WRITECOMBINE | PAGE_NOCACHE | PAGE_WRITETHROUGH)

/*
 * set_memory_* on the direct map splits the huge page around one frame,
 * and changes nothing but the permission: the memory type stays
 * write-back (a huge leaf's PSE bit once read as the 4 KiB PAT bit turned
 * the frame write-combining).
 */
static void test_set_memory_direct_map(struct ktest *t)
{
	phys_addr_t frame;
	unsigned long va;
	volatile u8 *p;

	KTEST_ASSERT_EQ(t, alloc_frame(&frame), 0);
	va = (unsigned long)phys_to_virt(frame);
	p = (volatile u8 *)va;
	*p = 1;
	KTEST_EXPECT_EQ(t, vleaf_of(va).flags & MEMTYPE, 0UL);
	KTEST_EXPECT_EQ(t, set_memory_ro(va, 1), 0);
	KTEST_EXPECT_EQ(t, vleaf_of(va).size, PAGE_SIZE);
	KTEST_EXPECT_EQ(t, vleaf_of(va).flags & (MEMTYPE | PAGE_WRITABLE), 0UL);
	KTEST_EXPECT_EQ(t, vleaf_of(va ^ PAGE_SIZE).flags & MEMTYPE, 0UL);
	KTEST_EXPECT_FAULT_WRITE(t, va);
	KTEST_EXPECT_NO_FAULT_READ(t, va);
	/* The neighbours stay writable. */
	KTEST_EXPECT_EQ(t, probe_write((void *)(va ^ PAGE_SIZE), *(u8 *)(va ^ PAGE_SIZE)), 0);
	KTEST_EXPECT_EQ(t, set_memory_x(va, 1), 0);	/* RO -> RX allowed */
	KTEST_EXPECT_EQ(t, set_memory_nx(va, 1), 0);
	KTEST_EXPECT_EQ(t, set_memory_rw(va, 1), 0);
	KTEST_EXPECT_EQ(t, vleaf_of(va).flags & (MEMTYPE | PAGE_WRITABLE), PAGE_WRITABLE);
	*p = 2;
	KTEST_EXPECT_EQ(t, *p, 2);
	KTEST_EXPECT_EQ(t, free_frame(frame), 0);
}

/* Every frame but those @held keeps, taken: the next allocation fails. */
static void exhaust(struct list_head *held)
{
	phys_addr_t pa;

	drain_all_pages();
	while (alloc_frame(&pa) == 0)
		list_add(&phys_to_page(pa)->lru, held);
}

static void give_back(struct list_head *held)
{
	struct page *pg, *n;

	list_for_each_entry_safe(pg, n, held, lru) {
		list_del(&pg->lru);
		free_frame(page_to_phys(pg));
	}
}

/*
 * A change over several runs that fails on a later one (-ENOMEM for a
 * split) undoes the runs it already changed: "nothing changes on
 * failure".  Run 1 is a 4 KiB uncached page, run 2 the start of a 2 MiB
 * page after it, whose split finds no frame.  Translate-only mappings of
 * an address nobody touches, in a corner of the vmalloc area.
 */
static void test_set_memory_undone(struct ktest *t)
{
	const unsigned long huge = 0xffffe7ff80000000UL, small = huge - PAGE_SIZE;
	const phys_addr_t fake = 0x0000004000000000ULL;
	LIST_HEAD(held);
	struct vbase b;

	if (!pgtable_huge_supported(PAGE_HUGE_2M))
		KTEST_SKIP(t, "CONFIG_HUGEPAGES_2M=n");
	vbase_take(&b);
	KTEST_ASSERT_EQ(t, map_page(small, fake, PAGE_WRITABLE | PAGE_NOCACHE), 0);
	KTEST_ASSERT_EQ(t, map_page(huge, fake + PMD_SIZE, PAGE_WRITABLE | PAGE_HUGE_2M), 0);
	exhaust(&held);
	KTEST_EXPECT_EQ(t, set_memory_ro(small, 2), -ENOMEM);
	give_back(&held);
	KTEST_EXPECT_EQ(t, vleaf_of(small).flags & (PAGE_WRITABLE | PAGE_NOCACHE),
			PAGE_WRITABLE | PAGE_NOCACHE);
	KTEST_EXPECT_EQ(t, vleaf_of(huge).size, PMD_SIZE);
	KTEST_EXPECT_EQ(t, vleaf_of(huge).flags & PAGE_WRITABLE, PAGE_WRITABLE);
	/* With memory: both runs change, each keeping its memory type. */
	KTEST_EXPECT_EQ(t, set_memory_ro(small, 2), 0);
	KTEST_EXPECT_EQ(t, vleaf_of(small).flags & (PAGE_WRITABLE | PAGE_NOCACHE), PAGE_NOCACHE);
	KTEST_EXPECT_EQ(t, vleaf_of(huge).flags & (PAGE_WRITABLE | MEMTYPE), 0UL);
	KTEST_EXPECT_EQ(t, vleaf_of(huge + PAGE_SIZE).flags & PAGE_WRITABLE, PAGE_WRITABLE);
	KTEST_EXPECT_EQ(t, unmap_range(small, PAGE_SIZE + PMD_SIZE), 0);
	EXPECT_VBASE(t, &b);
}

static void test_kernel_stack_guard(struct ktest *t)
{
	const size_t size = 4 * PAGE_SIZE;
	phys_addr_t first = 0, pa;
	struct vbase b;
	u8 *s;

	vbase_take(&b);
	s = alloc_kernel_stack(size, &first);
	KTEST_ASSERT_NOT_NULL(t, s);
	KTEST_EXPECT_EQ(t, (unsigned long)s & (PAGE_SIZE - 1), 0UL);
	KTEST_EXPECT_EQ(t, translate((unsigned long)s, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, first);
	KTEST_EXPECT_EQ(t, probe_write(s, 1), 0);		/* lowest usable byte */
	KTEST_EXPECT_EQ(t, probe_write(s + size - 1, 1), 0);
	KTEST_EXPECT_FAULT_WRITE(t, s - 1);			/* guard page below */
	KTEST_EXPECT_FAULT_WRITE(t, s - PAGE_SIZE);
	KTEST_EXPECT_EQ(t, translate((unsigned long)s - PAGE_SIZE, &pa), -ENOENT);
	free_kernel_stack(s, size + PAGE_SIZE);		/* wrong size: refused */
	KTEST_EXPECT_EQ(t, probe_write(s, 2), 0);
	free_kernel_stack(s, size);
	KTEST_EXPECT_FAULT_READ(t, s);
	EXPECT_VBASE(t, &b);
}

static int stack_probe_fn(void *arg)
{
	u8 *lowest = current->stack;
	volatile u8 here = 0;

	/* Running on a guarded vmalloc stack: our own locals are inside it. */
	if ((unsigned long)&here < (unsigned long)lowest ||
	    (unsigned long)&here >= (unsigned long)lowest + current->stack_size)
		return 1;
	if (probe_write(lowest - 1, 0) != -EFAULT)
		return 2;
	return probe_write(lowest, 0) == 0 ? 0 : 3;
}

static void test_thread_stack_guard(struct ktest *t)
{
	struct task_struct *th = kthread_create(stack_probe_fn, NULL, "stackprobe");
	phys_addr_t pa;

	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr(th->stack));
	KTEST_EXPECT_EQ(t, translate((unsigned long)th->stack - PAGE_SIZE, &pa), -ENOENT);
	KTEST_EXPECT_EQ(t, translate((unsigned long)th->stack, &pa), 0);
	wake_up_process(th);
	KTEST_EXPECT_EQ(t, kthread_join(th), 0);
}

/*
 * vfree() on one CPU, vmalloc() on another: a CPU that read a buffer has
 * its translation in its TLB, and if the buffer's address is handed out
 * again before the shootdown of its free reached that CPU, what the CPU
 * writes into its new buffer lands in the old frames.  Each worker keeps
 * publishing a fresh one-page buffer filled with its own token, reads the
 * others' buffers under a reference (warming its TLB with their
 * addresses) and checks every word of each buffer while it is held and
 * again before it is freed, wherever the last reference is dropped.
 */
#define REUSE_WORKERS	4
#define REUSE_ROUNDS	150
#define REUSE_WORDS	(PAGE_SIZE / sizeof(u64))

struct reuse_buf {
	u64 *data;
	u64 token;
	unsigned int refs;	/* the slot's one + readers'; reuse_lock */
};

static DEFINE_SPINLOCK(reuse_lock);
static struct reuse_buf *reuse_slot[REUSE_WORKERS];
static atomic_t reuse_torn, reuse_nomem;

static void reuse_check(const struct reuse_buf *b, unsigned int cpu)
{
	for (unsigned int i = 0; i < REUSE_WORDS; i++) {
		if (b->data[i] != b->token) {
			if (atomic_inc_return(&reuse_torn) == 1)
				pr_err("vmalloc_test: cpu%u: %p[%u] = %#llx, not %#llx\n", cpu,
				       b->data, i, (unsigned long long)b->data[i],
				       (unsigned long long)b->token);
			return;
		}
	}
}

/* Drop a reference to @b (NULL: none); the last one checks and frees it. */
static void reuse_put(struct reuse_buf *b, unsigned int cpu)
{
	unsigned long flags;
	bool last;

	if (!b)
		return;
	spin_lock_irqsave(&reuse_lock, flags);
	last = !--b->refs;
	spin_unlock_irqrestore(&reuse_lock, flags);
	if (!last)
		return;
	reuse_check(b, cpu);
	vfree(b->data);
	kfree(b);
}

/* Put @b (NULL: empty) in worker @id's slot; the old buffer loses a ref. */
static void reuse_publish(unsigned int id, struct reuse_buf *b)
{
	struct reuse_buf *old;
	unsigned long flags;

	spin_lock_irqsave(&reuse_lock, flags);
	old = reuse_slot[id];
	reuse_slot[id] = b;
	spin_unlock_irqrestore(&reuse_lock, flags);
	reuse_put(old, smp_processor_id());
}

static struct reuse_buf *reuse_get(unsigned int id)
{
	struct reuse_buf *b;
	unsigned long flags;

	spin_lock_irqsave(&reuse_lock, flags);
	b = reuse_slot[id];
	if (b)
		b->refs++;
	spin_unlock_irqrestore(&reuse_lock, flags);
	return b;
}

static void reuse_worker(void *arg, unsigned int id)
{
	unsigned int cpu = smp_processor_id();

	for (unsigned int r = 0; r < REUSE_ROUNDS; r++) {
		struct reuse_buf *b = kmalloc(sizeof(*b), GFP_KERNEL), *peer;

		if (b)
			b->data = vmalloc(PAGE_SIZE);
		if (b && b->data) {
			b->token = (u64)(id + 1) << 32 | r;
			b->refs = 1;
			for (unsigned int i = 0; i < REUSE_WORDS; i++)
				b->data[i] = b->token;
			reuse_publish(id, b);
		} else {
			kfree(b);
			atomic_inc(&reuse_nomem);
		}
		peer = reuse_get((id + 1 + r % (REUSE_WORKERS - 1)) % REUSE_WORKERS);
		if (peer)
			reuse_check(peer, cpu);
		reuse_put(peer, cpu);
	}
	reuse_publish(id, NULL);
}

static void test_vfree_reuse_smp(struct ktest *t)
{
	unsigned long vpages;
	int ran;

	vmalloc_drain();
	vpages = vmalloc_nr_pages();
	atomic_set(&reuse_torn, 0);
	atomic_set(&reuse_nomem, 0);
	ran = ktest_run_on_cpus(REUSE_WORKERS, reuse_worker, NULL);
	KTEST_ASSERT_GE(t, ran, 2);
	KTEST_EXPECT_EQ(t, atomic_read(&reuse_torn), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&reuse_nomem), 0);
	/* Every buffer freed (the workers' own stacks may still be deferred). */
	vmalloc_drain();
	KTEST_EXPECT_EQ(t, vmalloc_nr_pages(), vpages);
}

static struct ktest_case vmalloc_cases[] = {
	KTEST_CASE(test_vmalloc_guards),
	KTEST_CASE(test_vmalloc_errors),
	KTEST_CASE(test_vmalloc_burst_settles),
	KTEST_CASE_RAM(test_vmalloc_large, 0, 32),	/* a 4 MiB vmalloc() */
	KTEST_CASE(test_module_alloc_perms),
	KTEST_CASE(test_set_memory_direct_map),
	KTEST_CASE(test_set_memory_undone),
	KTEST_CASE(test_kernel_stack_guard),
	KTEST_CASE(test_thread_stack_guard),
	KTEST_CASE_FLAGS(test_vfree_reuse_smp, KTEST_F_SMP | KTEST_F_SLOW),
	{}
};

static struct ktest_suite vmalloc_suite = {
	.name = "vmalloc",
	.cases = vmalloc_cases,
};
KTEST_SUITE(vmalloc_suite);

/* ---- vm_overflow_test: a deliberate stack overflow (see the top) ---- */

static bool overflow_requested;

static int __init overflow_setup(const char *val)
{
	overflow_requested = true;
	return 0;
}
__setup("vm_overflow_test", overflow_setup);

static noinline int recurse(volatile int depth)
{
	volatile char frame[512];

	if (depth == -1)	/* never: keeps the compiler from calling it infinite */
		return 0;
	frame[0] = (char)depth;
	return recurse(depth + 1) + frame[0];
}

static int overflow_fn(void *arg)
{
	pr_emerg("vm_overflow_test: overflowing a %zu KiB stack at %p on purpose\n",
		 current->stack_size >> 10, current->stack);
	return recurse(0);
}

static int __init overflow_test_start(void)
{
	struct task_struct *th;

	if (!overflow_requested)
		return 0;
	th = kthread_create(overflow_fn, NULL, "overflow");
	if (!th)
		return -ENOMEM;
	/* Never returns: the thread's overflow ends in an oops and a panic. */
	return kthread_join(th);
}
late_initcall(overflow_test_start);
