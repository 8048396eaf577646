/* SPDX-License-Identifier: GPL-2.0 */
/* Exports of the loader's test modules in kernel/module_test/. */
#ifndef _MODTEST_H
#define _MODTEST_H

#include <exo/types.h>

int modtest_a_add(int a, int b);
int modtest_a_gpl_value(void);
int modtest_a_selftest(void);
extern u32 modtest_a_cpu_off32;
extern const char *modtest_a_names[];
extern int (*modtest_a_printk_ptr)(const char *, ...);

int modtest_b_twice(int x);

void modtest_no_such_symbol(void);

struct device;
struct module;
/* kernel/module_lifetime_test.c, for modtest_initref.ko. */
void modtest_initref_hold(struct device *dev, struct module *mod);
void modtest_initref_released(struct device *dev);

#endif
