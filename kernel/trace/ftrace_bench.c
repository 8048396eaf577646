// SPDX-License-Identifier: GPL-2.0
/*
 * What the function tracer costs a call: an empty function called
 * through a pointer, its site a NOP5 (ftrace_call_off) and a call to the
 * trampoline recording each call (ftrace_call_on).  Built with the
 * tracer's flag, as the rest of kernel/trace/ is not.  The CPU filter
 * keeps other CPUs' records out of the ring; a full ring overwrites, as
 * a long trace does.
 */
#include <exo/bench.h>
#include <exo/smp.h>
#include <exo/trace.h>

#include "trace.h"

int ftrace_bench_fn(int x);

noinline int ftrace_bench_fn(int x)
{
	return x;
}

static void bench_call(struct bench *b, unsigned int ops)
{
	int (*volatile fn)(int) = ftrace_bench_fn;

	for (unsigned int i = 0; i < ops; i++)
		fn(i);
}

static int ftrace_on_setup(struct bench *b)
{
	char expr[16];
	int n = trace_function_set("ftrace_bench_fn");

	if (n < 0)
		return n;
	snprintf(expr, sizeof(expr), "cpu=%u", raw_smp_processor_id());
	return trace_set_filter(expr);
}

static void ftrace_on_teardown(struct bench *b)
{
	trace_function_stop();
	trace_set_filter("none");
	trace_clear();
}

DEFINE_BENCH(ftrace_call_off, "a call of an empty function, not traced (its NOP5)", bench_call);
DEFINE_BENCH_FULL(ftrace_call_on, .desc = "a call of an empty function, traced and recorded",
		  .run = bench_call, .setup = ftrace_on_setup, .teardown = ftrace_on_teardown);
