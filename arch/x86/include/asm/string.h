/* SPDX-License-Identifier: GPL-2.0 */
/* x86 versions of <exo/string.h> helpers. */
#ifndef _ASM_X86_STRING_H
#define _ASM_X86_STRING_H

#include <exo/types.h>

/*
 * memset64() as one rep stosq: one instruction per word under QEMU's
 * -icount, where memset()'s rep stosb counts one per byte.
 */
#define __HAVE_ARCH_MEMSET64
static inline void *memset64(u64 *s, u64 v, size_t n)
{
	void *d = s;

	__asm__ __volatile__("rep stosq" : "+D"(d), "+c"(n) : "a"(v) : "memory");
	return s;
}

/* One rep movsq, ascending (DF is clear in the kernel): safe for dst < src. */
#define __HAVE_ARCH_MEMCPY64_DOWN
static inline void *memcpy64_down(u64 *dst, const u64 *src, size_t n)
{
	void *d = dst;

	__asm__ __volatile__("rep movsq" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

#endif /* _ASM_X86_STRING_H */
