/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMA API debugging (CONFIG_DMA_API_DEBUG, kernel/dma/debug.c): every
 * live mapping and coherent allocation is recorded, and each unmap, sync
 * and free is checked against the record.  Each error prints one line
 * "DMA-API: <driver> <device>: <what> [...]" naming the mapping, and is
 * counted.  Unmaps and frees of what was never mapped are not passed on
 * (nothing is freed twice); a wrong size or direction on unmap is
 * corrected to the recorded one.  See Documentation/dma.rst.
 */
#ifndef _EXO_DMA_DEBUG_H
#define _EXO_DMA_DEBUG_H

#include <exo/types.h>

struct device;

enum dma_debug_error {
	DMA_DEBUG_NOT_MAPPED,	/* unmap, sync or free of memory never mapped */
	DMA_DEBUG_DOUBLE_UNMAP,	/* unmap or free of a mapping already ended */
	DMA_DEBUG_WRONG_SIZE,	/* unmap/free size differs, sync beyond the end */
	DMA_DEBUG_WRONG_DIR,	/* unmap/sync direction differs from the map's */
	DMA_DEBUG_WRONG_TYPE,	/* e.g. dma_unmap_single() of a dma_map_sg() entry */
	DMA_DEBUG_LEAK,		/* mappings left when the driver unbound */
	DMA_DEBUG_NR_ERRORS
};

struct dma_debug_stats {
	unsigned long errors[DMA_DEBUG_NR_ERRORS];
	unsigned long live;		/* recorded mappings now */
	bool disabled;			/* out of memory for records: checks stopped */
};

#ifdef CONFIG_DMA_API_DEBUG
/**
 * dma_debug_get_stats() - error counters and live mappings
 * @st: filled in
 */
void dma_debug_get_stats(struct dma_debug_stats *st);

/**
 * dma_debug_device_count() - live mappings and coherent blocks of @dev
 */
unsigned int dma_debug_device_count(struct device *dev);

/**
 * dma_debug_driver_unbound() - report and forget what @dev still has mapped
 * @dev: a device whose driver has just been removed
 *
 * The driver core calls it after remove() and the devres release: each
 * mapping left is a leak, logged (the first few by name) and counted.
 */
void dma_debug_driver_unbound(struct device *dev);
#else
static inline void dma_debug_get_stats(struct dma_debug_stats *st)
{
	*st = (struct dma_debug_stats){ .disabled = true };
}
static inline unsigned int dma_debug_device_count(struct device *dev) { return 0; }
static inline void dma_debug_driver_unbound(struct device *dev) { }
#endif

#endif /* _EXO_DMA_DEBUG_H */
