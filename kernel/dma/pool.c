// SPDX-License-Identifier: GPL-2.0
/*
 * DMA pools (<exo/dmapool.h>).  A pool takes coherent chunks of
 * max(size, PAGE_SIZE) bytes and cuts each into blocks laid out once, at
 * chunk creation, so that none crosses the boundary.  Free blocks of a
 * chunk are chained through their first word.  One spinlock per pool
 * (interrupts off) covers the chunks; new chunks are allocated outside it.
 */
#define pr_fmt(fmt) "dmapool: " fmt

#include <exo/dmapool.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/list.h>
#include <exo/slab.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <asm/page.h>

struct dma_pool {
	struct list_head pages;
	spinlock_t lock;
	struct device *dev;
	const char *name;
	size_t size;			/* block size, aligned */
	size_t allocation;		/* chunk size */
	size_t boundary;		/* 0: nothing to avoid */
};

struct dma_page {
	struct list_head node;
	void *vaddr;
	dma_addr_t dma;
	void *free;			/* first free block, chained */
	unsigned int in_use;
};

static bool is_pow2(size_t x)
{
	return x && !(x & (x - 1));
}

struct dma_pool *dma_pool_create(const char *name, struct device *dev, size_t size,
				 size_t align, size_t boundary)
{
	struct dma_pool *pool;

	if (!align)
		align = 1;
	if (!dev || !size || !is_pow2(align) || align > PAGE_SIZE) {
		pr_err("%s: bad size %zu or alignment %zu\n", name, size, align);
		return NULL;
	}
	size = ALIGN(max_t(size_t, size, sizeof(void *)), align);
	if (boundary && (!is_pow2(boundary) || boundary < size)) {
		dev_err(dev, "dma_pool_create %s: boundary %zu is no power of two >= %zu\n",
			name, boundary, size);
		return NULL;
	}
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;
	INIT_LIST_HEAD(&pool->pages);
	spin_lock_init(&pool->lock);
	pool->dev = dev;
	pool->name = name;
	pool->size = size;
	pool->allocation = ALIGN(max_t(size_t, size, PAGE_SIZE), PAGE_SIZE);
	/*
	 * A chunk is aligned to its power-of-two order, so a boundary at
	 * least as large as the chunk can never be crossed: 0, no check.
	 */
	pool->boundary = boundary < pool->allocation ? boundary : 0;
	return pool;
}
EXPORT_SYMBOL_GPL(dma_pool_create);

/* Chain every block of a new chunk, skipping to the next boundary where one would cross it. */
static void pool_init_page(struct dma_pool *pool, struct dma_page *page)
{
	void **link = &page->free;
	size_t off = 0;

	while (off + pool->size <= pool->allocation) {
		/* Bus addresses and offsets agree modulo the boundary: chunks are aligned. */
		if (pool->boundary &&
		    (off & (pool->boundary - 1)) + pool->size > pool->boundary) {
			off = ALIGN(off + 1, pool->boundary);
			continue;
		}
		*link = (u8 *)page->vaddr + off;
		link = (void **)*link;
		off += pool->size;
	}
	*link = NULL;
}

static struct dma_page *pool_alloc_page(struct dma_pool *pool, gfp_t gfp)
{
	struct dma_page *page = kzalloc(sizeof(*page), gfp);

	if (!page)
		return NULL;
	page->vaddr = dma_alloc_coherent(pool->dev, pool->allocation, &page->dma, gfp);
	if (!page->vaddr) {
		kfree(page);
		return NULL;
	}
	pool_init_page(pool, page);
	return page;
}

void *dma_pool_alloc(struct dma_pool *pool, gfp_t mem_flags, dma_addr_t *handle)
{
	struct dma_page *page, *fresh = NULL;
	unsigned long flags;
	void *block;

	for (;;) {
		spin_lock_irqsave(&pool->lock, flags);
		if (fresh)
			list_add(&fresh->node, &pool->pages);
		list_for_each_entry(page, &pool->pages, node)
			if (page->free)
				goto found;
		spin_unlock_irqrestore(&pool->lock, flags);
		fresh = pool_alloc_page(pool, mem_flags);
		if (!fresh) {
			dev_err(pool->dev, "dma_pool_alloc %s: out of memory\n", pool->name);
			return NULL;
		}
	}
found:
	block = page->free;
	page->free = *(void **)block;
	page->in_use++;
	spin_unlock_irqrestore(&pool->lock, flags);
	*handle = page->dma + (dma_addr_t)((u8 *)block - (u8 *)page->vaddr);
	return block;
}
EXPORT_SYMBOL_GPL(dma_pool_alloc);

void *dma_pool_zalloc(struct dma_pool *pool, gfp_t mem_flags, dma_addr_t *handle)
{
	void *block = dma_pool_alloc(pool, mem_flags, handle);

	if (block)
		memset(block, 0, pool->size);
	return block;
}
EXPORT_SYMBOL_GPL(dma_pool_zalloc);

/*
 * Is @block a block start of @page, as pool_init_page() laid them out
 * (not in a gap before a boundary or in the chunk's tail), and not
 * already free?  Lock held.
 */
static const char *pool_check_free(struct dma_pool *pool, struct dma_page *page, void *block,
				   dma_addr_t dma)
{
	size_t off = (size_t)((u8 *)block - (u8 *)page->vaddr);
	size_t in_seg = pool->boundary ? off & (pool->boundary - 1) : off;

	if (page->dma + off != dma)
		return "with the wrong bus address";
	if (in_seg % pool->size || off + pool->size > pool->allocation ||
	    (pool->boundary && in_seg + pool->size > pool->boundary))
		return "which is not a block start";
	for (void *p = page->free; p; p = *(void **)p)
		if (p == block)
			return "twice";
	return NULL;
}

void dma_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t dma)
{
	struct dma_page *page;
	unsigned long flags;
	const char *err = "which is not in the pool";

	spin_lock_irqsave(&pool->lock, flags);
	list_for_each_entry(page, &pool->pages, node) {
		if ((u8 *)vaddr < (u8 *)page->vaddr ||
		    (u8 *)vaddr >= (u8 *)page->vaddr + pool->allocation)
			continue;
		err = pool_check_free(pool, page, vaddr, dma);
		if (!err) {
			*(void **)vaddr = page->free;
			page->free = vaddr;
			page->in_use--;
		}
		break;
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	if (err)
		dev_err(pool->dev, "dma_pool_free %s: %p (dma %#llx) freed %s: ignored\n",
			pool->name, vaddr, dma, err);
}
EXPORT_SYMBOL_GPL(dma_pool_free);

void dma_pool_destroy(struct dma_pool *pool)
{
	struct dma_page *page, *tmp;

	if (!pool)
		return;
	list_for_each_entry_safe(page, tmp, &pool->pages, node) {
		list_del(&page->node);
		if (page->in_use) {
			dev_err(pool->dev, "dma_pool_destroy %s: %u blocks of %p still in use: page leaked\n",
				pool->name, page->in_use, page->vaddr);
			kfree(page);
			continue;
		}
		dma_free_coherent(pool->dev, pool->allocation, page->vaddr, page->dma);
		kfree(page);
	}
	kfree(pool);
}
EXPORT_SYMBOL_GPL(dma_pool_destroy);

static void dmam_pool_release(void *data)
{
	dma_pool_destroy(data);
}

struct dma_pool *dmam_pool_create(const char *name, struct device *dev, size_t size,
				  size_t align, size_t allocation)
{
	struct dma_pool *pool = dma_pool_create(name, dev, size, align, allocation);

	if (pool && devm_add_action_or_reset(dev, dmam_pool_release, pool))
		return NULL;
	return pool;
}
EXPORT_SYMBOL_GPL(dmam_pool_create);

void dmam_pool_destroy(struct dma_pool *pool)
{
	devm_release_action(pool->dev, dmam_pool_release, pool);
}
EXPORT_SYMBOL_GPL(dmam_pool_destroy);
