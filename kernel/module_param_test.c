// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of module parameters (<exo/moduleparam.h>) with the embedded
 * modtest_param.ko: every type set from load arguments and read back
 * through the module's kernel_param entries, array counts, refused values
 * (module not loaded, nothing left allocated), string values outliving the
 * argument text, and the kernel command line for built-in parameters
 * (this file's) and for a module's ("modtest_param.from_cmdline=").  The
 * ktest boots of make check pass:
 *	module_param_test.builtin_int=7 module_param_test.builtin_bad=xyz
 *	module_param_test.builtin_str=boot modtest_param.from_cmdline=42
 */
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/module.h>
#include <exo/moduleparam.h>
#include <exo/page_alloc.h>
#include <exo/slab.h>
#include <exo/string.h>

#include "module-internal.h"

static int builtin_int = 3;
module_param(builtin_int, int, 0444);
static int builtin_bad = 5;
module_param(builtin_bad, int, 0444);
static char *builtin_str = "unset";
module_param(builtin_str, charp, 0444);

static int load_param(struct ktest *t, const char *args, struct module **mod)
{
	const struct modtest_blob *b = modtest_blob("modtest_param");

	if (!b) {
		ktest_fail(t, __FILE__, __LINE__, "no embedded module modtest_param");
		ktest_abort(t);
	}
	return load_module_args(b->start, b->end - b->start, args, mod);
}

/* @mod's parameter @name as modinfo shows it, or "?" if there is none. */
static const char *value(struct module *mod, const char *name, char *buf)
{
	for (unsigned int i = 0; i < mod->num_kp; i++)
		if (!strcmp(mod->kp[i].name, name))
			return param_value_text(&mod->kp[i], buf);
	return "?";
}

#define EXPECT_VALUE(t, mod, name, want) do {				\
	char __buf[PARAM_BUF_SIZE];					\
	const char *__v = value(mod, name, __buf);			\
	if (strcmp(__v, want))						\
		ktest_fail(t, __FILE__, __LINE__, "%s = '%s', want '%s'", name, __v, want); \
} while (0)

struct want {
	const char *key, *value;
};

/*
 * Load modtest_param with @args, expect each of @want, unload.  Return:
 * true if it loaded.
 */
static bool check_values(struct ktest *t, const char *args, const struct want *want,
			 unsigned int n)
{
	struct module *mod = NULL;
	int ret = load_param(t, args, &mod);

	if (ret) {
		ktest_fail(t, __FILE__, __LINE__, "'%s' refused: %d", args ? args : "", ret);
		return false;
	}
	for (unsigned int i = 0; i < n; i++)
		EXPECT_VALUE(t, mod, want[i].key, want[i].value);
	KTEST_EXPECT_EQ(t, mod->num_kp, 7u);
	KTEST_EXPECT_EQ(t, unload_module("modtest_param"), 0);
	return true;
}

static void test_param_defaults(struct ktest *t)
{
	static const struct want want[] = {
		{ "n_int", "-1" }, { "n_uint", "1" }, { "flag", "N" }, { "name", "default" },
		{ "list", "" }, { "words", "" },
	};

	check_values(t, NULL, want, ARRAY_SIZE(want));
}

static void test_param_types(struct ktest *t)
{
	static const struct want want1[] = {
		{ "n_int", "-42" }, { "n_uint", "16" }, { "flag", "Y" }, { "name", "hello" },
		{ "list", "1,-2,3" }, { "words", "a,bb,ccc" },
	};
	static const struct want want2[] = {
		{ "n_int", "2147483647" }, { "n_uint", "4294967295" }, { "flag", "N" },
		{ "list", "-2147483648,0,0,9" },
	};
	struct modtest_baseline base;

	modtest_take_baseline(&base);
	check_values(t, "n_int=-42 n_uint=0x10 flag name=hello list=1,-2,3 words=a,bb,ccc",
		     want1, ARRAY_SIZE(want1));
	check_values(t, "n_int=2147483647 n_uint=4294967295 flag=off list=-2147483648,0,0,9",
		     want2, ARRAY_SIZE(want2));
	MODTEST_EXPECT_BASELINE(t, &base);
}

/* .modinfo carries each parameter's type and description, as modinfo shows. */
static void test_param_modinfo(struct ktest *t)
{
	static const char *const want[] = {
		"parm=n_int:a signed int", "parmtype=n_int:int", "parmtype=n_uint:uint",
		"parmtype=flag:bool", "parmtype=name:charp", "parmtype=list:array of int",
		"parm=words:up to 3 strings", "parmtype=words:array of charp",
	};
	struct module *mod = NULL;

	KTEST_ASSERT_EQ(t, load_param(t, NULL, &mod), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(want); i++) {
		bool found = false;

		for (const char *p = mod->modinfo; p < mod->modinfo + mod->modinfo_size;
		     p += strlen(p) + 1)
			found |= !strcmp(p, want[i]);
		if (!found)
			ktest_fail(t, __FILE__, __LINE__, "no '%s' in .modinfo", want[i]);
	}
	KTEST_EXPECT_EQ(t, unload_module("modtest_param"), 0);
}

static void test_param_bad_values(struct ktest *t)
{
	static const char *const bad[] = {
		"n_int=abc", "n_int=2147483648", "n_int=-2147483649", "n_int=", "n_int",
		"n_uint=-1", "n_uint=4294967296", "n_uint=1x", "flag=maybe", "flag=",
		"list=1,2,3,4,5", "list=1,,2", "list=", "list=1,x", "words=a,b,c,d", "name",
		"name=ok n_int=5 n_uint=bad",
	};
	struct modtest_baseline base;

	modtest_take_baseline(&base);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		if (load_param(t, bad[i], NULL) != -EINVAL)
			ktest_fail(t, __FILE__, __LINE__, "'%s' not refused with -EINVAL", bad[i]);
		KTEST_EXPECT_NULL(t, find_module("modtest_param"));
	}
	MODTEST_EXPECT_BASELINE(t, &base);
}

static void test_param_unknown_ignored(struct ktest *t)
{
	static const struct want want[] = { { "n_int", "5" } };

	check_values(t, "nosuch=1 n_int=5", want, ARRAY_SIZE(want));
}

/*
 * String values are the kernel's copies: the argument text may go at once.
 * A value replaced within one load (name given twice) is freed, and the
 * copies go with the module.
 */
static void test_param_charp_lifetime(struct ktest *t)
{
	static const char args[] = "name=\"two words\" words=x,yy name=again words=p,q,r";
	static const struct want quoted[] = { { "name", "two words" } };
	struct module *mod = NULL;
	struct modtest_baseline base;
	char *text;

	modtest_take_baseline(&base);
	text = kmalloc(sizeof(args), GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, text);
	memcpy(text, args, sizeof(args));
	KTEST_ASSERT_EQ(t, load_param(t, text, &mod), 0);
	memset(text, 'Z', sizeof(args) - 1);
	kfree(text);
	EXPECT_VALUE(t, mod, "name", "again");
	EXPECT_VALUE(t, mod, "words", "p,q,r");
	KTEST_EXPECT_EQ(t, unload_module("modtest_param"), 0);
	MODTEST_EXPECT_BASELINE(t, &base);

	check_values(t, "name=\"two words\"", quoted, ARRAY_SIZE(quoted));
	MODTEST_EXPECT_BASELINE(t, &base);
}

static bool on_cmdline(const char *word)
{
	return strstr(boot_command_line, word) != NULL;
}

static void test_param_cmdline_builtin(struct ktest *t)
{
	if (!on_cmdline("module_param_test.builtin_int="))
		KTEST_SKIP(t, "boot without module_param_test.builtin_int=7");
	KTEST_EXPECT_EQ(t, builtin_int, 7);
	/* builtin_bad=xyz was refused: the default stays. */
	KTEST_EXPECT_EQ(t, builtin_bad, 5);
	KTEST_ASSERT_NOT_NULL(t, builtin_str);
	KTEST_EXPECT_EQ(t, strcmp(builtin_str, "boot"), 0);
}

static void test_param_cmdline_module(struct ktest *t)
{
	static const struct want boot[] = { { "from_cmdline", "42" } };
	static const struct want over[] = { { "from_cmdline", "1" } };

	if (!on_cmdline("modtest_param.from_cmdline="))
		KTEST_SKIP(t, "boot without modtest_param.from_cmdline=42");
	check_values(t, NULL, boot, ARRAY_SIZE(boot));
	/* The load's own arguments come after the command line's, and win. */
	check_values(t, "from_cmdline=1", over, ARRAY_SIZE(over));
}

static struct ktest_case module_param_cases[] = {
	KTEST_CASE(test_param_defaults),
	KTEST_CASE(test_param_types),
	KTEST_CASE(test_param_modinfo),
	KTEST_CASE(test_param_bad_values),
	KTEST_CASE(test_param_unknown_ignored),
	KTEST_CASE(test_param_charp_lifetime),
	KTEST_CASE(test_param_cmdline_builtin),
	KTEST_CASE(test_param_cmdline_module),
	{}
};

static struct ktest_suite module_param_suite = {
	.name = "module_param",
	.cases = module_param_cases,
};
KTEST_SUITE(module_param_suite);
