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
#include <exo/slab.h>
#include <exo/string.h>

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
