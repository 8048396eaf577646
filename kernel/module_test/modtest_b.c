// SPDX-License-Identifier: GPL-2.0
/* Loader test module B: links against module A's exports (a dependency). */
#include <exo/errno.h>
#include <exo/module.h>
#include "modtest.h"

int modtest_b_twice(int x)
{
	return modtest_a_add(x, x) + modtest_a_gpl_value() - 42;
}
EXPORT_SYMBOL(modtest_b_twice);

static int __init modtest_b_init(void)
{
	return modtest_b_twice(2) == 4 ? 0 : -EINVAL;
}

static void modtest_b_exit(void)
{
}

module_init(modtest_b_init);
module_exit(modtest_b_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("loader test: uses module A");
