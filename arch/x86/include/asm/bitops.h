/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 atomic bit operations on bitmaps (arrays of unsigned long, bit n
 * in word n / 64), included through <exo/bitmap.h>, which has the plain
 * ones.
 *
 * The locked bt* instructions address a memory operand as one bit string:
 * bit @nr of @map is reached with no index arithmetic, whatever @nr is.
 * set_bit() and clear_bit() are atomic, test_and_*_bit() atomic and fully
 * ordered.
 */
#ifndef _ASM_X86_BITOPS_H
#define _ASM_X86_BITOPS_H

#include <exo/types.h>
#include <exo/compiler.h>

static __always_inline void set_bit(unsigned long nr, unsigned long *map)
{
	__asm__ __volatile__("lock btsq %1, %0" : "+m"(*map) : "r"(nr) : "memory");
}

static __always_inline void clear_bit(unsigned long nr, unsigned long *map)
{
	__asm__ __volatile__("lock btrq %1, %0" : "+m"(*map) : "r"(nr) : "memory");
}

/* Atomically set bit @nr of @map.  Return: its old value. */
static __always_inline bool test_and_set_bit(unsigned long nr, unsigned long *map)
{
	bool old;

	__asm__ __volatile__("lock btsq %2, %0" : "+m"(*map), "=@ccc"(old) : "r"(nr) : "memory");
	return old;
}

/* Atomically clear bit @nr of @map.  Return: its old value. */
static __always_inline bool test_and_clear_bit(unsigned long nr, unsigned long *map)
{
	bool old;

	__asm__ __volatile__("lock btrq %2, %0" : "+m"(*map), "=@ccc"(old) : "r"(nr) : "memory");
	return old;
}

#endif /* _ASM_X86_BITOPS_H */
