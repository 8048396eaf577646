// SPDX-License-Identifier: GPL-2.0
/*
 * swiotlb: bounce buffers for devices whose DMA mask cannot reach a
 * buffer (see <exo/swiotlb.h> and Documentation/dma.rst).
 *
 * The pool is reserved from memblock during mm_core_init() (it must be
 * physically contiguous and low, which only boot memory guarantees) and
 * gets its slot bookkeeping from kmalloc at core_initcall.  One bit per
 * 2 KiB slot, set while the slot is in use; the first slot of a mapping
 * records the original address and the mapping's size, so an unmap needs
 * nothing but the bounce address and can refuse one that names no
 * mapping.  One spinlock (interrupts off: mappings are made from interrupt
 * handlers) covers the bitmap and the records; the copies run outside it.
 */
#define pr_fmt(fmt) "swiotlb: " fmt

#include <exo/bitmap.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/memblock.h>
#include <exo/mm.h>
#include <exo/shell.h>
#include <exo/slab.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <asm/page.h>
#include "internal.h"

struct io_tlb_slot {
	phys_addr_t orig_addr;		/* first slot of a mapping only */
	u32 alloc_size;			/* bytes; 0: not the first slot of a mapping */
	u32 nslots;
};

static struct io_tlb_mem {
	phys_addr_t start, end;
	unsigned long nslabs;		/* 0 until the bookkeeping exists */
	unsigned long *bitmap;
	struct io_tlb_slot *slots;
	spinlock_t lock;
	unsigned long index;		/* where the next search starts */
	struct swiotlb_stats stats;	/* the counters; start/end/nslabs unused */
} io_tlb = { .lock = __SPIN_LOCK_UNLOCKED(io_tlb.lock) };

/* Boot choices: requested size in slots (0: Kconfig), force, no pool. */
static unsigned long swiotlb_req_slabs;
static bool swiotlb_req_explicit;
static bool swiotlb_force;
static bool swiotlb_nopool;
static phys_addr_t swiotlb_reserved_start;
static unsigned long swiotlb_reserved_slabs;

/* A number with an optional K/M/G suffix; *@end is what follows it. */
static int __init parse_size(const char *s, unsigned long *val, bool *suffix, const char **end)
{
	unsigned long v = 0;
	const char *p = s;

	while (*p >= '0' && *p <= '9') {
		if (v > (~0UL - 9) / 10)
			return -EINVAL;
		v = v * 10 + (unsigned long)(*p++ - '0');
	}
	if (p == s)
		return -EINVAL;
	*suffix = true;
	switch (*p) {
	case 'K': case 'k': v <<= 10; p++; break;
	case 'M': case 'm': v <<= 20; p++; break;
	case 'G': case 'g': v <<= 30; p++; break;
	default: *suffix = false;
	}
	*val = v;
	*end = p;
	return 0;
}

/*
 * swiotlb=<slabs>[,<areas>][,force|noforce] as Linux (slabs of 2 KiB;
 * areas are accepted and ignored: one lock serves this kernel's CPU
 * counts), or swiotlb=<size>K|M|G, or swiotlb=force / swiotlb=noforce.
 */
static int __init swiotlb_setup(const char *val)
{
	unsigned long n = 0, slabs = 0;
	bool suffix, have = false, force = false, nopool = false;
	const char *p = val;

	if (*p >= '0' && *p <= '9') {
		if (parse_size(p, &n, &suffix, &p))
			return -EINVAL;
		slabs = suffix ? n >> IO_TLB_SHIFT : n;
		if (!slabs)
			return -EINVAL;
		have = true;
		if (*p == ',' && p[1] >= '0' && p[1] <= '9' &&
		    !parse_size(p + 1, &n, &suffix, &p) && suffix)
			return -EINVAL;
		if (*p == ',')
			p++;
	}
	if (!strcmp(p, "force"))
		force = true;
	else if (!strcmp(p, "noforce"))
		nopool = true;
	else if (*p)
		return -EINVAL;
	if (have) {
		swiotlb_req_slabs = slabs;
		swiotlb_req_explicit = true;
	}
	swiotlb_force = force;
	swiotlb_nopool = nopool;
	return 0;
}
early_param_desc("swiotlb=", swiotlb_setup,
		 "<slabs of 2 KiB>[,<areas>][,force|noforce], <size>K|M|G, force or noforce");

/* Try [lo, hi) first, then anywhere below 4 GiB. */
static phys_addr_t __init swiotlb_alloc_low(u64 bytes)
{
	/* Below 256 MiB a 28-bit device (edu) can reach the pool too. */
	phys_addr_t pa = memblock_alloc_range(bytes, PAGE_SIZE, 0, 1ULL << 28, "swiotlb");

	if (!pa)
		pa = memblock_alloc_range(bytes, PAGE_SIZE, 0, 1ULL << 32, "swiotlb");
	return pa;
}

void __init swiotlb_reserve(void)
{
	unsigned long slabs = swiotlb_req_slabs;
	u64 ram = memblock_phys_mem_size();
	phys_addr_t pa = 0;

	if (swiotlb_nopool) {
		pr_info("no bounce pool (swiotlb=noforce)\n");
		return;
	}
	/*
	 * With all RAM under 16 MiB every mask that can work (24 bits and
	 * more) reaches every buffer: only a forced or asked-for pool is made.
	 */
	if (!slabs && !swiotlb_force && memblock_end_of_ram() <= (1ULL << 24)) {
		pr_info("no bounce pool: all RAM lies below 16 MiB\n");
		return;
	}
	if (!slabs) {
		slabs = ((u64)CONFIG_SWIOTLB_SIZE_MB << 20) >> IO_TLB_SHIFT;
		/* A tiny machine keeps its memory: at most 1/32 of RAM. */
		slabs = min_t(unsigned long, slabs, (ram / 32) >> IO_TLB_SHIFT);
	}
	slabs = ALIGN(slabs, IO_TLB_SEGSIZE / 4);
	while (slabs >= IO_TLB_SEGSIZE / 4) {
		pa = swiotlb_alloc_low((u64)slabs << IO_TLB_SHIFT);
		if (pa)
			break;
		slabs /= 2;
	}
	if (!pa) {
		pr_warn("no memory below 4 GiB for a bounce pool: unreachable buffers cannot be mapped\n");
		return;
	}
	if (swiotlb_req_explicit && slabs != ALIGN(swiotlb_req_slabs, IO_TLB_SEGSIZE / 4))
		pr_warn("swiotlb= asked for %lu slabs, only %lu fit\n", swiotlb_req_slabs, slabs);
	swiotlb_reserved_start = pa;
	swiotlb_reserved_slabs = slabs;
}

static int __init swiotlb_init(void)
{
	unsigned long n = swiotlb_reserved_slabs;

	if (!n)
		return 0;
	io_tlb.bitmap = kcalloc(BITS_TO_LONGS(n), sizeof(long), GFP_KERNEL);
	io_tlb.slots = kcalloc(n, sizeof(*io_tlb.slots), GFP_KERNEL);
	if (!io_tlb.bitmap || !io_tlb.slots) {
		pr_err("no memory for the bookkeeping of %lu slots: no bounce pool\n", n);
		kfree(io_tlb.bitmap);
		kfree(io_tlb.slots);
		return -ENOMEM;
	}
	io_tlb.start = swiotlb_reserved_start;
	io_tlb.end = io_tlb.start + ((u64)n << IO_TLB_SHIFT);
	smp_store_release(&io_tlb.nslabs, n);
	pr_info("bounce pool [mem %#llx-%#llx] (%lu KiB, %lu slots)%s\n", io_tlb.start,
		io_tlb.end - 1, (n << IO_TLB_SHIFT) >> 10, n, swiotlb_force ? ", forced" : "");
	return 0;
}
core_initcall(swiotlb_init);

bool is_swiotlb_buffer(phys_addr_t paddr)
{
	return paddr >= io_tlb.start && paddr < io_tlb.end && READ_ONCE(io_tlb.nslabs);
}

bool swiotlb_force_enabled(void)
{
	return READ_ONCE(swiotlb_force);
}
EXPORT_SYMBOL_GPL(swiotlb_force_enabled);

bool swiotlb_set_force(bool on)
{
	bool old = swiotlb_force;

	WRITE_ONCE(swiotlb_force, on);
	return old;
}

/*
 * A free run of @nslots slots starting on a multiple of @stride, next-fit
 * from io_tlb.index.  Called with the lock held.  Return: its first slot,
 * or -1UL.
 */
static unsigned long find_slots(unsigned long nslots, unsigned long stride)
{
	/* nslabs is a multiple of 32, so every candidate keeps the stride. */
	unsigned long n = io_tlb.nslabs, base = ALIGN(io_tlb.index, stride) % n;

	for (unsigned long j = 0; j < n; j += stride) {
		unsigned long start = (base + j) % n;

		if (start + nslots > n)
			continue;
		if (find_next_bit(io_tlb.bitmap, start + nslots, start) >= start + nslots)
			return start;
	}
	return -1UL;
}

/* Copy @size bytes between the original buffer and its slots. */
static void swiotlb_bounce(phys_addr_t orig, phys_addr_t tlb, size_t size, bool to_device)
{
	if (to_device)
		memcpy(phys_to_virt(tlb), phys_to_virt(orig), size);
	else
		memcpy(phys_to_virt(orig), phys_to_virt(tlb), size);
}

phys_addr_t swiotlb_tbl_map_single(struct device *dev, phys_addr_t orig, size_t size,
				   enum dma_data_direction dir, unsigned long attrs)
{
	unsigned long nslots = DIV_ROUND_UP(size, IO_TLB_SIZE), flags, i;
	/* Page-sized mappings start on a page, as a device may expect. */
	unsigned long stride = size >= PAGE_SIZE ? PAGE_SIZE >> IO_TLB_SHIFT : 1;
	phys_addr_t tlb;

	if (!READ_ONCE(io_tlb.nslabs)) {
		dev_err(dev, "swiotlb: no bounce pool for %#llx+%zu\n", orig, size);
		return (phys_addr_t)DMA_MAPPING_ERROR;
	}
	if (!size || nslots > IO_TLB_SEGSIZE) {
		dev_err(dev, "swiotlb: cannot bounce %zu bytes (most is %lu)\n", size,
			IO_TLB_SEGSIZE * IO_TLB_SIZE);
		return (phys_addr_t)DMA_MAPPING_ERROR;
	}
	spin_lock_irqsave(&io_tlb.lock, flags);
	i = find_slots(nslots, stride);
	if (i == -1UL) {
		io_tlb.stats.full++;
		spin_unlock_irqrestore(&io_tlb.lock, flags);
		dev_warn(dev, "swiotlb: pool full (%lu of %lu slots used), %zu bytes not mapped\n",
			 io_tlb.stats.used, io_tlb.nslabs, size);
		return (phys_addr_t)DMA_MAPPING_ERROR;
	}
	bitmap_set(io_tlb.bitmap, i, nslots);
	io_tlb.slots[i].orig_addr = orig;
	io_tlb.slots[i].alloc_size = (u32)size;
	io_tlb.slots[i].nslots = (u32)nslots;
	io_tlb.index = i + nslots < io_tlb.nslabs ? i + nslots : 0;
	io_tlb.stats.used += nslots;
	io_tlb.stats.mapped++;
	if (io_tlb.stats.used > io_tlb.stats.high_water)
		io_tlb.stats.high_water = io_tlb.stats.used;
	spin_unlock_irqrestore(&io_tlb.lock, flags);

	tlb = io_tlb.start + ((phys_addr_t)i << IO_TLB_SHIFT);
	/*
	 * The slots are copied in for every direction, as Linux does: a
	 * device that writes less than @size must not leave the slot's old
	 * contents (someone else's data) to be copied back into the buffer.
	 */
	if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		swiotlb_bounce(orig, tlb, size, true);
	return tlb;
}

/*
 * The record of the mapping that starts at @tlb_addr; NULL (logged) when
 * it starts no mapping.  Called with the lock held.
 */
static struct io_tlb_slot *find_mapping(struct device *dev, phys_addr_t tlb_addr,
					const char *what)
{
	unsigned long i = (tlb_addr - io_tlb.start) >> IO_TLB_SHIFT;

	if (!(tlb_addr & (IO_TLB_SIZE - 1)) && io_tlb.slots[i].alloc_size &&
	    test_bit(i, io_tlb.bitmap))
		return &io_tlb.slots[i];
	dev_err(dev, "swiotlb: %s of %#llx, which is no bounce mapping: ignored\n", what,
		tlb_addr);
	return NULL;
}

void swiotlb_tbl_unmap_single(struct device *dev, phys_addr_t tlb_addr, size_t size,
			      enum dma_data_direction dir, unsigned long attrs)
{
	unsigned long flags, i = (tlb_addr - io_tlb.start) >> IO_TLB_SHIFT;
	struct io_tlb_slot *s;
	phys_addr_t orig;
	size_t len;

	spin_lock_irqsave(&io_tlb.lock, flags);
	s = find_mapping(dev, tlb_addr, "unmap");
	if (!s) {
		spin_unlock_irqrestore(&io_tlb.lock, flags);
		return;
	}
	orig = s->orig_addr;
	/* Never copy past the mapping, whatever size the caller says. */
	len = min_t(size_t, size, s->alloc_size);
	/* Claim the record so a racing second unmap finds nothing. */
	s->alloc_size = 0;
	spin_unlock_irqrestore(&io_tlb.lock, flags);

	if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC) &&
	    (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL))
		swiotlb_bounce(orig, tlb_addr, len, false);

	spin_lock_irqsave(&io_tlb.lock, flags);
	bitmap_clear(io_tlb.bitmap, i, s->nslots);
	io_tlb.stats.used -= s->nslots;
	s->nslots = 0;
	spin_unlock_irqrestore(&io_tlb.lock, flags);
}

static void swiotlb_sync(struct device *dev, phys_addr_t tlb_addr, size_t size,
			 bool to_device)
{
	unsigned long flags;
	struct io_tlb_slot *s;
	phys_addr_t orig = 0;
	size_t len = 0;

	spin_lock_irqsave(&io_tlb.lock, flags);
	s = find_mapping(dev, tlb_addr, "sync");
	if (s) {
		orig = s->orig_addr;
		len = min_t(size_t, size, s->alloc_size);
	}
	spin_unlock_irqrestore(&io_tlb.lock, flags);
	if (s)
		swiotlb_bounce(orig, tlb_addr, len, to_device);
}

void swiotlb_sync_single_for_cpu(struct device *dev, phys_addr_t tlb_addr, size_t size,
				 enum dma_data_direction dir)
{
	if (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL)
		swiotlb_sync(dev, tlb_addr, size, false);
}

void swiotlb_sync_single_for_device(struct device *dev, phys_addr_t tlb_addr, size_t size,
				    enum dma_data_direction dir)
{
	if (dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL)
		swiotlb_sync(dev, tlb_addr, size, true);
}

void swiotlb_get_stats(struct swiotlb_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&io_tlb.lock, flags);
	*st = io_tlb.stats;
	spin_unlock_irqrestore(&io_tlb.lock, flags);
	st->start = io_tlb.start;
	st->end = io_tlb.end;
	st->nslabs = READ_ONCE(io_tlb.nslabs);
	st->force = swiotlb_force_enabled();
}
EXPORT_SYMBOL_GPL(swiotlb_get_stats);
