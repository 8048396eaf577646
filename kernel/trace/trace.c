// SPDX-License-Identifier: GPL-2.0
/*
 * The tracing core: one buffer (a ring per CPU, include/exo/ring_buffer.h)
 * that every enabled event writes its record into, the CPU and thread
 * filters, and the ftrace text output (trace_output.c).  Records are
 * written with no lock, from any context; the controls (enable, filter,
 * clear) and the readers are serialised by trace_lock.
 */
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/mutex.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/ring_buffer.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/trace.h>
#include <exo/tracepoint.h>
#include <asm/preempt.h>

#include "trace.h"

BUILD_BUG_ON(TRACE_RECORD_MAX != RB_MAX_DATA);

DEFINE_MUTEX(trace_lock);
struct trace_buffer *trace_buf;
static bool events_typed;

/* -1: no filter. */
static int filter_cpu = -1;
static int filter_pid = -1;

void trace_seq_printf(struct trace_seq *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->len >= sizeof(s->buffer) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(s->buffer + s->len, sizeof(s->buffer) - s->len, fmt, ap);
	va_end(ap);
	s->len = min(s->len + (unsigned int)n, (unsigned int)sizeof(s->buffer) - 1);
}

static unsigned char entry_flags(void)
{
	unsigned char f = 0;

	if (irqs_disabled())
		f |= TRACE_FLAG_IRQS_OFF;
	if (test_preempt_need_resched())
		f |= TRACE_FLAG_NEED_RESCHED;
	if (in_hardirq())
		f |= TRACE_FLAG_HARDIRQ;
	if (in_serving_softirq())
		f |= TRACE_FLAG_SOFTIRQ;
	return f;
}

/*
 * The record path calls no function the function tracer can trace (such a
 * call from its handler would come back to it and count as recursion):
 * sched_ready() is notrace, and a thread name is copied as two 8-byte
 * words, which every compiler does inline (a 16-byte __builtin_memcpy()
 * is a call of __asan_memcpy(), then the traced __memcpy(), under clang's
 * KASAN).
 */
static __always_inline void comm_copy(char *dst, const char *src)
{
	u64 w0, w1;

	BUILD_BUG_ON(TRACE_COMM_LEN != 2 * sizeof(u64));
	__builtin_memcpy(&w0, src, sizeof(w0));
	__builtin_memcpy(&w1, src + sizeof(w0), sizeof(w1));
	__builtin_memcpy(dst, &w0, sizeof(w0));
	__builtin_memcpy(dst + sizeof(w0), &w1, sizeof(w1));
}

/* The pid and name a record carries: Linux's <idle>-0 for the idle threads. */
static int entry_task(char *comm)
{
	static const char idle[TRACE_COMM_LEN] = "<idle>";
	struct task_struct *t = sched_ready() ? current : NULL;

	if (!t || (t->flags & PF_IDLE)) {
		comm_copy(comm, idle);
		return 0;
	}
	BUILD_BUG_ON(sizeof(t->comm) < TRACE_COMM_LEN);
	comm_copy(comm, t->comm);
	return task_pid_nr(t);
}

void *trace_event_buffer_reserve(struct trace_event_buffer *fbuffer,
				 struct trace_event_call *call)
{
	struct trace_buffer *b = READ_ONCE(trace_buf);
	unsigned int pc = preempt_count() & 0xff, cpu;
	struct trace_entry *ent;
	char comm[TRACE_COMM_LEN];
	int fcpu, fpid, pid;

	if (!b)
		return NULL;
	preempt_disable();
	cpu = smp_processor_id();
	fcpu = READ_ONCE(filter_cpu);
	fpid = READ_ONCE(filter_pid);
	pid = entry_task(comm);
	if ((fcpu >= 0 && (unsigned int)fcpu != cpu) || (fpid >= 0 && fpid != pid)) {
		preempt_enable();
		return NULL;
	}
	fbuffer->buffer = b;
	fbuffer->event = ring_buffer_lock_reserve(b, call->size);
	preempt_enable();
	if (!fbuffer->event)
		return NULL;
	ent = ring_buffer_event_data(fbuffer->event);
	ent->type = call->type;
	ent->flags = entry_flags();
	ent->preempt_count = pc;
	ent->pid = pid;
	ent->ts = ktime_get_ns();
	comm_copy(ent->comm, comm);
	return ent;
}
EXPORT_SYMBOL_GPL(trace_event_buffer_reserve);

void trace_event_buffer_commit(struct trace_event_buffer *fbuffer)
{
	ring_buffer_unlock_commit(fbuffer->buffer, fbuffer->event);
}
EXPORT_SYMBOL_GPL(trace_event_buffer_commit);

/* Number the events (a record's type) once; trace_lock held. */
static void type_events(void)
{
	unsigned short i = 0;

	if (events_typed)
		return;
	for (struct trace_event_call *const *c = __start__ftrace_events; c < __stop__ftrace_events; c++)
		(*c)->type = i++;
	events_typed = true;
}

struct trace_event_call *trace_event_by_type(unsigned int type)
{
#ifdef CONFIG_FUNCTION_TRACER
	if (type == TRACE_TYPE_FUNCTION)
		return &ftrace_function_event;
#endif
	if (type >= (unsigned int)(__stop__ftrace_events - __start__ftrace_events))
		return NULL;
	return __start__ftrace_events[type];
}

struct trace_event_call *trace_find_event(const char *system, const char *name)
{
	for (struct trace_event_call *const *c = __start__ftrace_events; c < __stop__ftrace_events; c++)
		if (!strcmp((*c)->system, system) && !strcmp((*c)->name, name))
			return *c;
	return NULL;
}

/* Does @spec ("sys:ev", "sys:*", "sys", "ev", "*", "all") name @call? */
static bool spec_matches(const char *spec, const struct trace_event_call *call)
{
	const char *colon = strchr(spec, ':');
	size_t slen;

	if (!strcmp(spec, "*") || !strcmp(spec, "all"))
		return true;
	if (!colon)
		return !strcmp(spec, call->system) || !strcmp(spec, call->name);
	slen = colon - spec;
	if (strlen(call->system) != slen || strncmp(spec, call->system, slen))
		return false;
	return !strcmp(colon + 1, "*") || !strcmp(colon + 1, call->name);
}

/* The buffer, allocated on first use; trace_lock held. */
int trace_alloc_buffer(void)
{
	if (trace_buf)
		return 0;
	trace_buf = ring_buffer_alloc((unsigned long)CONFIG_TRACE_BUF_KB << 10, nr_cpu_ids);
	return trace_buf ? 0 : -ENOMEM;
}

int trace_set_event(const char *spec, bool enable)
{
	int n = 0, err;

	mutex_lock(&trace_lock);
	type_events();
	err = enable ? trace_alloc_buffer() : 0;
	for (struct trace_event_call *const *c = __start__ftrace_events;
	     !err && c < __stop__ftrace_events; c++) {
		if (!spec_matches(spec, *c))
			continue;
		if (enable)
			err = static_branch_enable(&(*c)->tp->key);
		else
			err = static_branch_disable(&(*c)->tp->key);
		n++;
	}
	mutex_unlock(&trace_lock);
	if (err)
		return err;
	if (!n) {
		pr_warn("trace: no event matches '%s' (-ENOENT)\n", spec);
		return -ENOENT;
	}
	return n;
}
EXPORT_SYMBOL_GPL(trace_set_event);

void trace_disable_all(void)
{
	mutex_lock(&trace_lock);
	for (struct trace_event_call *const *c = __start__ftrace_events; c < __stop__ftrace_events; c++)
		static_branch_disable(&(*c)->tp->key);
	mutex_unlock(&trace_lock);
	trace_function_stop();
}
EXPORT_SYMBOL_GPL(trace_disable_all);

int trace_set_filter(const char *expr)
{
	unsigned long v;

	if (!strcmp(expr, "none")) {
		WRITE_ONCE(filter_cpu, -1);
		WRITE_ONCE(filter_pid, -1);
		return 0;
	}
	if (!strncmp(expr, "cpu=", 4) && !kstrtoul(expr + 4, 10, &v) && v < nr_cpu_ids) {
		WRITE_ONCE(filter_cpu, (int)v);
		return 0;
	}
	if (!strncmp(expr, "pid=", 4) && !kstrtoul(expr + 4, 10, &v) && v <= INT_MAX) {
		WRITE_ONCE(filter_pid, (int)v);
		return 0;
	}
	pr_warn("trace: bad filter '%s': want cpu=N (N < %u), pid=N or none (-EINVAL)\n", expr,
		nr_cpu_ids);
	return -EINVAL;
}
EXPORT_SYMBOL_GPL(trace_set_filter);

void trace_filter_get(int *cpu, int *pid)
{
	*cpu = READ_ONCE(filter_cpu);
	*pid = READ_ONCE(filter_pid);
}

void trace_clear(void)
{
	mutex_lock(&trace_lock);
	if (trace_buf)
		ring_buffer_reset(trace_buf);
	ftrace_lost_reset();
	mutex_unlock(&trace_lock);
}
EXPORT_SYMBOL_GPL(trace_clear);

unsigned long trace_dropped(void)
{
	unsigned long n = 0;

	mutex_lock(&trace_lock);
	for (unsigned int c = 0; trace_buf && c < nr_cpu_ids; c++)
		n += ring_buffer_overrun_cpu(trace_buf, c);
	mutex_unlock(&trace_lock);
	return n;
}
EXPORT_SYMBOL_GPL(trace_dropped);

void trace_list(trace_out_fn out, void *ctx)
{
	char line[96];

	for (struct trace_event_call *const *c = __start__ftrace_events; c < __stop__ftrace_events; c++) {
		int n = snprintf(line, sizeof(line), "%c %s:%s\n",
				 static_key_enabled(&(*c)->tp->key) ? '*' : ' ', (*c)->system,
				 (*c)->name);

		out(ctx, line, min_t(size_t, n, sizeof(line) - 1));
	}
}
EXPORT_SYMBOL_GPL(trace_list);
