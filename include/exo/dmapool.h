/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMA pools, as in Linux (kernel/dma/pool.c): many small blocks of one
 * size carved from dma_alloc_coherent() pages, for descriptors and the
 * like.  Each block is @align aligned and never crosses a multiple of
 * @boundary in bus address space (hardware that cannot cross 4 KiB, say).
 * Pages stay with the pool until dma_pool_destroy().
 *
 * Context: dma_pool_create()/dma_pool_destroy() and the dmam_ calls in
 * thread context; dma_pool_alloc() with GFP_ATOMIC and dma_pool_free()
 * anywhere, interrupt handlers included.
 */
#ifndef _EXO_DMAPOOL_H
#define _EXO_DMAPOOL_H

#include <exo/dma-mapping.h>
#include <exo/types.h>

struct dma_pool;

/**
 * dma_pool_create() - a pool of @size-byte coherent blocks for @dev
 * @name: shown in log lines; must stay valid while the pool exists
 * @dev: the device (its coherent mask applies)
 * @size: block size, at least 1
 * @align: alignment, a power of two (0: none)
 * @boundary: 0, or a power of two at least @size that no block crosses
 * Return: the pool, or NULL (bad argument, logged; or no memory).
 */
struct dma_pool *dma_pool_create(const char *name, struct device *dev, size_t size,
				 size_t align, size_t boundary);

/**
 * dma_pool_destroy() - free a pool and its pages
 * @pool: the pool, or NULL
 *
 * Blocks still allocated are reported; their pages are left allocated so
 * the device can never see freed memory reused.
 */
void dma_pool_destroy(struct dma_pool *pool);

/**
 * dma_pool_alloc() - a block from @pool
 * @pool: the pool
 * @mem_flags: GFP_KERNEL or GFP_ATOMIC (for a new page)
 * @handle: where the block's bus address goes
 * Return: the block's kernel address, or NULL.
 */
void *dma_pool_alloc(struct dma_pool *pool, gfp_t mem_flags, dma_addr_t *handle);

/**
 * dma_pool_zalloc() - dma_pool_alloc() of a zeroed block
 */
void *dma_pool_zalloc(struct dma_pool *pool, gfp_t mem_flags, dma_addr_t *handle);

/**
 * dma_pool_free() - give a block back
 * @pool: its pool
 * @vaddr: what dma_pool_alloc() returned
 * @dma: its bus address
 *
 * A block of another pool, a wrong @dma or a double free is refused with
 * a log line.
 */
void dma_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t dma);

/**
 * dmam_pool_create() - dma_pool_create() destroyed when the binding ends
 */
struct dma_pool *dmam_pool_create(const char *name, struct device *dev, size_t size,
				  size_t align, size_t allocation);

/**
 * dmam_pool_destroy() - destroy a dmam_pool_create() pool early
 */
void dmam_pool_destroy(struct dma_pool *pool);

#endif /* _EXO_DMAPOOL_H */
