// SPDX-License-Identifier: GPL-2.0
/*
 * hello_ext: an out-of-tree module (samples/extmod/Kbuild), two objects
 * linked into one .ko, with a parameter.  It greets and counts the words
 * of its "greeting" parameter with the helper in hello_count.c.
 */
#include <exo/module.h>
#include <exo/moduleparam.h>
#include <exo/printk.h>
#include "hello_ext.h"

static char *greeting = "hello from outside the tree";
module_param(greeting, charp, 0444);
MODULE_PARM_DESC(greeting, "the line printed at load");

static int __init hello_ext_init(void)
{
	pr_info("hello_ext: %s (%u words)\n", greeting, hello_count_words(greeting));
	return 0;
}

static void hello_ext_exit(void)
{
	pr_info("hello_ext: bye\n");
}

module_init(hello_ext_init);
module_exit(hello_ext_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("Exo-OS");
MODULE_DESCRIPTION("Sample out-of-tree module built with make M=");
