// SPDX-License-Identifier: GPL-2.0
/*
 * What a module's kmalloc() calls: <exo/slab.h> makes it a macro in a
 * module's build (and with SLAB_CALLS_AS_MODULE, as here), which calls
 * kmalloc_kernel() for a constant GFP_KERNEL and the exported kmalloc()
 * for anything else.  A case of the slab suite (mm/slab_test.c).
 */
#define SLAB_CALLS_AS_MODULE

#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/numa.h>
#include <exo/preempt.h>
#include <exo/slab.h>
#include <exo/spinlock.h>
#include <exo/string.h>

#include "slab.h"
#include "slab_test.h"

/* Count the calls the macro makes of kmalloc_kernel() (a macro expands at its use). */
static unsigned long kernel_calls;
#define kmalloc_kernel(size)	(kernel_calls++, (kmalloc_kernel)(size))

void test_module_kmalloc_calls(struct ktest *t)
{
	volatile gfp_t var = GFP_KERNEL;
	unsigned long n0;
	u8 *p;

	n0 = kernel_calls;
	p = kmalloc(64, GFP_KERNEL);
	KTEST_EXPECT_EQ(t, kernel_calls, n0 + 1);
	KTEST_ASSERT_NOT_NULL(t, p);
	memset(p, 0xff, 64);
	kfree(p);

	/* Zeroing, atomic or run-time flags: the flag-taking kmalloc(). */
	n0 = kernel_calls;
	p = kmalloc(64, GFP_KERNEL | __GFP_ZERO);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_TRUE(t, memchr_inv(p, 0, 64) == NULL);
	kfree(p);
	p = kmalloc(64, GFP_ATOMIC);
	KTEST_EXPECT_NOT_NULL(t, p);
	kfree(p);
	p = kmalloc(64, var);
	KTEST_EXPECT_NOT_NULL(t, p);
	kfree(p);
	p = kzalloc(64, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_TRUE(t, memchr_inv(p, 0, 64) == NULL);
	kfree(p);
	KTEST_EXPECT_EQ(t, kernel_calls, n0);
}

/* kfree() and kmalloc(1024, GFP_ATOMIC) with in_trap() true, as an exception handler runs them. */
static void *module_trap_calls(void *p)
{
	unsigned long flags;
	void *tc, *q;

	local_irq_save(flags);
	__preempt_count_add(TRAP_OFFSET);
	tc = slab_irq_enter();
	kfree(p);
	q = kmalloc(1024, GFP_ATOMIC);
	slab_irq_exit(tc);
	__preempt_count_add(-(int)TRAP_OFFSET);
	local_irq_restore(flags);
	return q;
}

/*
 * The tier-2 hits of the exported kmalloc() and kfree() (a built-in
 * caller takes the inline copies' calls to __kmalloc_big() and
 * __kfree_other() instead): a 1024-byte pair hits this CPU's array; an
 * interior pointer is refused with one error counted and the object
 * kept; in a trap both refuse, the object kept.  With several memory
 * nodes another node's object freed here goes to this CPU's remote-free
 * batch, not to the array.
 */
void test_module_kmalloc_t2(struct ktest *t)
{
	unsigned long err0;
	u8 *p, *q;

	if (!TIER2 || DEBUG || IS_ENABLED(CONFIG_KASAN))
		KTEST_SKIP(t, "no tier-2 hit paths in this build");
	p = kmalloc(1024, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	memset(p, 0x5a, 1024);

	/* A hit each: the array gives back the object it took, on the same CPU. */
	preempt_disable();
	kfree(p);
	q = kmalloc(1024, GFP_ATOMIC);
	preempt_enable();
	KTEST_EXPECT_TRUE(t, q == p);
	KTEST_ASSERT_NOT_NULL(t, q);

	/* An interior pointer: one error, the object still allocated. */
	err0 = kmem_error_count();
	kfree(p + 512);
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0 + 1);

	/* A trap: both refused (one error each), the object still allocated. */
	err0 = kmem_error_count();
	KTEST_EXPECT_NULL(t, module_trap_calls(p));
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0 + 2);
	KTEST_EXPECT_EQ(t, kfree_checked(p), 0);
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0 + 2);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);

#ifndef __HOSTED__
	/* Another node's object: to this CPU's remote-free batch (I10). */
	if (slab_multi_node()) {
		int nid, other = NUMA_NO_NODE;
		unsigned long flags, pending;

		for_each_node_state(nid, N_MEMORY)
			if (nid != numa_mem_id())
				other = nid;
		p = kmalloc_node(1024, GFP_KERNEL, other);
		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_EQ(t, page_to_nid(virt_to_page(p)), other);
		local_irq_save(flags);
		slab_remote_drain(smp_processor_id());
		kfree(p);
		pending = slab_remote_pending(kmalloc_cache(1024), smp_processor_id());
		slab_remote_drain(smp_processor_id());
		local_irq_restore(flags);
		KTEST_EXPECT_EQ(t, pending, 1UL);
	}
#endif
}
