// SPDX-License-Identifier: GPL-2.0
/*
 * The direct DMA ops: the default struct dma_map_ops of every device.
 *
 * x86 is cache-coherent and there is no IOMMU, so a bus address is the
 * physical address and syncing needs no cache maintenance.  What remains
 * is reach: a streaming mapping the device's mask cannot address (or any
 * mapping, with swiotlb=force or dev->dma_force_bounce) goes through a
 * swiotlb bounce slot, and coherent memory comes from the zone that lies
 * under the coherent mask.
 */
#define pr_fmt(fmt) "dma: " fmt

#include <exo/dma-mapping.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/mm.h>
#include <exo/page_alloc.h>
#include <asm/page.h>
#include "internal.h"

/* Smallest mask that can always work: ZONE_DMA's 16 MiB. */
#define DMA_MIN_MASK	DMA_BIT_MASK(24)

static bool dma_capable(struct device *dev, dma_addr_t addr, size_t size)
{
	return addr + size - 1 <= *dev->dma_mask && addr + size - 1 >= addr;
}

static bool dma_coherent_ok(struct device *dev, phys_addr_t phys, size_t size)
{
	return phys + size - 1 <= dev->coherent_dma_mask;
}

static dma_addr_t dma_direct_map_page(struct device *dev, struct page *page,
				      unsigned long offset, size_t size,
				      enum dma_data_direction dir, unsigned long attrs)
{
	phys_addr_t phys = page_to_phys(page) + offset;
	phys_addr_t tlb;

	if (likely(!dev->dma_force_bounce && !swiotlb_force_enabled() &&
		   dma_capable(dev, phys, size)))
		return phys;
	tlb = swiotlb_tbl_map_single(dev, phys, size, dir, attrs);
	if (tlb == (phys_addr_t)DMA_MAPPING_ERROR)
		return DMA_MAPPING_ERROR;
	if (!dma_capable(dev, tlb, size)) {
		dev_err(dev, "DMA: bounce slot %#llx+%zu is beyond mask %#llx\n", tlb, size,
			*dev->dma_mask);
		swiotlb_tbl_unmap_single(dev, tlb, size, dir, attrs | DMA_ATTR_SKIP_CPU_SYNC);
		return DMA_MAPPING_ERROR;
	}
	return tlb;
}

static void dma_direct_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
				  enum dma_data_direction dir, unsigned long attrs)
{
	if (is_swiotlb_buffer(addr))
		swiotlb_tbl_unmap_single(dev, addr, size, dir, attrs);
}

static void dma_direct_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
					   enum dma_data_direction dir)
{
	if (is_swiotlb_buffer(addr))
		swiotlb_sync_single_for_cpu(dev, addr, size, dir);
}

static void dma_direct_sync_single_for_device(struct device *dev, dma_addr_t addr,
					      size_t size, enum dma_data_direction dir)
{
	if (is_swiotlb_buffer(addr))
		swiotlb_sync_single_for_device(dev, addr, size, dir);
}

static void dma_direct_unmap_sg(struct device *dev, struct scatterlist *sgl, int nents,
				enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		dma_direct_unmap_page(dev, sg->dma_address, sg->dma_length, dir, attrs);
}

static int dma_direct_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
			     enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		sg->dma_address = dma_direct_map_page(dev, sg_page(sg), sg->offset, sg->length,
						      dir, attrs);
		if (sg->dma_address == DMA_MAPPING_ERROR) {
			dma_direct_unmap_sg(dev, sgl, i, dir, attrs | DMA_ATTR_SKIP_CPU_SYNC);
			return -EIO;
		}
		sg->dma_length = sg->length;
	}
	return nents;
}

static void dma_direct_sync_sg_for_cpu(struct device *dev, struct scatterlist *sgl, int nents,
				       enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		dma_direct_sync_single_for_cpu(dev, sg->dma_address, sg->dma_length, dir);
}

static void dma_direct_sync_sg_for_device(struct device *dev, struct scatterlist *sgl,
					  int nents, enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		dma_direct_sync_single_for_device(dev, sg->dma_address, sg->dma_length, dir);
}

/* The zone of a first try for @mask, as Linux's dma_direct_optimal_gfp_mask(). */
static gfp_t dma_zone_for_mask(u64 mask)
{
	if (mask <= DMA_MIN_MASK)
		return GFP_DMA;
	if (mask <= DMA_BIT_MASK(32))
		return GFP_DMA32;
	return 0;
}

static void *dma_direct_alloc(struct device *dev, size_t size, dma_addr_t *dma_handle,
			      gfp_t gfp, unsigned long attrs)
{
	unsigned int order = order_base_2(DIV_ROUND_UP(size, PAGE_SIZE));
	gfp_t zone = dma_zone_for_mask(dev->coherent_dma_mask);
	struct page *page;

	gfp = (gfp & ~GFP_ZONEMASK) | __GFP_ZERO | __GFP_NOWARN;
	if (!size || order > MAX_ORDER) {
		dev_err(dev, "dma_alloc_coherent: bad size %zu\n", size);
		return NULL;
	}
	/* Try the best zone, then each lower one until the block fits the mask. */
	for (;;) {
		page = alloc_pages(gfp | zone, order);
		if (page && dma_coherent_ok(dev, page_to_phys(page), size))
			break;
		if (page)
			__free_pages(page, order);
		if (!zone && dev->coherent_dma_mask < DMA_BIT_MASK(64)) {
			zone = GFP_DMA32;
		} else if (zone == GFP_DMA32) {
			zone = GFP_DMA;
		} else {
			dev_err(dev, "dma_alloc_coherent: no %zu bytes under mask %#llx\n", size,
				dev->coherent_dma_mask);
			return NULL;
		}
	}
	*dma_handle = page_to_phys(page);
	return page_address(page);
}

static void dma_direct_free(struct device *dev, size_t size, void *vaddr,
			    dma_addr_t dma_handle, unsigned long attrs)
{
	__free_pages(virt_to_page(vaddr), order_base_2(DIV_ROUND_UP(size, PAGE_SIZE)));
}

/*
 * A mask works when ZONE_DMA lies under it, or when all of RAM does (a
 * machine smaller than 16 MiB).
 */
static int dma_direct_supported(struct device *dev, u64 mask)
{
	u64 ram_end = PFN_PHYS(max_pfn) - 1;

	return mask >= min_t(u64, DMA_MIN_MASK, ram_end);
}

const struct dma_map_ops dma_direct_ops = {
	.alloc = dma_direct_alloc,
	.free = dma_direct_free,
	.map_page = dma_direct_map_page,
	.unmap_page = dma_direct_unmap_page,
	.map_sg = dma_direct_map_sg,
	.unmap_sg = dma_direct_unmap_sg,
	.sync_single_for_cpu = dma_direct_sync_single_for_cpu,
	.sync_single_for_device = dma_direct_sync_single_for_device,
	.sync_sg_for_cpu = dma_direct_sync_sg_for_cpu,
	.sync_sg_for_device = dma_direct_sync_sg_for_device,
	.dma_supported = dma_direct_supported,
};
EXPORT_SYMBOL_GPL(dma_direct_ops);
