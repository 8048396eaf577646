// SPDX-License-Identifier: GPL-2.0
/*
 * memblock: boot-time physical memory map and allocator.
 *
 * Two small sorted tables, filled before any other allocator exists:
 *
 *   memory    usable RAM: disjoint, sorted, page-aligned ranges.  Built from
 *             the loader's map by adding every usable entry (overlaps
 *             merged) and then cutting every non-usable entry out of it, so
 *             that firmware-reserved memory wins whatever the entry order.
 *   reserved  ranges of RAM already in use, each with the reason shown by
 *             memblock_dump().  Sorted by base; entries may overlap (kept
 *             apart so that every reason stays visible).
 *
 * Free memory is "memory minus reserved minus the first 1 MiB".  Tables
 * are fixed arrays: there is nothing to allocate them from.
 */
#define pr_fmt(fmt) "memblock: " fmt

#include <exo/bootinfo.h>
#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/memblock.h>
#include <exo/numa.h>
#include <exo/page_alloc.h>
#include <exo/printk.h>
#include <asm/page.h>

#define MR_LOW	0x1	/* the blanket first-1-MiB reservation */

struct memblock_region {
	phys_addr_t base;
	phys_addr_t end;		/* exclusive */
	const char *name;
	unsigned int flags;
	int nid;			/* memory: its node (0 until numa_init()) */
};

struct memblock_type {
	unsigned int cnt;
	struct memblock_region r[MEMBLOCK_MAX_REGIONS];
};

static struct memblock_type mb_memory;
static struct memblock_type mb_reserved;
static bool mb_released;

static const char *const mem_type_name[] = {
	"?", "usable", "reserved", "ACPI data", "ACPI NVS", "bad",
};

/* Human-readable E820 type. */
static const char *type_name(u32 type)
{
	return type < ARRAY_SIZE(mem_type_name) ? mem_type_name[type] : "unknown";
}

/* Insert @r at index @i of @t; false if the table is full. */
static bool region_insert(struct memblock_type *t, unsigned int i,
			  const struct memblock_region *r)
{
	if (t->cnt >= MEMBLOCK_MAX_REGIONS)
		return false;
	for (unsigned int j = t->cnt; j > i; j--)
		t->r[j] = t->r[j - 1];
	t->r[i] = *r;
	t->cnt++;
	return true;
}

/* Remove index @i of @t. */
static void region_delete(struct memblock_type *t, unsigned int i)
{
	for (unsigned int j = i; j + 1 < t->cnt; j++)
		t->r[j] = t->r[j + 1];
	t->cnt--;
}

/* Add usable [base, end) to the memory table, merging what it touches. */
static void __init memory_add(phys_addr_t base, phys_addr_t end, unsigned int idx)
{
	struct memblock_region n = { .base = base, .end = end };
	unsigned int i = 0;

	while (i < mb_memory.cnt && mb_memory.r[i].end < base)
		i++;
	/* Absorb every region that overlaps or touches the new one. */
	while (i < mb_memory.cnt && mb_memory.r[i].base <= n.end) {
		if (mb_memory.r[i].base < end && mb_memory.r[i].end > base)
			pr_warn("map entry %u [%#llx-%#llx] overlaps usable RAM listed before, merged\n",
				idx, base, end - 1);
		n.base = min(n.base, mb_memory.r[i].base);
		n.end = max(n.end, mb_memory.r[i].end);
		region_delete(&mb_memory, i);
	}
	if (!region_insert(&mb_memory, i, &n))
		pr_err("too many memory ranges, [%#llx-%#llx] dropped\n", base, end - 1);
}

/* Cut [base, end) out of the memory table; true if anything was removed. */
static bool __init memory_remove(phys_addr_t base, phys_addr_t end)
{
	bool hit = false;

	for (unsigned int i = 0; i < mb_memory.cnt; i++) {
		struct memblock_region *r = &mb_memory.r[i];
		struct memblock_region tail;

		if (r->end <= base || r->base >= end)
			continue;
		hit = true;
		tail.base = end;
		tail.end = r->end;
		tail.name = NULL;
		tail.flags = 0;
		tail.nid = r->nid;
		if (r->base < base) {
			r->end = base;
			if (tail.base < tail.end) {
				if (!region_insert(&mb_memory, i + 1, &tail))
					pr_err("too many memory ranges, [%#llx-%#llx] dropped\n",
					       tail.base, tail.end - 1);
				i++;
			}
		} else if (tail.base < tail.end) {
			r->base = tail.base;
		} else {
			region_delete(&mb_memory, i);
			i--;
		}
	}
	return hit;
}

/*
 * Validate one loader entry and clip it to what the machine can address.
 * Returns false (after one warning) for entries that must be ignored.
 */
static bool __init entry_range(const struct boot_mmap_entry *e, unsigned int idx,
			       phys_addr_t *base, phys_addr_t *end)
{
	phys_addr_t limit = e->type == BOOT_MEM_USABLE ? MEMBLOCK_MAX_RAM : MEMBLOCK_MAX_PHYS;

	if (!e->len) {
		pr_warn("map entry %u at %#llx (%s) has zero length, ignored\n",
			idx, e->addr, type_name(e->type));
		return false;
	}
	if (e->addr + e->len < e->addr) {
		pr_warn("map entry %u [%#llx+%#llx] (%s) wraps around, ignored\n",
			idx, e->addr, e->len, type_name(e->type));
		return false;
	}
	if (e->addr >= limit) {
		pr_warn("map entry %u [%#llx+%#llx] (%s) lies beyond %#llx, ignored\n",
			idx, e->addr, e->len, type_name(e->type), limit);
		return false;
	}
	*base = e->addr;
	*end = e->addr + e->len;
	if (*end > limit) {
		pr_warn("map entry %u [%#llx-%#llx] (%s) clipped at %#llx\n",
			idx, *base, *end - 1, type_name(e->type), limit);
		*end = limit;
	}
	return true;
}

/* Usable RAM from the loader's map, firmware ranges cut out. */
static void __init build_memory(const struct boot_info *bi)
{
	phys_addr_t base, end, prev = 0;
	bool unsorted = false;

	for (unsigned int i = 0; i < bi->nr_mmap; i++) {
		const struct boot_mmap_entry *e = &bi->mmap[i];

		if (e->addr < prev)
			unsorted = true;
		prev = e->addr;
		if (e->type != BOOT_MEM_USABLE || !entry_range(e, i, &base, &end))
			continue;
		/* Only whole pages of a usable entry are usable. */
		base = ALIGN(base, PAGE_SIZE);
		end = ALIGN_DOWN(end, PAGE_SIZE);
		if (base < end)
			memory_add(base, end, i);
	}
	if (unsorted)
		pr_info("memory map is not sorted; sorted it\n");
	for (unsigned int i = 0; i < bi->nr_mmap; i++) {
		const struct boot_mmap_entry *e = &bi->mmap[i];

		if (e->type == BOOT_MEM_USABLE || !entry_range(e, i, &base, &end))
			continue;
		if (e->type >= ARRAY_SIZE(mem_type_name))
			pr_warn("map entry %u [%#llx-%#llx] has unknown type %u, kept reserved\n",
				i, base, end - 1, e->type);
		/* A page partly owned by firmware is not RAM for us. */
		base = ALIGN_DOWN(base, PAGE_SIZE);
		end = end > ALIGN_DOWN(MEMBLOCK_MAX_PHYS, PAGE_SIZE) ? end : ALIGN(end, PAGE_SIZE);
		if (memory_remove(base, end))
			pr_warn("map entry %u [%#llx-%#llx] (%s) overlaps usable RAM, kept reserved\n",
				i, base, end - 1, type_name(e->type));
	}
}

/* Record a reservation, widened to whole pages. */
static int add_reservation(phys_addr_t base, phys_addr_t end, const char *why,
			   unsigned int flags)
{
	struct memblock_region n;
	unsigned int i = 0;

	n.base = ALIGN_DOWN(base, PAGE_SIZE);
	n.end = end > ALIGN_DOWN(~0ULL, PAGE_SIZE) ? ALIGN_DOWN(~0ULL, PAGE_SIZE) : ALIGN(end, PAGE_SIZE);
	n.name = why ? why : "?";
	n.flags = flags;
	while (i < mb_reserved.cnt && mb_reserved.r[i].base <= n.base)
		i++;
	if (!region_insert(&mb_reserved, i, &n)) {
		pr_err("too many reservations, %s [%#llx-%#llx] lost\n", n.name, base, end - 1);
		return -ENOSPC;
	}
	return 0;
}

/*
 * Call @fn for every free range, in address order: memory minus the
 * reservations (minus the blanket low-1-MiB one unless @with_low).
 * Stops early when @fn returns true.
 */
static void for_each_free_range(bool with_low,
				bool (*fn)(phys_addr_t start, phys_addr_t end, void *arg),
				void *arg)
{
	for (unsigned int i = 0; i < mb_memory.cnt; i++) {
		phys_addr_t cur = mb_memory.r[i].base, end = mb_memory.r[i].end;

		for (unsigned int j = 0; j < mb_reserved.cnt && cur < end; j++) {
			const struct memblock_region *r = &mb_reserved.r[j];

			if ((r->flags & MR_LOW) && with_low)
				continue;
			if (r->end <= cur)
				continue;
			if (r->base >= end)
				break;
			if (r->base > cur && fn(cur, r->base, arg))
				return;
			cur = max(cur, r->end);
		}
		if (cur < end && fn(cur, end, arg))
			return;
	}
}

struct alloc_req {
	u64 size, align;
	phys_addr_t min, max;
	phys_addr_t found;		/* highest fitting base, or 0 */
	bool bottom_up;
};

/* Remember the highest (or lowest) aligned spot of @req in [start, end). */
static bool fit_range(phys_addr_t start, phys_addr_t end, void *arg)
{
	struct alloc_req *req = arg;
	phys_addr_t cand;

	start = max(start, req->min);
	end = min(end, req->max);
	if (start >= end || end - start < req->size)
		return false;
	if (req->bottom_up) {
		cand = ALIGN(start, req->align);
		if (cand < start || cand > end - req->size)
			return false;
		req->found = cand;
		return true;
	}
	cand = ALIGN_DOWN(end - req->size, req->align);
	if (cand >= start && cand > req->found)
		req->found = cand;
	return false;
}

/* Search and reserve; shared by the memblock_alloc*() family. */
static phys_addr_t do_alloc(struct alloc_req *req, bool with_low, const char *why)
{
	req->size = ALIGN(req->size, PAGE_SIZE);
	req->align = max_t(u64, req->align, PAGE_SIZE);
	req->found = 0;
	if (!req->size || !is_power_of_2(req->align)) {
		pr_err("%s: bad size %#llx or alignment %#llx\n", why, req->size, req->align);
		return 0;
	}
	for_each_free_range(with_low, fit_range, req);
	if (!req->found || add_reservation(req->found, req->found + req->size, why, 0))
		return 0;
	return req->found;
}

/* Top-down boot allocation in [min, max), above 1 MiB; 0 if none. */
phys_addr_t __init memblock_alloc_range(u64 size, u64 align, phys_addr_t min,
					phys_addr_t max, const char *why)
{
	struct alloc_req req = { .size = size, .align = align, .max = max };

	if (mb_released) {
		pr_warn("%s: memblock_alloc after the buddy allocator took over\n", why);
		return 0;
	}
	/* The first 1 MiB is never handed out by the general allocator. */
	req.min = max_t(phys_addr_t, min, MEMBLOCK_LOW_LIMIT);
	return do_alloc(&req, false, why);
}

/* Boot memory anywhere (highest first); 0 if none. */
phys_addr_t __init memblock_alloc(u64 size, u64 align)
{
	return memblock_alloc_range(size, align, 0, MEMBLOCK_ALLOC_ANYWHERE, "memblock_alloc");
}

/* Not __init: the SMP code may ask for its trampoline during initcalls. */
phys_addr_t memblock_alloc_low(u64 size, u64 align, const char *why)
{
	struct alloc_req req = {
		.size = size, .align = align, .min = PAGE_SIZE,
		.max = MEMBLOCK_LOW_LIMIT, .bottom_up = true,
	};

	return do_alloc(&req, true, why);
}

/* Does [base, end) lie entirely inside reservations or below 1 MiB? */
static bool fully_reserved(phys_addr_t base, phys_addr_t end)
{
	phys_addr_t cur = base;

	for (unsigned int j = 0; j < mb_reserved.cnt && cur < end; j++) {
		const struct memblock_region *r = &mb_reserved.r[j];

		if (r->base > cur)
			break;
		cur = max(cur, r->end);
	}
	return cur >= end;
}

/* Keep a range from every allocator; see <exo/memblock.h> for errors. */
int memblock_reserve(phys_addr_t base, u64 size, const char *why)
{
	phys_addr_t end = base + size;

	if (!size || end < base) {
		pr_warn("memblock_reserve(%#llx, %#llx, %s): bad range\n", base, size,
			why ? why : "?");
		return -EINVAL;
	}
	if (mb_released && !fully_reserved(ALIGN_DOWN(base, PAGE_SIZE), ALIGN(end, PAGE_SIZE))) {
		pr_warn("memblock_reserve(%#llx, %#llx, %s): too late, the buddy owns it\n",
			base, size, why ? why : "?");
		return -EBUSY;
	}
	return add_reservation(base, end, why, 0);
}

/* Memory map from @bi, then the boot reservations. */
void __init memblock_init(const struct boot_info *bi)
{
	mb_memory.cnt = 0;
	mb_reserved.cnt = 0;
	mb_released = false;

	build_memory(bi);
	if (!mb_memory.cnt)
		pr_err("no usable RAM in the memory map\n");
	add_reservation(0, MEMBLOCK_LOW_LIMIT, "low 1 MiB (BIOS, real mode)", MR_LOW);
	if (kernel_phys_end() > kernel_phys_start())
		add_reservation(kernel_phys_start(), kernel_phys_end(), "kernel image", 0);
	if (bi->info_end > bi->info_start)
		add_reservation(bi->info_start, bi->info_end, "boot information", 0);
	for (unsigned int i = 0; i < bi->nr_modules && i < BOOT_MAX_MODULES; i++) {
		const struct boot_module *m = &bi->modules[i];

		if (m->end > m->start)
			add_reservation(m->start, m->end, "boot module", 0);
	}
	pr_info("%llu MiB usable RAM in %u ranges, end %#llx\n",
		memblock_phys_mem_size() >> 20, mb_memory.cnt, memblock_end_of_ram());
}

/* Usable RAM bytes. */
u64 memblock_phys_mem_size(void)
{
	u64 sum = 0;

	for (unsigned int i = 0; i < mb_memory.cnt; i++)
		sum += mb_memory.r[i].end - mb_memory.r[i].base;
	return sum;
}

/* Reserved bytes, overlaps counted once. */
u64 memblock_reserved_size(void)
{
	phys_addr_t cur = 0;
	u64 sum = 0;

	for (unsigned int j = 0; j < mb_reserved.cnt; j++) {
		const struct memblock_region *r = &mb_reserved.r[j];
		phys_addr_t s = max(cur, r->base);

		if (r->end > s)
			sum += r->end - s;
		cur = max(cur, r->end);
	}
	return sum;
}

/* End of the highest usable range. */
phys_addr_t memblock_end_of_ram(void)
{
	return mb_memory.cnt ? mb_memory.r[mb_memory.cnt - 1].end : 0;
}

/* The @idx-th usable range; false past the end. */
bool memblock_memory_region(unsigned int idx, phys_addr_t *base, u64 *size)
{
	if (idx >= mb_memory.cnt)
		return false;
	*base = mb_memory.r[idx].base;
	*size = mb_memory.r[idx].end - mb_memory.r[idx].base;
	return true;
}

/* Split the memory region that strictly contains @addr in two at @addr. */
static void split_memory_at(phys_addr_t addr)
{
	for (unsigned int i = 0; i < mb_memory.cnt; i++) {
		struct memblock_region tail = mb_memory.r[i];

		if (tail.base >= addr || tail.end <= addr)
			continue;
		tail.base = addr;
		mb_memory.r[i].end = addr;
		region_insert(&mb_memory, i + 1, &tail);	/* room checked by the caller */
		return;
	}
}

/* Does a memory region strictly contain @addr (so that a split is needed)? */
static bool splits_memory(phys_addr_t addr)
{
	for (unsigned int i = 0; i < mb_memory.cnt; i++)
		if (mb_memory.r[i].base < addr && addr < mb_memory.r[i].end)
			return true;
	return false;
}

int memblock_set_node(phys_addr_t base, u64 size, int nid)
{
	phys_addr_t end = base + size;
	unsigned int splits;

	if (!size || end < base || nid < 0 || nid >= MAX_NUMNODES) {
		pr_err("set_node: bad range %#llx+%#llx or node %d\n", base, size, nid);
		return -EINVAL;
	}
	/* Whole pages, as everywhere in the table; there is no RAM past 2^52. */
	end = ALIGN(min(end, MEMBLOCK_MAX_PHYS), PAGE_SIZE);
	base = ALIGN_DOWN(base, PAGE_SIZE);
	if (base >= end)
		return 0;
	/* Room for both splits first: a failure leaves the table as it was. */
	splits = splits_memory(base) + splits_memory(end);
	if (mb_memory.cnt + splits > MEMBLOCK_MAX_REGIONS) {
		pr_err("set_node: no room to split at %#llx-%#llx\n", base, end - 1);
		return -ENOSPC;
	}
	split_memory_at(base);
	split_memory_at(end);
	for (unsigned int i = 0; i < mb_memory.cnt; i++)
		if (mb_memory.r[i].base >= base && mb_memory.r[i].end <= end)
			mb_memory.r[i].nid = nid;
	return 0;
}

int memblock_get_region_node(unsigned int idx)
{
	return idx < mb_memory.cnt ? mb_memory.r[idx].nid : NUMA_NO_NODE;
}

void __next_mem_pfn_range(int *idx, int nid, unsigned long *out_start_pfn,
			  unsigned long *out_end_pfn, int *out_nid)
{
	const struct memblock_region *r;

	for ((*idx)++; *idx < (int)mb_memory.cnt; (*idx)++) {
		r = &mb_memory.r[*idx];
		if (PHYS_PFN(ALIGN(r->base, PAGE_SIZE)) >= PHYS_PFN(r->end))
			continue;
		if (nid == MAX_NUMNODES || nid == r->nid)
			break;
	}
	if (*idx >= (int)mb_memory.cnt) {
		*idx = -1;
		return;
	}
	if (out_start_pfn)
		*out_start_pfn = PHYS_PFN(ALIGN(r->base, PAGE_SIZE));
	if (out_end_pfn)
		*out_end_pfn = PHYS_PFN(r->end);
	if (out_nid)
		*out_nid = r->nid;
}

/* Print memory ranges and reservations. */
void memblock_dump(void)
{
	pr_info("memory: %u ranges, %llu KiB\n", mb_memory.cnt, memblock_phys_mem_size() >> 10);
	for (unsigned int i = 0; i < mb_memory.cnt; i++)
		pr_info("  [mem 0x%016llx-0x%016llx] %8llu KiB\n", mb_memory.r[i].base,
			mb_memory.r[i].end - 1, (mb_memory.r[i].end - mb_memory.r[i].base) >> 10);
	pr_info("reserved: %u ranges, %llu KiB\n", mb_reserved.cnt, memblock_reserved_size() >> 10);
	for (unsigned int i = 0; i < mb_reserved.cnt; i++)
		pr_info("  [mem 0x%016llx-0x%016llx] %8llu KiB %s\n", mb_reserved.r[i].base,
			mb_reserved.r[i].end - 1,
			(mb_reserved.r[i].end - mb_reserved.r[i].base) >> 10, mb_reserved.r[i].name);
	if (mb_released)
		pr_info("free memory was released to the buddy allocator\n");
}

/* Hand one free range to the buddy, whole pages only. */
static bool release_range(phys_addr_t start, phys_addr_t end, void *arg)
{
	unsigned long *frames = arg;
	unsigned long s = PHYS_PFN(ALIGN(start, PAGE_SIZE)), e = PHYS_PFN(end);

	if (s < e)
		*frames += page_alloc_add_range(s, e);
	return false;
}

/* Every free range to the buddy; memblock_alloc() stops working. */
unsigned long __init memblock_release_to_buddy(void)
{
	unsigned long frames = 0;

	if (WARN_ON(mb_released))
		return 0;
	for_each_free_range(false, release_range, &frames);
	mb_released = true;
	return frames;
}
