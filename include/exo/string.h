/* SPDX-License-Identifier: GPL-2.0 */
/* Freestanding string and memory functions (lib/string.c). */
#ifndef _EXO_STRING_H
#define _EXO_STRING_H

#include <exo/types.h>
#include <asm/string.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/*
 * CONFIG_KASAN: memset/memcpy/memmove check their ranges
 * (mm/kasan/generic.c).  Code built without instrumentation (the allocators,
 * which write free memory by design, and the KASAN runtime) uses the raw
 * versions: only instrumented objects get -D__EXO_KASAN_SANITIZE__.
 * Modules (never instrumented) keep the exported, checked names.
 */
#if defined(CONFIG_KASAN) && !defined(__EXO_KASAN_SANITIZE__) && !defined(__HOSTED__) && \
	!defined(MODULE)
void *__memset(void *s, int c, size_t n);
void *__memcpy(void *dst, const void *src, size_t n);
void *__memmove(void *dst, const void *src, size_t n);
#define memset(s, c, n)		__memset(s, c, n)
#define memcpy(d, s, n)		__memcpy(d, s, n)
#define memmove(d, s, n)	__memmove(d, s, n)
#endif
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);
char *strstr(const char *h, const char *n);

/**
 * memchr() - find the first byte in @s that is @c
 * Return: pointer to it, or NULL if none of the @n bytes is @c.
 */
void *memchr(const void *s, int c, size_t n);

/**
 * memchr_inv() - find the first byte in @s that is not @c
 * Return: pointer to it, or NULL if all @n bytes equal @c.
 */
void *memchr_inv(const void *s, int c, size_t n);

/**
 * memset64() - fill @n 64-bit words at @s with @v
 * @s: 8-byte aligned destination
 * @v: the value of every word
 * @n: words (not bytes)
 *
 * For large boot-time tables.  An architecture may provide its own
 * (__HAVE_ARCH_MEMSET64 in <asm/string.h>).
 * Return: @s.
 */
#ifndef __HAVE_ARCH_MEMSET64
static inline void *memset64(u64 *s, u64 v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		s[i] = v;
	return s;
}
#endif

/**
 * memcpy64_down() - copy @n 64-bit words from @src to @dst, first word first
 * @dst: 8-byte aligned destination, below @src or not overlapping it
 * @src: 8-byte aligned source
 * @n: words (not bytes)
 *
 * Moving a run of words down in an array (@dst < @src, overlap allowed),
 * a word at a time where memmove() may go a byte at a time.  An
 * architecture may provide its own (__HAVE_ARCH_MEMCPY64_DOWN).
 * Return: @dst.
 */
#ifndef __HAVE_ARCH_MEMCPY64_DOWN
static inline void *memcpy64_down(u64 *dst, const u64 *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];
	return dst;
}
#endif

/**
 * kstrtoul() - parse an unsigned number (base 0: 0x prefix selects hex)
 * Return: 0, or -EINVAL on malformed text, -ERANGE on overflow.
 */
int kstrtoul(const char *s, unsigned int base, unsigned long *res);

#endif /* _EXO_STRING_H */
