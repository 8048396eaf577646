// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA mapping API (<exo/dma-mapping.h>): argument checks, the debug
 * hooks, and the call into the device's struct dma_map_ops.  Bad input
 * (no mask, a bad direction, a zero size, memory outside the direct map)
 * is refused here with a log line, so no ops implementation sees it.
 */
#define pr_fmt(fmt) "dma: " fmt

#include <exo/dma-debug.h>
#include <exo/dma-mapping.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/page_alloc.h>
#include <exo/shell.h>
#include <exo/slab.h>
#include <asm/page.h>
#include "internal.h"

int dma_supported(struct device *dev, u64 mask)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);

	return ops->dma_supported ? ops->dma_supported(dev, mask) : 1;
}
EXPORT_SYMBOL_GPL(dma_supported);

int dma_set_mask(struct device *dev, u64 mask)
{
	if (!dev->dma_mask) {
		dev_warn(dev, "dma_set_mask: the device cannot do DMA (no dma_mask)\n");
		return -EIO;
	}
	if (!dma_supported(dev, mask)) {
		dev_warn(dev, "dma_set_mask: mask %#llx is too small\n", mask);
		return -EIO;
	}
	*dev->dma_mask = mask;
	return 0;
}
EXPORT_SYMBOL_GPL(dma_set_mask);

int dma_set_coherent_mask(struct device *dev, u64 mask)
{
	if (!dma_supported(dev, mask)) {
		dev_warn(dev, "dma_set_coherent_mask: mask %#llx is too small\n", mask);
		return -EIO;
	}
	dev->coherent_dma_mask = mask;
	return 0;
}
EXPORT_SYMBOL_GPL(dma_set_coherent_mask);

int dma_set_mask_and_coherent(struct device *dev, u64 mask)
{
	int ret = dma_set_mask(dev, mask);

	if (!ret)
		ret = dma_set_coherent_mask(dev, mask);
	return ret;
}
EXPORT_SYMBOL_GPL(dma_set_mask_and_coherent);

int dma_coerce_mask_and_coherent(struct device *dev, u64 mask)
{
	if (!dma_supported(dev, mask)) {
		dev_warn(dev, "dma_coerce_mask_and_coherent: mask %#llx is too small\n", mask);
		return -EIO;
	}
	dev->dma_mask = &dev->coherent_dma_mask;
	dev->coherent_dma_mask = mask;
	return 0;
}
EXPORT_SYMBOL_GPL(dma_coerce_mask_and_coherent);

/* Common checks of a streaming call; logs and returns false on bad input. */
static bool dma_args_ok(struct device *dev, size_t size, enum dma_data_direction dir,
			const char *what)
{
	if (unlikely(!dev->dma_mask)) {
		dev_err(dev, "%s: the device has no DMA mask\n", what);
		return false;
	}
	if (unlikely(!valid_dma_direction(dir))) {
		dev_err(dev, "%s: bad direction %d\n", what, dir);
		return false;
	}
	if (unlikely(!size)) {
		dev_err(dev, "%s: zero size\n", what);
		return false;
	}
	return true;
}

dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page, size_t offset,
			      size_t size, enum dma_data_direction dir, unsigned long attrs)
{
	dma_addr_t addr;

	if (!dma_args_ok(dev, size, dir, "dma_map_page"))
		return DMA_MAPPING_ERROR;
	addr = get_dma_ops(dev)->map_page(dev, page, offset, size, dir, attrs);
	debug_dma_map_page(dev, page_to_phys(page) + offset, size, dir, addr);
	return addr;
}
EXPORT_SYMBOL_GPL(dma_map_page_attrs);

extern char _end[];

/*
 * Is [@p, @p + @size) in the direct map or the kernel image (physically
 * contiguous)?  The module area above the image is vmalloc'd memory, whose
 * pages virt_to_phys() cannot find.
 */
static bool dma_virt_ok(const void *p, size_t size)
{
	unsigned long v = (unsigned long)p;

	if (v >= KERNEL_VMA)
		return v < (unsigned long)_end && size <= (unsigned long)_end - v;
	return v >= PAGE_OFFSET && v - PAGE_OFFSET < PFN_PHYS(max_pfn) &&
	       size <= PFN_PHYS(max_pfn) - (v - PAGE_OFFSET);
}

dma_addr_t dma_map_single_attrs(struct device *dev, void *ptr, size_t size,
				enum dma_data_direction dir, unsigned long attrs)
{
	if (unlikely(!dma_virt_ok(ptr, size))) {
		dev_err(dev, "dma_map_single: %p is not direct-map memory (vmalloc?)\n", ptr);
		return DMA_MAPPING_ERROR;
	}
	return dma_map_page_attrs(dev, virt_to_page(ptr), offset_in_page(ptr), size, dir, attrs);
}
EXPORT_SYMBOL_GPL(dma_map_single_attrs);

void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs)
{
	if (!dma_args_ok(dev, size, dir, "dma_unmap_page"))
		return;
	if (!debug_dma_unmap_page(dev, addr, &size, &dir))
		return;
	get_dma_ops(dev)->unmap_page(dev, addr, size, dir, attrs);
}
EXPORT_SYMBOL_GPL(dma_unmap_page_attrs);

unsigned int dma_map_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
			      enum dma_data_direction dir, unsigned long attrs)
{
	int ents;

	if (!dma_args_ok(dev, nents > 0, dir, "dma_map_sg"))
		return 0;
	ents = get_dma_ops(dev)->map_sg(dev, sg, nents, dir, attrs);
	if (ents <= 0) {
		dev_err(dev, "dma_map_sg: %d entries not mapped (%d)\n", nents, ents);
		return 0;
	}
	debug_dma_map_sg(dev, sg, ents, dir);
	return (unsigned int)ents;
}
EXPORT_SYMBOL_GPL(dma_map_sg_attrs);

void dma_unmap_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
			enum dma_data_direction dir, unsigned long attrs)
{
	if (!dma_args_ok(dev, nents > 0, dir, "dma_unmap_sg"))
		return;
	if (!debug_dma_unmap_sg(dev, sg, nents, dir))
		return;
	get_dma_ops(dev)->unmap_sg(dev, sg, nents, dir, attrs);
}
EXPORT_SYMBOL_GPL(dma_unmap_sg_attrs);

static void dma_sync_single(struct device *dev, dma_addr_t addr, size_t size,
			    enum dma_data_direction dir, bool for_cpu)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);

	if (!dma_args_ok(dev, size, dir, for_cpu ? "dma_sync_single_for_cpu" :
						   "dma_sync_single_for_device") ||
	    !debug_dma_sync_single(dev, addr, size, dir, for_cpu))
		return;
	if (for_cpu)
		ops->sync_single_for_cpu(dev, addr, size, dir);
	else
		ops->sync_single_for_device(dev, addr, size, dir);
}

void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir)
{
	dma_sync_single(dev, addr, size, dir, true);
}
EXPORT_SYMBOL_GPL(dma_sync_single_for_cpu);

void dma_sync_single_for_device(struct device *dev, dma_addr_t addr, size_t size,
				enum dma_data_direction dir)
{
	dma_sync_single(dev, addr, size, dir, false);
}
EXPORT_SYMBOL_GPL(dma_sync_single_for_device);

/* Entries the debug layer rejects are not synced; the others are. */
static void dma_sync_sg(struct device *dev, struct scatterlist *sgl, int nents,
			enum dma_data_direction dir, bool for_cpu)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);
	struct scatterlist *sg;
	int i;

	if (!dma_args_ok(dev, nents > 0, dir, for_cpu ? "dma_sync_sg_for_cpu" :
							"dma_sync_sg_for_device"))
		return;
	for_each_sg(sgl, sg, nents, i) {
		if (!debug_dma_sync_single(dev, sg_dma_address(sg), sg_dma_len(sg), dir, for_cpu))
			continue;
		if (for_cpu)
			ops->sync_single_for_cpu(dev, sg_dma_address(sg), sg_dma_len(sg), dir);
		else
			ops->sync_single_for_device(dev, sg_dma_address(sg), sg_dma_len(sg), dir);
	}
}

void dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sg, int nents,
			 enum dma_data_direction dir)
{
	dma_sync_sg(dev, sg, nents, dir, true);
}
EXPORT_SYMBOL_GPL(dma_sync_sg_for_cpu);

void dma_sync_sg_for_device(struct device *dev, struct scatterlist *sg, int nents,
			    enum dma_data_direction dir)
{
	dma_sync_sg(dev, sg, nents, dir, false);
}
EXPORT_SYMBOL_GPL(dma_sync_sg_for_device);

void *dma_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle,
		      gfp_t gfp, unsigned long attrs)
{
	void *vaddr;

	if (!dev->coherent_dma_mask) {
		dev_err(dev, "dma_alloc_coherent: the device has no coherent DMA mask\n");
		return NULL;
	}
	vaddr = get_dma_ops(dev)->alloc(dev, size, dma_handle, gfp, attrs);
	if (vaddr)	/* *dma_handle is not set on failure */
		debug_dma_alloc_coherent(dev, size, *dma_handle, vaddr);
	return vaddr;
}
EXPORT_SYMBOL_GPL(dma_alloc_attrs);

void dma_free_attrs(struct device *dev, size_t size, void *cpu_addr,
		    dma_addr_t dma_handle, unsigned long attrs)
{
	if (!cpu_addr)
		return;
	/* A wrong @size is logged and replaced by the allocated one. */
	if (!debug_dma_free_coherent(dev, &size, cpu_addr, dma_handle))
		return;
	get_dma_ops(dev)->free(dev, size, cpu_addr, dma_handle, attrs);
}
EXPORT_SYMBOL_GPL(dma_free_attrs);

/* Managed coherent memory: one devres action per block. */
struct dmam_coherent {
	struct device *dev;
	void *vaddr;
	dma_addr_t dma_handle;
	size_t size;
};

static void dmam_coherent_release(void *data)
{
	struct dmam_coherent *d = data;

	dma_free_coherent(d->dev, d->size, d->vaddr, d->dma_handle);
	kfree(d);
}

static bool dmam_coherent_match(void *data, void *match_data)
{
	return ((struct dmam_coherent *)data)->vaddr == match_data;
}

void *dmam_alloc_coherent(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp)
{
	struct dmam_coherent *d = kzalloc(sizeof(*d), gfp);

	if (!d) {
		dev_err(dev, "dmam_alloc_coherent: out of memory\n");
		return NULL;
	}
	d->vaddr = dma_alloc_coherent(dev, size, &d->dma_handle, gfp);
	if (!d->vaddr) {
		kfree(d);
		return NULL;
	}
	d->dev = dev;
	d->size = size;
	if (devm_add_action_or_reset(dev, dmam_coherent_release, d))
		return NULL;
	*dma_handle = d->dma_handle;
	return d->vaddr;
}
EXPORT_SYMBOL_GPL(dmam_alloc_coherent);

void dmam_free_coherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle)
{
	if (devm_release_action_match(dev, dmam_coherent_release, dmam_coherent_match, vaddr))
		dev_err(dev, "dmam_free_coherent: %p is no managed DMA block\n", vaddr);
}
EXPORT_SYMBOL_GPL(dmam_free_coherent);

static const char *const dma_debug_error_names[DMA_DEBUG_NR_ERRORS] = {
	"not mapped", "double unmap", "wrong size", "wrong direction", "wrong type", "leaks",
};

/* `dmainfo`: the bounce pool's occupancy and the API debug counters. */
static int cmd_dmainfo(int argc, char **argv)
{
	struct dma_debug_stats dbg;
	struct swiotlb_stats st;

	swiotlb_get_stats(&st);
	if (st.nslabs)
		printk("swiotlb: [mem %#llx-%#llx] %lu slots of %lu bytes, %lu used, high water %lu, %lu mapped, %lu refused (full)%s\n",
		       st.start, st.end - 1, st.nslabs, IO_TLB_SIZE, st.used, st.high_water,
		       st.mapped, st.full, st.force ? ", force" : "");
	else
		printk("swiotlb: no bounce pool\n");
	dma_debug_get_stats(&dbg);
	if (dbg.disabled) {
		printk("DMA-API debug: off\n");
		return 0;
	}
	printk("DMA-API debug: %lu live mappings; errors:", dbg.live);
	for (unsigned int i = 0; i < DMA_DEBUG_NR_ERRORS; i++)
		printk(KERN_CONT " %s %lu%s", dma_debug_error_names[i], dbg.errors[i],
		       i + 1 < DMA_DEBUG_NR_ERRORS ? "," : "\n");
	return 0;
}
DEFINE_SHELL_CMD(dmainfo, "DMA bounce pool and API debug counters", cmd_dmainfo);
