/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the module suite's files: kernel/module_test.c (loading,
 * refusals, drivers; the suite) and kernel/module_ref_test.c (references
 * against unload).
 */
#ifndef _KERNEL_MODULE_TEST_H
#define _KERNEL_MODULE_TEST_H

#include <exo/ktest.h>
#include <exo/module.h>

#include "module-internal.h"

static inline const struct modtest_blob *blob(const char *name)
{
	return modtest_blob(name);
}

/*
 * Load the embedded module @name; a missing one fails and aborts the test
 * at @file:@line, the caller's (load_blob() passes them).
 */
static inline int __load_blob(struct ktest *t, const char *file, int line,
			      const char *name, struct module **mod)
{
	const struct modtest_blob *b = blob(name);

	if (!b) {
		ktest_fail(t, file, line, "no embedded module %s", name);
		ktest_abort(t);
	}
	return load_module(b->start, b->end - b->start, mod);
}

#define load_blob(t, name, mod)	__load_blob(t, __FILE__, __LINE__, name, mod)

/* kernel/module_ref_test.c */
void test_unload_busy_while_got(struct ktest *t);
void test_try_module_get_vs_unload_smp(struct ktest *t);
void test_try_module_get_unload_in_window(struct ktest *t);
void test_sprint_symbol_vs_unload_smp(struct ktest *t);
void test_unbalanced_put_refused(struct ktest *t);

#endif /* _KERNEL_MODULE_TEST_H */
