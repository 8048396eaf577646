// SPDX-License-Identifier: GPL-2.0
/*
 * Multi-level page tables with huge leaves at the PMD (2 MiB) and PUD
 * (1 GiB) levels.
 *
 * Goal: the contract's map_page/unmap_page/translate plus range helpers,
 * correct under concurrency, with no page-table page leaks, portable enough
 * to run unchanged in the hosted build.  Entries are only ever read and
 * built through the architecture's accessors (<asm/pgtable_64.h> on x86:
 * the pt_* hooks for the walkers that loop over levels, Linux's per-level
 * pgd/pud/pmd/pte names for the unrolled fast paths); the other
 * CPU-specific things are the TLB flushes, behind flush_tlb_mm_range(),
 * and arch_has_gbpages().
 *
 * This file: table accounting, the walks, single pages and translate().
 * Range operations are in pgtable_range.c, address spaces and mm_walk() in
 * pgtable_mm.c; pgtable_internal.h is what they share.
 *
 * Invariants:
 *  - Every page-table page below a PGD is a frame from the buddy
 *    allocator tagged PAGE_TYPE_PGTABLE whose struct page ->units counts
 *    its present entries.  A table whose count drops to 0 is unlinked and
 *    freed, except the tables below the kernel-half PGD slots, which live
 *    forever (they are what every address space shares: mm_create()
 *    copies those PGD entries and nothing ever has to be synchronised
 *    afterwards).
 *  - A table is freed only after the flush that follows its unlinking has
 *    completed on every CPU that may walk it.  Kernel-half flushes reach
 *    every online CPU, so a lock-free reader that holds off that flush
 *    never reads a freed table: translate() on the kernel half, whose
 *    walk runs with interrupts disabled or, on x86, as restartable
 *    sequences (<asm/pcp.h>) that an interrupt sends back to their start.
 *  - Kernel-half changes are serialised by init_mm.lock, lower-half ones by
 *    the address space's own lock.  No allocation under the lock can wait
 *    (GFP_ATOMIC), and no IPI is sent with a lock held.
 *  - A rejected call changes nothing: argument checks come first, memory
 *    for splits is taken before any entry changes, tables created by a
 *    failed map are pruned again.
 *  - Kernel-half leaves are always global; nothing above a leaf carries
 *    USER in the kernel half.
 */
#define pr_fmt(fmt) "pgtable: " fmt

#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/fault_inject.h>
#include <exo/kernel.h>
#include <exo/list.h>
#include <exo/page_alloc.h>
#include <exo/percpu.h>
#include <exo/pgtable.h>
#include <exo/printk.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/tlb.h>
#include <asm/pcp.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>

#include "pgtable_internal.h"

struct mm_struct init_mm = {
	.lock = __SPIN_LOCK_UNLOCKED(init_mm.lock),
	.ctx_id = 1,
	.tlb_gen = 1,
	.pt_cache_va = PT_CACHE_NONE,
};

unsigned long pgtable_pages;
pte_t *kernel_tables[PTRS_PER_TABLE - PGD_KERNEL_FIRST];

/*
 * The fast paths' lock, taken only if it is free: a fast path that finds
 * it held takes its slow path, which waits for it.  Interrupts off already
 * exclude preemption, so the preempt count is left alone unless spinlock
 * debugging wants the full bookkeeping.  True with the lock held and
 * interrupts off; false with neither.
 */
static __always_inline bool pt_trylock(struct mm_struct *mm, unsigned long *flags)
{
	*flags = arch_local_irq_save();
	if (IS_ENABLED(CONFIG_DEBUG_SPINLOCK) ? spin_trylock(&mm->lock) :
						arch_spin_trylock_uncontended(&mm->lock))
		return true;
	arch_local_irq_restore(*flags);
	return false;
}

static __always_inline void pt_unlock(struct mm_struct *mm, unsigned long flags)
	__releases(mm->lock)
{
	if (IS_ENABLED(CONFIG_DEBUG_SPINLOCK)) {
		spin_unlock(&mm->lock);
	} else {
		arch_spin_unlock(&mm->lock);
		__release(mm->lock);
	}
	/* Opaque, so gcc cannot compute flags & IF at the pushf: it tests it here. */
	OPTIMIZER_HIDE_VAR(flags);
	arch_local_irq_restore(flags);
}
pte_t *pgt_table_alloc(struct mm_struct *mm)
{
	struct page *pg = should_fail_pgtable() ? NULL : alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0);

	if (!pg)
		return NULL;
	clear_page(page_address(pg));
	page_set_type(pg, PAGE_TYPE_PGTABLE);
	pg->units = 0;
	mm->nr_tables++;
	__atomic_fetch_add(&pgtable_pages, 1, __ATOMIC_RELAXED);
	return page_address(pg);
}

/* Queue an unlinked table; it is freed after the flush (see the invariants). */
void pgt_table_defer_free(struct mm_struct *mm, pte_t *table, struct list_head *dead)
{
	struct page *pg = virt_to_page(table);

	BUG_ON(pg->units != 0);
	list_add(&pg->lru, dead);
	mm->nr_tables--;
	/*
	 * Tables are only ever unlinked here: the fast paths' cache (used
	 * under the lock) dies with them.  translate()'s per-CPU caches are
	 * cleared by the flush that comes before the free (xlate_cache_flush()).
	 */
	mm->pt_cache_va = PT_CACHE_NONE;
}

void pgt_free_dead_tables(struct list_head *dead)
{
	struct page *pg, *n;

	list_for_each_entry_safe(pg, n, dead, lru) {
		list_del(&pg->lru);
		page_set_type(pg, PAGE_TYPE_BUDDY);
		__free_pages(pg, 0);
		__atomic_fetch_sub(&pgtable_pages, 1, __ATOMIC_RELAXED);
	}
}
/* Give back a table that was never linked (owner lock held). */
static void table_free_unused(struct mm_struct *mm, pte_t *table)
{
	struct page *pg = virt_to_page(table);

	mm->nr_tables--;
	page_set_type(pg, PAGE_TYPE_BUDDY);
	__free_pages(pg, 0);
	__atomic_fetch_sub(&pgtable_pages, 1, __ATOMIC_RELAXED);
}

void pgt_pool_drain(struct mm_struct *mm, struct table_pool *pool)
{
	while (pool->n)
		table_free_unused(mm, pool->t[--pool->n]);
}

/* @need tables in @pool, or -ENOMEM with none taken (owner lock held). */
int pgt_pool_fill(struct mm_struct *mm, struct table_pool *pool, unsigned int need)
{
	pool->n = 0;
	if (WARN_ON(need > SPLITS_MAX))
		return -EINVAL;
	while (pool->n < need) {
		pte_t *t = pgt_table_alloc(mm);

		if (!t) {
			pgt_pool_drain(mm, pool);
			return -ENOMEM;
		}
		pool->t[pool->n++] = t;
	}
	return 0;
}
unsigned long nr_pgtable_pages(void)
{
	return __atomic_load_n(&pgtable_pages, __ATOMIC_RELAXED);
}

bool pgtable_huge_supported(pgflags_t size_flag)
{
	if (size_flag == PAGE_HUGE_2M)
		return IS_ENABLED(CONFIG_HUGEPAGES_2M);
	if (size_flag == PAGE_HUGE_1G)
		return IS_ENABLED(CONFIG_HUGEPAGES_1G) && arch_has_gbpages();
	return false;
}

/* ---------------------------------------------------------------------
 * Argument checks: one log line per rejected call.
 */

static int check_addr(const char *fn, unsigned long va, unsigned long align)
{
	if (unlikely(!virt_is_canonical(va))) {
		pr_err_ratelimited("%s: %#lx is not canonical (-EINVAL)\n", fn, va);
		return -EINVAL;
	}
	if (unlikely(va & (align - 1))) {
		pr_err_ratelimited("%s: %#lx is not %#lx-aligned (-EINVAL)\n", fn, va, align);
		return -EINVAL;
	}
	return 0;
}

/* A range may end at 2^64 exactly (end == 0), never wrap past it. */
int pgt_check_range(const char *fn, unsigned long va, size_t size)
{
	unsigned long last = va + size - 1;

	if (unlikely(!size || (size & (PAGE_SIZE - 1)) || last < va ||
		     (va < USER_HALF_END && last >= USER_HALF_END) ||
		     !virt_is_canonical(last))) {
		pr_err_ratelimited("%s: bad range %#lx + %#zx (-EINVAL)\n", fn, va, size);
		return -EINVAL;
	}
	return check_addr(fn, va, PAGE_SIZE);
}

int pgt_check_flags(const char *fn, unsigned long va, pgflags_t flags, bool sizes_ok)
{
	pgflags_t huge = flags & (PAGE_HUGE_2M | PAGE_HUGE_1G);

	if (unlikely(flags & ~PAGE_FLAGS_ALL)) {
		pr_err_ratelimited("%s(%#lx): unknown flags %#lx (-EINVAL)\n", fn, va,
				   flags & ~PAGE_FLAGS_ALL);
		return -EINVAL;
	}
	if (unlikely(huge && (!sizes_ok || huge == (PAGE_HUGE_2M | PAGE_HUGE_1G) ||
			      !pgtable_huge_supported(huge)))) {
		pr_err_ratelimited("%s(%#lx): page size flags %#lx not allowed or not supported (-EINVAL)\n",
				   fn, va, huge);
		return -EINVAL;
	}
	if (unlikely((flags & PAGE_USER) && is_kernel_addr(va))) {
		pr_err_ratelimited("%s(%#lx): PAGE_USER in the kernel half (-EINVAL)\n", fn, va);
		return -EINVAL;
	}
	if (unlikely((flags & PAGE_WRITECOMBINE) &&
		     (flags & (PAGE_NOCACHE | PAGE_WRITETHROUGH)))) {
		pr_err_ratelimited("%s(%#lx): two memory types in %#lx (-EINVAL)\n", fn, va, flags);
		return -EINVAL;
	}
	/* A global lower-half entry would leak into every address space. */
	if (unlikely((flags & PAGE_GLOBAL) && !is_kernel_addr(va))) {
		pr_err_ratelimited("%s(%#lx): PAGE_GLOBAL in the lower half (-EINVAL)\n", fn, va);
		return -EINVAL;
	}
	return 0;
}

int pgt_check_phys(const char *fn, phys_addr_t pa, unsigned long align)
{
	if (unlikely((pa & (align - 1)) || pa >= (1ULL << __PHYSICAL_MASK_SHIFT))) {
		pr_err_ratelimited("%s: physical %#llx misaligned or beyond 52 bits (-EINVAL)\n",
				   fn, pa);
		return -EINVAL;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Walking.
 */

/*
 * Remove now-empty tables on the path to @va, bottom up.  The kernel-half
 * tables and the PGD stay.  Called with the owner's lock held.
 */
static void prune_path(struct mm_struct *mm, unsigned long va, struct list_head *dead)
{
	pte_t *path[PGTABLE_LEVELS + 1];
	pte_t *table = mm->pgd;
	int level;

	for (level = PGTABLE_LEVELS; level > PT_LEVEL_PTE; level--) {
		pte_t e = table[pt_index(va, level)];

		path[level] = &table[pt_index(va, level)];
		if (!pte_present(e) || pt_leaf(e, level))
			break;
		table = pt_table(e);
	}
	/* path[level + 1 ..] lead to @table; free while the child is empty. */
	for (level = level + 1; level <= PGTABLE_LEVELS; level++) {
		pte_t *child = pt_table(*path[level]);

		if (table_page_of(child)->units != 0)
			break;
		if (level == PGTABLE_LEVELS && is_kernel_addr(va))
			break;		/* kernel_tables[] are permanent */
		clear_entry(path[level]);
		pgt_table_defer_free(mm, child, dead);
	}
}

/*
 * The slot for @va at @level, creating missing tables.  -EEXIST when a
 * huge page covers it, -ENOMEM when a table cannot be allocated (created
 * tables are then pruned by the caller).
 */
static int walk_create(struct mm_struct *mm, unsigned long va, int target, pte_t **slot)
{
	pte_t *table = mm->pgd;

	for (int level = PGTABLE_LEVELS; level > target; level--) {
		pte_t *e = &table[pt_index(va, level)];

		if (unlikely(!pte_present(*e))) {
			pte_t *t = pgt_table_alloc(mm);

			if (!t)
				return -ENOMEM;
			set_entry(e, make_table_entry(t, va));
		} else if (unlikely(pt_leaf(*e, level))) {
			return -EEXIST;
		}
		table = pt_table(*e);
	}
	*slot = &table[pt_index(va, target)];
	return 0;
}

/*
 * Replace the huge leaf at *@slot (level @level) by a table of 512 next-level
 * entries with the same flags, the table from @pool.  The translation does
 * not change, so no flush is needed before the caller's own (which covers
 * the huge page).
 */
int pgt_split_leaf(pte_t *slot, int level, unsigned long va, struct table_pool *pool)
{
	pte_t *t;

	/* The caller counted the splits: an empty pool is a bug, not -ENOMEM. */
	if (WARN_ON(!pool->n))
		return -ENOMEM;
	t = pool->t[--pool->n];
	pt_split_fill(*slot, level, t);
	table_page_of(t)->units = PTRS_PER_TABLE;
	/* Same count in the parent: one entry replaced by one entry. */
	set_pte(slot, make_table_entry(t, va));
	return 0;
}

/* ---------------------------------------------------------------------
 * Single pages.
 */

static int size_level(pgflags_t flags, unsigned long *size)
{
	if (flags & PAGE_HUGE_1G) {
		*size = PUD_SIZE;
		return PT_LEVEL_PUD;
	}
	if (flags & PAGE_HUGE_2M) {
		*size = PMD_SIZE;
		return PT_LEVEL_PMD;
	}
	*size = PAGE_SIZE;
	return PT_LEVEL_PTE;
}

/* Map one leaf; owner lock held. */
int pgt_map_one(struct mm_struct *mm, unsigned long va, phys_addr_t pa, pgflags_t flags,
		int level, struct list_head *dead)
{
	pte_t *slot;
	int err = walk_create(mm, va, level, &slot);

	if (likely(!err)) {
		if (likely(!pte_present(*slot))) {
			set_entry(slot, make_leaf(pa, flags, level, va));
			return 0;
		}
		err = -EEXIST;
	}
	prune_path(mm, va, dead);
	return err;
}

/*
 * Map leaves of @level from @va for @left bytes (rounded down to whole
 * leaves, at least one) or to the end of their table, whichever comes
 * first, with one walk; @va and @pa aligned to the leaf size, owner lock
 * held, and the caller made sure none of them is mapped (a present entry
 * stops the run short).  Returns the bytes mapped (a multiple of the leaf
 * size, at least one leaf) or a negative errno with nothing mapped and
 * the path pruned.
 */
static __always_inline long map_run(struct mm_struct *mm, unsigned long va, phys_addr_t pa,
				    unsigned long left, pgflags_t flags, int level,
				    struct list_head *dead)
{
	unsigned int shift = pt_level_shift(level);
	unsigned long n = min(left >> shift, PTRS_PER_TABLE - pt_index(va, level)), i;
	pte_t *slot;
	int err = walk_create(mm, va, level, &slot);

	if (likely(!err)) {
		/*
		 * The flags are built once: the physical address is the only
		 * field that changes, and it never carries into the bits
		 * around it (aligned to the leaf size, below 2^52).
		 */
		pte_t e = make_leaf(pa, flags, level, va);

		for (i = 0; i < n && !pte_present(slot[i]); i++) {
			set_pte(&slot[i], e);
			e = __pte(pte_val(e) + (1UL << shift));
		}
		/* One count update for the run (set_entry() does it per entry). */
		table_page_of(slot)->units += i;
		if (i)
			return i << shift;
		err = -EEXIST;
	}
	prune_path(mm, va, dead);
	return err;
}

long pgt_map_run(struct mm_struct *mm, unsigned long va, phys_addr_t pa, unsigned long left,
		 pgflags_t flags, int level, struct list_head *dead)
{
	/* 4 KiB runs (the kernel image, vmalloc) with the level a constant. */
	if (level == PT_LEVEL_PTE)
		return map_run(mm, va, pa, left, flags, PT_LEVEL_PTE, dead);
	return map_run(mm, va, pa, left, flags, level, dead);
}

static noinline int map_page_slow(struct mm_struct *mm, unsigned long virt, phys_addr_t phys,
				  pgflags_t flags)
{
	unsigned long size, irqflags;
	LIST_HEAD(dead);
	int level, err;

	level = size_level(flags, &size);
	err = check_addr("map_page", virt, size);
	if (!err)
		err = pgt_check_flags("map_page", virt, flags, true);
	if (!err)
		err = pgt_check_phys("map_page", phys, size);
	if (unlikely(err))
		return err;
	mm = owner_mm(mm, virt);
	spin_lock_irqsave(&mm->lock, irqflags);
	err = pgt_map_one(mm, virt, phys, flags, level, &dead);
	spin_unlock_irqrestore(&mm->lock, irqflags);
	if (unlikely(err)) {
		if (!list_empty(&dead)) {
			flush_tlb_mm_range(mm, virt, virt + size, PAGE_SHIFT, TLB_FLUSH_FULL);
			pgt_free_dead_tables(&dead);
		}
		if (err == -EEXIST)
			pr_err_ratelimited("map_page(%#lx): already mapped (-EEXIST)\n", virt);
		else
			pr_err_ratelimited("map_page(%#lx): no memory for a page table (-ENOMEM)\n",
					   virt);
	}
	return err;
}

static noinline int unmap_page_slow(struct mm_struct *mm, unsigned long virt)
{
	unsigned long start = 0, size = 0, irqflags;
	LIST_HEAD(dead);
	pte_t *slot;
	int level, err = check_addr("unmap_page", virt, PAGE_SIZE);

	if (unlikely(err))
		return err;
	mm = owner_mm(mm, virt);
	spin_lock_irqsave(&mm->lock, irqflags);
	slot = walk_leaf(mm, virt, &level);
	if (unlikely(!slot)) {
		err = -ENOENT;
		goto unlock;
	}
	/*
	 * A 4 KiB page inside a huge one, wherever it lies in it: split all
	 * the way down (1 GiB -> 2 MiB -> 4 KiB).  Whether @virt is inside is
	 * decided by the page that maps it, not by the 2 MiB page the first
	 * split leaves at @virt.  Every table is taken before the first
	 * split, so -ENOMEM changes nothing.  The base of a huge page unmaps
	 * it whole.
	 */
	if (level != PT_LEVEL_PTE && (virt & (level_size(level) - 1))) {
		struct table_pool pool;

		err = pgt_pool_fill(mm, &pool, level - PT_LEVEL_PTE);
		while (!err && level != PT_LEVEL_PTE) {
			err = pgt_split_leaf(slot, level, virt, &pool);
			slot = walk_leaf(mm, virt, &level);
		}
		if (err)
			goto unlock;
	}
	size = level_size(level);
	start = virt & ~(size - 1);
	clear_entry(slot);
	prune_path(mm, virt, &dead);
unlock:
	spin_unlock_irqrestore(&mm->lock, irqflags);
	if (unlikely(err)) {
		pr_err_ratelimited("unmap_page(%#lx): %s (%d)\n", virt,
				   err == -ENOENT ? "nothing mapped" : "no memory to split", err);
		return err;
	}
	flush_tlb_mm_range(mm, start, start + size, pt_level_shift(level),
			   list_empty(&dead) ? 0 : TLB_FLUSH_FULL);
	pgt_free_dead_tables(&dead);
	return 0;
}

/*
 * The fast paths below handle the common case -- a 4 KiB page whose tables
 * exist and stay non-empty -- in straight-line code; everything else
 * (table creation and pruning, huge pages, splits, errors) goes through
 * the generic slow paths above.  Same semantics either way.
 */

/*
 * The PTE slot of page-aligned @va if every upper level is a table (else
 * false).  The last page table found is cached per address space (lock
 * held): consecutive operations in one 2 MiB region skip the walk.  It
 * stays linked where it was until pgt_table_defer_free(), which drops the
 * cache.  One subtraction gives both the hit test and the slot's offset:
 * no shift for a tag, no index masking.
 */
static __always_inline bool pt_slot_fast(struct mm_struct *mm, unsigned long va, pte_t **slot)
{
	p4d_t p4d;
	pud_t pud, *pudp;
	pmd_t pmd;
	pte_t *t;
	unsigned long off = va - mm->pt_cache_va;

	if (likely(off < PMD_SIZE)) {
		*slot = (pte_t *)((unsigned long)mm->pt_cache + (off >> (PAGE_SHIFT - 3)));
		return true;
	}
	if (is_kernel_addr(va)) {
		pudp = kernel_tables[pgd_index(va) - PGD_KERNEL_FIRST] + pud_index(va);
	} else {
		p4d = READ_ONCE(*p4d_offset(pgd_offset(mm, va), va));
		if (unlikely(!p4d_present(p4d)))
			return false;
		pudp = pud_offset(&p4d, va);
	}
	pud = READ_ONCE(*pudp);
	if (unlikely(!pud_is_table(pud)))
		return false;
	pmd = READ_ONCE(*pmd_offset(&pud, va));
	if (unlikely(!pmd_is_table(pmd)))
		return false;
	t = pt_table(pmd);
	mm->pt_cache_va = va & ~(PMD_SIZE - 1);
	mm->pt_cache = t;
	mm->pt_cache_page = table_page_of(t);
	*slot = &t[pte_index(va)];
	return true;
}

/*
 * The fast paths' argument checks but the canonical one, which their
 * callers make (in map_page() and unmap_page() one compare with
 * KERNEL_HALF_START is both it and the choice of init_mm): @virt and @phys
 * page aligned, @phys below 2^52 (one mask over the low half of @virt and
 * all of @phys), and @flags within the hardware flags and PAGE_EXEC,
 * without PAGE_USER in the kernel half or PAGE_GLOBAL in the lower half.
 * Anything else goes to the slow path, which logs what is wrong.
 */
static __always_inline bool map_args_fast(unsigned long virt, phys_addr_t phys, pgflags_t flags)
{
	u64 w = (u32)virt | phys;

	BUILD_BUG_ON(__PHYSICAL_MASK_SHIFT + PAGE_SHIFT != 64);
	if (unlikely(flags & (~(PAGE_HW_FLAGS | PAGE_EXEC) |
			      (is_kernel_addr(virt) ? PAGE_USER : PAGE_GLOBAL))))
		return false;
	/* Two tests, each one instruction and a branch, not one merged test of four. */
	OPTIMIZER_HIDE_VAR(w);
	/* Rotated by 12: bits 52-63 of @phys and 0-11 of both in bits 0-23. */
	return !(((w << PAGE_SHIFT) | (w >> __PHYSICAL_MASK_SHIFT)) & ((1UL << 24) - 1));
}

/*
 * The fast paths proper, for a canonical @virt: true if done.  They call
 * nothing, so that map_page() and unmap_page() reach their one call (to
 * the slow path) only when they fail, and build no stack frame before
 * that.
 */
static __always_inline bool map_page_try(struct mm_struct *mm, unsigned long virt,
					 phys_addr_t phys, pgflags_t flags)
{
	unsigned long irqflags;
	pte_t *slot;

	if (likely(map_args_fast(virt, phys, flags))) {
		mm = owner_mm(mm, virt);
		if (likely(pt_trylock(mm, &irqflags))) {
			__acquire(mm->lock);
			if (likely(pt_slot_fast(mm, virt, &slot) && !pte_present(*slot))) {
				/* pt_slot_fast() left the table's struct page in the cache. */
				mm->pt_cache_page->units++;
				set_pte(slot, pt_mk_pte_fast(phys, flags, is_kernel_addr(virt)));
				pt_unlock(mm, irqflags);
				return true;
			}
			pt_unlock(mm, irqflags);
		}
	}
	return false;
}

static __always_inline int map_page_fast(struct mm_struct *mm, unsigned long virt,
					 phys_addr_t phys, pgflags_t flags)
{
	if (likely(virt_is_canonical(virt) && map_page_try(mm, virt, phys, flags)))
		return 0;
	return map_page_slow(mm, virt, phys, flags);
}

/* What unmap_page_try() left to do. */
enum unmap_rest { UNMAP_DONE, UNMAP_SLOW, UNMAP_FLUSH };

/* For a canonical @virt, as map_page_try(). */
static __always_inline enum unmap_rest unmap_page_try(struct mm_struct *mm, unsigned long virt)
{
	unsigned long irqflags;
	pte_t *slot;

	if (likely(!(virt & (PAGE_SIZE - 1)))) {
		mm = owner_mm(mm, virt);
		if (likely(pt_trylock(mm, &irqflags))) {
			__acquire(mm->lock);
			if (likely(pt_slot_fast(mm, virt, &slot) && pte_present(*slot))) {
				struct page *pg = mm->pt_cache_page;

				/* The last entry: the slow path unlinks the table. */
				if (likely(--pg->units)) {
					set_pte(slot, __pte(0));
					if (is_kernel_addr(virt) &&
					    arch_flush_tlb_kernel_page_local(virt)) {
						pt_unlock(mm, irqflags);
						return UNMAP_DONE;
					}
					pt_unlock(mm, irqflags);
					return UNMAP_FLUSH;
				}
				pg->units = 1;
			}
			pt_unlock(mm, irqflags);
		}
	}
	return UNMAP_SLOW;
}

/* The rest of an unmap_page_try() of @mm that did not finish (not UNMAP_DONE). */
static __always_inline int unmap_page_rest(struct mm_struct *mm, unsigned long virt,
					   enum unmap_rest rest)
{
	if (rest == UNMAP_FLUSH) {
		flush_tlb_mm_range(owner_mm(mm, virt), virt, virt + PAGE_SIZE, PAGE_SHIFT, 0);
		return 0;
	}
	return unmap_page_slow(mm, virt);
}

static __always_inline int unmap_page_fast(struct mm_struct *mm, unsigned long virt)
{
	enum unmap_rest rest = virt_is_canonical(virt) ? unmap_page_try(mm, virt) : UNMAP_SLOW;

	if (likely(rest == UNMAP_DONE))
		return 0;
	return unmap_page_rest(mm, virt, rest);
}

int mm_map_page(struct mm_struct *mm, unsigned long virt, phys_addr_t phys, pgflags_t flags)
{
	return map_page_fast(mm, virt, phys, flags);
}

int mm_unmap_page(struct mm_struct *mm, unsigned long virt)
{
	return unmap_page_fast(mm, virt);
}

/*
 * translate() of kernel addresses keeps a per-CPU software TLB of two
 * one-entry caches: the last page table it walked to (tag: the 2 MiB it
 * maps) and the last page directory (tag2: its GiB), so that a miss of
 * the first within the GiB of the last walk reads two levels instead of
 * three, as a CPU's paging-structure caches do.  An entry must never
 * outlive its table.  It is written only by its own CPU, in a walk that
 * no interrupt splits: with interrupts off, or (x86, arch_xlate_walk())
 * as restartable sequences that an interrupt sends back to their start;
 * and cleared by xlate_cache_flush(), which the TLB shootdown preceding
 * every free of a kernel-half table (TLB_FLUSH_FULL) runs on every
 * online CPU, each CPU for itself, in the IPI handler, i.e. between
 * walks.  So:
 *
 *   CPU A: translate(K)                  CPU B: unmap_page(K)
 *   walk starts (takes no IPI inside)
 *   reads the PMD entry: table T
 *                                        clears the PMD entry (lock held)
 *                                        flush: IPI to every CPU, waits
 *   caches (K, T), reads K's entry
 *   walk ends, takes the IPI:
 *     xlate_cache_flush(): entry gone
 *                                        flush done, T freed and reused
 *
 * A's store always precedes the IPI that clears it: with interrupts off
 * the IPI waits for the walk's end; in a restartable walk an IPI taken
 * before its last read (its commit) sends it back to its start, after
 * the flush, to read the PMD entry again, which no longer leads to T.
 * Either way T is not freed under a walk that read it.  (Clearing every
 * CPU's entry from B at the unlink, before the flush, let A store T
 * after the clear: K's translation then came from K + 2 MiB's new table.)
 * The same holds for a page directory and its PUD entry.  The hit reads
 * the tag, the table pointer and the entry in one restartable sequence
 * (<asm/pcp.h>) instead of disabling interrupts: an IPI that lands in it
 * before the entry's load restarts it, and the restart finds the tag
 * cleared.  An interrupt can also land between a fill's stores: the x86
 * walk empties the tag before it stores the pointer, so a translate() in
 * the handler never pairs the old tag with the new table.
 * The hit path pays nothing for this; a free of a kernel table pays two
 * stores per CPU, in IPIs it sends anyway.  A CPU that is not online yet
 * gets no IPI: it must not translate() before set_cpu_online() (none
 * does; tlb_cpu_init() clears its entries on the way up).
 */
struct xlate_cache {
	unsigned long tag;	/* va >> PMD_SHIFT, ~0 when invalid */
	pte_t *pt;		/* its page table */
	unsigned long tag2;	/* va >> PUD_SHIFT, ~0 when invalid */
	pte_t *pmd;		/* its page directory */
};

static DEFINE_PER_CPU(struct xlate_cache, xlate_cache) = { .tag = ~0UL, .tag2 = ~0UL };

void xlate_cache_flush(unsigned int cpu)
{
	WRITE_ONCE(per_cpu(xlate_cache, cpu).tag, ~0UL);
	WRITE_ONCE(per_cpu(xlate_cache, cpu).tag2, ~0UL);
}

void pgtable_cpu_init(void)
{
	/* A per-CPU area copied from the boot CPU's carries its cache entries. */
	this_cpu_write(xlate_cache.tag, ~0UL);
	this_cpu_write(xlate_cache.tag2, ~0UL);
}

static noinline int translate_current(unsigned long virt, phys_addr_t *phys);

#ifndef arch_xlate_walk
/*
 * The walk after a miss of the page-table cache, with interrupts disabled
 * (see the invariants at the top), from the cached page directory if its
 * GiB matches; the architectures that can make it restartable define
 * their own (x86: <asm/pcp.h>).
 */
static __always_inline bool xlate_walk(unsigned long va, u64 *phys)
{
	unsigned long irqflags, mask;
	pud_t pud;
	pmd_t pmd, *pmdt;
	pte_t e;

	if (unlikely(va < KERNEL_HALF_START))
		return false;
	irqflags = arch_local_irq_save();
	if (this_cpu_read(xlate_cache.tag2) == va >> PUD_SHIFT) {
		pmdt = this_cpu_read(xlate_cache.pmd);
	} else {
		e = pud = READ_ONCE(kernel_tables[pgd_index(va) - PGD_KERNEL_FIRST][pud_index(va)]);
		mask = PUD_SIZE - 1;
		if (!pud_present(pud))
			goto none;
		if (pud_leaf(pud))
			goto leaf;
		pmdt = pt_table(pud);
		this_cpu_write(xlate_cache.pmd, pmdt);
		this_cpu_write(xlate_cache.tag2, va >> PUD_SHIFT);
	}
	e = pmd = READ_ONCE(pmdt[pmd_index(va)]);
	mask = PMD_SIZE - 1;
	if (!pmd_present(pmd))
		goto none;
	if (pmd_leaf(pmd))
		goto leaf;
	this_cpu_write(xlate_cache.pt, pt_table(pmd));
	this_cpu_write(xlate_cache.tag, va >> PMD_SHIFT);
	e = READ_ONCE(*pte_offset_kernel(&pmd, va));
	mask = PAGE_SIZE - 1;
	if (!pte_present(e))
		goto none;
leaf:
	arch_local_irq_restore(irqflags);
	*phys = (pt_entry_phys(e) & ~(u64)mask) | (va & mask);
	return true;
none:
	arch_local_irq_restore(irqflags);
	return false;
}
#else
/* arch_xlate_walk() indexes kernel_tables[] from its end with va >> 39. */
_Static_assert(ARRAY_SIZE(kernel_tables) == 256, "kernel_tables[] is not 256 PGD slots");
#define xlate_walk(va, phys)						\
	arch_xlate_walk(xlate_cache.tag, xlate_cache.pt, xlate_cache.tag2, xlate_cache.pmd, \
			kernel_tables, va, (va) >> PMD_SHIFT, pte_index(va), phys)
#endif

/*
 * Lock-free kernel-half walk; see the invariants at the top.  Lower-half
 * addresses go to translate_current() (checked after the cache, whose tag
 * can only match a kernel address).
 */
static __always_inline int translate_kernel(unsigned long va, phys_addr_t *phys)
{
	pte_t e;
	u64 v;

	/* The hit: as if with interrupts off, without turning them off (<asm/pcp.h>). */
	if (likely(arch_pcpu_tagged_read(xlate_cache.tag, xlate_cache.pt, va >> PMD_SHIFT,
					 pte_index(va), &v))) {
		e = (__force pte_t)v;
		if (unlikely(!pte_present(e)))
			return -ENOENT;
		*phys = pt_entry_phys(e) | (va & (PAGE_SIZE - 1));
		return 0;
	}
	if (likely(xlate_walk(va, &v))) {
		*phys = v;
		return 0;
	}
	if (unlikely(va < KERNEL_HALF_START))	/* the tags only ever match kernel pages */
		return translate_current(va, phys);
	return -ENOENT;
}

int mm_translate(struct mm_struct *mm, unsigned long virt, phys_addr_t *phys)
{
	unsigned long irqflags;
	pte_t *slot;
	int level;

	if (likely(virt >= KERNEL_HALF_START))
		return translate_kernel(virt, phys);
	if (unlikely(!virt_is_canonical(virt))) {
		pr_err_ratelimited("translate: %#lx is not canonical (-EINVAL)\n", virt);
		return -EINVAL;
	}
	spin_lock_irqsave(&mm->lock, irqflags);
	slot = walk_leaf(mm, virt, &level);
	if (slot)
		*phys = leaf_phys(*slot, level) + (virt & (level_size(level) - 1));
	spin_unlock_irqrestore(&mm->lock, irqflags);
	return slot ? 0 : -ENOENT;
}

/* Point the leaf at @virt at other frames; kernel-doc in <exo/pgtable.h>. */
int mm_remap_leaf(struct mm_struct *mm, unsigned long virt, phys_addr_t phys)
{
	unsigned long irqflags, size = 0;
	pte_t *slot;
	int level = PT_LEVEL_PTE, err = check_addr("remap_leaf", virt, PAGE_SIZE);

	if (!err)
		err = pgt_check_phys("remap_leaf", phys, PAGE_SIZE);
	if (unlikely(err))
		return err;
	mm = owner_mm(mm, virt);
	spin_lock_irqsave(&mm->lock, irqflags);
	slot = walk_leaf(mm, virt, &level);
	if (!slot) {
		err = -ENOENT;
	} else {
		pte_t e = *slot;

		size = level_size(level);
		if ((virt | phys) & (size - 1))
			err = -EINVAL;
		else
			set_pte(slot, __pte(pte_val(e) - leaf_phys(e, level) + phys));
	}
	spin_unlock_irqrestore(&mm->lock, irqflags);
	if (err) {
		pr_err_ratelimited("remap_leaf(%#lx, %#llx): %s (%d)\n", virt, phys,
				   err == -ENOENT ? "nothing mapped" :
						    "not the start of a leaf, or misaligned", err);
		return err;
	}
	flush_tlb_mm_range(mm, virt, virt + size, pt_level_shift(level), 0);
	return 0;
}

/*
 * Everything but a kernel-half fast path that succeeded, out of line: the
 * lower half through the current address space (current_mm() would give
 * the fast path a stack frame and callee-saved registers to set up and
 * restore), the kernel half's slow path or flush.  One call site each in
 * map_page() and unmap_page(), which the compiler can then keep frameless
 * up to it.
 */
static noinline int map_page_other(unsigned long virt, phys_addr_t phys, pgflags_t flags)
{
	if (is_kernel_addr(virt))
		return map_page_slow(&init_mm, virt, phys, flags);
	return map_page_fast(current_mm(), virt, phys, flags);
}

static noinline int unmap_page_other(unsigned long virt, enum unmap_rest rest)
{
	if (is_kernel_addr(virt))
		return unmap_page_rest(&init_mm, virt, rest);
	return unmap_page_fast(current_mm(), virt);
}

/*
 * virt >= KERNEL_HALF_START is both the kernel half and, there, the
 * canonical check: a non-canonical address with bit 63 set goes to the
 * slow path, which rejects it.
 */
int map_page(unsigned long virt, phys_addr_t phys, pgflags_t flags)
{
	if (likely(virt >= KERNEL_HALF_START && map_page_try(&init_mm, virt, phys, flags)))
		return 0;
	return map_page_other(virt, phys, flags);
}

int unmap_page(unsigned long virt)
{
	enum unmap_rest rest = UNMAP_SLOW;

	if (likely(virt >= KERNEL_HALF_START)) {
		rest = unmap_page_try(&init_mm, virt);
		if (likely(rest == UNMAP_DONE))
			return 0;
	}
	return unmap_page_other(virt, rest);
}

static noinline int translate_current(unsigned long virt, phys_addr_t *phys)
{
	return mm_translate(current_mm(), virt, phys);
}

int translate(unsigned long virt, phys_addr_t *phys)
{
	return translate_kernel(virt, phys);
}
