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
 *    every online CPU, so a lock-free reader running with interrupts
 *    disabled (translate() on the kernel half) never reads a freed table.
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
#include <asm/pgtable.h>
#include <asm/tlbflush.h>

struct mm_struct init_mm = {
	.lock = __SPIN_LOCK_UNLOCKED(init_mm.lock),
	.ctx_id = 1,
	.tlb_gen = 1,
	.pt_cache_tag = ~0UL,
};

static unsigned long pgtable_pages;	/* all tables, all address spaces */
/*
 * Direct-map addresses of the permanent tables the kernel-half PGD slots
 * point to (PUD tables on x86-64, where the P4D level is folded).
 */
static pte_t *kernel_tables[PTRS_PER_TABLE - PGD_KERNEL_FIRST];
static u64 next_ctx_id = 2;

static __always_inline unsigned long level_size(int level)
{
	return 1UL << pt_level_shift(level);
}

/* Physical address of a leaf at @level (the arch's bits below its size masked). */
static __always_inline phys_addr_t leaf_phys(pte_t e, int level)
{
	return pt_entry_phys(e) & ~(level_size(level) - 1);
}

/* The table page an entry lives in (tables are single frames). */
static __always_inline struct page *table_page_of(const pte_t *entry)
{
	return pfn_to_page(PHYS_PFN(direct_virt_to_phys(entry)));
}

static __always_inline bool is_kernel_addr(unsigned long va)
{
	return (long)va < 0;	/* canonical kernel half: bit 63 set */
}

static __always_inline struct mm_struct *owner_mm(struct mm_struct *mm, unsigned long va)
{
	return is_kernel_addr(va) ? &init_mm : mm;
}

/*
 * The fast paths' lock: interrupts off already exclude preemption, so the
 * preempt count is left alone unless spinlock debugging wants the full
 * spin_lock() bookkeeping.
 */
static __always_inline unsigned long pt_lock(struct mm_struct *mm) __acquires(mm->lock)
{
	unsigned long flags = arch_local_irq_save();

	if (IS_ENABLED(CONFIG_DEBUG_SPINLOCK))
		spin_lock(&mm->lock);
	else
		arch_spin_lock(&mm->lock);
	__acquire(mm->lock);
	return flags;
}

static __always_inline void pt_unlock(struct mm_struct *mm, unsigned long flags)
	__releases(mm->lock)
{
	if (IS_ENABLED(CONFIG_DEBUG_SPINLOCK))
		spin_unlock(&mm->lock);
	else
		arch_spin_unlock(&mm->lock);
	__release(mm->lock);
	arch_local_irq_restore(flags);
}

/* Store an entry and keep the table's present count. */
static __always_inline void set_entry(pte_t *slot, pte_t e)
{
	table_page_of(slot)->units++;
	set_pte(slot, e);
}

static __always_inline void clear_entry(pte_t *slot)
{
	table_page_of(slot)->units--;
	set_pte(slot, __pte(0));
}

/* Kernel-half leaves are always global. */
static __always_inline pte_t make_leaf(phys_addr_t pa, pgflags_t flags, int level,
				       unsigned long va)
{
	if (is_kernel_addr(va))
		flags |= PAGE_GLOBAL;
	return pt_mk_leaf(pa, flags, level);
}

/* No USER above a leaf in the kernel half. */
static __always_inline pte_t make_table_entry(const pte_t *table, unsigned long va)
{
	return pt_mk_table(virt_to_phys(table), !is_kernel_addr(va));
}

static pte_t *table_alloc(struct mm_struct *mm)
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
static void table_defer_free(struct mm_struct *mm, pte_t *table, struct list_head *dead)
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
	mm->pt_cache_tag = ~0UL;
}

static void free_dead_tables(struct list_head *dead)
{
	struct page *pg, *n;

	list_for_each_entry_safe(pg, n, dead, lru) {
		list_del(&pg->lru);
		page_set_type(pg, PAGE_TYPE_BUDDY);
		__free_pages(pg, 0);
		__atomic_fetch_sub(&pgtable_pages, 1, __ATOMIC_RELAXED);
	}
}

/*
 * Tables for splits, taken before any entry changes: a call that would run
 * out of frames half-way through its splits fails before the first one.
 */
#define SPLITS_MAX	4	/* two ends, 1 GiB -> 2 MiB -> 4 KiB each */

struct table_pool {
	pte_t *t[SPLITS_MAX];
	unsigned int n;
};

/* Give back a table that was never linked (owner lock held). */
static void table_free_unused(struct mm_struct *mm, pte_t *table)
{
	struct page *pg = virt_to_page(table);

	mm->nr_tables--;
	page_set_type(pg, PAGE_TYPE_BUDDY);
	__free_pages(pg, 0);
	__atomic_fetch_sub(&pgtable_pages, 1, __ATOMIC_RELAXED);
}

static void pool_drain(struct mm_struct *mm, struct table_pool *pool)
{
	while (pool->n)
		table_free_unused(mm, pool->t[--pool->n]);
}

/* @need tables in @pool, or -ENOMEM with none taken (owner lock held). */
static int pool_fill(struct mm_struct *mm, struct table_pool *pool, unsigned int need)
{
	pool->n = 0;
	if (WARN_ON(need > SPLITS_MAX))
		return -EINVAL;
	while (pool->n < need) {
		pte_t *t = table_alloc(mm);

		if (!t) {
			pool_drain(mm, pool);
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
static int check_range(const char *fn, unsigned long va, size_t size)
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

static int check_flags(const char *fn, unsigned long va, pgflags_t flags, bool sizes_ok)
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

static int check_phys(const char *fn, phys_addr_t pa, unsigned long align)
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
		table_defer_free(mm, child, dead);
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
			pte_t *t = table_alloc(mm);

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

/* The leaf slot that maps @va and its level, or NULL. */
static pte_t *walk_leaf(const struct mm_struct *mm, unsigned long va, int *levelp)
{
	pte_t *table = mm->pgd;

	for (int level = PGTABLE_LEVELS; level >= PT_LEVEL_PTE; level--) {
		pte_t *e = &table[pt_index(va, level)];
		pte_t v = READ_ONCE(*e);

		if (!pte_present(v))
			return NULL;
		if (pt_leaf(v, level)) {
			*levelp = level;
			return e;
		}
		table = pt_table(v);
	}
	return NULL;
}

/*
 * Replace the huge leaf at *@slot (level @level) by a table of 512 next-level
 * entries with the same flags, the table from @pool.  The translation does
 * not change, so no flush is needed before the caller's own (which covers
 * the huge page).
 */
static int split_leaf(pte_t *slot, int level, unsigned long va, struct table_pool *pool)
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
static int __map_one(struct mm_struct *mm, unsigned long va, phys_addr_t pa, pgflags_t flags,
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

static noinline int map_page_slow(struct mm_struct *mm, unsigned long virt, phys_addr_t phys,
				  pgflags_t flags)
{
	unsigned long size, irqflags;
	LIST_HEAD(dead);
	int level, err;

	level = size_level(flags, &size);
	err = check_addr("map_page", virt, size);
	if (!err)
		err = check_flags("map_page", virt, flags, true);
	if (!err)
		err = check_phys("map_page", phys, size);
	if (unlikely(err))
		return err;
	mm = owner_mm(mm, virt);
	spin_lock_irqsave(&mm->lock, irqflags);
	err = __map_one(mm, virt, phys, flags, level, &dead);
	spin_unlock_irqrestore(&mm->lock, irqflags);
	if (unlikely(err)) {
		if (!list_empty(&dead)) {
			flush_tlb_mm_range(mm, virt, virt + size, PAGE_SHIFT, TLB_FLUSH_FULL);
			free_dead_tables(&dead);
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

		err = pool_fill(mm, &pool, level - PT_LEVEL_PTE);
		while (!err && level != PT_LEVEL_PTE) {
			err = split_leaf(slot, level, virt, &pool);
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
	free_dead_tables(&dead);
	return 0;
}

/*
 * The fast paths below handle the common case -- a 4 KiB page whose tables
 * exist and stay non-empty -- in straight-line code; everything else
 * (table creation and pruning, huge pages, splits, errors) goes through
 * the generic slow paths above.  Same semantics either way.
 */

/*
 * The PTE slot of @va if every upper level is a table (else false).
 * The last page table found is cached per address space (lock held):
 * consecutive operations in one 2 MiB region skip the walk.  It stays linked where
 * it was until table_defer_free(), which drops the cache.
 */
static __always_inline bool pt_slot_fast(struct mm_struct *mm, unsigned long va, pte_t **slot)
{
	p4d_t p4d;
	pud_t pud, *pudp;
	pmd_t pmd;
	pte_t *t;

	if (likely(mm->pt_cache_tag == va >> PMD_SHIFT)) {
		*slot = &mm->pt_cache[pte_index(va)];
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
	mm->pt_cache_tag = va >> PMD_SHIFT;
	mm->pt_cache = t;
	mm->pt_cache_page = table_page_of(t);
	*slot = &t[pte_index(va)];
	return true;
}

/* Non-canonical (bits 63..__VIRTUAL_MASK_SHIFT not all equal) or not page aligned. */
static __always_inline bool bad_page_addr(unsigned long va)
{
	return ((va + (1UL << __VIRTUAL_MASK_SHIFT)) >> (__VIRTUAL_MASK_SHIFT + 1)) |
	       (va & (PAGE_SIZE - 1));
}

static __always_inline int map_page_fast(struct mm_struct *mm, unsigned long virt,
					 phys_addr_t phys, pgflags_t flags)
{
	unsigned long irqflags;
	pte_t *slot;

	if (likely(!bad_page_addr(virt) && !((phys & (PAGE_SIZE - 1)) | (phys >> __PHYSICAL_MASK_SHIFT)) &&
		   !(flags & ~(PAGE_HW_FLAGS | PAGE_EXEC)) &&
		   !(flags & (is_kernel_addr(virt) ? PAGE_USER : PAGE_GLOBAL)))) {
		mm = owner_mm(mm, virt);
		irqflags = pt_lock(mm);
		if (likely(pt_slot_fast(mm, virt, &slot) && !pte_present(*slot))) {
			/* pt_slot_fast() left the table's struct page in the cache. */
			mm->pt_cache_page->units++;
			set_pte(slot, make_leaf(phys, flags, PT_LEVEL_PTE, virt));
			pt_unlock(mm, irqflags);
			return 0;
		}
		pt_unlock(mm, irqflags);
	}
	return map_page_slow(mm, virt, phys, flags);
}

static __always_inline int unmap_page_fast(struct mm_struct *mm, unsigned long virt)
{
	unsigned long irqflags;
	pte_t *slot;

	if (likely(!bad_page_addr(virt))) {
		mm = owner_mm(mm, virt);
		irqflags = pt_lock(mm);
		if (likely(pt_slot_fast(mm, virt, &slot) && pte_present(*slot))) {
			struct page *pg = mm->pt_cache_page;

			if (likely(pg->units > 1)) {	/* the table stays */
				pg->units--;
				set_pte(slot, __pte(0));
				if (is_kernel_addr(virt) &&
				    arch_flush_tlb_kernel_page_local(virt)) {
					pt_unlock(mm, irqflags);
					return 0;
				}
				pt_unlock(mm, irqflags);
				flush_tlb_mm_range(mm, virt, virt + PAGE_SIZE, PAGE_SHIFT, 0);
				return 0;
			}
		}
		pt_unlock(mm, irqflags);
	}
	return unmap_page_slow(mm, virt);
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
 * translate() of kernel addresses keeps a per-CPU software TLB: the last
 * page table it walked to.  An entry must never outlive its table.  It is
 * written only by its own CPU, with interrupts off, and cleared by
 * xlate_cache_flush(), which the TLB shootdown preceding every free of a
 * kernel-half table (TLB_FLUSH_FULL) runs on every online CPU, each CPU
 * for itself, in the IPI handler, i.e. outside any translate().  So:
 *
 *   CPU A: translate(K)                  CPU B: unmap_page(K)
 *   interrupts off
 *   reads the PMD entry: table T
 *                                        clears the PMD entry (lock held)
 *                                        flush: IPI to every CPU, waits
 *   caches (K, T)
 *   interrupts on, takes the IPI:
 *     xlate_cache_flush(): entry gone
 *                                        flush done, T freed and reused
 *
 * A's store always precedes the IPI that clears it, because A stores with
 * interrupts off; a translate() after the IPI reads the PMD entry again,
 * and it no longer leads to T.  A translate() that started before the
 * IPI still holds it off, so T is not freed under it either.  (Clearing
 * every CPU's entry from B at the unlink, before the flush, let A store T
 * after the clear: K's translation then came from K + 2 MiB's new table.)
 * The hit path pays nothing for this; a free of a kernel table pays one
 * store per CPU, in IPIs it sends anyway.  A CPU that is not online yet
 * gets no IPI: it must not translate() before set_cpu_online() (none
 * does; tlb_cpu_init() clears its entry on the way up).
 */
struct xlate_cache {
	unsigned long tag;	/* va >> PMD_SHIFT, ~0 when invalid */
	pte_t *pt;
};

static DEFINE_PER_CPU(struct xlate_cache, xlate_cache) = { .tag = ~0UL };

void xlate_cache_flush(unsigned int cpu)
{
	WRITE_ONCE(per_cpu(xlate_cache, cpu).tag, ~0UL);
}

void pgtable_cpu_init(void)
{
	/* A per-CPU area copied from the boot CPU's carries its cache entry. */
	this_cpu_write(xlate_cache.tag, ~0UL);
}

static noinline int translate_current(unsigned long virt, phys_addr_t *phys);

/*
 * Lock-free kernel-half walk; see the invariants at the top.  Lower-half
 * addresses go to translate_current() (checked after the cache, whose tag
 * can only match a kernel address).
 */
static __always_inline int translate_kernel(unsigned long va, phys_addr_t *phys)
{
	unsigned long irqflags = arch_local_irq_save();
	unsigned long mask;
	pud_t pud;
	pmd_t pmd;
	pte_t e;

	if (likely(this_cpu_read(xlate_cache.tag) == va >> PMD_SHIFT)) {
		e = READ_ONCE(this_cpu_read(xlate_cache.pt)[pte_index(va)]);
		arch_local_irq_restore(irqflags);
		if (unlikely(!pte_present(e)))
			return -ENOENT;
		*phys = pt_entry_phys(e) | (va & (PAGE_SIZE - 1));
		return 0;
	}
	if (unlikely(va < KERNEL_HALF_START)) {	/* the tag only ever matches kernel pages */
		arch_local_irq_restore(irqflags);
		return translate_current(va, phys);
	}
	e = pud = READ_ONCE(kernel_tables[pgd_index(va) - PGD_KERNEL_FIRST][pud_index(va)]);
	mask = PUD_SIZE - 1;
	if (!pud_present(pud))
		goto none;
	if (pud_leaf(pud))
		goto leaf;
	e = pmd = READ_ONCE(*pmd_offset(&pud, va));
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
	return 0;
none:
	arch_local_irq_restore(irqflags);
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

int map_page(unsigned long virt, phys_addr_t phys, pgflags_t flags)
{
	if (likely(is_kernel_addr(virt)))
		return map_page_fast(&init_mm, virt, phys, flags);
	return map_page_fast(current_mm(), virt, phys, flags);
}

int unmap_page(unsigned long virt)
{
	if (likely(is_kernel_addr(virt)))
		return unmap_page_fast(&init_mm, virt);
	return unmap_page_fast(current_mm(), virt);
}

static noinline int translate_current(unsigned long virt, phys_addr_t *phys)
{
	return mm_translate(current_mm(), virt, phys);
}

int translate(unsigned long virt, phys_addr_t *phys)
{
	return translate_kernel(virt, phys);
}

/* ---------------------------------------------------------------------
 * Ranges.
 */

struct range_op {
	int op;			/* RANGE_* */
	pgflags_t flags;	/* RANGE_PROTECT */
	unsigned long lo, hi;	/* the caller's whole range: leaves inside stay whole */
	unsigned long found;	/* leaves seen */
	struct list_head *dead;
	struct table_pool *pool;	/* RANGE_SPLIT: the tables, counted beforehand */
};

#define RANGE_COUNT	0	/* count leaves, change nothing */
#define RANGE_SPLIT	1	/* split huge leaves that straddle the ends */
#define RANGE_UNMAP	2
#define RANGE_PROTECT	3
#define RANGE_HOLES	4	/* count unmapped 4 KiB pages in the range */

/*
 * Apply @op to [@start, @end), not empty, below @table at @level (@end 0
 * means 2^64).  A leaf is "whole"
 * when it lies inside the caller's range [@op->lo, @op->hi), which may be
 * wider than the part walked: split_ends() walks only the first and last
 * page of a range, and must leave a huge leaf that the range covers
 * entirely alone.  For RANGE_SPLIT, leaves that are not whole are split
 * (may fail with -ENOMEM); the other ops expect the ends to be split
 * already.
 */
static int range_walk(struct mm_struct *mm, pte_t *table, int level, unsigned long start,
		      unsigned long end, struct range_op *op)
{
	unsigned long size = level_size(level);
	unsigned long va = start;

	/* Never empty (start < end); end may be 2^64, i.e. 0. */
	for (;;) {
		unsigned long base = va & ~(size - 1);
		unsigned long next = base + size;
		pte_t *e = &table[pt_index(va, level)];
		/* Inclusive ends: next or hi may be 0, i.e. 2^64. */
		bool whole = base >= op->lo && next - 1 <= op->hi - 1;
		int err;

		if (next - 1 >= end - 1)	/* past the end, or at 2^64 */
			next = end;
		if (!pte_present(*e)) {
			if (op->op == RANGE_HOLES)
				op->found += (next - va) >> PAGE_SHIFT;
		} else if (pt_leaf(*e, level)) {
			if (!whole && op->op != RANGE_COUNT && op->op != RANGE_HOLES) {
				if (op->op != RANGE_SPLIT)
					return -EINVAL;	/* caller bug: ends not split */
				err = split_leaf(e, level, va, op->pool);
				if (err)
					return err;
				continue;	/* walk the new table */
			}
			if (op->op != RANGE_HOLES)
				op->found++;
			if (op->op == RANGE_UNMAP) {
				clear_entry(e);
			} else if (op->op == RANGE_PROTECT) {
				set_pte(e, make_leaf(leaf_phys(*e, level), op->flags, level,
							 va));
			}
		} else {
			pte_t *child = pt_table(*e);

			err = range_walk(mm, child, level - 1, va, next, op);
			if (err)
				return err;
			if (op->op == RANGE_UNMAP && table_page_of(child)->units == 0 &&
			    !(level == PGTABLE_LEVELS && is_kernel_addr(va))) {
				clear_entry(e);
				table_defer_free(mm, child, op->dead);
			}
		}
		if (next == end)
			break;
		va = next;
	}
	return 0;
}

static int range_apply(struct mm_struct *mm, unsigned long start, size_t size,
		       struct range_op *op)
{
	unsigned long end = start + size;

	if (op->op != RANGE_SPLIT) {
		op->lo = start;
		op->hi = end;
	}
	return range_walk(mm, mm->pgd, PGTABLE_LEVELS, start, end, op);
}

/*
 * The tables split_ends() will need: for each end, one per level from the
 * huge leaf holding it down to the first level where the leaf holding it
 * lies inside [@lo, @hi) (@hi 0: 2^64), a leaf both ends share counted
 * once.  Changes nothing.
 */
static unsigned int split_ends_need(struct mm_struct *mm, unsigned long lo, unsigned long hi)
{
	const unsigned long ends[2] = { lo, hi - PAGE_SIZE };
	unsigned long split_base[SPLITS_MAX];
	int split_level[SPLITS_MAX];
	unsigned int n = 0;

	for (unsigned int i = 0; i < 2; i++) {
		int level;

		if (!walk_leaf(mm, ends[i], &level))
			continue;
		for (; level > PT_LEVEL_PTE; level--) {
			unsigned long size = level_size(level), base = ends[i] & ~(size - 1);
			bool seen = false;

			if (base >= lo && base + size - 1 <= hi - 1)
				break;		/* whole: stays as it is */
			for (unsigned int k = 0; k < n; k++)
				seen |= split_level[k] == level && split_base[k] == base;
			if (!seen) {
				split_level[n] = level;
				split_base[n++] = base;
			}
		}
	}
	return n;
}

/*
 * Split the huge leaves straddling the two ends of [@start, @start +
 * @size), and only those: a huge page the range covers entirely is
 * unmapped or re-protected whole (owner lock held).  Every table is taken
 * first: -ENOMEM changes nothing.
 */
static int split_ends(struct mm_struct *mm, unsigned long start, size_t size)
{
	struct table_pool pool;
	struct range_op op = { .op = RANGE_SPLIT, .lo = start, .hi = start + size, .pool = &pool };
	unsigned int need = split_ends_need(mm, start, start + size);
	int err;

	if (!need)
		return 0;	/* the common case: no huge page straddles an end */
	err = pool_fill(mm, &pool, need);
	if (err)
		return err;
	err = range_apply(mm, start, PAGE_SIZE, &op);
	if (!err && size > PAGE_SIZE)
		err = range_apply(mm, start + size - PAGE_SIZE, PAGE_SIZE, &op);
	/* Counted exactly: nothing is left over, and nothing can fail. */
	WARN_ON(err || pool.n);
	pool_drain(mm, &pool);
	return err;
}

/* The biggest piece that fits at @va/@pa: its level and size. */
static int piece_level(unsigned long va, phys_addr_t pa, unsigned long left, unsigned long *sz)
{
	if (pgtable_huge_supported(PAGE_HUGE_1G) && !((va | pa) & (PUD_SIZE - 1)) &&
	    left >= PUD_SIZE) {
		*sz = PUD_SIZE;
		return PT_LEVEL_PUD;
	}
	if (pgtable_huge_supported(PAGE_HUGE_2M) && !((va | pa) & (PMD_SIZE - 1)) &&
	    left >= PMD_SIZE) {
		*sz = PMD_SIZE;
		return PT_LEVEL_PMD;
	}
	*sz = PAGE_SIZE;
	return PT_LEVEL_PTE;
}

int mm_map_range(struct mm_struct *mm, unsigned long virt, phys_addr_t phys, size_t size,
		 pgflags_t flags)
{
	struct range_op count = { .op = RANGE_COUNT };
	unsigned long irqflags, done = 0;
	LIST_HEAD(dead);
	int err;

	err = check_range("map_range", virt, size);
	if (!err)
		err = check_flags("map_range", virt, flags, false);
	if (!err)
		err = check_phys("map_range", phys, PAGE_SIZE);
	/* The whole physical range must fit in 52 bits, not just its start. */
	if (!err && (phys + size < phys || phys + size > (1ULL << __PHYSICAL_MASK_SHIFT))) {
		pr_err_ratelimited("map_range(%#lx): physical %#llx + %#zx beyond 52 bits (-EINVAL)\n",
				   virt, phys, size);
		err = -EINVAL;
	}
	if (unlikely(err))
		return err;
	mm = owner_mm(mm, virt);
	spin_lock_irqsave(&mm->lock, irqflags);
	range_apply(mm, virt, size, &count);
	if (count.found) {
		err = -EEXIST;
		goto unlock;
	}
	while (done < size) {
		unsigned long sz;
		int level = piece_level(virt + done, phys + done, size - done, &sz);

		err = __map_one(mm, virt + done, phys + done, flags, level, &dead);
		if (err)
			break;
		done += sz;
	}
	if (err && done) {
		struct range_op un = { .op = RANGE_UNMAP, .dead = &dead };

		range_apply(mm, virt, done, &un);
	}
unlock:
	spin_unlock_irqrestore(&mm->lock, irqflags);
	if (err) {
		if (done || !list_empty(&dead))
			flush_tlb_mm_range(mm, virt, virt + size, PAGE_SHIFT, TLB_FLUSH_FULL);
		free_dead_tables(&dead);
		pr_err_ratelimited("map_range(%#lx + %#zx): %s (%d)\n", virt, size,
				   err == -EEXIST ? "something is mapped there" : "no memory", err);
	}
	return err;
}

int mm_unmap_range(struct mm_struct *mm, unsigned long virt, size_t size)
{
	struct range_op op = { .op = RANGE_UNMAP };
	unsigned long irqflags;
	LIST_HEAD(dead);
	int err = check_range("unmap_range", virt, size);

	if (unlikely(err))
		return err;
	op.dead = &dead;
	mm = owner_mm(mm, virt);
	spin_lock_irqsave(&mm->lock, irqflags);
	err = split_ends(mm, virt, size);
	if (!err)
		err = range_apply(mm, virt, size, &op);
	spin_unlock_irqrestore(&mm->lock, irqflags);
	if (!err && !op.found)
		err = -ENOENT;
	if (err) {
		pr_err_ratelimited("unmap_range(%#lx + %#zx): %s (%d)\n", virt, size,
				   err == -ENOENT ? "nothing mapped" : "no memory to split", err);
		return err;
	}
	flush_tlb_mm_range(mm, virt, virt + size, PAGE_SHIFT,
			   list_empty(&dead) ? 0 : TLB_FLUSH_FULL);
	free_dead_tables(&dead);
	return 0;
}

int mm_protect_range(struct mm_struct *mm, unsigned long virt, size_t size, pgflags_t flags)
{
	struct range_op holes = { .op = RANGE_HOLES };
	struct range_op op = { .op = RANGE_PROTECT, .flags = flags };
	unsigned long irqflags;
	int err = check_range("protect_range", virt, size);

	if (!err)
		err = check_flags("protect_range", virt, flags, false);
	if (unlikely(err))
		return err;
	mm = owner_mm(mm, virt);
	spin_lock_irqsave(&mm->lock, irqflags);
	range_apply(mm, virt, size, &holes);
	if (holes.found)
		err = -ENOENT;
	if (!err)
		err = split_ends(mm, virt, size);
	if (!err)
		err = range_apply(mm, virt, size, &op);
	spin_unlock_irqrestore(&mm->lock, irqflags);
	if (err) {
		pr_err_ratelimited("protect_range(%#lx + %#zx): %s (%d)\n", virt, size,
				   err == -ENOENT ? "not everything is mapped" : "no memory to split",
				   err);
		return err;
	}
	flush_tlb_mm_range(mm, virt, virt + size, PAGE_SHIFT, 0);
	return 0;
}

int map_range(unsigned long virt, phys_addr_t phys, size_t size, pgflags_t flags)
{
	return mm_map_range(current_mm(), virt, phys, size, flags);
}

int unmap_range(unsigned long virt, size_t size)
{
	return mm_unmap_range(current_mm(), virt, size);
}

int protect_range(unsigned long virt, size_t size, pgflags_t flags)
{
	return mm_protect_range(current_mm(), virt, size, flags);
}

/* ---------------------------------------------------------------------
 * Walk for dumps and checks.
 */

static int walk_level(pte_t *table, int level, unsigned long va_base, unsigned long start,
		      unsigned long last, int (*fn)(const struct pt_leaf *, void *), void *arg)
{
	unsigned long size = level_size(level);

	for (unsigned int i = 0; i < PTRS_PER_TABLE; i++) {
		unsigned long va = va_base + i * size;
		pte_t e = READ_ONCE(table[i]);
		int ret;

		if (level == PGTABLE_LEVELS && i >= PGD_KERNEL_FIRST)
			va |= 0xffff000000000000UL;	/* sign extension */
		if (va + size - 1 < start || va > last || !pte_present(e))
			continue;
		if (pt_leaf(e, level)) {
			struct pt_leaf leaf = {
				.virt = va, .phys = leaf_phys(e, level), .size = size, .entry = e,
			};

			ret = fn(&leaf, arg);
		} else if (table_page_of(pt_table(e))->units) {
			/* Empty tables (idle kernel_tables[]) are skipped whole. */
			ret = walk_level(pt_table(e), level - 1, va, start, last, fn, arg);
		} else {
			ret = 0;
		}
		if (ret)
			return ret;
	}
	return 0;
}

int mm_walk(struct mm_struct *mm, unsigned long start, unsigned long end,
	    int (*fn)(const struct pt_leaf *leaf, void *arg), void *arg)
{
	return walk_level(mm->pgd, PGTABLE_LEVELS, 0, start, end ? end - 1 : ~0UL, fn, arg);
}

/* ---------------------------------------------------------------------
 * Address spaces.
 */

int pgtable_init(void)
{
	pgd_t *pgd = table_alloc(&init_mm);

	if (!pgd)
		return -ENOMEM;
	init_mm.nr_tables--;	/* the PGD is not counted as a lower table */
	for (unsigned int i = PGD_KERNEL_FIRST; i < PTRS_PER_TABLE; i++) {
		pte_t *table = table_alloc(&init_mm);

		if (!table)
			return -ENOMEM;	/* boot-time only: the caller panics */
		set_entry(&pgd[i], make_table_entry(table, KERNEL_HALF_START));
		kernel_tables[i - PGD_KERNEL_FIRST] = table;
	}
	init_mm.pgd = pgd;
	init_mm.pgd_phys = virt_to_phys(pgd);
	return 0;
}

int mm_create(struct mm_struct **out)
{
	struct mm_struct *mm = (void *)get_zeroed_page(GFP_KERNEL);
	pgd_t *pgd;

	if (!mm)
		goto nomem;
	pgd = table_alloc(mm);
	if (!pgd) {
		free_page((unsigned long)mm);
		goto nomem;
	}
	mm->nr_tables = 0;
	memcpy(&pgd[PGD_KERNEL_FIRST], &init_mm.pgd[PGD_KERNEL_FIRST],
	       (PTRS_PER_TABLE - PGD_KERNEL_FIRST) * sizeof(pgd_t));
	table_page_of(pgd)->units = PTRS_PER_TABLE - PGD_KERNEL_FIRST;
	spin_lock_init(&mm->lock);
	mm->pgd = pgd;
	mm->pgd_phys = virt_to_phys(pgd);
	mm->ctx_id = __atomic_fetch_add(&next_ctx_id, 1, __ATOMIC_RELAXED);
	mm->tlb_gen = 1;
	mm->pt_cache_tag = ~0UL;
	*out = mm;
	return 0;
nomem:
	pr_err("mm_create: out of memory (-ENOMEM)\n");
	return -ENOMEM;
}

static void free_lower(struct mm_struct *mm, pte_t *table, int level, struct list_head *dead)
{
	for (unsigned int i = 0; i < PTRS_PER_TABLE; i++) {
		pte_t e = table[i];

		if (level == PGTABLE_LEVELS && i >= PGD_KERNEL_FIRST)
			break;
		if (!pte_present(e))
			continue;
		if (!pt_leaf(e, level)) {
			pte_t *child = pt_table(e);

			free_lower(mm, child, level - 1, dead);
			table_page_of(child)->units = 0;
			table_defer_free(mm, child, dead);
		}
		table_page_of(&table[i])->units--;
		table[i] = __pte(0);
	}
}

int mm_destroy(struct mm_struct *mm)
{
	LIST_HEAD(dead);

	if (!mm || mm == &init_mm) {
		pr_err("mm_destroy: %s (-EINVAL)\n", mm ? "init_mm is permanent" : "NULL");
		return -EINVAL;
	}
	if (!cpumask_empty(&mm->cpus)) {
		pr_err("mm_destroy: address space still loaded on %u CPU(s) (-EBUSY)\n",
		       cpumask_weight(&mm->cpus));
		return -EBUSY;
	}
	/*
	 * No CPU has it loaded, and its ctx_id is never reused: stale PCID
	 * entries are flushed when their slot is given to another mm.
	 */
	free_lower(mm, mm->pgd, PGTABLE_LEVELS, &dead);
	WARN_ON(mm->nr_tables != 0);
	free_dead_tables(&dead);
	table_page_of(mm->pgd)->units = 0;
	page_set_type(virt_to_page(mm->pgd), PAGE_TYPE_BUDDY);
	free_page((unsigned long)mm->pgd);
	__atomic_fetch_sub(&pgtable_pages, 1, __ATOMIC_RELAXED);
	free_page((unsigned long)mm);
	return 0;
}
