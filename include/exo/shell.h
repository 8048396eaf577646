/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel shell commands.  A subsystem adds a command next to its code:
 *
 *	static int cmd_buddyinfo(int argc, char **argv) { ... return 0; }
 *	DEFINE_SHELL_CMD(buddyinfo, "free blocks per order and zone", cmd_buddyinfo);
 *
 * or, for a command with arguments, says how many it takes and their
 * usage text:
 *
 *	DEFINE_SHELL_CMD_ARGS(tlbinfo, "[ceiling N]", 0, 2, "TLB counters", cmd_tlbinfo);

 *
 * The shell (kernel/shell.c) finds every command in the .shell_cmds
 * section, and calls one only with a number of arguments in its range;
 * otherwise it prints "usage: <name> <usage>".  The command checks the
 * values with the shell_arg_*() helpers below, which print that same line
 * on a bad value, so that every command answers bad input the same way.
 */
#ifndef _EXO_SHELL_H
#define _EXO_SHELL_H

#include <exo/compiler.h>
#include <exo/types.h>

struct shell_cmd {
	const char *name;
	const char *usage;	/* the arguments, as in "usage: name <usage>" */
	const char *help;
	int (*fn)(int argc, char **argv);
	u8 min_args, max_args;	/* argc - 1 must lie in [min_args, max_args] */
};

#define DEFINE_SHELL_CMD_ARGS(_name, _usage, _min, _max, _help, _fn)	\
	static const struct shell_cmd __shell_cmd_##_name __used	\
	__section(".shell_cmds") __aligned(8) = {			\
		.name = #_name, .usage = _usage, .help = _help,		\
		.fn = _fn, .min_args = _min, .max_args = _max,		\
	}

/* A command that takes no arguments. */
#define DEFINE_SHELL_CMD(_name, _help, _fn)				\
	DEFINE_SHELL_CMD_ARGS(_name, "", 0, 0, _help, _fn)

/* Longest command line, in characters; longer lines are refused. */
#define SHELL_LINE_MAX	255
/* Most words (the command included) in a line; more are refused. */
#define SHELL_MAX_ARGS	16

/**
 * shell_run_command() - execute one command line
 * @line: words separated by spaces or tabs
 *
 * Return: the command's result; -ENOENT for an unknown command; -E2BIG
 * for a line longer than SHELL_LINE_MAX or with more than SHELL_MAX_ARGS
 * words; -EINVAL for a number of arguments the command does not take.
 * Each error but the command's own is printed.
 */
int shell_run_command(const char *line);

/* True if a command of that name is registered. */
bool shell_has_command(const char *name);

/* Interactive loop on the console; returns only for "exit". */
void shell_loop(void);

/**
 * shell_usage() - print "usage: <name> <usage>" for command @name
 * @name: the command (argv[0])
 *
 * Return: -EINVAL, so that a command can end with "return shell_usage(argv[0]);".
 */
int shell_usage(const char *name);

/**
 * shell_arg_ulong() - parse a decimal argument within [@min, @max]
 * @cmd: the command (argv[0]), for the messages
 * @arg: the argument
 * @min: smallest value accepted
 * @max: largest value accepted
 * @val: set to the value on success, untouched otherwise
 *
 * Return: 0, or -EINVAL after printing what was wrong and the usage line.
 */
int shell_arg_ulong(const char *cmd, const char *arg, unsigned long min, unsigned long max,
		    unsigned long *val);

/**
 * __shell_arg_choice() - which of @choices @arg is
 * @cmd: the command (argv[0]), for the messages
 * @arg: the argument
 * @choices: the accepted words, NULL-terminated
 *
 * Return: the index of @arg in @choices, or -EINVAL after printing
 * "<cmd>: unknown argument '<arg>'" and the usage line.
 */
int __shell_arg_choice(const char *cmd, const char *arg, const char *const *choices);

/* shell_arg_choice(argv[0], argv[1], "-a", "-b"): the same with a literal list. */
#define shell_arg_choice(cmd, arg, ...) \
	__shell_arg_choice(cmd, arg, (const char *const []){ __VA_ARGS__, NULL })

/**
 * shell_arg_key_ulong() - parse an optional "<@key> N" pair in argv[1..2]
 * @argc: the command's argc
 * @argv: its argv
 * @key: the keyword
 * @min: smallest N accepted
 * @max: largest N accepted
 * @val: set to N when the pair is given, untouched otherwise
 *
 * For a command whose only arguments are that pair (0 to 2 arguments).
 * Return: 0 without arguments; 1 with @val set; -EINVAL after printing what
 * was wrong (another word, "<@key> needs a number", a bad number) and the
 * usage line.
 */
int shell_arg_key_ulong(int argc, char **argv, const char *key, unsigned long min,
			unsigned long max, unsigned long *val);

#endif
