// SPDX-License-Identifier: GPL-2.0
/*
 * The function tracer (kernel/trace/ftrace.c): a traced function's site
 * becomes a call to the trampoline and its calls show as "func <-parent"
 * lines; untraced, the site is the NOP again, byte for byte, and records
 * nothing; globs select, a bad or empty one is refused; the CPU and
 * thread filters apply; a module's functions are traced after it loads
 * and when it loads; sites flip while other CPUs run them.
 *
 * Built with -fpatchable-function-entry (the rest of kernel/trace/ is
 * not): its functions are the ones traced.  They are called through a
 * volatile pointer so that the compiler neither inlines nor clones them.
 */
#include <exo/errno.h>
#include <exo/ftrace.h>
#include <exo/kallsyms.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/module.h>
#include <exo/sched.h>
#include <exo/shell.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/trace.h>
#include <exo/vmalloc.h>
#include <asm/ftrace.h>
#include <asm/processor.h>

#include "../module-internal.h"
#include "trace.h"

#define OUT_MAX		TRACE_KTEST_OUT_MAX
#define SMP_ROUNDS	12

static const u8 nop5[FTRACE_INSN_SIZE] = { FTRACE_NOP5 };

int ftrace_test_target(int x);
int ftrace_test_target2(int x);
int ftrace_test_caller(int (*fn)(int), int x);

noinline int ftrace_test_target(int x)
{
	return x + 1;
}

noinline int ftrace_test_target2(int x)
{
	return x + 2;
}

/* The parent every test's calls show. */
noinline int ftrace_test_caller(int (*fn)(int), int x)
{
	int (*volatile f)(int) = fn;

	return f(x) + 0;
}

/* Counts the occurrences of @what in trace_show()'s lines, all of them. */
struct count {
	const char *what;
	char *line;
	unsigned int n;
	char depth;	/* the preempt-depth flag of the last line matching */
	char irq;	/* and its hardirq/softirq flag */
};

static void count_line(void *ctx, const char *s, size_t n)
{
	struct count *c = ctx;

	n = min_t(size_t, n, OUT_MAX - 1);
	memcpy(c->line, s, n);
	c->line[n] = 0;
	for (const char *p = c->line; (p = strstr(p, c->what)); p++) {
		const char *cpu = strstr(c->line, "] ");

		c->n++;
		if (cpu && strlen(cpu) > 5) {
			c->depth = cpu[5];
			c->irq = cpu[4];
		}
	}
}

/* How many times trace_show() prints @what. */
static unsigned int show_count(struct ktest *t, const char *what)
{
	struct count c = { .what = what, .line = t->priv };

	trace_show(count_line, &c);
	return c.n;
}

/* The kernel's sites: found, sorted at boot into NOP5s, none for notrace code. */
static void test_sites(struct ktest *t)
{
	u8 insn[FTRACE_INSN_SIZE];

	KTEST_EXPECT_GT(t, ftrace_nr_sites(), 100u);
	KTEST_ASSERT_EQ(t, ftrace_site_insn((unsigned long)ftrace_test_target, insn), 0);
	KTEST_EXPECT_EQ(t, memcmp(insn, nop5, sizeof(nop5)), 0);
	KTEST_EXPECT_EQ(t, ftrace_site_insn((unsigned long)ftrace_handler, insn), -ENOENT);
	KTEST_EXPECT_EQ(t, ftrace_site_insn((unsigned long)trace_show, insn), -ENOENT);
	/* The stop NMI's code, which a text_poke rendezvous does not hold. */
	KTEST_EXPECT_EQ(t, ftrace_site_insn((unsigned long)smp_stop_begin, insn), -ENOENT);
	KTEST_EXPECT_EQ(t, ftrace_site_insn((unsigned long)smp_stop_end, insn), -ENOENT);
	KTEST_EXPECT_EQ(t, ftrace_site_insn((unsigned long)ftrace_test_target + 1, insn), -ENOENT);
	KTEST_EXPECT_FALSE(t, trace_function_active());
}

/* Traced: the site calls the trampoline and the call is recorded with its parent. */
static void test_trace_one(struct ktest *t)
{
	unsigned long fn = (unsigned long)ftrace_test_target;
	u8 before[32], insn[FTRACE_INSN_SIZE];
	s32 rel;

	memcpy(before, (void *)fn, sizeof(before));
	KTEST_ASSERT_EQ(t, trace_function_set("ftrace_test_target"), 1);
	KTEST_EXPECT_TRUE(t, trace_function_active());
	KTEST_ASSERT_EQ(t, ftrace_site_insn(fn, insn), 0);
	KTEST_EXPECT_EQ(t, insn[0], 0xe8);
	memcpy(&rel, &insn[1], sizeof(rel));
	KTEST_EXPECT_EQ(t, fn + FTRACE_INSN_SIZE + rel, (unsigned long)ftrace_caller);
	/* The rest of the function is untouched. */
	KTEST_EXPECT_EQ(t, memcmp((u8 *)fn + 5, before + 5, sizeof(before) - 5), 0);
	KTEST_EXPECT_EQ(t, ftrace_test_caller(ftrace_test_target, 41), 42);
	KTEST_EXPECT_EQ(t, ftrace_test_caller(ftrace_test_target2, 40), 42);
	KTEST_EXPECT_EQ(t, show_count(t, ": ftrace_test_target <-ftrace_test_caller\n"), 1u);
	KTEST_EXPECT_EQ(t, show_count(t, "ftrace_test_target2"), 0u);
	KTEST_EXPECT_EQ(t, show_count(t, "# tracer: function\n"), 1u);
	/* The line's task is ours, its preempt depth the caller's (0: '.'). */
	KTEST_EXPECT_EQ(t, show_count(t, current->comm), 1u);
	{
		struct count c = { .what = ": ftrace_test_target <-", .line = t->priv };

		trace_show(count_line, &c);
		KTEST_EXPECT_EQ(t, c.depth, '.');
	}

	trace_function_stop();
	KTEST_EXPECT_FALSE(t, trace_function_active());
	KTEST_EXPECT_EQ(t, memcmp((void *)fn, before, sizeof(before)), 0);
	trace_clear();
	KTEST_EXPECT_EQ(t, ftrace_test_caller(ftrace_test_target, 1), 2);
	KTEST_EXPECT_EQ(t, show_count(t, "ftrace_test_target"), 0u);
	KTEST_EXPECT_EQ(t, show_count(t, "# tracer: nop\n"), 1u);
}

/* A glob selects; a new glob replaces the old; `trace disable` stops too. */
static void test_glob(struct ktest *t)
{
	u8 insn[FTRACE_INSN_SIZE];

	KTEST_ASSERT_EQ(t, trace_function_set("ftrace_test_targ*"), 2);
	KTEST_EXPECT_EQ(t, ftrace_test_caller(ftrace_test_target, 0), 1);
	KTEST_EXPECT_EQ(t, ftrace_test_caller(ftrace_test_target2, 0), 2);
	KTEST_EXPECT_EQ(t, show_count(t, ": ftrace_test_target <-ftrace_test_caller\n"), 1u);
	KTEST_EXPECT_EQ(t, show_count(t, ": ftrace_test_target2 <-ftrace_test_caller\n"), 1u);
	KTEST_EXPECT_EQ(t, trace_function_set("ftrace_test_?arget2"), 1);
	KTEST_ASSERT_EQ(t, ftrace_site_insn((unsigned long)ftrace_test_target, insn), 0);
	KTEST_EXPECT_EQ(t, memcmp(insn, nop5, sizeof(nop5)), 0);
	trace_clear();
	ftrace_test_caller(ftrace_test_target, 0);
	ftrace_test_caller(ftrace_test_target2, 0);
	KTEST_EXPECT_EQ(t, show_count(t, ": ftrace_test_target <-"), 0u);
	KTEST_EXPECT_EQ(t, show_count(t, ": ftrace_test_target2 <-"), 1u);
	trace_disable_all();
	KTEST_ASSERT_EQ(t, ftrace_site_insn((unsigned long)ftrace_test_target2, insn), 0);
	KTEST_EXPECT_EQ(t, memcmp(insn, nop5, sizeof(nop5)), 0);
	KTEST_EXPECT_FALSE(t, trace_function_active());
}

/* Bad globs and globs matching nothing are refused and change nothing. */
static void test_bad_glob(struct ktest *t)
{
	char long_glob[KSYM_NAME_LEN + 1];

	memset(long_glob, 'a', sizeof(long_glob) - 1);
	long_glob[sizeof(long_glob) - 1] = 0;
	KTEST_ASSERT_EQ(t, trace_function_set("ftrace_test_target"), 1);
	KTEST_EXPECT_EQ(t, trace_function_set(""), -EINVAL);
	KTEST_EXPECT_EQ(t, trace_function_set("ftrace test"), -EINVAL);
	KTEST_EXPECT_EQ(t, trace_function_set("[ft]race_*"), -EINVAL);
	KTEST_EXPECT_EQ(t, trace_function_set(long_glob), -EINVAL);
	KTEST_EXPECT_EQ(t, trace_function_set("no_such_function_xyzzy*"), -ENOENT);
	/* notrace functions have no site: no match. */
	KTEST_EXPECT_EQ(t, trace_function_set("ftrace_handler"), -ENOENT);
	if (IS_ENABLED(CONFIG_KERNEL_SHELL)) {
		KTEST_EXPECT_EQ(t, shell_run_command("trace function no_such_function_xyzzy"),
				-ENOENT);
		KTEST_EXPECT_EQ(t, shell_run_command("trace function a-b"), -EINVAL);
	}
	/* Still tracing the first glob. */
	KTEST_EXPECT_TRUE(t, trace_function_active());
	ftrace_test_caller(ftrace_test_target, 0);
	KTEST_EXPECT_EQ(t, show_count(t, ": ftrace_test_target <-ftrace_test_caller\n"), 1u);
	if (IS_ENABLED(CONFIG_KERNEL_SHELL))
		KTEST_EXPECT_EQ(t, shell_run_command("trace function off"), 0);
	else
		trace_function_stop();
	KTEST_EXPECT_FALSE(t, trace_function_active());
}

/*
 * A failed untrace (test hook: the rendezvous times out, nothing written)
 * leaves the tracer on, the header saying so, and stopping again removes
 * the sites.  Before the fix the tracer was marked off although the site
 * still called the trampoline, and a second stop did nothing.
 */
static void test_failed_stop(struct ktest *t)
{
	unsigned long fn = (unsigned long)ftrace_test_target;
	u8 before[FTRACE_INSN_SIZE], insn[FTRACE_INSN_SIZE];

	memcpy(before, (void *)fn, sizeof(before));
	KTEST_ASSERT_EQ(t, trace_function_set("ftrace_test_target"), 1);
	ftrace_test_fail_batch = 1;
	KTEST_EXPECT_EQ(t, trace_function_stop(), -ETIMEDOUT);
	ftrace_test_fail_batch = 0;
	KTEST_EXPECT_TRUE(t, trace_function_active());
	KTEST_ASSERT_EQ(t, ftrace_site_insn(fn, insn), 0);
	KTEST_EXPECT_EQ(t, insn[0], 0xe8);
	trace_clear();
	ftrace_test_caller(ftrace_test_target, 0);
	KTEST_EXPECT_EQ(t, show_count(t, ": ftrace_test_target <-ftrace_test_caller\n"), 1u);
	KTEST_EXPECT_EQ(t, show_count(t, "# tracer: function\n"), 1u);

	KTEST_EXPECT_EQ(t, trace_function_stop(), 0);
	KTEST_EXPECT_FALSE(t, trace_function_active());
	KTEST_EXPECT_EQ(t, memcmp((void *)fn, before, sizeof(before)), 0);
	trace_clear();
	ftrace_test_caller(ftrace_test_target, 0);
	KTEST_EXPECT_EQ(t, show_count(t, "ftrace_test_target"), 0u);
}

/* The thread and CPU filters apply to function records as to events. */
static void test_filters(struct ktest *t)
{
	char expr[24];
	unsigned int cpu;

	KTEST_ASSERT_EQ(t, trace_function_set("ftrace_test_target"), 1);
	snprintf(expr, sizeof(expr), "pid=%d", task_pid_nr(current) + 1000);
	KTEST_ASSERT_EQ(t, trace_set_filter(expr), 0);
	ftrace_test_caller(ftrace_test_target, 0);
	KTEST_EXPECT_EQ(t, show_count(t, ": ftrace_test_target <-"), 0u);
	snprintf(expr, sizeof(expr), "pid=%d", task_pid_nr(current));
	KTEST_ASSERT_EQ(t, trace_set_filter(expr), 0);
	ftrace_test_caller(ftrace_test_target, 0);
	KTEST_EXPECT_EQ(t, show_count(t, ": ftrace_test_target <-"), 1u);
	trace_clear();
	/* A CPU filter: on this CPU (preemption off so that we stay on it). */
	preempt_disable();
	cpu = smp_processor_id();
	snprintf(expr, sizeof(expr), "cpu=%u", cpu);
	KTEST_EXPECT_EQ(t, trace_set_filter(expr), 0);
	ftrace_test_caller(ftrace_test_target, 0);
	if (nr_cpu_ids > 1) {
		snprintf(expr, sizeof(expr), "cpu=%u", (cpu + 1) % nr_cpu_ids);
		KTEST_EXPECT_EQ(t, trace_set_filter(expr), 0);
		ftrace_test_caller(ftrace_test_target, 0);
	}
	preempt_enable();
	KTEST_EXPECT_EQ(t, show_count(t, ": ftrace_test_target <-"), 1u);
	trace_set_filter("none");
}

/* A module's function: traced after insmod, and at load while its glob is on. */
static void test_module(struct ktest *t)
{
	const struct modtest_blob *b = modtest_blob("modtest_jump");
	struct module *mod = NULL;
	int (*own)(int);
	u8 insn[FTRACE_INSN_SIZE];
	unsigned int before = ftrace_nr_sites();

	KTEST_ASSERT_NOT_NULL(t, b);
	KTEST_EXPECT_EQ(t, trace_function_set("modtest_jump_own"), -ENOENT);
	KTEST_ASSERT_EQ(t, load_module(b->start, b->end - b->start, &mod), 0);
	KTEST_EXPECT_GE(t, ftrace_nr_sites(), before + 2);
	own = (void *)find_exported_symbol("modtest_jump_own");
	KTEST_ASSERT_NOT_NULL(t, own);
	KTEST_ASSERT_EQ(t, ftrace_site_insn((unsigned long)own, insn), 0);
	KTEST_EXPECT_EQ(t, memcmp(insn, nop5, sizeof(nop5)), 0);
	KTEST_EXPECT_EQ(t, trace_function_set("modtest_jump_*"), 2);
	KTEST_EXPECT_EQ(t, ftrace_test_caller(own, 0), 0);
	KTEST_EXPECT_EQ(t, show_count(t, ": modtest_jump_own [modtest_jump] <-ftrace_test_caller\n"), 1u);
	KTEST_EXPECT_EQ(t, unload_module("modtest_jump"), 0);
	KTEST_EXPECT_EQ(t, ftrace_nr_sites(), before);
	/* The glob is still on: the module's sites are calls as it loads. */
	trace_clear();
	KTEST_ASSERT_EQ(t, load_module(b->start, b->end - b->start, &mod), 0);
	own = (void *)find_exported_symbol("modtest_jump_own");
	KTEST_ASSERT_NOT_NULL(t, own);
	KTEST_ASSERT_EQ(t, ftrace_site_insn((unsigned long)own, insn), 0);
	KTEST_EXPECT_EQ(t, insn[0], 0xe8);
	KTEST_EXPECT_EQ(t, ftrace_test_caller(own, 0), 0);
	KTEST_EXPECT_EQ(t, show_count(t, ": modtest_jump_own [modtest_jump] <-ftrace_test_caller\n"), 1u);
	trace_function_stop();
	KTEST_ASSERT_EQ(t, ftrace_site_insn((unsigned long)own, insn), 0);
	KTEST_EXPECT_EQ(t, memcmp(insn, nop5, sizeof(nop5)), 0);
	KTEST_EXPECT_EQ(t, unload_module("modtest_jump"), 0);
}

/*
 * Every traceable function at once, as 'trace function *' does: the
 * patcher and the rendezvous run while being traced, and the text comes
 * back.  The record path calls no traced function, so nothing counts as
 * recursion (a memcpy() or sched_ready() call in it did, for every
 * record written).
 */
static void test_trace_all(struct ktest *t)
{
	unsigned long fn = (unsigned long)ftrace_test_target;
	u8 before[32];
	int n;

	memcpy(before, (void *)fn, sizeof(before));
	trace_clear();
	n = trace_function_set("*");
	/* A site whose address no symbol starts at has no name to match. */
	KTEST_EXPECT_GT(t, n, (int)ftrace_nr_sites() * 9 / 10);
	KTEST_EXPECT_EQ(t, ftrace_test_caller(ftrace_test_target, 1), 2);
	trace_function_stop();
	KTEST_EXPECT_FALSE(t, trace_function_active());
	KTEST_EXPECT_EQ(t, memcmp((void *)fn, before, sizeof(before)), 0);
	/* The rings overflowed (their oldest records, ours, are gone). */
	KTEST_EXPECT_GT(t, show_count(t, " <-"), 0u);
	KTEST_EXPECT_GT(t, trace_dropped(), 0ul);
	KTEST_EXPECT_EQ(t, ftrace_lost_calls(), 0ul);
	ktest_log(t, "%d functions traced, %lu records dropped, %lu calls lost", n,
		  trace_dropped(), ftrace_lost_calls());
}

/*
 * Called by the handler while it writes ftrace_test_target's record: a
 * traced call of the handler's own is recursion (dropped, counted lost);
 * one from an interrupt arriving now, another context, is recorded.
 */
static void in_record(void)
{
	unsigned long flags;

	WRITE_ONCE(ftrace_test_in_record, NULL);
	ftrace_test_caller(ftrace_test_target2, 1);
	local_irq_save(flags);
	__preempt_count_add(HARDIRQ_OFFSET);	/* as an interrupt's entry does */
	ftrace_test_caller(ftrace_test_target2, 2);
	__preempt_count_add(-(int)HARDIRQ_OFFSET);
	local_irq_restore(flags);
}

static void test_recursion(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, trace_function_set("ftrace_test_target*"), 2);
	WRITE_ONCE(ftrace_test_in_record, in_record);
	KTEST_EXPECT_EQ(t, ftrace_test_caller(ftrace_test_target, 1), 2);
	WRITE_ONCE(ftrace_test_in_record, NULL);
	trace_function_stop();
	KTEST_EXPECT_EQ(t, show_count(t, ": ftrace_test_target <-ftrace_test_caller\n"), 1u);
	/* The interrupt's call, with the hardirq flag. */
	{
		struct count c = { .what = ": ftrace_test_target2 <-ftrace_test_caller\n",
				   .line = t->priv };

		trace_show(count_line, &c);
		KTEST_EXPECT_EQ(t, c.n, 1u);
		KTEST_EXPECT_EQ(t, c.irq, 'h');
	}
	KTEST_EXPECT_EQ(t, show_count(t, "# lost (function tracer recursion): 1\n"), 1u);
	trace_clear();
	KTEST_EXPECT_EQ(t, show_count(t, "# lost (function tracer recursion): 0\n"), 1u);
}

/*
 * The code that runs in the interrupted context on the way into and out
 * of an interrupt has no site: traced, its calls during a task's record
 * were dropped as recursion (the interrupt's count not added yet, or
 * already removed).
 */
static void test_irq_entry_untraced(struct ktest *t)
{
	static const char *const names[] = {
		"do_interrupt", "irq_exit_softirq", "handle_softirqs",
		"__pcp_restart_fixup",
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++) {
		int n = trace_function_set(names[i]);

		KTEST_EXPECT_EQ(t, n, -ENOENT);
		if (n > 0) {
			ktest_log(t, "%s is traced", names[i]);
			trace_function_stop();
		}
	}
	KTEST_EXPECT_FALSE(t, trace_function_active());
}

struct smp_ctx {
	int stop;
	int err;
	unsigned long runs[NR_CPUS];
};

/* Worker 0 turns tracing on and off; the others run the traced function. */
static void smp_worker(void *arg, unsigned int id)
{
	struct smp_ctx *c = arg;

	if (id) {
		while (!READ_ONCE(c->stop)) {
			if (ftrace_test_caller(ftrace_test_target, 1) != 2)
				WRITE_ONCE(c->err, -EIO);
			c->runs[id]++;
		}
		return;
	}
	for (int k = 0; k < SMP_ROUNDS && !c->err; k++) {
		int n = trace_function_set("ftrace_test_targe?");

		if (n != 1)
			WRITE_ONCE(c->err, n < 0 ? n : -EINVAL);
		trace_function_stop();
	}
	/* End traced, so that the buffer holds the workers' records. */
	if (!c->err && trace_function_set("ftrace_test_targe?") != 1)
		WRITE_ONCE(c->err, -EINVAL);
	for (u64 end = ktime_get_ns() + 20 * NSEC_PER_MSEC; ktime_get_ns() < end;)
		cpu_relax();
	trace_function_stop();
	WRITE_ONCE(c->stop, 1);
}

static void test_smp_patch(struct ktest *t)
{
	unsigned long fn = (unsigned long)ftrace_test_target;
	struct smp_ctx *c = vmalloc(sizeof(*c));
	unsigned int workers = min_t(unsigned int, num_online_cpus(), 4), cpus = 0;
	unsigned long runs = 0;
	u8 before[32];
	char tag[16];

	KTEST_ASSERT_NOT_NULL(t, c);
	memset(c, 0, sizeof(*c));
	memcpy(before, (void *)fn, sizeof(before));
	KTEST_EXPECT_EQ(t, ktest_run_on_cpus(workers, smp_worker, c), (int)workers);
	KTEST_EXPECT_EQ(t, c->err, 0);
	for (unsigned int i = 1; i < workers; i++)
		runs += c->runs[i];
	KTEST_EXPECT_GT(t, runs, 0ul);
	KTEST_EXPECT_EQ(t, memcmp((void *)fn, before, sizeof(before)), 0);
	/* Records from the CPUs that ran it. */
	KTEST_EXPECT_GT(t, show_count(t, ": ftrace_test_target <-ftrace_test_caller\n"), 0u);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		snprintf(tag, sizeof(tag), "[%03u]", cpu);
		cpus += show_count(t, tag) > 0;
	}
	KTEST_EXPECT_GE(t, cpus, workers - 1);
	ktest_log(t, "%d rounds, %u CPUs ran the site %lu times, records from %u CPUs",
		  SMP_ROUNDS, workers - 1, runs, cpus);
	vfree(c);
}

static struct ktest_case ftrace_cases[] = {
	KTEST_CASE(test_sites),
	KTEST_CASE(test_trace_one),
	KTEST_CASE(test_glob),
	KTEST_CASE(test_bad_glob),
	KTEST_CASE(test_failed_stop),
	KTEST_CASE(test_filters),
	KTEST_CASE(test_module),
	KTEST_CASE(test_trace_all),
	KTEST_CASE(test_recursion),
	KTEST_CASE(test_irq_entry_untraced),
	KTEST_CASE_FLAGS(test_smp_patch, KTEST_F_SMP),
	{}
};

static struct ktest_suite ftrace_suite = {
	.name = "ftrace",
	.init = trace_ktest_init,
	.exit = trace_ktest_exit,
	.cases = ftrace_cases,
};
KTEST_SUITE(ftrace_suite);
