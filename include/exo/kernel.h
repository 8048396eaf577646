/* SPDX-License-Identifier: GPL-2.0 */
/* Small arithmetic helpers used everywhere. */
#ifndef _EXO_KERNEL_H
#define _EXO_KERNEL_H

#include <exo/types.h>

#define ALIGN(x, a)		(((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))

#define min(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a > _b ? _a : _b; })
#define min_t(t, a, b)	min((t)(a), (t)(b))
#define max_t(t, a, b)	max((t)(a), (t)(b))
#define clamp(v, lo, hi) min(max(v, lo), hi)
#define swap(a, b) do { __typeof__(a) _t = (a); (a) = (b); (b) = _t; } while (0)

#define is_power_of_2(n)	((n) != 0 && (((n) & ((n) - 1)) == 0))

#define KiB	1024UL
#define MiB	(1024UL * KiB)
#define GiB	(1024UL * MiB)

/* ilog2 of a non-zero value, rounded down. */
static inline unsigned int ilog2(unsigned long v)
{
	return 63 - __builtin_clzl(v);
}

/* Smallest order such that (1 << order) >= n, for n >= 1. */
static inline unsigned int order_base_2(unsigned long n)
{
	return n <= 1 ? 0 : ilog2(n - 1) + 1;
}

#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)
#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)

#endif /* _EXO_KERNEL_H */
