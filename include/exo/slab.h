/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel allocator (mm/slab.c): kmalloc and typed object caches.
 * See Documentation/mm/slab.rst for the design.
 *
 * Contract API (Exo-OS memory API): kmalloc(), kfree(), krealloc(),
 * kzalloc(), kcalloc(), ksize().  Three tiers, chosen by the size rounded
 * up to a power of two (minimum 16 bytes):
 *
 *   1. thread-local free lists, 16 .. 256 B (no lock, no atomic, no
 *      interrupt-flag save on a hit);
 *   2. per-CPU object arrays, 512 .. 4096 B, and the small sizes when the
 *      thread cache misses or cannot be used (interrupts, idle, early boot);
 *   3. whole pages from the buddy allocator above 4096 B.
 *
 * Every function may be called from any thread, on any CPU, and from
 * interrupt handlers (not from NMI handlers).  An object may be freed by a
 * thread or CPU other than the one that allocated it.
 */
#ifndef _EXO_SLAB_H
#define _EXO_SLAB_H

#include <exo/types.h>
#include <exo/compiler.h>

/* What kmalloc(0) returns: not NULL, faults on access, accepted by kfree(). */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

#define KMALLOC_MIN_SIZE	16
#define KMALLOC_TIER1_MAX	256	/* largest thread-local class */
#define KMALLOC_MAX_CACHE_SIZE	4096	/* largest slab class; above: pages */

/**
 * kmalloc() - allocate @size bytes
 * @size: any size; 0 gives ZERO_SIZE_PTR
 *
 * Alignment: at least 16 bytes; power-of-two sizes up to 4096 are
 * naturally aligned; larger allocations are page aligned.  The memory is
 * not zeroed.
 * Return: the object, ZERO_SIZE_PTR for 0, or NULL when memory is
 * exhausted or @size is larger than the largest buddy block (logged).
 */
void *kmalloc(size_t size);

/**
 * kfree() - free an object from kmalloc(), kzalloc(), kcalloc(), krealloc()
 * @ptr: the object; NULL and ZERO_SIZE_PTR are ignored
 *
 * A pointer that does not start an object of a slab or a kmalloc page is
 * refused and reported (one line with the caller), never followed; with
 * CONFIG_SLAB_DEBUG a double free is refused and reported too.
 */
void kfree(const void *ptr);

/**
 * kfree_checked() - kfree() that says what it did
 * @ptr: as for kfree()
 *
 * Return: 0 (freed, or NULL/ZERO_SIZE_PTR); -EFAULT if @ptr is not inside
 * a slab or a kmalloc page; -EINVAL if it points inside one but not at the
 * start of an object; -ENOENT if the object is already free (double free:
 * always for pages, for slab objects with CONFIG_SLAB_DEBUG); -EBADMSG if
 * CONFIG_SLAB_DEBUG found its red zone overwritten (it is freed anyway).
 * Every error but -EBADMSG leaves the allocator unchanged.
 */
int kfree_checked(const void *ptr);

/**
 * krealloc() - resize an object, keeping its contents
 * @ptr: an object, NULL (then this is kmalloc(@new_size)) or ZERO_SIZE_PTR
 * @new_size: the new size; 0 frees @ptr and returns ZERO_SIZE_PTR
 *
 * The object stays in place when @new_size maps to the same size class
 * (or the same page block); otherwise a new object receives the first
 * min(old, new) bytes and the old one is freed.
 * Return: the object, or NULL on failure or for a foreign @ptr (then @ptr
 * is untouched and still valid).
 */
void *krealloc(const void *ptr, size_t new_size);

/**
 * kzalloc() - kmalloc() and zero the @size bytes
 * @size: as for kmalloc()
 * Return: as for kmalloc().
 */
void *kzalloc(size_t size);

/**
 * kcalloc() - zeroed array of @n elements of @size bytes
 * @n: number of elements
 * @size: element size
 * Return: as for kzalloc(@n * @size); NULL (logged) if the product overflows.
 */
void *kcalloc(size_t n, size_t size);

/**
 * ksize() - usable size of an object
 * @ptr: an object from kmalloc()
 * Return: the size of its class (or page block), 0 for NULL, ZERO_SIZE_PTR
 * and foreign pointers (reported).
 */
size_t ksize(const void *ptr);

/* ---------------------------------------------------------------------
 * Typed object caches, on the same machinery (tiers 2 and 3 of slabs).
 */
struct kmem_cache;

/* kmem_cache_create() flags. */
#define SLAB_HWCACHE_ALIGN	0x1u	/* align objects to 64 bytes */
#define SLAB_NO_TIER2		0x2u	/* no per-CPU arrays: every op takes the lock */

/**
 * kmem_cache_create() - a cache of fixed-size objects
 * @name: shown by slabinfo (the string must outlive the cache)
 * @size: object size, 1 .. 4096
 * @align: 0, or a power of two <= 4096 that every object is aligned to
 *	   (objects are always aligned to at least 8 bytes)
 * @flags: SLAB_* above
 * @ctor: NULL, or called once on every object when its slab is created;
 *	  objects must be freed in their constructed state
 *
 * Return: the cache, or NULL (logged) for a bad argument or no memory.
 */
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned int flags, void (*ctor)(void *obj));

/**
 * kmem_cache_destroy() - free a cache whose objects were all freed
 * @c: the cache (NULL is ignored)
 *
 * Drains the per-CPU arrays of every CPU first.
 * Return: 0; -EBUSY (logged, cache kept) if objects are still allocated.
 */
int kmem_cache_destroy(struct kmem_cache *c);

/**
 * kmem_cache_alloc() - allocate one object of @c
 * @c: the cache
 * Return: the object, or NULL when memory is exhausted.
 */
void *kmem_cache_alloc(struct kmem_cache *c);

/**
 * kmem_cache_free() - free an object of @c
 * @c: the cache
 * @obj: the object (NULL ignored); an object of another cache, or a
 *	 foreign pointer, is refused and reported
 */
void kmem_cache_free(struct kmem_cache *c, void *obj);

/**
 * kmem_cache_size() - object size of @c (what kmem_cache_create() was given)
 */
size_t kmem_cache_size(const struct kmem_cache *c);

/* ---------------------------------------------------------------------
 * Scheduler interface
 */
#ifndef __HOSTED__
#include <exo/percpu.h>

/*
 * The running thread's tier-1 cache: always equal to current->slab_cache
 * on this CPU (NULL before the scheduler runs).  The scheduler stores it
 * right after current_task at every switch, with interrupts off; mm/slab.c
 * stores it when it changes the running thread's own cache.  Nobody else
 * writes it.
 */
DECLARE_PER_CPU(void *, slab_cur_cache);
#endif

/* ---------------------------------------------------------------------
 * Reclaim and statistics
 */

/**
 * kmem_flush_current() - empty the calling thread's cache into the slabs
 *
 * The thread keeps using tier 1 afterwards.  Threads flush automatically
 * when they exit.
 */
void kmem_flush_current(void);

/**
 * kmem_drain_all() - empty every per-CPU array and free every empty slab
 *
 * Flushes the calling thread's cache, drains this CPU's arrays and, where
 * cross-CPU calls exist, every other online CPU's (waited for); then gives
 * all empty slabs back to the buddy allocator.  Process context, interrupts
 * enabled.  Objects cached by other live threads stay where they are.
 * Return: number of pages given back.
 */
unsigned long kmem_drain_all(void);

/**
 * kmem_drain_cpu() - drain the per-CPU arrays of a CPU that is not running
 * @cpu: an offline CPU, or (hosted) a CPU whose thread has finished
 */
void kmem_drain_cpu(unsigned int cpu);

/* Counters of one cache, summed over CPUs (or for one CPU). */
struct kmem_cache_stats {
	const char *name;
	unsigned int size;		/* object size */
	unsigned int stride;		/* bytes per object in the slab */
	unsigned int objs_per_slab;
	unsigned int order;		/* slab order */
	unsigned long slabs;		/* slabs allocated */
	unsigned long empty_slabs;	/* of which with no object in use */
	unsigned long objs_total;	/* slabs * objs_per_slab */
	unsigned long objs_slab_free;	/* free on the slabs' own lists */
	unsigned long objs_cached;	/* in per-CPU arrays and thread caches */
	unsigned long objs_inuse;	/* total - slab_free - cached */
	unsigned long t1_hits, t1_misses, t1_flushes;	/* tier 1 */
	unsigned long t2_hits, t2_misses, t2_drains;	/* tier 2 */
	unsigned long slab_allocs, slab_frees;		/* lock taken, per object */
	unsigned long slabs_created, slabs_freed;
};

/**
 * kmem_cache_get_stats() - counters of @c
 * @c: the cache
 * @cpu: a CPU number for that CPU's tier counters, or -1 for the sum
 * @st: filled in (racy snapshot; the slab counts are exact under the lock)
 */
void kmem_cache_get_stats(struct kmem_cache *c, int cpu, struct kmem_cache_stats *st);

/**
 * kmalloc_cache() - the built-in cache serving kmalloc(@size)
 * @size: 1 .. KMALLOC_MAX_CACHE_SIZE
 * Return: the cache, or NULL for sizes served by whole pages.
 */
struct kmem_cache *kmalloc_cache(size_t size);

/* Reports (foreign pointers, double frees, red zones, poison) so far. */
unsigned long kmem_error_count(void);

/* Pages currently held by tier 3 (kmalloc > 4 KiB). */
unsigned long kmalloc_large_pages(void);

/**
 * kmem_check() - verify the slab lists and counters of every cache
 *
 * Takes each cache lock in turn.  Prints the first problems.
 * Return: the number of violations (0 when consistent).
 */
unsigned long kmem_check(void);

/* Print per-cache figures (the `slabinfo` shell command). */
void kmem_show_slabinfo(bool per_cpu);

/**
 * kmem_cache_init() - set up the built-in caches and the class map
 *
 * Called by mm_core_init() right after the page allocator, so kmalloc
 * works from then on (tier 2 until the scheduler gives threads a cache).
 * The hosted build may call it again after hosted_mm_init(), before any
 * thread that used the previous instance allocates again.
 */
void kmem_cache_init(void);

/* Tier-1 bounds when Kconfig does not set them (the hosted build). */
#ifndef CONFIG_SLAB_TIER_THREAD_BATCH
#define CONFIG_SLAB_TIER_THREAD_BATCH	16
#endif
#ifndef CONFIG_SLAB_TIER_THREAD_LIMIT
#define CONFIG_SLAB_TIER_THREAD_LIMIT	1024
#endif
#ifndef CONFIG_SLAB_TIER_THREAD_BYTES
#define CONFIG_SLAB_TIER_THREAD_BYTES	65536
#endif

#endif /* _EXO_SLAB_H */
