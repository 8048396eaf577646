/* SPDX-License-Identifier: GPL-2.0 */
/* Internals of kernel/trace/, shared by its files only. */
#ifndef _KERNEL_TRACE_TRACE_H
#define _KERNEL_TRACE_TRACE_H

#include <exo/errno.h>
#include <exo/mutex.h>
#include <exo/trace.h>
#include <exo/trace_events.h>

extern struct trace_event_call *const __start__ftrace_events[];
extern struct trace_event_call *const __stop__ftrace_events[];

/* Serialises the controls and the readers; writers never take it. */
extern struct mutex trace_lock;
/* NULL until an event is first enabled. */
extern struct trace_buffer *trace_buf;

int trace_alloc_buffer(void);
struct trace_event_call *trace_event_by_type(unsigned int type);
void trace_filter_get(int *cpu, int *pid);

/* The function tracer's records (ftrace.c): not an event of the section. */
#define TRACE_TYPE_FUNCTION	0xffff

#ifdef CONFIG_FUNCTION_TRACER
extern struct trace_event_call ftrace_function_event;
int trace_function_set(const char *glob);
int trace_function_stop(void);
bool trace_function_active(void);
/* The calls the handler dropped as recursion (trace header), and their reset. */
unsigned long ftrace_lost_calls(void);
void ftrace_lost_reset(void);
#ifdef CONFIG_KTEST
/* Test hook: the n-th batch of sites written from now fails, once. */
extern unsigned int ftrace_test_fail_batch;
/* Test hook: called by the handler between a record's reserve and commit. */
extern void (*ftrace_test_in_record)(void);
#endif
#else
static inline unsigned long ftrace_lost_calls(void)
{
	return 0;
}
static inline void ftrace_lost_reset(void) { }
static inline int trace_function_set(const char *glob)
{
	return -ENOSYS;
}
static inline int trace_function_stop(void)
{
	return -ENOSYS;
}
static inline bool trace_function_active(void)
{
	return false;
}
#endif

#ifdef CONFIG_KTEST
struct ktest;

/* The trace and ftrace suites: the size of their trace_show() buffer. */
#define TRACE_KTEST_OUT_MAX	(64 << 10)
int trace_ktest_init(struct ktest *t);
void trace_ktest_exit(struct ktest *t);
#endif

#endif /* _KERNEL_TRACE_TRACE_H */
