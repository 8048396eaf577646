// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: sequences of frame-allocator calls (mm/page_alloc.c) on a
 * private buddy instance, the real code including its per-CPU cache.
 *
 * Input: the instance's order, then operations: alloc_frame,
 * alloc_contiguous, free_frame / free_contiguous of allocated runs (whole
 * allocations or any piece of them), bad frees (double frees, misaligned
 * or foreign addresses, bad counts, runs with a hole), cache drains.  A
 * model keeps the owner of every frame.  Checked after every step:
 *  - the allocator's own checker (buddy_test_check()) finds nothing;
 *  - free frames = instance size - frames the model holds;
 *  - an allocation returns frames inside the instance that the model has
 *    free, aligned to the block size; -ENOMEM only when the model has no
 *    free naturally aligned block of the needed order (merging works);
 *  - a bad free returns exactly the contract's error and changes nothing
 *    (fingerprint and free count unchanged);
 *  - every allocated frame keeps the tag written into it at allocation
 *    (no frame is handed out twice);
 * and at the end everything is freed and the instance must give its block
 * back whole, the system allocator's checker clean.
 */
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/page_alloc.h>
#include <exo/printk.h>
#include <asm/hosted.h>
#include <asm/page.h>
#include <asm/percpu.h>

#include "fuzz.h"
#include "../../mm/page_alloc_test.h"

#define MAX_FRAMES	1024		/* order <= 10 */

static struct buddy_test_instance inst;
static bool held[MAX_FRAMES];
static unsigned long nframes, nheld, base_pfn;
static u64 epoch;

static u64 *frame_word(unsigned long idx)
{
	return phys_to_virt(PFN_PHYS(base_pfn + idx));
}

static u64 tag(unsigned long idx)
{
	return (epoch << 20) ^ (base_pfn + idx) ^ 0x5a17c0ffee000000ULL;
}

static void take(unsigned long idx, unsigned long n)
{
	for (unsigned long i = idx; i < idx + n; i++) {
		FUZZ_CHECK(i < nframes && !held[i]);
		held[i] = true;
		*frame_word(i) = tag(i);
	}
	nheld += n;
}

static void give(unsigned long idx, unsigned long n)
{
	for (unsigned long i = idx; i < idx + n; i++) {
		FUZZ_CHECK(held[i]);
		FUZZ_CHECK(*frame_word(i) == tag(i));
		held[i] = false;
	}
	nheld -= n;
}

/* Is there a fully free, naturally aligned run of 2^@order frames? */
static bool model_has_block(unsigned int order)
{
	unsigned long sz = 1UL << order;

	for (unsigned long b = 0; b + sz <= nframes; b += sz) {
		unsigned long i = b;

		while (i < b + sz && !held[i])
			i++;
		if (i == b + sz)
			return true;
	}
	return false;
}

static void check(void)
{
	FUZZ_CHECK(buddy_test_check(&inst) == 0);
	FUZZ_CHECK(buddy_test_nr_free(&inst) == nframes - nheld);
}

static long pick_held(unsigned long r)
{
	if (!nheld)
		return -1;
	for (unsigned long k = 0; k < nframes; k++) {
		unsigned long i = (r + k) % nframes;

		if (held[i])
			return (long)i;
	}
	return -1;
}

/* A bad free must fail with @want and leave everything as it was. */
static void bad_free(phys_addr_t pa, size_t count, bool single, int want)
{
	struct free_area_fingerprint a, b;
	unsigned long nfree = buddy_test_nr_free(&inst);
	int err;

	buddy_test_fingerprint(&inst, &a);
	err = single ? buddy_test_free_frame(&inst, pa) :
		       buddy_test_free_contiguous(&inst, pa, count);
	FUZZ_CHECK(err == want);
	buddy_test_fingerprint(&inst, &b);
	FUZZ_CHECK(!memcmp(&a, &b, sizeof(a)));
	FUZZ_CHECK(buddy_test_nr_free(&inst) == nfree);
}

static void op_bad_free(struct fuzz_stream *s)
{
	u8 kind = fuzz_u8(s) % 6;
	unsigned long r = fuzz_u16(s);
	long h = pick_held(r);
	phys_addr_t base = PFN_PHYS(base_pfn);

	switch (kind) {
	case 0: {	/* double free: a frame the model has free */
		for (unsigned long k = 0; k < nframes; k++) {
			unsigned long i = (r + k) % nframes;

			if (!held[i]) {
				bad_free(base + PFN_PHYS(i), 1, r & 1, -ENOENT);
				break;
			}
		}
		break;
	}
	case 1:		/* misaligned */
		bad_free(base + PFN_PHYS(r % nframes) + 1 + r % (PAGE_SIZE - 1), 1, r & 1, -EINVAL);
		break;
	case 2:		/* just outside the instance, either side */
		bad_free(r & 1 ? base - PAGE_SIZE : base + PFN_PHYS(nframes), 1, r & 2, -EFAULT);
		break;
	case 3:		/* bad counts */
		bad_free(base, r & 1 ? 0 : MAX_ORDER_NR_PAGES + 1 + r, false, -EINVAL);
		break;
	case 4: {	/* a run of held frames that ends in a free one */
		unsigned long e;

		if (h < 0)
			break;
		for (e = (unsigned long)h; e < nframes && held[e]; e++)
			;
		if (e < nframes)
			bad_free(base + PFN_PHYS(h), e - (unsigned long)h + 1, false, -ENOENT);
		break;
	}
	default:	/* far away: beyond RAM */
		bad_free(PFN_PHYS(max_pfn + r), 1, r & 1, -EFAULT);
		break;
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	console_loglevel = 0;
	hosted_set_cpu(0);
	FUZZ_CHECK(hosted_mm_init(NULL) == 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_stream s = { data, data + size };
	unsigned int order = 4 + fuzz_u8(&s) % 7;
	unsigned long gfree = nr_free_pages();
	unsigned int steps = 0;

	/*
	 * Poisoning checks every frame of the instance's block when it is
	 * carved out and poisons it when it goes back: megabytes per input.
	 * It stays on for the operations, where it checks the instance.
	 */
	page_poison_enable(false);
	FUZZ_CHECK(buddy_test_init(&inst, order) == 0);
	page_poison_enable(true);
	epoch++;
	base_pfn = inst.base_pfn;
	nframes = 1UL << order;
	nheld = 0;
	memset(held, 0, sizeof(held));
	check();
	while (fuzz_more(&s) && steps++ < 2000) {
		u8 op = fuzz_u8(&s) % 8;
		unsigned long r = fuzz_u16(&s);
		phys_addr_t pa = 0;
		long h;
		int err;

		switch (op) {
		case 0:
		case 1:
			err = buddy_test_alloc_frame(&inst, &pa);
			if (err) {
				FUZZ_CHECK(err == -ENOMEM && nheld == nframes);
				break;
			}
			FUZZ_CHECK(!(pa & ~PAGE_MASK) && PHYS_PFN(pa) >= base_pfn);
			take(PHYS_PFN(pa) - base_pfn, 1);
			break;
		case 2: {
			size_t count = 1 + r % (2 * nframes);
			unsigned int o = order_base_2(count);

			err = buddy_test_alloc_contiguous(&inst, count, &pa);
			if (count > MAX_ORDER_NR_PAGES) {
				FUZZ_CHECK(err == -EINVAL);
			} else if (err) {
				FUZZ_CHECK(err == -ENOMEM && (o > order || !model_has_block(o)));
			} else {
				FUZZ_CHECK(PHYS_PFN(pa) >= base_pfn);
				FUZZ_CHECK(!((PHYS_PFN(pa) - base_pfn) & ((1UL << o) - 1)));
				take(PHYS_PFN(pa) - base_pfn, count);
			}
			break;
		}
		case 3:		/* free one held frame */
			h = pick_held(r);
			if (h < 0)
				break;
			give((unsigned long)h, 1);	/* checks the tags before poisoning */
			FUZZ_CHECK(buddy_test_free_frame(&inst, PFN_PHYS(base_pfn + h)) == 0);
			break;
		case 4: {	/* free a held run, any length up to the end of the run */
			unsigned long e, n;

			h = pick_held(r);
			if (h < 0)
				break;
			for (e = (unsigned long)h; e < nframes && held[e]; e++)
				;
			n = 1 + (r >> 8) % (e - (unsigned long)h);
			give((unsigned long)h, n);
			FUZZ_CHECK(buddy_test_free_contiguous(&inst, PFN_PHYS(base_pfn + h), n) == 0);
			break;
		}
		case 5:
		case 6:
			op_bad_free(&s);
			break;
		default:
			buddy_test_drain(&inst);
			break;
		}
		check();
	}
	for (unsigned long i = 0; i < nframes; i++) {
		if (!held[i])
			continue;
		give(i, 1);
		FUZZ_CHECK(buddy_test_free_frame(&inst, PFN_PHYS(base_pfn + i)) == 0);
	}
	check();
	page_poison_enable(false);
	FUZZ_CHECK(buddy_test_destroy(&inst) == 0);
	page_poison_enable(true);
	FUZZ_CHECK(nr_free_pages() == gfree);
	/* The whole system check costs ~100 runs of an input: now and then. */
	if (!(epoch & 127))
		FUZZ_CHECK(page_alloc_check() == 0);
	return 0;
}
