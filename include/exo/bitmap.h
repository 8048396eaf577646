/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bit operations and bitmaps (lib/bitmap.c).  A bitmap is an array of
 * unsigned long, bit n living in word n / BITS_PER_LONG.
 *
 * The atomic single-bit operations come from <asm/bitops.h>:
 * set_bit()/clear_bit(), and test_and_*_bit() (fully ordered); they may
 * race with each other on the same word.  __set_bit()/__clear_bit() are
 * the plain versions for bitmaps nobody else touches.  The range functions
 * are not atomic.
 */
#ifndef _EXO_BITMAP_H
#define _EXO_BITMAP_H

#include <exo/types.h>
#include <exo/compiler.h>
#include <asm/bitops.h>

#define BITS_PER_LONG		64
#define BIT_WORD(nr)		((nr) / BITS_PER_LONG)
#define BIT_MASK(nr)		(1UL << ((nr) % BITS_PER_LONG))
#define BITS_TO_LONGS(n)	(((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

static inline bool test_bit(unsigned long nr, const unsigned long *map)
{
	return (READ_ONCE(map[BIT_WORD(nr)]) >> (nr % BITS_PER_LONG)) & 1;
}

static inline void __set_bit(unsigned long nr, unsigned long *map)
{
	map[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static inline void __clear_bit(unsigned long nr, unsigned long *map)
{
	map[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

/**
 * bitmap_set() - set bits [@start, @start + @n)
 * @map: the bitmap
 * @start: first bit
 * @n: number of bits
 */
void bitmap_set(unsigned long *map, unsigned long start, unsigned long n);

/**
 * bitmap_clear() - clear bits [@start, @start + @n)
 * @map: the bitmap
 * @start: first bit
 * @n: number of bits
 */
void bitmap_clear(unsigned long *map, unsigned long start, unsigned long n);

/**
 * find_next_bit() - first set bit at or after @start
 * @map: the bitmap
 * @size: its size in bits
 * @start: where to begin
 *
 * Return: the bit number, or @size if there is none.
 */
unsigned long find_next_bit(const unsigned long *map, unsigned long size, unsigned long start);

/**
 * find_next_zero_bit() - first clear bit at or after @start
 * @map: the bitmap
 * @size: its size in bits
 * @start: where to begin
 *
 * Return: the bit number, or @size if there is none.
 */
unsigned long find_next_zero_bit(const unsigned long *map, unsigned long size,
				 unsigned long start);

/**
 * bitmap_weight() - number of set bits among the first @size
 * @map: the bitmap
 * @size: bits to count
 */
unsigned long bitmap_weight(const unsigned long *map, unsigned long size);

/**
 * bitmap_find_free_region() - find and set @n consecutive clear bits
 * @map: the bitmap
 * @size: its size in bits
 * @n: run length (>= 1)
 *
 * First fit.  Return: the first bit of the run, or -1 (as unsigned long)
 * if there is no such run.
 */
unsigned long bitmap_find_free_region(unsigned long *map, unsigned long size, unsigned long n);

#define for_each_set_bit(bit, map, size)				\
	for ((bit) = find_next_bit(map, size, 0); (bit) < (size);	\
	     (bit) = find_next_bit(map, size, (bit) + 1))

#endif /* _EXO_BITMAP_H */
