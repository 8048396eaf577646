// SPDX-License-Identifier: GPL-2.0
/*
 * UBSAN tests: every check the kernel is built with is triggered once, on
 * purpose, through volatile operands so that the compiler cannot fold or
 * drop it, and the runtime must have counted a report of the right kind at
 * the right file and line.
 *
 * Except in test_report_and_continue, the test asks the runtime to jump
 * back here right after the report (ubsan_test_expect() with a setjmp
 * buffer), so the undefined operation itself never executes: no trap for
 * the division, no stack read beyond an array.
 */
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/preempt.h>
#include <exo/string.h>
#include <exo/ubsan.h>

#ifdef __CHECKER__
int __builtin_setjmp(void **buf);
#endif

#define INT_MAX_	0x7fffffff
#define INT_MIN_	(-INT_MAX_ - 1)

/*
 * Operand values go through ident(): the volatile locals stop the compiler
 * from folding the operation, the call stops sparse from diagnosing it.
 */
static noinline int ident(int x)
{
	barrier();
	return x;
}

static void *escape_buf[5];
static volatile int trigger_line;
static volatile long sink;

/* Each trigger sets trigger_line on the line of the checked operation. */
static noinline void trigger_shift(void)
{
	volatile int v = ident(1), n = ident(40);

	trigger_line = __LINE__; sink = v << n;
}

static noinline void trigger_add_overflow(void)
{
	volatile int a = ident(INT_MAX_), b = ident(1);

	trigger_line = __LINE__; sink = a + b;
}

static noinline void trigger_sub_overflow(void)
{
	volatile int a = ident(INT_MIN_), b = ident(1);

	trigger_line = __LINE__; sink = a - b;
}

static noinline void trigger_mul_overflow(void)
{
	volatile int a = ident(INT_MAX_), b = ident(3);

	trigger_line = __LINE__; sink = a * b;
}

static noinline void trigger_negate_overflow(void)
{
	volatile int a = ident(INT_MIN_);

	trigger_line = __LINE__; sink = -a;
}

static noinline void trigger_div_zero(void)
{
	volatile int a = ident(7), b = ident(0);

	trigger_line = __LINE__; sink = a / b;
}

static noinline void trigger_div_overflow(void)
{
	volatile int a = ident(INT_MIN_), b = ident(-1);

	trigger_line = __LINE__; sink = a / b;
}

static noinline void trigger_out_of_bounds(void)
{
	static int arr[4];
	volatile int i = ident(4);

	trigger_line = __LINE__; sink = arr[i];
}

static noinline void trigger_invalid_bool(void)
{
	volatile unsigned char byte = (unsigned char)ident(5);
	volatile bool *b = (volatile bool *)&byte;

	trigger_line = __LINE__; sink = *b;
}

static noinline void trigger_vla_bound(void)
{
	volatile int n = ident(0);

#ifndef __CHECKER__	/* sparse rejects VLAs, rightly everywhere else */
	trigger_line = __LINE__; { char vla[n]; memset(vla, 0, sizeof(vla)); sink = vla[0]; }
#endif
}

static noinline void trigger_unreachable(void)
{
	volatile int x = ident(1);

	trigger_line = __LINE__; if (x) __builtin_unreachable();
}

static noinline void trigger_invalid_builtin(void)
{
	volatile unsigned int x = (unsigned int)ident(0);

	trigger_line = __LINE__; sink = __builtin_ctz(x);
}

#ifndef __clang__
/* gcc's object-size check: a 4-byte load with 2 bytes left in the object. */
static noinline void trigger_object_size(void)
{
	static char obj[6];
	volatile int off = ident(4);
	int *p = (int *)(obj + off);

	trigger_line = __LINE__; sink = *p;
}
#endif

#ifdef CONFIG_UBSAN_ALIGNMENT
static noinline void trigger_misaligned(void)
{
	static long obj[2];
	volatile int off = ident(1);
	int *p = (int *)((char *)obj + off);

	trigger_line = __LINE__; sink = *p;
}
#endif

/*
 * Run @fn with reports expected and the escape armed; check that exactly
 * one report of @kind was counted, located on @fn's trigger line.
 */
static void expect_report(struct ktest *t, void (*fn)(void), enum ubsan_kind kind,
			  const char *what)
{
	unsigned long before = ubsan_nr_reports(kind), total = ubsan_nr_reports(UBSAN_NONE);
	struct ubsan_report_info info;
	volatile bool escaped = false;

	trigger_line = 0;
	preempt_disable();
	ubsan_test_expect(escape_buf);
	if (__builtin_setjmp(escape_buf) == 0)
		fn();
	else
		escaped = true;
	ubsan_test_done();
	preempt_enable();
	ubsan_last_report(&info);
	KTEST_EXPECT_TRUE(t, escaped);
	KTEST_EXPECT_EQ(t, ubsan_nr_reports(kind), before + 1);
	KTEST_EXPECT_EQ(t, ubsan_nr_reports(UBSAN_NONE), total + 1);
	KTEST_EXPECT_EQ(t, info.kind, kind);
	KTEST_EXPECT_TRUE(t, info.file && !strcmp(info.file, __FILE__));
	KTEST_EXPECT_EQ(t, info.line, (unsigned int)trigger_line);
	if (info.kind != kind)
		ktest_log(t, "%s: got '%s', wanted '%s'", what, ubsan_kind_name(info.kind),
			  ubsan_kind_name(kind));
}

static void test_shift(struct ktest *t)
{
	expect_report(t, trigger_shift, UBSAN_SHIFT, "shift");
}

static void test_signed_overflow(struct ktest *t)
{
	expect_report(t, trigger_add_overflow, UBSAN_SIGNED_OVERFLOW, "add");
	expect_report(t, trigger_sub_overflow, UBSAN_SIGNED_OVERFLOW, "sub");
	expect_report(t, trigger_mul_overflow, UBSAN_SIGNED_OVERFLOW, "mul");
}

static void test_negate_overflow(struct ktest *t)
{
	expect_report(t, trigger_negate_overflow, UBSAN_NEGATE_OVERFLOW, "negate");
}

static void test_divrem(struct ktest *t)
{
	expect_report(t, trigger_div_zero, UBSAN_DIVREM, "div by zero");
	expect_report(t, trigger_div_overflow, UBSAN_DIVREM, "INT_MIN / -1");
}

static void test_out_of_bounds(struct ktest *t)
{
	expect_report(t, trigger_out_of_bounds, UBSAN_OUT_OF_BOUNDS, "index");
}

static void test_invalid_bool(struct ktest *t)
{
	expect_report(t, trigger_invalid_bool, UBSAN_INVALID_VALUE, "bool");
}

static void test_vla_bound(struct ktest *t)
{
	expect_report(t, trigger_vla_bound, UBSAN_VLA_BOUND, "vla");
}

static void test_unreachable(struct ktest *t)
{
	expect_report(t, trigger_unreachable, UBSAN_UNREACHABLE, "unreachable");
}

static void test_invalid_builtin(struct ktest *t)
{
	expect_report(t, trigger_invalid_builtin, UBSAN_INVALID_BUILTIN, "ctz(0)");
}

static void test_object_size(struct ktest *t)
{
#ifdef __clang__
	KTEST_SKIP(t, "clang does not instrument object-size in C");
#else
	expect_report(t, trigger_object_size, UBSAN_OBJECT_SIZE, "object size");
#endif
}

static void test_misaligned(struct ktest *t)
{
#ifdef CONFIG_UBSAN_ALIGNMENT
	expect_report(t, trigger_misaligned, UBSAN_MISALIGNED, "alignment");
#else
	KTEST_SKIP(t, "CONFIG_UBSAN_ALIGNMENT=n");
#endif
}

/*
 * Production behaviour: no escape, the handler returns and the code goes
 * on; a second failure at the same location is counted but not printed
 * again (we cannot see the console here, so check the count and that the
 * code ran to the end both times).
 */
static noinline int shift_twice(volatile int n)
{
	volatile int v = 1, done = 0;

	for (int i = 0; i < 2; i++) {
		sink = v << n;
		done++;
	}
	return done;
}

static void test_report_and_continue(struct ktest *t)
{
	unsigned long before = ubsan_nr_reports(UBSAN_SHIFT);
	int done;

	preempt_disable();
	ubsan_test_expect(NULL);
	done = shift_twice(ident(33));
	ubsan_test_done();
	preempt_enable();
	KTEST_EXPECT_EQ(t, done, 2);
	KTEST_EXPECT_EQ(t, ubsan_nr_reports(UBSAN_SHIFT), before + 2);
}

/* A well-defined operation reports nothing. */
static void test_no_false_positive(struct ktest *t)
{
	unsigned long before = ubsan_nr_reports(UBSAN_NONE);
	volatile int a = ident(INT_MAX_ - 1), b = ident(1), n = ident(31);
	volatile unsigned int u = (unsigned int)ident(1);

	sink = a + b;
	sink = u << n;
	sink = a / b;
	KTEST_EXPECT_EQ(t, ubsan_nr_reports(UBSAN_NONE), before);
	KTEST_EXPECT_TRUE(t, !strcmp(ubsan_kind_name(UBSAN_SHIFT), "shift out of bounds"));
	KTEST_EXPECT_TRUE(t, !strcmp(ubsan_kind_name(UBSAN_NR_KINDS), "?"));
}

static struct ktest_case ubsan_cases[] = {
	KTEST_CASE(test_no_false_positive),
	KTEST_CASE(test_shift),
	KTEST_CASE(test_signed_overflow),
	KTEST_CASE(test_negate_overflow),
	KTEST_CASE(test_divrem),
	KTEST_CASE(test_out_of_bounds),
	KTEST_CASE(test_invalid_bool),
	KTEST_CASE(test_vla_bound),
	KTEST_CASE(test_unreachable),
	KTEST_CASE(test_invalid_builtin),
	KTEST_CASE(test_object_size),
	KTEST_CASE(test_misaligned),
	KTEST_CASE(test_report_and_continue),
	{}
};

static struct ktest_suite ubsan_suite = {
	.name = "ubsan",
	.cases = ubsan_cases,
};
KTEST_SUITE(ubsan_suite);
