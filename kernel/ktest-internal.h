/* SPDX-License-Identifier: GPL-2.0 */
/* The ktest runner's internals that its own tests (ktest_test.c) reach. */
#ifndef _KERNEL_KTEST_INTERNAL_H
#define _KERNEL_KTEST_INTERNAL_H

#include <exo/ktest.h>

/*
 * ktest_filter_selects() - does @filter select case @c of @s (or, with @c
 * NULL, the suite @s)?  @filter is NULL (everything) or a comma-separated
 * list of "suite" and "suite.case" items, each optionally prefixed with
 * '-' to leave it out; with no positive item everything is in before the
 * '-' items come out.  "-suite.case" never leaves out the whole suite.
 */
bool ktest_filter_selects(const char *filter, const struct ktest_suite *s,
			  const struct ktest_case *c);

#endif
