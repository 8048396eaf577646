// SPDX-License-Identifier: GPL-2.0
/* Refused: calls a symbol nobody exports. */
#include <exo/errno.h>
#include <exo/module.h>
#include "modtest.h"

static int __init bad_unknown_init(void)
{
	modtest_no_such_symbol();
	return 0;
}
module_init(bad_unknown_init);
MODULE_LICENSE("GPL");
