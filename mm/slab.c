// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel allocator: a 3-tier kmalloc over slabs, plus typed caches.
 *
 * Goal: the common small kmalloc/kfree pair costs a handful of plain loads
 * and stores, every context (threads, interrupt handlers, early boot, any
 * CPU freeing anything) is correct, and a bad pointer is refused, never
 * followed.  See Documentation/mm/slab.rst.
 *
 * Layers, top to bottom:
 *
 *   tier 1  struct slab_tcache hanging off current->slab_cache: two lists
 *           per small class (16..256 B), linked through the free objects:
 *           kmalloc pops head[], kfree pushes on freed[], and an empty
 *           head[] takes over freed[] whole (<exo/slab.h> says why two).
 *           Touched ONLY by its owning thread, never from an
 *           interrupt handler (they see slab_no_tcache, I5, and use tier
 *           2), so a hit needs no lock, no atomic and no interrupt-flag
 *           change; the hit paths are inline in <exo/slab.h>.  A
 *           thread preempted half-way through a pop or push is resumed
 *           later on the same CPU (threads never migrate) and finishes it;
 *           whatever ran meanwhile used its own thread cache or tier 2.
 *   tier 2  struct array_cache, one per cache per CPU (the kmalloc caches'
 *           in per-CPU memory, kmalloc_ac[]): a stack of object
 *           pointers, used with local interrupts disabled on that CPU only.
 *           Refilled from / drained to the slabs in batches.
 *   slabs   pages from the buddy allocator, tagged PAGE_TYPE_SLAB, with
 *           the free objects of each slab linked from page->freelist and
 *           the number in use in page->counters; every slab is on exactly
 *           one of its cache's partial/full/empty lists.  All of it only
 *           under the cache's lock (taken with interrupts disabled).
 *   tier 3  kmalloc above 4 KiB: a buddy block tagged PAGE_TYPE_LARGE_KMALLOC,
 *           whose head records the order.
 *
 * Remote frees: an object freed by another thread or CPU simply enters the
 * freeing thread's cache (or the freeing CPU's array).  Caches hold objects
 * that are "allocated" from the slabs' point of view, so no cache ever
 * touches memory another CPU owns, and a slab's freelist only changes under
 * its lock.  Objects thus migrate between caches; the batch limits bound
 * how many any cache holds, and exiting threads and kmem_drain_all() give
 * them back.
 *
 * Invariants:
 *   I1  slab_class_map[pfn] != CLS_NONE iff pfn belongs to a slab; the
 *       value is the kmalloc class (0..8) or, for typed caches, CLS_TYPED
 *       + the slab order.  Written before a slab is published, cleared
 *       before its pages go back to the buddy.
 *   I2  a slab's objects are: on its freelist (counted by objs - inuse),
 *       or allocated, or cached in a tier-1 list / tier-2 array (both
 *       count as in use for the slab).
 *   I3  c->nr_slabs = partial + full + empty slabs; c->nr_empty slabs have
 *       inuse == 0 and are on c->empty; at most SLAB_EMPTY_KEEP stay there
 *       after a free.
 *   I4  tier 1 is only reached with current != NULL, outside interrupt
 *       context, with current->slab_cache pointing at the thread's own
 *       cache; NULL means "none yet", TC_DEAD "never" (idle, exited).
 *   I5  the cache pointer of the fast paths (per-CPU slab_cur_cache; hosted:
 *       the thread-local slab_cur_cache_tls) is never NULL.  In thread
 *       context it equals slab_tc_publish(current->slab_cache): the live
 *       cache, or slab_no_tcache for NULL/TC_DEAD; in an interrupt,
 *       exception or NMI handler it is slab_no_tcache (do_interrupt() saves,
 *       replaces and restores it, nested handlers likewise, and restores it
 *       before any preemption on the way out).  Exceptions: inside __schedule()
 *       between its two stores (interrupts off, no kmalloc there) and
 *       inside tcache_set() (where the stale value is slab_no_tcache: slow
 *       path, which reads the task field).
 *   I6  slab_no_tcache's lists are always empty and its room words always
 *       negative (about SLAB_NO_ROOM: every "sub" on it is followed by the
 *       slow path storing SLAB_NO_ROOM back, so racing CPUs can only push
 *       it a few units lower), so no fast path ever pops or pushes on it.
 *       A thread's own words are only written by that thread, outside
 *       interrupt handlers: their updates need no atomicity.
 *   I7  for a live thread cache and each class i: freed[i] holds
 *       T1_LIMIT_OF(i) - room[i] objects and head[i] holds hin[i] - hits[i]
 *       (hin: objects the slow paths put on head[], net of flushes; hits:
 *       every pop from it), each at most T1_LIMIT_OF(i).
 *   I8  nothing is allocated or freed from an exception or NMI handler
 *       (in_trap()): those interrupt anything, a tier-2 section with
 *       interrupts off or a cache lock held on this CPU included.  They
 *       see slab_no_tcache (do_interrupt() hides the thread cache for
 *       vectors 0-31 as for interrupts), so the tier-1 fast paths miss,
 *       and every out-of-line entry refuses them first, NULL included:
 *       NULL, or the object left allocated, with a report.  The fast paths cost
 *       nothing for it; the tier-2 hits one test of the preempt count.
 */
#define pr_fmt(fmt) "slab: " fmt
/* This file defines the exported kmalloc()/kfree(): no inline copies here. */
#define SLAB_OUT_OF_LINE

#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/fault_inject.h>
#include <exo/init.h>
#include <exo/kasan.h>
#include <exo/kernel.h>
#include <exo/list.h>
#include <exo/memblock.h>
#include <exo/page_alloc.h>
#include <exo/percpu.h>
#include <exo/pgtable.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/shell.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <asm/page.h>

#ifndef __HOSTED__
/* Cross-CPU calls are not in every tree yet: drain what we can reach. */
#pragma weak on_each_cpu
#else
#include <asm/hosted.h>
#endif

#ifdef HOSTED_GLUE
/*
 * tests/hosted/kmalloc_glue.c: a host thread's first call makes it a hosted
 * CPU with a `current`.  Only the out-of-line entry points check: until
 * then the thread's cache pointer is slab_no_tcache, so no fast path hits.
 */
extern __thread int hosted_glue_ready;
void hosted_glue_thread_init(void);
#define slab_entry()	do { if (unlikely(!hosted_glue_ready)) hosted_glue_thread_init(); } while (0)
#else
#define slab_entry()	do { } while (0)
#endif

#ifndef CONFIG_SLAB_TIER_PERCPU_BATCH
#define CONFIG_SLAB_TIER_PERCPU_BATCH	16
#endif
#ifndef CONFIG_SLAB_TIER_PERCPU_LIMIT
#define CONFIG_SLAB_TIER_PERCPU_LIMIT	60
#endif
#ifndef CONFIG_SLAB_EMPTY_KEEP
#define CONFIG_SLAB_EMPTY_KEEP		2
#endif

#define T1_BATCH	CONFIG_SLAB_TIER_THREAD_BATCH
#define T1_LIMIT	CONFIG_SLAB_TIER_THREAD_LIMIT
#define T1_BYTES	CONFIG_SLAB_TIER_THREAD_BYTES
/* Length bound of thread list @i (objects of 16 << @i bytes). */
#define T1_FIT(i)	((unsigned int)(T1_BYTES >> (4 + (i))))
#define T1_LIMIT_OF(i)	(T1_FIT(i) > T1_LIMIT ? T1_LIMIT : T1_FIT(i) < T1_BATCH ? T1_BATCH : T1_FIT(i))
#define T2_BATCH	CONFIG_SLAB_TIER_PERCPU_BATCH
#define T2_LIMIT	CONFIG_SLAB_TIER_PERCPU_LIMIT
#define EMPTY_KEEP	CONFIG_SLAB_EMPTY_KEEP

#define TIER1		IS_ENABLED(CONFIG_SLAB_TIER_THREAD)
#define TIER2		IS_ENABLED(CONFIG_SLAB_TIER_PERCPU)
#define DEBUG		IS_ENABLED(CONFIG_SLAB_DEBUG)
#if defined(CONFIG_KASAN) && !defined(__HOSTED__)
#define KASAN		1
#else
#define KASAN		0
#endif

#define NR_KMALLOC	9		/* 16 .. 4096 */
#define NR_T1		5		/* 16 .. 256 */
/* Class map values: 0..8 kmalloc class, CLS_TYPED + order, CLS_NONE. */
#define CLS_TYPED	9
#define CLS_NONE	15
#define NR_CLS		16
#define MAX_SLAB_ORDER	3
/* Internal c->flags bit (kmem_cache_create() refuses it): see pcpu_ac. */
#define SLAB_KMALLOC_AC	0x80000000u

BUILD_BUG_ON(T1_BATCH > T1_LIMIT);
BUILD_BUG_ON(T2_BATCH > T2_LIMIT);

/* Debug patterns. */
#define POISON_FREE	0x6b
#define REDZONE_BYTE	0xbb
#define REDZONE_WORD	0xbbbbbbbbbbbbbbbbULL
#define STATE_FREE	0x5ab1ef4eeUL
#define STATE_ALLOC	0x5ab1a110cUL

/*
 * CONFIG_SLAB_DEBUG: after each object, a pad starting with this record;
 * the rest of the pad is red zone.  The free-list link lives in the pad,
 * so the whole object can be poisoned.
 */
struct slab_track {
	u64 redzone;
	unsigned long state;		/* STATE_FREE / STATE_ALLOC */
	unsigned long alloc_ip;
	unsigned long free_ip;
	void *link;
};

/* Tier-1 counters of thread caches that are gone, per CPU. */
struct slab_cpu_stats {
	unsigned long t1_hits, t1_misses, t1_flushes;
};

/*
 * Not __aligned(64): list_for_each_entry() forms a struct kmem_cache
 * pointer from the list head, which UBSan rejects for over-aligned types.
 * Neighbouring CPUs' arrays share at most one cache line at their edges.
 */
/*
 * A power of two in size (the entries beyond T2_LIMIT are slack), so that
 * finding this CPU's array is one shift.
 */
#define AC_HEADER	32
#define AC_BYTES_MIN	(AC_HEADER + T2_LIMIT * 8)
#define AC_BYTES	(AC_BYTES_MIN <= 256 ? 256 : AC_BYTES_MIN <= 512 ? 512 :	\
			 AC_BYTES_MIN <= 1024 ? 1024 : AC_BYTES_MIN <= 2048 ? 2048 :	\
			 AC_BYTES_MIN <= 4096 ? 4096 : 8192)
struct array_cache {
	unsigned int avail;
	unsigned long hits, misses, drains;
	void *entry[(AC_BYTES - AC_HEADER) / 8];
};
BUILD_BUG_ON(sizeof(struct array_cache) != AC_BYTES);

struct kmem_cache {
	unsigned int size;		/* object size (ksize) */
	unsigned int stride;		/* slot size in the slab */
	unsigned int order;		/* slab order */
	unsigned int objs;		/* objects per slab */
	unsigned int link_off;		/* free-list link offset in a free slot */
	unsigned int cls;		/* class map value */
	unsigned int flags;
	int t1;				/* tier-1 list, -1 if none */
	void (*ctor)(void *obj);
	const char *name;
	struct list_head list;		/* all caches */

	spinlock_t lock;		/* everything below except stats/cpu */
	struct list_head partial, full, empty;
	unsigned long nr_slabs, nr_empty, nr_slab_free;
	unsigned long slab_allocs, slab_frees, slabs_created, slabs_freed;

	struct slab_cpu_stats stats[NR_CPUS];
#ifdef CONFIG_SLAB_TIER_PERCPU
	/*
	 * The kmalloc caches' arrays are per-CPU variables (kmalloc_ac, flag
	 * SLAB_KMALLOC_AC); the typed caches' are cpu_ac[].
	 */
	struct array_cache __percpu *pcpu_ac;
	struct array_cache cpu_ac[NR_CPUS];	/* the others' */
#endif
};

#ifdef CONFIG_SLAB_TIER_PERCPU
/*
 * Tier-2 arrays of the kmalloc caches, in each CPU's per-CPU area: the
 * fast paths find this CPU's array of class i from the per-CPU base and
 * i alone, with no CPU-number multiply.  A CPU that was never brought up
 * has no area: cpu_ac_any() gives NULL for it.  Kernel only: a hosted
 * CPU's area is a copy of hosted CPU 0's live one (the template), which
 * would duplicate the objects cached there; the hosted build keeps the
 * embedded arrays for every cache.
 */
#ifndef __HOSTED__
static DEFINE_PER_CPU_ALIGNED(struct array_cache, kmalloc_ac[NR_KMALLOC]);
#endif

static __always_inline struct array_cache *cpu_ac(struct kmem_cache *c, unsigned int cpu)
{
	if (c->pcpu_ac)
		return per_cpu_ptr(c->pcpu_ac, cpu);
	return &c->cpu_ac[cpu];
}

/*
 * CPU 0 always has its area (the hosted build's CPU 0 is the template
 * itself, at offset 0); another CPU has one once its offset is set.
 */
static bool cpu_has_area(unsigned int cpu)
{
	return !cpu || __per_cpu_offset[cpu];
}

/* cpu_ac() for any CPU number: NULL if that CPU has no per-CPU area. */
static struct array_cache *cpu_ac_any(struct kmem_cache *c, unsigned int cpu)
{
	if (c->pcpu_ac && !cpu_has_area(cpu))
		return NULL;
	return cpu_ac(c, cpu);
}
#endif

/* Tier 1: a thread's cache. */
struct slab_tcache {
	struct slab_tcache_hot hot;	/* first: what the inline fast paths see */
	unsigned long hin[NR_T1];	/* I7 */
	unsigned long misses[NR_T1];
	unsigned long flushes[NR_T1];
	struct task_struct *owner;
	unsigned int cpu;
	struct list_head node;		/* tc_list */
};

BUILD_BUG_ON(NR_T1 != SLAB_T1_CLASSES);
BUILD_BUG_ON(offsetof(struct slab_tcache, hot) != 0);

static struct kmem_cache kmalloc_caches[NR_KMALLOC];
static struct kmem_cache tcache_cache;
static const char *const kmalloc_names[NR_KMALLOC] = {
	"kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-128", "kmalloc-256",
	"kmalloc-512", "kmalloc-1k", "kmalloc-2k", "kmalloc-4k",
};

/* current->slab_cache of a thread that must never get one (idle, exited). */
#define TC_DEAD		((struct slab_tcache *)1UL)

static LIST_HEAD(cache_list);
static DEFINE_SPINLOCK(cache_list_lock);
static LIST_HEAD(tc_list);
static DEFINE_SPINLOCK(tc_list_lock);

/* One byte per frame, see I1. */
u8 *slab_class_map;
unsigned long slab_map_pfns;
/* Frame number of the direct map's first byte: addr_pfn(p) == (p >> PAGE_SHIFT) - bias. */
unsigned long slab_pfn_bias;
static unsigned long slab_map_pages;
/*
 * kfree fast paths: (ptr & slab_t1_free_mask[cls]) == 0 iff ptr starts an
 * object of a tier-1 class (likewise t2 for the tier-2 kmalloc classes).
 */
unsigned long slab_t1_free_mask[NR_CLS];
BUILD_BUG_ON(NR_CLS != ARRAY_SIZE(slab_t1_free_mask));
static unsigned long t2_free_mask[NR_CLS];

static unsigned long slab_errors;
/*
 * Pages held by tier 3.  One atomic, not a per-CPU counter: an AP's per-CPU
 * area starts as a copy of the boot CPU's, which would count twice.
 */
static long large_pages;
static bool slab_ready;

static struct ratelimit_state slab_rs;

/* ---------------------------------------------------------------------
 * Small helpers
 */

/* Class 0..8 of a size 1..4096: 16 << class >= size. */
static __always_inline unsigned int kmalloc_class(size_t size)
{
	return (unsigned int)(63 - __builtin_clzl((size - 1) | 15)) - 3;
}

/*
 * kmalloc_class() of the tier-1 sizes, indexed by the size itself: one
 * load, no bsr, no "size - 1" (257 bytes, of which a call touches one
 * line).  Size 0 maps to list NR_T1, which is always empty: kmalloc(0)
 * takes the slow path with no test of its own.
 */
#define T1C(lo, hi, v)	[lo ... hi] = v
const u8 slab_t1_class[KMALLOC_TIER1_MAX + 1] = {
	[0] = NR_T1, T1C(1, 16, 0), T1C(17, 32, 1), T1C(33, 64, 2),
	T1C(65, 128, 3), T1C(129, 256, 4),
};
#undef T1C
BUILD_BUG_ON(KMALLOC_TIER1_MAX != 256);

/* A thread cache that is always empty and never has room: see I6. */
struct slab_tcache_hot slab_no_tcache __aligned(64) = {
	.room = { SLAB_NO_ROOM, SLAB_NO_ROOM, SLAB_NO_ROOM, SLAB_NO_ROOM, SLAB_NO_ROOM },
};

/* Objects on thread list @i, both halves (I7; racy but bounded from another CPU). */
static unsigned long tc_cached(const struct slab_tcache *tc, int i)
{
	long freed = (long)T1_LIMIT_OF(i) - READ_ONCE(tc->hot.room[i]);
	long head = (long)(READ_ONCE(tc->hin[i]) - READ_ONCE(tc->hot.hits[i]));

	return (unsigned long)(max(freed, 0L) + max(head, 0L));
}

/* Frame number of a direct-map address; huge for anything else. */
static __always_inline unsigned long addr_pfn(const void *p)
{
#ifdef __HOSTED__
	return ((unsigned long)p - (unsigned long)hosted_ram_base) >> PAGE_SHIFT;
#else
	return ((unsigned long)p - PAGE_OFFSET) >> PAGE_SHIFT;
#endif
}

static __always_inline void **free_link(const struct kmem_cache *c, const void *obj)
{
	return (void **)((char *)obj + c->link_off);
}

static __always_inline bool tc_live(const struct slab_tcache *tc)
{
	return (unsigned long)tc > (unsigned long)TC_DEAD;
}

/* The thread cache the fast paths see, NULL for slab_no_tcache (I5). */
static __always_inline struct slab_tcache *tcache_cur(void)
{
	struct slab_tcache_hot *h = slab_cur_tc();

	return h == &slab_no_tcache ? NULL : container_of(h, struct slab_tcache, hot);
}

#ifndef __HOSTED__
DEFINE_PER_CPU(void *, slab_cur_cache) = &slab_no_tcache;
#else
__thread void *slab_cur_cache_tls = &slab_no_tcache;
#endif

/* Set @t's cache; keeps the published pointer in step (I5). */
static void tcache_set(struct task_struct *t, struct slab_tcache *tc)
{
	t->slab_cache = tc;
	/*
	 * The task field first: a switch between the two stores copies the
	 * new value, and until the second one a stale slab_no_tcache only
	 * sends this thread to the slow path, which reads the task field.
	 */
	barrier();
	if (t != current)
		return;
#ifndef __HOSTED__
	this_cpu_write(slab_cur_cache, slab_tc_publish(tc));
#else
	slab_cur_cache_tls = slab_tc_publish(tc);
#endif
}

/*
 * The calling thread's cache if tier 1 may be used: a thread (not early
 * boot), not an interrupt handler, with a live cache; NULL otherwise.  The
 * published pointer says all of it (I5).
 */
static __always_inline struct slab_tcache *tcache_get(void)
{
	if (!TIER1)
		return NULL;
	return tcache_cur();
}

static struct ratelimit_state *rs(void)
{
	return &slab_rs;
}

/*
 * I8: an entry point called from an exception or NMI handler.  The report
 * is printed from the handler itself, once, with its backtrace: printk
 * from a handler that interrupted a printk on its own CPU drops the lines
 * after a bounded wait instead of deadlocking (kernel/printk.c), and the
 * refusal is counted either way.
 */
static noinline __cold void slab_trap_refuse(const char *fn, unsigned long ip)
{
	static bool warned;

	__atomic_fetch_add(&slab_errors, 1, __ATOMIC_RELAXED);
	if (__atomic_exchange_n(&warned, true, __ATOMIC_RELAXED))
		return;
	pr_err("%s() from %pS in an exception or NMI handler: refused (nothing is allocated or freed there)\n",
	       fn, (void *)ip);
	dump_stack();
}

#define slab_trap_refused(fn, ip)					\
	(unlikely(in_trap()) ? (slab_trap_refuse(fn, ip), true) : false)

/*
 * The same for the entry points with a tier-2 hit path, reached by a tail
 * call, so that the test is all the hit path pays: no frame, and the
 * return address is still the caller's.
 */
static noinline __cold void *slab_trap_null(const char *fn)
{
	slab_trap_refuse(fn, _RET_IP_);
	return NULL;
}

static noinline __cold void slab_trap_void(const char *fn)
{
	slab_trap_refuse(fn, _RET_IP_);
}

/* One report line; counts every error even when the line is suppressed. */
#define slab_report(fmt, ...) do {					\
	__atomic_fetch_add(&slab_errors, 1, __ATOMIC_RELAXED);		\
	if (__ratelimit(rs()))						\
		pr_err(fmt, ##__VA_ARGS__);				\
} while (0)


/* ---------------------------------------------------------------------
 * Debugging: poison, red zones, state, call sites
 */

static struct slab_track *obj_track(const struct kmem_cache *c, const void *obj)
{
	return (struct slab_track *)((char *)obj + c->link_off - offsetof(struct slab_track, link));
}

static size_t pad_start(const struct kmem_cache *c)
{
	return c->link_off - offsetof(struct slab_track, link);
}

static bool poisoned(const struct kmem_cache *c)
{
	return !c->ctor;
}

/* Mark a fresh slot free: poison, red zone, state. */
static void debug_init_slot(struct kmem_cache *c, void *obj)
{
	struct slab_track *tr = obj_track(c, obj);
	size_t ps = pad_start(c);

	if (poisoned(c))
		memset(obj, POISON_FREE, ps);
	memset((char *)obj + ps, REDZONE_BYTE, c->stride - ps);
	tr->state = STATE_FREE;
	tr->alloc_ip = tr->free_ip = 0;
	tr->link = NULL;
}

static bool redzone_ok(const struct kmem_cache *c, const void *obj)
{
	const struct slab_track *tr = obj_track(c, obj);
	size_t ps = pad_start(c);

	return tr->redzone == REDZONE_WORD &&
	       !memchr_inv((const char *)obj + ps + sizeof(*tr), REDZONE_BYTE,
			   c->stride - ps - sizeof(*tr));
}

static void redzone_fix(const struct kmem_cache *c, void *obj)
{
	size_t ps = pad_start(c);

	obj_track(c, obj)->redzone = REDZONE_WORD;
	memset((char *)obj + ps + sizeof(struct slab_track), REDZONE_BYTE,
	       c->stride - ps - sizeof(struct slab_track));
}

/* An object leaves a free list: check poison, mark allocated. */
static void debug_alloc(struct kmem_cache *c, void *obj, unsigned long ip)
{
	struct slab_track *tr = obj_track(c, obj);
	const u8 *bad;

	if (tr->state != STATE_FREE)
		slab_report("%s: object %p handed out while not free (state %#lx), from %pS\n",
			    c->name, obj, tr->state, (void *)ip);
	if (poisoned(c)) {
		bad = memchr_inv(obj, POISON_FREE, pad_start(c));
		if (bad) {
			slab_report("%s: use after free: %p+%#lx written after kfree from %pS (allocated from %pS)\n",
				    c->name, obj, (unsigned long)(bad - (const u8 *)obj),
				    (void *)tr->free_ip, (void *)tr->alloc_ip);
		}
	}
	if (!redzone_ok(c, obj)) {
		slab_report("%s: red zone of free object %p overwritten (freed from %pS)\n",
			    c->name, obj, (void *)tr->free_ip);
		redzone_fix(c, obj);
	}
	tr->state = STATE_ALLOC;
	tr->alloc_ip = ip;
}

/*
 * An object is freed: refuse double frees and garbage state, check the
 * red zone, poison.  Return: 0, -EBADMSG (red zone hit, freed anyway),
 * -ENOENT (already free: refused).
 */
static int debug_free(struct kmem_cache *c, void *obj, unsigned long ip)
{
	struct slab_track *tr = obj_track(c, obj);
	unsigned long state = STATE_ALLOC;
	int ret = 0;

	/*
	 * Check and mark in one atomic step: of two CPUs freeing the object
	 * at once exactly one gets it, the other sees STATE_FREE.  Nobody
	 * else touches the object until we hand it to the tiers.
	 */
	if (!__atomic_compare_exchange_n(&tr->state, &state, STATE_FREE, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		if (state == STATE_FREE)
			slab_report("%s: double free of %p from %pS (freed before from %pS, allocated from %pS)\n",
				    c->name, obj, (void *)ip, (void *)READ_ONCE(tr->free_ip),
				    (void *)tr->alloc_ip);
		else
			slab_report("%s: kfree(%p) from %pS: slot metadata corrupted (state %#lx), refused\n",
				    c->name, obj, (void *)ip, state);
		return -ENOENT;
	}
	if (!redzone_ok(c, obj)) {
		slab_report("%s: red zone after %p (%u bytes) overwritten, found at kfree from %pS (allocated from %pS)\n",
			    c->name, obj, c->size, (void *)ip, (void *)tr->alloc_ip);
		redzone_fix(c, obj);
		ret = -EBADMSG;
	}
	if (poisoned(c))
		memset(obj, POISON_FREE, pad_start(c));
	WRITE_ONCE(tr->free_ip, ip);
	return ret;
}

/* ---------------------------------------------------------------------
 * Slabs (cache lock held, interrupts disabled)
 */

static struct page *obj_slab(const struct kmem_cache *c, const void *obj)
{
	return pfn_to_page(addr_pfn(obj) & ~((1UL << c->order) - 1));
}

static void set_class(unsigned long pfn, unsigned int order, u8 cls)
{
	for (unsigned long i = 0; i < (1UL << order); i++)
		WRITE_ONCE(slab_class_map[pfn + i], cls);
}

/* Take up to @n objects from the slabs.  Return: how many. */
static unsigned int slab_take(struct kmem_cache *c, void **objs, unsigned int n)
{
	unsigned int got = 0;

	while (got < n) {
		struct page *pg;
		struct list_head *from;

		if (!list_empty(&c->partial)) {
			from = &c->partial;
		} else if (!list_empty(&c->empty)) {
			from = &c->empty;
		} else {
			break;
		}
		pg = list_first_entry(from, struct page, slab_list);
		if (from == &c->empty)
			c->nr_empty--;
		while (got < n && pg->freelist) {
			void *obj = pg->freelist;

			pg->freelist = *free_link(c, obj);
			pg->counters++;
			objs[got++] = obj;
		}
		list_del(&pg->slab_list);
		list_add(&pg->slab_list, pg->freelist ? &c->partial : &c->full);
	}
	c->nr_slab_free -= got;
	c->slab_allocs += got;
	return got;
}

/* Give @n objects back to their slabs; empty slabs beyond the keep go to @reap. */
static void slab_put(struct kmem_cache *c, void *const *objs, unsigned int n,
		     struct list_head *reap, unsigned int keep)
{
	for (unsigned int i = 0; i < n; i++) {
		void *obj = objs[i];
		struct page *pg = obj_slab(c, obj);
		bool was_full = !pg->freelist;

		*free_link(c, obj) = pg->freelist;
		pg->freelist = obj;
		pg->counters--;
		if (!pg->counters) {
			list_del(&pg->slab_list);
			if (c->nr_empty >= keep) {
				list_add(&pg->slab_list, reap);
				c->nr_slabs--;
				c->nr_slab_free -= c->objs - 1;
				c->slabs_freed++;
				continue;
			}
			list_add(&pg->slab_list, &c->empty);
			c->nr_empty++;
		} else if (was_full) {
			list_del(&pg->slab_list);
			list_add(&pg->slab_list, &c->partial);
		}
		c->nr_slab_free++;
	}
	c->slab_frees += n;
}

/* Free the slabs on @reap to the buddy allocator (no lock needed). */
static unsigned long slab_reap(struct kmem_cache *c, struct list_head *reap)
{
	unsigned long pages = 0;

	while (!list_empty(reap)) {
		struct page *pg = list_first_entry(reap, struct page, slab_list);

		list_del(&pg->slab_list);
		set_class(page_to_pfn(pg), c->order, CLS_NONE);
		pg->slab_cache = NULL;
		page_set_type(pg, PAGE_TYPE_BUDDY);
		__free_pages(pg, c->order);
		pages += 1UL << c->order;
	}
	return pages;
}

/* A new slab, not yet published (see slab_publish()).  Any context. */
static struct page *slab_alloc_pages(unsigned int order);

static struct page *slab_new(struct kmem_cache *c)
{
	struct page *pg = slab_alloc_pages(c->order);
	char *base;
	void *prev = NULL;

	if (!pg)
		return NULL;
	base = page_address(pg);
	page_set_type(pg, PAGE_TYPE_SLAB);
	pg->slab_cache = c;
	pg->counters = 0;
	/* Linked in address order: the first allocations are the lowest. */
	for (unsigned int i = c->objs; i-- > 0;) {
		void *obj = base + (size_t)i * c->stride;

		if (DEBUG)
			debug_init_slot(c, obj);
		if (c->ctor)
			c->ctor(obj);
		*free_link(c, obj) = prev;
		prev = obj;
	}
	pg->freelist = prev;
	/* Until handed out, every slot of a new slab is red zone. */
	kasan_poison(base, PAGE_SIZE << c->order, KASAN_SLAB_REDZONE);
	set_class(page_to_pfn(pg), c->order, (u8)c->cls);
	return pg;
}

/* Put a new slab on c->empty; lock held. */
static void slab_publish(struct kmem_cache *c, struct page *pg)
{
	list_add(&pg->slab_list, &c->empty);
	c->nr_empty++;
	c->nr_slabs++;
	c->nr_slab_free += c->objs;
	c->slabs_created++;
}

/* Give every empty slab beyond @keep back.  Return: pages freed. */
static unsigned long cache_shrink(struct kmem_cache *c, unsigned int keep)
{
	LIST_HEAD(reap);
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	while (c->nr_empty > keep) {
		struct page *pg = list_first_entry(&c->empty, struct page, slab_list);

		list_del(&pg->slab_list);
		list_add(&pg->slab_list, &reap);
		c->nr_empty--;
		c->nr_slabs--;
		c->nr_slab_free -= c->objs;
		c->slabs_freed++;
	}
	spin_unlock_irqrestore(&c->lock, flags);
	return slab_reap(c, &reap);
}

/* ---------------------------------------------------------------------
 * Tier 2: per-CPU arrays, and the bulk interface tier 1 uses
 */

/*
 * Up to @n objects from the slabs, growing the cache if needed; a new slab
 * is published and taken from in one lock hold, so other CPUs cannot
 * empty it first.  Any context.  Return: how many (0: out of memory).
 */
static unsigned int slab_get_bulk(struct kmem_cache *c, void **objs, unsigned int n)
{
	struct page *pg = NULL;
	unsigned long flags;
	unsigned int got;

	spin_lock_irqsave(&c->lock, flags);
	got = slab_take(c, objs, n);
	spin_unlock_irqrestore(&c->lock, flags);
	if (got)
		return got;
	pg = slab_new(c);
	if (!pg)
		return 0;
	spin_lock_irqsave(&c->lock, flags);
	slab_publish(c, pg);
	got = slab_take(c, objs, n);
	spin_unlock_irqrestore(&c->lock, flags);
	return got;
}

/* @n objects back: to this CPU's array if they fit, else to the slabs. */
static void cache_put_bulk(struct kmem_cache *c, void *const *objs, unsigned int n)
{
	LIST_HEAD(reap);
	unsigned long flags;

	local_irq_save(flags);
#ifdef CONFIG_SLAB_TIER_PERCPU
	if (!(c->flags & SLAB_NO_TIER2)) {
		struct array_cache *ac = cpu_ac(c, smp_processor_id());

		if (ac->avail + n <= T2_LIMIT) {
			memcpy(&ac->entry[ac->avail], objs, n * sizeof(*objs));
			ac->avail += n;
			local_irq_restore(flags);
			return;
		}
	}
#endif
	spin_lock(&c->lock);
	slab_put(c, objs, n, &reap, EMPTY_KEEP);
	spin_unlock(&c->lock);
	local_irq_restore(flags);
	slab_reap(c, &reap);
}

/*
 * Tier-2 hit paths, inlined into kmalloc/kfree: this CPU's array with local
 * interrupts off.  irqsave rather than a bare cli/sti: callers may already
 * run with interrupts disabled (spin_lock_irqsave holders), and there is no
 * cheaper way to know.  NULL / false on a miss: the slow path refills or
 * drains.
 */
static __always_inline void *t2_pop(struct kmem_cache *c)
{
#ifdef CONFIG_SLAB_TIER_PERCPU
	struct array_cache *ac;
	unsigned long flags;
	void *obj = NULL;

	local_irq_save(flags);
	ac = &c->cpu_ac[smp_processor_id()];
	/* Keep ac in a register: gcc otherwise re-derives every field from the array base. */
	__asm__("" : "+r"(ac));
	if (likely(ac->avail)) {
		obj = ac->entry[--ac->avail];
		ac->hits++;
	}
	local_irq_restore(flags);
	return obj;
#else
	(void)c;
	return NULL;
#endif
}

static __always_inline bool t2_push(struct kmem_cache *c, void *obj)
{
#ifdef CONFIG_SLAB_TIER_PERCPU
	struct array_cache *ac;
	unsigned long flags;
	bool ok = false;

	local_irq_save(flags);
	ac = &c->cpu_ac[smp_processor_id()];
	__asm__("" : "+r"(ac));
	if (likely(ac->avail < T2_LIMIT)) {
		ac->entry[ac->avail++] = obj;
		ok = true;
	}
	local_irq_restore(flags);
	return ok;
#else
	(void)c;
	(void)obj;
	return false;
#endif
}

#ifdef CONFIG_SLAB_TIER_PERCPU
#ifdef __HOSTED__
#define kac(off)		(&kmalloc_caches[(off) / AC_BYTES].cpu_ac[smp_processor_id()])
#define kac_read(v, field, off)	((v) = kac(off)->field)
#define kac_write(v, field, off) (kac(off)->field = (v))
#define kac_entry(obj, off, n)	((obj) = kac(off)->entry[n])
#define kac_set_entry(obj, off, n) (kac(off)->entry[n] = (obj))
#define kac_inc_hits(off)	(kac(off)->hits++)
#else
/*
 * This CPU's kmalloc_ac[] fields, addressed %gs-relative with the class's
 * byte offset @off in a register: no per-CPU base or CPU number to load.
 * Interrupts are off around every use, so nothing else runs on this CPU's
 * arrays meanwhile; the "memory" clobbers keep the order.
 */
#define kac_addr(field)		((__force char *)&kmalloc_ac[0].field)
#define kac_read(v, field, off)							\
	__asm__ __volatile__("mov %%gs:%c1(%2), %0" : "=r"(v)			\
			     : "i"(kac_addr(field)), "r"(off) : "memory")
#define kac_write(v, field, off)						\
	__asm__ __volatile__("mov %0, %%gs:%c1(%2)"				\
			     : : "r"(v), "i"(kac_addr(field)), "r"(off) : "memory")
#define kac_entry(obj, off, n)							\
	__asm__ __volatile__("movq %%gs:%c1(%2,%3,8), %0" : "=r"(obj)		\
			     : "i"(kac_addr(entry)), "r"(off), "r"((unsigned long)(n)) : "memory")
#define kac_set_entry(obj, off, n)						\
	__asm__ __volatile__("movq %0, %%gs:%c1(%2,%3,8)"			\
			     : : "r"(obj), "i"(kac_addr(entry)), "r"(off),		\
			       "r"((unsigned long)(n)) : "memory")
#define kac_inc_hits(off)							\
	__asm__ __volatile__("incq %%gs:%c0(%1)" : : "i"(kac_addr(hits)), "r"(off) : "memory")
#endif
#endif

/*
 * The same for the kmalloc caches, whose arrays are per-CPU variables:
 * @off is the class times AC_BYTES.
 */
static __always_inline bool t2_pop_kmalloc(unsigned long off, void **objp)
{
#ifdef CONFIG_SLAB_TIER_PERCPU
	unsigned long flags;
	unsigned int avail;
	void *obj;

	local_irq_save(flags);
	kac_read(avail, avail, off);
	if (unlikely(!avail)) {
		local_irq_restore(flags);
		return false;
	}
	avail--;
	kac_write(avail, avail, off);
	kac_entry(obj, off, avail);
	kac_inc_hits(off);
	local_irq_restore(flags);
	*objp = obj;
	return true;
#else
	(void)off;
	(void)objp;
	return false;
#endif
}

static __always_inline bool t2_push_kmalloc(unsigned long off, void *obj)
{
#ifdef CONFIG_SLAB_TIER_PERCPU
	unsigned long flags;
	unsigned int avail;
	bool ok = false;

	local_irq_save(flags);
	kac_read(avail, avail, off);
	if (likely(avail < T2_LIMIT)) {
		kac_set_entry(obj, off, avail);
		avail++;
		kac_write(avail, avail, off);
		ok = true;
	}
	local_irq_restore(flags);
	return ok;
#else
	(void)off;
	(void)obj;
	return false;
#endif
}

/* One object from tier 2 (or the slabs). */
static void *cache_alloc(struct kmem_cache *c)
{
#ifdef CONFIG_SLAB_TIER_PERCPU
	if (likely(!(c->flags & SLAB_NO_TIER2))) {
		unsigned long flags;
		struct array_cache *ac;
		unsigned int cpu;
		void *obj;

		local_irq_save(flags);
		cpu = smp_processor_id();
		ac = cpu_ac(c, cpu);
		if (likely(ac->avail)) {
			obj = ac->entry[--ac->avail];
			ac->hits++;
			local_irq_restore(flags);
			return obj;
		}
		ac->misses++;
		local_irq_restore(flags);
		/* Refill a batch; keep one, the rest go to the array. */
		void *objs[T2_BATCH];
		unsigned int n = slab_get_bulk(c, objs, T2_BATCH);

		if (!n)
			return NULL;
		if (n > 1)
			cache_put_bulk(c, objs + 1, n - 1);
		return objs[0];
	}
#endif
	void *obj;

	return slab_get_bulk(c, &obj, 1) ? obj : NULL;
}

/* One object to tier 2; a full array first drains its oldest batch. */
static void cache_free(struct kmem_cache *c, void *obj)
{
#ifdef CONFIG_SLAB_TIER_PERCPU
	if (likely(!(c->flags & SLAB_NO_TIER2))) {
		LIST_HEAD(reap);
		unsigned long flags;
		struct array_cache *ac;
		unsigned int cpu;

		local_irq_save(flags);
		cpu = smp_processor_id();
		ac = cpu_ac(c, cpu);
		if (unlikely(ac->avail == T2_LIMIT)) {
			spin_lock(&c->lock);
			slab_put(c, ac->entry, T2_BATCH, &reap, EMPTY_KEEP);
			spin_unlock(&c->lock);
			ac->avail -= T2_BATCH;
			memmove(ac->entry, ac->entry + T2_BATCH, ac->avail * sizeof(void *));
			ac->drains++;
		}
		ac->entry[ac->avail++] = obj;
		local_irq_restore(flags);
		slab_reap(c, &reap);
		return;
	}
#endif
	cache_put_bulk(c, &obj, 1);
}

/* Empty one CPU's arrays (that CPU with interrupts off, or not running). */
static void drain_cpu_arrays(unsigned int cpu)
{
#ifdef CONFIG_SLAB_TIER_PERCPU
	struct kmem_cache *c;
	unsigned long flags;

	spin_lock_irqsave(&cache_list_lock, flags);
	list_for_each_entry(c, &cache_list, list) {
		struct array_cache *ac = cpu_ac_any(c, cpu);
		LIST_HEAD(reap);

		if (!ac || !ac->avail)
			continue;
		spin_lock(&c->lock);
		/* Keep every empty slab here; kmem_drain_all() shrinks after. */
		slab_put(c, ac->entry, ac->avail, &reap, -1U);
		spin_unlock(&c->lock);
		ac->avail = 0;
		ac->drains++;
	}
	spin_unlock_irqrestore(&cache_list_lock, flags);
#else
	(void)cpu;
#endif
}

static void __maybe_unused drain_local(void *unused)
{
	unsigned long flags;

	(void)unused;
	local_irq_save(flags);
	drain_cpu_arrays(smp_processor_id());
	local_irq_restore(flags);
}

void kmem_drain_cpu(unsigned int cpu)
{
	if (cpu < NR_CPUS)
		drain_cpu_arrays(cpu);
}

/* ---------------------------------------------------------------------
 * Tier 1: thread caches
 */

static void tcache_create(struct task_struct *t);

/* Slow-path tcache_get(): creates the cache on first use; NULL if unusable. */
static struct slab_tcache *tcache_get_create(void)
{
	struct task_struct *t;
	struct slab_tcache *tc;

	if (!TIER1 || in_interrupt())
		return NULL;
	t = current;
	if (!t)
		return NULL;
	/*
	 * Threads never migrate, so this only fires for a CPU whose per-CPU
	 * area still carries the boot CPU's current (an AP before
	 * sched_init_ap()): it must not share that thread's cache.
	 */
	if (WARN_ON_ONCE(t->cpu != smp_processor_id()))
		return NULL;
	tc = t->slab_cache;
	if (!tc) {
		tcache_create(t);
		tc = t->slab_cache;
	}
	return tc_live(tc) ? tc : NULL;
}

static void tcache_create(struct task_struct *t)
{
	struct slab_tcache *tc;
	unsigned long flags;

	if (t->flags & PF_IDLE) {
		tcache_set(t, TC_DEAD);
		return;
	}
	tc = cache_alloc(&tcache_cache);
	if (!tc)
		return;		/* tier 2 until memory comes back */
	memset(tc, 0, sizeof(*tc));
	for (int i = 0; i < NR_T1; i++)
		tc->hot.room[i] = T1_LIMIT_OF(i);
	tc->owner = t;
	tc->cpu = smp_processor_id();
	spin_lock_irqsave(&tc_list_lock, flags);
	list_add(&tc->node, &tc_list);
	spin_unlock_irqrestore(&tc_list_lock, flags);
	tcache_set(t, tc);
}

/* Move up to @n objects of @list (a list of class @i) to the per-CPU tier.  Return: how many. */
static unsigned int tcache_flush_list(int i, void **list, unsigned int n)
{
	struct kmem_cache *c = &kmalloc_caches[i];
	void *objs[T1_BATCH];
	unsigned int done = 0;

	while (done < n && *list) {
		unsigned int k = 0;

		while (k < T1_BATCH && done + k < n && *list) {
			void *obj = *list;

			*list = *free_link(c, obj);
			objs[k++] = obj;
		}
		done += k;
		cache_put_bulk(c, objs, k);
	}
	return done;
}

/* Up to @n objects of freed list @i to the per-CPU tier.  Return: how many. */
static unsigned int tcache_flush(struct slab_tcache *tc, int i, unsigned int n)
{
	unsigned int k = tcache_flush_list(i, &tc->hot.freed[i], n);

	tc->hot.room[i] += k;
	return k;
}

/* Both lists of class @i to the per-CPU tier. */
static void tcache_flush_class(struct slab_tcache *tc, int i)
{
	tcache_flush(tc, i, -1U);
	tc->hin[i] -= tcache_flush_list(i, &tc->hot.head[i], -1U);
}

/* T1_LIMIT_OF() of a run-time class. */
static const long t1_limit[NR_T1] = {
	T1_LIMIT_OF(0), T1_LIMIT_OF(1), T1_LIMIT_OF(2), T1_LIMIT_OF(3), T1_LIMIT_OF(4),
};
BUILD_BUG_ON(NR_T1 != 5);

/* The empty head list @i takes over the freed list (I7 holds across). */
static __always_inline void tcache_swap(struct slab_tcache *tc, int i)
{
	long room = t1_limit[i];

	tc->hot.head[i] = tc->hot.freed[i];
	tc->hot.freed[i] = NULL;
	tc->hin[i] += (unsigned long)(room - tc->hot.room[i]);
	tc->hot.room[i] = room;
}

/*
 * Refill the empty list @i in O(1): the freelist of one slab becomes the
 * list (both link through the same word), if all its free objects fit.
 * @fresh: a new slab to publish first, or NULL.  Return: objects moved.
 */
static unsigned int tcache_splice(struct slab_tcache *tc, int i, struct page *fresh)
{
	struct kmem_cache *c = &kmalloc_caches[i];
	struct page *pg = NULL;
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&c->lock, flags);
	if (fresh)
		slab_publish(c, fresh);
	if (!list_empty(&c->partial))
		pg = list_first_entry(&c->partial, struct page, slab_list);
	else if (!list_empty(&c->empty))
		pg = list_first_entry(&c->empty, struct page, slab_list);
	if (pg && c->objs - pg->counters <= T1_LIMIT_OF(i)) {
		n = c->objs - (unsigned int)pg->counters;
		if (!pg->counters)
			c->nr_empty--;
		tc->hot.head[i] = pg->freelist;
		tc->hin[i] += n;
		pg->freelist = NULL;
		pg->counters = c->objs;
		list_del(&pg->slab_list);
		list_add(&pg->slab_list, &c->full);
		c->nr_slab_free -= n;
		c->slab_allocs += n;
	}
	spin_unlock_irqrestore(&c->lock, flags);
	return n;
}

/* Up to @n objects from this CPU's array only.  Return: how many. */
static unsigned int t2_take(struct kmem_cache *c, void **objs, unsigned int n)
{
	unsigned int got = 0;
#ifdef CONFIG_SLAB_TIER_PERCPU
	struct array_cache *ac;
	unsigned long flags;

	local_irq_save(flags);
	ac = cpu_ac(c, smp_processor_id());
	while (got < n && ac->avail)
		objs[got++] = ac->entry[--ac->avail];
	if (got)
		ac->hits++;
	else
		ac->misses++;
	local_irq_restore(flags);
#else
	(void)c;
	(void)objs;
	(void)n;
#endif
	return got;
}

#ifdef SLAB_T1_FAST
#define T1_LIFO		0
#else
#define T1_LIFO		1
#endif

/*
 * A hit on thread list @i: its head list, else its freed one.  NULL if
 * both are empty, which is all slab_no_tcache's lists ever are (the
 * fast-path miss passes it in as a struct slab_tcache: hot is first, and
 * nothing beyond it is touched then).
 */
static void *tcache_take(struct slab_tcache *tc, int i)
{
	void **list = &tc->hot.head[i];
	void *obj;

	if (T1_LIFO && tc->hot.freed[i]) {
		/*
		 * Without the fast paths (debugging, KASAN) the object freed
		 * last comes back first, so that the checks see a freed
		 * object again as soon as possible.
		 */
		list = &tc->hot.freed[i];
		tc->hot.room[i]++;
		tc->hin[i]++;
	} else if (!*list) {
		if (!tc->hot.freed[i])
			return NULL;
		tcache_swap(tc, i);
	}
	obj = *list;
	/* With the fast paths there is no debugging: the link is at offset 0, as they assume. */
	*list = T1_LIFO ? *free_link(&kmalloc_caches[i], obj) : *(void **)obj;
	tc->hot.hits[i]++;
	return obj;
}

/* Pop the head of the refilled list @i (not empty): a miss, not a hit. */
static void *tcache_pop(struct slab_tcache *tc, int i)
{
	void *obj = tc->hot.head[i];

	tc->hot.head[i] = *free_link(&kmalloc_caches[i], obj);
	tc->hin[i]--;
	return obj;
}

/*
 * Miss on list @i (both halves empty): this CPU's array first (objects
 * already hot here), then a whole slab freelist, else a batch from the
 * slabs.  Return: one object, or NULL without memory.
 */
static void *tcache_refill(struct slab_tcache *tc, int i)
{
	struct kmem_cache *c = &kmalloc_caches[i];
	void *objs[T1_BATCH];
	unsigned int n;

	tc->misses[i]++;
	n = t2_take(c, objs, T1_BATCH);
	if (!n && c->objs <= T1_LIMIT_OF(i)) {
		if (tcache_splice(tc, i, NULL))
			return tcache_pop(tc, i);
		struct page *pg = slab_new(c);

		if (pg && tcache_splice(tc, i, pg))
			return tcache_pop(tc, i);
	}
	if (!n)
		n = slab_get_bulk(c, objs, T1_BATCH);
	if (!n)
		return NULL;
	for (unsigned int k = n; k-- > 1;) {
		*free_link(c, objs[k]) = tc->hot.head[i];
		tc->hot.head[i] = objs[k];
	}
	tc->hin[i] += n - 1;
	return objs[0];
}

static void tcache_flush_all(struct slab_tcache *tc)
{
	for (int i = 0; i < NR_T1; i++)
		tcache_flush_class(tc, i);
}

/* Push @obj on freed list @i, flushing a batch first if it is full. */
static void tcache_push(struct slab_tcache *tc, int i, void *obj)
{
	if (tc->hot.room[i] <= 0) {
		tc->flushes[i]++;
		tcache_flush(tc, i, T1_BATCH);
	}
	tc->hot.room[i]--;
	*free_link(&kmalloc_caches[i], obj) = tc->hot.freed[i];
	tc->hot.freed[i] = obj;
}

/* Exit hook: the thread's cache goes back and it never gets another. */
static void slab_task_exit(struct task_struct *t)
{
	struct slab_tcache *tc = t->slab_cache;
	unsigned long flags;

	tcache_set(t, TC_DEAD);
	if (!tc_live(tc))
		return;
	tcache_flush_all(tc);
	spin_lock_irqsave(&tc_list_lock, flags);
	list_del(&tc->node);
	for (int i = 0; i < NR_T1; i++) {
		struct slab_cpu_stats *st = &kmalloc_caches[i].stats[tc->cpu];

		st->t1_hits += tc->hot.hits[i];
		st->t1_misses += tc->misses[i];
		st->t1_flushes += tc->flushes[i];
	}
	spin_unlock_irqrestore(&tc_list_lock, flags);
	cache_free(&tcache_cache, tc);
}

static struct task_exit_hook slab_exit_hook = { .fn = slab_task_exit };

void kmem_flush_current(void)
{
	struct slab_tcache *tc = tcache_get();

	if (tc)
		tcache_flush_all(tc);
}

/* ---------------------------------------------------------------------
 * Pointer classification
 */

struct obj_ref {
	struct kmem_cache *c;
	struct page *page;		/* slab head, or large-kmalloc head */
};

/*
 * What @p is.  Return: 1 slab object (ref->c), 2 large kmalloc block
 * (ref->page), or -EFAULT (not ours), -EINVAL (inside ours, not an object
 * start), -ENOENT (a freed large block).  Never dereferences @p.
 */
static int classify(const void *p, struct obj_ref *ref)
{
	unsigned long pfn = addr_pfn(p), off;
	struct kmem_cache *c;
	struct page *pg;
	unsigned int cls, order;

	if (pfn < slab_map_pfns && (cls = READ_ONCE(slab_class_map[pfn])) != CLS_NONE) {
		if (cls < NR_KMALLOC) {
			c = &kmalloc_caches[cls];
			order = c->order;
			pg = pfn_to_page(pfn & ~((1UL << order) - 1));
		} else {
			order = cls - CLS_TYPED;
			pg = pfn_to_page(pfn & ~((1UL << order) - 1));
			c = READ_ONCE(pg->slab_cache);
			if (!c)
				return -EFAULT;
		}
		off = (unsigned long)((const char *)p - (const char *)page_address(pg));
		if (off % c->stride || off / c->stride >= c->objs)
			return -EINVAL;
		ref->c = c;
		ref->page = pg;
		return 1;
	}
	if (pfn >= max_pfn)
		return -EFAULT;
	pg = pfn_to_block_head(pfn);
	if (!pg) {
		/* A freed large block, or never ours. */
		return -EFAULT;
	}
	if (page_type(pg) != PAGE_TYPE_LARGE_KMALLOC)
		return -EFAULT;
	if (p != page_address(pg))
		return -EINVAL;
	ref->c = NULL;
	ref->page = pg;
	return 2;
}

static void report_bad_free(const char *fn, const void *p, int err, unsigned long ip)
{
	slab_report("%s(%p) from %pS: %s, refused\n", fn, p, (void *)ip,
		    err == -EINVAL ? "not the start of an object" :
		    "not a kmalloc/slab pointer (foreign, or already freed pages)");
}

/* ---------------------------------------------------------------------
 * kmalloc and friends
 */

/*
 * Pages for the slow paths.  GFP_ATOMIC first: it is the same fast path
 * and needs no look at the interrupt flag; only if it fails, and the
 * context allows it, GFP_KERNEL may also drain the other CPUs' caches.
 */
static struct page *slab_alloc_pages(unsigned int order)
{
	struct page *pg = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, order);

	if (unlikely(!pg) && !in_interrupt() && !irqs_disabled())
		pg = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
	return pg;
}

static noinline void *kmalloc_large(size_t size)
{
	unsigned int order;
	struct page *pg;

	/* Before any rounding: DIV_ROUND_UP(SIZE_MAX, ...) wraps. */
	if (unlikely(size > (PAGE_SIZE << MAX_ORDER))) {
		if (__ratelimit(rs()))
			pr_err("kmalloc(%zu): larger than the largest block (%lu KiB)\n", size,
			       (PAGE_SIZE << MAX_ORDER) >> 10);
		return NULL;
	}
	order = (unsigned int)(64 - __builtin_clzl((size - 1) >> PAGE_SHIFT));
	pg = slab_alloc_pages(order);
	if (unlikely(!pg)) {
		if (__ratelimit(rs()))
			pr_warn("kmalloc(%zu): out of memory\n", size);
		return NULL;
	}
	page_set_type(pg, PAGE_TYPE_LARGE_KMALLOC);
	__atomic_fetch_add(&large_pages, 1L << order, __ATOMIC_RELAXED);
	return page_address(pg);
}

static void free_large(struct page *pg)
{
	unsigned int order = page_order(pg);

	page_set_type(pg, PAGE_TYPE_BUDDY);
	__atomic_fetch_sub(&large_pages, 1L << order, __ATOMIC_RELAXED);
	__free_pages(pg, order);
}

/*
 * kfree of a page-aligned pointer outside the slabs: a large kmalloc block
 * is freed at once when @p is its head (O(1) state check).  Anything else
 * goes to the slow path, which classifies and reports.
 */
static __always_inline bool large_free_fast(const void *p, unsigned long pfn)
{
	struct page *pg;

	if (((unsigned long)p & (PAGE_SIZE - 1)) || !pfn_is_block_head(pfn))
		return false;
	pg = pfn_to_page(pfn);
	if (page_type(pg) != PAGE_TYPE_LARGE_KMALLOC)
		return false;
	free_large(pg);
	return true;
}

/*
 * The slow paths are reached by tail calls (CFLAGS_slab.o allows sibling
 * calls) from the exported kmalloc/kfree and from the __kmalloc_*() and
 * __kfree_*() entry points, which the inline copies call directly, so
 * their own return address is the caller of kmalloc/kfree.
 */
static noinline void *kmalloc_slow(size_t size)
{
	unsigned long ip = _RET_IP_;
	struct kmem_cache *c;
	struct slab_tcache *tc;
	void *obj;
	int i;

	if (slab_trap_refused("kmalloc", ip))
		return NULL;
	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_large(size);
	if (WARN_ON_ONCE(!slab_ready))
		return NULL;
	i = (int)kmalloc_class(size);
	c = &kmalloc_caches[i];
	tc = i < NR_T1 ? tcache_get_create() : NULL;
	if (tc) {
		obj = tcache_take(tc, i);
		if (!obj)
			obj = tcache_refill(tc, i);
	} else {
		obj = cache_alloc(c);
	}
	if (unlikely(!obj) && __ratelimit(rs()))
		pr_warn("kmalloc(%zu): out of memory\n", size);
	if (DEBUG && obj)
		debug_alloc(c, obj, ip);
	return obj;
}

/*
 * CONFIG_KASAN: every call takes the slow paths, so that each allocation
 * unpoisons exactly the bytes asked for and each free poisons the slot and
 * catches a double free before the tiers see the pointer.
 */
static void *kasan_alloc_hook(void *obj, size_t size, unsigned long ip)
{
	struct obj_ref ref;
	int kind;

	if (!KASAN || ZERO_OR_NULL_PTR(obj))
		return obj;
	kind = classify(obj, &ref);
	if (kind == 1)
		kasan_slab_alloc(obj, size, ref.c->size, ip);
	else if (kind == 2)
		kasan_slab_alloc(obj, size, PAGE_SIZE << page_order(ref.page), ip);
	return obj;
}

static int kfree_common(const void *p, unsigned long ip, const char *fn);
static int free_slab_obj(struct kmem_cache *c, void *obj, unsigned long ip);
static void free_slab_tiers(struct kmem_cache *c, void *obj);
static int debug_free(struct kmem_cache *c, void *obj, unsigned long ip);

/*
 * A slab object KASAN has poisoned: the SLAB_DEBUG checks now (so their
 * error codes are the caller's), the tiers after the quarantine.
 */
static int free_slab_quarantined(struct kmem_cache *c, void *obj, unsigned long ip)
{
	int ret = 0;

	if (DEBUG) {
		ret = debug_free(c, obj, ip);
		if (ret == -ENOENT)
			return ret;
	}
	if (!kasan_quarantine_put(obj, c, c->stride))
		free_slab_tiers(c, obj);
	return ret;
}

static int kfree_hooked(const void *p, unsigned long ip, const char *fn)
{
	struct obj_ref ref;
	size_t slot;
	int kind;

	if (slab_trap_refused(fn, ip))
		return -EDEADLK;
	if (!KASAN || ZERO_OR_NULL_PTR(p))
		return kfree_common(p, ip, fn);
	/* A double free: KASAN's report is the log line; -ENOENT as SLAB_DEBUG's. */
	if (kasan_free_precheck(p, ip))
		goto double_free;
	kind = classify(p, &ref);
	if (kind < 0) {
		report_bad_free(fn, p, kind, ip);
		return kind;
	}
	slot = kind == 1 ? ref.c->size : PAGE_SIZE << page_order(ref.page);
	if (kasan_slab_free((void *)p, slot, ip))
		goto double_free;
	/*
	 * Slab objects only: a large block goes straight back to the page
	 * allocator, where it stays poisoned (and kfree of it is refused
	 * with -EFAULT) until the pages are allocated again.
	 */
	if (kind == 1)
		return free_slab_quarantined(ref.c, (void *)p, ip);
	return kfree_common(p, ip, fn);
double_free:
	__atomic_fetch_add(&slab_errors, 1, __ATOMIC_RELAXED);
	return -ENOENT;
}

#if KASAN
void kmem_free_quarantined(void *obj, struct kmem_cache *c)
{
	free_slab_tiers(c, obj);
}
#endif

/* The tier-1 sizes after a miss of the fast path (or without it). */
noinline void *__kmalloc_slow(size_t size)
{
#ifdef SLAB_T1_FAST
	/*
	 * The common miss, first: head[i] ran dry and freed[i] takes over.
	 * slab_no_tcache and kmalloc(0) (list 5) find freed[] empty.
	 */
	void *obj = tcache_take(container_of(slab_cur_tc(), struct slab_tcache, hot),
				(int)slab_t1_class[size]);

	if (likely(obj))
		return obj;
#endif
	slab_entry();
	return kmalloc_slow(size);
}

/*
 * Above 256 bytes: a tier-2 hit here, tier 3 and the rest out of line.
 * (size - 1) >= 256, so its bsr is the class + 3 with no "| 15".
 */
noinline void *__kmalloc_big(size_t size)
{
	void *obj;

	slab_entry();
	if (unlikely(in_trap()))
		return slab_trap_null("kmalloc");
	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE))
		return kmalloc_large(size);
	if (TIER2 && !DEBUG && !KASAN &&
	    likely(t2_pop_kmalloc((60UL - __builtin_clzl(size - 1)) * AC_BYTES, &obj)))
		return obj;
	return kmalloc_slow(size);
}

void *kmalloc(size_t size)
{
	if (should_fail_slab(size, GFP_KERNEL))
		return NULL;
	if (KASAN)
		return kasan_alloc_hook(kmalloc_slow(size), size, _RET_IP_);
#ifdef SLAB_T1_FAST
	return __kmalloc_t1(size);
#else
	if (size > KMALLOC_TIER1_MAX)
		return __kmalloc_big(size);
	return __kmalloc_slow(size);
#endif
}
EXPORT_SYMBOL(kmalloc);

/* Give a freed (and checked) object to the tiers. */
static void free_slab_tiers(struct kmem_cache *c, void *obj)
{
	struct slab_tcache *tc;

	if (c->t1 >= 0) {
		tc = tcache_get_create();
		if (tc) {
			tcache_push(tc, c->t1, obj);
			return;
		}
	}
	cache_free(c, obj);
}

/* Free a classified slab object through the tiers. */
static int free_slab_obj(struct kmem_cache *c, void *obj, unsigned long ip)
{
	int ret = 0;

	if (DEBUG) {
		ret = debug_free(c, obj, ip);
		if (ret == -ENOENT)
			return ret;
	}
	free_slab_tiers(c, obj);
	return ret;
}

static int kfree_common(const void *p, unsigned long ip, const char *fn)
{
	struct obj_ref ref;
	int kind;

	if (slab_trap_refused(fn, ip))
		return -EDEADLK;
	if (ZERO_OR_NULL_PTR(p))
		return 0;
	kind = classify(p, &ref);
	if (kind < 0) {
		report_bad_free(fn, p, kind, ip);
		return kind;
	}
	if (kind == 2) {
		free_large(ref.page);
		return 0;
	}
	return free_slab_obj(ref.c, (void *)p, ip);
}

/* kfree() of anything the fast paths do not handle: classify and report. */
noinline void __kfree_slow(const void *p)
{
	slab_entry();
	kfree_common(p, _RET_IP_, "kfree");
}

/* Not a tier-1 object start: a tier-2 object, a large block, or the slow path. */
noinline void __kfree_other(const void *p, unsigned long cls, unsigned long pfn)
{
	bool bad;

	slab_entry();
	if (unlikely(in_trap()))
		return slab_trap_void("kfree");
	/* A test with memory (what gcc makes of "&" is a mov, an and). */
	__asm__("testq %1, %2" : "=@ccnz"(bad) : "r"(p), "m"(t2_free_mask[cls]));
	if (TIER2 && !bad) {
		if (likely(t2_push_kmalloc(cls * AC_BYTES, (void *)p)))
			return;
	} else if (cls == CLS_NONE && large_free_fast(p, pfn)) {
		return;
	}
	kfree_common(p, _RET_IP_, "kfree");
}

/* A tier-1 object whose push found no room (taken: give it back first). */
noinline void __kfree_full(const void *p, unsigned long cls)
{
	struct slab_tcache *tc;

	slab_entry();
	tc = tcache_get();
	if (!tc) {
		/* slab_no_tcache (I6): an interrupt handler, idle, no cache yet. */
		WRITE_ONCE(slab_no_tcache.room[cls], SLAB_NO_ROOM);
		kfree_common(p, _RET_IP_, "kfree");
		return;
	}
	tc->hot.room[cls]++;
	tcache_push(tc, (int)cls, (void *)p);
}

void kfree(const void *p)
{
	if (KASAN) {
		kfree_hooked(p, _RET_IP_, "kfree");
		return;
	}
#ifdef SLAB_T1_FAST
	__kfree_t1(p);
#else
	/* addr_pfn() with the bias in memory: one sub instead of movabs + add. */
	unsigned long pfn = ((unsigned long)p >> PAGE_SHIFT) - slab_pfn_bias;

	if (likely(pfn < slab_map_pfns))
		__kfree_other(p, slab_class_map[pfn], pfn);
	else
		__kfree_slow(p);
#endif
}
EXPORT_SYMBOL(kfree);

int kfree_checked(const void *p)
{
	return kfree_hooked(p, _RET_IP_, "kfree");
}

size_t ksize(const void *p)
{
	struct obj_ref ref;
	int kind;

	if (ZERO_OR_NULL_PTR(p))
		return 0;
	kind = classify(p, &ref);
	if (kind < 0) {
		report_bad_free("ksize", p, kind, _RET_IP_);
		return 0;
	}
	/* The caller may now use all of it. */
	kasan_unpoison(p, kind == 1 ? ref.c->size : PAGE_SIZE << page_order(ref.page));
	return kind == 1 ? ref.c->size : PAGE_SIZE << page_order(ref.page);
}

void *krealloc(const void *p, size_t new_size)
{
	struct obj_ref ref;
	size_t old;
	void *n;
	int kind;

	slab_entry();
	if (slab_trap_refused("krealloc", _RET_IP_))
		return NULL;
	if (ZERO_OR_NULL_PTR(p))
		return should_fail_slab(new_size, GFP_KERNEL) ? NULL :
		       kasan_alloc_hook(kmalloc_slow(new_size), new_size, _RET_IP_);
	if (KASAN && kasan_free_precheck(p, _RET_IP_))
		return NULL;
	kind = classify(p, &ref);
	if (kind < 0) {
		report_bad_free("krealloc", p, kind, _RET_IP_);
		return NULL;
	}
	if (!new_size) {
		kfree_hooked(p, _RET_IP_, "krealloc");
		return ZERO_SIZE_PTR;
	}
	if (kind == 1) {
		old = ref.c->size;
		if (ref.c->cls >= NR_KMALLOC) {
			report_bad_free("krealloc", p, -EFAULT, _RET_IP_);
			return NULL;
		}
		if (new_size <= KMALLOC_MAX_CACHE_SIZE && kmalloc_class(new_size) == ref.c->cls)
			return kasan_alloc_hook((void *)p, new_size, _RET_IP_);
	} else {
		old = PAGE_SIZE << page_order(ref.page);
		if (new_size > KMALLOC_MAX_CACHE_SIZE &&
		    new_size <= (PAGE_SIZE << MAX_ORDER) &&
		    order_base_2(DIV_ROUND_UP(new_size, PAGE_SIZE)) == page_order(ref.page))
			return kasan_alloc_hook((void *)p, new_size, _RET_IP_);
	}
	n = should_fail_slab(new_size, GFP_KERNEL) ? NULL :
	    kasan_alloc_hook(kmalloc_slow(new_size), new_size, _RET_IP_);
	if (!n)
		return NULL;
	memcpy(n, p, min(old, new_size));
	kfree_hooked(p, _RET_IP_, "krealloc");
	return n;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (!ZERO_OR_NULL_PTR(p))
		memset(p, 0, size);
	return p;
}

void *kcalloc(size_t n, size_t size)
{
	size_t bytes;

	if (check_mul_overflow(n, size, &bytes)) {
		if (__ratelimit(rs()))
			pr_err("kcalloc(%zu, %zu): size overflows\n", n, size);
		return NULL;
	}
	return kzalloc(bytes);
}

struct kmem_cache *kmalloc_cache(size_t size)
{
	if (!size || size > KMALLOC_MAX_CACHE_SIZE)
		return NULL;
	return &kmalloc_caches[kmalloc_class(size)];
}

unsigned long kmalloc_usage(unsigned long *slab_pages)
{
	struct kmem_cache_stats st;
	unsigned long pages = 0, inuse = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(kmalloc_caches); i++) {
		kmem_cache_get_stats(&kmalloc_caches[i], -1, &st);
		pages += st.slabs << st.order;
		inuse += st.objs_inuse;
	}
	if (slab_pages)
		*slab_pages = pages;
	return inuse;
}

/* ---------------------------------------------------------------------
 * Typed caches
 */

/* Geometry of @c from size/align; false if it does not fit a slab. */
static bool cache_layout(struct kmem_cache *c, size_t size, size_t align, bool kmalloc_class,
			 bool ctor)
{
	size_t sz = ALIGN(size, align), pad = 0, stride;

	if (DEBUG)
		pad = kmalloc_class ? max_t(size_t, size, 64) : ALIGN((size_t)64, align);
	else if (ctor)
		pad = ALIGN(sizeof(void *), align);	/* the link must not hit constructed state */
	stride = sz + pad;
	c->size = (unsigned int)size;
	c->stride = (unsigned int)stride;
	c->order = order_base_2(DIV_ROUND_UP(stride, PAGE_SIZE));
	if (c->order > MAX_SLAB_ORDER)
		return false;
	c->objs = (unsigned int)((PAGE_SIZE << c->order) / stride);
	if (DEBUG)
		c->link_off = (unsigned int)(sz + offsetof(struct slab_track, link));
	else
		c->link_off = ctor ? (unsigned int)sz : 0;
	return true;
}

static void cache_init(struct kmem_cache *c, const char *name, unsigned int flags,
		       void (*ctor)(void *))
{
	unsigned long lf;

	c->name = name;
	c->flags = flags;
	c->ctor = ctor;
	c->t1 = -1;
	spin_lock_init(&c->lock);
	INIT_LIST_HEAD(&c->partial);
	INIT_LIST_HEAD(&c->full);
	INIT_LIST_HEAD(&c->empty);
	spin_lock_irqsave(&cache_list_lock, lf);
	list_add_tail(&c->list, &cache_list);
	spin_unlock_irqrestore(&cache_list_lock, lf);
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned int flags, void (*ctor)(void *obj))
{
	struct kmem_cache *c;

	if (!name || !size || size > KMALLOC_MAX_CACHE_SIZE ||
	    (align && (!is_power_of_2(align) || align > PAGE_SIZE)) ||
	    (flags & ~(SLAB_HWCACHE_ALIGN | SLAB_NO_TIER2))) {
		pr_err("kmem_cache_create(%s, %zu, %zu, %#x): bad argument (-EINVAL)\n",
		       name ? name : "(null)", size, align, flags);
		return NULL;
	}
	align = max_t(size_t, align, 8);
	if (flags & SLAB_HWCACHE_ALIGN)
		align = max_t(size_t, align, 64);
	c = kzalloc(sizeof(*c));
	if (!c) {
		pr_err("kmem_cache_create(%s): no memory\n", name);
		return NULL;
	}
	if (!cache_layout(c, size, align, false, ctor != NULL)) {
		pr_err("kmem_cache_create(%s, %zu): object too large for a slab\n", name, size);
		kfree(c);
		return NULL;
	}
	c->cls = CLS_TYPED + c->order;
	cache_init(c, name, flags, ctor);
	return c;
}

int kmem_cache_destroy(struct kmem_cache *c)
{
	unsigned long flags;
	bool busy;

	if (!c)
		return 0;
	if (c->cls < NR_KMALLOC || c == &tcache_cache) {
		pr_err("kmem_cache_destroy(%s): built-in cache (-EINVAL)\n", c->name);
		return -EINVAL;
	}
	kmem_drain_all();
	spin_lock_irqsave(&c->lock, flags);
	busy = c->nr_slabs != c->nr_empty;
	spin_unlock_irqrestore(&c->lock, flags);
	if (busy) {
		pr_err("kmem_cache_destroy(%s): objects still allocated (-EBUSY)\n", c->name);
		return -EBUSY;
	}
	cache_shrink(c, 0);
	spin_lock_irqsave(&cache_list_lock, flags);
	list_del(&c->list);
	spin_unlock_irqrestore(&cache_list_lock, flags);
	kfree(c);
	return 0;
}

void *kmem_cache_alloc(struct kmem_cache *c)
{
	void *obj;

	if (should_fail_slab(c->size, GFP_KERNEL))
		return NULL;
	if (unlikely(in_trap()))
		return slab_trap_null("kmem_cache_alloc");
	if (TIER2 && !DEBUG && !KASAN && likely(!(c->flags & (SLAB_NO_TIER2 | SLAB_KMALLOC_AC)))) {
		obj = t2_pop(c);
		if (likely(obj))
			return obj;
	}
	obj = cache_alloc(c);
	if (DEBUG && obj)
		debug_alloc(c, obj, _RET_IP_);
	if (KASAN && obj)
		kasan_slab_alloc(obj, c->size, c->size, _RET_IP_);
	return obj;
}

/* Does @obj start an object of typed cache @c?  O(1), never dereferences @obj. */
static __always_inline bool typed_obj_of(const struct kmem_cache *c, const void *obj)
{
	unsigned long pfn = addr_pfn(obj), head;

	if (unlikely(pfn >= slab_map_pfns) || slab_class_map[pfn] != c->cls)
		return false;
	head = pfn & ~((1UL << c->order) - 1);
	return pfn_to_page(head)->slab_cache == c &&
	       !(((unsigned long)obj - (unsigned long)page_address(pfn_to_page(head))) % c->stride);
}

static noinline void kmem_cache_free_slow(struct kmem_cache *c, void *obj)
{
	unsigned long ip = _RET_IP_;
	struct obj_ref ref;
	int kind;

	if (!obj)
		return;
	kind = classify(obj, &ref);
	if (kind != 1 || ref.c != c) {
		if (kind == 1)
			slab_report("kmem_cache_free(%s, %p) from %pS: object of %s, refused\n",
				    c->name, obj, (void *)ip, ref.c->name);
		else
			report_bad_free("kmem_cache_free", obj, kind == 2 ? -EFAULT : kind, ip);
		return;
	}
	if (KASAN && kasan_slab_free(obj, c->size, ip)) {
		__atomic_fetch_add(&slab_errors, 1, __ATOMIC_RELAXED);
		return;
	}
	if (KASAN) {
		free_slab_quarantined(c, obj, ip);
		return;
	}
	free_slab_obj(c, obj, ip);
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	if (unlikely(in_trap()))
		return slab_trap_void("kmem_cache_free");
	if (TIER2 && !DEBUG && !KASAN && likely(!(c->flags & (SLAB_NO_TIER2 | SLAB_KMALLOC_AC))) &&
	    likely(c->t1 < 0) &&
	    likely(typed_obj_of(c, obj)) && likely(t2_push(c, obj)))
		return;
	kmem_cache_free_slow(c, obj);
}

size_t kmem_cache_size(const struct kmem_cache *c)
{
	return c->size;
}

/* ---------------------------------------------------------------------
 * Reclaim, statistics, checks
 */

unsigned long kmem_drain_all(void)
{
	struct kmem_cache *c;
	unsigned long flags, pages = 0;

	/* Quarantined objects first: they are in use as far as the tiers know. */
	kasan_quarantine_drain();
	kmem_flush_current();
#ifdef __HOSTED__
	/* Hosted "CPUs" are threads; the caller has joined the others. */
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		drain_cpu_arrays(cpu);
#else
	if (on_each_cpu)
		on_each_cpu(drain_local, NULL, true);
	else
		drain_local(NULL);
#endif
	spin_lock_irqsave(&cache_list_lock, flags);
	list_for_each_entry(c, &cache_list, list) {
		/* cache_shrink() takes c->lock; nesting in this order only. */
		pages += cache_shrink(c, 0);
	}
	spin_unlock_irqrestore(&cache_list_lock, flags);
	return pages;
}

void kmem_cache_get_stats(struct kmem_cache *c, int cpu, struct kmem_cache_stats *st)
{
	struct slab_tcache *tc;
	unsigned long flags;

	memset(st, 0, sizeof(*st));
	st->name = c->name;
	st->size = c->size;
	st->stride = c->stride;
	st->objs_per_slab = c->objs;
	st->order = c->order;
	spin_lock_irqsave(&c->lock, flags);
	st->slabs = c->nr_slabs;
	st->empty_slabs = c->nr_empty;
	st->objs_slab_free = c->nr_slab_free;
	st->slab_allocs = c->slab_allocs;
	st->slab_frees = c->slab_frees;
	st->slabs_created = c->slabs_created;
	st->slabs_freed = c->slabs_freed;
	spin_unlock_irqrestore(&c->lock, flags);
	st->objs_total = st->slabs * c->objs;
	for (unsigned int i = 0; i < NR_CPUS; i++) {
		const struct slab_cpu_stats *s = &c->stats[i];

		if (cpu >= 0 && (unsigned int)cpu != i)
			continue;
		st->t1_hits += READ_ONCE(s->t1_hits);
		st->t1_misses += READ_ONCE(s->t1_misses);
		st->t1_flushes += READ_ONCE(s->t1_flushes);
#ifdef CONFIG_SLAB_TIER_PERCPU
		const struct array_cache *ac = cpu_ac_any(c, i);

		if (!ac)
			continue;
		st->t2_hits += READ_ONCE(ac->hits);
		st->t2_misses += READ_ONCE(ac->misses);
		st->t2_drains += READ_ONCE(ac->drains);
		st->objs_cached += READ_ONCE(ac->avail);
#endif
	}
	if (c->t1 >= 0) {
		spin_lock_irqsave(&tc_list_lock, flags);
		list_for_each_entry(tc, &tc_list, node) {
			if (cpu >= 0 && (unsigned int)cpu != tc->cpu)
				continue;
			st->t1_hits += READ_ONCE(tc->hot.hits[c->t1]);
			st->t1_misses += READ_ONCE(tc->misses[c->t1]);
			st->t1_flushes += READ_ONCE(tc->flushes[c->t1]);
			st->objs_cached += tc_cached(tc, c->t1);
		}
		spin_unlock_irqrestore(&tc_list_lock, flags);
	}
	st->objs_inuse = st->objs_total - st->objs_slab_free - st->objs_cached;
}

unsigned long kmem_error_count(void)
{
	return __atomic_load_n(&slab_errors, __ATOMIC_RELAXED);
}

unsigned long kmalloc_large_pages(void)
{
	long n = __atomic_load_n(&large_pages, __ATOMIC_RELAXED);

	return n > 0 ? (unsigned long)n : 0;
}

/* Check one slab; lock held.  Return: violations. */
static unsigned long check_slab(struct kmem_cache *c, struct page *pg, int want)
{
	unsigned long bad = 0, nfree = 0;
	char *base = page_address(pg);

	if (page_type(pg) != PAGE_TYPE_SLAB || pg->slab_cache != c ||
	    READ_ONCE(slab_class_map[page_to_pfn(pg)]) != c->cls) {
		pr_err("check: %s: slab %p has bad metadata\n", c->name, base);
		return 1;
	}
	for (void *o = pg->freelist; o; o = *free_link(c, o)) {
		unsigned long off = (unsigned long)((char *)o - base);

		if (off % c->stride || off / c->stride >= c->objs || ++nfree > c->objs) {
			pr_err("check: %s: slab %p freelist has %p\n", c->name, base, o);
			return bad + 1;
		}
	}
	if (nfree + pg->counters != c->objs) {
		pr_err("check: %s: slab %p: %lu free + %lu in use != %u\n", c->name, base,
		       nfree, pg->counters, c->objs);
		bad++;
	}
	if ((want == 0 && pg->counters != 0) || (want == 2 && nfree) ||
	    (want == 1 && (!nfree || !pg->counters))) {
		pr_err("check: %s: slab %p on the wrong list\n", c->name, base);
		bad++;
	}
	return bad;
}

unsigned long kmem_check(void)
{
	struct kmem_cache *c;
	unsigned long flags, bad = 0;

	spin_lock_irqsave(&cache_list_lock, flags);
	list_for_each_entry(c, &cache_list, list) {
		unsigned long slabs = 0, empty = 0, nfree = 0;
		struct page *pg;

		spin_lock(&c->lock);
		list_for_each_entry(pg, &c->empty, slab_list) {
			bad += check_slab(c, pg, 0);
			slabs++;
			empty++;
			nfree += c->objs - pg->counters;
		}
		list_for_each_entry(pg, &c->partial, slab_list) {
			bad += check_slab(c, pg, 1);
			slabs++;
			nfree += c->objs - pg->counters;
		}
		list_for_each_entry(pg, &c->full, slab_list) {
			bad += check_slab(c, pg, 2);
			slabs++;
		}
		if (slabs != c->nr_slabs || empty != c->nr_empty || nfree != c->nr_slab_free) {
			pr_err("check: %s: counted %lu slabs, %lu empty, %lu free; recorded %lu, %lu, %lu\n",
			       c->name, slabs, empty, nfree, c->nr_slabs, c->nr_empty,
			       c->nr_slab_free);
			bad++;
		}
		spin_unlock(&c->lock);
	}
	spin_unlock_irqrestore(&cache_list_lock, flags);
	return bad;
}

static void show_cache(struct kmem_cache *c, int cpu)
{
	struct kmem_cache_stats st;

	kmem_cache_get_stats(c, cpu, &st);
	if (cpu < 0)
		printk(KERN_INFO "%-14s %5u %6lu %6lu %7lu %5lu %4lu %9lu %7lu %9lu %7lu %6lu\n",
		       st.name, st.size, st.objs_inuse, st.objs_cached, st.objs_total, st.slabs,
		       st.empty_slabs, st.t1_hits, st.t1_misses, st.t2_hits, st.t2_misses,
		       st.t2_drains);
	else if (st.t1_hits || st.t1_misses || st.t2_hits || st.t2_misses)
		printk(KERN_INFO "  cpu%-3d %-14s t1 %lu/%lu  t2 %lu/%lu drains %lu\n", cpu,
		       st.name, st.t1_hits, st.t1_misses, st.t2_hits, st.t2_misses, st.t2_drains);
}

void kmem_show_slabinfo(bool per_cpu)
{
	struct kmem_cache *c, *caches[64];
	unsigned int n = 0;
	unsigned long flags;

	/* Snapshot the list: the stats take other locks. */
	spin_lock_irqsave(&cache_list_lock, flags);
	list_for_each_entry(c, &cache_list, list)
		if (n < ARRAY_SIZE(caches))
			caches[n++] = c;
	spin_unlock_irqrestore(&cache_list_lock, flags);
	printk(KERN_INFO "%-14s %5s %6s %6s %7s %5s %4s %9s %7s %9s %7s %6s\n", "# name", "size",
	       "inuse", "cached", "total", "slabs", "empt", "t1_hits", "t1_miss", "t2_hits",
	       "t2_miss", "drains");
	for (unsigned int i = 0; i < n; i++)
		show_cache(caches[i], -1);
	printk(KERN_INFO "large kmalloc: %lu pages; errors reported: %lu; tiers: thread %s, per-CPU %s, debug %s\n",
	       kmalloc_large_pages(), kmem_error_count(), TIER1 ? "on" : "off",
	       TIER2 ? "on" : "off", DEBUG ? "on" : "off");
	if (!per_cpu)
		return;
	unsigned int cpu;

	for_each_online_cpu(cpu)
		for (unsigned int i = 0; i < n; i++)
			show_cache(caches[i], (int)cpu);
}

#ifndef __HOSTED__
static int cmd_slabinfo(int argc, char **argv)
{
	if (argc > 1 && shell_arg_choice(argv[0], argv[1], "-c") < 0)
		return -EINVAL;
	kmem_show_slabinfo(argc > 1);
	return 0;
}
DEFINE_SHELL_CMD_ARGS(slabinfo, "[-c]", 0, 1,
		      "kmalloc caches: objects, slabs, tier hits/misses (-c: per CPU)", cmd_slabinfo);
#endif

/* ---------------------------------------------------------------------
 * Initialisation
 */

#ifndef __HOSTED__
/* Frames covered by one 2 MiB page of the class map: 8 GiB of address space. */
#define MAP_CHUNK_PAGES		(PMD_SIZE / PAGE_SIZE)
#define MAP_CHUNK_FRAMES	(PMD_SIZE * 1UL)

/* Is any frame of [@start, @end) RAM? */
static bool ram_in(unsigned long start, unsigned long end)
{
	phys_addr_t base;
	u64 size;

	for (unsigned int i = 0; memblock_memory_region(i, &base, &size); i++)
		if (PHYS_PFN(base) < end && PHYS_PFN(base + size - 1) >= start)
			return true;
	return false;
}

/*
 * The class map is virtually contiguous at SLAB_CLASS_MAP_START, so that
 * no machine size needs one physically contiguous block for it (one byte
 * per frame is 256 MiB for 1 TiB, and one buddy block holds at most
 * 2^MAX_ORDER pages).  It is built in 2 MiB pieces, each covering 8 GiB of
 * the physical address space: a piece over RAM gets a buddy block of its
 * own (smaller ones if memory is fragmented) filled with CLS_NONE; a piece
 * over a hole without any RAM (AMD machines of 1 TiB and more have one of
 * about 1 TiB below their RAM) shares one read-only block of CLS_NONE,
 * since no slab ever lives there.  Returns the bytes filled.
 */
static long class_map_alloc(unsigned long pages)
{
	phys_addr_t none = 0;
	unsigned long done = 0;
	long filled = 0;

	if (pages > (SLAB_CLASS_MAP_END - SLAB_CLASS_MAP_START) / PAGE_SIZE)
		return -E2BIG;
	while (done < pages) {
		unsigned long va = SLAB_CLASS_MAP_START + done * PAGE_SIZE;
		unsigned long n = min(pages - done, MAP_CHUNK_PAGES - done % MAP_CHUNK_PAGES);
		unsigned long first = done * PAGE_SIZE;
		phys_addr_t pa;
		int err;

		if (n == MAP_CHUNK_PAGES && !ram_in(first, first + MAP_CHUNK_FRAMES)) {
			if (!none) {
				err = alloc_contiguous(MAP_CHUNK_PAGES, &none);
				if (err)
					return err;
				memset64(phys_to_virt(none), 0x0101010101010101ULL * CLS_NONE,
					 PMD_SIZE / 8);
			}
			err = map_page(va, none, PAGE_HUGE_2M);
			if (err)
				return err;
			done += n;
			continue;
		}
		while ((err = alloc_contiguous(n, &pa)) == -ENOMEM && n > 1)
			n = 1UL << ilog2(n - 1);
		if (err)
			return err;
		err = map_range(va, pa, n * PAGE_SIZE, PAGE_WRITABLE);
		if (err) {
			free_contiguous(pa, n);
			return err;
		}
		memset64((u64 *)va, 0x0101010101010101ULL * CLS_NONE, n * PAGE_SIZE / 8);
		filled += n * PAGE_SIZE;
		done += n;
	}
	slab_class_map = (u8 *)SLAB_CLASS_MAP_START;
	return filled;
}
#else
/* Hosted: a small machine, the map in one block of its arena. */
static long class_map_alloc(unsigned long pages)
{
	phys_addr_t pa;
	int err = alloc_contiguous(pages, &pa);

	if (err)
		return err;
	slab_class_map = phys_to_virt(pa);
	memset64((u64 *)slab_class_map, 0x0101010101010101ULL * CLS_NONE, pages * PAGE_SIZE / 8);
	return pages * PAGE_SIZE;
}
#endif

void kmem_cache_init(void)
{
	static bool exit_hook_registered;
	/* The built-in caches are .bss: only a hosted re-init must clear them. */
	bool reinit = slab_ready;
	long map_bytes;

	slab_rs = (struct ratelimit_state){ 0 };
	INIT_LIST_HEAD(&cache_list);
	INIT_LIST_HEAD(&tc_list);
	slab_map_pfns = max_pfn;
#ifdef __HOSTED__
	slab_pfn_bias = (unsigned long)hosted_ram_base >> PAGE_SHIFT;
	BUG_ON(slab_pfn_bias << PAGE_SHIFT != (unsigned long)hosted_ram_base);
#else
	slab_pfn_bias = PAGE_OFFSET >> PAGE_SHIFT;
#endif
	slab_map_pages = DIV_ROUND_UP(max_pfn, PAGE_SIZE);
	map_bytes = class_map_alloc(slab_map_pages);
	if (map_bytes < 0)
		panic("slab: no memory for the class map (%lu pages): %ld", slab_map_pages,
		      map_bytes);

	for (unsigned int i = 0; i < NR_CLS; i++)
		slab_t1_free_mask[i] = t2_free_mask[i] = ~0UL;
	for (unsigned int i = 0; i < NR_KMALLOC; i++) {
		struct kmem_cache *c = &kmalloc_caches[i];
		size_t size = 16UL << i;
		unsigned int kflags = 0;

		if (reinit)
			memset(c, 0, sizeof(*c));
		BUG_ON(!cache_layout(c, size, size, true, false));
		c->cls = i;
#if defined(CONFIG_SLAB_TIER_PERCPU) && !defined(__HOSTED__)
		c->pcpu_ac = &kmalloc_ac[i];
		kflags = SLAB_KMALLOC_AC;
#endif
		cache_init(c, kmalloc_names[i], kflags, NULL);
		if (TIER1 && i < NR_T1) {
			c->t1 = (int)i;
			if (!DEBUG)
				slab_t1_free_mask[i] = size - 1;
		} else if (TIER2 && i >= NR_T1 && !DEBUG) {
			t2_free_mask[i] = size - 1;
		}
	}
	if (reinit)
		memset(&tcache_cache, 0, sizeof(tcache_cache));
	BUG_ON(!cache_layout(&tcache_cache, sizeof(struct slab_tcache), 64, false, false));
	tcache_cache.cls = CLS_TYPED + tcache_cache.order;
	cache_init(&tcache_cache, "slab_tcache", 0, NULL);
	if (TIER1 && !exit_hook_registered) {
		register_task_exit_hook(&slab_exit_hook);
		exit_hook_registered = true;
	}
	large_pages = 0;
	WRITE_ONCE(slab_ready, true);
	pr_info("kmalloc: 16..4096 B in %u slab classes (tier 1 %s <= 256 B, tier 2 %s), class map %lu KiB (%ld KiB over RAM)%s\n",
		NR_KMALLOC, TIER1 ? "on" : "off", TIER2 ? "on" : "off",
		(slab_map_pages * PAGE_SIZE) >> 10, map_bytes >> 10, DEBUG ? ", debugging on" : "");
}
