// SPDX-License-Identifier: GPL-2.0
/*
 * The buffer as ftrace prints its "trace" file, so that scripts written
 * for Linux read it: a "# tracer:" header, then one line per event,
 *
 *	<task>-<pid> [cpu] flags seconds.micros: event: fields
 *
 * with the four latency flags (irqs off 'd', need-resched 'N', hardirq
 * 'h' / softirq 's', preempt depth), every CPU's events merged by time.
 */
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/mutex.h>
#include <exo/ring_buffer.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/trace.h>

#include "trace.h"

/* One CPU's read position and the record read there, if any. */
struct cpu_iter {
	u64 pos;
	int len;		/* > 0: rec holds the next record */
	u64 rec[RB_MAX_DATA / 8];
};

static const char header_fmt[] =
	"# tracer: %s\n"
	"#\n"
	"# entries-in-buffer/entries-written: %lu/%lu   #P:%u\n"
	"# dropped (overwritten before read): %lu\n"
	"# lost (function tracer recursion): %lu\n"
	"#\n"
	"#                              _-----=> irqs-off\n"
	"#                             / _----=> need-resched\n"
	"#                            | / _---=> hardirq/softirq\n"
	"#                            || / _--=> preempt-depth\n"
	"#                            ||| /     delay\n"
	"#           TASK-PID   CPU#  ||||    TIMESTAMP  FUNCTION\n"
	"#              | |       |   ||||       |         |\n";

static void print_header(trace_out_fn out, void *ctx)
{
	unsigned long held = 0, written = 0, dropped = 0;
	char buf[sizeof(header_fmt) + 128];
	int n;

	for (unsigned int c = 0; trace_buf && c < nr_cpu_ids; c++) {
		held += min(ring_buffer_entries_cpu(trace_buf, c), ring_buffer_size(trace_buf));
		written += ring_buffer_written_cpu(trace_buf, c);
		dropped += ring_buffer_overrun_cpu(trace_buf, c);
	}
	n = snprintf(buf, sizeof(buf), header_fmt, trace_function_active() ? "function" : "nop",
		     held, written, num_online_cpus(), dropped, ftrace_lost_calls());
	out(ctx, buf, min_t(size_t, n, sizeof(buf) - 1));
}

static char depth_char(unsigned int pc)
{
	return pc ? (pc > 15 ? '+' : "0123456789abcdef"[pc]) : '.';
}

static void print_entry(trace_out_fn out, void *ctx, unsigned int cpu,
			const struct trace_entry *ent)
{
	const struct trace_event_call *call = trace_event_by_type(ent->type);
	struct trace_seq s = { .len = 0 };
	u64 us = ent->ts / NSEC_PER_USEC;

	trace_seq_printf(&s, "%16.16s-%-5d [%03u] %c%c%c%c %5llu.%06llu: ", ent->comm,
			 ent->pid, cpu, ent->flags & TRACE_FLAG_IRQS_OFF ? 'd' : '.',
			 ent->flags & TRACE_FLAG_NEED_RESCHED ? 'N' : '.',
			 ent->flags & TRACE_FLAG_HARDIRQ ? 'h' :
			 ent->flags & TRACE_FLAG_SOFTIRQ ? 's' : '.',
			 depth_char(ent->preempt_count), us / 1000000, us % 1000000);
	/* The function tracer's lines are "func <-parent", with no event name. */
	if (ent->type != TRACE_TYPE_FUNCTION)
		trace_seq_printf(&s, "%s: ", call ? call->name : "unknown");
	if (call)
		call->print(&s, ent);
	trace_seq_printf(&s, "\n");
	/* A line cut short still ends the line. */
	if (s.buffer[s.len - 1] != '\n')
		s.buffer[s.len - 1] = '\n';
	out(ctx, s.buffer, s.len);
}

/* The CPU whose next record is the oldest, or -1 when all are done. */
static int next_cpu(struct cpu_iter *it)
{
	int best = -1;

	for (unsigned int c = 0; c < nr_cpu_ids; c++) {
		if (!it[c].len) {
			it[c].len = ring_buffer_peek(trace_buf, c, &it[c].pos, it[c].rec);
			if (it[c].len <= 0)
				it[c].len = -1;
		}
		if (it[c].len > 0 && (best < 0 || ((struct trace_entry *)it[c].rec)->ts <
				      ((struct trace_entry *)it[best].rec)->ts))
			best = c;
	}
	return best;
}

int trace_show(trace_out_fn out, void *ctx)
{
	struct cpu_iter *it = kcalloc(nr_cpu_ids, sizeof(*it), GFP_KERNEL);
	int n = 0, c;

	if (!it) {
		pr_err("trace: no memory to read the buffer (-ENOMEM)\n");
		return -ENOMEM;
	}
	mutex_lock(&trace_lock);
	print_header(out, ctx);
	while (trace_buf && (c = next_cpu(it)) >= 0) {
		print_entry(out, ctx, c, (const struct trace_entry *)it[c].rec);
		it[c].pos++;
		it[c].len = 0;
		n++;
	}
	mutex_unlock(&trace_lock);
	kfree(it);
	return n;
}
EXPORT_SYMBOL_GPL(trace_show);
