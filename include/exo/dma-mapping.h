/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DMA mapping API, as in Linux (kernel/dma/, Documentation/dma.rst).
 *
 * A driver gives its device a DMA mask (dma_set_mask_and_coherent()), then
 * either allocates memory both sides share (dma_alloc_coherent()) or maps
 * one of its buffers for one transfer (dma_map_single(), dma_map_page(),
 * dma_map_sg()) and unmaps it when the device is done.  The bus address a
 * mapping returns is what the device is programmed with.
 *
 * Every call goes through the device's struct dma_map_ops; without one the
 * direct ops are used: x86 is cache-coherent and has no IOMMU here, so a
 * bus address is the physical address, and a buffer the device's mask
 * cannot reach is bounced through the swiotlb pool (<exo/swiotlb.h>).  An
 * IOMMU driver would install its own ops with set_dma_ops().
 *
 * Context: the map, unmap and sync calls and dma_alloc_coherent() with
 * GFP_ATOMIC never sleep and may be called from interrupt handlers;
 * dma_alloc_coherent() with GFP_KERNEL, the dmam_*() calls and the mask
 * setters are for thread context (probe).
 */
#ifndef _EXO_DMA_MAPPING_H
#define _EXO_DMA_MAPPING_H

#include <exo/device.h>
#include <exo/errno.h>
#include <exo/gfp.h>
#include <exo/scatterlist.h>
#include <exo/types.h>

enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
	DMA_NONE = 3,
};

/* What a failed map returns; test it with dma_mapping_error(). */
#define DMA_MAPPING_ERROR	(~(dma_addr_t)0)

#define DMA_BIT_MASK(n)	(((n) == 64) ? ~0ULL : ((1ULL << (n)) - 1))

/* Attributes (the attrs of the *_attrs() calls). */
/* Map or unmap without the copy a sync would do (the caller syncs itself). */
#define DMA_ATTR_SKIP_CPU_SYNC	(1UL << 5)

/*
 * One implementation of the API.  The direct ops (kernel/dma/direct.c) are
 * the default; an IOMMU driver would provide its own.  map_page returns
 * DMA_MAPPING_ERROR on failure, map_sg the number of bus segments or a
 * negative errno.  dma_supported says whether a mask can work at all.
 */
struct dma_map_ops {
	void *(*alloc)(struct device *dev, size_t size, dma_addr_t *dma_handle,
		       gfp_t gfp, unsigned long attrs);
	void (*free)(struct device *dev, size_t size, void *vaddr,
		     dma_addr_t dma_handle, unsigned long attrs);
	dma_addr_t (*map_page)(struct device *dev, struct page *page, unsigned long offset,
			       size_t size, enum dma_data_direction dir, unsigned long attrs);
	void (*unmap_page)(struct device *dev, dma_addr_t addr, size_t size,
			   enum dma_data_direction dir, unsigned long attrs);
	int (*map_sg)(struct device *dev, struct scatterlist *sg, int nents,
		      enum dma_data_direction dir, unsigned long attrs);
	void (*unmap_sg)(struct device *dev, struct scatterlist *sg, int nents,
			 enum dma_data_direction dir, unsigned long attrs);
	void (*sync_single_for_cpu)(struct device *dev, dma_addr_t addr, size_t size,
				    enum dma_data_direction dir);
	void (*sync_single_for_device)(struct device *dev, dma_addr_t addr, size_t size,
				       enum dma_data_direction dir);
	void (*sync_sg_for_cpu)(struct device *dev, struct scatterlist *sg, int nents,
				enum dma_data_direction dir);
	void (*sync_sg_for_device)(struct device *dev, struct scatterlist *sg, int nents,
				   enum dma_data_direction dir);
	int (*dma_supported)(struct device *dev, u64 mask);
};

extern const struct dma_map_ops dma_direct_ops;

static inline const struct dma_map_ops *get_dma_ops(struct device *dev)
{
	return dev->dma_ops ? dev->dma_ops : &dma_direct_ops;
}

/* Install @ops for @dev (NULL: back to the direct ops), before any mapping. */
static inline void set_dma_ops(struct device *dev, const struct dma_map_ops *ops)
{
	dev->dma_ops = ops;
}

static inline bool valid_dma_direction(enum dma_data_direction dir)
{
	return dir == DMA_BIDIRECTIONAL || dir == DMA_TO_DEVICE || dir == DMA_FROM_DEVICE;
}

/**
 * dma_mapping_error() - did a map call fail?
 * @dev: the device
 * @dma_addr: what dma_map_single()/dma_map_page() returned
 * Return: 0 for a good mapping, -ENOMEM for DMA_MAPPING_ERROR.
 */
static inline int dma_mapping_error(struct device *dev, dma_addr_t dma_addr)
{
	(void)dev;
	return dma_addr == DMA_MAPPING_ERROR ? -ENOMEM : 0;
}

/**
 * dma_supported() - can @dev work with DMA mask @mask?
 * Return: 1 if so, 0 if the mask is too small for any memory we can give.
 */
int dma_supported(struct device *dev, u64 mask);

/**
 * dma_set_mask() - set the mask of the addresses @dev can stream to
 * @dev: the device; its bus must have given it dev->dma_mask storage
 * @mask: DMA_BIT_MASK(n)
 *
 * Thread context.  Return: 0; -EIO if @dev cannot do DMA (no dma_mask)
 * or @mask is below what can work (below 24 bits, unless all RAM fits).
 */
int dma_set_mask(struct device *dev, u64 mask);

/**
 * dma_set_coherent_mask() - set the mask for dma_alloc_coherent()
 * Return: 0, or -EIO as dma_set_mask().
 */
int dma_set_coherent_mask(struct device *dev, u64 mask);

/**
 * dma_set_mask_and_coherent() - dma_set_mask() and dma_set_coherent_mask()
 * Return: 0, or -EIO (then neither mask changed).
 */
int dma_set_mask_and_coherent(struct device *dev, u64 mask);

static inline u64 dma_get_mask(struct device *dev)
{
	return dev->dma_mask && *dev->dma_mask ? *dev->dma_mask : DMA_BIT_MASK(32);
}

/**
 * dma_coerce_mask_and_coherent() - point dev->dma_mask at the coherent
 * mask and set both, for devices whose bus gives no mask storage
 * Return: as dma_set_mask_and_coherent().
 */
int dma_coerce_mask_and_coherent(struct device *dev, u64 mask);

/**
 * dma_map_page_attrs() - map @size bytes of @page from @offset for one transfer
 * @dev: the device
 * @page: the first page
 * @offset: start inside the block
 * @size: bytes, at least 1
 * @dir: DMA_TO_DEVICE, DMA_FROM_DEVICE or DMA_BIDIRECTIONAL
 * @attrs: 0 or DMA_ATTR_SKIP_CPU_SYNC
 *
 * The CPU must not touch the buffer until unmap (or a sync for the CPU).
 * Never sleeps.  Return: the bus address, or DMA_MAPPING_ERROR (a bad
 * direction, no mask, an unreachable buffer with the bounce pool full or
 * absent), with a log line.
 */
dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page, size_t offset,
			      size_t size, enum dma_data_direction dir, unsigned long attrs);

/**
 * dma_unmap_page_attrs() - end a mapping from dma_map_page*() or dma_map_single*()
 * @dev: the device
 * @addr: the bus address the map returned
 * @size: the size that was mapped
 * @dir: the direction that was mapped
 * @attrs: 0 or DMA_ATTR_SKIP_CPU_SYNC
 *
 * For DMA_FROM_DEVICE/DMA_BIDIRECTIONAL a bounced buffer is copied back.
 * Never sleeps.
 */
void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs);

/**
 * dma_map_single_attrs() - dma_map_page_attrs() of a kernel buffer
 * @dev: the device
 * @ptr: a direct-map (kmalloc, page allocator) or kernel-image buffer;
 *	 vmalloc and other mapped memory is refused
 * @size: bytes
 * @dir: direction
 * @attrs: as dma_map_page_attrs()
 * Return: the bus address, or DMA_MAPPING_ERROR.
 */
dma_addr_t dma_map_single_attrs(struct device *dev, void *ptr, size_t size,
				enum dma_data_direction dir, unsigned long attrs);

/**
 * dma_map_sg_attrs() - map every entry of a scatterlist
 * @dev: the device
 * @sg: the list
 * @nents: number of entries
 * @dir: direction
 * @attrs: as dma_map_page_attrs()
 *
 * Fills sg_dma_address()/sg_dma_len() of each entry.  All or nothing.
 * Return: the number of bus segments (@nents: entries are never merged),
 * or 0 on failure.  Unmap with the original @nents.
 */
unsigned int dma_map_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
			      enum dma_data_direction dir, unsigned long attrs);

/**
 * dma_unmap_sg_attrs() - end a dma_map_sg() mapping
 * @nents: the number passed to dma_map_sg(), not what it returned
 */
void dma_unmap_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
			enum dma_data_direction dir, unsigned long attrs);

/**
 * dma_sync_single_for_cpu() - let the CPU read what the device wrote
 * @dev: the device
 * @addr: the bus address of the mapping
 * @size: bytes from its start, at most the mapped size
 * @dir: the mapping's direction
 *
 * Between this and dma_sync_single_for_device() the buffer is the CPU's.
 * A bounced DMA_FROM_DEVICE/DMA_BIDIRECTIONAL mapping is copied back.
 */
void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir);

/**
 * dma_sync_single_for_device() - give the buffer back to the device
 *
 * A bounced DMA_TO_DEVICE/DMA_BIDIRECTIONAL mapping is copied out again.
 */
void dma_sync_single_for_device(struct device *dev, dma_addr_t addr, size_t size,
				enum dma_data_direction dir);

/** dma_sync_sg_for_cpu() - dma_sync_single_for_cpu() for every entry (@nents as mapped) */
void dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sg, int nents,
			 enum dma_data_direction dir);

/** dma_sync_sg_for_device() - dma_sync_single_for_device() for every entry */
void dma_sync_sg_for_device(struct device *dev, struct scatterlist *sg, int nents,
			    enum dma_data_direction dir);

/**
 * dma_alloc_attrs() - memory that the CPU and @dev share, zeroed
 * @dev: the device
 * @size: bytes (whole pages are taken; up to 2^MAX_ORDER pages)
 * @dma_handle: where the bus address goes
 * @gfp: GFP_KERNEL (thread context) or GFP_ATOMIC; zone flags are chosen
 *	 from the coherent mask and need not be given
 * @attrs: 0
 *
 * The memory lies below dev->coherent_dma_mask.  Return: its kernel
 * address, or NULL (no memory under the mask, bad size, no mask), logged.
 */
void *dma_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle,
		      gfp_t gfp, unsigned long attrs);

/**
 * dma_free_attrs() - free dma_alloc_attrs() memory
 * @size: the size that was allocated
 */
void dma_free_attrs(struct device *dev, size_t size, void *cpu_addr,
		    dma_addr_t dma_handle, unsigned long attrs);

/**
 * dmam_alloc_coherent() - dma_alloc_coherent() freed when the binding ends
 * Thread context (probe).  Return: as dma_alloc_coherent().
 */
void *dmam_alloc_coherent(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp);

/**
 * dmam_free_coherent() - free dmam_alloc_coherent() memory early
 */
void dmam_free_coherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle);

static inline void *dma_alloc_coherent(struct device *dev, size_t size,
				       dma_addr_t *dma_handle, gfp_t gfp)
{
	return dma_alloc_attrs(dev, size, dma_handle, gfp, 0);
}

static inline void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr,
				     dma_addr_t dma_handle)
{
	dma_free_attrs(dev, size, cpu_addr, dma_handle, 0);
}

#define dma_map_single(d, a, s, r)	dma_map_single_attrs(d, a, s, r, 0)
#define dma_unmap_single(d, a, s, r)	dma_unmap_page_attrs(d, a, s, r, 0)
#define dma_unmap_single_attrs(d, a, s, r, t) dma_unmap_page_attrs(d, a, s, r, t)
#define dma_map_page(d, p, o, s, r)	dma_map_page_attrs(d, p, o, s, r, 0)
#define dma_unmap_page(d, a, s, r)	dma_unmap_page_attrs(d, a, s, r, 0)
#define dma_map_sg(d, s, n, r)		dma_map_sg_attrs(d, s, n, r, 0)
#define dma_unmap_sg(d, s, n, r)	dma_unmap_sg_attrs(d, s, n, r, 0)

#endif /* _EXO_DMA_MAPPING_H */
