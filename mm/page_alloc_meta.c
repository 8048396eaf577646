// SPDX-License-Identifier: GPL-2.0
/*
 * The page allocator's metadata on the nodes it describes.  mm_core_init()
 * allocates mem_map[] before the SRAT is read, as one boot block mapped at
 * VMEMMAP_START; once page_alloc_numa_init() has split the allocator into
 * nodes, each node's part moves onto that node's own memory, leaf by leaf
 * under the same virtual addresses (the free lists and every struct page
 * pointer stay valid); the bitmaps are copied to pages of the nodes they
 * describe.  Design: Documentation/mm/numa.rst.
 */
#define pr_fmt(fmt) "page_alloc: " fmt

#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/numa.h>
#include <exo/pgtable.h>
#include <exo/printk.h>
#include <exo/string.h>
#include <asm/irqflags.h>

#include "internal.h"

/*
 * The bitmaps move to 4 KiB pages mapped above mem_map[]'s 768 GiB, each
 * in a 2 GiB slot (one bit per frame of the 64 TiB direct map).
 */
#define BITMAPS_START	(VMEMMAP_START + (768UL << 30))
#define BITMAP_SLOT	((DIRECT_MAP_SIZE >> PAGE_SHIFT) / 8)
#define NR_BITMAPS	4

/*
 * Per node: bytes of its mem_map moved onto it, and bytes that could not
 * be; bitmap pages that went to another node for want of room.
 */
struct meta_moves {
	unsigned long moved[MAX_NUMNODES];
	unsigned long stuck[MAX_NUMNODES];
	int stuck_on[MAX_NUMNODES];
	unsigned long bitmap_stuck[MAX_NUMNODES];
};

static int leaf_size_cb(const struct pt_leaf *l, void *arg)
{
	*(unsigned long *)arg = l->size;
	return 0;
}

/* Size of the leaf that maps @va in init_mm, 0 if none. */
static unsigned long leaf_size(unsigned long va)
{
	unsigned long size = 0;

	mm_walk(&init_mm, va, va + 1, leaf_size_cb, &size);
	return size;
}

/* The node whose memory is behind kernel address @va, NUMA_NO_NODE if unmapped. */
static int backing_node(unsigned long va)
{
	phys_addr_t pa;

	if (translate(va, &pa))
		return NUMA_NO_NODE;
	return pfn_to_nid(PHYS_PFN(pa));
}

/*
 * The node a page of mem_map[] belongs on: that of the first frame whose
 * struct page starts in it (the tail past max_pfn: the last node's).
 * Monotonic in @va, since pfn_to_nid() is in the frame number.
 */
static int mem_map_page_node(unsigned long va)
{
	unsigned long pfn = (va - VMEMMAP_START) / sizeof(struct page);

	return pfn_to_nid(min(pfn, max_pfn - 1));
}

/*
 * Move the leaf at @va (@size bytes) onto node @nid: new frames there,
 * a copy, then one entry store (mm_remap_leaf()).  Nothing allocates or
 * frees between the copy and the switch, and only this CPU runs, so no
 * write to the leaf is lost.  The old frames, boot memory, go to the
 * allocator.
 */
static int __init move_leaf(unsigned long va, unsigned long size, int nid)
{
	unsigned int order = ilog2(size >> PAGE_SHIFT);
	struct page *pg = alloc_pages_node(nid, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, order);
	unsigned long flags;
	phys_addr_t old;
	int err;

	if (!pg)
		return -ENOMEM;
	if (translate(va, &old)) {
		__free_pages(pg, order);
		return -ENOENT;
	}
	flags = arch_local_irq_save();
	memcpy(page_address(pg), (void *)va, size);
	err = mm_remap_leaf(&init_mm, va, page_to_phys(pg));
	arch_local_irq_restore(flags);
	if (err) {
		__free_pages(pg, order);
		return err;
	}
	page_alloc_add_range(PHYS_PFN(old), PHYS_PFN(old) + (size >> PAGE_SHIFT));
	return 0;
}

static void __init mem_map_to_nodes(struct meta_moves *mv)
{
	unsigned long va = VMEMMAP_START, end = VMEMMAP_START + mem_map_bytes;

	while (va < end) {
		unsigned long size = leaf_size(va);
		int nid, cur;

		if (WARN_ON(!size))
			return;
		nid = mem_map_page_node(va);
		/*
		 * A leaf over two nodes' parts, or too big for one block
		 * (1 GiB): 4 KiB pages from here to the end of its 2 MiB.
		 * The same flags, so nothing else changes.
		 */
		if (size > PMD_SIZE || nid != mem_map_page_node(va + size - PAGE_SIZE)) {
			if (mm_protect_range(&init_mm, va, PAGE_SIZE, PAGE_WRITABLE)) {
				mv->stuck[nid] += size;
				mv->stuck_on[nid] = backing_node(va);
				va += size;
			}
			continue;
		}
		cur = backing_node(va);
		if (cur != nid) {
			if (move_leaf(va, size, nid)) {
				mv->stuck[nid] += size;
				mv->stuck_on[nid] = cur;
			} else {
				mv->moved[nid] += size;
			}
		}
		va += size;
	}
}

/* Unmap and free the first @bytes of a bitmap slot (a failed move). */
static void __init bitmap_unmap(unsigned long va, unsigned long bytes)
{
	for (unsigned long off = 0; off < bytes; off += PAGE_SIZE) {
		phys_addr_t pa;

		if (translate(va + off, &pa))
			break;
		unmap_page(va + off);
		free_frame(pa);
	}
}

/*
 * Map slot @idx with a page per 4 KiB of a @bytes-long bitmap, each on
 * the node of the first frame it describes (32768 frames a page, so a
 * page can cover the end of one node and the start of the next; the
 * next node's share is then remote).  Returns the slot, or 0 when out of
 * memory (nothing left mapped).
 */
static unsigned long __init bitmap_map(unsigned int idx, unsigned long bytes,
				       struct meta_moves *mv)
{
	unsigned long va = BITMAPS_START + idx * BITMAP_SLOT;

	for (unsigned long off = 0; off < bytes; off += PAGE_SIZE) {
		int nid = pfn_to_nid(min(off * 8, max_pfn - 1));
		struct page *pg = alloc_pages_node(nid, GFP_KERNEL | __GFP_THISNODE |
						   __GFP_NOWARN, 0);

		if (!pg) {
			/* The nearest node with room, as any allocation there would. */
			pg = alloc_pages_node(nid, GFP_KERNEL | __GFP_NOWARN, 0);
			mv->bitmap_stuck[nid]++;
		}
		if (!pg || map_page(va + off, page_to_phys(pg), PAGE_WRITABLE)) {
			if (pg)
				__free_pages(pg, 0);
			bitmap_unmap(va, off);
			return 0;
		}
	}
	return va;
}

/*
 * The allocator's bitmaps (alloc, free, managed, poison) onto the nodes
 * whose frames they describe.  Unlike mem_map[] nothing points into
 * them: each gets new pages, then, with nothing allocating, a copy and
 * its pointer switched; the old boot blocks go to the allocator.
 */
static void __init bitmaps_to_nodes(struct meta_moves *mv)
{
	unsigned long **maps[NR_BITMAPS] = {
		&page_alloc_map, &page_free_map, &page_managed_map, &page_poison_map
	};
	unsigned long bytes = ALIGN(DIV_ROUND_UP(max_pfn, BITS_PER_LONG) * sizeof(long),
				    PAGE_SIZE);
	unsigned long va[NR_BITMAPS] = { 0 }, *old[NR_BITMAPS], flags;
	unsigned int i;

	BUILD_BUG_ON(BITMAPS_START + NR_BITMAPS * BITMAP_SLOT > VMEMMAP_END);
	for (i = 0; i < NR_BITMAPS; i++) {
		if (!*maps[i])
			continue;
		va[i] = bitmap_map(i, bytes, mv);
		if (!va[i]) {
			pr_warn("NUMA: no memory to move the page bitmaps: left where they are\n");
			while (i--)
				if (va[i])
					bitmap_unmap(va[i], bytes);
			return;
		}
	}
	flags = arch_local_irq_save();
	for (i = 0; i < NR_BITMAPS; i++) {
		old[i] = *maps[i];
		if (!va[i])
			continue;
		memcpy((void *)va[i], old[i], bytes);
		WRITE_ONCE(*maps[i], (unsigned long *)va[i]);
	}
	arch_local_irq_restore(flags);
	for (i = 0; i < NR_BITMAPS; i++) {
		unsigned long pfn = PHYS_PFN(virt_to_phys(old[i]));

		if (va[i])
			page_alloc_add_range(pfn, pfn + bytes / PAGE_SIZE);
	}
}

/* Each node's metadata onto its memory; kernel-doc in mm/internal.h. */
void __init page_alloc_meta_to_nodes(void)
{
	static struct meta_moves mv __initdata;
	unsigned int i;
	int nid;

	if (pa_nr_nodes <= 1)
		return;
	memset(&mv, 0, sizeof(mv));
	mem_map_to_nodes(&mv);
	bitmaps_to_nodes(&mv);
	for_each_pa_node(i, nid) {
		if (mv.bitmap_stuck[nid])
			pr_warn("NUMA: no room on node %d for %lu page(s) of its bitmaps: nearest node's used\n",
				nid, mv.bitmap_stuck[nid]);
		if (mv.stuck[nid])
			pr_warn("NUMA: no room on node %d for %lu KiB of its mem_map: left on node %d\n",
				nid, mv.stuck[nid] >> 10, mv.stuck_on[nid]);
		if (mv.moved[nid])
			pr_info("NUMA: node %d: %lu KiB of mem_map moved onto it\n", nid,
				mv.moved[nid] >> 10);
	}
}
