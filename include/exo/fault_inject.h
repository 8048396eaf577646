/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault injection (CONFIG_FAULT_INJECTION, lib/fault_inject.c): make chosen
 * calls fail on purpose so that tests reach every error path.
 *
 * A struct fault_attr describes when should_fail() says "fail", with the
 * attributes of Linux's fault-injection framework:
 *
 *   probability  percent of eligible calls that fail (0 = injection off)
 *   interval     only every interval-th eligible call may fail (1 = each)
 *   times        failures left; -1 = no limit, 0 = done
 *   space        size budget: calls pass, consuming their size from it,
 *                until it is exhausted; only then are calls eligible
 *   verbose      0 silent, 1 one log line per failure, 2 plus a backtrace
 *   task         only calls made by this thread fail (NULL = any)
 *
 * Boot parameters and the `fault` shell command set them:
 *
 *   fail_page_alloc=<interval>,<probability>,<space>,<times>
 *   fail_slab=...  fail_pgtable=...        (same format; armed at the end
 *                                           of boot, not during it)
 *   fault                                  list the attributes and counts
 *   fault <name> <interval>,<probability>,<space>,<times>
 *   fault <name> off | verbose <0-2>
 *
 * Hooks: should_fail_page_alloc() at the top of the page allocator's
 * alloc_frame(), alloc_contiguous() and alloc_pages(); should_fail_slab()
 * first thing in kmalloc() (so kzalloc and kcalloc), in krealloc() where
 * it needs a new object (a failed krealloc leaves the old one intact) and
 * in kmem_cache_alloc(); should_fail_pgtable() where mm/pgtable.c takes a
 * page-table page (table_alloc(): every level of map_page/map_range, the
 * split of a huge page, and mm_create()'s PML4).  With injection off each
 * costs one load and a predicted branch; with CONFIG_FAULT_INJECTION=n,
 * nothing.
 */
#ifndef _EXO_FAULT_INJECT_H
#define _EXO_FAULT_INJECT_H

#include <exo/compiler.h>
#include <exo/types.h>

struct task_struct;

struct fault_attr {
	const char *name;
	unsigned long probability;	/* 0..100 */
	unsigned long interval;		/* >= 1 */
	long times;			/* -1 = unlimited */
	long space;
	unsigned int verbose;
	struct task_struct *task;
	unsigned long suspended;	/* probability put aside by a suspend */
	/* statistics and state, updated atomically */
	unsigned long count;		/* eligible calls (past space) */
	unsigned long nr_calls;		/* all calls while probability > 0 */
	unsigned long nr_failed;	/* failures injected */
	u64 rnd;			/* xorshift state */
};

#define FAULT_ATTR_INITIALIZER(n) {					\
	.name = n, .probability = 0, .interval = 1, .times = 1,		\
	.space = 0, .verbose = 1, .rnd = 0x9e3779b97f4a7c15ULL,		\
}

#ifdef CONFIG_FAULT_INJECTION
extern struct fault_attr fail_page_alloc;
extern struct fault_attr fail_slab;
extern struct fault_attr fail_pgtable;

/**
 * should_fail() - should this call fail?
 * @attr: the injection point's attributes
 * @size: size of the request (consumed from @attr->space)
 *
 * Context: any, including interrupts off.  Updates @attr's counters.
 * Return: true if the caller must fail the request (and report it as it
 * reports a real failure), false to go on normally.
 */
bool should_fail(struct fault_attr *attr, size_t size);

/**
 * setup_fault_attr() - set attributes from "interval,probability,space,times"
 * @attr: the attributes
 * @str: four comma-separated decimal numbers; times may be -1
 *
 * Also resets the statistics.  Logs and rejects malformed strings,
 * probability > 100 and interval 0; a rejected string changes nothing.
 * Return: 0 or -EINVAL.
 */
int setup_fault_attr(struct fault_attr *attr, const char *str);

/**
 * fault_attr_disable() - stop injecting at @attr (probability 0)
 * @attr: the attributes
 */
void fault_attr_disable(struct fault_attr *attr);

/**
 * fault_attr_find() - the attributes named @name ("fail_page_alloc", ...)
 * @name: the name, with or without the "fail_" prefix
 * Return: the attributes or NULL.
 */
struct fault_attr *fault_attr_find(const char *name);

/**
 * fault_inject_suspend() - switch every injection point off for a while
 *
 * Puts each attribute's probability aside (statistics and the other
 * fields stay), so that a workload can set itself up and check itself
 * without injected failures.  Not nestable; the caller owns the
 * attributes meanwhile (no `fault` command or setup_fault_attr() between
 * suspend and resume).
 * Return: how many attributes are suspended (were armed).
 */
unsigned int fault_inject_suspend(void);

/**
 * fault_inject_resume() - re-arm what fault_inject_suspend() put aside
 */
void fault_inject_resume(void);

/**
 * fault_inject_nr_failed() - failures injected so far, all points together
 *
 * A caller that sees this count unchanged across a failed call knows the
 * failure was not injected.
 * Return: the sum of every attribute's nr_failed.
 */
unsigned long fault_inject_nr_failed(void);

static __always_inline bool fault_attr_active(const struct fault_attr *attr)
{
	return unlikely(READ_ONCE(attr->probability) != 0);
}

/* Top of alloc_frame(), alloc_contiguous(), alloc_pages(). */
static __always_inline bool should_fail_page_alloc(gfp_t gfp, unsigned int order)
{
	(void)gfp;
	return fault_attr_active(&fail_page_alloc) &&
	       should_fail(&fail_page_alloc, (size_t)4096 << order);
}

/*
 * First thing in kmalloc()/kmem_cache_alloc(), and where krealloc() needs a
 * new object (mm/slab_common.c, mm/slab_cache_api.c, mm/slab_krealloc.c).
 * kmalloc(0) allocates nothing, so it cannot fail.
 */
static __always_inline bool should_fail_slab(size_t size, gfp_t gfp)
{
	(void)gfp;
	return fault_attr_active(&fail_slab) && size && should_fail(&fail_slab, size);
}

/* Before allocating a page-table page (mm/pgtable.c pgt_table_alloc()). */
static __always_inline bool should_fail_pgtable(void)
{
	return fault_attr_active(&fail_pgtable) && should_fail(&fail_pgtable, 4096);
}
#else
static inline unsigned int fault_inject_suspend(void)
{
	return 0;
}

static inline void fault_inject_resume(void)
{
}

static inline unsigned long fault_inject_nr_failed(void)
{
	return 0;
}

static inline bool should_fail_page_alloc(gfp_t gfp, unsigned int order)
{
	(void)gfp;
	(void)order;
	return false;
}

static inline bool should_fail_slab(size_t size, gfp_t gfp)
{
	(void)size;
	(void)gfp;
	return false;
}

static inline bool should_fail_pgtable(void)
{
	return false;
}
#endif

#endif /* _EXO_FAULT_INJECT_H */
