// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: memblock (mm/memblock.c), from the loader's memory map to
 * the hand-over to the buddy allocator.
 *
 * Input: a memory map (unsorted, overlapping, absurd entries welcome), the
 * kernel image, loader block and module ranges, then a sequence of
 * memblock_reserve / memblock_alloc / memblock_alloc_range /
 * memblock_alloc_low calls and at most one memblock_release_to_buddy()
 * (page_alloc_add_range() is a recording stub here).  Checked after every
 * step, against a model kept by this file:
 *  - memory is sorted, disjoint, page-aligned, non-empty, below 2^46, made
 *    only of usable pages that no firmware entry claims, and (unless the
 *    table overflowed) every such page at an entry boundary is in it;
 *  - memblock_phys_mem_size() is the sum of the ranges;
 *  - an allocation is aligned, inside one memory range, inside its
 *    [min, max) window, above 1 MiB (below it for _low, never page 0),
 *    and overlaps nothing reserved before (boot ranges, earlier calls);
 *  - memblock_reserve() errors are exactly the documented ones;
 *  - the buddy gets only free memory above 1 MiB, disjoint, in order,
 *    and memblock_alloc() fails afterwards;
 *  - memblock_set_node() errors are exactly the documented ones, a failure
 *    changes nothing, and after each call every range lies on the node of
 *    the last call that covered it (node 0 if none), ranges touch only
 *    where such a call split them, and the RAM total does not change.
 */
#include <exo/bootinfo.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/memblock.h>
#include <exo/numa.h>
#include <exo/page_alloc.h>
#include <exo/printk.h>
#include <asm/hosted.h>
#include <asm/page.h>

#include "fuzz.h"

#define PG	4096ULL


struct range {
	u64 base, end;
};

static struct boot_info bi;
static phys_addr_t kstart, kend;
static struct range resv[MEMBLOCK_MAX_REGIONS + 8];
static unsigned int nr_resv;
static struct range released[4 * MEMBLOCK_MAX_REGIONS];
static unsigned int nr_released;
static bool table_overflow, released_once;
/* memblock_set_node() calls that succeeded, in order. */
static struct nid_set {
	u64 base, end;
	int nid;
} nid_sets[64];
static unsigned int nr_nid_sets;

phys_addr_t kernel_phys_start(void)
{
	return kstart;
}

phys_addr_t kernel_phys_end(void)
{
	return kend;
}

unsigned long page_alloc_add_range(unsigned long start_pfn, unsigned long end_pfn)
{
	FUZZ_CHECK(start_pfn < end_pfn);
	FUZZ_CHECK(nr_released < ARRAY_SIZE(released));
	released[nr_released++] = (struct range){ start_pfn * PG, end_pfn * PG };
	return end_pfn - start_pfn;
}

static void sniff(const char *msg)
{
	if (strstr(msg, "too many memory ranges"))
		table_overflow = true;
}

static u64 align_up(u64 x, u64 a)
{
	return x > ~0ULL - (a - 1) ? ~0ULL & ~(a - 1) : (x + a - 1) & ~(a - 1);
}

/* Interesting 64-bit numbers: pages, MiB, raw, near the limits. */
static u64 fuzz_addr(struct fuzz_stream *s)
{
	u8 mode = fuzz_u8(s);

	switch (mode & 7) {
	case 0: return (u64)fuzz_u16(s) * PG;
	case 1: return (u64)fuzz_u16(s) * MiB;
	case 2: return fuzz_u32(s);
	case 3: return fuzz_u64(s);
	case 4: return (1ULL << (fuzz_u8(s) & 63)) + (int8_t)fuzz_u8(s) * PG;
	case 5: return ~0ULL - fuzz_u16(s);
	default: return (u64)fuzz_u8(s) * PG;
	}
}

static bool overlaps(u64 b, u64 e, const struct range *r, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (b < r[i].end && r[i].base < e)
			return true;
	return false;
}

/* A valid entry as memblock_init() reads it (entry_range()): false if ignored. */
static bool entry(const struct boot_mmap_entry *e, u64 *b, u64 *end)
{
	u64 limit = e->type == BOOT_MEM_USABLE ? MEMBLOCK_MAX_RAM : MEMBLOCK_MAX_PHYS;

	if (!e->len || e->addr + e->len < e->addr || e->addr >= limit)
		return false;
	*b = e->addr;
	*end = min(e->addr + e->len, limit);
	return true;
}

/* Is page @pa usable RAM by the map (some usable entry, no firmware entry)? */
static bool page_usable(u64 pa)
{
	bool usable = false;
	u64 b, e;

	for (unsigned int i = 0; i < bi.nr_mmap; i++) {
		if (!entry(&bi.mmap[i], &b, &e))
			continue;
		if (bi.mmap[i].type == BOOT_MEM_USABLE) {
			if (align_up(b, PG) <= pa && pa + PG <= (e & ~(PG - 1)))
				usable = true;
		} else if ((b & ~(PG - 1)) < pa + PG && pa < align_up(e, PG)) {
			return false;
		}
	}
	return usable;
}

static bool in_memory(u64 b, u64 e)
{
	phys_addr_t rb;
	u64 rs;

	for (unsigned int i = 0; memblock_memory_region(i, &rb, &rs); i++)
		if (rb <= b && e <= rb + rs)
			return true;
	return false;
}

static void check_memory(void)
{
	phys_addr_t b, prev_end = 0;
	u64 size, sum = 0;
	unsigned int i;

	for (i = 0; memblock_memory_region(i, &b, &size); i++) {
		FUZZ_CHECK(size && !(b & (PG - 1)) && !(size & (PG - 1)));
		FUZZ_CHECK(b + size <= MEMBLOCK_MAX_RAM);
		/* Sorted, disjoint, touching only after a node split. */
		FUZZ_CHECK(!i || b > prev_end || (nr_nid_sets && b == prev_end));
		/* Every page boundary region is usable (ends and a middle page). */
		FUZZ_CHECK(page_usable(b) && page_usable(b + size - PG));
		FUZZ_CHECK(page_usable(b + (size / 2 & ~(PG - 1))));
		prev_end = b + size;
		sum += size;
	}
	FUZZ_CHECK(i <= MEMBLOCK_MAX_REGIONS);
	FUZZ_CHECK(memblock_phys_mem_size() == sum);
	FUZZ_CHECK(memblock_end_of_ram() == (i ? prev_end : 0));
	if (table_overflow)
		return;
	/* Converse at every entry boundary: usable pages are memory. */
	for (unsigned int k = 0; k < bi.nr_mmap; k++) {
		u64 eb, ee, pts[4];

		if (!entry(&bi.mmap[k], &eb, &ee))
			continue;
		pts[0] = align_up(eb, PG);
		pts[1] = (ee & ~(PG - 1)) - PG;
		pts[2] = (eb & ~(PG - 1)) - PG;
		pts[3] = align_up(ee, PG);
		for (unsigned int j = 0; j < 4; j++) {
			u64 p = pts[j];

			if (p >= MEMBLOCK_MAX_RAM || p + PG < p)
				continue;
			FUZZ_CHECK(page_usable(p) == in_memory(p, p + PG));
		}
	}
}

static void add_resv(u64 b, u64 e)
{
	if (nr_resv < ARRAY_SIZE(resv))
		resv[nr_resv++] = (struct range){ b & ~(PG - 1), align_up(e, PG) };
}

static void check_alloc(phys_addr_t pa, u64 size, u64 align, u64 lo, u64 hi, bool low)
{
	u64 sz = align_up(size, PG), al = max(align, PG);

	if (!pa)
		return;
	FUZZ_CHECK(!released_once || low);
	FUZZ_CHECK(!(pa & (al - 1)));
	FUZZ_CHECK(pa >= lo && pa + sz <= hi && pa + sz > pa);
	if (low)
		FUZZ_CHECK(pa >= PG && pa + sz <= MEMBLOCK_LOW_LIMIT);
	else
		FUZZ_CHECK(pa >= MEMBLOCK_LOW_LIMIT);
	FUZZ_CHECK(in_memory(pa, pa + sz));
	/* _low ignores only the blanket low reservation (resv[0]). */
	FUZZ_CHECK(!overlaps(pa, pa + sz, resv + 1, nr_resv - 1));
	add_resv(pa, pa + sz);
}

/* The node the model gives @pa: the last set_node covering it, else 0. */
static int model_nid(u64 pa)
{
	for (unsigned int k = nr_nid_sets; k--;)
		if (nid_sets[k].base <= pa && pa < nid_sets[k].end)
			return nid_sets[k].nid;
	return 0;
}

static void check_set_node(u64 base, u64 size, int nid)
{
	u64 total = memblock_phys_mem_size(), rs;
	phys_addr_t rb;
	int err = memblock_set_node(base, size, nid);

	if (!size || base + size < base || nid < 0 || nid >= MAX_NUMNODES) {
		FUZZ_CHECK(err == -EINVAL);
		return;
	}
	FUZZ_CHECK(err == 0 || err == -ENOSPC);
	FUZZ_CHECK(memblock_phys_mem_size() == total);
	/* The range as memblock widens it: whole pages, nothing past 2^52. */
	if (!err)
		nid_sets[nr_nid_sets++] = (struct nid_set){ base & ~(PG - 1),
			align_up(min(base + size, MEMBLOCK_MAX_PHYS), PG), nid };
	for (unsigned int i = 0; memblock_memory_region(i, &rb, &rs); i++) {
		FUZZ_CHECK(memblock_get_region_node(i) == model_nid(rb));
		FUZZ_CHECK(memblock_get_region_node(i) == model_nid(rb + rs - 1));
	}
	FUZZ_CHECK(memblock_get_region_node(MEMBLOCK_MAX_REGIONS) == NUMA_NO_NODE);
}

static void check_released(void)
{
	for (unsigned int i = 0; i < nr_released; i++) {
		const struct range *r = &released[i];

		FUZZ_CHECK(r->base >= MEMBLOCK_LOW_LIMIT);
		FUZZ_CHECK(in_memory(r->base, r->end));
		FUZZ_CHECK(!overlaps(r->base, r->end, resv, nr_resv));
		FUZZ_CHECK(!i || r->base >= released[i - 1].end);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	console_loglevel = 0;
	hosted_printk_hook = sniff;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_stream s = { data, data + size };
	unsigned int n;
	u64 before;

	memset(&bi, 0, sizeof(bi));
	nr_resv = nr_released = 0;
	table_overflow = released_once = false;
	nr_nid_sets = 0;
	n = fuzz_u8(&s) % (BOOT_MAX_MMAP + 1);
	for (unsigned int i = 0; i < n; i++) {
		bi.mmap[i].addr = fuzz_addr(&s);
		bi.mmap[i].len = fuzz_addr(&s);
		bi.mmap[i].type = fuzz_u8(&s) % 8;
	}
	bi.nr_mmap = n;
	kstart = fuzz_addr(&s);
	kend = kstart + fuzz_addr(&s);
	bi.info_start = fuzz_addr(&s);
	bi.info_end = bi.info_start + fuzz_u16(&s);
	bi.nr_modules = fuzz_u8(&s) % 4;
	for (unsigned int i = 0; i < bi.nr_modules; i++) {
		bi.modules[i].start = fuzz_addr(&s);
		bi.modules[i].end = bi.modules[i].start + fuzz_addr(&s);
	}
	memblock_init(&bi);
	/* The boot reservations, in memblock_init()'s order (resv[0]: low 1 MiB). */
	add_resv(0, MEMBLOCK_LOW_LIMIT);
	if (kend > kstart)
		add_resv(kstart, kend);
	if (bi.info_end > bi.info_start)
		add_resv(bi.info_start, bi.info_end);
	for (unsigned int i = 0; i < bi.nr_modules; i++)
		if (bi.modules[i].end > bi.modules[i].start)
			add_resv(bi.modules[i].start, bi.modules[i].end);
	check_memory();

	while (fuzz_more(&s)) {
		u8 op = fuzz_u8(&s) % 6;
		u64 a = fuzz_addr(&s), b = fuzz_addr(&s), al = 1ULL << (fuzz_u8(&s) % 40);
		u64 lo, hi;
		phys_addr_t pa;
		int err;

		before = memblock_reserved_size();
		switch (op) {
		case 0:
			err = memblock_reserve(a, b, "fuzz");
			if (!b || a + b < a) {
				FUZZ_CHECK(err == -EINVAL);
			} else if (released_once) {
				FUZZ_CHECK(err == 0 || err == -EBUSY || err == -ENOSPC);
				if (!err)
					add_resv(a, a + b);
			} else {
				FUZZ_CHECK(err == 0 || err == -ENOSPC);
				if (!err)
					add_resv(a, a + b);
			}
			break;
		case 1:
			pa = memblock_alloc(a & 0xffffffffULL, al);
			check_alloc(pa, a & 0xffffffffULL, al, 0, ~0ULL, false);
			break;
		case 2:
			lo = b;
			hi = b + fuzz_addr(&s);
			pa = memblock_alloc_range(a & 0xffffffffULL, al, lo, hi, "fuzz range");
			check_alloc(pa, a & 0xffffffffULL, al, lo < MiB ? MiB : lo, hi, false);
			break;
		case 3:
			pa = memblock_alloc_low(a & 0xfffff, al & 0xfffff, "fuzz low");
			check_alloc(pa, a & 0xfffff, al & 0xfffff, 0, MEMBLOCK_LOW_LIMIT, true);
			break;
		case 4:
			if (released_once)
				break;
			released_once = true;
			memblock_release_to_buddy();
			check_released();
			FUZZ_CHECK(!memblock_alloc(PG, PG));
			break;
		case 5:
			if (nr_nid_sets < ARRAY_SIZE(nid_sets))
				check_set_node(a, b, (int8_t)fuzz_u8(&s));
			break;
		default:
			break;
		}
		FUZZ_CHECK(memblock_reserved_size() >= before);
		check_memory();
	}
	return 0;
}
