// SPDX-License-Identifier: GPL-2.0
/*
 * Static branches in a module (kernel/jump_label_test.c): one on a key of
 * its own, one on a key of the kernel's.  The loader sets both sites for
 * their keys' states before the text is made executable.  With
 * tracepoints, also a tracepoint's site.
 */
#include <exo/jump_label.h>
#include <exo/module.h>

DECLARE_STATIC_KEY_FALSE(jump_label_test_key);

int modtest_jump_own(void);
int modtest_jump_kernel(void);

DECLARE_STATIC_KEY_FALSE(modtest_jump_key);
DEFINE_STATIC_KEY_FALSE(modtest_jump_key);
EXPORT_SYMBOL_GPL(modtest_jump_key);

noinline int modtest_jump_own(void)
{
	if (static_branch_unlikely(&modtest_jump_key))
		return 1;
	return 0;
}
EXPORT_SYMBOL_GPL(modtest_jump_own);

noinline int modtest_jump_kernel(void)
{
	if (static_branch_unlikely(&jump_label_test_key))
		return 1;
	return 0;
}
EXPORT_SYMBOL_GPL(modtest_jump_kernel);

#if defined(CONFIG_TRACEPOINTS) && defined(CONFIG_KTEST)
#include <trace/events/ktest.h>

/*
 * A tracepoint site in a module (kernel/trace/trace_test.c): its static
 * branch on the kernel's key, its call to the kernel's thunk and recorder.
 */
noinline void modtest_tp_site(unsigned long cookie);
noinline void modtest_tp_site(unsigned long cookie)
{
	trace_ktest_frame(cookie);
}
EXPORT_SYMBOL_GPL(modtest_tp_site);
#endif

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("static branches in a module (jump_label ktest)");
