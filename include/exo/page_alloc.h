/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The physical frame allocator (mm/page_alloc*.c, mm/internal.h): a buddy
 * allocator with zones and per-CPU caches.  See Documentation/mm/page_alloc.rst.
 *
 * Contract API (Exo-OS memory API): alloc_frame(), free_frame(),
 * alloc_contiguous(), free_contiguous().  Linux-like API on top:
 * alloc_pages()/__free_pages() on struct page, __get_free_pages()/free_pages()
 * on direct-map addresses.  Every function may be called on any CPU and from
 * interrupt context.  Every error is logged as one rate-limited line and
 * leaves the allocator exactly as it was.
 */
#ifndef _EXO_PAGE_ALLOC_H
#define _EXO_PAGE_ALLOC_H

#include <exo/types.h>
#include <exo/gfp.h>
#include <exo/mm_types.h>
#include <asm/page.h>

/* ---------------------------------------------------------------------
 * Metadata: mem_map[] has one struct page per frame of [0, max_pfn).
 */
extern struct page *mem_map;
/*
 * The boot block behind mem_map[] (x86: mapped at VMEMMAP_START with 2 MiB
 * pages; page_alloc_meta_to_nodes() moves the parts of other nodes out).
 * mem_map_bytes is 0 when mem_map[] is under 2 MiB and stays in the direct
 * map.
 */
extern phys_addr_t mem_map_phys;
extern u64 mem_map_bytes;
extern unsigned long max_pfn;
/*
 * 1 bit per frame, the allocation state: set on the first frame (head) of
 * every allocated block, clear everywhere else (see mm/internal.h).
 */
extern unsigned long *page_alloc_map;
/* 1 bit per frame: frame was handed to the allocator (RAM, not reserved). */
extern unsigned long *page_managed_map;

#define PFN_PHYS(pfn)	((phys_addr_t)(pfn) << PAGE_SHIFT)
#define PHYS_PFN(pa)	((unsigned long)((pa) >> PAGE_SHIFT))

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map);
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return mem_map + pfn;
}

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return PFN_PHYS(page_to_pfn(page));
}

static inline struct page *phys_to_page(phys_addr_t pa)
{
	return pfn_to_page(PHYS_PFN(pa));
}

/* Direct-map address of the frame. */
static inline void *page_address(const struct page *page)
{
	return phys_to_virt(page_to_phys(page));
}

/* struct page of a direct-map address (no check; see virt_to_head_page()). */
static inline struct page *virt_to_page(const void *addr)
{
	return phys_to_page(virt_to_phys(addr));
}

/**
 * pfn_valid() - is @pfn a RAM frame managed by the page allocator?
 * @pfn: any frame number
 *
 * Return: false for holes, reserved frames (kernel image, firmware, boot
 * allocations) and anything beyond the end of RAM.  O(1).
 */
static inline bool pfn_valid(unsigned long pfn)
{
	return pfn < max_pfn && ((READ_ONCE(page_managed_map[pfn >> 6]) >> (pfn & 63)) & 1);
}

/**
 * pfn_allocated() - does @pfn lie inside a currently allocated block?
 * @pfn: any frame number
 *
 * Frames cached per CPU or on the free lists are not allocated.
 * Return: true for every frame (head or not) of an allocated block.  O(1)
 * for a block head, at most MAX_ORDER + 1 bit tests otherwise.
 */
bool pfn_allocated(unsigned long pfn);

/**
 * pfn_is_block_head() - is @pfn the first frame of an allocated block?
 * @pfn: any frame number
 *
 * Return: true if so; the head's struct page then holds the order, the
 * owner type and the owner's private fields.  O(1).
 */
static inline bool pfn_is_block_head(unsigned long pfn)
{
	return pfn < max_pfn && ((READ_ONCE(page_alloc_map[pfn >> 6]) >> (pfn & 63)) & 1);
}

/**
 * pfn_to_block_head() - head of the allocated block containing @pfn
 * @pfn: any frame number
 *
 * Return: the head's struct page, or NULL if @pfn is not inside an
 * allocated block.  At most MAX_ORDER + 1 bit tests.
 */
struct page *pfn_to_block_head(unsigned long pfn);

/**
 * virt_to_head_page() - head of the allocated block holding a direct-map address
 * @addr: any pointer; foreign pointers are safe
 *
 * Return: the head's struct page, or NULL if @addr is not inside an
 * allocated block of RAM.  Use page_type() to check the owner.
 */
static inline struct page *virt_to_head_page(const void *addr)
{
	return pfn_to_block_head(PHYS_PFN(virt_to_phys(addr)));
}

/* Order of an allocated block, from its head. */
static inline unsigned int page_order(const struct page *page)
{
	return page->order;
}

/* Owner tag of an allocated block (PAGE_TYPE_BUDDY until the owner sets it). */
static inline enum page_type page_type(const struct page *page)
{
	return (enum page_type)page->type;
}

/*
 * Tag an allocated block with its owner.  The owner may then use lru,
 * private[] (or slab_cache/freelist/counters), flags and units of the head
 * until it frees the block; the allocator resets type, flags and units to
 * PAGE_TYPE_BUDDY, 0, 0 at allocation and does not clear the rest.
 */
static inline void page_set_type(struct page *page, enum page_type type)
{
	page->type = (u8)type;
}

/* ---------------------------------------------------------------------
 * Contract API
 */

/**
 * alloc_frame() - allocate one 4 KiB frame
 * @frame: where to store its physical address (4 KiB aligned)
 *
 * Served from this CPU's cache when possible (no lock, one atomic bit set),
 * else from the zones NORMAL, DMA32, DMA in that order.  On a fresh
 * allocator two consecutive calls return buddies: the second frame is the
 * first plus PAGE_SIZE.
 *
 * Return: 0, or -ENOMEM when no frame is left.
 */
int alloc_frame(phys_addr_t *frame);

/**
 * free_frame() - free one frame
 * @frame: physical address of a currently allocated frame; it may belong to
 *	   a larger allocated block, in which case only this frame is freed
 *
 * O(1) validation.  Return: 0; -EINVAL if @frame is not 4 KiB aligned;
 * -EFAULT if it is not RAM managed by the allocator (hole, reserved, beyond
 * RAM); -ENOENT if it is not currently allocated (double free).
 */
int free_frame(phys_addr_t frame);

/**
 * alloc_contiguous() - allocate physically contiguous frames
 * @count: number of frames, 1 .. 2^MAX_ORDER; need not be a power of two
 * @base: where to store the physical address of the first frame
 *
 * The base is aligned to the largest power of two <= @count pages.  A block
 * of 2^order_base_2(@count) frames is taken and the unused tail goes back
 * to the allocator at once.  The frames can be freed together with
 * free_contiguous() or one by one with free_frame().
 *
 * Return: 0; -EINVAL if @count is 0 or more than 2^MAX_ORDER; -ENOMEM if no
 * run of that size is free.
 */
int alloc_contiguous(size_t count, phys_addr_t *base);

/**
 * free_contiguous() - free a run of allocated frames
 * @base: physical address of the first frame
 * @count: number of frames, 1 .. 2^MAX_ORDER
 *
 * Any run of currently allocated frames is accepted, not only what one
 * alloc_contiguous() returned.  The whole run is checked before anything
 * is freed.
 *
 * Return: 0; -EINVAL for a misaligned @base or a bad @count; -EFAULT if a
 * frame of the run is not managed RAM; -ENOENT if a frame of the run is
 * not currently allocated.
 */
int free_contiguous(phys_addr_t base, size_t count);

/* ---------------------------------------------------------------------
 * Linux-like API
 */

/**
 * alloc_pages() - allocate a naturally aligned block of 2^@order frames
 * @gfp: GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT, GFP_DMA, GFP_DMA32, with
 *	 __GFP_ZERO/__GFP_NOWARN/__GFP_NOFAIL/__GFP_NORETRY (<exo/gfp.h>)
 * @order: 0 .. MAX_ORDER
 *
 * Without __GFP_ATOMIC, a failed first try also drains the other CPUs'
 * caches (when interrupts are on, outside interrupt context) and retries;
 * with __GFP_NORETRY it fails at once.
 * Return: the head's struct page (type PAGE_TYPE_BUDDY), or NULL if no
 * block is free in the allowed zones or @order is too large; NULL with a
 * WARN for a __GFP_NOFAIL request that gfp_nofail_refused() turns down
 * or that still fails after the retry.
 *
 * alloc_pages() is also a macro (below): with an @order the compiler
 * knows, 0-3 or 9, it calls alloc_pages_order0() .. alloc_pages_order9()
 * instead, which do the same without testing the order at run time; any
 * other order calls this function.  ``(alloc_pages)(gfp, order)`` and
 * ``&alloc_pages`` name the exported function itself.  Being a
 * function-like macro, it also expands in an unrelated call such as
 * ``ops->alloc_pages(a, b)`` of a struct member of that name: write
 * ``(ops->alloc_pages)(a, b)`` or pick another member name.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order);

/* Memory nodes of the page allocator: 1 without NUMA (Documentation/mm/numa.rst). */
extern unsigned int pa_nr_nodes;

/**
 * numa_mem_id() - this CPU's memory node
 * Return: its node, or the nearest node with memory for a CPU of a
 * memoryless node (Linux's numa_mem_id()); 0 without NUMA.
 */
int numa_mem_id(void);

/**
 * cpu_to_mem() - a CPU's memory node
 * @cpu: CPU number
 * Return: the node whose memory CPU @cpu allocates from first (its own,
 * or the nearest node with memory for a CPU of a memoryless node; 0
 * before the NUMA split), NUMA_NO_NODE for @cpu >= NR_CPUS.
 */
int cpu_to_mem(unsigned int cpu);

/**
 * numa_node_mem() - the memory node that serves a node's allocations
 * @nid: node number
 * Return: @nid if it has memory, the nearest node with memory for a
 * memoryless node, NUMA_NO_NODE if @nid is not an online node.
 */
int numa_node_mem(int nid);

/**
 * alloc_pages_node() - alloc_pages() from a given NUMA node first
 * @nid: the node (<exo/numa.h>); NUMA_NO_NODE for this CPU's node, the
 *       nearest node with memory for a memoryless node
 * @gfp: as alloc_pages(); __GFP_THISNODE: no fallback to other nodes
 * @order: as alloc_pages()
 *
 * From @nid's memory while it has free blocks the zones of @gfp allow,
 * then from the other nodes in distance order (SLIT).  Only the CPU's own
 * node is served by its per-CPU cache.  Counted in numastat.
 * Return: the head page, or NULL (logged unless __GFP_NOWARN) when @nid is
 * not an online node or nothing is free.
 */
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order);

/**
 * __free_pages() - free a block from alloc_pages()
 * @page: its head
 * @order: the order it was allocated with
 *
 * O(1) when @page heads an allocated block of that @order.  Anything else
 * is handled exactly as free_contiguous(page_to_phys(@page), 1 << @order):
 * a run of allocated frames is freed, a bad run is refused and logged.
 *
 * __free_pages() is also a macro, as alloc_pages(): a constant @order of
 * 0-3 or 9 calls __free_pages_order0() .. __free_pages_order9(), any
 * other this function; ``(__free_pages)(page, order)`` and
 * ``&__free_pages`` name the function, and a struct member called as
 * ``ops->__free_pages(a, b)`` would expand the same way.
 */
void __free_pages(struct page *page, unsigned int order);

/**
 * __get_free_pages() - alloc_pages() returning a direct-map address
 * Return: the address, or 0 on failure.
 */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);

/**
 * get_zeroed_page() - one zeroed frame, as a direct-map address
 * Return: the address, or 0 on failure.
 */
unsigned long get_zeroed_page(gfp_t gfp);

/**
 * free_pages() - free a block from __get_free_pages()
 * @addr: its direct-map address; 0 is ignored
 * @order: its order
 */
void free_pages(unsigned long addr, unsigned int order);

/*
 * alloc_pages() and __free_pages() compiled for each order the per-CPU
 * caches serve (0-3 and PCP_HUGE_ORDER, 9), which the macros below call
 * for a constant order: the cache hit then has no dispatch on the order.
 * Exported for modules, whose constant-order calls reach them the same way.
 */

/**
 * alloc_pages_order0() - alloc_pages(@gfp, 0) with no test of the order
 * @gfp: as alloc_pages()
 *
 * What alloc_pages(@gfp, 0) and alloc_page(@gfp) call.
 * Return: as alloc_pages().
 */
struct page *alloc_pages_order0(gfp_t gfp);

/**
 * alloc_pages_order1() - alloc_pages(@gfp, 1) with no test of the order
 * @gfp: as alloc_pages()
 * Return: as alloc_pages().
 */
struct page *alloc_pages_order1(gfp_t gfp);

/**
 * alloc_pages_order2() - alloc_pages(@gfp, 2) with no test of the order
 * @gfp: as alloc_pages()
 * Return: as alloc_pages().
 */
struct page *alloc_pages_order2(gfp_t gfp);

/**
 * alloc_pages_order3() - alloc_pages(@gfp, 3) with no test of the order
 * @gfp: as alloc_pages()
 * Return: as alloc_pages().
 */
struct page *alloc_pages_order3(gfp_t gfp);

/**
 * alloc_pages_order9() - alloc_pages(@gfp, 9) with no test of the order
 * @gfp: as alloc_pages()
 *
 * Order 9 (2 MiB) is PCP_HUGE_ORDER, the per-CPU cache of huge blocks.
 * Return: as alloc_pages().
 */
struct page *alloc_pages_order9(gfp_t gfp);

/**
 * __free_pages_order0() - __free_pages(@page, 0) with no test of the order
 * @page: as __free_pages()
 *
 * What __free_pages(@page, 0) and __free_page(@page) call.
 */
void __free_pages_order0(struct page *page);

/**
 * __free_pages_order1() - __free_pages(@page, 1) with no test of the order
 * @page: as __free_pages()
 */
void __free_pages_order1(struct page *page);

/**
 * __free_pages_order2() - __free_pages(@page, 2) with no test of the order
 * @page: as __free_pages()
 */
void __free_pages_order2(struct page *page);

/**
 * __free_pages_order3() - __free_pages(@page, 3) with no test of the order
 * @page: as __free_pages()
 */
void __free_pages_order3(struct page *page);

/**
 * __free_pages_order9() - __free_pages(@page, 9) with no test of the order
 * @page: as __free_pages(); order 9 is PCP_HUGE_ORDER
 */
void __free_pages_order9(struct page *page);

/*
 * The alloc_pages() macro's constant-order case: @order is a compile-time
 * constant here, so the switch folds to one call, the order's copy for a
 * cached order and the alloc_pages() function (parenthesised: not the
 * macro again) for any other.  Keep the cases in step with the
 * PAGES_ORDER_FNS() list of mm/page_alloc.c.
 */
static __always_inline struct page *__alloc_pages_const(gfp_t gfp, unsigned int order)
{
	switch (order) {
	case 0: return alloc_pages_order0(gfp);
	case 1: return alloc_pages_order1(gfp);
	case 2: return alloc_pages_order2(gfp);
	case 3: return alloc_pages_order3(gfp);
	case 9: return alloc_pages_order9(gfp);
	default: return (alloc_pages)(gfp, order);
	}
}

/* The same for the __free_pages() macro. */
static __always_inline void __free_pages_const(struct page *page, unsigned int order)
{
	switch (order) {
	case 0: __free_pages_order0(page); break;
	case 1: __free_pages_order1(page); break;
	case 2: __free_pages_order2(page); break;
	case 3: __free_pages_order3(page); break;
	case 9: __free_pages_order9(page); break;
	default: (__free_pages)(page, order); break;
	}
}

/*
 * A constant order goes to __*_pages_const(), any other to the function.
 * Function-like macros: see alloc_pages() for the hazard of a struct
 * member of the same name.
 */
#define alloc_pages(gfp, order)							\
	(__builtin_constant_p(order) ? __alloc_pages_const(gfp, order) :	\
	 (alloc_pages)(gfp, order))
#define __free_pages(page, order)						\
	(__builtin_constant_p(order) ? __free_pages_const(page, order) :	\
	 (__free_pages)(page, order))

#define alloc_page(gfp)		alloc_pages(gfp, 0)
#define __free_page(page)	__free_pages(page, 0)
#define __get_free_page(gfp)	__get_free_pages(gfp, 0)
#define free_page(addr)		free_pages(addr, 0)

/* ---------------------------------------------------------------------
 * Per-CPU caches
 */

/**
 * drain_local_pages() - give this CPU's cached blocks back to the zones
 *
 * The drain hook's caches (page_alloc_set_drain_hook()) first, then the
 * per-CPU rings.  Safe from any context; this is what an IPI handler calls.
 */
void drain_local_pages(void);

/**
 * page_alloc_set_drain_hook() - register a cache of blocks to empty first
 * @fn: empties this CPU's cache of whole blocks with __free_pages(), any
 *	context, interrupts off; or NULL for none
 *
 * The slab's large-block caches: drain_local_pages(), and so the drain IPI
 * and the last try before an allocation fails, empty them too, so that no
 * free memory stays out of reach of a failing allocation.  One hook;
 * page_alloc_init() resets it to NULL.
 */
void page_alloc_set_drain_hook(void (*fn)(void));

/**
 * drain_cpu_pages() - drain the cache of a CPU that is not running
 * @cpu: a CPU that is offline, or whose only user is the caller (hosted
 *	 test threads that have finished)
 */
void drain_cpu_pages(unsigned int cpu);

/**
 * drain_remote_pages() - make every other online CPU drain its own caches
 *
 * Sends drain_local_pages() to every other online CPU with
 * smp_call_function_many() and waits: only a cache's own CPU ever touches
 * it.  Called by the allocator only with interrupts enabled, outside
 * interrupt context, and never for __GFP_ATOMIC allocations.
 */
void drain_remote_pages(void);

/**
 * drain_all_pages() - drain this CPU and (if allowed) all others
 *
 * The allocator calls it before failing an allocation.
 */
void drain_all_pages(void);

/* ---------------------------------------------------------------------
 * Statistics and diagnostics
 */
struct page_alloc_zone_stats {
	const char *name;
	unsigned long start_pfn, end_pfn;	/* span */
	unsigned long managed;			/* pages handed to the zone */
	unsigned long free;			/* pages on the free lists */
	unsigned long pcp;			/* pages in per-CPU caches */
	unsigned long nr_free[NR_ORDERS];	/* free blocks per order */
};

struct page_alloc_stats {
	struct page_alloc_zone_stats zone[MAX_NR_ZONES];
	struct page_alloc_cpu_stats events;	/* summed over the CPUs */
	unsigned long managed;			/* pages */
	unsigned long free;			/* pages, buddy + per-CPU */
	unsigned long pcp;			/* pages in per-CPU caches */
	unsigned long poison_errors;		/* use-after-free writes found */
	unsigned long metadata_bytes;		/* mem_map + bitmaps */
};

/* Linux's per-node numastat counters (page_alloc_numa_stats()). */
struct numa_node_stats {
	unsigned long numa_hit;		/* allocated here, as asked */
	unsigned long numa_miss;	/* allocated here, another node was asked */
	unsigned long numa_foreign;	/* asked of this node, allocated elsewhere */
	unsigned long local_node;	/* allocated here by a CPU of this node */
	unsigned long other_node;	/* allocated here by a CPU of another node */
};

/**
 * page_alloc_numa_stats() - numastat counters of a node
 * @nid: node number
 * @st: filled in (all zero for a node without allocations or invalid)
 *
 * Summed over the nodes: numa_hit + numa_miss == local_node + other_node
 * == allocations, numa_miss == numa_foreign.  A racy snapshot.
 */
void page_alloc_numa_stats(int nid, struct numa_node_stats *st);

/**
 * node_free_pages() - free pages of a memory node: lists plus its CPUs' caches
 * @nid: node number
 * Return: the count (racy snapshot); 0 for a node without memory or invalid.
 */
unsigned long node_free_pages(int nid);

/**
 * node_managed_pages() - pages handed to a node's zones
 * @nid: node number
 * Return: the count; 0 for a node without memory or invalid.
 */
unsigned long node_managed_pages(int nid);

/*
 * Where an allocator node's own structures lie (page_alloc_node_data()):
 * its descriptor (Linux's pg_data_t) and its zones with their free areas.
 */
struct node_data_place {
	const void *pgdat;
	size_t pgdat_size;
	const void *zones;
	size_t zones_size;
};

/**
 * page_alloc_node_data() - the addresses of a memory node's allocator structures
 * @nid: the node
 * @place: filled with the addresses and sizes of its descriptor and zones
 *
 * For tests and diagnostics: each memory node's structures lie on its own
 * memory (Documentation/mm/numa.rst, "Placement").
 * Return: 0; -EINVAL if @nid is not a node number; -ENOENT if the page
 * allocator has no node @nid (a memoryless or offline node, or a node
 * whose memory another one manages).
 */
int page_alloc_node_data(int nid, struct node_data_place *place);

/**
 * page_to_nid() - the node of a page's memory
 * @page: a page of mem_map
 * Return: its node (0 without NUMA).
 */
int page_to_nid(const struct page *page);

/**
 * page_alloc_numa_init() - give each NUMA node its own zones
 *
 * Called once on the boot CPU after numa_init() and before the APs start:
 * moves the free blocks of each memory node's frames to that node's
 * zones, the node's part of mem_map[] onto its memory, and sets each
 * CPU's memory node.  One memory node (or a layout
 * whose node boundaries are not aligned to MAX_ORDER_NR_PAGES or whose
 * nodes interleave, logged) keeps node 0's zones for everything.
 */
void page_alloc_numa_init(void);

/**
 * nr_free_pages() - free frames: on the free lists plus in per-CPU caches
 * Return: the number of free 4 KiB frames (racy snapshot).
 */
unsigned long nr_free_pages(void);

/**
 * page_alloc_get_stats() - snapshot of every counter (per zone, summed CPUs)
 * @st: filled in
 */
void page_alloc_get_stats(struct page_alloc_stats *st);

/**
 * page_alloc_cpu_stats() - one CPU's event counters and cached pages
 * @cpu: CPU number
 * @st: filled in (zeroes if the CPU never used the allocator)
 *
 * Return: pages currently in @cpu's per-CPU caches.
 */
unsigned long page_alloc_cpu_stats(unsigned int cpu, struct page_alloc_cpu_stats *st);

/* Print free blocks per order and zone, like /proc/buddyinfo. */
void page_alloc_show_buddyinfo(void);
/* Print totals, per-zone figures and event counters, like /proc/meminfo. */
void page_alloc_show_meminfo(void);

/**
 * page_alloc_check() - verify every invariant of the free lists and bitmaps
 *
 * Takes each zone lock in turn; O(pages / 32).  Prints the first problems.
 * Return: the number of violations found (0 when consistent).
 */
unsigned long page_alloc_check(void);

/**
 * page_alloc_check_pfn() - local check of the block around one frame
 * @pfn: any frame number (frames that are not managed RAM pass)
 *
 * If @pfn lies in a free block on the buddy lists: the block is aligned,
 * inside its zone, holds no other head, and its buddy is not a free block
 * of the same order.  No frame is both an allocated and a free head.
 * O(MAX_ORDER + block size / 64).
 * Return: 0 when consistent, -EBADMSG otherwise (and one line is printed).
 */
int page_alloc_check_pfn(unsigned long pfn);

/*
 * A fingerprint of the free lists: per zone and order, the number of free
 * blocks and an order-independent hash of their head frames.  Two equal
 * fingerprints mean (up to 2^-64) the same set of free blocks.
 */
struct free_area_fingerprint {
	unsigned long nr[MAX_NR_ZONES][NR_ORDERS];
	u64 hash[MAX_NR_ZONES][NR_ORDERS];
};

void page_alloc_fingerprint(struct free_area_fingerprint *fp);

/**
 * page_poison_enable() - turn page poisoning on or off at run time
 * @on: poison frames when they are freed
 *
 * Only with CONFIG_PAGE_POISONING; allocation always verifies frames that
 * were poisoned, so toggling never produces false reports.
 * Return: the previous setting.
 */
bool page_poison_enable(bool on);

/* ---------------------------------------------------------------------
 * Initialisation
 */

/**
 * page_alloc_init() - build the zones and hand them all free RAM
 *
 * Call once after memblock_init() and after the direct map covers all RAM:
 * allocates mem_map and the bitmaps with memblock_alloc(), then calls
 * memblock_release_to_buddy().  Never touches a struct page per frame.
 */
void page_alloc_init(void);

/**
 * page_alloc_add_range() - hand free frames [@start_pfn, @end_pfn) to the zones
 * @start_pfn: first frame
 * @end_pfn: end (exclusive); clipped to max_pfn
 *
 * Used by memblock_release_to_buddy(), and by free_initmem() for the
 * __init sections (frames reserved so far, never allocated).  The range is
 * split at zone boundaries and inserted as whole aligned blocks.
 * Return: the number of frames added.
 */
unsigned long page_alloc_add_range(unsigned long start_pfn, unsigned long end_pfn);

#endif /* _EXO_PAGE_ALLOC_H */
