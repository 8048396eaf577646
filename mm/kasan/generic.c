// SPDX-License-Identifier: GPL-2.0
/*
 * Generic KASAN: the entry points the compiler calls (outline mode, every
 * access is a call: asan-instrumentation-with-call-threshold=0) and the
 * checked string functions.
 *
 * Goal: a check is a range test plus one or two shadow loads, and it never
 * faults: addresses without shadow (vmalloc, stacks, MMIO, user) pass
 * unchecked.  Invariant: nothing here is instrumented (mm/kasan/Makefile),
 * so the runtime never calls itself.
 */
#include <exo/compiler.h>
#include <exo/kernel.h>
#include <exo/string.h>
#include "kasan.h"

/* This file defines the checked names <exo/string.h> maps to the raw ones. */
#undef memset
#undef memcpy
#undef memmove

/* Is the byte at @addr inaccessible according to its granule's shadow? */
static __always_inline bool byte_poisoned(unsigned long addr)
{
	s8 s = *(s8 *)kasan_mem_to_shadow((void *)addr);

	return s && (s < 0 || (s8)(addr & (KASAN_GRANULE_SIZE - 1)) >= s);
}

/*
 * First poisoned byte of [addr, addr + size), or 0.  Each granule's shadow
 * tells its accessible prefix, so checking the first and the last byte of
 * each granule the range touches is exact.
 */
static unsigned long first_bad(unsigned long addr, size_t size)
{
	unsigned long end = addr + size, a = addr;

	while (a < end) {
		unsigned long gend = (a | (KASAN_GRANULE_SIZE - 1)) + 1;
		unsigned long last = min(gend, end) - 1;

		if (byte_poisoned(a))
			return a;
		if (byte_poisoned(last)) {
			/* The prefix is accessible: the first bad byte is the shadow value. */
			s8 s = *(s8 *)kasan_mem_to_shadow((void *)a);

			return s > 0 ? (a & ~(KASAN_GRANULE_SIZE - 1)) + s : last;
		}
		a = gend;
	}
	return 0;
}

bool kasan_check_range(const void *p, size_t size, bool write, unsigned long ip)
{
	unsigned long addr = (unsigned long)p, bad;

	/*
	 * No check while any CPU prints a report (printing must not recurse),
	 * and no per-CPU access here: an AP runs instrumented code before its
	 * %gs base is loaded.
	 */
	if (!READ_ONCE(kasan_on) || !size || kasan_report_active())
		return true;
	if (unlikely(addr + size < addr)) {
		kasan_report(addr, size, write, ip);
		return false;
	}
	/* Checked when both ends have shadow: shadowed regions are 16 MiB chunks. */
	if (!kasan_addr_has_shadow(addr) || !kasan_addr_has_shadow(addr + size - 1))
		return true;
	bad = first_bad(addr, size);
	if (likely(!bad))
		return true;
	kasan_report(bad, size - (bad - addr), write, ip);
	return false;
}

#define DEFINE_ASAN_LOAD_STORE(n)						\
	void __asan_load##n(unsigned long addr);				\
	void __asan_load##n(unsigned long addr)					\
	{									\
		kasan_check_range((void *)addr, n, false, _RET_IP_);		\
	}									\
	void __asan_load##n##_noabort(unsigned long addr)			\
		__attribute__((alias("__asan_load" #n)));					\
	void __asan_store##n(unsigned long addr);				\
	void __asan_store##n(unsigned long addr)				\
	{									\
		kasan_check_range((void *)addr, n, true, _RET_IP_);		\
	}									\
	void __asan_store##n##_noabort(unsigned long addr)			\
		__attribute__((alias("__asan_store" #n)));					\
	void __asan_report_load##n##_noabort(unsigned long addr);		\
	void __asan_report_load##n##_noabort(unsigned long addr)		\
	{									\
		kasan_report(addr, n, false, _RET_IP_);				\
	}									\
	void __asan_report_store##n##_noabort(unsigned long addr);		\
	void __asan_report_store##n##_noabort(unsigned long addr)		\
	{									\
		kasan_report(addr, n, true, _RET_IP_);				\
	}

/* The _noabort aliases need their prototypes first (-Wmissing-prototypes). */
#define DECLARE_ASAN_NOABORT(n)							\
	void __asan_load##n##_noabort(unsigned long addr);			\
	void __asan_store##n##_noabort(unsigned long addr)

DECLARE_ASAN_NOABORT(1);
DECLARE_ASAN_NOABORT(2);
DECLARE_ASAN_NOABORT(4);
DECLARE_ASAN_NOABORT(8);
DECLARE_ASAN_NOABORT(16);
DEFINE_ASAN_LOAD_STORE(1)
DEFINE_ASAN_LOAD_STORE(2)
DEFINE_ASAN_LOAD_STORE(4)
DEFINE_ASAN_LOAD_STORE(8)
DEFINE_ASAN_LOAD_STORE(16)

void __asan_loadN(unsigned long addr, size_t size);
void __asan_loadN(unsigned long addr, size_t size)
{
	kasan_check_range((void *)addr, size, false, _RET_IP_);
}
void __asan_loadN_noabort(unsigned long addr, size_t size);
void __asan_loadN_noabort(unsigned long addr, size_t size) __attribute__((alias("__asan_loadN")));

void __asan_storeN(unsigned long addr, size_t size);
void __asan_storeN(unsigned long addr, size_t size)
{
	kasan_check_range((void *)addr, size, true, _RET_IP_);
}
void __asan_storeN_noabort(unsigned long addr, size_t size);
void __asan_storeN_noabort(unsigned long addr, size_t size) __attribute__((alias("__asan_storeN")));

void __asan_report_load_n_noabort(unsigned long addr, size_t size);
void __asan_report_load_n_noabort(unsigned long addr, size_t size)
{
	kasan_report(addr, size, false, _RET_IP_);
}

void __asan_report_store_n_noabort(unsigned long addr, size_t size);
void __asan_report_store_n_noabort(unsigned long addr, size_t size)
{
	kasan_report(addr, size, true, _RET_IP_);
}

/* Called before a noreturn call (panic, longjmp-like escapes): nothing to undo. */
void __asan_handle_no_return(void);
void __asan_handle_no_return(void)
{
}

/*
 * Globals: the compiler describes each instrumented global and its red
 * zone.  The kernel is built with asan-globals=0 (no constructors are run
 * yet), so these are only here for objects built otherwise.
 */
struct kasan_global {
	const void *beg;
	size_t size;
	size_t size_with_redzone;
	const void *name;
	const void *module_name;
	unsigned long has_dynamic_init;
	void *location;
	unsigned long odr_indicator;
};

void __asan_register_globals(struct kasan_global *globals, size_t n);
void __asan_register_globals(struct kasan_global *globals, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct kasan_global *g = &globals[i];
		size_t start = ALIGN(g->size, KASAN_GRANULE_SIZE);

		kasan_unpoison(g->beg, g->size);
		kasan_poison((const char *)g->beg + start, g->size_with_redzone - start,
			     KASAN_GLOBAL_REDZONE);
	}
}

void __asan_unregister_globals(struct kasan_global *globals, size_t n);
void __asan_unregister_globals(struct kasan_global *globals, size_t n)
{
}

/* Stack variables: emitted only with asan-stack=1 and dynamic allocas. */
void __asan_alloca_poison(unsigned long addr, size_t size);
void __asan_alloca_poison(unsigned long addr, size_t size)
{
}

void __asan_allocas_unpoison(const void *top, const void *bottom);
void __asan_allocas_unpoison(const void *top, const void *bottom)
{
}

/* The string functions every file calls: check both ranges, then copy. */
void *memset(void *s, int c, size_t n)
{
	if (!kasan_check_range(s, n, true, _RET_IP_))
		return s;
	return __memset(s, c, n);
}

void *memcpy(void *dst, const void *src, size_t n)
{
	if (!kasan_check_range(src, n, false, _RET_IP_) ||
	    !kasan_check_range(dst, n, true, _RET_IP_))
		return dst;
	return __memcpy(dst, src, n);
}

void *memmove(void *dst, const void *src, size_t n)
{
	if (!kasan_check_range(src, n, false, _RET_IP_) ||
	    !kasan_check_range(dst, n, true, _RET_IP_))
		return dst;
	return __memmove(dst, src, n);
}

/* clang's names for the same, in instrumented code. */
void *__asan_memset(void *s, int c, size_t n) __attribute__((alias("memset")));
void *__asan_memcpy(void *dst, const void *src, size_t n) __attribute__((alias("memcpy")));
void *__asan_memmove(void *dst, const void *src, size_t n) __attribute__((alias("memmove")));
