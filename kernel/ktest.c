// SPDX-License-Identifier: GPL-2.0
/*
 * ktest runner: walks the registered suites and prints KTAP v1.
 *
 *	KTAP version 1
 *	1..<suites>
 *	    KTAP version 1
 *	    # Subtest: <suite>
 *	    1..<cases>
 *	    ok 1 <case>
 *	    not ok 2 <case>
 *	    ok 3 <case> # SKIP <reason>
 *	ok 1 <suite>
 *	# ktest: <passed> passed, <failed> failed, <skipped> skipped
 *
 * Each line is a printk of its own: the console stamps each record, not
 * each line, and KTAP parsers (Linux's kunit.py) strip the stamp's width
 * from every line after "KTAP version 1".
 *
 * A failed ASSERT unwinds to the runner with __builtin_longjmp, so the rest
 * of the case is skipped but the run goes on.  Portable: the hosted test
 * binary links this same file.
 */
#include <exo/errno.h>
#include <exo/ktest.h>
#include <exo/page_alloc.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/spinlock.h>
#ifndef __HOSTED__
#include <exo/vmalloc.h>
#endif

#include "ktest-internal.h"

#ifdef __CHECKER__
/* sparse does not know the GCC builtins used for ASSERT unwinding. */
int __builtin_setjmp(void **buf);
__noreturn void __builtin_longjmp(void **buf, int v);
#endif

#ifdef __HOSTED__
extern struct ktest_suite *const __start_ktest_suites[] __attribute__((weak));
extern struct ktest_suite *const __stop_ktest_suites[] __attribute__((weak));
#define SUITES_BEGIN __start_ktest_suites
#define SUITES_END __stop_ktest_suites
#define RUNNING_HOSTED true
#else
extern struct ktest_suite *const __ktest_suites_start[], *const __ktest_suites_end[];
#define SUITES_BEGIN __ktest_suites_start
#define SUITES_END __ktest_suites_end
#define RUNNING_HOSTED false
#endif

struct ktest_totals {
	unsigned int passed, failed, skipped;
};

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("    # %s: EXPECTATION FAILED at %s:%d\n", t->name, file, line);
	printk("    # %s\n", msg);
	t->failures++;
}

__noreturn void ktest_abort(struct ktest *t)
{
	__builtin_longjmp((void **)t->jmp, 1);
}

void ktest_skip(struct ktest *t, const char *reason)
{
	t->skipped = true;
	t->skip_reason = reason;
}

void ktest_log(struct ktest *t, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("    # %s: %s\n", t->name, msg);
}

/* Run one case; kept separate so the setjmp frame is this function's. */
static noinline void run_case(struct ktest *t, const struct ktest_case *c)
{
	unsigned long flags = arch_local_save_flags();

	if (__builtin_setjmp((void **)t->jmp) == 0) {
		if (t->suite->init && t->suite->init(t)) {
			ktest_fail(t, __FILE__, __LINE__, "suite init failed");
			return;
		}
		c->run(t);
	}
	/* An ASSERT may have left interrupts disabled; put them back. */
	arch_local_irq_restore(flags);
	if (!(flags & X86_EFLAGS_IF))
		arch_local_irq_disable();
#ifdef CONFIG_KASAN
	/* Nor may it leave the runner's KASAN reports off (kasan_disable_current()). */
	if (current->kasan_depth) {
		ktest_fail(t, __FILE__, __LINE__, "ended with KASAN reports disabled");
		current->kasan_depth = 0;
	}
#endif
	if (t->suite->exit)
		t->suite->exit(t);
}

static bool item_matches(const char *item, size_t len, const struct ktest_suite *s,
			 const struct ktest_case *c)
{
	const char *dot = memchr(item, '.', len);
	size_t slen = dot ? (size_t)(dot - item) : len;

	if (strlen(s->name) != slen || strncmp(s->name, item, slen))
		return false;
	if (!dot)
		return true;
	if (!c) {	/* the suite, if the item names one of its cases */
		for (c = s->cases; c->run; c++)
			if (item_matches(item, len, s, c))
				return true;
		return false;
	}
	return strlen(c->name) == len - slen - 1 && !strncmp(c->name, dot + 1, len - slen - 1);
}

bool ktest_filter_selects(const char *filter, const struct ktest_suite *s,
			  const struct ktest_case *c)
{
	bool any_positive = false, in = false, out = false;

	if (!filter)
		return true;
	for (const char *p = filter; *p; ) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool neg = *p == '-';

		if (neg) {
			/* "-suite.case" takes out a case only, never its whole suite. */
			if (item_matches(p + 1, len - 1, s, c) &&
			    (c || !memchr(p + 1, '.', len - 1)))
				out = true;
		} else {
			any_positive = true;
			in |= item_matches(p, len, s, c);
		}
		p += len + (end ? 1 : 0);
	}
	return (in || !any_positive) && !out;
}

static bool case_selected(const struct ktest_suite *s, const struct ktest_case *c,
			  const char *filter, bool quick)
{
	if (!ktest_filter_selects(filter, s, c))
		return false;
	return !(quick && (c->flags & KTEST_F_SLOW));
}

/* RAM the page allocator manages, in MiB. */
static unsigned long managed_mib(void)
{
	static struct page_alloc_stats st;

	page_alloc_get_stats(&st);
	return st.managed >> (20 - PAGE_SHIFT);
}

static const char *skip_reason(const struct ktest_case *c)
{
	static char why[80];

	if ((c->flags & KTEST_F_NOHOST) && RUNNING_HOSTED)
		return "kernel only";
	if ((c->flags & KTEST_F_SMP) && !RUNNING_HOSTED && num_online_cpus() < 2)
		return "needs 2 or more CPUs";
	if (c->ram_mib && managed_mib() < c->ram_mib) {
		snprintf(why, sizeof(why), "needs %u MiB of RAM, the allocator manages %lu MiB",
			 c->ram_mib, managed_mib());
		return why;
	}
	return NULL;
}

static bool run_suite(const struct ktest_suite *s, unsigned int index,
		      const char *filter, bool quick, struct ktest_totals *tot)
{
	unsigned int n = 0, i = 0;
	bool suite_ok = true;

	for (const struct ktest_case *c = s->cases; c->run; c++)
		n += case_selected(s, c, filter, quick);
	printk("    KTAP version 1\n");
	printk("    # Subtest: %s\n", s->name);
	printk("    1..%u\n", n);
	if (s->suite_init && s->suite_init()) {
		printk("    # suite_init failed\n");
		printk("not ok %u %s\n", index, s->name);
		tot->failed += n;
		return false;
	}
	for (const struct ktest_case *c = s->cases; c->run; c++) {
		struct ktest t = { .name = c->name, .suite = s };
		const char *why;

		if (!case_selected(s, c, filter, quick))
			continue;
		i++;
		why = skip_reason(c);
		if (why)
			ktest_skip(&t, why);
		else
			run_case(&t, c);
		if (t.failures) {
			printk("    not ok %u %s\n", i, c->name);
			tot->failed++;
			suite_ok = false;
		} else if (t.skipped) {
			printk("    ok %u %s # SKIP %s\n", i, c->name, t.skip_reason);
			tot->skipped++;
		} else {
			printk("    ok %u %s\n", i, c->name);
			tot->passed++;
		}
	}
	if (s->suite_exit)
		s->suite_exit();
	printk("%sok %u %s\n", suite_ok ? "" : "not ", index, s->name);
	return suite_ok;
}

static unsigned long settle_once(void)
{
#ifndef __HOSTED__
	msleep(1);
	vmalloc_shrink();
#endif
	kmem_drain_all();
#ifdef __HOSTED__
	/* The page caches of finished "CPU" threads are out of reach otherwise. */
	for (unsigned int cpu = 1; cpu < NR_CPUS; cpu++)
		drain_cpu_pages(cpu);
#endif
	drain_all_pages();
	return nr_free_pages();
}

unsigned long ktest_settled_free_pages(void)
{
	unsigned long last = settle_once(), now;

	/*
	 * Until two rounds agree: a worker that finished a work for the
	 * caller may still be on its way to idle, where it gives its cached
	 * objects back (after the round that missed them).  A leak is still
	 * there in the next round.
	 */
	for (int i = 0; i < 20; i++) {
		now = settle_once();
		if (now == last)
			break;
		last = now;
	}
	return last;
}

/* Print @n names, several to a line, after "ktest: <what>:". */
static void print_names(const char *what, const char *(*name)(unsigned int i, const void *arg),
			unsigned int n, const void *arg)
{
	char line[80];
	size_t len = 0;

	for (unsigned int i = 0; i < n; i++) {
		const char *s = name(i, arg);

		if (len && len + 1 + strlen(s) >= 72) {
			printk("ktest: %s:%s\n", what, line);
			len = 0;
		}
		len += snprintf(line + len, sizeof(line) - len, " %s", s);
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
	}
	printk("ktest: %s:%s\n", what, len ? line : " (none)");
}

static const char *suite_name_at(unsigned int i, const void *arg)
{
	return SUITES_BEGIN[i]->name;
}

static const char *case_name_at(unsigned int i, const void *arg)
{
	return ((const struct ktest_suite *)arg)->cases[i].name;
}

static const struct ktest_suite *find_suite(const char *name, size_t len)
{
	for (struct ktest_suite *const *s = SUITES_BEGIN; s < SUITES_END; s++)
		if (strlen((*s)->name) == len && !strncmp((*s)->name, name, len))
			return *s;
	return NULL;
}

/*
 * An item that names nothing is an error, not an empty pass: say what
 * exists instead.  Return: 0 if @item ("suite" or "suite.case", @len
 * characters) names a suite, and a case of it when it has a dot; else
 * -ENOENT.
 */
static int check_item(const char *item, size_t len)
{
	const char *dot = memchr(item, '.', len);
	size_t slen = dot ? (size_t)(dot - item) : len;
	const struct ktest_suite *s = find_suite(item, slen);
	unsigned int n = 0;

	if (!s) {
		printk("ktest: no suite named '%.*s'\n", (int)slen, item);
		print_names("suites", suite_name_at, (unsigned int)(SUITES_END - SUITES_BEGIN), NULL);
		return -ENOENT;
	}
	if (!dot)
		return 0;
	for (const struct ktest_case *c = s->cases; c->run; c++) {
		if (item_matches(item, len, s, c))
			return 0;
		n++;
	}
	printk("ktest: suite %s has no case '%.*s'\n", s->name, (int)(len - slen - 1), dot + 1);
	print_names("its cases", case_name_at, n, s);
	return -ENOENT;
}

/* Every item of @filter must name something. */
static int check_filter(const char *filter)
{
	for (const char *p = filter; ; p++) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (*p == '-') {
			p++;
			len--;
		}
		if (check_item(p, len))
			return -ENOENT;
		if (!end)
			return 0;
		p = end;
	}
}

/* A suite named (or not excluded) prints even if quick leaves it no case. */
static bool suite_selected(const struct ktest_suite *s, const char *filter)
{
	return ktest_filter_selects(filter, s, NULL);
}

int ktest_run(const char *filter, bool quick)
{
	struct ktest_totals tot = { 0, 0, 0 };
	unsigned int idx = 0, n = 0;

	if (filter && check_filter(filter))
		return -ENOENT;
	for (struct ktest_suite *const *s = SUITES_BEGIN; s < SUITES_END; s++)
		n += suite_selected(*s, filter);
	printk("KTAP version 1\n");
	printk("1..%u\n", n);
	for (struct ktest_suite *const *s = SUITES_BEGIN; s < SUITES_END; s++)
		if (suite_selected(*s, filter))
			run_suite(*s, ++idx, filter, quick, &tot);
	printk("# ktest: %u passed, %u failed, %u skipped\n", tot.passed, tot.failed,
	       tot.skipped);
	return (int)tot.failed;
}
