// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc, module and stack areas.
 *
 * Goal: virtually contiguous kernel memory out of scattered 4 KiB frames,
 * with every allocation fenced by unmapped guard pages, and the permission
 * changes (set_memory_*) a module loader needs, never producing W+X.
 *
 * Three arenas (see Documentation/mm/layout.rst): vmalloc() and thread
 * stacks in [VMALLOC_START, IOREMAP_START), bare reservations
 * (get_vm_area(), which ioremap() fills with device or firmware pages) in
 * the vmalloc area's last TiB [IOREMAP_START, VMALLOC_END], so that they
 * do not lengthen the first-fit walks of vmalloc(), and module_alloc() in
 * [MODULES_VADDR, MODULES_END).  Each allocation reserves
 * [guard][pages][guard] of address space; the list of allocations is kept
 * in address order and searched first fit (a reservation may ask for a
 * start congruent to a physical address modulo 2 MiB, so that its mapping
 * can use huge pages).  Descriptors come from whole pages carved into
 * slots (there is no kmalloc underneath this layer), given back when a
 * page's slots are all free and another page has free slots.
 *
 * Unmapping waits for the TLB shootdown IPIs, so a free from atomic context
 * (see atomic_context()) is deferred to the next call from a normal one.
 * A freed area keeps its address space until its pages are unmapped and
 * the shootdown has reached every CPU (Linux, too, flushes a freed vmap
 * area before its range can be handed out again): a CPU that still held
 * the old translation would otherwise write the new owner's data into
 * the old frames, and a new owner mapping the range before the old one
 * unmapped it would find its pages still mapped.
 *
 * Invariants: a vmalloc/stack/module area's pages are all mapped RW + NX
 * when handed out and their frames are found again through the page
 * tables at free time (no per-page array); a reservation's pages are
 * whatever its owner mapped, never frames of ours: freeing it unmaps them
 * and frees nothing but page tables.  A pointer that is not the start of
 * a live area of the right kind is refused with one log line and changes
 * nothing.
 */
#define pr_fmt(fmt) "vmalloc: " fmt

#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/list.h>
#include <exo/numa.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/shell.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/vmalloc.h>
#include <asm/irqflags.h>

enum vm_kind { VM_VMALLOC, VM_STACK, VM_MODULE, VM_RESERVED, VM_IO };

static const char *const kind_names[] = { "vmalloc", "stack", "module", "vm_area", "ioremap" };

/* Reservations: pages mapped by their owner, not frames of the allocator. */
static bool kind_is_reservation(enum vm_kind kind)
{
	return kind == VM_RESERVED || kind == VM_IO;
}

struct vm_area {
	struct list_head list;		/* arena, address order; or the free slots */
	struct vm_area *deferred_next;	/* on the deferred-free list */
	unsigned long start;		/* first mapped address */
	unsigned long nr_pages;		/* mapped pages */
	enum vm_kind kind;
	bool dying;			/* being freed: not findable, VA still held */
	const void *caller;
};

struct vm_arena {
	const char *name;
	unsigned long start, end;
	struct list_head areas;
};

static struct vm_arena vmalloc_arena = {
	.name = "vmalloc", .start = VMALLOC_START, .end = IOREMAP_START,
	.areas = LIST_HEAD_INIT(vmalloc_arena.areas),
};

static struct vm_arena ioremap_arena = {
	.name = "ioremap", .start = IOREMAP_START, .end = VMALLOC_END + 1,
	.areas = LIST_HEAD_INIT(ioremap_arena.areas),
};

static struct vm_arena module_arena = {
	.name = "modules", .start = MODULES_VADDR, .end = MODULES_END,
	.areas = LIST_HEAD_INIT(module_arena.areas),
};

static DEFINE_SPINLOCK(vm_lock);		/* both arenas, the slot pool, deferred */
static LIST_HEAD(free_slots);
static unsigned long nr_vm_pages;
/*
 * Frees from contexts that cannot wait for a shootdown (interrupts off,
 * e.g. a detached thread's stack freed in finish_task_switch()): the area
 * stays reserved and mapped until the next allocation or free from a
 * normal context unmaps it.
 */
static struct vm_area *deferred;

/*
 * Where a free cannot wait for the shootdown IPIs: an interrupt handler,
 * or interrupts off under a preempt count (the scheduler's
 * finish_task_switch() freeing a detached thread).  With one CPU online
 * there is no IPI to wait for.
 */
static bool atomic_context(void)
{
	if (num_online_cpus() == 1)
		return false;
	return in_interrupt() || (arch_irqs_disabled() && preempt_count() != 0);
}

/* Address space of an area: one guard page on each side. */
static unsigned long area_va_start(const struct vm_area *a)
{
	return a->start - PAGE_SIZE;
}

static unsigned long area_va_end(const struct vm_area *a)
{
	return a->start + ((a->nr_pages + 1) << PAGE_SHIFT);
}

/*
 * A page of descriptors: slot 0 is the page's header, the count of its
 * slots in use (found from any slot by masking the address).
 */
#define SLOTS_PER_PAGE	(PAGE_SIZE / sizeof(struct vm_area) - 1)
static unsigned long nr_free_slots;

static unsigned long *slot_page_used(const struct vm_area *a)
{
	return (unsigned long *)((unsigned long)a & PAGE_MASK);
}

/* A descriptor, from a page carved into slots.  vm_lock held. */
static struct vm_area *slot_get(void)
{
	struct vm_area *a;

	if (list_empty(&free_slots)) {
		struct vm_area *page = (void *)get_zeroed_page(GFP_ATOMIC);

		if (!page)
			return NULL;
		for (unsigned int i = 1; i <= SLOTS_PER_PAGE; i++)
			list_add_tail(&page[i].list, &free_slots);
		nr_free_slots += SLOTS_PER_PAGE;
	}
	a = list_first_entry(&free_slots, struct vm_area, list);
	list_del(&a->list);
	nr_free_slots--;
	(*slot_page_used(a))++;
	return a;
}

/*
 * Give a descriptor back.  A page whose slots are all free goes back to
 * the page allocator when another page still has free slots: the pool
 * does not keep the high-water mark of a burst (128 thread stacks at
 * -smp 64), and a single area allocated and freed over and over does not
 * take and free a page each time.  vm_lock held.
 */
static void slot_put(struct vm_area *a)
{
	struct vm_area *page = (void *)slot_page_used(a);

	list_add(&a->list, &free_slots);
	nr_free_slots++;
	if (--(*slot_page_used(a)) || nr_free_slots == SLOTS_PER_PAGE)
		return;
	for (unsigned int i = 1; i <= SLOTS_PER_PAGE; i++)
		list_del(&page[i].list);
	nr_free_slots -= SLOTS_PER_PAGE;
	free_page((unsigned long)page);
}

/*
 * First start after the guard page above @cursor that is congruent to
 * @phase modulo @align (a power of two >= PAGE_SIZE, @phase < @align).
 */
static unsigned long fit_start(unsigned long cursor, unsigned long align, unsigned long phase)
{
	unsigned long s = cursor + PAGE_SIZE;

	return s + ((phase - s) & (align - 1));
}

/* Whether [guard][@pages from @start][guard] fits below @limit, from @cursor. */
static bool fits(unsigned long cursor, unsigned long start, unsigned long pages,
		 unsigned long limit)
{
	return start > cursor && start < limit && limit - start >= (pages + 1) << PAGE_SHIFT;
}

/*
 * First fit for a page-aligned area: the common case (vmalloc, stacks,
 * modules), kept to one subtraction per area walked.  Return: the start,
 * @pos the area to insert before; 0 when nothing fits.
 */
static __always_inline unsigned long first_fit(struct vm_arena *arena, unsigned long pages,
						struct list_head **pos)
{
	unsigned long need = (pages + 2) << PAGE_SHIFT, cursor = arena->start;
	struct vm_area *a;

	list_for_each_entry(a, &arena->areas, list) {
		if (area_va_start(a) - cursor >= need) {
			*pos = &a->list;
			return cursor + PAGE_SIZE;
		}
		cursor = area_va_end(a);
	}
	*pos = &arena->areas;
	return arena->end - cursor >= need ? cursor + PAGE_SIZE : 0;
}

/* First fit for a start congruent to @phase modulo @align (ioremap only). */
static noinline unsigned long first_fit_aligned(struct vm_arena *arena, unsigned long pages,
						unsigned long align, unsigned long phase,
						struct list_head **pos)
{
	unsigned long cursor = arena->start, start;
	struct vm_area *a;

	list_for_each_entry(a, &arena->areas, list) {
		start = fit_start(cursor, align, phase);
		if (fits(cursor, start, pages, area_va_start(a))) {
			*pos = &a->list;
			return start;
		}
		cursor = area_va_end(a);
	}
	*pos = &arena->areas;
	start = fit_start(cursor, align, phase);
	return fits(cursor, start, pages, arena->end) ? start : 0;
}

/* Reserve address space for @pages (+ guards) in @arena; vm_lock held. */
static __always_inline struct vm_area *reserve(struct vm_arena *arena, unsigned long pages,
					       enum vm_kind kind, unsigned long align,
					       unsigned long phase)
{
	struct list_head *pos;
	struct vm_area *n;
	unsigned long start;

	if (align == PAGE_SIZE)
		start = first_fit(arena, pages, &pos);
	else
		start = first_fit_aligned(arena, pages, align, phase, &pos);
	if (!start)
		return NULL;
	n = slot_get();
	if (!n)
		return NULL;
	n->start = start;
	n->nr_pages = pages;
	n->kind = kind;
	n->dying = false;
	list_add_tail(&n->list, pos);	/* before @pos: keeps address order */
	return n;
}

static void release(struct vm_area *a)
{
	list_del(&a->list);
	slot_put(a);
}

static struct vm_area *find_area(struct vm_arena *arena, unsigned long start)
{
	struct vm_area *a;

	list_for_each_entry(a, &arena->areas, list)
		if (a->start == start && !a->dying)
			return a;
	return NULL;
}

/*
 * Unmap an area's pages and give their frames back; vm_lock not held.
 * The area must still hold its address space (see the top).
 */
static void unpopulate(unsigned long start, unsigned long pages)
{
	LIST_HEAD(frames);
	struct page *pg, *n;

	if (!pages)
		return;
	for (unsigned long i = 0; i < pages; i++) {
		phys_addr_t pa;

		if (translate(start + (i << PAGE_SHIFT), &pa) == 0)
			list_add(&phys_to_page(pa)->lru, &frames);
	}
	/* One shootdown round for the whole area, then the frames may be reused. */
	unmap_range(start, pages << PAGE_SHIFT);
	list_for_each_entry_safe(pg, n, &frames, lru) {
		list_del(&pg->lru);
		free_frame(page_to_phys(pg));
	}
}

/* One frame for @nid (NUMA_NO_NODE: this CPU's node, the plain fast path). */
static int populate_frame(int nid, phys_addr_t *pa)
{
	struct page *pg;

	if (nid == NUMA_NO_NODE)
		return alloc_frame(pa);
	pg = alloc_pages_node(nid, GFP_KERNEL, 0);
	if (!pg)
		return -ENOMEM;
	*pa = page_to_phys(pg);
	return 0;
}

static int populate(unsigned long start, unsigned long pages, int nid, phys_addr_t *first)
{
	for (unsigned long i = 0; i < pages; i++) {
		phys_addr_t pa;
		int err = populate_frame(nid, &pa);

		if (!err) {
			err = map_page(start + (i << PAGE_SHIFT), pa, PAGE_WRITABLE | PAGE_GLOBAL);
			if (err)
				free_frame(pa);
		}
		if (err) {
			unpopulate(start, i);
			return err;
		}
		if (i == 0 && first)
			*first = pa;
	}
	return 0;
}

static void *area_alloc(struct vm_arena *arena, size_t size, enum vm_kind kind, int nid,
			phys_addr_t *first, const void *caller)
{
	unsigned long pages = DIV_ROUND_UP(size, PAGE_SIZE), flags;
	struct vm_area *a;

	if (!atomic_context())
		vmalloc_drain();
	/* size itself is bounded: DIV_ROUND_UP() of a huge one wraps to 0 pages. */
	if (!size || size > arena->end - arena->start) {
		pr_err_ratelimited("%s(%zu) from %pS: bad size\n", kind_names[kind], size, caller);
		return NULL;
	}
	spin_lock_irqsave(&vm_lock, flags);
	a = reserve(arena, pages, kind, PAGE_SIZE, 0);
	if (a)
		a->caller = caller;
	spin_unlock_irqrestore(&vm_lock, flags);
	if (!a) {
		pr_err_ratelimited("%s(%zu): %s area exhausted\n", kind_names[kind], size,
				   arena->name);
		return NULL;
	}
	if (populate(a->start, pages, nid, first)) {
		pr_err_ratelimited("%s(%zu): out of memory\n", kind_names[kind], size);
		spin_lock_irqsave(&vm_lock, flags);
		release(a);
		spin_unlock_irqrestore(&vm_lock, flags);
		return NULL;
	}
	__atomic_fetch_add(&nr_vm_pages, pages, __ATOMIC_RELAXED);
	return (void *)a->start;
}

/* Whether any page of [@start, + @pages) is mapped (the first, usually). */
static bool any_mapped(unsigned long start, unsigned long pages)
{
	phys_addr_t pa;

	for (unsigned long i = 0; i < pages; i++)
		if (!translate(start + (i << PAGE_SHIFT), &pa))
			return true;
	return false;
}

/* The owner's pages (MMIO, firmware): unmapped; only page tables are freed. */
static noinline void unmap_reservation(const struct vm_area *a)
{
	if (!any_mapped(a->start, a->nr_pages))
		return;			/* unmap_range() would log "nothing mapped" */
	if (a->nr_pages == 1)
		unmap_page(a->start);	/* a register page: no range walk */
	else
		unmap_range(a->start, a->nr_pages << PAGE_SHIFT);
}

static void area_unmap_release(struct vm_area *a)
{
	unsigned long flags;

	if (kind_is_reservation(a->kind)) {
		unmap_reservation(a);
	} else {
		unpopulate(a->start, a->nr_pages);
		__atomic_fetch_sub(&nr_vm_pages, a->nr_pages, __ATOMIC_RELAXED);
	}
	/* Shootdown done: only now may the address space be handed out again. */
	spin_lock_irqsave(&vm_lock, flags);
	release(a);
	spin_unlock_irqrestore(&vm_lock, flags);
}

/* Finish the frees deferred from atomic context (interrupts enabled here). */
void vmalloc_drain(void)
{
	struct vm_area *list;
	unsigned long flags;

	if (likely(!READ_ONCE(deferred)))
		return;
	spin_lock_irqsave(&vm_lock, flags);
	list = deferred;
	deferred = NULL;
	spin_unlock_irqrestore(&vm_lock, flags);
	while (list) {
		struct vm_area *next = list->deferred_next;

		area_unmap_release(list);
		list = next;
	}
}

void vmalloc_shrink(void)
{
	unsigned long flags;
	struct vm_area *a;
	bool again;

	vmalloc_drain();
	spin_lock_irqsave(&vm_lock, flags);
	do {
		again = false;
		list_for_each_entry(a, &free_slots, list) {
			struct vm_area *page = (void *)slot_page_used(a);

			if (*slot_page_used(a))
				continue;
			/* slot_put()'s kept page: no descriptor in use. */
			for (unsigned int i = 1; i <= SLOTS_PER_PAGE; i++)
				list_del(&page[i].list);
			nr_free_slots -= SLOTS_PER_PAGE;
			free_page((unsigned long)page);
			again = true;
			break;
		}
	} while (again);
	spin_unlock_irqrestore(&vm_lock, flags);
}

/* Whether an area of kind @have may be freed by the function for @want. */
static bool kind_matches(enum vm_kind have, enum vm_kind want)
{
	return have == want || (want == VM_RESERVED && kind_is_reservation(have));
}

/*
 * Free the area starting at @addr if it is of @kind (and, @pages != 0, of
 * that many pages): the check and the unlinking under one hold of vm_lock,
 * so that of two frees of one area exactly one gets it.
 */
static int area_free(struct vm_arena *arena, const void *addr, enum vm_kind kind,
		     unsigned long pages, const char *fn)
{
	bool atomic = atomic_context();
	unsigned long flags;
	struct vm_area *a;

	if (!addr)
		return 0;
	spin_lock_irqsave(&vm_lock, flags);
	a = find_area(arena, (unsigned long)addr);
	if (a && kind_matches(a->kind, kind) && (!pages || a->nr_pages == pages)) {
		/* Nobody can find it any more; it stays in the arena (VA held). */
		a->dying = true;
		if (atomic) {
			a->deferred_next = deferred;
			deferred = a;
		}
	} else {
		a = NULL;
	}
	spin_unlock_irqrestore(&vm_lock, flags);
	if (!a) {
		if (pages)
			pr_err_ratelimited("%s(%p, %lu pages): not a live area of that size (ignored)\n",
					   fn, addr, pages);
		else
			pr_err_ratelimited("%s(%p): not an address returned by the matching allocator (ignored)\n",
					   fn, addr);
		return -ENOENT;
	}
	if (!atomic) {
		area_unmap_release(a);
		vmalloc_drain();
	}
	return 0;
}

void *vmalloc(size_t size)
{
	return area_alloc(&vmalloc_arena, size, VM_VMALLOC, NUMA_NO_NODE, NULL,
			  __builtin_return_address(0));
}
EXPORT_SYMBOL_GPL(vmalloc);

void *vzalloc(size_t size)
{
	void *p = area_alloc(&vmalloc_arena, size, VM_VMALLOC, NUMA_NO_NODE, NULL,
			     __builtin_return_address(0));

	if (p)
		memset(p, 0, size);
	return p;
}
EXPORT_SYMBOL_GPL(vzalloc);

void vfree(const void *addr)
{
	area_free(&vmalloc_arena, addr, VM_VMALLOC, 0, "vfree");
}
EXPORT_SYMBOL_GPL(vfree);

void *module_alloc(size_t size)
{
	return area_alloc(&module_arena, size, VM_MODULE, NUMA_NO_NODE, NULL,
			  __builtin_return_address(0));
}

void module_memfree(void *addr)
{
	area_free(&module_arena, addr, VM_MODULE, 0, "module_memfree");
}

static void *stack_alloc(size_t size, int nid, phys_addr_t *first_frame, const void *caller)
{
	if (!size || (size & (PAGE_SIZE - 1))) {
		pr_err_ratelimited("alloc_kernel_stack(%zu): not a multiple of PAGE_SIZE\n", size);
		return NULL;
	}
	if (nid != NUMA_NO_NODE && numa_node_mem(nid) == NUMA_NO_NODE) {
		pr_err_ratelimited("alloc_kernel_stack_node(%zu, %d): node not online\n", size, nid);
		return NULL;
	}
	return area_alloc(&vmalloc_arena, size, VM_STACK, nid, first_frame, caller);
}

void *alloc_kernel_stack(size_t size, phys_addr_t *first_frame)
{
	return stack_alloc(size, NUMA_NO_NODE, first_frame, __builtin_return_address(0));
}

void *alloc_kernel_stack_node(size_t size, int nid, phys_addr_t *first_frame)
{
	return stack_alloc(size, nid, first_frame, __builtin_return_address(0));
}

void free_kernel_stack(void *stack, size_t size)
{
	/* A size that is not whole pages matches no stack: refused there. */
	unsigned long pages = size & (PAGE_SIZE - 1) ? ~0UL : size >> PAGE_SHIFT;

	if (stack && !pages)
		pages = ~0UL;
	area_free(&vmalloc_arena, stack, VM_STACK, pages, "free_kernel_stack");
}

unsigned long __get_vm_area(size_t size, unsigned long align, unsigned long phase,
			    unsigned long flags, const void *caller)
{
	enum vm_kind kind = flags & VM_IOREMAP ? VM_IO : VM_RESERVED;
	unsigned long pages = DIV_ROUND_UP(size, PAGE_SIZE), irqflags;
	struct vm_area *a;

	if (!atomic_context())
		vmalloc_drain();
	/* size itself is bounded: DIV_ROUND_UP() of a huge one wraps to 0 pages. */
	if (!size || size > ioremap_arena.end - ioremap_arena.start ||
	    align < PAGE_SIZE || (align & (align - 1)) || phase >= align ||
	    (phase & (PAGE_SIZE - 1)) || (flags & ~VM_IOREMAP)) {
		pr_err_ratelimited("get_vm_area(%#zx, align %#lx, phase %#lx, flags %#lx) from %pS: bad argument (-EINVAL)\n",
				   size, align, phase, flags, caller);
		return 0;
	}
	spin_lock_irqsave(&vm_lock, irqflags);
	a = reserve(&ioremap_arena, pages, kind, align, phase);
	if (a)
		a->caller = caller;
	spin_unlock_irqrestore(&vm_lock, irqflags);
	if (!a) {
		pr_err_ratelimited("get_vm_area(%#zx) from %pS: ioremap area exhausted\n", size,
				   caller);
		return 0;
	}
	return a->start;
}

unsigned long get_vm_area(size_t size, unsigned long flags)
{
	return __get_vm_area(size, PAGE_SIZE, 0, flags, __builtin_return_address(0));
}

int free_vm_area(unsigned long addr)
{
	if (!addr || (addr & (PAGE_SIZE - 1)) || !is_vmalloc_addr((void *)addr)) {
		pr_err_ratelimited("free_vm_area(%#lx) from %pS: not a vmalloc-area page (-EINVAL)\n",
				   addr, __builtin_return_address(0));
		return -EINVAL;
	}
	return area_free(&ioremap_arena, (void *)addr, VM_RESERVED, 0, "free_vm_area");
}

int __free_vm_area(unsigned long addr, unsigned long flags, const char *fn)
{
	if (!addr || (addr & (PAGE_SIZE - 1)) || !is_vmalloc_addr((void *)addr)) {
		pr_err_ratelimited("%s(%#lx) from %pS: not a vmalloc-area page (-EINVAL)\n", fn,
				   addr, __builtin_return_address(0));
		return -EINVAL;
	}
	return area_free(&ioremap_arena, (void *)addr, flags & VM_IOREMAP ? VM_IO : VM_RESERVED,
			 0, fn);
}

bool vm_area_lookup(unsigned long addr, unsigned long *start, size_t *size)
{
	unsigned long flags;
	struct vm_area *a;
	bool found = false;

	spin_lock_irqsave(&vm_lock, flags);
	list_for_each_entry(a, &ioremap_arena.areas, list) {
		if (a->dying || addr < a->start || addr - a->start >= a->nr_pages << PAGE_SHIFT)
			continue;
		found = kind_is_reservation(a->kind);
		if (found && start)
			*start = a->start;
		if (found && size)
			*size = a->nr_pages << PAGE_SHIFT;
		break;
	}
	spin_unlock_irqrestore(&vm_lock, flags);
	return found;
}

bool is_vmalloc_addr(const void *addr)
{
	unsigned long a = (unsigned long)addr;

	return a >= VMALLOC_START && a <= VMALLOC_END;
}

bool is_module_addr(const void *addr)
{
	unsigned long a = (unsigned long)addr;

	return a >= MODULES_VADDR && a < MODULES_END;
}

unsigned long vmalloc_nr_pages(void)
{
	return __atomic_load_n(&nr_vm_pages, __ATOMIC_RELAXED);
}

/* ---------------------------------------------------------------------
 * Permission changes.
 */

/* Pages with the same permissions before and after: one protect_range(). */
struct perm_run {
	unsigned long start, end;
	pgflags_t old, new;
};

#define PERM_RUNS_LOCAL	16

struct perm_scan {
	unsigned long start, end;	/* range asked for */
	unsigned long covered;		/* bytes of it that are mapped */
	pgflags_t set, clear;
	bool wx;			/* the change would create W+X */
	unsigned long nr_runs;		/* runs found (all of them) */
	unsigned long max_runs;		/* room in runs[] */
	struct perm_run *runs;
};

static int perm_leaf(const struct pt_leaf *l, void *arg)
{
	struct perm_scan *s = arg;
	unsigned long from = max(l->virt, s->start), to = min(l->virt + l->size, s->end);
	/* The leaf's own size: its PAT bit is not where a 4 KiB entry has it. */
	pgflags_t old = pte_pgflags(l->entry, l->size) & ~(PAGE_HUGE_2M | PAGE_HUGE_1G);
	pgflags_t new = (old | s->set) & ~s->clear;
	struct perm_run *last = s->nr_runs && s->nr_runs <= s->max_runs ?
				&s->runs[s->nr_runs - 1] : NULL;

	s->covered += to - from;
	if ((new & PAGE_WRITABLE) && (new & PAGE_EXEC))
		s->wx = true;
	/* Merged only when both sides agree: a run is undone with one call. */
	if (last && last->end == from && last->old == old && last->new == new) {
		last->end = to;
		return 0;
	}
	if (s->nr_runs < s->max_runs)
		s->runs[s->nr_runs] = (struct perm_run){ from, to, old, new };
	s->nr_runs++;
	return 0;
}

/* Walk [s->start, s->end): coverage, W+X and up to s->max_runs runs. */
static void perm_scan(struct perm_scan *s)
{
	s->covered = 0;
	s->nr_runs = 0;
	s->wx = false;
	mm_walk(&init_mm, s->start, s->end, perm_leaf, s);
}

/*
 * Apply the runs; on failure (-ENOMEM for a split) give the runs already
 * changed their old permissions back.  That cannot fail: their ends were
 * split by the change, so restoring them needs no table.
 */
static int perm_apply(const struct perm_scan *s)
{
	unsigned long i;
	int err = 0;

	for (i = 0; i < s->nr_runs && !err; i++)
		err = protect_range(s->runs[i].start, s->runs[i].end - s->runs[i].start,
				    s->runs[i].new);
	if (!err)
		return 0;
	for (i--; i--;)
		WARN_ON(protect_range(s->runs[i].start, s->runs[i].end - s->runs[i].start,
				      s->runs[i].old));
	return err;
}

static int change_perms(const char *fn, unsigned long addr, unsigned int numpages,
			pgflags_t set, pgflags_t clear)
{
	struct perm_run local[PERM_RUNS_LOCAL];
	struct perm_scan s = { .start = addr, .set = set, .clear = clear,
			       .runs = local, .max_runs = PERM_RUNS_LOCAL };
	int err;

	if (!numpages)
		return 0;
	s.end = addr + ((unsigned long)numpages << PAGE_SHIFT);
	if ((addr & (PAGE_SIZE - 1)) || addr < KERNEL_HALF_START || s.end < addr) {
		pr_err_ratelimited("%s(%#lx, %u): bad address (-EINVAL)\n", fn, addr, numpages);
		return -EINVAL;
	}
	perm_scan(&s);
	if (s.covered != s.end - s.start) {
		pr_err_ratelimited("%s(%#lx, %u): not all pages are mapped (-ENOENT)\n", fn,
				   addr, numpages);
		return -ENOENT;
	}
	if (s.wx) {
		pr_err_ratelimited("%s(%#lx, %u): would make pages writable and executable (-EINVAL)\n",
				   fn, addr, numpages);
		return -EINVAL;
	}
	/* Every run is recorded before anything changes, to be undone on failure. */
	if (s.nr_runs > s.max_runs) {
		s.max_runs = s.nr_runs;
		s.runs = vmalloc(s.max_runs * sizeof(*s.runs));
		if (!s.runs) {
			pr_err_ratelimited("%s(%#lx, %u): no memory for %lu runs (-ENOMEM)\n", fn,
					   addr, numpages, s.max_runs);
			return -ENOMEM;
		}
		perm_scan(&s);
	}
	err = s.nr_runs <= s.max_runs ? perm_apply(&s) : -EAGAIN;
	if (s.runs != local)
		vfree(s.runs);
	if (err)
		pr_err_ratelimited("%s(%#lx, %u): %s (%d), nothing changed\n", fn, addr, numpages,
				   err == -ENOMEM ? "no memory to split" : "changed meanwhile", err);
	return err;
}

int set_memory_ro(unsigned long addr, unsigned int numpages)
{
	return change_perms("set_memory_ro", addr, numpages, 0, PAGE_WRITABLE);
}

int set_memory_rw(unsigned long addr, unsigned int numpages)
{
	return change_perms("set_memory_rw", addr, numpages, PAGE_WRITABLE, 0);
}

int set_memory_x(unsigned long addr, unsigned int numpages)
{
	return change_perms("set_memory_x", addr, numpages, PAGE_EXEC, 0);
}

int set_memory_nx(unsigned long addr, unsigned int numpages)
{
	return change_perms("set_memory_nx", addr, numpages, 0, PAGE_EXEC);
}

static int cmd_vmallocinfo(int argc, char **argv)
{
	struct vm_arena *arenas[] = { &vmalloc_arena, &ioremap_arena, &module_arena };
	unsigned long flags;
	struct vm_area *a;

	spin_lock_irqsave(&vm_lock, flags);
	for (unsigned int i = 0; i < ARRAY_SIZE(arenas); i++)
		list_for_each_entry(a, &arenas[i]->areas, list)
			printk(KERN_INFO "%#018lx-%#018lx %8lu %-8s %pS\n", a->start,
			       a->start + (a->nr_pages << PAGE_SHIFT), a->nr_pages << PAGE_SHIFT,
			       kind_names[a->kind], a->caller);
	spin_unlock_irqrestore(&vm_lock, flags);
	printk(KERN_INFO "%lu pages mapped\n", vmalloc_nr_pages());
	return 0;
}
DEFINE_SHELL_CMD(vmallocinfo, "vmalloc, stack and module areas", cmd_vmallocinfo);
