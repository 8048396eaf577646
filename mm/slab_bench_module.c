// SPDX-License-Identifier: GPL-2.0
/*
 * kmalloc(64)+kfree as a driver module calls them: built as a module,
 * this file reaches the exported, out-of-line kmalloc_kernel()/kfree()
 * (slab.h inlines the tier-1 hit only into code built into the kernel).
 * The bench runner loads it for kmalloc64_pair_module (mm/slab_bench.c)
 * and unloads it after; the built-in kmalloc64_pair is the same loop
 * inlined.  SLAB_CALLS_AS_MODULE makes the calls a module's when it is
 * built in too (allyesconfig), so the row measures the same path either
 * way.
 */
#define SLAB_CALLS_AS_MODULE
#include <exo/bench.h>
#include <exo/module.h>
#include <exo/printk.h>
#include <exo/slab.h>

static volatile size_t bench_size = 64;

static void pair64(struct bench *b, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++) {
		void *p = kmalloc(bench_size, GFP_KERNEL);

		if (!p) {
			pr_err("bench: kmalloc failed\n");
			return;
		}
		kfree(p);
	}
}

static const struct bench_def kmalloc64_pair_module = {
	.name = "kmalloc64_pair_module",
	.desc = "kmalloc(64)+kfree from a module (exported out-of-line path)",
	.run = pair64,
	.ops = 64,
};

static int __init slab_bench_module_init(void)
{
	return bench_register(&kmalloc64_pair_module);
}
module_init(slab_bench_module_init);

static void slab_bench_module_exit(void)
{
	bench_unregister(&kmalloc64_pair_module);
}
module_exit(slab_bench_module_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Exo-OS");
MODULE_DESCRIPTION("kmalloc benchmark through the module path");
