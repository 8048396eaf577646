// SPDX-License-Identifier: GPL-2.0
/*
 * DMA API benchmarks for `make bench`: dma_map_single()+dma_unmap_single()
 * of 4 KiB, direct (a 64-bit device: the bus address is the physical
 * one) and bounced through swiotlb (a device forced to bounce: slot
 * allocation and two 4 KiB copies).  With CONFIG_DMA_API_DEBUG (on in
 * defconfig) the figures include the debug layer's record per mapping.
 */
#include <exo/bench.h>
#include <exo/device.h>
#include <exo/dma-mapping.h>
#include <exo/slab.h>
#include <exo/string.h>

static struct device bench_dev;
static u64 bench_mask;
static void *bench_buf;

static void bench_dev_release(struct device *dev)
{
}

static int dma_bench_setup(struct bench *b)
{
	device_initialize(&bench_dev);
	dev_set_name(&bench_dev, "dmabench");
	bench_dev.release = bench_dev_release;
	bench_mask = DMA_BIT_MASK(64);
	bench_dev.dma_mask = &bench_mask;
	bench_dev.coherent_dma_mask = DMA_BIT_MASK(64);
	bench_buf = kmalloc(4096, GFP_KERNEL);
	if (!bench_buf)
		return -ENOMEM;
	memset(bench_buf, 0x5a, 4096);
	return 0;
}

static void dma_bench_teardown(struct bench *b)
{
	kfree(bench_buf);
	bench_dev.dma_force_bounce = false;
}

static void map_unmap(struct bench *b, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++) {
		dma_addr_t a = dma_map_single(&bench_dev, bench_buf, 4096, DMA_BIDIRECTIONAL);

		if (dma_mapping_error(&bench_dev, a))
			return;
		dma_unmap_single(&bench_dev, a, 4096, DMA_BIDIRECTIONAL);
	}
}

static int bounce_setup(struct bench *b)
{
	int ret = dma_bench_setup(b);

	bench_dev.dma_force_bounce = true;
	return ret;
}

DEFINE_BENCH_FULL(dma_map_direct, .desc = "dma_map_single+dma_unmap_single 4 KiB, direct",
		  .run = map_unmap, .setup = dma_bench_setup, .teardown = dma_bench_teardown);
DEFINE_BENCH_FULL(dma_map_bounce, .desc = "dma_map_single+dma_unmap_single 4 KiB, swiotlb bounce",
		  .run = map_unmap, .setup = bounce_setup, .teardown = dma_bench_teardown);
