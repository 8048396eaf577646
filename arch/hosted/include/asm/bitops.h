/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hosted atomic bit operations: the compiler's atomics, which
 * ThreadSanitizer sees (it sees no inline asm).  Same contract as the x86
 * ones: set_bit() and clear_bit() atomic, test_and_*_bit() atomic and
 * fully ordered.
 */
#ifndef _ASM_HOSTED_BITOPS_H
#define _ASM_HOSTED_BITOPS_H

#include <exo/types.h>
#include <exo/compiler.h>

static __always_inline void set_bit(unsigned long nr, unsigned long *map)
{
	__atomic_fetch_or(&map[nr / 64], 1UL << (nr % 64), __ATOMIC_RELAXED);
}

static __always_inline void clear_bit(unsigned long nr, unsigned long *map)
{
	__atomic_fetch_and(&map[nr / 64], ~(1UL << (nr % 64)), __ATOMIC_RELAXED);
}

static __always_inline bool test_and_set_bit(unsigned long nr, unsigned long *map)
{
	unsigned long mask = 1UL << (nr % 64);

	return __atomic_fetch_or(&map[nr / 64], mask, __ATOMIC_SEQ_CST) & mask;
}

static __always_inline bool test_and_clear_bit(unsigned long nr, unsigned long *map)
{
	unsigned long mask = 1UL << (nr % 64);

	return __atomic_fetch_and(&map[nr / 64], ~mask, __ATOMIC_SEQ_CST) & mask;
}

#endif /* _ASM_HOSTED_BITOPS_H */
