// SPDX-License-Identifier: GPL-2.0
/*
 * A small kernel shell on the console.  Commands are registered with
 * DEFINE_SHELL_CMD() next to the code they inspect; this file knows only the
 * generic ones (help, dmesg, poweroff, ...).  Lines are read through the
 * line editor (kernel/line_edit.c): cursor keys, the usual Ctrl keys, a
 * history and Tab completion of command names.
 */
#include <exo/bench.h>
#include <exo/bootinfo.h>
#include <exo/console.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/ktest.h>
#include <exo/line_edit.h>
#include <exo/printk.h>
#include <exo/reboot.h>
#include <exo/shell.h>
#include <exo/string.h>
#include <exo/time.h>
#include <generated/compile.h>
#include <asm/processor.h>

extern const struct shell_cmd __shell_cmds_start[], __shell_cmds_end[];

/* What the editor takes is what a command line may hold. */
BUILD_BUG_ON(LINE_EDIT_MAX != SHELL_LINE_MAX);

static const struct shell_cmd *find_cmd(const char *name)
{
	for (const struct shell_cmd *c = __shell_cmds_start; c < __shell_cmds_end; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

bool shell_has_command(const char *name)
{
	return find_cmd(name) != NULL;
}

int shell_usage(const char *name)
{
	const struct shell_cmd *cmd = find_cmd(name);

	if (cmd)
		printk("usage: %s%s%s\n", cmd->name, *cmd->usage ? " " : "", cmd->usage);
	return -EINVAL;
}

int shell_arg_ulong(const char *cmd, const char *arg, unsigned long min, unsigned long max,
		    unsigned long *val)
{
	unsigned long v;

	if (kstrtoul(arg, 10, &v) || v < min || v > max) {
		printk("%s: '%s' is not a number from %lu to %lu\n", cmd, arg, min, max);
		return shell_usage(cmd);
	}
	*val = v;
	return 0;
}

int __shell_arg_choice(const char *cmd, const char *arg, const char *const *choices)
{
	for (int i = 0; choices[i]; i++)
		if (!strcmp(arg, choices[i]))
			return i;
	printk("%s: unknown argument '%s'\n", cmd, arg);
	return shell_usage(cmd);
}

int shell_arg_key_ulong(int argc, char **argv, const char *key, unsigned long min,
			unsigned long max, unsigned long *val)
{
	if (argc < 2)
		return 0;
	if (__shell_arg_choice(argv[0], argv[1], (const char *const []){ key, NULL }) < 0)
		return -EINVAL;
	if (argc < 3) {
		printk("%s: %s needs a number\n", argv[0], key);
		return shell_usage(argv[0]);
	}
	if (shell_arg_ulong(argv[0], argv[2], min, max, val))
		return -EINVAL;
	return 1;
}

int shell_run_command(const char *line)
{
	char buf[SHELL_LINE_MAX + 1], *argv[SHELL_MAX_ARGS + 1], *p = buf;
	const struct shell_cmd *cmd;
	int argc = 0;

	if (strlcpy(buf, line, sizeof(buf)) >= sizeof(buf)) {
		printk("shell: line too long (more than %d characters): not run\n", SHELL_LINE_MAX);
		return -E2BIG;
	}
	for (;;) {
		while (*p == ' ' || *p == '\t')
			*p++ = 0;
		if (!*p)
			break;
		if (argc == SHELL_MAX_ARGS) {
			printk("shell: too many words (more than %d): not run\n", SHELL_MAX_ARGS);
			return -E2BIG;
		}
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	if (!argc)
		return 0;
	argv[argc] = NULL;
	cmd = find_cmd(argv[0]);
	if (!cmd) {
		printk("%s: unknown command (try 'help')\n", argv[0]);
		return -ENOENT;
	}
	if (argc - 1 < cmd->min_args || argc - 1 > cmd->max_args) {
		if (argc - 1 > cmd->max_args)
			printk("%s: too many arguments\n", argv[0]);
		else
			printk("%s: missing arguments\n", argv[0]);
		return shell_usage(argv[0]);
	}
	return cmd->fn(argc, argv);
}

static void shell_write(void *ctx, const char *s, size_t n)
{
	console_write_raw(s, n);
}

/* Read one line through @le; false if it was cancelled or refused. */
static bool shell_readline(struct line_edit *le)
{
	enum line_edit_status st = LINE_EDIT_MORE;

	line_edit_start(le);
	while (st == LINE_EDIT_MORE) {
		int c = console_getc();

		if (c < 0) {
			/* Sleep until the UART interrupt (or a 50 ms poll) says there is input. */
			console_wait_input(50);
			continue;
		}
		st = line_edit_feed(le, c);
	}
	if (st == LINE_EDIT_TOO_LONG)
		printk("shell: line too long (more than %d characters): not run\n",
		       SHELL_LINE_MAX);
	return st == LINE_EDIT_DONE;
}

/* Tab completes command names: the @i-th registered command. */
static const char *shell_cmd_name(void *ctx, unsigned int i)
{
	const struct shell_cmd *c = __shell_cmds_start + i;

	return c < __shell_cmds_end ? c->name : NULL;
}

static bool shell_exit;
static struct line_edit shell_le;

void shell_loop(void)
{
	printk("Exo-OS shell. Type 'help' for commands.\n");
	line_edit_init(&shell_le, "exo> ", shell_write, NULL);
	line_edit_set_completion(&shell_le, shell_cmd_name, NULL);
	shell_exit = false;
	while (!shell_exit)
		if (shell_readline(&shell_le))
			shell_run_command(shell_le.buf);
}

static int cmd_help(int argc, char **argv)
{
	for (const struct shell_cmd *c = __shell_cmds_start; c < __shell_cmds_end; c++) {
		char head[SHELL_LINE_MAX + 1];
		int n = snprintf(head, sizeof(head), "%s%s%s", c->name, *c->usage ? " " : "",
				 c->usage);

		/* A long usage gets a line of its own. */
		if (n > 24)
			printk("  %s\n  %-24s %s\n", head, "", c->help);
		else
			printk("  %-24s %s\n", head, c->help);
	}
	printk("Keys: Left/Right, Home/End (Ctrl-A/E), Backspace/Delete, Ctrl-U/K/W kill,\n"
	       "Up/Down history (32 lines), Tab completes a command name, Ctrl-C drops\n"
	       "the line.  Under make run, Ctrl-A is QEMU's: type it twice.\n");
	return 0;
}
DEFINE_SHELL_CMD(help, "list commands", cmd_help);

static int cmd_dmesg(int argc, char **argv)
{
	log_buf_dump();
	return 0;
}
DEFINE_SHELL_CMD(dmesg, "print the kernel log", cmd_dmesg);

static int cmd_poweroff(int argc, char **argv)
{
	printk("Powering off.\n");
	machine_power_off();
}
DEFINE_SHELL_CMD(poweroff, "power the machine off", cmd_poweroff);

static int cmd_reboot(int argc, char **argv)
{
	printk("Rebooting.\n");
	machine_restart();
}
DEFINE_SHELL_CMD(reboot, "reset the machine", cmd_reboot);

/* The shell is the only session: leaving it ends the run, as poweroff does. */
static int cmd_exit(int argc, char **argv)
{
	printk("exit: the shell is the only session; the machine powers off\n");
	shell_exit = true;
	return 0;
}
DEFINE_SHELL_CMD(exit, "leave the shell: the machine powers off", cmd_exit);

static int cmd_version(int argc, char **argv)
{
	printk("Exo-OS %s, %s\ncommand line: %s\n", UTS_RELEASE, EXO_COMPILER,
	       boot_command_line);
	return 0;
}
DEFINE_SHELL_CMD(version, "kernel version and command line", cmd_version);

static int cmd_uptime(int argc, char **argv)
{
	u64 ns = ktime_get_ns();

	printk("up %llu.%03llu s\n", ns / NSEC_PER_SEC, (ns % NSEC_PER_SEC) / NSEC_PER_MSEC);
	return 0;
}
DEFINE_SHELL_CMD(uptime, "time since boot", cmd_uptime);

static int cmd_ktest(int argc, char **argv)
{
	int failed = ktest_run(argc > 1 ? argv[1] : NULL, false);

	if (failed < 0)
		printk("ktest: nothing run (%s)\n", errname(failed));
	else
		printk("ktest: %d failed\n", failed);
	return failed ? (failed < 0 ? failed : -EIO) : 0;
}
DEFINE_SHELL_CMD_ARGS(ktest, "[suite[.case]]", 0, 1, "run in-kernel tests", cmd_ktest);

static int cmd_bench(int argc, char **argv)
{
	int ran = bench_run(argc > 1 ? argv[1] : NULL);

	return ran < 0 ? ran : 0;
}
DEFINE_SHELL_CMD_ARGS(bench, "[name-prefix]", 0, 1, "run micro-benchmarks", cmd_bench);

static int cmd_loglevel(int argc, char **argv)
{
	unsigned long lvl;

	if (argc < 2) {
		printk("loglevel is %d\n", console_loglevel);
		return 0;
	}
	if (shell_arg_ulong(argv[0], argv[1], 0, 8, &lvl))
		return -EINVAL;
	console_loglevel = (int)lvl;
	return 0;
}
DEFINE_SHELL_CMD_ARGS(loglevel, "[0-8]", 0, 1, "show or set the console level", cmd_loglevel);
