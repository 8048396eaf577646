// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: decide, per call, whether an allocation must fail.
 *
 * should_fail() applies the filters in Linux's order: times left, thread,
 * space budget, interval, probability.  Everything is lock-free (callers
 * include the page allocator with interrupts off): counters are updated
 * with atomic builtins, the random numbers come from a per-attribute
 * xorshift64* advanced with a compare-and-swap.  The attributes may be
 * changed while other CPUs test them: each field is read once per call, so
 * a call sees either the old or the new value of each field; statistics
 * are exact.
 *
 * Invariant: with probability 0 (the boot default) should_fail() is never
 * even called (fault_attr_active() in the header), so an unconfigured
 * injection point costs one load.
 *
 * Boot: the fail_*= parameters are parsed first thing (early_param) but
 * only take effect at this file's late initcall, once the boot-time
 * allocations (which may panic on failure by design: the idle threads,
 * the kernel-half page tables, the boot modules) are done; lib/ links
 * after kernel/ and mm/, so the boot modules' late initcall runs first.
 * The workload after boot (stress=, ktest=, the shell) runs armed.
 */
#define pr_fmt(fmt) "fault_inject: " fmt

#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/fault_inject.h>
#include <exo/init.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/shell.h>
#include <exo/string.h>

struct fault_attr fail_page_alloc = FAULT_ATTR_INITIALIZER("fail_page_alloc");
struct fault_attr fail_slab = FAULT_ATTR_INITIALIZER("fail_slab");
struct fault_attr fail_pgtable = FAULT_ATTR_INITIALIZER("fail_pgtable");

static struct fault_attr *const all_attrs[] = { &fail_page_alloc, &fail_slab, &fail_pgtable };

#define ATOMIC_INC(p)	__atomic_add_fetch(p, 1, __ATOMIC_RELAXED)

/* Next number of @attr's xorshift64* sequence. */
static u64 fault_random(struct fault_attr *attr)
{
	u64 old = __atomic_load_n(&attr->rnd, __ATOMIC_RELAXED), x;

	do {
		x = old ? old : 0x9e3779b97f4a7c15ULL;
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
	} while (!__atomic_compare_exchange_n(&attr->rnd, &old, x, false, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return x * 0x2545f4914f6cdd1dULL;
}

/* Take one of the remaining failures; false if none is left. */
static bool take_time(struct fault_attr *attr)
{
	long t = __atomic_load_n(&attr->times, __ATOMIC_RELAXED);

	do {
		if (t == 0)
			return false;
		if (t < 0)
			return true;
	} while (!__atomic_compare_exchange_n(&attr->times, &t, t - 1, false, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return true;
}

/* Consume @size from the space budget; true while the budget lasts. */
static bool consume_space(struct fault_attr *attr, size_t size)
{
	long s = __atomic_load_n(&attr->space, __ATOMIC_RELAXED);

	do {
		if (s <= 0 || (unsigned long)s <= size)
			return false;
	} while (!__atomic_compare_exchange_n(&attr->space, &s, s - (long)size, false,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return true;
}

static bool task_matches(const struct fault_attr *attr)
{
	struct task_struct *want = READ_ONCE(attr->task);

	return !want || (sched_ready() && current == want);
}

static noinline void fail_dump(struct fault_attr *attr, size_t size, unsigned long ip)
{
	unsigned int verbose = READ_ONCE(attr->verbose);

	if (!verbose)
		return;
	pr_info("injecting a failure at %s (size %zu, failure %lu) in %pS\n", attr->name, size,
		__atomic_load_n(&attr->nr_failed, __ATOMIC_RELAXED), (void *)ip);
	if (verbose > 1)
		dump_stack();
}

bool should_fail(struct fault_attr *attr, size_t size)
{
	unsigned long prob = READ_ONCE(attr->probability), interval = READ_ONCE(attr->interval);

	if (!prob)
		return false;
	ATOMIC_INC(&attr->nr_calls);
	if (!__atomic_load_n(&attr->times, __ATOMIC_RELAXED) || !task_matches(attr))
		return false;
	if (consume_space(attr, size))
		return false;
	if (interval > 1 && ATOMIC_INC(&attr->count) % interval)
		return false;
	if (prob < 100 && fault_random(attr) % 100 >= prob)
		return false;
	if (!take_time(attr))
		return false;
	ATOMIC_INC(&attr->nr_failed);
	fail_dump(attr, size, _RET_IP_);
	return true;
}

/* Parse one decimal field (optionally "-1") ending at @end into @v. */
static int parse_field(const char *s, const char *end, bool allow_minus_one, long *v)
{
	char buf[24];
	unsigned long u;
	size_t n = (size_t)(end - s);

	if (!n || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = 0;
	if (allow_minus_one && !strcmp(buf, "-1")) {
		*v = -1;
		return 0;
	}
	if (kstrtoul(buf, 10, &u) || u > (unsigned long)__LONG_MAX__)
		return -EINVAL;
	*v = (long)u;
	return 0;
}

/* setup_fault_attr() without the log line: the boot parser writes its own. */
static int parse_fault_attr(struct fault_attr *attr, const char *str)
{
	long v[4];
	const char *p = str;

	for (int i = 0; i < 4; i++) {
		const char *end = strchr(p, i < 3 ? ',' : '\0');

		if (!end || parse_field(p, end, i == 3, &v[i]))
			return -EINVAL;
		p = end + 1;
	}
	if (v[0] < 1 || v[1] > 100)
		return -EINVAL;
	/* Stop injecting while the fields change, then switch on last. */
	WRITE_ONCE(attr->probability, 0);
	WRITE_ONCE(attr->suspended, 0);
	barrier();
	WRITE_ONCE(attr->interval, (unsigned long)v[0]);
	__atomic_store_n(&attr->space, v[2], __ATOMIC_RELAXED);
	__atomic_store_n(&attr->times, v[3], __ATOMIC_RELAXED);
	__atomic_store_n(&attr->count, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&attr->nr_calls, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&attr->nr_failed, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&attr->probability, (unsigned long)v[1], __ATOMIC_RELEASE);
	return 0;
}

#define FAULT_ATTR_FORMAT "interval>=1,probability 0-100,space,times (-1: no limit)"

int setup_fault_attr(struct fault_attr *attr, const char *str)
{
	int ret = parse_fault_attr(attr, str);

	if (ret)
		pr_err("%s: bad attributes '%s' (want " FAULT_ATTR_FORMAT ")\n", attr->name, str);
	return ret;
}

void fault_attr_disable(struct fault_attr *attr)
{
	WRITE_ONCE(attr->suspended, 0);
	WRITE_ONCE(attr->probability, 0);
}

static void attr_suspend(struct fault_attr *attr)
{
	unsigned long prob = READ_ONCE(attr->probability);

	if (!prob)
		return;
	WRITE_ONCE(attr->suspended, prob);
	WRITE_ONCE(attr->probability, 0);
}

unsigned int fault_inject_suspend(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(all_attrs); i++) {
		attr_suspend(all_attrs[i]);
		n += READ_ONCE(all_attrs[i]->suspended) != 0;
	}
	return n;
}

void fault_inject_resume(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(all_attrs); i++) {
		struct fault_attr *a = all_attrs[i];
		unsigned long prob = READ_ONCE(a->suspended);

		if (!prob)
			continue;
		WRITE_ONCE(a->suspended, 0);
		__atomic_store_n(&a->probability, prob, __ATOMIC_RELEASE);
	}
}

unsigned long fault_inject_nr_failed(void)
{
	unsigned long n = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(all_attrs); i++)
		n += __atomic_load_n(&all_attrs[i]->nr_failed, __ATOMIC_RELAXED);
	return n;
}

struct fault_attr *fault_attr_find(const char *name)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(all_attrs); i++) {
		const char *n = all_attrs[i]->name;

		if (!strcmp(name, n) || !strcmp(name, n + 5))
			return all_attrs[i];
	}
	return NULL;
}

/* Parsed at once (a bad string is reported early), armed at the late initcall. */
static int __init setup_boot_attr(struct fault_attr *attr, const char *val)
{
	int ret = parse_fault_attr(attr, val);

	if (!ret)
		attr_suspend(attr);
	return ret;
}

static int __init setup_fail_page_alloc(const char *val)
{
	return setup_boot_attr(&fail_page_alloc, val);
}
early_param_desc("fail_page_alloc=", setup_fail_page_alloc, FAULT_ATTR_FORMAT);

static int __init setup_fail_slab(const char *val)
{
	return setup_boot_attr(&fail_slab, val);
}
early_param_desc("fail_slab=", setup_fail_slab, FAULT_ATTR_FORMAT);

static int __init setup_fail_pgtable(const char *val)
{
	return setup_boot_attr(&fail_pgtable, val);
}
early_param_desc("fail_pgtable=", setup_fail_pgtable, FAULT_ATTR_FORMAT);

static int __init fault_inject_boot_arm(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(all_attrs); i++) {
		const struct fault_attr *a = all_attrs[i];

		if (a->suspended)
			pr_notice("%s armed from the command line: interval %lu, probability %lu%%, space %ld, times %ld\n",
				  a->name, a->interval, a->suspended, a->space, a->times);
	}
	fault_inject_resume();
	return 0;
}
late_initcall(fault_inject_boot_arm);

#ifdef CONFIG_KERNEL_SHELL
static void show_attr(const struct fault_attr *a)
{
	unsigned long prob = a->probability ? a->probability : a->suspended;

	printk("%-16s %s interval %lu probability %lu%% space %ld times %ld verbose %u: "
	       "%lu calls, %lu failed\n", a->name,
	       a->probability ? "on " : a->suspended ? "suspended" : "off",
	       a->interval, prob, a->space, a->times, a->verbose, a->nr_calls, a->nr_failed);
}

static int cmd_fault(int argc, char **argv)
{
	struct fault_attr *a;
	unsigned long v;

	if (argc == 1) {
		for (unsigned int i = 0; i < ARRAY_SIZE(all_attrs); i++)
			show_attr(all_attrs[i]);
		return 0;
	}
	a = fault_attr_find(argv[1]);
	if (!a) {
		printk("fault: no injection point '%s'\n", argv[1]);
		return shell_usage(argv[0]);
	}
	if (argc < 3)
		return shell_usage(argv[0]);
	if (argc == 3 && !strcmp(argv[2], "off")) {
		fault_attr_disable(a);
	} else if (argc == 4 && !strcmp(argv[2], "verbose")) {
		if (shell_arg_ulong(argv[0], argv[3], 0, 2, &v))
			return -EINVAL;
		WRITE_ONCE(a->verbose, (unsigned int)v);
	} else if (argc == 3) {
		if (setup_fault_attr(a, argv[2]))
			return -EINVAL;
	} else {
		return shell_usage(argv[0]);
	}
	show_attr(a);
	return 0;
}
DEFINE_SHELL_CMD_ARGS(fault, "[page_alloc|slab|pgtable "
		      "<interval>,<probability>,<space>,<times> | off | verbose 0-2]", 0, 3,
		      "fault injection: show or set fail_page_alloc/slab/pgtable", cmd_fault);
#endif
