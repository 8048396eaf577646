// SPDX-License-Identifier: GPL-2.0
/*
 * Hosted fuzz driver for the frame allocator: the example of driving the
 * real mm/page_alloc.c from outside the ktest suites, through the entry
 * points of <asm/hosted.h>.
 *
 * Every input is a program for a fresh allocator on the default fake
 * machine.  Each byte picks an operation (allocate a frame, a power-of-two
 * block, an odd run; free a live block whole, in two pieces or frame by
 * frame; a bad free; a drain; a local check), the following bytes its
 * arguments.  After every operation the driver checks what the contract
 * promises, with a shadow bitmap of the frames it holds: no frame handed
 * out twice, alignment, the free count, a rejected call changes nothing;
 * at the end page_alloc_check() and a return to the initial free lists.
 * Any violation abort()s, which is what a fuzzer looks for.
 *
 *	fuzz_page_alloc FILE...        replay inputs (crash reproducers)
 *	fuzz_page_alloc -r N [SEED]    N pseudo-random inputs (make check)
 *
 * Built with clang -fsanitize=fuzzer (make -f tests/hosted/Makefile
 * fuzz-libfuzzer) the same file is a libFuzzer target.
 */
#include <exo/bitmap.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/page_alloc.h>
#include <exo/printk.h>
#include <asm/hosted.h>
#include <asm/percpu.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LIVE	256

struct live {
	phys_addr_t base;
	unsigned int count;
};

struct fuzz {
	const uint8_t *p, *end;
	struct live live[MAX_LIVE];
	unsigned int nlive;
	unsigned long held, baseline;
	unsigned long *shadow;
};

#define fuzz_assert(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_page_alloc: %s:%d: %s\n", __FILE__,	\
			__LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

static unsigned int next_byte(struct fuzz *f)
{
	return f->p < f->end ? *f->p++ : 0;
}

static void shadow_mark(struct fuzz *f, phys_addr_t base, unsigned int count, bool on)
{
	for (unsigned long p = PHYS_PFN(base); p < PHYS_PFN(base) + count; p++) {
		unsigned long bit = 1UL << (p % 64);

		fuzz_assert(!!(f->shadow[p / 64] & bit) != on);	/* no overlap */
		fuzz_assert(pfn_allocated(p) == on);
		f->shadow[p / 64] ^= bit;
	}
}

static void hold(struct fuzz *f, int err, phys_addr_t base, unsigned int count)
{
	if (err) {
		fuzz_assert(err == -ENOMEM);
		return;
	}
	fuzz_assert(!(PHYS_PFN(base) & ((1UL << ilog2(count)) - 1)));
	shadow_mark(f, base, count, true);
	f->live[f->nlive++] = (struct live){ base, count };
	f->held += count;
}

static void release(struct fuzz *f, unsigned int i, unsigned int how)
{
	struct live b = f->live[i];

	f->live[i] = f->live[--f->nlive];
	if (how == 1 && b.count > 1) {
		unsigned int cut = 1 + next_byte(f) % (b.count - 1);

		fuzz_assert(!free_contiguous(b.base + PFN_PHYS(cut), b.count - cut));
		fuzz_assert(!free_contiguous(b.base, cut));
	} else if (how == 2) {
		for (unsigned int k = 0; k < b.count; k++)
			fuzz_assert(!free_frame(b.base + PFN_PHYS(k)));
	} else {
		fuzz_assert(!free_contiguous(b.base, b.count));
	}
	shadow_mark(f, b.base, b.count, false);
	f->held -= b.count;
	fuzz_assert(!page_alloc_check_pfn(PHYS_PFN(b.base)));
	fuzz_assert(!page_alloc_check_pfn(PHYS_PFN(b.base) + b.count - 1));
	/* The same frame again is a double free, and changes nothing. */
	fuzz_assert(free_frame(b.base) == -ENOENT);
}

/* A free that must be refused: misaligned, outside RAM, or not allocated. */
static void bad_free(struct fuzz *f)
{
	unsigned int k = next_byte(f);
	phys_addr_t a;

	switch (k % 4) {
	case 0:
		a = f->nlive ? f->live[k % f->nlive].base + 1 + k : 1 + k;
		break;
	case 1:
		a = PFN_PHYS(max_pfn + k);
		break;
	case 2:
		a = PFN_PHYS((unsigned long)k << 8);	/* anything: hole, free, reserved */
		if (a / PAGE_SIZE < max_pfn && pfn_allocated(PHYS_PFN(a)))
			return;
		break;
	default:
		fuzz_assert(free_contiguous(0, 0) == -EINVAL);
		return;
	}
	fuzz_assert(free_frame(a) < 0);
}

static void run_one(const uint8_t *data, size_t size)
{
	struct free_area_fingerprint before, after;
	static unsigned long *shadow;
	static size_t shadow_words;
	struct fuzz f = { .p = data, .end = data + size };
	unsigned int steps = 0;

	hosted_set_cpu(0);
	fuzz_assert(!hosted_mm_init(NULL));
	if (shadow_words < BITS_TO_LONGS(max_pfn)) {
		free(shadow);
		shadow_words = BITS_TO_LONGS(max_pfn);
		shadow = malloc(shadow_words * sizeof(long));
		fuzz_assert(shadow);
	}
	memset(shadow, 0, shadow_words * sizeof(long));
	f.shadow = shadow;
	drain_local_pages();
	page_alloc_fingerprint(&before);
	f.baseline = nr_free_pages();

	while (f.p < f.end && steps++ < 4096) {
		unsigned int op = next_byte(&f), arg = next_byte(&f);
		phys_addr_t base = 0;
		struct page *page;
		int err;

		switch (op % 8) {
		case 0:
		case 1:
			if (f.nlive < MAX_LIVE) {
				err = alloc_frame(&base);
				hold(&f, err, base, 1);
			}
			break;
		case 2:
			if (f.nlive < MAX_LIVE) {
				unsigned int o = arg % (MAX_ORDER + 1);

				page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, o);
				hold(&f, page ? 0 : -ENOMEM, page ? page_to_phys(page) : 0, 1U << o);
			}
			break;
		case 3:
			if (f.nlive < MAX_LIVE) {
				unsigned int n = 1 + (arg | next_byte(&f) << 8) % MAX_ORDER_NR_PAGES;

				err = alloc_contiguous(n, &base);
				hold(&f, err, base, n);
			}
			break;
		case 4:
		case 5:
			if (f.nlive)
				release(&f, arg % f.nlive, op % 3);
			break;
		case 6:
			bad_free(&f);
			break;
		default:
			if (arg & 1)
				drain_local_pages();
			else
				fuzz_assert(!page_alloc_check_pfn(arg * (max_pfn / 256)));
			break;
		}
		fuzz_assert(nr_free_pages() == f.baseline - f.held);
	}
	while (f.nlive)
		release(&f, f.nlive - 1, 0);
	fuzz_assert(!page_alloc_check());
	drain_local_pages();
	page_alloc_fingerprint(&after);
	fuzz_assert(!memcmp(&before, &after, sizeof(before)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Error lines of the refused calls would drown the fuzzer's output. */
	console_loglevel = LOGLEVEL_ERR;
	run_one(data, size);
	return 0;
}

#if !IS_ENABLED(CONFIG_HOSTED_LIBFUZZER)
static int replay(const char *path)
{
	static uint8_t buf[1 << 16];
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (!fp) {
		perror(path);
		return 1;
	}
	n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "-r")) {
		unsigned long n = strtoul(argv[2], NULL, 0);
		uint64_t s = argc > 3 ? strtoull(argv[3], NULL, 0) : 0x9e3779b97f4a7c15ULL;
		static uint8_t buf[4096];

		for (unsigned long i = 0; i < n; i++) {
			for (size_t k = 0; k < sizeof(buf); k++) {
				s ^= s << 13;
				s ^= s >> 7;
				s ^= s << 17;
				buf[k] = (uint8_t)s;
			}
			LLVMFuzzerTestOneInput(buf, 256 + (s % (sizeof(buf) - 256)));
		}
		printf("fuzz_page_alloc: %lu random inputs, no violation\n", n);
		return 0;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE... | -r N [SEED]\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (replay(argv[i]))
			return 1;
	return 0;
}
#endif
