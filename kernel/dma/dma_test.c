// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the DMA mapping API (suite "dma"): masks, direct and bounced
 * streaming mappings with the data checked in every direction, sync,
 * scatterlists, coherent memory under a mask, dma_pool boundaries, the
 * API debug checks (each error caught with its log line, nothing
 * corrupted), bounce-pool exhaustion and concurrent mapping from every
 * CPU.  The "device" is a struct device of our own: it reads and writes
 * the bus address through the direct map, as a bus master would.  Cases
 * that need RAM above 4 GiB skip without it (make check's 64 GiB boot
 * runs them).
 */
#include <exo/device.h>
#include <exo/dma-debug.h>
#include <exo/dma-mapping.h>
#include <exo/dmapool.h>
#include <exo/ktest.h>
#include <exo/page_alloc.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/swiotlb.h>
#include <exo/vmalloc.h>
#include <asm/page.h>
#include "internal.h"

#define FOUR_GIB	(1ULL << 32)

static struct device kt_dev, kt_dev2;
static u64 kt_mask, kt_mask2;
static unsigned long base_used;
static bool saved_force;

static void kt_dev_release(struct device *dev)
{
}

static void kt_dev_setup(struct device *dev, u64 *mask, const char *name)
{
	memset(dev, 0, sizeof(*dev));
	device_initialize(dev);
	dev_set_name(dev, "%s", name);
	dev->release = kt_dev_release;
	*mask = DMA_BIT_MASK(64);
	dev->dma_mask = mask;
	dev->coherent_dma_mask = DMA_BIT_MASK(64);
}

static unsigned long pool_used(void)
{
	struct swiotlb_stats st;

	swiotlb_get_stats(&st);
	return st.used;
}

static bool pool_present(void)
{
	struct swiotlb_stats st;

	swiotlb_get_stats(&st);
	return st.nslabs;
}

static bool in_pool(dma_addr_t a)
{
	struct swiotlb_stats st;

	swiotlb_get_stats(&st);
	return a >= st.start && a < st.end;
}

static int dma_kt_init(struct ktest *t)
{
	kt_dev_setup(&kt_dev, &kt_mask, "dmatest0");
	kt_dev_setup(&kt_dev2, &kt_mask2, "dmatest1");
	base_used = pool_used();
	/* Under swiotlb=force every mapping bounces: the cases choose per device. */
	saved_force = swiotlb_set_force(false);
	return 0;
}

/* Every case leaves no mapping and no bounce slot behind. */
static void dma_kt_exit(struct ktest *t)
{
	swiotlb_set_force(saved_force);
	KTEST_EXPECT_EQ(t, pool_used(), base_used);
	KTEST_EXPECT_EQ(t, dma_debug_device_count(&kt_dev), 0U);
	KTEST_EXPECT_EQ(t, dma_debug_device_count(&kt_dev2), 0U);
}

static void fill(void *p, size_t n, u8 seed)
{
	for (size_t i = 0; i < n; i++)
		((u8 *)p)[i] = (u8)(seed + i * 7);
}

static bool check(const void *p, size_t n, u8 seed)
{
	for (size_t i = 0; i < n; i++)
		if (((const u8 *)p)[i] != (u8)(seed + i * 7))
			return false;
	return true;
}

/* What the device sees at a bus address (the bus address is physical). */
static void *bus_to_virt(dma_addr_t a)
{
	return phys_to_virt(a);
}

static void test_masks(struct ktest *t)
{
	struct device nodma;

	KTEST_EXPECT_EQ(t, DMA_BIT_MASK(32), 0xffffffffULL);
	KTEST_EXPECT_EQ(t, DMA_BIT_MASK(64), ~0ULL);
	KTEST_EXPECT_EQ(t, dma_set_mask_and_coherent(&kt_dev, DMA_BIT_MASK(32)), 0);
	KTEST_EXPECT_EQ(t, kt_mask, DMA_BIT_MASK(32));
	KTEST_EXPECT_EQ(t, kt_dev.coherent_dma_mask, DMA_BIT_MASK(32));
	KTEST_EXPECT_EQ(t, dma_get_mask(&kt_dev), DMA_BIT_MASK(32));
	/* Below ZONE_DMA's reach nothing can work: refused, unchanged. */
	if (PFN_PHYS(max_pfn) > (1ULL << 24)) {
		KTEST_EXPECT_EQ(t, dma_set_mask(&kt_dev, DMA_BIT_MASK(20)), -EIO);
		KTEST_EXPECT_EQ(t, dma_set_coherent_mask(&kt_dev, DMA_BIT_MASK(12)), -EIO);
		KTEST_EXPECT_EQ(t, dma_set_mask_and_coherent(&kt_dev, DMA_BIT_MASK(16)), -EIO);
		KTEST_EXPECT_EQ(t, kt_mask, DMA_BIT_MASK(32));
		KTEST_EXPECT_EQ(t, kt_dev.coherent_dma_mask, DMA_BIT_MASK(32));
	}
	KTEST_EXPECT_EQ(t, dma_set_mask(&kt_dev, DMA_BIT_MASK(24)), 0);
	KTEST_EXPECT_EQ(t, dma_set_mask_and_coherent(&kt_dev, DMA_BIT_MASK(64)), 0);
	/* A device its bus gave no mask storage cannot do DMA... */
	memset(&nodma, 0, sizeof(nodma));
	dev_set_name(&nodma, "dmanomask");
	KTEST_EXPECT_EQ(t, dma_set_mask(&nodma, DMA_BIT_MASK(32)), -EIO);
	KTEST_EXPECT_EQ(t, dma_map_single(&nodma, &nodma, 8, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	/* ...until the driver coerces one. */
	KTEST_EXPECT_EQ(t, dma_coerce_mask_and_coherent(&nodma, DMA_BIT_MASK(32)), 0);
	KTEST_EXPECT_TRUE(t, nodma.dma_mask == &nodma.coherent_dma_mask);
}

static void test_bad_input(struct ktest *t)
{
	u8 *buf = kmalloc(64, GFP_KERNEL);
	void *vbuf = vmalloc(PAGE_SIZE);
	void *mbuf;
	dma_addr_t h = 0;

	KTEST_ASSERT_NOT_NULL(t, buf);
	KTEST_EXPECT_EQ(t, dma_map_single(&kt_dev, buf, 64, DMA_NONE), DMA_MAPPING_ERROR);
	KTEST_EXPECT_EQ(t, dma_map_single(&kt_dev, buf, 64, (enum dma_data_direction)7),
			DMA_MAPPING_ERROR);
	KTEST_EXPECT_EQ(t, dma_map_single(&kt_dev, buf, 0, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	if (vbuf)
		KTEST_EXPECT_EQ(t, dma_map_single(&kt_dev, vbuf, 64, DMA_TO_DEVICE),
				DMA_MAPPING_ERROR);
	mbuf = module_alloc(PAGE_SIZE);
	KTEST_EXPECT_NOT_NULL(t, mbuf);
	if (mbuf) {
		/* Above KERNEL_VMA like the image, but vmalloc'd: refused. */
		KTEST_EXPECT_EQ(t, dma_map_single(&kt_dev, mbuf, 64, DMA_TO_DEVICE),
				DMA_MAPPING_ERROR);
		module_memfree(mbuf);
	}
	/* The kernel image itself is physically contiguous: accepted. */
	h = dma_map_single(&kt_dev, &kt_dev, sizeof(kt_dev), DMA_TO_DEVICE);
	KTEST_EXPECT_FALSE(t, dma_mapping_error(&kt_dev, h));
	if (!dma_mapping_error(&kt_dev, h))
		dma_unmap_single(&kt_dev, h, sizeof(kt_dev), DMA_TO_DEVICE);
	h = 0;
	KTEST_EXPECT_NE(t, dma_mapping_error(&kt_dev, DMA_MAPPING_ERROR), 0);
	KTEST_EXPECT_EQ(t, dma_mapping_error(&kt_dev, 0x1000), 0);
	KTEST_EXPECT_NULL(t, dma_alloc_coherent(&kt_dev, 0, &h, GFP_KERNEL));
	KTEST_EXPECT_NULL(t, dma_alloc_coherent(&kt_dev, PAGE_SIZE << (MAX_ORDER + 1), &h,
						GFP_KERNEL));
	vfree(vbuf);
	kfree(buf);
}

/* Map @size bytes at @buf in every direction and check what each side sees. */
static void check_all_directions(struct ktest *t, struct device *dev, u8 *buf, size_t size,
				 bool want_bounce)
{
	static const enum dma_data_direction dirs[] = {
		DMA_TO_DEVICE, DMA_FROM_DEVICE, DMA_BIDIRECTIONAL,
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(dirs); i++) {
		enum dma_data_direction dir = dirs[i];
		dma_addr_t a;
		u8 *seen;

		fill(buf, size, (u8)(i + 1));
		a = dma_map_single(dev, buf, size, dir);
		KTEST_ASSERT_EQ(t, dma_mapping_error(dev, a), 0);
		KTEST_EXPECT_LE(t, a + size - 1, *dev->dma_mask);
		KTEST_EXPECT_EQ(t, in_pool(a), want_bounce);
		if (!want_bounce)
			KTEST_EXPECT_EQ(t, a, virt_to_phys(buf));
		seen = bus_to_virt(a);
		/* The device sees the buffer's data in every direction. */
		KTEST_EXPECT_TRUE(t, check(seen, size, (u8)(i + 1)));
		if (dir != DMA_TO_DEVICE)
			fill(seen, size, (u8)(i + 100));	/* the device writes */
		dma_unmap_single(dev, a, size, dir);
		KTEST_EXPECT_TRUE(t, check(buf, size, dir == DMA_TO_DEVICE ? (u8)(i + 1) :
									   (u8)(i + 100)));
	}
}

static void test_map_single_direct(struct ktest *t)
{
	u8 *buf = kmalloc(4096 + 200, GFP_KERNEL);

	KTEST_ASSERT_NOT_NULL(t, buf);
	check_all_directions(t, &kt_dev, buf, 4096, false);
	check_all_directions(t, &kt_dev, buf + 37, 3000, false);
	KTEST_EXPECT_EQ(t, pool_used(), base_used);
	kfree(buf);
}

static void test_map_single_bounced(struct ktest *t)
{
	u8 *buf = kmalloc(8192 + 200, GFP_KERNEL);

	if (!pool_present())
		KTEST_SKIP(t, "no bounce pool");
	KTEST_ASSERT_NOT_NULL(t, buf);
	kt_dev.dma_force_bounce = true;
	check_all_directions(t, &kt_dev, buf, 4096, true);
	check_all_directions(t, &kt_dev, buf + 13, 5000, true);
	check_all_directions(t, &kt_dev, buf + 1, 1, true);
	kt_dev.dma_force_bounce = false;
	kfree(buf);
}

static void sync_to_device_round(struct ktest *t, u8 *buf)
{
	dma_addr_t a;
	u8 *seen;

	fill(buf, 2048, 5);
	a = dma_map_single(&kt_dev, buf, 2048, DMA_TO_DEVICE);
	KTEST_ASSERT_EQ(t, dma_mapping_error(&kt_dev, a), 0);
	seen = bus_to_virt(a);
	memset(seen, 0, 2048);
	dma_sync_single_for_cpu(&kt_dev, a, 2048, DMA_TO_DEVICE);
	KTEST_EXPECT_TRUE(t, check(buf, 2048, 5));
	fill(buf, 2048, 7);
	dma_sync_single_for_device(&kt_dev, a, 2048, DMA_TO_DEVICE);
	KTEST_EXPECT_TRUE(t, check(seen, 2048, 7));
	dma_unmap_single(&kt_dev, a, 2048, DMA_TO_DEVICE);
	KTEST_EXPECT_TRUE(t, check(buf, 2048, 7));
}

/* sync hands the buffer back and forth without unmapping. */
static void test_sync_bounced(struct ktest *t)
{
	u8 *buf = kmalloc(2048, GFP_KERNEL);
	dma_addr_t a;

	if (!pool_present())
		KTEST_SKIP(t, "no bounce pool");
	KTEST_ASSERT_NOT_NULL(t, buf);
	kt_dev.dma_force_bounce = true;
	fill(buf, 2048, 1);
	a = dma_map_single(&kt_dev, buf, 2048, DMA_BIDIRECTIONAL);
	KTEST_ASSERT_EQ(t, dma_mapping_error(&kt_dev, a), 0);
	fill(bus_to_virt(a), 2048, 2);
	dma_sync_single_for_cpu(&kt_dev, a, 2048, DMA_BIDIRECTIONAL);
	KTEST_EXPECT_TRUE(t, check(buf, 2048, 2));
	fill(buf, 2048, 3);
	dma_sync_single_for_device(&kt_dev, a, 2048, DMA_BIDIRECTIONAL);
	KTEST_EXPECT_TRUE(t, check(bus_to_virt(a), 2048, 3));
	/* A partial sync copies only its part. */
	fill(bus_to_virt(a), 2048, 4);
	dma_sync_single_for_cpu(&kt_dev, a, 100, DMA_BIDIRECTIONAL);
	KTEST_EXPECT_TRUE(t, check(buf, 100, 4));
	KTEST_EXPECT_TRUE(t, check(buf + 100, 1948, (u8)(3 + 100 * 7)));
	dma_unmap_single(&kt_dev, a, 2048, DMA_BIDIRECTIONAL);
	KTEST_EXPECT_TRUE(t, check(buf, 2048, 4));

	/* TO_DEVICE: sync for the CPU copies nothing back, for the device it does. */
	sync_to_device_round(t, buf);
	kt_dev.dma_force_bounce = false;
	kfree(buf);
}

static void test_map_page(struct ktest *t)
{
	struct page *pg = alloc_pages(GFP_KERNEL, 1);
	u8 *va;
	dma_addr_t a;

	KTEST_ASSERT_NOT_NULL(t, pg);
	va = page_address(pg);
	fill(va, 2 * PAGE_SIZE, 9);
	a = dma_map_page(&kt_dev, pg, 100, PAGE_SIZE, DMA_TO_DEVICE);
	KTEST_EXPECT_EQ(t, a, page_to_phys(pg) + 100);
	dma_unmap_page(&kt_dev, a, PAGE_SIZE, DMA_TO_DEVICE);
	if (pool_present()) {
		kt_dev.dma_force_bounce = true;
		a = dma_map_page(&kt_dev, pg, 100, PAGE_SIZE, DMA_FROM_DEVICE);
		KTEST_ASSERT_EQ(t, dma_mapping_error(&kt_dev, a), 0);
		KTEST_EXPECT_TRUE(t, in_pool(a));
		/* Page-sized bounce mappings start on a page. */
		KTEST_EXPECT_EQ(t, a & (PAGE_SIZE - 1), 0ULL);
		fill(bus_to_virt(a), PAGE_SIZE, 11);
		dma_unmap_page(&kt_dev, a, PAGE_SIZE, DMA_FROM_DEVICE);
		KTEST_EXPECT_TRUE(t, check(va + 100, PAGE_SIZE, 11));
		KTEST_EXPECT_TRUE(t, check(va, 100, 9));
		kt_dev.dma_force_bounce = false;
	}
	__free_pages(pg, 1);
}

static void sg_round(struct ktest *t, bool bounce)
{
	static const unsigned int len[4] = { 100, 4096, 3000, 64 };
	struct page *pg = alloc_page(GFP_KERNEL);
	struct scatterlist sgl[4], *sg;
	u8 *buf[3];
	unsigned int n;
	int i;

	KTEST_ASSERT_NOT_NULL(t, pg);
	buf[0] = kmalloc(len[0], GFP_KERNEL);
	buf[1] = kmalloc(len[1], GFP_KERNEL);
	buf[2] = kmalloc(len[2], GFP_KERNEL);
	kt_dev.dma_force_bounce = bounce;
	sg_init_table(sgl, 4);
	for (i = 0; i < 3; i++) {
		KTEST_ASSERT_NOT_NULL(t, buf[i]);
		fill(buf[i], len[i], (u8)(20 + i));
		sg_set_buf(&sgl[i], buf[i], len[i]);
	}
	fill(page_address(pg), PAGE_SIZE, 23);
	sg_set_page(&sgl[3], pg, len[3], 512);
	KTEST_EXPECT_EQ(t, sg_nents(sgl), 4);
	n = dma_map_sg(&kt_dev, sgl, 4, DMA_BIDIRECTIONAL);
	KTEST_ASSERT_EQ(t, n, 4U);
	for_each_sg(sgl, sg, n, i) {
		KTEST_EXPECT_EQ(t, sg_dma_len(sg), len[i]);
		KTEST_EXPECT_EQ(t, in_pool(sg_dma_address(sg)), bounce);
		if (!bounce)
			KTEST_EXPECT_EQ(t, sg_dma_address(sg), sg_phys(sg));
		KTEST_EXPECT_TRUE(t, check(bus_to_virt(sg_dma_address(sg)), len[i],
					   i < 3 ? (u8)(20 + i) : (u8)(23 + 512 * 7)));
		fill(bus_to_virt(sg_dma_address(sg)), len[i], (u8)(40 + i));
	}
	dma_sync_sg_for_cpu(&kt_dev, sgl, 4, DMA_BIDIRECTIONAL);
	for_each_sg(sgl, sg, 4, i)
		KTEST_EXPECT_TRUE(t, check(sg_virt(sg), len[i], (u8)(40 + i)));
	for_each_sg(sgl, sg, 4, i)
		fill(sg_virt(sg), len[i], (u8)(60 + i));
	dma_sync_sg_for_device(&kt_dev, sgl, 4, DMA_BIDIRECTIONAL);
	for_each_sg(sgl, sg, 4, i) {
		KTEST_EXPECT_TRUE(t, check(bus_to_virt(sg_dma_address(sg)), len[i], (u8)(60 + i)));
		fill(bus_to_virt(sg_dma_address(sg)), len[i], (u8)(80 + i));
	}
	dma_unmap_sg(&kt_dev, sgl, 4, DMA_BIDIRECTIONAL);
	for_each_sg(sgl, sg, 4, i)
		KTEST_EXPECT_TRUE(t, check(sg_virt(sg), len[i], (u8)(80 + i)));
	kt_dev.dma_force_bounce = false;
	for (i = 0; i < 3; i++)
		kfree(buf[i]);
	__free_page(pg);
}

static void test_sg_direct(struct ktest *t)
{
	sg_round(t, false);
}

static void test_sg_bounced(struct ktest *t)
{
	if (!pool_present())
		KTEST_SKIP(t, "no bounce pool");
	sg_round(t, true);
}

/* A page above 4 GiB, or NULL when the machine has none free. */
static struct page *page_above_4g(unsigned int order)
{
	struct page *pg;

	if (PFN_PHYS(max_pfn) <= FOUR_GIB)
		return NULL;
	/* Without a zone flag the allocator serves ZONE_NORMAL first. */
	pg = alloc_pages(GFP_KERNEL, order);
	if (pg && page_to_phys(pg) < FOUR_GIB) {
		__free_pages(pg, order);
		pg = NULL;
	}
	return pg;
}

/* A 32-bit device and buffers above 4 GiB: bounced, data intact. */
static void test_bounce_above_4g(struct ktest *t)
{
	struct page *pg = page_above_4g(1);
	struct scatterlist sg[2];
	u8 *va;

	if (!pg)
		KTEST_SKIP(t, "no RAM above 4 GiB");
	if (!pool_present()) {
		__free_pages(pg, 1);
		KTEST_SKIP(t, "no bounce pool");
	}
	va = page_address(pg);
	ktest_log(t, "buffer at %#llx", page_to_phys(pg));
	KTEST_ASSERT_EQ(t, dma_set_mask_and_coherent(&kt_dev, DMA_BIT_MASK(32)), 0);
	check_all_directions(t, &kt_dev, va, PAGE_SIZE, true);
	check_all_directions(t, &kt_dev, va + 5, 6000, true);
	sg_init_table(sg, 2);
	sg_set_buf(&sg[0], va, 512);
	sg_set_buf(&sg[1], va + PAGE_SIZE, 1024);
	KTEST_ASSERT_EQ(t, dma_map_sg(&kt_dev, sg, 2, DMA_FROM_DEVICE), 2U);
	KTEST_EXPECT_LT(t, sg_dma_address(&sg[0]), FOUR_GIB);
	KTEST_EXPECT_LT(t, sg_dma_address(&sg[1]), FOUR_GIB);
	fill(bus_to_virt(sg_dma_address(&sg[1])), 1024, 77);
	dma_unmap_sg(&kt_dev, sg, 2, DMA_FROM_DEVICE);
	KTEST_EXPECT_TRUE(t, check(va + PAGE_SIZE, 1024, 77));
	/* The same buffer with a 64-bit mask is not bounced. */
	KTEST_ASSERT_EQ(t, dma_set_mask(&kt_dev, DMA_BIT_MASK(64)), 0);
	check_all_directions(t, &kt_dev, va, PAGE_SIZE, false);
	__free_pages(pg, 1);
}

static void test_coherent_masks(struct ktest *t)
{
	static const unsigned int bits[] = { 64, 32, 28, 24 };
	bool high = false;

	for (unsigned int b = 0; b < ARRAY_SIZE(bits); b++) {
		void *va[4];
		dma_addr_t h[4];
		size_t size = 3 * PAGE_SIZE + 5;

		KTEST_ASSERT_EQ(t, dma_set_coherent_mask(&kt_dev, DMA_BIT_MASK(bits[b])), 0);
		for (int i = 0; i < 4; i++) {
			va[i] = dma_alloc_coherent(&kt_dev, size, &h[i], GFP_KERNEL);
			KTEST_ASSERT_NOT_NULL(t, va[i]);
			KTEST_EXPECT_LE(t, h[i] + size - 1, DMA_BIT_MASK(bits[b]));
			KTEST_EXPECT_TRUE(t, va[i] == phys_to_virt(h[i]));
			KTEST_EXPECT_NULL(t, memchr_inv(va[i], 0, size));
			high |= h[i] >= FOUR_GIB;
			memset(va[i], 0xa5, size);
		}
		for (int i = 0; i < 4; i++)
			dma_free_coherent(&kt_dev, size, va[i], h[i]);
	}
	ktest_log(t, "64-bit mask %s memory above 4 GiB", high ? "got" : "never got");
	if (PFN_PHYS(max_pfn) > FOUR_GIB + (1ULL << 30))
		KTEST_EXPECT_TRUE(t, high);
}

static void test_pool_boundary(struct ktest *t)
{
	struct { void *va; dma_addr_t h; } blk[200];
	struct dma_pool *pool;
	dma_addr_t h;
	void *va, *gap;

	KTEST_EXPECT_NULL(t, dma_pool_create("kt", &kt_dev, 64, 3, 0));
	KTEST_EXPECT_NULL(t, dma_pool_create("kt", &kt_dev, 0, 8, 0));
	KTEST_EXPECT_NULL(t, dma_pool_create("kt", &kt_dev, 300, 8, 256));
	KTEST_EXPECT_NULL(t, dma_pool_create("kt", &kt_dev, 64, 8, 100));
	pool = dma_pool_create("kt", &kt_dev, 96, 32, 256);
	KTEST_ASSERT_NOT_NULL(t, pool);
	for (int i = 0; i < 200; i++) {
		blk[i].va = dma_pool_alloc(pool, GFP_KERNEL, &blk[i].h);
		KTEST_ASSERT_NOT_NULL(t, blk[i].va);
		KTEST_EXPECT_EQ(t, blk[i].h & 31, 0ULL);
		/* 96-byte blocks never straddle a 256-byte line. */
		KTEST_EXPECT_EQ(t, blk[i].h / 256, (blk[i].h + 95) / 256);
		KTEST_EXPECT_TRUE(t, blk[i].va == phys_to_virt(blk[i].h));
		memset(blk[i].va, i, 96);
	}
	for (int i = 0; i < 200; i++)
		KTEST_EXPECT_NULL(t, memchr_inv(blk[i].va, i, 96));
	for (int i = 0; i < 200; i += 2)
		dma_pool_free(pool, blk[i].va, blk[i].h);
	/* Bad frees are refused and change nothing. */
	dma_pool_free(pool, blk[0].va, blk[0].h);			/* twice */
	dma_pool_free(pool, (u8 *)blk[1].va + 8, blk[1].h + 8);	/* not a block */
	dma_pool_free(pool, blk[3].va, blk[3].h + 32);		/* wrong handle */
	/* 192 = 2 * 96, but in the gap before the 256-byte boundary. */
	gap = (u8 *)((unsigned long)blk[0].va & ~(PAGE_SIZE - 1)) + 192;
	dma_pool_free(pool, gap, (blk[0].h & ~(dma_addr_t)(PAGE_SIZE - 1)) + 192);
	va = dma_pool_zalloc(pool, GFP_KERNEL, &h);
	KTEST_ASSERT_NOT_NULL(t, va);
	KTEST_EXPECT_TRUE(t, va != gap);
	KTEST_EXPECT_NULL(t, memchr_inv(va, 0, 96));
	for (int i = 1; i < 200; i += 2) {
		KTEST_EXPECT_TRUE(t, blk[i].va != va);
		KTEST_EXPECT_NULL(t, memchr_inv(blk[i].va, i, 96));
		dma_pool_free(pool, blk[i].va, blk[i].h);
	}
	dma_pool_free(pool, va, h);
	dma_pool_destroy(pool);

	/* Blocks larger than a page, 4 KiB boundary: one per boundary chunk. */
	pool = dma_pool_create("kt-big", &kt_dev, 3000, 64, 4096);
	KTEST_ASSERT_NOT_NULL(t, pool);
	for (int i = 0; i < 8; i++) {
		blk[i].va = dma_pool_alloc(pool, GFP_KERNEL, &blk[i].h);
		KTEST_ASSERT_NOT_NULL(t, blk[i].va);
		KTEST_EXPECT_EQ(t, blk[i].h / 4096, (blk[i].h + 2999) / 4096);
	}
	for (int i = 0; i < 8; i++)
		dma_pool_free(pool, blk[i].va, blk[i].h);
	dma_pool_destroy(pool);
}

/* ------------------------------------------------ API debug checks */

static unsigned long dbg_errors(enum dma_debug_error e)
{
	struct dma_debug_stats st;

	dma_debug_get_stats(&st);
	return st.errors[e];
}

/* The last debug error was @e, about @dev, and its line says @what. */
#define EXPECT_DEBUG_ERROR(t, e, before, dev, what) do {		\
	char __line[200];						\
									\
	KTEST_EXPECT_EQ(t, dbg_errors(e), (before) + 1);		\
	dma_debug_last_error(__line, sizeof(__line));			\
	KTEST_EXPECT_NOT_NULL(t, strstr(__line, dev_name(dev)));	\
	KTEST_EXPECT_NOT_NULL(t, strstr(__line, what));			\
	ktest_log(t, "caught: %s", __line);				\
} while (0)

static bool debug_on(void)
{
	struct dma_debug_stats st;

	dma_debug_get_stats(&st);
	return IS_ENABLED(CONFIG_DMA_API_DEBUG) && !st.disabled;
}

static void test_debug_unmap_errors(struct ktest *t)
{
	u8 *buf = kmalloc(512, GFP_KERNEL);
	unsigned long n;
	dma_addr_t a;

	if (!debug_on())
		KTEST_SKIP(t, "CONFIG_DMA_API_DEBUG is off");
	KTEST_ASSERT_NOT_NULL(t, buf);
	/* An odd address: no mapping of any earlier case can have had it. */
	n = dbg_errors(DMA_DEBUG_NOT_MAPPED);
	dma_unmap_single(&kt_dev, virt_to_phys(buf) + 3, 500, DMA_TO_DEVICE);
	EXPECT_DEBUG_ERROR(t, DMA_DEBUG_NOT_MAPPED, n, &kt_dev, "never mapped");

	a = dma_map_single(&kt_dev, buf, 512, DMA_TO_DEVICE);
	KTEST_EXPECT_EQ(t, dma_debug_device_count(&kt_dev), 1U);
	dma_unmap_single(&kt_dev, a, 512, DMA_TO_DEVICE);
	n = dbg_errors(DMA_DEBUG_DOUBLE_UNMAP);
	dma_unmap_single(&kt_dev, a, 512, DMA_TO_DEVICE);
	EXPECT_DEBUG_ERROR(t, DMA_DEBUG_DOUBLE_UNMAP, n, &kt_dev, "already unmapped");

	a = dma_map_single(&kt_dev, buf, 512, DMA_TO_DEVICE);
	n = dbg_errors(DMA_DEBUG_WRONG_SIZE);
	dma_unmap_single(&kt_dev, a, 256, DMA_TO_DEVICE);
	EXPECT_DEBUG_ERROR(t, DMA_DEBUG_WRONG_SIZE, n, &kt_dev, "size 256");
	KTEST_EXPECT_EQ(t, dma_debug_device_count(&kt_dev), 0U);

	a = dma_map_single(&kt_dev, buf, 512, DMA_TO_DEVICE);
	n = dbg_errors(DMA_DEBUG_WRONG_DIR);
	dma_unmap_single(&kt_dev, a, 512, DMA_FROM_DEVICE);
	EXPECT_DEBUG_ERROR(t, DMA_DEBUG_WRONG_DIR, n, &kt_dev, "DMA_FROM_DEVICE");
	KTEST_EXPECT_EQ(t, dma_debug_device_count(&kt_dev), 0U);
	kfree(buf);
}

/* Wrong unmaps of bounced buffers: caught, and no other data is touched. */
static void test_debug_bounced_safe(struct ktest *t)
{
	u8 *a_buf = kmalloc(2048, GFP_KERNEL), *b_buf = kmalloc(2048, GFP_KERNEL);
	unsigned long n, used;
	dma_addr_t a, b;

	if (!debug_on() || !pool_present())
		KTEST_SKIP(t, "CONFIG_DMA_API_DEBUG is off or no bounce pool");
	KTEST_ASSERT_NOT_NULL(t, a_buf);
	KTEST_ASSERT_NOT_NULL(t, b_buf);
	kt_dev.dma_force_bounce = kt_dev2.dma_force_bounce = true;
	fill(a_buf, 2048, 1);
	a = dma_map_single(&kt_dev, a_buf, 2048, DMA_FROM_DEVICE);
	KTEST_ASSERT_EQ(t, dma_mapping_error(&kt_dev, a), 0);
	dma_unmap_single(&kt_dev, a, 2048, DMA_FROM_DEVICE);
	/* Another device's mapping may take the freed slot. */
	fill(b_buf, 2048, 2);
	b = dma_map_single(&kt_dev2, b_buf, 2048, DMA_BIDIRECTIONAL);
	KTEST_ASSERT_EQ(t, dma_mapping_error(&kt_dev2, b), 0);
	fill(bus_to_virt(b), 2048, 3);
	used = pool_used();
	n = dbg_errors(DMA_DEBUG_DOUBLE_UNMAP);
	dma_unmap_single(&kt_dev, a, 2048, DMA_FROM_DEVICE);
	EXPECT_DEBUG_ERROR(t, DMA_DEBUG_DOUBLE_UNMAP, n, &kt_dev, "already unmapped");
	/* The second unmap neither freed b's slot nor copied into a's buffer. */
	KTEST_EXPECT_EQ(t, pool_used(), used);
	KTEST_EXPECT_TRUE(t, check(bus_to_virt(b), 2048, 3));
	dma_unmap_single(&kt_dev2, b, 2048, DMA_BIDIRECTIONAL);
	KTEST_EXPECT_TRUE(t, check(b_buf, 2048, 3));

	/* A too-large unmap size is cut to the mapping: nothing past it is written. */
	fill(a_buf, 2048, 4);
	a = dma_map_single(&kt_dev, a_buf, 1000, DMA_FROM_DEVICE);
	KTEST_ASSERT_EQ(t, dma_mapping_error(&kt_dev, a), 0);
	fill(bus_to_virt(a), 2048, 5);
	n = dbg_errors(DMA_DEBUG_WRONG_SIZE);
	dma_unmap_single(&kt_dev, a, 2048, DMA_FROM_DEVICE);
	EXPECT_DEBUG_ERROR(t, DMA_DEBUG_WRONG_SIZE, n, &kt_dev, "size 2048");
	KTEST_EXPECT_TRUE(t, check(a_buf, 1000, 5));
	KTEST_EXPECT_TRUE(t, check(a_buf + 1000, 1048, (u8)(4 + 1000 * 7)));
	kt_dev.dma_force_bounce = kt_dev2.dma_force_bounce = false;
	kfree(a_buf);
	kfree(b_buf);
}

static void test_debug_sync_and_type(struct ktest *t)
{
	u8 *buf = kmalloc(1024, GFP_KERNEL);
	struct scatterlist sg[1];
	unsigned long n;
	dma_addr_t a, h;
	void *va;

	if (!debug_on())
		KTEST_SKIP(t, "CONFIG_DMA_API_DEBUG is off");
	KTEST_ASSERT_NOT_NULL(t, buf);
	a = dma_map_single(&kt_dev, buf, 1024, DMA_TO_DEVICE);
	n = dbg_errors(DMA_DEBUG_WRONG_DIR);
	dma_sync_single_for_cpu(&kt_dev, a, 1024, DMA_FROM_DEVICE);
	EXPECT_DEBUG_ERROR(t, DMA_DEBUG_WRONG_DIR, n, &kt_dev, "sync_for_cpu");
	n = dbg_errors(DMA_DEBUG_WRONG_SIZE);
	dma_sync_single_for_device(&kt_dev, a, 2048, DMA_TO_DEVICE);
	EXPECT_DEBUG_ERROR(t, DMA_DEBUG_WRONG_SIZE, n, &kt_dev, "2048 bytes");
	dma_unmap_single(&kt_dev, a, 1024, DMA_TO_DEVICE);
	n = dbg_errors(DMA_DEBUG_NOT_MAPPED);
	dma_sync_single_for_cpu(&kt_dev, a, 1024, DMA_TO_DEVICE);
	EXPECT_DEBUG_ERROR(t, DMA_DEBUG_NOT_MAPPED, n, &kt_dev, "sync_for_cpu");

	/* An sg entry unmapped as a single mapping: refused, the mapping kept. */
	sg_init_one(sg, buf, 1024);
	KTEST_ASSERT_EQ(t, dma_map_sg(&kt_dev, sg, 1, DMA_TO_DEVICE), 1U);
	n = dbg_errors(DMA_DEBUG_WRONG_TYPE);
	dma_unmap_single(&kt_dev, sg_dma_address(sg), 1024, DMA_TO_DEVICE);
	EXPECT_DEBUG_ERROR(t, DMA_DEBUG_WRONG_TYPE, n, &kt_dev, "scatter-gather");
	KTEST_EXPECT_EQ(t, dma_debug_device_count(&kt_dev), 1U);
	dma_unmap_sg(&kt_dev, sg, 1, DMA_TO_DEVICE);

	/* Freeing coherent memory that was never allocated frees nothing. */
	n = dbg_errors(DMA_DEBUG_NOT_MAPPED);
	dma_free_coherent(&kt_dev, 255, buf + 257, virt_to_phys(buf + 257));
	EXPECT_DEBUG_ERROR(t, DMA_DEBUG_NOT_MAPPED, n, &kt_dev, "free_coherent");
	memset(buf, 0x5a, 1024);	/* still ours: the kmalloc block was not freed */
	va = dma_alloc_coherent(&kt_dev, 100, &h, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, va);
	n = dbg_errors(DMA_DEBUG_WRONG_SIZE);
	dma_free_coherent(&kt_dev, 200, va, h);
	EXPECT_DEBUG_ERROR(t, DMA_DEBUG_WRONG_SIZE, n, &kt_dev, "size 200");
	kfree(buf);
}

/* ------------------------------------ a bound driver: devres and leaks */

static int kt_match(struct device *dev, struct device_driver *drv)
{
	return 1;
}

static struct bus_type kt_dma_bus = { .name = "ktdmabus", .match = kt_match };
static bool kt_leak_one;
static u8 kt_leak_buf[64];

static int kt_probe(struct device *dev)
{
	struct dma_pool *pool;
	dma_addr_t h;
	void *p;

	if (dma_set_mask_and_coherent(dev, DMA_BIT_MASK(32)))
		return -EIO;
	if (!dmam_alloc_coherent(dev, 8192, &h, GFP_KERNEL))
		return -ENOMEM;
	p = dmam_alloc_coherent(dev, 100, &h, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	dmam_free_coherent(dev, 100, p, h);
	pool = dmam_pool_create("kt-managed", dev, 64, 64, 0);
	if (!pool)
		return -ENOMEM;
	p = dma_pool_alloc(pool, GFP_KERNEL, &h);
	if (!p)
		return -ENOMEM;
	dma_pool_free(pool, p, h);
	if (kt_leak_one &&
	    dma_mapping_error(dev, dma_map_single(dev, kt_leak_buf, 64, DMA_TO_DEVICE)))
		return -EIO;
	return 0;
}

static struct device_driver kt_dma_drv = { .name = "kt-dma-drv", .bus = &kt_dma_bus,
					   .probe = kt_probe };

static void test_managed_and_leak(struct ktest *t)
{
	unsigned long n = dbg_errors(DMA_DEBUG_LEAK);
	unsigned long free0;

	KTEST_ASSERT_EQ(t, bus_register(&kt_dma_bus), 0);
	KTEST_ASSERT_EQ(t, driver_register(&kt_dma_drv), 0);
	kt_dev.bus = &kt_dma_bus;
	free0 = nr_free_pages();
	kt_leak_one = false;
	KTEST_EXPECT_EQ(t, device_add(&kt_dev), 0);
	KTEST_EXPECT_TRUE(t, kt_dev.driver == &kt_dma_drv);
	if (debug_on())	/* 8 KiB block + one pool chunk */
		KTEST_EXPECT_EQ(t, dma_debug_device_count(&kt_dev), 2U);
	device_release_driver(&kt_dev);
	KTEST_EXPECT_EQ(t, dma_debug_device_count(&kt_dev), 0U);
	KTEST_EXPECT_EQ(t, dbg_errors(DMA_DEBUG_LEAK), n);
	KTEST_EXPECT_GE(t, nr_free_pages() + 8, free0);

	kt_leak_one = true;
	KTEST_EXPECT_EQ(t, device_attach(&kt_dev), 1);
	device_release_driver(&kt_dev);
	if (debug_on())
		EXPECT_DEBUG_ERROR(t, DMA_DEBUG_LEAK, n, &kt_dev, "1 pending DMA mappings");
	KTEST_EXPECT_EQ(t, dma_debug_device_count(&kt_dev), 0U);
	kt_leak_one = false;
	device_del(&kt_dev);
	driver_unregister(&kt_dma_drv);
	KTEST_EXPECT_EQ(t, bus_unregister(&kt_dma_bus), 0);
}

/* ---------------------------------------- swiotlb: exhaustion, SMP */

static void test_swiotlb_exhaustion(struct ktest *t)
{
	size_t seg = IO_TLB_SEGSIZE * IO_TLB_SIZE;
	struct swiotlb_stats st0, st;
	unsigned int n = 0, max;
	dma_addr_t *a;
	u8 *buf;

	if (!pool_present())
		KTEST_SKIP(t, "no bounce pool");
	swiotlb_get_stats(&st0);
	max = (unsigned int)(st0.nslabs / IO_TLB_SEGSIZE) + 2;
	buf = kmalloc(seg, GFP_KERNEL);
	a = kcalloc(max, sizeof(*a), GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, buf);
	KTEST_ASSERT_NOT_NULL(t, a);
	kt_dev.dma_force_bounce = true;
	/* More than a segment is never bounced. */
	KTEST_EXPECT_EQ(t, dma_map_single(&kt_dev, buf, seg + 1, DMA_TO_DEVICE),
			DMA_MAPPING_ERROR);
	while (n < max) {
		a[n] = dma_map_single(&kt_dev, buf, seg, DMA_TO_DEVICE);
		if (dma_mapping_error(&kt_dev, a[n]))
			break;
		n++;
	}
	swiotlb_get_stats(&st);
	ktest_log(t, "%u mappings of %zu KiB fit in %lu slots", n, seg >> 10, st.nslabs);
	KTEST_EXPECT_LT(t, n, max);
	KTEST_EXPECT_EQ(t, st.full, st0.full + 1);
	KTEST_EXPECT_EQ(t, st.high_water, st.used);
	/* Small mappings may still fit in what is left over. */
	while (n--)
		dma_unmap_single(&kt_dev, a[n], seg, DMA_TO_DEVICE);
	kt_dev.dma_force_bounce = false;
	kfree(a);
	kfree(buf);
}

struct smp_ctx {
	unsigned long errors;
	unsigned long full;
};

static void smp_worker(void *arg, unsigned int id)
{
	struct smp_ctx *ctx = arg;
	u8 *buf = kmalloc(2048 + 64, GFP_KERNEL);

	if (!buf) {
		__atomic_fetch_add(&ctx->errors, 1, __ATOMIC_RELAXED);
		return;
	}
	/* Many short mappings: the race is on the slot bitmap, not the copies. */
	for (unsigned int i = 0; i < 200; i++) {
		size_t len = 1 + (i * 997 + id * 131) % 512;
		u8 *p = buf + (i % 64);
		u8 seed = (u8)(id * 16 + i);
		dma_addr_t a;

		fill(p, len, seed);
		a = dma_map_single(&kt_dev, p, len, DMA_BIDIRECTIONAL);
		if (dma_mapping_error(&kt_dev, a)) {
			__atomic_fetch_add(&ctx->full, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (!in_pool(a) || !check(bus_to_virt(a), len, seed))
			__atomic_fetch_add(&ctx->errors, 1, __ATOMIC_RELAXED);
		fill(bus_to_virt(a), len, (u8)(seed + 1));
		dma_unmap_single(&kt_dev, a, len, DMA_BIDIRECTIONAL);
		if (!check(p, len, (u8)(seed + 1)))
			__atomic_fetch_add(&ctx->errors, 1, __ATOMIC_RELAXED);
	}
	kfree(buf);
}

static void test_swiotlb_smp(struct ktest *t)
{
	struct smp_ctx ctx = { 0 };
	int ran;

	if (!pool_present())
		KTEST_SKIP(t, "no bounce pool");
	kt_dev.dma_force_bounce = true;
	ran = ktest_run_on_cpus(num_online_cpus(), smp_worker, &ctx);
	kt_dev.dma_force_bounce = false;
	KTEST_ASSERT_GT(t, ran, 0);
	ktest_log(t, "%d CPUs, %lu mappings refused (pool full)", ran, ctx.full);
	KTEST_EXPECT_EQ(t, ctx.errors, 0UL);
	KTEST_EXPECT_EQ(t, ctx.full, 0UL);
}

static struct ktest_case dma_cases[] = {
	KTEST_CASE(test_masks),
	KTEST_CASE(test_bad_input),
	KTEST_CASE(test_map_single_direct),
	KTEST_CASE(test_map_single_bounced),
	KTEST_CASE(test_sync_bounced),
	KTEST_CASE(test_map_page),
	KTEST_CASE(test_sg_direct),
	KTEST_CASE(test_sg_bounced),
	KTEST_CASE_FLAGS(test_bounce_above_4g, KTEST_F_NOHOST),
	KTEST_CASE(test_coherent_masks),
	KTEST_CASE(test_pool_boundary),
	KTEST_CASE(test_debug_unmap_errors),
	KTEST_CASE(test_debug_bounced_safe),
	KTEST_CASE(test_debug_sync_and_type),
	KTEST_CASE(test_managed_and_leak),
	KTEST_CASE_RAM(test_swiotlb_exhaustion, 0, 64),
	KTEST_CASE_FLAGS(test_swiotlb_smp, KTEST_F_SMP),
	{}
};

static struct ktest_suite dma_suite = {
	.name = "dma",
	.cases = dma_cases,
	.init = dma_kt_init,
	.exit = dma_kt_exit,
};
KTEST_SUITE(dma_suite);
