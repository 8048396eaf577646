/* SPDX-License-Identifier: GPL-2.0 */
/*
 * swiotlb: the bounce-buffer pool of the direct DMA mapping
 * (kernel/dma/swiotlb.c, Documentation/dma.rst).
 *
 * A physically contiguous pool, reserved at boot as low as it fits (below
 * 256 MiB when possible, else below 4 GiB), cut into 2 KiB slots.  A
 * mapping whose buffer the device's mask cannot reach takes a run of
 * slots and the data is copied between the buffer and the slots on map,
 * unmap and sync.  Size: CONFIG_SWIOTLB_SIZE_MB, or the swiotlb= boot
 * parameter; never more than 1/32 of RAM unless swiotlb= asks for it,
 * and none by default on a machine whose RAM all lies below 16 MiB.
 */
#ifndef _EXO_SWIOTLB_H
#define _EXO_SWIOTLB_H

#include <exo/types.h>

#define IO_TLB_SHIFT	11
#define IO_TLB_SIZE	(1UL << IO_TLB_SHIFT)
/* Most slots one mapping may take (256 KiB), as in Linux. */
#define IO_TLB_SEGSIZE	128

struct swiotlb_stats {
	phys_addr_t start, end;		/* the pool, [start, end); 0, 0: none */
	unsigned long nslabs;		/* slots */
	unsigned long used;		/* slots in use now */
	unsigned long high_water;	/* most slots ever in use at once */
	unsigned long mapped;		/* mappings made since boot */
	unsigned long full;		/* mappings refused: no free run */
	bool force;			/* swiotlb=force: every mapping bounces */
};

#ifdef CONFIG_SWIOTLB
/**
 * swiotlb_reserve() - reserve the pool from memblock
 *
 * mm_core_init() calls it between memblock_init() and the page allocator.
 * Without room, the kernel runs without a pool (logged): mappings that
 * would need it fail.
 */
void swiotlb_reserve(void);

/**
 * swiotlb_get_stats() - snapshot of the pool's counters
 * @st: filled in
 */
void swiotlb_get_stats(struct swiotlb_stats *st);

/**
 * swiotlb_force_enabled() - did swiotlb=force ask to bounce every mapping?
 */
bool swiotlb_force_enabled(void);
#else
static inline void swiotlb_reserve(void) { }
static inline void swiotlb_get_stats(struct swiotlb_stats *st)
{
	*st = (struct swiotlb_stats){ 0 };
}
static inline bool swiotlb_force_enabled(void) { return false; }
#endif

#endif /* _EXO_SWIOTLB_H */
