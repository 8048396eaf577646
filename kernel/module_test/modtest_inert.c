// SPDX-License-Identifier: GPL-2.0
/*
 * Loader fuzzing target: relocations of every kind, exports and data, but
 * no init and no exit, so loading and unloading a mutated copy runs none of
 * its code; only the loader's parsing is exercised.  Every function is a
 * leaf without arguments, harmless should a mutation ever make one the
 * init function, and the only kernel functions it references are
 * side-effect free.
 */
#include <exo/module.h>
#include <exo/page_alloc.h>
#include <exo/smp.h>
#include <exo/time.h>

int modtest_inert_value(void);
unsigned long modtest_inert_pages(void);
extern unsigned long (*modtest_inert_fn)(void);
extern unsigned long modtest_inert_data[4];

unsigned long modtest_inert_data[4] = { 1, 2, 3, 4 };
unsigned long (*modtest_inert_fn)(void) = nr_free_pages;

int modtest_inert_value(void)
{
	return (int)modtest_inert_data[2] + (int)smp_processor_id();
}
EXPORT_SYMBOL(modtest_inert_value);

unsigned long modtest_inert_pages(void)
{
	return nr_free_pages() + (unsigned long)ktime_get_ns() * 0;
}
EXPORT_SYMBOL_GPL(modtest_inert_pages);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("loader fuzzing target (no init, no exit)");
