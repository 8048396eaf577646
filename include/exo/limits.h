/* SPDX-License-Identifier: GPL-2.0 */
/* The integer limits Linux code uses (the kernel builds with -nostdinc). */
#ifndef _EXO_LIMITS_H
#define _EXO_LIMITS_H

#define USHRT_MAX	((unsigned short)~0U)
#define INT_MAX		((int)(~0U >> 1))
#define INT_MIN		(-INT_MAX - 1)
#define UINT_MAX	(~0U)
#define LONG_MAX	((long)(~0UL >> 1))
#define LONG_MIN	(-LONG_MAX - 1)
#define ULONG_MAX	(~0UL)
#define S64_MAX		((s64)(~0ULL >> 1))
#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)

#endif /* _EXO_LIMITS_H */
