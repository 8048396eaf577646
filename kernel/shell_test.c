// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the shell's command-line handling: every command refuses bad
 * arguments with an error (after printing its usage) and does nothing;
 * lines that are too long or have too many words are refused whole.
 * scripts/check-shell.py drives the same shell through the serial console.
 */
#include <exo/errno.h>
#include <exo/ktest.h>
#include <exo/printk.h>
#include <exo/shell.h>
#include <exo/string.h>
#include <exo/tlb.h>

struct bad_line {
	const char *line;
	int err;
};

/* Each line is wrong; commands not in this configuration are skipped. */
static const struct bad_line bad_lines[] = {
	{ "nosuchcommand", -ENOENT },
	{ "help me", -EINVAL },
	{ "dmesg -c", -EINVAL },
	{ "version 2", -EINVAL },
	{ "uptime x", -EINVAL },
	{ "exit now", -EINVAL },
	{ "poweroff now", -EINVAL },
	{ "reboot now", -EINVAL },
	{ "meminfo -a", -EINVAL },
	{ "buddyinfo 0", -EINVAL },
	{ "memcheck all", -EINVAL },
	{ "cpus 1", -EINVAL },
	{ "ps -e", -EINVAL },
	{ "vmallocinfo x", -EINVAL },
	{ "slabinfo -x", -EINVAL },
	{ "slabinfo -c -c", -EINVAL },
	{ "ptdump foo", -EINVAL },
	{ "ptdump all all", -EINVAL },
	{ "tlbinfo foo", -EINVAL },
	{ "tlbinfo ceiling", -EINVAL },
	{ "tlbinfo ceiling 12x", -EINVAL },
	{ "tlbinfo ceiling 0", -EINVAL },
	{ "tlbinfo ceiling 4097", -EINVAL },
	{ "tlbinfo floor 12", -EINVAL },
	{ "tlbinfo ceiling 12 13", -EINVAL },
	{ "lsdev x", -EINVAL },
	{ "lspci -x", -EINVAL },
	{ "date now", -EINVAL },
	{ "lsmod x", -EINVAL },
	{ "modinfo", -EINVAL },
	{ "modinfo a b", -EINVAL },
	{ "modinfo nosuchmodule", -ENOENT },
	{ "insmod", -EINVAL },
	{ "insmod nosuchmodule", -ENOENT },
	{ "rmmod", -EINVAL },
	{ "rmmod nosuchmodule", -ENOENT },
	{ "bind", -EINVAL },
	{ "bind platform x", -EINVAL },
	{ "bind nosuchbus x y", -ENOENT },
	{ "unbind platform", -EINVAL },
	{ "unbind nosuchbus x", -ENOENT },
	{ "unbind platform nosuchdevice", -ENOENT },
	{ "loglevel 9", -EINVAL },
	{ "loglevel x", -EINVAL },
	{ "loglevel 1 2", -EINVAL },
	{ "ktest nosuchsuite", -ENOENT },
	{ "ktest a b", -EINVAL },
	{ "bench nosuchbench", -ENOENT },
	{ "lockdep -x", -EINVAL },
	{ "fault nosuchpoint off", -EINVAL },
	{ "fault slab", -EINVAL },
	{ "fault slab verbose 3", -EINVAL },
	{ "fault slab on", -EINVAL },
};

static void test_bad_arguments(struct ktest *t)
{
	unsigned int ceiling = tlb_single_page_flush_ceiling;
	int loglevel = console_loglevel;

	for (unsigned int i = 0; i < ARRAY_SIZE(bad_lines); i++) {
		const struct bad_line *b = &bad_lines[i];
		char cmd[16];
		int ret;

		strlcpy(cmd, b->line, sizeof(cmd));
		if (strchr(cmd, ' '))
			*strchr(cmd, ' ') = 0;
		if (strcmp(cmd, "nosuchcommand") && !shell_has_command(cmd))
			continue;
		if (!strcmp(cmd, "bench") && !IS_ENABLED(CONFIG_BENCH))
			continue;
		ret = shell_run_command(b->line);
		if (ret != b->err)
			ktest_fail(t, __FILE__, __LINE__, "'%s' returned %d, want %d", b->line,
				   ret, b->err);
	}
	/* Nothing was changed on the way. */
	KTEST_EXPECT_EQ(t, tlb_single_page_flush_ceiling, ceiling);
	KTEST_EXPECT_EQ(t, console_loglevel, loglevel);
}

static void test_good_arguments(struct ktest *t)
{
	int loglevel = console_loglevel;

	KTEST_EXPECT_EQ(t, shell_run_command("  loglevel\t 3  "), 0);
	KTEST_EXPECT_EQ(t, console_loglevel, 3);
	console_loglevel = loglevel;
	KTEST_EXPECT_EQ(t, shell_run_command("loglevel"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command(""), 0);
	KTEST_EXPECT_EQ(t, shell_run_command(" \t "), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("uptime"), 0);
}

/* shell_arg_key_ulong() on its own: absent, given, and each way to get it wrong. */
static void test_key_number_argument(struct ktest *t)
{
	char cmd[] = "cmd", key[] = "ceiling", other[] = "floor", n12[] = "12", n0[] = "0";
	char *argv[3] = { cmd, key, n12 };
	unsigned long v = 7;

	KTEST_EXPECT_EQ(t, shell_arg_key_ulong(1, argv, "ceiling", 1, 99, &v), 0);
	KTEST_EXPECT_EQ(t, shell_arg_key_ulong(2, argv, "ceiling", 1, 99, &v), -EINVAL);
	argv[2] = n0;
	KTEST_EXPECT_EQ(t, shell_arg_key_ulong(3, argv, "ceiling", 1, 99, &v), -EINVAL);
	argv[1] = other;
	argv[2] = n12;
	KTEST_EXPECT_EQ(t, shell_arg_key_ulong(3, argv, "ceiling", 1, 99, &v), -EINVAL);
	KTEST_EXPECT_EQ(t, v, 7UL);
	argv[1] = key;
	KTEST_EXPECT_EQ(t, shell_arg_key_ulong(3, argv, "ceiling", 1, 99, &v), 1);
	KTEST_EXPECT_EQ(t, v, 12UL);
}

static void test_line_limits(struct ktest *t)
{
	static char line[SHELL_LINE_MAX + 2];
	int loglevel = console_loglevel;

	/* SHELL_MAX_ARGS words run; one more is refused, not cut. */
	KTEST_EXPECT_EQ(t, shell_run_command("loglevel 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15"),
			-EINVAL);
	KTEST_EXPECT_EQ(t, shell_run_command("loglevel 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16"),
			-E2BIG);
	/* A line of SHELL_LINE_MAX characters runs; one more is refused. */
	memset(line, ' ', SHELL_LINE_MAX);
	memcpy(line + SHELL_LINE_MAX - 10, "loglevel 2", 10);
	line[SHELL_LINE_MAX] = 0;
	KTEST_EXPECT_EQ(t, shell_run_command(line), 0);
	KTEST_EXPECT_EQ(t, console_loglevel, 2);
	console_loglevel = loglevel;
	memcpy(line + SHELL_LINE_MAX - 9, "loglevel 2", 11);
	KTEST_EXPECT_EQ(t, shell_run_command(line), -E2BIG);
	KTEST_EXPECT_EQ(t, console_loglevel, loglevel);
}

static struct ktest_case shell_cases[] = {
	KTEST_CASE(test_bad_arguments),
	KTEST_CASE(test_good_arguments),
	KTEST_CASE(test_key_number_argument),
	KTEST_CASE(test_line_limits),
	{}
};

static struct ktest_suite shell_suite = {
	.name = "shell",
	.cases = shell_cases,
};
KTEST_SUITE(shell_suite);
