/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hosted steps of the kmalloc/kfree tier-1 fast paths (<exo/slab.h>): the
 * same operations in C.  The left and room words of slab_no_tcache are
 * shared by every thread (I6 in mm/slab.h), so they are read and written
 * with relaxed atomics, which ThreadSanitizer sees as the benign race it
 * is.
 */
#ifndef _ASM_HOSTED_SLAB_H
#define _ASM_HOSTED_SLAB_H

static __always_inline bool arch_slab_room_take(struct slab_tcache_hot *tc, unsigned long i)
{
	long room = __atomic_load_n(&tc->room[i], __ATOMIC_RELAXED) - 1;

	__atomic_store_n(&tc->room[i], room, __ATOMIC_RELAXED);
	return room >= 0;
}

static __always_inline bool arch_slab_left_take(struct slab_tcache_hot *tc, unsigned long i)
{
	long left = __atomic_load_n(&tc->left[i], __ATOMIC_RELAXED) - 1;

	__atomic_store_n(&tc->left[i], left, __ATOMIC_RELAXED);
	return left >= 0;
}

#define arch_slab_mask_test(p, mask)	(((unsigned long)(p) & (mask)) != 0)

static __always_inline void arch_slab_push_freed(struct slab_tcache_hot *tc, unsigned long cls,
						 const void *p)
{
	*(void **)p = tc->freed[cls];
	tc->freed[cls] = (void *)p;
}

#endif /* _ASM_HOSTED_SLAB_H */
