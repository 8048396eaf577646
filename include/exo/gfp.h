/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allocation context flags (gfp_t), shared by the page allocator
 * (<exo/page_alloc.h>) and the slab (<exo/slab.h>).  The names and the
 * meaning a driver relies on are Linux's; Documentation/mm/api.rst says
 * what each one does here.
 */
#ifndef _EXO_GFP_H
#define _EXO_GFP_H

#include <exo/types.h>

#define ___GFP_DMA	0x01u
#define ___GFP_DMA32	0x02u
#define ___GFP_ZERO	0x100u
#define ___GFP_NOWARN	0x200u
#define ___GFP_ATOMIC	0x400u
#define ___GFP_NOFAIL	0x800u
#define ___GFP_THISNODE	0x1000u
#define ___GFP_NORETRY	0x2000u

/* Zone modifiers: only memory below 16 MiB / below 4 GiB. */
#define __GFP_DMA	((__force gfp_t)___GFP_DMA)
#define __GFP_DMA32	((__force gfp_t)___GFP_DMA32)
/* Fill the allocation with zeroes. */
#define __GFP_ZERO	((__force gfp_t)___GFP_ZERO)
/* Do not log an allocation failure. */
#define __GFP_NOWARN	((__force gfp_t)___GFP_NOWARN)
/* Never wait: no cross-CPU cache drain, no thread-cache creation. */
#define __GFP_ATOMIC	((__force gfp_t)___GFP_ATOMIC)
/*
 * The caller cannot handle failure.  There is no reclaim to wait for, so
 * this is honoured only as far as the ordinary retry (drain the caches,
 * try again) goes; it is refused at once with a WARN and NULL when it is
 * combined with __GFP_ATOMIC (nothing may be waited for) or asks for more
 * than two pages (order > 1, as Linux), and a request that still fails
 * after the retry WARNs and returns NULL.  See gfp_nofail_refused().
 */
#define __GFP_NOFAIL	((__force gfp_t)___GFP_NOFAIL)

/*
 * With alloc_pages_node() and kmalloc_node(): only memory of that node (of
 * the nearest node with memory for a memoryless one), no fallback.
 */
#define __GFP_THISNODE	((__force gfp_t)___GFP_THISNODE)

/*
 * Try once: no drain of the caches (no IPIs to the other CPUs) and no
 * retry before failing.  For a cheap first attempt that has a fallback,
 * such as a node-local one before any node (the slab refills).
 */
#define __GFP_NORETRY	((__force gfp_t)___GFP_NORETRY)

/* Thread context: may wait (might_sleep() checks it). */
#define GFP_KERNEL	((__force gfp_t)0u)
/* Interrupt handlers, spinlocks held, interrupts off: never waits. */
#define GFP_ATOMIC	__GFP_ATOMIC
/*
 * Never waits either.  Linux gives GFP_ATOMIC emergency reserves that
 * GFP_NOWAIT lacks; there are no reserves here, so the two are the same.
 */
#define GFP_NOWAIT	__GFP_ATOMIC
#define GFP_DMA		__GFP_DMA
#define GFP_DMA32	__GFP_DMA32

/* The flags that choose a zone. */
#define GFP_ZONEMASK	(__GFP_DMA | __GFP_DMA32)

/**
 * gfpflags_allow_blocking() - may an allocation with @gfp wait?
 * @gfp: the flags
 * Return: true unless __GFP_ATOMIC (GFP_ATOMIC, GFP_NOWAIT) is set.
 */
static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return !((__force unsigned int)gfp & ___GFP_ATOMIC);
}

/**
 * gfp_nofail_refused() - is a __GFP_NOFAIL request refused up front?
 * @gfp: the flags, __GFP_NOFAIL set
 * @order: the allocation's order (slab objects: 0)
 *
 * The caller WARNs and fails the request (NULL) when this is true.
 * Return: true with __GFP_ATOMIC or above order 1.
 */
static inline bool gfp_nofail_refused(gfp_t gfp, unsigned int order)
{
	return !gfpflags_allow_blocking(gfp) || order > 1;
}

#endif /* _EXO_GFP_H */
