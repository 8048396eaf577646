/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic KASAN (mm/kasan/): compiler-instrumented checks of every load and
 * store against a shadow byte per 8 bytes of memory.
 *
 * shadow(addr) = (addr >> 3) + KASAN_SHADOW_OFFSET.  A shadow byte of 0
 * means all 8 bytes are accessible, 1..7 that only the first N are, and a
 * negative value (one of the KASAN_* codes below) that none is, and why.
 * Shadow exists for the direct map of RAM and the kernel image; any other
 * address is not checked.  See Documentation/hardening.rst.
 */
#ifndef _EXO_KASAN_H
#define _EXO_KASAN_H

#include <exo/types.h>

#define KASAN_SHADOW_SCALE_SHIFT	3
#define KASAN_GRANULE_SIZE		(1UL << KASAN_SHADOW_SCALE_SHIFT)
#define KASAN_SHADOW_OFFSET		0xdffffc0000000000UL

/* Shadow codes of inaccessible granules. */
#define KASAN_PAGE_FREE		0xff	/* a frame in the page allocator */
#define KASAN_SLAB_REDZONE	0xfc	/* slab slot bytes beyond the object */
#define KASAN_SLAB_FREE		0xfb	/* a freed slab or large kmalloc object */
#define KASAN_LARGE_REDZONE	0xfa	/* large kmalloc block beyond the object */
#define KASAN_GLOBAL_REDZONE	0xf9	/* red zone after a global */

/* What a report was about (kasan_last_report()). */
enum kasan_bug {
	KASAN_BUG_NONE,
	KASAN_BUG_OOB,			/* a red zone */
	KASAN_BUG_UAF,			/* freed memory */
	KASAN_BUG_DOUBLE_FREE,		/* kfree() of a freed object */
	KASAN_BUG_INVALID_FREE,		/* kfree() inside an object */
	KASAN_BUG_WILD,			/* size overflow, non-canonical */
};

/* The last report, for the tests. */
struct kasan_report_info {
	enum kasan_bug bug;
	unsigned long addr;
	size_t size;
	bool write;
	unsigned long ip;
	u8 shadow;
};

#if defined(CONFIG_KASAN) && !defined(__HOSTED__)

static inline void *kasan_mem_to_shadow(const void *addr)
{
	return (void *)(((unsigned long)addr >> KASAN_SHADOW_SCALE_SHIFT) + KASAN_SHADOW_OFFSET);
}

/**
 * kasan_init() - map real shadow for RAM and the kernel image, enable checks
 *
 * Called once by mm_core_init() after paging_init(); until then every
 * check returns at once (kasan_enabled is false), which is what lets the
 * instrumented early boot code run without any shadow.  Shadow frames come
 * from the buddy allocator (2 MiB blocks: 1/8 of RAM).  Panics if they
 * cannot be had: a KASAN kernel without shadow is not worth booting.
 */
void kasan_init(void);

/** kasan_enabled() - true once the shadow is mapped and checks run */
bool kasan_enabled(void);

/**
 * kasan_poison() - mark [@addr, @addr + @size) inaccessible with @code
 * @addr: 8-byte aligned; addresses without shadow are ignored
 * @size: rounded up to 8
 */
void kasan_poison(const void *addr, size_t size, u8 code);

/**
 * kasan_unpoison() - make exactly [@addr, @addr + @size) accessible
 * @addr: 8-byte aligned
 *
 * A last partial granule gets its byte count, so an access one byte past
 * @size is reported.
 */
void kasan_unpoison(const void *addr, size_t size);

/** kasan_poison_pages() - frames [@pfn, @pfn + @n) went back to the page allocator */
void kasan_poison_pages(unsigned long pfn, unsigned long n);

/** kasan_unpoison_pages() - frames [@pfn, @pfn + @n) were allocated */
void kasan_unpoison_pages(unsigned long pfn, unsigned long n);

/**
 * kasan_slab_alloc() - an object of @size bytes was handed out in a slot of @slot bytes
 * @ip: the allocating caller, recorded with its stack for later reports
 *
 * Unpoisons exactly @size bytes; the rest of the slot is red zone.
 */
void kasan_slab_alloc(void *obj, size_t size, size_t slot, unsigned long ip);

/**
 * kasan_slab_free() - @obj (a slot of @slot bytes) is being freed
 * Return: 0 when the caller may free it; -ENOENT when the object is
 * already free (a double free: reported, the caller must not free it).
 * On 0 the slot is poisoned and the free stack recorded.
 */
int kasan_slab_free(void *obj, size_t slot, unsigned long ip);

/**
 * kasan_free_precheck() - is @obj, about to be freed, already free?
 * Return: 0 if not, or if @obj is in a free page (reported as a double
 * or invalid free; the allocator then refuses it with its own -EFAULT);
 * -ENOENT if @obj is a freed slab or large kmalloc object still held by
 * its allocator: a double free, reported, and the caller must not free it.
 */
int kasan_free_precheck(const void *obj, unsigned long ip);

/**
 * kasan_check_range() - check an access the compiler did not instrument
 * @write: store (true) or load
 * @ip: the caller to name in a report
 * Return: false if a report was made.
 */
bool kasan_check_range(const void *addr, size_t size, bool write, unsigned long ip);

struct kmem_cache;

/**
 * kasan_quarantine_put() - delay the reuse of a freed, poisoned object
 * @cache: its slab cache (a kmalloc class or a typed cache)
 * @size: its slot size (what the quarantine budget counts)
 *
 * May first release the oldest objects (kmem_free_quarantined()).
 * Return: true if queued (the caller must not free it now); false if the
 * quarantine is off or @obj does not fit: free it at once.
 */
bool kasan_quarantine_put(void *obj, struct kmem_cache *cache, size_t size);

/** kasan_quarantine_drain() - release every queued object (kmem_drain_all()) */
void kasan_quarantine_drain(void);

/** kasan_quarantine_enabled() - do kfree'd objects go through the quarantine? */
bool kasan_quarantine_enabled(void);

/** kasan_quarantine_bytes() - slot bytes now held */
size_t kasan_quarantine_bytes(void);

/**
 * kmem_free_quarantined() - the allocator's release of a quarantined object
 * @cache: as given to kasan_quarantine_put()
 *
 * Provided by mm/slab_common.c: gives @obj to the tiers, without the KASAN hooks
 * or the SLAB_DEBUG checks (both ran when it was freed).
 */
void kmem_free_quarantined(void *obj, struct kmem_cache *cache);

/** kasan_report_count() - reports made since boot */
unsigned long kasan_report_count(void);

/** kasan_last_report() - a copy of the last report's facts */
void kasan_last_report(struct kasan_report_info *info);

/**
 * kasan_set_quiet() - print reports as one line (tests that provoke them)
 * Return: the previous setting.
 */
bool kasan_set_quiet(bool quiet);

/**
 * kasan_disable_current() - no KASAN report from this thread until the
 * matching kasan_enable_current()
 *
 * For tests of other checkers (SLAB_DEBUG red zones, page poisoning) that
 * corrupt memory on purpose: KASAN would report the same write, which is
 * then nobody's bug.  Nests; the reports are not counted either.
 */
void kasan_disable_current(void);

/** kasan_enable_current() - undo one kasan_disable_current() */
void kasan_enable_current(void);

#else /* !CONFIG_KASAN */

/* The hosted build compiles with -Wunused-parameter: every stub uses them. */
struct kmem_cache;
static inline void kasan_init(void) { }
static inline bool kasan_enabled(void) { return false; }
static inline void kasan_poison(const void *addr, size_t size, u8 code)
{
	(void)addr; (void)size; (void)code;
}
static inline void kasan_unpoison(const void *addr, size_t size)
{
	(void)addr; (void)size;
}
static inline void kasan_poison_pages(unsigned long pfn, unsigned long n)
{
	(void)pfn; (void)n;
}
static inline void kasan_unpoison_pages(unsigned long pfn, unsigned long n)
{
	(void)pfn; (void)n;
}
static inline void kasan_slab_alloc(void *obj, size_t size, size_t slot, unsigned long ip)
{
	(void)obj; (void)size; (void)slot; (void)ip;
}
static inline int kasan_slab_free(void *obj, size_t slot, unsigned long ip)
{
	(void)obj; (void)slot; (void)ip;
	return 0;
}
static inline int kasan_free_precheck(const void *obj, unsigned long ip)
{
	(void)obj; (void)ip;
	return 0;
}
static inline bool kasan_quarantine_put(void *obj, struct kmem_cache *cache, size_t size)
{
	(void)obj; (void)cache; (void)size;
	return false;
}
static inline bool kasan_quarantine_enabled(void) { return false; }
static inline void kasan_disable_current(void) { }
static inline void kasan_enable_current(void) { }
static inline void kasan_quarantine_drain(void) { }
static inline size_t kasan_quarantine_bytes(void) { return 0; }

#endif /* CONFIG_KASAN */

#endif /* _EXO_KASAN_H */
