/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memblock: the boot-time physical memory map (mm/memblock.c).
 *
 * Built from struct boot_info: the loader's usable ranges minus everything
 * that must never be handed out (firmware ranges, the kernel image, the
 * loader's information block, boot modules, the first 1 MiB).  Early code
 * allocates from it with memblock_alloc(); page_alloc_init() then hands every
 * remaining free range to the buddy allocator and memblock stops allocating
 * (except below 1 MiB: memblock_alloc_low() keeps working for the SMP
 * trampoline).  All sizes and addresses are rounded to whole pages.
 */
#ifndef _EXO_MEMBLOCK_H
#define _EXO_MEMBLOCK_H

#include <exo/types.h>
#include <exo/bootinfo.h>

#define MEMBLOCK_MAX_REGIONS	128
/* Below this the memory stays with memblock (BIOS data, real-mode code). */
#define MEMBLOCK_LOW_LIMIT	(1ULL << 20)
/* Architectural maximum physical address: map entries beyond it are absurd. */
#define MEMBLOCK_MAX_PHYS	(1ULL << 52)
/* RAM the direct map can cover (64 TiB); usable RAM beyond it is ignored. */
#define MEMBLOCK_MAX_RAM	(1ULL << 46)
#define MEMBLOCK_ALLOC_ANYWHERE	(~0ULL)

/**
 * memblock_init() - build the memory map and the boot reservations
 * @bi: the boot information (memory map, modules, loader block)
 *
 * Entries may be unsorted and overlapping; usable ranges are merged, then
 * every non-usable entry is cut out of them (firmware wins).  Zero-length,
 * wrapping and beyond-2^52 entries are ignored, each with one warning.
 * Reserves the first 1 MiB, the kernel image, the loader's information
 * block and the boot modules.
 */
void memblock_init(const struct boot_info *bi);

/**
 * memblock_reserve() - keep [@base, @base + @size) away from any allocator
 * @base: physical address
 * @size: bytes (the range is widened to whole pages)
 * @why: name shown by memblock_dump(); must stay valid
 *
 * After memblock_release_to_buddy() only ranges that the buddy never got
 * (below 1 MiB or already reserved) can be reserved.
 * Return: 0; -EINVAL for a zero size or a wrapping range; -ENOSPC when the
 * table is full; -EBUSY when the range already belongs to the buddy.
 */
int memblock_reserve(phys_addr_t base, u64 size, const char *why);

/**
 * memblock_alloc() - allocate boot memory anywhere (highest address first)
 * @size: bytes, rounded up to pages
 * @align: power of two, at least PAGE_SIZE is used
 *
 * The memory is not zeroed (the direct map may not exist yet).
 * Return: its physical address, or 0 if nothing fits or the buddy
 * allocator has already taken over.
 */
phys_addr_t memblock_alloc(u64 size, u64 align);

/**
 * memblock_alloc_range() - memblock_alloc() inside [@min, @max)
 * @size: bytes
 * @align: power of two
 * @min: lowest acceptable address
 * @max: end of the acceptable range (MEMBLOCK_ALLOC_ANYWHERE: no limit)
 * @why: reservation name for memblock_dump()
 *
 * Return: physical address or 0.
 */
phys_addr_t memblock_alloc_range(u64 size, u64 align, phys_addr_t min,
				 phys_addr_t max, const char *why);

/**
 * memblock_alloc_low() - allocate usable memory below 1 MiB
 * @size: bytes
 * @align: power of two
 * @why: reservation name
 *
 * For real-mode code such as the SMP trampoline.  Never returns page 0.
 * Works before and after memblock_release_to_buddy().
 * Return: physical address or 0.
 */
phys_addr_t memblock_alloc_low(u64 size, u64 align, const char *why);

/* Print the memory ranges and every reservation with its reason. */
void memblock_dump(void);

/* Bytes of usable RAM in the map (reservations included). */
u64 memblock_phys_mem_size(void);

/* Bytes reserved (overlaps counted once). */
u64 memblock_reserved_size(void);

/* End (exclusive) of the highest usable range; 0 without RAM. */
phys_addr_t memblock_end_of_ram(void);

/**
 * memblock_memory_region() - the @idx-th usable range, in address order
 * @idx: 0, 1, ...
 * @base: its start
 * @size: its size
 *
 * For the direct map: every byte of RAM lies in one of these ranges.
 * Return: false past the last range.
 */
bool memblock_memory_region(unsigned int idx, phys_addr_t *base, u64 *size);

/**
 * memblock_set_node() - give the usable RAM in [@base, @base + @size) to a node
 * @base: physical address
 * @size: bytes
 * @nid: node number, below MAX_NUMNODES
 *
 * Linux's memblock_set_node() on the memory type (the only type here that
 * carries nodes).  The range is widened to whole pages; regions that
 * straddle either end are split first, so the node boundary falls between
 * two regions.  Every region starts on
 * node 0; the SRAT code (numa_init()) sets the real nodes.
 * Return: 0; -EINVAL (logged) for an empty or wrapping range or a bad
 * node; -ENOSPC (logged, nothing changed) when the table has no room for
 * the splits.
 */
int memblock_set_node(phys_addr_t base, u64 size, int nid);

/**
 * memblock_get_region_node() - the node of the @idx-th usable range
 * @idx: as for memblock_memory_region()
 * Return: the node, or NUMA_NO_NODE (-1) past the last range.
 */
int memblock_get_region_node(unsigned int idx);

/**
 * __next_mem_pfn_range() - step of for_each_mem_pfn_range()
 * @idx: iterator: -1 to start, -1 again after the last range
 * @nid: the node to list, or MAX_NUMNODES for every node
 * @out_start_pfn: first whole page of the range (may be NULL)
 * @out_end_pfn: page after the last whole page (may be NULL)
 * @out_nid: the range's node (may be NULL)
 *
 * Ranges holding no whole page are skipped.
 */
void __next_mem_pfn_range(int *idx, int nid, unsigned long *out_start_pfn,
			  unsigned long *out_end_pfn, int *out_nid);

/*
 * for_each_mem_pfn_range() - the usable ranges of node @nid (MAX_NUMNODES:
 * all) in address order, as page frame numbers [*@p_start, *@p_end).
 */
#define for_each_mem_pfn_range(i, nid, p_start, p_end, p_nid)		\
	for (i = -1, __next_mem_pfn_range(&i, nid, p_start, p_end, p_nid);	\
	     i >= 0; __next_mem_pfn_range(&i, nid, p_start, p_end, p_nid))

/**
 * memblock_release_to_buddy() - hand every free range to the page allocator
 *
 * Called by page_alloc_init().  Ranges go over as whole aligned blocks
 * (page_alloc_add_range()); memblock_alloc() fails from then on.
 * Return: the number of frames handed over.
 */
unsigned long memblock_release_to_buddy(void);

#endif /* _EXO_MEMBLOCK_H */
