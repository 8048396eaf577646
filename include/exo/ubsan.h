/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Undefined-behaviour sanitizer runtime (CONFIG_UBSAN, lib/ubsan.c).
 *
 * The compiler instruments the checks chosen in Kconfig and calls
 * __ubsan_handle_*() when one fails; the runtime prints one report per
 * source location (kind, file:line:column, the operands, a backtrace) and
 * the kernel goes on, or panics with CONFIG_UBSAN_PANIC.  Every failed
 * check is counted, printed or not, so tests can prove that a deliberate
 * bug was caught.
 */
#ifndef _EXO_UBSAN_H
#define _EXO_UBSAN_H

#include <exo/types.h>

enum ubsan_kind {
	UBSAN_NONE,
	UBSAN_SIGNED_OVERFLOW,		/* + - * on signed operands */
	UBSAN_NEGATE_OVERFLOW,		/* -INT_MIN */
	UBSAN_DIVREM,			/* x / 0, x % 0, INT_MIN / -1 */
	UBSAN_SHIFT,			/* shift count or result out of range */
	UBSAN_OUT_OF_BOUNDS,		/* array index beyond the declared bound */
	UBSAN_NULL_POINTER,		/* access through a null pointer */
	UBSAN_MISALIGNED,		/* access through a misaligned pointer */
	UBSAN_OBJECT_SIZE,		/* access past the end of the object */
	UBSAN_INVALID_VALUE,		/* a bool that is neither 0 nor 1 */
	UBSAN_VLA_BOUND,		/* variable-length array of size <= 0 */
	UBSAN_UNREACHABLE,		/* __builtin_unreachable() reached */
	UBSAN_INVALID_BUILTIN,		/* __builtin_ctz/clz(0) */
	UBSAN_POINTER_OVERFLOW,		/* pointer arithmetic wrapped */
	UBSAN_NONNULL,			/* NULL for a nonnull argument/return */
	UBSAN_ALIGNMENT_ASSUMPTION,	/* __builtin_assume_aligned lied */
	UBSAN_IMPLICIT_CONVERSION,	/* value changed by an implicit cast */
	UBSAN_NR_KINDS
};

/* What the last report was about (for tests). */
struct ubsan_report_info {
	enum ubsan_kind kind;
	const char *file;
	unsigned int line;
};

#ifdef CONFIG_UBSAN
/**
 * ubsan_nr_reports() - failed checks so far, of @kind or of any kind
 * @kind: a kind, or UBSAN_NONE for the total
 *
 * Counts every failed check, including repeats at a location that is
 * reported (printed) only the first time.
 *
 * Return: the count.
 */
unsigned long ubsan_nr_reports(enum ubsan_kind kind);

/**
 * ubsan_last_report() - kind and location of the most recent failed check
 * @info: filled in; kind is UBSAN_NONE if nothing failed yet
 */
void ubsan_last_report(struct ubsan_report_info *info);

/**
 * ubsan_kind_name() - human-readable name of a kind, as used in reports
 * @kind: the kind
 *
 * Return: a static string ("?" for an unknown kind).
 */
const char *ubsan_kind_name(enum ubsan_kind kind);

/**
 * ubsan_test_expect() - a test is about to trigger reports on purpose
 * @escape: a __builtin_setjmp() buffer (5 words), or NULL
 *
 * Until ubsan_test_done(), on this CPU: CONFIG_UBSAN_PANIC does not panic,
 * and if @escape is set every failed check, once counted and reported,
 * jumps to @escape instead of returning (so the undefined operation itself
 * never runs; needed for a division by zero, which traps, and for
 * unreachable code).  With @escape NULL the code goes on as in production.
 * Test-only: the caller keeps preemption disabled between the two calls.
 */
void ubsan_test_expect(void **escape);

/** ubsan_test_done() - end of a ubsan_test_expect() section */
void ubsan_test_done(void);
#else
static inline unsigned long ubsan_nr_reports(enum ubsan_kind kind) { return 0; }
static inline void ubsan_last_report(struct ubsan_report_info *info)
{
	info->kind = UBSAN_NONE;
	info->file = NULL;
	info->line = 0;
}
#endif

#endif /* _EXO_UBSAN_H */
