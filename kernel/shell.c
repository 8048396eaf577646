// SPDX-License-Identifier: GPL-2.0
/*
 * A small kernel shell on the console.  Commands are registered with
 * DEFINE_SHELL_CMD() next to the code they inspect; this file knows only the
 * generic ones (help, dmesg, poweroff, ...).
 */
#include <exo/bench.h>
#include <exo/bootinfo.h>
#include <exo/console.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/ktest.h>
#include <exo/printk.h>
#include <exo/reboot.h>
#include <exo/shell.h>
#include <exo/string.h>
#include <exo/time.h>
#include <generated/compile.h>
#include <asm/processor.h>

#define MAX_ARGS	16
#define LINE_MAX	256

extern const struct shell_cmd __shell_cmds_start[], __shell_cmds_end[];

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

int shell_run_command(const char *line)
{
	char buf[LINE_MAX], *argv[MAX_ARGS], *p = buf;
	const struct shell_cmd *cmd;
	int argc = 0;

	strlcpy(buf, line, sizeof(buf));
	while (*p && argc < MAX_ARGS) {
		while (*p == ' ' || *p == '\t')
			*p++ = 0;
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	if (!argc)
		return 0;
	cmd = find_cmd(argv[0]);
	if (!cmd) {
		printk("%s: unknown command (try 'help')\n", argv[0]);
		return -ENOENT;
	}
	return cmd->fn(argc, argv);
}

static void shell_readline(char *buf, size_t size)
{
	size_t n = 0;

	for (;;) {
		int c = console_getc();

		if (c < 0) {
			/* Sleep until the UART interrupt (or a 50 ms poll) says there is input. */
			console_wait_input(50);
			continue;
		}
		if (c == '\r' || c == '\n') {
			console_write_raw("\n", 1);
			break;
		}
		if ((c == 0x7f || c == '\b') && n) {
			n--;
			console_write_raw("\b \b", 3);
			continue;
		}
		if (c >= ' ' && c < 0x7f && n + 1 < size) {
			char ch = (char)c;

			buf[n++] = ch;
			console_write_raw(&ch, 1);
		}
	}
	buf[n] = 0;
}

static bool shell_exit;

void shell_loop(void)
{
	char line[LINE_MAX];

	printk("Exo-OS shell. Type 'help' for commands.\n");
	shell_exit = false;
	while (!shell_exit) {
		console_write_raw("exo> ", 5);
		shell_readline(line, sizeof(line));
		shell_run_command(line);
	}
}

static int cmd_help(int argc, char **argv)
{
	for (const struct shell_cmd *c = __shell_cmds_start; c < __shell_cmds_end; c++)
		printk("  %-12s %s\n", c->name, c->help);
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

static int cmd_exit(int argc, char **argv)
{
	shell_exit = true;
	return 0;
}
DEFINE_SHELL_CMD(exit, "leave the shell (the kernel then powers off or halts)", cmd_exit);

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

	printk("ktest: %d failed\n", failed);
	return failed ? -EIO : 0;
}
DEFINE_SHELL_CMD(ktest, "ktest [suite[.case]]: run in-kernel tests", cmd_ktest);

static int cmd_bench(int argc, char **argv)
{
	bench_run(argc > 1 ? argv[1] : NULL);
	return 0;
}
DEFINE_SHELL_CMD(bench, "bench [name]: run micro-benchmarks", cmd_bench);

static int cmd_loglevel(int argc, char **argv)
{
	unsigned long lvl;

	if (argc < 2 || kstrtoul(argv[1], 10, &lvl) || lvl > 8) {
		printk("loglevel is %d; usage: loglevel 0-8\n", console_loglevel);
		return argc < 2 ? 0 : -EINVAL;
	}
	console_loglevel = (int)lvl;
	return 0;
}
DEFINE_SHELL_CMD(loglevel, "loglevel [n]: show or set the console level", cmd_loglevel);
