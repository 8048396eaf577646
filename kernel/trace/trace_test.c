// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the tracing core through its controls and the `trace` shell
 * command: events on and off, the system and event names, the CPU and
 * thread filters, ftrace's text format, drops on overflow, and events
 * from every CPU at once.
 */
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/mm.h>
#include <exo/module.h>
#include <exo/page_alloc.h>
#include <exo/preempt.h>
#include <exo/sched.h>
#include <exo/shell.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/tlb.h>
#include <exo/trace.h>
#include <exo/vmalloc.h>

#include "../module-internal.h"
#include "trace.h"

#include <trace/events/ktest.h>

#define OUT_MAX		TRACE_KTEST_OUT_MAX

/* What trace_show() printed: the first OUT_MAX bytes, and per line checks. */
struct out {
	char *buf;
	size_t len;
	unsigned long lines, events, unordered, malformed;
	u64 last_us;
};

/* "   comm-pid   [cpu] dnhp  123.456789: event: ..." -> microseconds */
static bool parse_line(const char *s, u64 *us)
{
	const char *p = strstr(s, "] ");
	unsigned long sec = 0, usec = 0;

	if (!p || s[16] != '-' || p[-4] != '[' || p[6] != ' ')
		return false;
	for (p += 7; *p == ' '; p++)
		;
	for (; *p >= '0' && *p <= '9'; p++)
		sec = sec * 10 + (*p - '0');
	if (*p++ != '.')
		return false;
	for (int i = 0; i < 6; i++, p++) {
		if (*p < '0' || *p > '9')
			return false;
		usec = usec * 10 + (*p - '0');
	}
	if (p[0] != ':' || p[1] != ' ' || !strstr(p + 2, ": "))
		return false;
	*us = (u64)sec * 1000000 + usec;
	return true;
}

static void collect(void *ctx, const char *s, size_t n)
{
	struct out *o = ctx;
	u64 us;

	if (o->len + n < OUT_MAX) {
		memcpy(o->buf + o->len, s, n);
		o->len += n;
		o->buf[o->len] = 0;
	}
	o->lines++;
	if (s[0] == '#')
		return;
	o->events++;
	if (!parse_line(s, &us)) {
		o->malformed++;
		return;
	}
	o->unordered += us < o->last_us;
	o->last_us = us;
}

static int show(struct ktest *t, struct out *o)
{
	int n;

	memset(o, 0, sizeof(*o));
	o->buf = t->priv;
	o->buf[0] = 0;
	n = trace_show(collect, o);
	KTEST_EXPECT_EQ(t, o->malformed, 0);
	KTEST_EXPECT_EQ(t, o->unordered, 0);
	return n;
}

/*
 * Both suites start and end with a buffer of OUT_MAX bytes in t->priv and
 * every event, filter and record gone.
 */
int trace_ktest_init(struct ktest *t)
{
	t->priv = vmalloc(OUT_MAX);
	if (!t->priv)
		return -ENOMEM;
	trace_disable_all();
	trace_set_filter("none");
	trace_clear();
	return 0;
}

void trace_ktest_exit(struct ktest *t)
{
	trace_disable_all();
	trace_set_filter("none");
	trace_clear();
	vfree(t->priv);
}

static void test_list(struct ktest *t)
{
	static const char *const names[] = {
		"mm:page_alloc", "mm:page_free", "mm:kmalloc", "mm:kfree", "mm:tlb_flush",
		"mm:tlb_shootdown", "irq:irq_handler_entry", "irq:irq_handler_exit",
		"sched:sched_switch", "sched:sched_wakeup", "module:module_load",
		"module:module_free",
	};
	struct out o = { .buf = t->priv };

	trace_list(collect, &o);
	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
		KTEST_EXPECT_NOT_NULL(t, strstr(o.buf, names[i]));
#ifdef CONFIG_BLOCK
	KTEST_EXPECT_NOT_NULL(t, strstr(o.buf, "block:block_rq_issue"));
#endif
#ifdef CONFIG_NET
	KTEST_EXPECT_NOT_NULL(t, strstr(o.buf, "net:net_dev_xmit"));
#endif
	KTEST_EXPECT_NULL(t, strstr(o.buf, "* mm:kmalloc"));
}

/* One kmalloc(77) shows as one line in ftrace's format, with our name and pid. */
static void test_kmalloc_event(struct ktest *t)
{
	char who[32];
	struct out o;
	void *p;

	KTEST_ASSERT_EQ(t, trace_set_event("mm:kmalloc", true), 1);
	p = kmalloc(77, GFP_KERNEL);
	kfree(p);
	trace_disable_all();
	KTEST_EXPECT_GE(t, show(t, &o), 1);
	KTEST_EXPECT_NOT_NULL(t, strstr(o.buf, "# tracer: nop\n"));
	KTEST_EXPECT_NOT_NULL(t, strstr(o.buf, "#           TASK-PID   CPU#  ||||    TIMESTAMP  FUNCTION\n"));
	KTEST_EXPECT_NOT_NULL(t, strstr(o.buf, "bytes_req=77 gfp_flags="));
	KTEST_EXPECT_NOT_NULL(t, strstr(o.buf, " kmalloc: call_site=test_kmalloc_event+"));
	KTEST_EXPECT_NULL(t, strstr(o.buf, " kfree: "));
	snprintf(who, sizeof(who), "%16.16s-%-5d [%03u] ", current->comm, task_pid_nr(current),
		 smp_processor_id());
	KTEST_EXPECT_NOT_NULL(t, strstr(o.buf, who));
}

static void test_off_records_nothing(struct ktest *t)
{
	struct out o;

	kfree(kmalloc(32, GFP_KERNEL));
	KTEST_EXPECT_EQ(t, show(t, &o), 0);
	KTEST_EXPECT_EQ(t, o.events, 0);
	KTEST_EXPECT_NOT_NULL(t, strstr(o.buf, "# tracer: nop\n"));
}

static void test_names(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, trace_set_event("mm:*", true), 6);
	KTEST_EXPECT_EQ(t, trace_set_event("sched", true), 2);
	KTEST_EXPECT_EQ(t, trace_set_event("kfree", false), 1);
	KTEST_EXPECT_EQ(t, trace_set_event("mm:nosuch", true), -ENOENT);
	KTEST_EXPECT_EQ(t, trace_set_event("nosys:*", true), -ENOENT);
	KTEST_EXPECT_EQ(t, trace_set_event("", true), -ENOENT);
	KTEST_EXPECT_GE(t, trace_set_event("all", false), 12);
}

static void test_filter_pid_cpu(struct ktest *t)
{
	char expr[24];
	struct out o;

	KTEST_ASSERT_EQ(t, trace_set_event("mm:kmalloc", true), 1);
	snprintf(expr, sizeof(expr), "pid=%d", task_pid_nr(current) + 1000);
	KTEST_ASSERT_EQ(t, trace_set_filter(expr), 0);
	kfree(kmalloc(40, GFP_KERNEL));
	snprintf(expr, sizeof(expr), "cpu=%u", (smp_processor_id() + 1) % nr_cpu_ids);
	KTEST_ASSERT_EQ(t, trace_set_filter("none"), 0);
	if (nr_cpu_ids > 1) {
		KTEST_ASSERT_EQ(t, trace_set_filter(expr), 0);
		kfree(kmalloc(41, GFP_KERNEL));
		trace_set_filter("none");
	}
	snprintf(expr, sizeof(expr), "pid=%d", task_pid_nr(current));
	KTEST_ASSERT_EQ(t, trace_set_filter(expr), 0);
	kfree(kmalloc(42, GFP_KERNEL));
	trace_disable_all();
	trace_set_filter("none");
	show(t, &o);
	KTEST_EXPECT_NULL(t, strstr(o.buf, "bytes_req=40 "));
	KTEST_EXPECT_NULL(t, strstr(o.buf, "bytes_req=41 "));
	KTEST_EXPECT_NOT_NULL(t, strstr(o.buf, "bytes_req=42 "));
}

static void test_bad_input(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, trace_set_filter("cpu=99999"), -EINVAL);
	KTEST_EXPECT_EQ(t, trace_set_filter("pid=x"), -EINVAL);
	KTEST_EXPECT_EQ(t, trace_set_filter("comm=ls"), -EINVAL);
	KTEST_EXPECT_EQ(t, shell_run_command("trace"), -EINVAL);
	KTEST_EXPECT_EQ(t, shell_run_command("trace bogus"), -EINVAL);
	KTEST_EXPECT_EQ(t, shell_run_command("trace enable"), -EINVAL);
	KTEST_EXPECT_EQ(t, shell_run_command("trace enable mm:nosuch"), -ENOENT);
	KTEST_EXPECT_EQ(t, shell_run_command("trace show extra"), -EINVAL);
	KTEST_EXPECT_EQ(t, shell_run_command("trace filter"), -EINVAL);
	KTEST_EXPECT_EQ(t, shell_run_command("trace filter cpu=-1"), -EINVAL);
#ifndef CONFIG_FUNCTION_TRACER
	KTEST_EXPECT_EQ(t, shell_run_command("trace function edu_*"), -ENOSYS);
#endif
}

static void test_shell(struct ktest *t)
{
	struct out o;

	KTEST_EXPECT_EQ(t, shell_run_command("trace list"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("trace enable mm:kmalloc"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("trace filter cpu=0"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("trace filter none"), 0);
	kfree(kmalloc(99, GFP_KERNEL));
	KTEST_EXPECT_EQ(t, shell_run_command("trace disable"), 0);
	KTEST_EXPECT_EQ(t, show(t, &o), 1);
	KTEST_EXPECT_EQ(t, shell_run_command("trace clear"), 0);
	KTEST_EXPECT_EQ(t, show(t, &o), 0);
}

/* A full ring drops its oldest records and counts them; clear zeroes the count. */
static void test_overflow(struct ktest *t)
{
	unsigned int n = (CONFIG_TRACE_BUF_KB << 10) / 128 + 100;
	struct out o;

	KTEST_ASSERT_EQ(t, trace_set_event("mm:kmalloc", true), 1);
	preempt_disable();
	for (unsigned int i = 0; i < n; i++)
		kfree(kmalloc(24, GFP_ATOMIC));
	preempt_enable();
	trace_disable_all();
	KTEST_EXPECT_GE(t, trace_dropped(), 100);
	KTEST_EXPECT_EQ(t, show(t, &o), (int)((CONFIG_TRACE_BUF_KB << 10) / 128));
	KTEST_EXPECT_NULL(t, strstr(o.buf, "# dropped (overwritten before read): 0\n"));
	trace_clear();
	KTEST_EXPECT_EQ(t, trace_dropped(), 0);
}

static void smp_worker(void *arg, unsigned int id)
{
	for (int i = 0; i < 300; i++)
		kfree(kmalloc(16 + id, GFP_KERNEL));
}

/* Every CPU records at once; the output merges them in time order. */
static void test_smp_events(struct ktest *t)
{
	unsigned int cpus_seen = 0;
	struct out o;
	char tag[16];
	int n;

	KTEST_ASSERT_EQ(t, trace_set_event("mm:kmalloc", true), 1);
	n = ktest_run_on_cpus(4, smp_worker, NULL);
	trace_disable_all();
	KTEST_ASSERT_GT(t, n, 1);
	KTEST_EXPECT_GE(t, show(t, &o) + (long)trace_dropped(), n * 300);
	for (unsigned int c = 0; c < nr_cpu_ids; c++) {
		snprintf(tag, sizeof(tag), " [%03u] ", c);
		cpus_seen += !!strstr(o.buf, tag);
	}
	KTEST_EXPECT_GE(t, cpus_seen, (unsigned int)min(n, 2));
}

/* The scheduler's events: a sleep switches away, the tick wakes us. */
static void test_sched_events(struct ktest *t)
{
	char me[96];
	struct out o;

	KTEST_ASSERT_EQ(t, trace_set_event("sched:*", true), 2);
	msleep(20);
	trace_disable_all();
	show(t, &o);
	snprintf(me, sizeof(me), "sched_switch: prev_comm=%s prev_pid=%d prev_prio=120 prev_state=D ==> ",
		 current->comm, task_pid_nr(current));
	KTEST_EXPECT_NOT_NULL(t, strstr(o.buf, me));
	snprintf(me, sizeof(me), "sched_wakeup: comm=%s pid=%d prio=120 target_cpu=%03u\n",
		 current->comm, task_pid_nr(current), smp_processor_id());
	KTEST_EXPECT_NOT_NULL(t, strstr(o.buf, me));
}

/* trace_ktest_find()'s search: the first line with every needle, and a count. */
struct find {
	const char *const *needles;
	char *line;
	size_t size;
	int found;
};

static void find_line(void *ctx, const char *s, size_t n)
{
	struct find *f = ctx;
	char buf[TRACE_KTEST_LINE_MAX];

	if (s[0] == '#')
		return;
	n = min(n, sizeof(buf) - 1);
	memcpy(buf, s, n);
	buf[n] = 0;
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	for (const char *const *p = f->needles; *p; p++)
		if (!strstr(buf, *p))
			return;
	if (!f->found++)
		strlcpy(f->line, buf, f->size);
}

/* Find a recorded event line; kernel-doc in <exo/trace.h>. */
int trace_ktest_find(const char *const *needles, char *line, size_t size)
{
	struct find f = { .needles = needles, .line = line, .size = size };

	line[0] = 0;
	trace_show(find_line, &f);
	return f.found;
}

/* One line of the trace has every text given (an event and its fields). */
#define expect_event(t, ev, ...)						\
	do {									\
		char __line[TRACE_KTEST_LINE_MAX];				\
										\
		if (trace_ktest_grep(__line, sizeof(__line), ev, __VA_ARGS__) < 1 &&	\
		    trace_ktest_grep(__line, sizeof(__line), __VA_ARGS__) > 0)	\
			ktest_log(t, "not the line wanted: %s", __line);	\
		KTEST_EXPECT_GE(t, trace_ktest_grep(__line, sizeof(__line), ev, __VA_ARGS__), 1); \
	} while (0)

/*
 * mm:page_alloc and mm:page_free from the fast paths of alloc_pages() and
 * __free_pages() (a cached order, no fault injection) and from
 * alloc_frame()/free_frame().
 */
static void test_page_events(struct ktest *t)
{
	char pfn[32], frame[32], gfp[32];
	struct page *page;
	phys_addr_t f;

	KTEST_ASSERT_EQ(t, trace_set_event("mm:page_alloc", true), 1);
	KTEST_ASSERT_EQ(t, trace_set_event("mm:page_free", true), 1);
	page = alloc_pages(GFP_KERNEL, 0);
	KTEST_ASSERT_NOT_NULL(t, page);
	if (alloc_frame(&f)) {
		__free_pages(page, 0);
		KTEST_ASSERT_TRUE(t, false);
	}
	KTEST_EXPECT_EQ(t, free_frame(f), 0);
	__free_pages(page, 0);
	trace_disable_all();
	snprintf(pfn, sizeof(pfn), " pfn=0x%lx order=0", page_to_pfn(page));
	snprintf(frame, sizeof(frame), " pfn=0x%lx order=0", (unsigned long)PHYS_PFN(f));
	snprintf(gfp, sizeof(gfp), " gfp_flags=%#x", (__force unsigned int)GFP_KERNEL);
	expect_event(t, " page_alloc:", pfn, gfp);
	expect_event(t, " page_alloc:", frame, gfp);
	expect_event(t, " page_free:", pfn);
	expect_event(t, " page_free:", frame);
	/* A refused free (here a frame already free, misaligned) records none. */
	trace_clear();
	KTEST_ASSERT_EQ(t, trace_set_event("mm:page_free", true), 1);
	KTEST_EXPECT_LT(t, free_frame(f + 1), 0);
	trace_disable_all();
	{
		char line[TRACE_KTEST_LINE_MAX];

		KTEST_EXPECT_EQ(t, trace_ktest_grep(line, sizeof(line), " page_free:", frame), 0);
	}
}

/*
 * mm:kmalloc and mm:kfree from kmalloc_node(), krealloc() (plain flags and
 * not: the latter's out-of-line path) and kfree().
 */
static void test_kmalloc_kfree_events(struct ktest *t)
{
	static const char site[] = "call_site=test_kmalloc_kfree_events+";
	char pn[32], pp[32], pq[32], pr[32];
	void *p, *q, *n, *r;

	KTEST_ASSERT_EQ(t, trace_set_event("mm:kmalloc", true), 1);
	KTEST_ASSERT_EQ(t, trace_set_event("mm:kfree", true), 1);
	n = kmalloc_node(91, GFP_KERNEL, numa_mem_id());
	KTEST_ASSERT_NOT_NULL(t, n);
	p = krealloc(NULL, 33, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	q = krealloc(p, 3000, GFP_KERNEL);	/* moves: a kmalloc and a kfree */
	KTEST_ASSERT_NOT_NULL(t, q);
	KTEST_EXPECT_TRUE(t, q != p);
	KTEST_EXPECT_TRUE(t, krealloc(q, 0, GFP_KERNEL) == ZERO_SIZE_PTR);
	r = krealloc(NULL, 44, GFP_KERNEL | __GFP_NOFAIL);
	KTEST_ASSERT_NOT_NULL(t, r);
	kfree(r);
	kfree(n);
	trace_disable_all();
	snprintf(pn, sizeof(pn), "ptr=%p", n);
	snprintf(pp, sizeof(pp), "ptr=%p", p);
	snprintf(pq, sizeof(pq), "ptr=%p", q);
	expect_event(t, " kmalloc: ", site, pn, " bytes_req=91 ");
	expect_event(t, " kmalloc: ", site, pp, " bytes_req=33 ");
	expect_event(t, " kmalloc: ", site, pq, " bytes_req=3000 ");
	snprintf(pr, sizeof(pr), "ptr=%p", r);
	expect_event(t, " kmalloc: ", site, pr, " bytes_req=44 ");
	expect_event(t, " kfree: ", site, pp);
	expect_event(t, " kfree: ", site, pq);
	/* The inline kfree()'s site, TRACE_THIS_IP: inlined under clang too. */
	expect_event(t, " kfree: ", site, pn);
}

/* mm:tlb_flush on this CPU, and mm:tlb_shootdown to the others. */
static void test_tlb_events(struct ktest *t)
{
	unsigned long va = (unsigned long)t->priv & PAGE_MASK;
	char start[48], cpus[24], line[TRACE_KTEST_LINE_MAX];

	KTEST_ASSERT_EQ(t, trace_set_event("mm:tlb_flush", true), 1);
	KTEST_ASSERT_EQ(t, trace_set_event("mm:tlb_shootdown", true), 1);
	flush_tlb(va);
	trace_disable_all();
	snprintf(start, sizeof(start), "start=0x%lx pages=1 cpus=", va);
	expect_event(t, " tlb_flush: ", start, " cpus=1");
	snprintf(cpus, sizeof(cpus), " cpus=%u", num_online_cpus() - 1);
	KTEST_EXPECT_EQ(t, trace_ktest_grep(line, sizeof(line), " tlb_shootdown: ", start, cpus),
			num_online_cpus() > 1 ? 1 : 0);
}

/*
 * The recorder's call (arch_tracepoint_call()): from a function that has
 * no frame at the site (gcc shrink-wraps tp_frame_leaf()'s into the call
 * only its first branch makes) and from one that has, the recorder runs
 * with the stack aligned as the ABI wants and a frame-pointer backtrace
 * from it passes through the function of the site (the frameless one's
 * caller may be missing, not the function itself).  Only gcc leaves
 * tp_frame_leaf() frameless; clang sets its frame up at entry.
 */
static volatile unsigned long tp_frame_cookie = 1000;	/* no constant propagation */

static noinline void tp_frame_fail(void)
{
	pr_err("trace_test: no cookie\n");
}

static noinline void tp_frame_leaf(unsigned long cookie)
{
	if (unlikely(!cookie))
		return tp_frame_fail();
	trace_ktest_frame(cookie);
}

static noinline void tp_frame_call(void)
{
	barrier();
}

/* Calls on every path around the site: the frame is made at entry. */
static noinline void tp_frame_framed(unsigned long cookie)
{
	tp_frame_call();
	trace_ktest_frame(cookie);
	tp_frame_call();
}

static void test_tracepoint_frame(struct ktest *t)
{
	char line[TRACE_KTEST_LINE_MAX];

	KTEST_ASSERT_EQ(t, trace_set_event("ktest:ktest_frame", true), 1);
	tp_frame_leaf(tp_frame_cookie + 1);
	tp_frame_framed(tp_frame_cookie + 2);
	trace_disable_all();
	KTEST_EXPECT_EQ(t, trace_ktest_grep(line, sizeof(line), " ktest_frame: cookie=1001 ",
					    "misalign=0 ", "tp_frame_leaf+"), 1);
	KTEST_EXPECT_EQ(t, trace_ktest_grep(line, sizeof(line), " ktest_frame: cookie=1002 ",
					    "misalign=0 ", ",tp_frame_framed+", ",test_tracepoint_frame+"), 1);
	if (trace_ktest_grep(line, sizeof(line), " ktest_frame: cookie=100") > 0)
		ktest_log(t, "%s", line);
}

#ifdef CONFIG_MODULES
/* The same from a module's site: the module's call reaches the kernel's thunk. */
static void test_tracepoint_module(struct ktest *t)
{
	const struct modtest_blob *b = modtest_blob("modtest_jump");
	char line[TRACE_KTEST_LINE_MAX];
	struct module *mod = NULL;
	void (*fn)(unsigned long);

	KTEST_ASSERT_NOT_NULL(t, b);
	KTEST_ASSERT_EQ(t, load_module(b->start, b->end - b->start, &mod), 0);
	fn = (void *)find_exported_symbol("modtest_tp_site");
	KTEST_EXPECT_NOT_NULL(t, fn);
	if (fn && trace_set_event("ktest:ktest_frame", true) == 1) {
		fn(tp_frame_cookie + 3);
		trace_disable_all();
	}
	/* Before the unload: the printer names the module's function. */
	KTEST_EXPECT_EQ(t, trace_ktest_grep(line, sizeof(line), " ktest_frame: cookie=1003 ",
					    "misalign=0 ", ",modtest_tp_site+"), 1);
	if (trace_ktest_grep(line, sizeof(line), " ktest_frame: cookie=1003 ") > 0)
		ktest_log(t, "%s", line);
	KTEST_EXPECT_EQ(t, unload_module("modtest_jump"), 0);
}
#endif

static struct ktest_case trace_cases[] = {
	KTEST_CASE(test_list),
	KTEST_CASE(test_kmalloc_event),
	KTEST_CASE(test_off_records_nothing),
	KTEST_CASE(test_names),
	KTEST_CASE(test_filter_pid_cpu),
	KTEST_CASE(test_bad_input),
	KTEST_CASE(test_shell),
	KTEST_CASE(test_overflow),
	KTEST_CASE_FLAGS(test_smp_events, KTEST_F_SMP),
	KTEST_CASE(test_sched_events),
	KTEST_CASE(test_page_events),
	KTEST_CASE(test_kmalloc_kfree_events),
	KTEST_CASE(test_tlb_events),
	KTEST_CASE(test_tracepoint_frame),
#ifdef CONFIG_MODULES
	KTEST_CASE(test_tracepoint_module),
#endif
	{}
};

static struct ktest_suite trace_suite = {
	.name = "trace", .cases = trace_cases,
	.init = trace_ktest_init, .exit = trace_ktest_exit,
};
KTEST_SUITE(trace_suite);
