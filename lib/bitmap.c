// SPDX-License-Identifier: GPL-2.0
/*
 * Bitmap helpers: word-at-a-time range operations and searches.  Portable
 * (also built by the hosted tests).
 */
#include <exo/bitmap.h>

/* Bits [lo, hi) of one word, 0 <= lo < hi <= 64. */
static unsigned long word_mask(unsigned int lo, unsigned int hi)
{
	unsigned long m = hi == BITS_PER_LONG ? ~0UL : (1UL << hi) - 1;

	return m & (~0UL << lo);
}

/* Apply set (@on) or clear to bits [start, start + n). */
static void bitmap_fill_range(unsigned long *map, unsigned long start, unsigned long n, bool on)
{
	unsigned long end = start + n;

	while (start < end) {
		unsigned int lo = start % BITS_PER_LONG;
		unsigned long room = BITS_PER_LONG - lo;
		unsigned int hi = end - start < room ? lo + (end - start) : BITS_PER_LONG;
		unsigned long m = word_mask(lo, hi);

		if (on)
			map[BIT_WORD(start)] |= m;
		else
			map[BIT_WORD(start)] &= ~m;
		start += hi - lo;
	}
}

void bitmap_set(unsigned long *map, unsigned long start, unsigned long n)
{
	bitmap_fill_range(map, start, n, true);
}

void bitmap_clear(unsigned long *map, unsigned long start, unsigned long n)
{
	bitmap_fill_range(map, start, n, false);
}

/* Shared search: @invert 0 finds set bits, ~0UL finds clear bits. */
static unsigned long find_next(const unsigned long *map, unsigned long size, unsigned long start,
			       unsigned long invert)
{
	unsigned long w;

	if (start >= size)
		return size;
	w = (map[BIT_WORD(start)] ^ invert) & (~0UL << (start % BITS_PER_LONG));
	start -= start % BITS_PER_LONG;
	while (!w) {
		start += BITS_PER_LONG;
		if (start >= size)
			return size;
		w = map[BIT_WORD(start)] ^ invert;
	}
	start += __builtin_ctzl(w);
	return start < size ? start : size;
}

unsigned long find_next_bit(const unsigned long *map, unsigned long size, unsigned long start)
{
	return find_next(map, size, start, 0);
}

unsigned long find_next_zero_bit(const unsigned long *map, unsigned long size,
				 unsigned long start)
{
	return find_next(map, size, start, ~0UL);
}

unsigned long bitmap_weight(const unsigned long *map, unsigned long size)
{
	unsigned long n = 0, i;

	for (i = 0; i < size / BITS_PER_LONG; i++)
		n += __builtin_popcountl(map[i]);
	if (size % BITS_PER_LONG)
		n += __builtin_popcountl(map[i] & word_mask(0, size % BITS_PER_LONG));
	return n;
}

unsigned long bitmap_find_free_region(unsigned long *map, unsigned long size, unsigned long n)
{
	unsigned long start = 0;

	while (n && (start = find_next_zero_bit(map, size, start)) + n <= size) {
		unsigned long busy = find_next_bit(map, start + n, start);

		if (busy == start + n) {
			bitmap_set(map, start, n);
			return start;
		}
		start = busy + 1;
	}
	return -1UL;
}
