// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel allocator's set-up: cache geometry, the class map and
 * kmem_cache_init(), which builds the kmalloc caches at boot (and again
 * for each hosted test).  Design and invariants: slab.h.
 */
#define pr_fmt(fmt) "slab: " fmt
/* Inside the allocator kmalloc()/kfree() are the exported ones, not inline copies. */
#define SLAB_OUT_OF_LINE

#include <exo/errno.h>
#include <exo/init.h>
#include <exo/memblock.h>
#include <exo/pgtable.h>
#include <exo/string.h>

#include "slab.h"

static const char *const kmalloc_names[NR_KMALLOC] = {
	"kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-128", "kmalloc-256",
	"kmalloc-512", "kmalloc-1k", "kmalloc-2k", "kmalloc-4k",
};

static unsigned long slab_map_pages;

#ifdef CONFIG_SLAB_TIER_PERCPU
/*
 * A re-initialisation (the hosted tests start over): every CPU's array of
 * kmalloc class @k empty, its statistics cleared, as the memset of a typed
 * cache clears its embedded arrays.
 */
static void kmalloc_ac_reset(unsigned int k)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!cpu_has_area(cpu))
			continue;
		memset(per_cpu_ptr(&kmalloc_ac[k], cpu), 0, sizeof(struct array_cache));
		per_cpu_ptr(&kmalloc_t2, cpu)->top[KT2_IDX(k)] = KT2_BASE(k);
		per_cpu_ptr(&kmalloc_t2, cpu)->hits[KT2_IDX(k)] = 0;
	}
}
#endif

/* ---------------------------------------------------------------------
 * Cache geometry
 */

/* The largest tier-1 class, and the objects each of its slabs holds at least. */
#define T1_MAX_SIZE		(16UL << (NR_T1 - 1))
#define T1_MIN_SLAB_OBJS	64

/* Geometry of @c from size/align; false if it does not fit a slab. */

bool cache_layout(struct kmem_cache *c, size_t size, size_t align, bool kmalloc_class,
		  bool ctor)
{
	size_t sz = ALIGN(size, align), pad = 0, stride;

	if (DEBUG)
		pad = kmalloc_class ? max_t(size_t, size, 64) : ALIGN((size_t)64, align);
	else if (ctor)
		pad = ALIGN(sizeof(void *), align);	/* the link must not hit constructed state */
	stride = sz + pad;
	c->size = (unsigned int)size;
	c->stride = (unsigned int)stride;
	c->order = order_base_2(DIV_ROUND_UP(stride, PAGE_SIZE));
	/*
	 * A tier-1 class refills a thread list with a whole slab, and the
	 * list then cycles through that many objects between two trips out
	 * of line (Documentation/mm/slab.rst): give its slabs at least
	 * T1_MIN_SLAB_OBJS objects, as SLUB's slab order does for small
	 * objects, not the 16 of a 4 KiB page of 256-byte objects.
	 */
	if (TIER1 && kmalloc_class && !DEBUG && size <= T1_MAX_SIZE)
		while ((PAGE_SIZE << c->order) / stride < T1_MIN_SLAB_OBJS &&
		       c->order < MAX_SLAB_ORDER)
			c->order++;
	if (c->order > MAX_SLAB_ORDER)
		return false;
	c->objs = (unsigned int)((PAGE_SIZE << c->order) / stride);
	c->pfn_mask = ~((1UL << c->order) - 1);
	c->off_mask = (PAGE_SIZE << c->order) - 1;
	c->objs_end = (unsigned long)c->objs * stride;
	/* Lemire's divisibility test: exact for any off below 2^32. */
	c->stride_magic = ~0UL / stride + 1;
	if (DEBUG)
		c->link_off = (unsigned int)(sz + offsetof(struct slab_track, link));
	else
		c->link_off = ctor ? (unsigned int)sz : 0;
	return true;
}

/* ---------------------------------------------------------------------
 * Initialisation
 */

#ifndef __HOSTED__
/* Frames covered by one 2 MiB page of the class map: 8 GiB of address space. */
#define MAP_CHUNK_PAGES		(PMD_SIZE / PAGE_SIZE)
#define MAP_CHUNK_FRAMES	(PMD_SIZE * 1UL)

/* Is any frame of [@start, @end) RAM? */
static bool ram_in(unsigned long start, unsigned long end)
{
	phys_addr_t base;
	u64 size;

	for (unsigned int i = 0; memblock_memory_region(i, &base, &size); i++)
		if (PHYS_PFN(base) < end && PHYS_PFN(base + size - 1) >= start)
			return true;
	return false;
}

/*
 * The class map is virtually contiguous at SLAB_CLASS_MAP_START, so that
 * no machine size needs one physically contiguous block for it (one byte
 * per frame is 256 MiB for 1 TiB, and one buddy block holds at most
 * 2^MAX_ORDER pages).  It is built in 2 MiB pieces, each covering 8 GiB of
 * the physical address space: a piece over RAM gets a buddy block of its
 * own (smaller ones if memory is fragmented) filled with CLS_NONE; a piece
 * over a hole without any RAM (AMD machines of 1 TiB and more have one of
 * about 1 TiB below their RAM) shares one read-only block of CLS_NONE,
 * since no slab ever lives there.  Returns the bytes filled.
 */
static long class_map_alloc(unsigned long pages)
{
	phys_addr_t none = 0;
	unsigned long done = 0;
	long filled = 0;

	if (pages > (SLAB_CLASS_MAP_END - SLAB_CLASS_MAP_START) / PAGE_SIZE)
		return -E2BIG;
	while (done < pages) {
		unsigned long va = SLAB_CLASS_MAP_START + done * PAGE_SIZE;
		unsigned long n = min(pages - done, MAP_CHUNK_PAGES - done % MAP_CHUNK_PAGES);
		unsigned long first = done * PAGE_SIZE;
		phys_addr_t pa;
		int err;

		if (n == MAP_CHUNK_PAGES && !ram_in(first, first + MAP_CHUNK_FRAMES)) {
			if (!none) {
				err = alloc_contiguous(MAP_CHUNK_PAGES, &none);
				if (err)
					return err;
				memset64(phys_to_virt(none), 0x0101010101010101ULL * CLS_NONE,
					 PMD_SIZE / 8);
			}
			err = map_page(va, none, PAGE_HUGE_2M);
			if (err)
				return err;
			done += n;
			continue;
		}
		while ((err = alloc_contiguous(n, &pa)) == -ENOMEM && n > 1)
			n = 1UL << ilog2(n - 1);
		if (err)
			return err;
		err = map_range(va, pa, n * PAGE_SIZE, PAGE_WRITABLE);
		if (err) {
			free_contiguous(pa, n);
			return err;
		}
		memset64((u64 *)va, 0x0101010101010101ULL * CLS_NONE, n * PAGE_SIZE / 8);
		filled += n * PAGE_SIZE;
		done += n;
	}
	slab_class_map = (u8 *)SLAB_CLASS_MAP_START;
	return filled;
}
#else
/* Hosted: a small machine, the map in one block of its arena. */
static long class_map_alloc(unsigned long pages)
{
	phys_addr_t pa;
	int err = alloc_contiguous(pages, &pa);

	if (err)
		return err;
	slab_class_map = phys_to_virt(pa);
	memset64((u64 *)slab_class_map, 0x0101010101010101ULL * CLS_NONE, pages * PAGE_SIZE / 8);
	return pages * PAGE_SIZE;
}
#endif

void kmem_cache_init(void)
{
	/* The built-in caches are .bss: only a hosted re-init must clear them. */
	bool reinit = slab_ready;
	long map_bytes;

	slab_rs = (struct ratelimit_state){ 0 };
	INIT_LIST_HEAD(&slab_caches);
	slab_map_pfns = max_pfn;
#ifdef __HOSTED__
	slab_pfn_bias = (unsigned long)hosted_ram_base >> PAGE_SHIFT;
	BUG_ON(slab_pfn_bias << PAGE_SHIFT != (unsigned long)hosted_ram_base);
#else
	slab_pfn_bias = PAGE_OFFSET >> PAGE_SHIFT;
#endif
	slab_map_pages = DIV_ROUND_UP(max_pfn, PAGE_SIZE);
	map_bytes = class_map_alloc(slab_map_pages);
	if (map_bytes < 0)
		panic("slab: no memory for the class map (%lu pages): %ld", slab_map_pages,
		      map_bytes);

	for (unsigned int i = 0; i < NR_CLS; i++)
		slab_t1_free_mask[i] = t1_obj_mask[i] = t2_free_mask[i] = t2_obj_mask[i] = ~0UL;
	for (unsigned int i = 0; i < NR_KMALLOC; i++) {
		struct kmem_cache *c = &kmalloc_caches[i];
		size_t size = 16UL << i;
		unsigned int kflags = SLAB_KMALLOC;

		if (reinit)
			memset(c, 0, sizeof(*c));
		BUG_ON(!cache_layout(c, size, size, true, false));
		c->cls = i;
#ifdef CONFIG_SLAB_TIER_PERCPU
		/* Only the hosted tests start over: no code for it in the kernel. */
		if (IS_ENABLED(CONFIG_HOSTED) && reinit)
			kmalloc_ac_reset(i);
		c->pcpu_ac = &kmalloc_ac[i];
		kflags |= SLAB_KMALLOC_AC;
#endif
		cache_init(c, kmalloc_names[i], kflags, NULL);
		if (TIER1 && i < NR_T1) {
			c->t1 = (int)i;
			if (!DEBUG)
				slab_t1_free_mask[i] = t1_obj_mask[i] = size - 1;
		} else if (TIER2 && i >= NR_T1 && !DEBUG) {
			t2_free_mask[i] = t2_obj_mask[i] = size - 1;
		}
	}
	if (reinit)
		memset(&tcache_cache, 0, sizeof(tcache_cache));
	BUG_ON(!cache_layout(&tcache_cache, sizeof(struct slab_tcache), 64, false, false));
	tcache_cache.cls = CLS_TYPED + tcache_cache.order;
	cache_init(&tcache_cache, "slab_tcache", 0, NULL);
	slab_tcache_init();
	large_pages = 0;
	large_cache_init();
	slab_remote_init();
	WRITE_ONCE(slab_ready, true);
	pr_info("kmalloc: 16..4096 B in %u slab classes (tier 1 %s <= 256 B, tier 2 %s), class map %lu KiB (%ld KiB over RAM)%s\n",
		NR_KMALLOC, TIER1 ? "on" : "off", TIER2 ? "on" : "off",
		(slab_map_pages * PAGE_SIZE) >> 10, map_bytes >> 10, DEBUG ? ", debugging on" : "");
}
