// SPDX-License-Identifier: GPL-2.0
/*
 * A module whose function faults: crash_test=module oopses inside module
 * text, so scripts/check.sh can check that the backtrace names the module
 * function ("modtest_oops_fault+0x... [modtest_oops]") and that the oops
 * prints the module's load address.
 */
#include <exo/compiler.h>
#include <exo/module.h>
#include <exo/printk.h>

noinline void modtest_oops_fault(volatile unsigned long *p);

/* Not a leaf: its frame is set up, so the backtrace goes on to its caller. */
noinline void modtest_oops_fault(volatile unsigned long *p)
{
	pr_emerg("modtest_oops: writing to %p\n", p);
	*p = 0x0bad;
}
EXPORT_SYMBOL_GPL(modtest_oops_fault);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("crash test: a module function that faults");
