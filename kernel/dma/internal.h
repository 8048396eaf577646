/* SPDX-License-Identifier: GPL-2.0 */
/* Between the files of kernel/dma/: the direct ops, swiotlb and the debug layer. */
#ifndef _KERNEL_DMA_INTERNAL_H
#define _KERNEL_DMA_INTERNAL_H

#include <exo/dma-mapping.h>
#include <exo/swiotlb.h>

/* ----------------------------------------------------------- swiotlb */
#ifdef CONFIG_SWIOTLB
bool is_swiotlb_buffer(phys_addr_t paddr);
/* Bounce slot for @orig, copied in; DMA_MAPPING_ERROR if none. */
phys_addr_t swiotlb_tbl_map_single(struct device *dev, phys_addr_t orig, size_t size,
				   enum dma_data_direction dir, unsigned long attrs);
void swiotlb_tbl_unmap_single(struct device *dev, phys_addr_t tlb_addr, size_t size,
			      enum dma_data_direction dir, unsigned long attrs);
void swiotlb_sync_single_for_cpu(struct device *dev, phys_addr_t tlb_addr, size_t size,
				 enum dma_data_direction dir);
void swiotlb_sync_single_for_device(struct device *dev, phys_addr_t tlb_addr, size_t size,
				    enum dma_data_direction dir);
/* Bounce every mapping of every device (tests); returns the old setting. */
bool swiotlb_set_force(bool on);
#else
static inline bool is_swiotlb_buffer(phys_addr_t paddr) { return false; }
static inline phys_addr_t swiotlb_tbl_map_single(struct device *dev, phys_addr_t orig,
						 size_t size, enum dma_data_direction dir,
						 unsigned long attrs)
{
	dev_err(dev, "DMA: buffer %#llx+%zu out of reach and no swiotlb\n", orig, size);
	return (phys_addr_t)DMA_MAPPING_ERROR;
}
static inline void swiotlb_tbl_unmap_single(struct device *dev, phys_addr_t tlb_addr,
					    size_t size, enum dma_data_direction dir,
					    unsigned long attrs) { }
static inline void swiotlb_sync_single_for_cpu(struct device *dev, phys_addr_t tlb_addr,
					       size_t size, enum dma_data_direction dir) { }
static inline void swiotlb_sync_single_for_device(struct device *dev, phys_addr_t tlb_addr,
						  size_t size, enum dma_data_direction dir) { }
static inline bool swiotlb_set_force(bool on) { return false; }
#endif

/* ------------------------------------------------------- API debug */
#ifdef CONFIG_DMA_API_DEBUG
void debug_dma_map_page(struct device *dev, phys_addr_t paddr, size_t size,
			enum dma_data_direction dir, dma_addr_t dma_addr);
/* Return: false when the unmap must not go on (not mapped, double unmap). */
bool debug_dma_unmap_page(struct device *dev, dma_addr_t addr, size_t *size,
			  enum dma_data_direction *dir);
void debug_dma_map_sg(struct device *dev, struct scatterlist *sg, int nents,
		      enum dma_data_direction dir);
bool debug_dma_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
			enum dma_data_direction dir);
void debug_dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t dma_addr,
			      void *virt);
bool debug_dma_free_coherent(struct device *dev, size_t *size, void *virt, dma_addr_t addr);
/* Return: false when the sync must not go on. */
bool debug_dma_sync_single(struct device *dev, dma_addr_t addr, size_t size,
			   enum dma_data_direction dir, bool for_cpu);
/* The last error line ("<driver> <device>: <what>"), for the tests. */
void dma_debug_last_error(char *buf, size_t size);
#else
static inline void debug_dma_map_page(struct device *dev, phys_addr_t paddr, size_t size,
				      enum dma_data_direction dir, dma_addr_t dma_addr) { }
static inline bool debug_dma_unmap_page(struct device *dev, dma_addr_t addr, size_t *size,
					enum dma_data_direction *dir) { return true; }
static inline void debug_dma_map_sg(struct device *dev, struct scatterlist *sg, int nents,
				    enum dma_data_direction dir) { }
static inline bool debug_dma_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
				      enum dma_data_direction dir) { return true; }
static inline void debug_dma_alloc_coherent(struct device *dev, size_t size,
					    dma_addr_t dma_addr, void *virt) { }
static inline bool debug_dma_free_coherent(struct device *dev, size_t *size, void *virt,
					   dma_addr_t addr) { return true; }
static inline bool debug_dma_sync_single(struct device *dev, dma_addr_t addr, size_t size,
					 enum dma_data_direction dir, bool for_cpu) { return true; }
static inline void dma_debug_last_error(char *buf, size_t size) { buf[0] = 0; }
#endif

#endif /* _KERNEL_DMA_INTERNAL_H */
