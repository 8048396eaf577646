/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tracing core's controls, as the `trace` shell command and the tests
 * use them (Documentation/trace.rst).  Events are named "system:event"
 * (mm:kmalloc), "system:*" or "system" for all of a system, a bare event
 * name, or "*" / "all" for every event.  The buffer (one ring per CPU,
 * CONFIG_TRACE_BUF_KB each) is allocated when the first event is enabled
 * and kept.
 */
#ifndef _EXO_TRACE_H
#define _EXO_TRACE_H

#include <exo/types.h>

struct trace_event_call;
struct trace_buffer;

/* Room for one line of trace_show()'s output (ktests). */
#define TRACE_KTEST_LINE_MAX	256
#define trace_ktest_grep(line, size, ...)					\
	trace_ktest_find((const char *const[]){ __VA_ARGS__, NULL }, line, size)

/* Where trace_show()/trace_list() write: @n bytes, lines end with '\n'. */
typedef void (*trace_out_fn)(void *ctx, const char *s, size_t n);

#ifdef CONFIG_TRACEPOINTS
/**
 * trace_set_event() - enable or disable the events @spec names
 * @spec: "system:event", "system:*", "system", "event", "*" or "all"
 * @enable: on or off
 *
 * Return: the number of events changed or already in that state, -ENOENT
 * if @spec names no event (logged), -ENOMEM if the buffer cannot be
 * allocated.
 */
int trace_set_event(const char *spec, bool enable);

/** trace_disable_all() - turn every event (and the function tracer) off */
void trace_disable_all(void);

/**
 * trace_set_filter() - record only one CPU's or one thread's events
 * @expr: "cpu=N", "pid=N" or "none" (both filters off)
 *
 * Return: 0, or -EINVAL (logged) for anything else or a CPU that is not
 * possible.
 */
int trace_set_filter(const char *expr);

/** trace_clear() - drop every recorded event and zero the drop counts */
void trace_clear(void);

/**
 * trace_show() - print the buffer in ftrace's text format
 * @out: the sink, called once per line
 * @ctx: passed to @out
 *
 * The "# tracer:" header, then every event still held, oldest first,
 * all CPUs merged by time.  Non-destructive, as reading ftrace's "trace"
 * file is.
 * Return: the number of events printed, or -ENOMEM.
 */
int trace_show(trace_out_fn out, void *ctx);

/**
 * trace_list() - print "system:event" for each event, '*' marking those on
 * @out: the sink
 * @ctx: passed to @out
 */
void trace_list(trace_out_fn out, void *ctx);

/** trace_dropped() - events the rings overwrote before they were shown, all CPUs */
unsigned long trace_dropped(void);

/* The event descriptor named by "system:event" (tests). */
struct trace_event_call *trace_find_event(const char *system, const char *name);

/**
 * trace_ktest_find() - find a recorded event line (for ktests)
 * @needles: NULL-terminated texts the line must all contain
 * @line: where the first such line goes, NUL-terminated without its '\n'
 * @size: bytes at @line (at least 1)
 *
 * trace_ktest_grep(line, size, "a", "b") passes the array for you.
 * Return: how many lines of the trace (header lines excepted) contain
 * every needle; @line is empty when none does.
 */
int trace_ktest_find(const char *const *needles, char *line, size_t size);
#else
static inline int trace_ktest_find(const char *const *needles, char *line, size_t size)
{
	if (size)
		line[0] = 0;
	return 0;
}
static inline int trace_set_event(const char *spec, bool enable)
{
	return -ENOSYS;
}
static inline void trace_disable_all(void) { }
static inline void trace_clear(void) { }
#endif

#endif /* _EXO_TRACE_H */
