// SPDX-License-Identifier: GPL-2.0
/*
 * The `trace` shell command: the controls of ftrace's tracefs files as
 * subcommands (Documentation/trace.rst).
 *
 *	trace list			available_events, '*' marking those on
 *	trace enable mm:kmalloc		echo 1 > events/mm/kmalloc/enable
 *	trace disable [EVENT]		every event (or EVENT) off
 *	trace filter cpu=N|pid=N|none	record one CPU's or one thread's events
 *	trace function GLOB		the function tracer on functions matching GLOB
 *	trace function off		no function traced
 *	trace show			cat trace
 *	trace clear			echo > trace
 */
#include <exo/console.h>
#include <exo/errno.h>
#include <exo/printk.h>
#include <exo/shell.h>
#include <exo/string.h>
#include <exo/trace.h>

#include "trace.h"

static void console_out(void *ctx, const char *s, size_t n)
{
	console_write_raw(s, n);
}

static int trace_cmd_enable(int argc, char **argv, bool on)
{
	int n;

	if (argc < 3) {
		if (on) {
			printk("trace: enable needs an event (see 'trace list')\n");
			return shell_usage(argv[0]);
		}
		trace_disable_all();
		return 0;
	}
	n = trace_set_event(argv[2], on);
	if (n < 0)
		return n;
	printk("trace: %d event%s %s\n", n, n == 1 ? "" : "s", on ? "enabled" : "disabled");
	return 0;
}

static int cmd_trace(int argc, char **argv)
{
	static const char *const subs[] = {
		"list", "enable", "disable", "filter", "function", "show", "clear", NULL
	};
	int sub = __shell_arg_choice(argv[0], argv[1], subs), n;

	if (sub < 0)
		return sub;
	if ((sub == 0 || sub == 5 || sub == 6) && argc > 2) {
		printk("%s: too many arguments\n", argv[0]);
		return shell_usage(argv[0]);
	}
	if ((sub == 3 || sub == 4) && argc != 3) {
		printk("trace: %s needs one argument\n", subs[sub]);
		return shell_usage(argv[0]);
	}
	switch (sub) {
	case 0:
		trace_list(console_out, NULL);
		return 0;
	case 1:
	case 2:
		return trace_cmd_enable(argc, argv, sub == 1);
	case 3:
		return trace_set_filter(argv[2]);
	case 4:
		if (!strcmp(argv[2], "off"))
			n = trace_function_stop();
		else
			n = trace_function_set(argv[2]);
		if (n == -ENOSYS)
			printk("trace: no function tracer (CONFIG_FUNCTION_TRACER=n)\n");
		else if (n >= 0 && strcmp(argv[2], "off"))
			printk("trace: tracing %d function%s\n", n, n == 1 ? "" : "s");
		return n < 0 ? n : 0;
	case 5:
		n = trace_show(console_out, NULL);
		return n < 0 ? n : 0;
	default:
		trace_clear();
		return 0;
	}
}
DEFINE_SHELL_CMD_ARGS(trace, "list|enable EVENT|disable [EVENT]|filter cpu=N|pid=N|none|function GLOB|function off|show|clear",
		      1, 2, "tracepoints and the function tracer (ftrace format)", cmd_trace);
