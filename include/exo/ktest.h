/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktest: KUnit-style in-kernel tests with KTAP v1 output.
 *
 * A test case is `static void fn(struct ktest *t)`.  Cases are listed in a
 * NULL-terminated array and grouped in a suite registered next to the code
 * under test:
 *
 *	static struct ktest_case buddy_cases[] = {
 *		KTEST_CASE(test_buddy_alloc_free),
 *		{}
 *	};
 *	static struct ktest_suite buddy_suite = {
 *		.name = "buddy", .cases = buddy_cases,
 *	};
 *	KTEST_SUITE(buddy_suite);
 *
 * KTEST_EXPECT_*() records a failure and goes on; KTEST_ASSERT_*() records it
 * and ends the case at once (the runner unwinds with a saved context).  Every
 * failure prints file:line and both values.  The same source builds into the
 * kernel (CONFIG_KTEST) and into the hosted test binary.
 */
#ifndef _EXO_KTEST_H
#define _EXO_KTEST_H

#include <exo/errno.h>
#include <exo/types.h>
#include <exo/compiler.h>
#include <exo/printk.h>

struct ktest;

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
	unsigned int flags;
	unsigned int ram_mib;	/* skipped on a machine with less RAM (0: any) */
};

#define KTEST_F_SLOW	0x1	/* skipped by "ktest quick" */
#define KTEST_F_SMP	0x2	/* needs >= 2 online CPUs, else skipped */
#define KTEST_F_NOHOST	0x4	/* kernel only */

struct ktest_suite {
	const char *name;
	struct ktest_case *cases;
	int (*suite_init)(void);
	void (*suite_exit)(void);
	int (*init)(struct ktest *t);
	void (*exit)(struct ktest *t);
};

struct ktest {
	const char *name;
	const struct ktest_suite *suite;
	int failures;
	bool skipped;
	const char *skip_reason;
	void *priv;
	unsigned long jmp[8];	/* arch context for ASSERT unwinding */
};

#define KTEST_CASE(fn)		{ .name = #fn, .run = fn }
#define KTEST_CASE_FLAGS(fn, f)	{ .name = #fn, .run = fn, .flags = (f) }
/*
 * A case that needs more memory than a tiny machine has (a large
 * contiguous block, thousands of page tables...): skipped, with the
 * reason, when the allocator manages less than @mib MiB.  The threshold is
 * the machine's size, not the free memory of the moment, so a leak is
 * never mistaken for a small machine.
 */
#define KTEST_CASE_RAM(fn, f, mib)	{ .name = #fn, .run = fn, .flags = (f), .ram_mib = (mib) }

#define KTEST_SUITE(s)							\
	static struct ktest_suite *const __ktest_ptr_##s __used		\
	__section(KTEST_SECTION) __aligned(8) = &(s)

#ifdef __HOSTED__
# define KTEST_SECTION "ktest_suites"
#else
# define KTEST_SECTION ".ktest_suites"
#endif

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
	__printf(4, 5);
__noreturn void ktest_abort(struct ktest *t);
void ktest_skip(struct ktest *t, const char *reason);
/* Diagnostic line "# ..." inside the current case's KTAP block. */
void ktest_log(struct ktest *t, const char *fmt, ...) __printf(2, 3);

/**
 * ktest_run() - run suites and print KTAP
 * @filter: NULL for all suites, else a comma-separated list of "suite" and
 *	"suite.case" items, each optionally prefixed with '-' to leave it out
 *	(with no positive item, all but the '-' ones run)
 * @quick: skip cases flagged KTEST_F_SLOW
 *
 * A @filter with an item that names no suite, or no case of its suite,
 * runs nothing and prints the names that exist.
 * Return: number of failed cases (0 means all passed or skipped), or
 * -ENOENT if @filter matched nothing.
 */
#ifdef CONFIG_KTEST
int ktest_run(const char *filter, bool quick);

/**
 * ktest_settled_free_pages() - free frames once every cache is emptied
 *
 * Lets the idle threads reap exited threads, finishes the stack frees the
 * scheduler deferred, empties the slab caches (freeing empty slabs) and
 * the per-CPU page caches, then counts free frames, until two rounds
 * agree: the figure leak tests compare with their baseline.  Process
 * context, interrupts enabled.
 */
unsigned long ktest_settled_free_pages(void);
#else
static inline int ktest_run(const char *filter, bool quick)
{
	printk("ktest: not built in (CONFIG_KTEST=n)\n");
	return -ENOSYS;
}
#endif

#define __KTEST_CMP(t, a, op, b, fatal) do {				\
	__typeof__(a) __a = (a);					\
	__typeof__(b) __b = (b);					\
	if (!(__a op __b)) {						\
		ktest_fail(t, __FILE__, __LINE__,			\
			   "Expected %s %s %s, but %s == %lld (0x%llx), %s == %lld (0x%llx)", \
			   #a, #op, #b, #a, (long long)__a,		\
			   (unsigned long long)__a, #b, (long long)__b,	\
			   (unsigned long long)__b);			\
		if (fatal)						\
			ktest_abort(t);					\
	}								\
} while (0)

#define __KTEST_BOOL(t, c, want, fatal) do {				\
	if ((!!(c)) != (want)) {						\
		ktest_fail(t, __FILE__, __LINE__, "Expected %s to be %s",	\
			   #c, (want) ? "true" : "false");		\
		if (fatal)						\
			ktest_abort(t);					\
	}								\
} while (0)

#define KTEST_EXPECT_EQ(t, a, b)	__KTEST_CMP(t, a, ==, b, 0)
#define KTEST_EXPECT_NE(t, a, b)	__KTEST_CMP(t, a, !=, b, 0)
#define KTEST_EXPECT_LT(t, a, b)	__KTEST_CMP(t, a, <, b, 0)
#define KTEST_EXPECT_LE(t, a, b)	__KTEST_CMP(t, a, <=, b, 0)
#define KTEST_EXPECT_GT(t, a, b)	__KTEST_CMP(t, a, >, b, 0)
#define KTEST_EXPECT_GE(t, a, b)	__KTEST_CMP(t, a, >=, b, 0)
#define KTEST_EXPECT_TRUE(t, c)		__KTEST_BOOL(t, c, 1, 0)
#define KTEST_EXPECT_FALSE(t, c)	__KTEST_BOOL(t, c, 0, 0)
#define KTEST_EXPECT_NULL(t, p)		__KTEST_BOOL(t, (p) == NULL, 1, 0)
#define KTEST_EXPECT_NOT_NULL(t, p)	__KTEST_BOOL(t, (p) != NULL, 1, 0)

#define KTEST_ASSERT_EQ(t, a, b)	__KTEST_CMP(t, a, ==, b, 1)
#define KTEST_ASSERT_NE(t, a, b)	__KTEST_CMP(t, a, !=, b, 1)
#define KTEST_ASSERT_LT(t, a, b)	__KTEST_CMP(t, a, <, b, 1)
#define KTEST_ASSERT_LE(t, a, b)	__KTEST_CMP(t, a, <=, b, 1)
#define KTEST_ASSERT_GT(t, a, b)	__KTEST_CMP(t, a, >, b, 1)
#define KTEST_ASSERT_GE(t, a, b)	__KTEST_CMP(t, a, >=, b, 1)
#define KTEST_ASSERT_TRUE(t, c)		__KTEST_BOOL(t, c, 1, 1)
#define KTEST_ASSERT_FALSE(t, c)	__KTEST_BOOL(t, c, 0, 1)
#define KTEST_ASSERT_NOT_NULL(t, p)	__KTEST_BOOL(t, (p) != NULL, 1, 1)

#define KTEST_SKIP(t, reason) do { ktest_skip(t, reason); return; } while (0)

/**
 * ktest_run_on_cpus() - run a concurrency test's workers on separate CPUs
 * @nr: workers wanted
 * @fn: worker body, called as @fn(@arg, id) with id 0 .. n - 1
 * @arg: shared context
 *
 * Kernel: one kernel thread per online CPU, bound to it, up to @nr of
 * them (the caller's CPU last, so that all are running before the caller
 * sleeps in the join).  Hosted: @nr host threads as CPUs 1 .. @nr (at
 * most NR_CPUS - 1).  Returns once every worker has returned.
 *
 * Return: the number of workers that ran (n <= @nr; fewer when there are
 * fewer CPUs), or a negative errno if one could not be started (then
 * none ran).
 */
int ktest_run_on_cpus(unsigned int nr, void (*fn)(void *arg, unsigned int id), void *arg);

/*
 * Fault expectation: probe_read()/probe_write() touch one byte (write stores
 * @v) through the exception fixup table.  They return 0 if the access
 * succeeded and -EFAULT if it faulted, so a test can prove a mapping is
 * absent or read-only.  Kernel only (the hosted build returns -ENOSYS).
 */
int probe_read(const volatile void *addr, u8 *val);
int probe_write(volatile void *addr, u8 v);

#define KTEST_EXPECT_FAULT_READ(t, addr) do {				\
	u8 __v;								\
	KTEST_EXPECT_EQ(t, probe_read((const void *)(addr), &__v), -14); \
} while (0)
#define KTEST_EXPECT_FAULT_WRITE(t, addr) \
	KTEST_EXPECT_EQ(t, probe_write((void *)(addr), 0x5a), -14)
#define KTEST_EXPECT_NO_FAULT_READ(t, addr) do {			\
	u8 __v;								\
	KTEST_EXPECT_EQ(t, probe_read((const void *)(addr), &__v), 0);	\
} while (0)

#endif /* _EXO_KTEST_H */
