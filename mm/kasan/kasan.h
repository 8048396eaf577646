/* SPDX-License-Identifier: GPL-2.0 */
/* KASAN internals shared by the files of mm/kasan; the API is <exo/kasan.h>. */
#ifndef _MM_KASAN_H
#define _MM_KASAN_H

#include <exo/kasan.h>
#include <exo/types.h>

/* Physical memory with shadow: 1 TiB (a 64-bit word per 1 GiB of chunks). */
#define KASAN_MAX_PHYS		(1UL << 40)

/* Stack frames saved for an object's allocation and its free. */
#define KASAN_STACK_DEPTH	4

extern bool kasan_on;

bool kasan_addr_has_shadow(unsigned long addr);

/* Raw string functions (lib/string.c): never checked. */
void *__memset(void *s, int c, size_t n);
void *__memcpy(void *dst, const void *src, size_t n);
void *__memmove(void *dst, const void *src, size_t n);

/* report.c */
bool kasan_report_active(void);
void kasan_report(unsigned long addr, size_t size, bool write, unsigned long ip);
void kasan_report_free(const void *obj, enum kasan_bug bug, unsigned long ip);
void kasan_track_alloc(const void *obj, size_t size, unsigned long ip);
void kasan_track_free(const void *obj, unsigned long ip);
/* Was @obj recorded as allocated, then freed? */
bool kasan_tracked_freed(const void *obj);

#endif /* _MM_KASAN_H */
