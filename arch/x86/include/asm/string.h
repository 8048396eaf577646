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

#endif /* _ASM_X86_STRING_H */
