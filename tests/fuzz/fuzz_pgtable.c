// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: sequences of page-table calls (mm/pgtable.c) on a hosted
 * address space backed by the fake RAM arena: mm_map_page (4 KiB, 2 MiB,
 * 1 GiB), mm_unmap_page (splitting huge pages), mm_translate / translate,
 * mm_map_range, mm_unmap_range, mm_protect_range, and calls with bad
 * arguments.  Four 4 GiB windows: two in the lower half of a fresh
 * mm_create() address space (one across a PML4 slot boundary, one ending
 * at the top of the lower half) and two in the shared kernel half (one
 * across a PML4 slot, one ending at 2^64).
 *
 * The model is a sorted list of leaves (virtual start, size, physical
 * address, flags), updated by an independent implementation of the
 * contract (Documentation/mm/api.rst, <exo/pgtable.h>): which calls fail
 * with which error, how map_range picks its pieces, that unmap_page
 * splits a huge page down to the page it removes, that the range calls
 * split the huge pages straddling their ends.  Checked after every step:
 *  - the call's return value is the model's;
 *  - mm_walk() of every window gives exactly the model's leaves (address,
 *    size, physical address, flags);
 *  - translate of the touched addresses and of random addresses in the
 *    windows (with the offset inside the page) agrees with the model;
 *  - nr_pgtable_pages() and the free-frame count equal what the leaves
 *    need (one table per populated 512 GiB / 1 GiB / 2 MiB region, none
 *    empty, the kernel half's PDPTs permanent);
 *  - a rejected call changed nothing (same leaves, same counts);
 * and at the end everything is unmapped and the address space destroyed:
 * table count and free frames back at their baselines.
 */
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/printk.h>
#include <asm/hosted.h>
#include <asm/page.h>
#include <asm/percpu.h>

#include "fuzz.h"

#define GIB		(1UL << 30)
#define WIN_SIZE	(4 * GIB)
#define NR_WIN		4
#define MAX_LEAVES	6000
#define SPLIT_ROOM	1100	/* leaves one call may add at most (1G -> 2M -> 4K, twice) */
#define PHYS_LIMIT	(1ULL << 52)
#define SIZE_FLAGS	(PAGE_HUGE_2M | PAGE_HUGE_1G)
#define KEPT_FLAGS	(PAGE_HW_FLAGS | PAGE_EXEC | PAGE_WRITECOMBINE)

static const unsigned long win_base[NR_WIN] = {
	0x7f80000000UL,				/* across the 512 GiB PML4 slot */
	USER_HALF_END - WIN_SIZE,		/* ends at the top of the lower half */
	0xffffe00000000000UL - 2 * GIB,		/* kernel half, across a slot */
	0UL - WIN_SIZE,				/* ends at 2^64 */
};

struct leaf {
	unsigned long va, size;
	phys_addr_t pa;
	pgflags_t flags;	/* KEPT_FLAGS as pte_pgflags() reports them */
};

static struct leaf leaves[MAX_LEAVES];
static unsigned int nleaves;
static struct mm_struct *mm;
static unsigned long base_tables, base_free;
static unsigned long touched[4];
static unsigned int ntouched;

static bool is_kernel(unsigned long va)
{
	return va >= KERNEL_HALF_START;
}

/* ---- model ---- */

/* Index of the first leaf ending after @va. */
static unsigned int lower_bound(unsigned long va)
{
	unsigned int lo = 0, hi = nleaves;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (leaves[mid].va + (leaves[mid].size - 1) < va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct leaf *leaf_at(unsigned long va)
{
	unsigned int i = lower_bound(va);

	if (i < nleaves && leaves[i].va <= va)
		return &leaves[i];
	return NULL;
}

/* Does anything overlap [va, va + size - 1]? */
static bool overlaps(unsigned long va, unsigned long size)
{
	unsigned int i = lower_bound(va);

	return i < nleaves && leaves[i].va <= va + (size - 1);
}

static void insert(unsigned long va, unsigned long size, phys_addr_t pa, pgflags_t flags)
{
	unsigned int i = lower_bound(va);

	FUZZ_CHECK(nleaves < MAX_LEAVES);
	memmove(&leaves[i + 1], &leaves[i], (nleaves - i) * sizeof(leaves[0]));
	leaves[i] = (struct leaf){ va, size, pa, flags };
	nleaves++;
}

static void remove_at(unsigned int i)
{
	memmove(&leaves[i], &leaves[i + 1], (nleaves - i - 1) * sizeof(leaves[0]));
	nleaves--;
}

/* Replace the huge leaf @i by 512 leaves of the next size. */
static void split(unsigned int i)
{
	struct leaf l = leaves[i];
	unsigned long step = l.size == PUD_SIZE ? PMD_SIZE : PAGE_SIZE;

	FUZZ_CHECK(l.size > PAGE_SIZE && nleaves + 511 <= MAX_LEAVES);
	memmove(&leaves[i + 512], &leaves[i + 1], (nleaves - i - 1) * sizeof(leaves[0]));
	for (unsigned int k = 0; k < 512; k++)
		leaves[i + k] = (struct leaf){ l.va + k * step, step, l.pa + k * step, l.flags };
	nleaves += 511;
}

/*
 * A range end at @va of the range [@lo, @lo + @size): split the huge leaf
 * holding @va until what holds it lies inside the range (a huge leaf the
 * range covers entirely stays whole).
 */
static void split_end(unsigned long va, unsigned long lo, unsigned long size)
{
	struct leaf *l;

	while ((l = leaf_at(va)) && l->size > PAGE_SIZE &&
	       !(l->va >= lo && l->va + (l->size - 1) <= lo + (size - 1)))
		split((unsigned int)(l - leaves));
}

static pgflags_t stored_flags(unsigned long va, pgflags_t flags)
{
	return (flags & KEPT_FLAGS) | (is_kernel(va) ? PAGE_GLOBAL : 0);
}

/* The contract's argument checks.  Return: -EINVAL or 0. */
static int flags_err(unsigned long va, pgflags_t flags, bool sizes_ok)
{
	pgflags_t huge = flags & SIZE_FLAGS;

	if (flags & ~PAGE_FLAGS_ALL)
		return -EINVAL;
	if (huge && (!sizes_ok || huge == SIZE_FLAGS))
		return -EINVAL;
	if ((flags & PAGE_USER) && is_kernel(va))
		return -EINVAL;
	if ((flags & PAGE_GLOBAL) && !is_kernel(va))
		return -EINVAL;
	if ((flags & PAGE_WRITECOMBINE) && (flags & (PAGE_NOCACHE | PAGE_WRITETHROUGH)))
		return -EINVAL;
	return 0;
}

static int range_err(unsigned long va, unsigned long size)
{
	unsigned long last = va + size - 1;

	if (!size || (size & ~PAGE_MASK) || (va & ~PAGE_MASK) || !virt_is_canonical(va))
		return -EINVAL;
	if (last < va || !virt_is_canonical(last))
		return -EINVAL;
	/* A range may end at 2^64 exactly (its exclusive end is then 0). */
	if (va < USER_HALF_END && last >= USER_HALF_END)
		return -EINVAL;
	return 0;
}

static unsigned long leaf_size_of(pgflags_t flags)
{
	return flags & PAGE_HUGE_1G ? PUD_SIZE : flags & PAGE_HUGE_2M ? PMD_SIZE : PAGE_SIZE;
}

static int model_map_page(unsigned long va, phys_addr_t pa, pgflags_t flags)
{
	unsigned long size = leaf_size_of(flags);
	int err = flags_err(va, flags, true);

	if (!virt_is_canonical(va) || (va & (size - 1)) || (pa & (size - 1)) || pa >= PHYS_LIMIT)
		err = -EINVAL;
	if (err)
		return err;
	if (overlaps(va, size))
		return -EEXIST;
	insert(va, size, pa, stored_flags(va, flags));
	return 0;
}

static int model_unmap_page(unsigned long va)
{
	struct leaf *l;

	if (!virt_is_canonical(va) || (va & ~PAGE_MASK))
		return -EINVAL;
	l = leaf_at(va);
	if (!l)
		return -ENOENT;
	/* Inside a huge page, at any alignment: down to 4 KiB (1G -> 2M -> 4K). */
	if (l->size > PAGE_SIZE && (va & (l->size - 1))) {
		while (l->size > PAGE_SIZE) {
			split((unsigned int)(l - leaves));
			l = leaf_at(va);
		}
	}
	remove_at((unsigned int)(l - leaves));
	return 0;
}

static int model_map_range(unsigned long va, phys_addr_t pa, unsigned long size, pgflags_t flags)
{
	int err = range_err(va, size);

	if (!err)
		err = flags_err(va, flags, false);
	if (!err && ((pa & ~PAGE_MASK) || pa >= PHYS_LIMIT || pa + size < pa ||
		     pa + size > PHYS_LIMIT))
		err = -EINVAL;
	if (err)
		return err;
	if (overlaps(va, size))
		return -EEXIST;
	for (unsigned long done = 0; done < size;) {
		unsigned long v = va + done, left = size - done, sz = PAGE_SIZE;
		phys_addr_t p = pa + done;

		if (!((v | p) & (PUD_SIZE - 1)) && left >= PUD_SIZE)
			sz = PUD_SIZE;
		else if (!((v | p) & (PMD_SIZE - 1)) && left >= PMD_SIZE)
			sz = PMD_SIZE;
		insert(v, sz, p, stored_flags(va, flags));
		done += sz;
	}
	return 0;
}

static int model_unmap_range(unsigned long va, unsigned long size)
{
	unsigned int i;
	bool found = false;
	int err = range_err(va, size);

	if (err)
		return err;
	if (!overlaps(va, size))
		return -ENOENT;
	split_end(va, va, size);
	split_end(va + size - PAGE_SIZE, va, size);
	i = lower_bound(va);
	while (i < nleaves && leaves[i].va <= va + (size - 1)) {
		remove_at(i);
		found = true;
	}
	FUZZ_CHECK(found);
	return 0;
}

/* Is every page of [va, va + size) mapped? */
static bool fully_mapped(unsigned long va, unsigned long size)
{
	unsigned long next = va, last = va + (size - 1);

	for (unsigned int i = lower_bound(va); i < nleaves && leaves[i].va <= last; i++) {
		unsigned long end = leaves[i].va + (leaves[i].size - 1);	/* inclusive */

		if (leaves[i].va > next)
			return false;
		if (end >= last)
			return true;
		next = end + 1;
	}
	return false;
}

static int model_protect_range(unsigned long va, unsigned long size, pgflags_t flags)
{
	int err = range_err(va, size);

	if (!err)
		err = flags_err(va, flags, false);
	if (err)
		return err;
	if (!fully_mapped(va, size))
		return -ENOENT;
	split_end(va, va, size);
	split_end(va + size - PAGE_SIZE, va, size);
	for (unsigned int i = lower_bound(va); i < nleaves && leaves[i].va <= va + (size - 1); i++)
		leaves[i].flags = stored_flags(va, flags);
	return 0;
}

/* ---- checks ---- */

struct walk_state {
	unsigned int i;
};

static int walk_cmp(const struct pt_leaf *pl, void *arg)
{
	struct walk_state *w = arg;
	const struct leaf *l;

	FUZZ_CHECK(w->i < nleaves);
	l = &leaves[w->i++];
	if (pl->virt != l->va || pl->size != l->size || pl->phys != l->pa)
		fprintf(stderr, "walk: %#lx +%#lx -> %#llx, model %#lx +%#lx -> %#llx\n", pl->virt,
			pl->size, (unsigned long long)pl->phys, l->va, l->size,
			(unsigned long long)l->pa);
	FUZZ_CHECK(pl->virt == l->va);
	FUZZ_CHECK(pl->size == l->size);
	FUZZ_CHECK(pl->phys == l->pa);
	FUZZ_CHECK((pte_pgflags(pl->entry, pl->size) & ~SIZE_FLAGS) == l->flags);
	return 0;
}

/* Tables the model's leaves need (below the PML4s). */
static unsigned long tables_needed(void)
{
	unsigned long n = 0, last_pdpt = ~0UL, last_pd = ~0UL, last_pt = ~0UL;

	for (unsigned int i = 0; i < nleaves; i++) {
		const struct leaf *l = &leaves[i];

		if (!is_kernel(l->va) && l->va >> 39 != last_pdpt) {
			last_pdpt = l->va >> 39;
			n++;
		}
		if (l->size < PUD_SIZE && l->va >> 30 != last_pd) {
			last_pd = l->va >> 30;
			n++;
		}
		if (l->size == PAGE_SIZE && l->va >> 21 != last_pt) {
			last_pt = l->va >> 21;
			n++;
		}
	}
	return n;
}

static void check_translate(unsigned long va)
{
	const struct leaf *l = leaf_at(va);
	phys_addr_t pa = 0x1234;
	int err = mm_translate(mm, va, &pa);

	if (!virt_is_canonical(va)) {
		FUZZ_CHECK(err == -EINVAL);
		return;
	}

	if (!l) {
		FUZZ_CHECK(err == -ENOENT);
		return;
	}
	FUZZ_CHECK(err == 0 && pa == l->pa + (va - l->va));
	if (is_kernel(va)) {	/* the contract call, with its lock-free fast path */
		pa = 0;
		FUZZ_CHECK(translate(va, &pa) == 0 && pa == l->pa + (va - l->va));
	}
}

/* The checks' own random addresses: not taken from the input (seeds stay readable). */
static u64 rnd_state;

static u64 rnd(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545f4914f6cdd1dULL;
}

static void check(void)
{
	struct walk_state w = { 0 };
	unsigned long need = tables_needed();

	for (unsigned int k = 0; k < NR_WIN; k++)
		FUZZ_CHECK(mm_walk(mm, win_base[k], win_base[k] + WIN_SIZE, walk_cmp, &w) == 0);
	FUZZ_CHECK(w.i == nleaves);
	FUZZ_CHECK(nr_pgtable_pages() == base_tables + 1 + need);
	FUZZ_CHECK(nr_free_pages() == base_free - 2 - need);
	for (unsigned int k = 0; k < ntouched; k++) {
		check_translate(touched[k]);
		if (touched[k] & ~PAGE_MASK)
			continue;
		check_translate(touched[k] + PAGE_SIZE - 1);
		check_translate(touched[k] - 1);
	}
	if (nleaves) {
		const struct leaf *l = &leaves[rnd() % nleaves];

		check_translate(l->va + (rnd() % l->size));
	}
	check_translate(win_base[rnd() % NR_WIN] + rnd() % WIN_SIZE);
	FUZZ_CHECK(mm_translate(mm, 0x0000800000000000UL + (rnd() % (KERNEL_HALF_START - USER_HALF_END)), &(phys_addr_t){ 0 })
		   == -EINVAL);
	ntouched = 0;
}

static void touch(unsigned long va)
{
	if (ntouched < ARRAY_SIZE(touched))
		touched[ntouched++] = va;
}

/* ---- input decoding ---- */

static unsigned long pick_va(struct fuzz_stream *s, unsigned int *win)
{
	u8 m = fuzz_u8(s);
	u32 r = fuzz_u32(s);
	unsigned long off;

	*win = m % NR_WIN;
	switch ((m >> 2) % 8) {
	case 0:
	case 1:
	case 2:
		off = ((unsigned long)r << PAGE_SHIFT) % WIN_SIZE;
		break;
	case 3:
	case 4:
		off = ((unsigned long)r << PMD_SHIFT) % WIN_SIZE;
		break;
	case 5:
		off = ((unsigned long)r << PUD_SHIFT) % WIN_SIZE;
		break;
	case 6:		/* next to an existing leaf: where the splits are */
		if (nleaves) {
			const struct leaf *l = &leaves[r % nleaves];
			unsigned long va = l->va + ((unsigned long)(r >> 16) % 5 - 2) * PAGE_SIZE;

			if ((r >> 19) & 1)
				va = l->va + (((unsigned long)(r >> 20) << PAGE_SHIFT) % l->size);
			for (*win = 0; *win < NR_WIN; (*win)++)
				if (va - win_base[*win] < WIN_SIZE)
					return va;
			*win = m % NR_WIN;
		}
		off = ((unsigned long)r << PAGE_SHIFT) % WIN_SIZE;
		break;
	default:	/* the window's last pages */
		off = WIN_SIZE - ((unsigned long)(r % 600) + 1) * PAGE_SIZE;
		break;
	}
	return win_base[*win] + off;
}

static phys_addr_t pick_pa(struct fuzz_stream *s, unsigned long align)
{
	u8 m = fuzz_u8(s);
	u32 r = fuzz_u32(s);

	switch (m % 8) {
	case 0:		/* near the 52-bit limit */
		return PHYS_LIMIT - (phys_addr_t)(1 + r % 8) * align;
	case 1:		/* anywhere below it, unaligned to bigger sizes */
		return ((phys_addr_t)r << 20 | (phys_addr_t)(m >> 3) << PAGE_SHIFT) % PHYS_LIMIT &
		       ~(phys_addr_t)(align - 1);
	case 2:
		return (phys_addr_t)(r % 4096) * PUD_SIZE;
	default:
		return ((phys_addr_t)r * align) % (1ULL << 44);
	}
}

/* Mostly valid flags for @va; sometimes any bits (errors expected). */
static pgflags_t pick_flags(struct fuzz_stream *s, unsigned long va)
{
	u16 r = fuzz_u16(s);
	pgflags_t f = 0;

	if (r & 0x8000)
		return (pgflags_t)(r & 0x7fff) | (r & 0x4000 ? 1UL << (r & 63) : 0);
	if (r & 1)
		f |= PAGE_WRITABLE;
	if (r & 2)
		f |= PAGE_EXEC;
	if (r & 4)
		f |= PAGE_NOCACHE;
	if (r & 8)
		f |= PAGE_WRITETHROUGH;
	if (r & 16)
		f |= is_kernel(va) ? PAGE_GLOBAL : PAGE_USER;
	if (r & 32)
		f |= PAGE_WRITECOMBINE;
	return f;
}

static unsigned long pick_size(struct fuzz_stream *s, unsigned long va, unsigned int win)
{
	u8 m = fuzz_u8(s);
	u16 r = fuzz_u16(s);
	unsigned long size, room = win_base[win] + WIN_SIZE - va;	/* 0: to 2^64 */

	switch (m % 8) {
	case 0:
	case 1:
	case 2:
		size = (1 + r % 1024UL) * PAGE_SIZE;
		break;
	case 3:
	case 4:
		size = (1 + r % 4UL) * PMD_SIZE + (m & 0x80 ? (r >> 8) * PAGE_SIZE : 0);
		break;
	case 5:
		size = (1 + r % 2UL) * PUD_SIZE + (m & 0x80 ? (r >> 4) * PAGE_SIZE : 0);
		break;
	case 6:		/* bad: zero, unaligned, wrapping, past the lower half */
		switch (r % 4) {
		case 0:
			return 0;
		case 1:
			return 1 + r % (PAGE_SIZE - 1) + (m >> 3) * PAGE_SIZE;
		case 2:
			return 0UL - va + PAGE_SIZE * (1 + (r >> 2) % 4);
		default:
			return USER_HALF_END - va + PAGE_SIZE;
		}
	default:	/* exactly to the end of the window */
		return room ? room : 0UL - va;
	}
	if (room && size > room)
		size = room;
	if (!room && size > 0UL - va)
		size = 0UL - va;
	return size;
}

/* In the model's windows (what the model can see)? */
static bool in_windows(unsigned long va, unsigned long size)
{
	for (unsigned int k = 0; k < NR_WIN; k++)
		if (va - win_base[k] < WIN_SIZE && size - 1 <= WIN_SIZE - 1 - (va - win_base[k]))
			return true;
	return false;
}

static void op_map_page(struct fuzz_stream *s)
{
	unsigned int win;
	unsigned long va = pick_va(s, &win);
	u8 sz = fuzz_u8(s) % 4;
	pgflags_t flags = pick_flags(s, va);
	phys_addr_t pa;
	int want, err;

	if (!(flags & SIZE_FLAGS))
		flags |= sz == 1 ? PAGE_HUGE_2M : sz == 2 ? PAGE_HUGE_1G : 0;
	pa = pick_pa(s, leaf_size_of(flags));
	if (!in_windows(va, leaf_size_of(flags)))
		return;
	want = model_map_page(va, pa, flags);
	err = mm_map_page(mm, va, pa, flags);
	FUZZ_CHECK(err == want);
	touch(va);
}

static void op_unmap_page(struct fuzz_stream *s)
{
	unsigned int win;
	unsigned long va = pick_va(s, &win);
	int want;

	if (nleaves + SPLIT_ROOM > MAX_LEAVES)
		return;
	want = model_unmap_page(va);
	FUZZ_CHECK(mm_unmap_page(mm, va) == want);
	touch(va);
}

static void op_range(struct fuzz_stream *s, unsigned int kind)
{
	unsigned int win;
	unsigned long va = pick_va(s, &win);
	unsigned long size = pick_size(s, va, win);
	pgflags_t flags = pick_flags(s, va);
	int want, err;

	/* A valid range must stay in the windows (the model sees nothing else). */
	if (!range_err(va, size) && !in_windows(va, size))
		return;
	if (nleaves + SPLIT_ROOM + (kind == 0 ? size / PAGE_SIZE : 0) > MAX_LEAVES)
		return;
	switch (kind) {
	case 0: {
		phys_addr_t pa = pick_pa(s, PAGE_SIZE);

		if (fuzz_u8(s) & 1)	/* same offset as va in the huge sizes: huge pieces */
			pa = (pa & ~(PUD_SIZE - 1)) | (va & (PUD_SIZE - 1));
		want = model_map_range(va, pa, size, flags);
		err = mm_map_range(mm, va, pa, size, flags);
		break;
	}
	case 1:
		want = model_unmap_range(va, size);
		err = mm_unmap_range(mm, va, size);
		break;
	default:
		want = model_protect_range(va, size, flags);
		err = mm_protect_range(mm, va, size, flags);
		break;
	}
	FUZZ_CHECK(err == want);
	touch(va);
	if (size && size < WIN_SIZE)
		touch(va + size - PAGE_SIZE);
}

/* Arguments no window can hold: every call -EINVAL, nothing changes. */
static void op_bad(struct fuzz_stream *s)
{
	u8 k = fuzz_u8(s) % 6;
	unsigned long va = 0x0000800000000000UL + ((unsigned long)fuzz_u32(s) << PAGE_SHIFT);
	phys_addr_t pa = 0;

	if (k == 5)
		va = win_base[0] + 1 + fuzz_u8(s);	/* misaligned */
	switch (k) {
	case 0:
	case 5:
		FUZZ_CHECK(mm_map_page(mm, va, 0, 0) == -EINVAL);
		break;
	case 1:
		FUZZ_CHECK(mm_unmap_page(mm, va) == -EINVAL);
		break;
	case 2:
		FUZZ_CHECK(mm_map_range(mm, va, 0, PAGE_SIZE, 0) == -EINVAL);
		break;
	case 3:
		FUZZ_CHECK(mm_unmap_range(mm, va & PAGE_MASK, PAGE_SIZE) == -EINVAL);
		break;
	default:
		FUZZ_CHECK(mm_translate(mm, va, &pa) == -EINVAL);
		break;
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	console_loglevel = 0;
	hosted_set_cpu(0);
	FUZZ_CHECK(hosted_mm_init(NULL) == 0);
	FUZZ_CHECK(hosted_pgtable_init() == 0);
	FUZZ_CHECK(pgtable_huge_supported(PAGE_HUGE_2M) && pgtable_huge_supported(PAGE_HUGE_1G));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_stream s = { data, data + size };
	unsigned int steps = 0;

	base_tables = nr_pgtable_pages();
	base_free = nr_free_pages();
	FUZZ_CHECK(mm_create(&mm) == 0);
	nleaves = 0;
	ntouched = 0;
	rnd_state = 0x9e3779b97f4a7c15ULL ^ size;
	check();
	while (fuzz_more(&s) && steps++ < 300) {
		u8 op = fuzz_u8(&s);

		switch (op % 8) {
		case 0:
		case 1:
			op_map_page(&s);
			break;
		case 2:
			op_unmap_page(&s);
			break;
		case 3:
			op_range(&s, 0);
			break;
		case 4:
			op_range(&s, 1);
			break;
		case 5:
			op_range(&s, 2);
			break;
		case 6:
			op_bad(&s);
			break;
		default: {
			unsigned int win;

			touch(pick_va(&s, &win) + fuzz_u16(&s));
			break;
		}
		}
		check();
	}
	/* Tear down: every window unmapped, then the address space. */
	for (unsigned int k = 0; k < NR_WIN; k++) {
		/* The last window's last page by unmap_page (see range_err()). */
		unsigned long sz = win_base[k] + WIN_SIZE ? WIN_SIZE : WIN_SIZE - PAGE_SIZE;
		int want = model_unmap_range(win_base[k], sz);

		FUZZ_CHECK(mm_unmap_range(mm, win_base[k], sz) == want);
		if (sz != WIN_SIZE) {
			want = model_unmap_page(0UL - PAGE_SIZE);
			FUZZ_CHECK(mm_unmap_page(mm, 0UL - PAGE_SIZE) == want);
		}
	}
	FUZZ_CHECK(nleaves == 0);
	check();
	FUZZ_CHECK(mm_destroy(mm) == 0);
	FUZZ_CHECK(nr_pgtable_pages() == base_tables);
	FUZZ_CHECK(nr_free_pages() == base_free);
	return 0;
}
