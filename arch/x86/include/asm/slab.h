/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 steps of the kmalloc/kfree tier-1 fast paths (<exo/slab.h>, which
 * includes this after struct slab_tcache_hot).  Each is the one
 * instruction the path needs, addressed from the cache pointer and the
 * list number; written in C, gcc spends an extra lea or add on the
 * addressing, and the hit paths are about ten instructions long.
 */
#ifndef _ASM_X86_SLAB_H
#define _ASM_X86_SLAB_H

/* Take one unit of room of freed list @i (sub + sign); false if there was none. */
static __always_inline bool arch_slab_room_take(struct slab_tcache_hot *tc, unsigned long i)
{
	bool neg;

	__asm__ __volatile__("subq $1, %0" : "+m"(tc->room[i]), "=@ccs"(neg));
	return !neg;
}

/* Take one object's count of head list @i (sub + sign); false if it was empty. */
static __always_inline bool arch_slab_left_take(struct slab_tcache_hot *tc, unsigned long i)
{
	bool neg;

	__asm__ __volatile__("subq $1, %0" : "+m"(tc->left[i]), "=@ccs"(neg));
	return !neg;
}

/*
 * Is any bit of the word @mask (an lvalue, e.g. an array element) set in
 * @p?  One test with memory: a macro, so that the array indexing stays in
 * the memory operand.
 */
#define arch_slab_mask_test(p, mask) ({					\
	bool __set;							\
	__asm__("testq %1, %2" : "=@ccnz"(__set) : "r"(p), "m"(mask));	\
	__set;								\
})

/*
 * Push @p on freed list @cls of @tc.  The asm has no memory operands: the
 * list head is this thread's own, only these two statements touch it in
 * line, both come after arch_slab_room_take() (which is ordered against
 * every call), and out-of-line code reaches it through calls.
 */
static __always_inline void arch_slab_push_freed(struct slab_tcache_hot *tc, unsigned long cls,
						 const void *p)
{
	void *next;

	__asm__ __volatile__("movq %c3(%1,%2,8), %0"
			     : "=r"(next) : "r"(tc), "r"(cls),
			       "i"(__builtin_offsetof(struct slab_tcache_hot, freed)));
	*(void **)p = next;
	__asm__ __volatile__("movq %3, %c2(%0,%1,8)"
			     : : "r"(tc), "r"(cls),
			       "i"(__builtin_offsetof(struct slab_tcache_hot, freed)), "r"(p));
}

#endif /* _ASM_X86_SLAB_H */
