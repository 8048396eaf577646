// SPDX-License-Identifier: GPL-2.0
/*
 * DMA API debugging (see <exo/dma-debug.h>).
 *
 * Records live in a hash of buckets, keyed by device and bus address, each
 * bucket with its own lock so that mappings on different CPUs rarely meet.
 * The last unmapped mappings stay in a small ring so that an unmap of an
 * unknown address can be told apart as a double unmap.  Records come from
 * kmalloc(GFP_ATOMIC) (mappings are made in interrupt handlers); without
 * one the checks stop for good, as in Linux, rather than report false
 * errors later.
 */
#define pr_fmt(fmt) "DMA-API: " fmt

#include <exo/device.h>
#include <exo/dma-debug.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/list.h>
#include <exo/slab.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <stdarg.h>
#include "internal.h"

#define HASH_BITS	10
#define HASH_SIZE	(1U << HASH_BITS)
#define RECENT_SIZE	32
#define LEAKS_SHOWN	8

enum dma_debug_type { TYPE_SINGLE, TYPE_SG, TYPE_COHERENT };

static const char *const type_name[] = { "single", "scatter-gather", "coherent" };
static const char *const dir_name[] = { "DMA_BIDIRECTIONAL", "DMA_TO_DEVICE",
					"DMA_FROM_DEVICE", "DMA_NONE" };

struct dma_debug_entry {
	struct list_head node;
	struct device *dev;
	enum dma_debug_type type;
	phys_addr_t paddr;
	dma_addr_t dev_addr;
	size_t size;
	enum dma_data_direction dir;
	int sg_nents;			/* the dma_map_sg() call's nents */
};

struct hash_bucket {
	struct list_head list;
	spinlock_t lock;
};

static struct hash_bucket dma_entry_hash[HASH_SIZE];
static bool dma_debug_ready;
static bool dma_debug_off;
static unsigned long error_count[DMA_DEBUG_NR_ERRORS];
static unsigned long live_entries;

/* Recently ended mappings, to recognise a double unmap. */
static struct { struct device *dev; dma_addr_t addr; size_t size; } recent[RECENT_SIZE];
static unsigned int recent_next;
static DEFINE_SPINLOCK(recent_lock);

static int __init dma_debug_init(void)
{
	for (unsigned int i = 0; i < HASH_SIZE; i++) {
		INIT_LIST_HEAD(&dma_entry_hash[i].list);
		spin_lock_init(&dma_entry_hash[i].lock);
	}
	smp_store_release(&dma_debug_ready, true);
	pr_info("debugging enabled (%u buckets)\n", HASH_SIZE);
	return 0;
}
core_initcall(dma_debug_init);

static bool dma_debug_active(void)
{
	return smp_load_acquire(&dma_debug_ready) && !READ_ONCE(dma_debug_off);
}

static struct hash_bucket *bucket_of(struct device *dev, dma_addr_t addr)
{
	unsigned long key = (unsigned long)(addr >> IO_TLB_SHIFT) ^ ((unsigned long)dev >> 4);

	return &dma_entry_hash[(key ^ (key >> HASH_BITS)) & (HASH_SIZE - 1)];
}

/* The record of @dev's mapping at @addr; bucket locked by the caller. */
static struct dma_debug_entry *bucket_find(struct hash_bucket *b, struct device *dev,
					   dma_addr_t addr)
{
	struct dma_debug_entry *e;

	list_for_each_entry(e, &b->list, node)
		if (e->dev == dev && e->dev_addr == addr)
			return e;
	return NULL;
}

/* The last error line, for the tests (dma_debug_last_error()). */
static char last_error[200];
static DEFINE_SPINLOCK(last_error_lock);

void dma_debug_last_error(char *buf, size_t size)
{
	unsigned long flags;

	spin_lock_irqsave(&last_error_lock, flags);
	strlcpy(buf, last_error, size);
	spin_unlock_irqrestore(&last_error_lock, flags);
}

static __printf(3, 4) void err_printk(struct device *dev, enum dma_debug_error err,
				      const char *fmt, ...)
{
	unsigned long flags;
	char buf[160];
	va_list ap;

	__atomic_fetch_add(&error_count[err], 1, __ATOMIC_RELAXED);
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	spin_lock_irqsave(&last_error_lock, flags);
	snprintf(last_error, sizeof(last_error), "%s %s: %s",
		 dev->driver ? dev->driver->name : "(no driver)", dev_name(dev), buf);
	spin_unlock_irqrestore(&last_error_lock, flags);
	printk(KERN_ERR "DMA-API: %s %s: %s\n", dev->driver ? dev->driver->name : "(no driver)",
	       dev_name(dev), buf);
}

static void add_entry(struct device *dev, enum dma_debug_type type, phys_addr_t paddr,
		      dma_addr_t addr, size_t size, enum dma_data_direction dir, int nents)
{
	struct dma_debug_entry *e;
	struct hash_bucket *b;
	unsigned long flags;

	if (!dma_debug_active())
		return;
	e = kmalloc(sizeof(*e), GFP_ATOMIC | __GFP_NOWARN);
	if (!e) {
		WRITE_ONCE(dma_debug_off, true);
		pr_err("out of memory for a mapping record: checks disabled\n");
		return;
	}
	*e = (struct dma_debug_entry){ .dev = dev, .type = type, .paddr = paddr,
				       .dev_addr = addr, .size = size, .dir = dir,
				       .sg_nents = nents };
	b = bucket_of(dev, addr);
	spin_lock_irqsave(&b->lock, flags);
	list_add(&e->node, &b->list);
	spin_unlock_irqrestore(&b->lock, flags);
	__atomic_fetch_add(&live_entries, 1, __ATOMIC_RELAXED);
}

static void remember_unmapped(struct dma_debug_entry *e)
{
	unsigned long flags;

	spin_lock_irqsave(&recent_lock, flags);
	recent[recent_next].dev = e->dev;
	recent[recent_next].addr = e->dev_addr;
	recent[recent_next].size = e->size;
	recent_next = (recent_next + 1) % RECENT_SIZE;
	spin_unlock_irqrestore(&recent_lock, flags);
}

static bool recently_unmapped(struct device *dev, dma_addr_t addr)
{
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&recent_lock, flags);
	for (unsigned int i = 0; i < RECENT_SIZE && !found; i++)
		found = recent[i].dev == dev && recent[i].addr == addr;
	spin_unlock_irqrestore(&recent_lock, flags);
	return found;
}

/*
 * Take the record of @dev's mapping at @addr out of the hash for an end
 * of type @type, checking what the caller says against it.  Return: the
 * record (the caller frees it), or NULL after reporting an unknown or
 * double end.
 */
static struct dma_debug_entry *check_unmap(struct device *dev, enum dma_debug_type type,
					   dma_addr_t addr, size_t size,
					   enum dma_data_direction dir, const char *what)
{
	struct hash_bucket *b = bucket_of(dev, addr);
	struct dma_debug_entry *e;
	unsigned long flags;

	spin_lock_irqsave(&b->lock, flags);
	e = bucket_find(b, dev, addr);
	if (e)
		list_del(&e->node);
	spin_unlock_irqrestore(&b->lock, flags);
	if (!e) {
		if (recently_unmapped(dev, addr))
			err_printk(dev, DMA_DEBUG_DOUBLE_UNMAP,
				   "%s of a mapping already unmapped [device address=%#llx] [size=%zu bytes]",
				   what, addr, size);
		else
			err_printk(dev, DMA_DEBUG_NOT_MAPPED,
				   "%s of memory never mapped [device address=%#llx] [size=%zu bytes]",
				   what, addr, size);
		return NULL;
	}
	if (e->type != type) {
		/* Ending it the wrong way would free or copy the wrong thing: keep it. */
		err_printk(dev, DMA_DEBUG_WRONG_TYPE,
			   "%s of a %s mapping [device address=%#llx] [size=%zu bytes]: ignored",
			   what, type_name[e->type], addr, e->size);
		spin_lock_irqsave(&b->lock, flags);
		list_add(&e->node, &b->list);
		spin_unlock_irqrestore(&b->lock, flags);
		return NULL;
	}
	__atomic_fetch_sub(&live_entries, 1, __ATOMIC_RELAXED);
	remember_unmapped(e);
	if (e->size != size)
		err_printk(dev, DMA_DEBUG_WRONG_SIZE,
			   "%s with size %zu of a mapping of %zu bytes [device address=%#llx]",
			   what, size, e->size, addr);
	if (type != TYPE_COHERENT && e->dir != dir)
		err_printk(dev, DMA_DEBUG_WRONG_DIR,
			   "%s with %s of a %s mapping [device address=%#llx] [size=%zu bytes]",
			   what, dir_name[dir & 3], dir_name[e->dir & 3], addr, e->size);
	return e;
}

void debug_dma_map_page(struct device *dev, phys_addr_t paddr, size_t size,
			enum dma_data_direction dir, dma_addr_t dma_addr)
{
	if (dma_addr != DMA_MAPPING_ERROR)
		add_entry(dev, TYPE_SINGLE, paddr, dma_addr, size, dir, 0);
}

bool debug_dma_unmap_page(struct device *dev, dma_addr_t addr, size_t *size,
			  enum dma_data_direction *dir)
{
	struct dma_debug_entry *e;

	if (!dma_debug_active())
		return true;
	e = check_unmap(dev, TYPE_SINGLE, addr, *size, *dir, "unmap");
	if (!e)
		return false;
	/* Go on with what was mapped: the bounce copy then stays in bounds. */
	*size = e->size;
	*dir = e->dir;
	kfree(e);
	return true;
}

void debug_dma_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		      enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		add_entry(dev, TYPE_SG, sg_phys(sg), sg_dma_address(sg), sg_dma_len(sg), dir, nents);
}

/* Return: false when no entry of the list was mapped (the unmap is skipped). */
bool debug_dma_unmap_sg(struct device *dev, struct scatterlist *sgl, int nents,
			enum dma_data_direction dir)
{
	struct scatterlist *sg;
	bool any = false;
	int i;

	if (!dma_debug_active())
		return true;
	for_each_sg(sgl, sg, nents, i) {
		struct dma_debug_entry *e = check_unmap(dev, TYPE_SG, sg_dma_address(sg),
							sg_dma_len(sg), dir, "unmap_sg");

		if (!e)
			continue;
		any = true;
		if (e->sg_nents != nents)
			err_printk(dev, DMA_DEBUG_WRONG_SIZE,
				   "unmap_sg with %d entries of a list mapped with %d [device address=%#llx]",
				   nents, e->sg_nents, e->dev_addr);
		kfree(e);
	}
	return any;
}

void debug_dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t dma_addr,
			      void *virt)
{
	if (virt)
		add_entry(dev, TYPE_COHERENT, virt_to_phys(virt), dma_addr, size,
			  DMA_BIDIRECTIONAL, 0);
}

bool debug_dma_free_coherent(struct device *dev, size_t *size, void *virt, dma_addr_t addr)
{
	struct dma_debug_entry *e;
	bool ok;

	if (!dma_debug_active())
		return true;
	e = check_unmap(dev, TYPE_COHERENT, addr, *size, DMA_BIDIRECTIONAL, "free_coherent");
	if (!e)
		return false;
	ok = e->paddr == virt_to_phys(virt);
	if (ok)
		*size = e->size;
	if (!ok) {
		err_printk(dev, DMA_DEBUG_WRONG_TYPE,
			   "free_coherent of %p, which is not the block at [device address=%#llx]: ignored",
			   virt, addr);
		add_entry(dev, e->type, e->paddr, e->dev_addr, e->size, e->dir, e->sg_nents);
	}
	kfree(e);
	return ok;
}

bool debug_dma_sync_single(struct device *dev, dma_addr_t addr, size_t size,
			   enum dma_data_direction dir, bool for_cpu)
{
	const char *what = for_cpu ? "sync_for_cpu" : "sync_for_device";
	struct hash_bucket *b = bucket_of(dev, addr);
	struct dma_debug_entry *e, copy = { 0 };
	unsigned long flags;

	if (!dma_debug_active())
		return true;
	spin_lock_irqsave(&b->lock, flags);
	e = bucket_find(b, dev, addr);
	if (e)
		copy = *e;
	spin_unlock_irqrestore(&b->lock, flags);
	if (!e) {
		err_printk(dev, DMA_DEBUG_NOT_MAPPED,
			   "%s of memory never mapped [device address=%#llx] [size=%zu bytes]",
			   what, addr, size);
		return false;
	}
	if (size > copy.size) {
		err_printk(dev, DMA_DEBUG_WRONG_SIZE,
			   "%s of %zu bytes of a mapping of %zu bytes [device address=%#llx]",
			   what, size, copy.size, addr);
		return false;
	}
	if (copy.dir != DMA_BIDIRECTIONAL && copy.dir != dir) {
		err_printk(dev, DMA_DEBUG_WRONG_DIR,
			   "%s with %s of a %s mapping [device address=%#llx] [size=%zu bytes]",
			   what, dir_name[dir & 3], dir_name[copy.dir & 3], addr, copy.size);
		return false;
	}
	return true;
}

/* Unlink every record of @dev into @out; return how many. */
static unsigned int take_device_entries(struct device *dev, struct list_head *out)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < HASH_SIZE; i++) {
		struct hash_bucket *b = &dma_entry_hash[i];
		struct dma_debug_entry *e, *tmp;
		unsigned long flags;

		spin_lock_irqsave(&b->lock, flags);
		list_for_each_entry_safe(e, tmp, &b->list, node)
			if (e->dev == dev) {
				list_del(&e->node);
				list_add_tail(&e->node, out);
				n++;
			}
		spin_unlock_irqrestore(&b->lock, flags);
	}
	return n;
}

void dma_debug_driver_unbound(struct device *dev)
{
	struct dma_debug_entry *e, *tmp;
	unsigned int n, shown = 0;
	LIST_HEAD(leaked);

	if (!dma_debug_active())
		return;
	n = take_device_entries(dev, &leaked);
	if (!n)
		return;
	err_printk(dev, DMA_DEBUG_LEAK,
		   "device driver has %u pending DMA mappings while released from device", n);
	list_for_each_entry_safe(e, tmp, &leaked, node) {
		if (shown++ < LEAKS_SHOWN)
			printk(KERN_ERR "DMA-API: %s: leaked %s mapping [device address=%#llx] [size=%zu bytes] [%s]\n",
			       dev_name(dev), type_name[e->type], e->dev_addr, e->size,
			       dir_name[e->dir & 3]);
		list_del(&e->node);
		kfree(e);
	}
	__atomic_fetch_sub(&live_entries, n, __ATOMIC_RELAXED);
}
EXPORT_SYMBOL_GPL(dma_debug_driver_unbound);

unsigned int dma_debug_device_count(struct device *dev)
{
	unsigned int n = 0;

	if (!smp_load_acquire(&dma_debug_ready))
		return 0;
	for (unsigned int i = 0; i < HASH_SIZE; i++) {
		struct hash_bucket *b = &dma_entry_hash[i];
		struct dma_debug_entry *e;
		unsigned long flags;

		spin_lock_irqsave(&b->lock, flags);
		list_for_each_entry(e, &b->list, node)
			n += e->dev == dev;
		spin_unlock_irqrestore(&b->lock, flags);
	}
	return n;
}
EXPORT_SYMBOL_GPL(dma_debug_device_count);

void dma_debug_get_stats(struct dma_debug_stats *st)
{
	for (unsigned int i = 0; i < DMA_DEBUG_NR_ERRORS; i++)
		st->errors[i] = __atomic_load_n(&error_count[i], __ATOMIC_RELAXED);
	st->live = __atomic_load_n(&live_entries, __ATOMIC_RELAXED);
	st->disabled = !dma_debug_active();
}
EXPORT_SYMBOL_GPL(dma_debug_get_stats);
