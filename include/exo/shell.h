/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel shell commands.  A subsystem adds a command next to its code:
 *
 *	static int cmd_buddyinfo(int argc, char **argv) { ... return 0; }
 *	DEFINE_SHELL_CMD(buddyinfo, "free blocks per order and zone", cmd_buddyinfo);
 *
 * The shell (kernel/shell.c) finds every command in the .shell_cmds section.
 */
#ifndef _EXO_SHELL_H
#define _EXO_SHELL_H

#include <exo/compiler.h>

struct shell_cmd {
	const char *name;
	const char *help;
	int (*fn)(int argc, char **argv);
};

#define DEFINE_SHELL_CMD(_name, _help, _fn)				\
	static const struct shell_cmd __shell_cmd_##_name __used	\
	__section(".shell_cmds") __aligned(8) = {			\
		.name = #_name, .help = _help, .fn = _fn,		\
	}

/**
 * shell_run_command() - execute one command line
 * Return: the command's result, or -ENOENT for an unknown command.
 */
int shell_run_command(const char *line);

/* True if a command of that name is registered. */
bool shell_has_command(const char *name);

/* Interactive loop on the console; returns only for "exit". */
void shell_loop(void);

#endif
