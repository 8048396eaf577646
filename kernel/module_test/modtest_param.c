// SPDX-License-Identifier: GPL-2.0
/*
 * Parameter test module: one parameter of each type, an int and a charp
 * array, and one the ktest boots set on the kernel command line
 * ("modtest_param.from_cmdline=42").  kernel/module_param_test.c reads
 * the values back through the module's kernel_param entries.  Its init
 * refuses a load whose string parameter is not a valid C string, so a
 * charp left pointing at freed memory shows.
 */
#include <exo/errno.h>
#include <exo/module.h>
#include <exo/moduleparam.h>
#include <exo/string.h>

static int n_int = -1;
module_param(n_int, int, 0444);
MODULE_PARM_DESC(n_int, "a signed int");

static unsigned int n_uint = 1;
module_param(n_uint, uint, 0444);
MODULE_PARM_DESC(n_uint, "an unsigned int");

static bool flag;
module_param(flag, bool, 0444);
MODULE_PARM_DESC(flag, "a flag");

static char *name = "default";
module_param(name, charp, 0444);
MODULE_PARM_DESC(name, "a string");

static int list[4];
static unsigned int nr_list;
module_param_array(list, int, &nr_list, 0444);
MODULE_PARM_DESC(list, "up to 4 ints");

static char *words[3];
static unsigned int nr_words;
module_param_array(words, charp, &nr_words, 0444);
MODULE_PARM_DESC(words, "up to 3 strings");

static int from_cmdline;
module_param_named(from_cmdline, from_cmdline, int, 0444);
MODULE_PARM_DESC(from_cmdline, "set by the ktest boots' command line");

static int __init modtest_param_init(void)
{
	if (!name || strnlen(name, 1025) > 1024)
		return -EINVAL;
	for (unsigned int i = 0; i < nr_words; i++)
		if (!words[i])
			return -EINVAL;
	return 0;
}

static void modtest_param_exit(void)
{
}

module_init(modtest_param_init);
module_exit(modtest_param_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("module parameter test module");
