// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime of the undefined-behaviour sanitizer (CONFIG_UBSAN).
 *
 * With -fsanitize=<checks> gcc and clang call __ubsan_handle_<kind>() where
 * an operation is undefined: signed overflow, an out-of-range shift, an
 * index beyond an array's bound, a null/misaligned/too-small pointer, a
 * bool that is neither 0 nor 1, a VLA of size <= 0, reaching
 * __builtin_unreachable().  The first argument points at compiler-generated
 * static data (source location, type descriptors); the others are the
 * operands as "value handles": integers that fit in a pointer are passed
 * inline, wider ones by address.  The layouts below are the ABI that both
 * compilers share with their user-space runtimes.
 *
 * Invariants:
 *  - a failed check is always counted (ubsan_nr_reports()), but printed only
 *    the first time for its source location: the top bit of the location's
 *    column marks it reported.  The data is writable (.data) by design: the
 *    user-space runtime marks it the same way;
 *  - a report never recurses: a check failing while this CPU is printing a
 *    report (in printk, the backtrace code...) is counted and dropped;
 *  - reports from several CPUs do not interleave (a raw lock, not a
 *    spinlock_t, so that lock debugging cannot recurse into here);
 *  - a handler returns, so the instrumented code goes on as it would have
 *    without the sanitizer, except the "cannot continue" kinds (unreachable,
 *    the *_abort variants used with -fno-sanitize-recover), which panic.
 *
 * This file, and printk which it calls, are built without -fsanitize.
 */
#define pr_fmt(fmt) "UBSAN: " fmt

#include <exo/atomic.h>
#include <exo/bug.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/ubsan.h>

#ifdef __CHECKER__
__noreturn void __builtin_longjmp(void **buf, int v);
#endif

struct source_location {
	const char *file;
	u32 line;
	u32 column;		/* bit 31: already reported */
};

#define LOC_REPORTED	(1U << 31)

struct type_descriptor {
	u16 type_kind;		/* 0 integer, 1 float, 0xffff other */
	u16 type_info;		/* integer: bit 0 signed, bits 1.. log2(bit width) */
	char type_name[];
};

#define TYPE_KIND_INT	0

struct overflow_data {
	struct source_location loc;
	const struct type_descriptor *type;
};

struct shift_data {
	struct source_location loc;
	const struct type_descriptor *lhs_type;
	const struct type_descriptor *rhs_type;
};

struct out_of_bounds_data {
	struct source_location loc;
	const struct type_descriptor *array_type;
	const struct type_descriptor *index_type;
};

/* gcc >= 8, clang >= 5 */
struct type_mismatch_data_v1 {
	struct source_location loc;
	const struct type_descriptor *type;
	u8 log_alignment;
	u8 type_check_kind;
};

/* Older gcc */
struct type_mismatch_data {
	struct source_location loc;
	const struct type_descriptor *type;
	unsigned long alignment;
	u8 type_check_kind;
};

struct location_data {
	struct source_location loc;
};

struct invalid_value_data {
	struct source_location loc;
	const struct type_descriptor *type;
};

struct vla_bound_data {
	struct source_location loc;
	const struct type_descriptor *type;
};

struct invalid_builtin_data {
	struct source_location loc;
	u8 kind;		/* 0 ctz, 1 clz */
};

struct nonnull_arg_data {
	struct source_location loc;
	struct source_location attr_loc;
	int arg_index;
};

struct nonnull_return_data {
	struct source_location attr_loc;
};

struct alignment_assumption_data {
	struct source_location loc;
	struct source_location assumption_loc;
	const struct type_descriptor *type;
};

struct implicit_conversion_data {
	struct source_location loc;
	const struct type_descriptor *from_type;
	const struct type_descriptor *to_type;
	u8 kind;
};

static const char *const kind_names[UBSAN_NR_KINDS] = {
	[UBSAN_NONE] = "none",
	[UBSAN_SIGNED_OVERFLOW] = "signed integer overflow",
	[UBSAN_NEGATE_OVERFLOW] = "negation overflow",
	[UBSAN_DIVREM] = "division error",
	[UBSAN_SHIFT] = "shift out of bounds",
	[UBSAN_OUT_OF_BOUNDS] = "array index out of bounds",
	[UBSAN_NULL_POINTER] = "null pointer access",
	[UBSAN_MISALIGNED] = "misaligned access",
	[UBSAN_OBJECT_SIZE] = "object too small",
	[UBSAN_INVALID_VALUE] = "load of invalid value",
	[UBSAN_VLA_BOUND] = "variable-length array bound not positive",
	[UBSAN_UNREACHABLE] = "unreachable code reached",
	[UBSAN_INVALID_BUILTIN] = "invalid builtin argument",
	[UBSAN_POINTER_OVERFLOW] = "pointer arithmetic overflow",
	[UBSAN_NONNULL] = "null where nonnull required",
	[UBSAN_ALIGNMENT_ASSUMPTION] = "alignment assumption violated",
	[UBSAN_IMPLICIT_CONVERSION] = "implicit conversion changed the value",
};

static atomic_long_t nr_reports[UBSAN_NR_KINDS];
static struct ubsan_report_info last_report;
static spinlock_t report_lock = __SPIN_LOCK_UNLOCKED(report_lock);
static DEFINE_PER_CPU(unsigned int, ubsan_nesting);

/* Test support: which CPU expects reports, and where it escapes to. */
static int test_cpu = -1;
static void **test_escape;

/* Count every failed check, print only the first one per location. */
static unsigned long report_count(enum ubsan_kind kind)
{
	return (unsigned long)atomic_long_read(&nr_reports[kind]);
}

unsigned long ubsan_nr_reports(enum ubsan_kind kind)
{
	unsigned long sum = 0;

	if (kind >= UBSAN_NR_KINDS)
		return 0;
	if (kind != UBSAN_NONE)
		return report_count(kind);
	for (unsigned int k = 1; k < UBSAN_NR_KINDS; k++)
		sum += report_count(k);
	return sum;
}

void ubsan_last_report(struct ubsan_report_info *info)
{
	unsigned long flags = arch_local_irq_save();

	arch_spin_lock(&report_lock);
	*info = last_report;
	arch_spin_unlock(&report_lock);
	arch_local_irq_restore(flags);
}

const char *ubsan_kind_name(enum ubsan_kind kind)
{
	return kind < UBSAN_NR_KINDS ? kind_names[kind] : "?";
}

void ubsan_test_expect(void **escape)
{
	WRITE_ONCE(test_escape, escape);
	WRITE_ONCE(test_cpu, (int)smp_processor_id());
}

void ubsan_test_done(void)
{
	WRITE_ONCE(test_cpu, -1);
	WRITE_ONCE(test_escape, NULL);
}

static bool test_expects_reports(void)
{
	return READ_ONCE(test_cpu) == (int)smp_processor_id();
}

static bool type_is_int(const struct type_descriptor *t)
{
	return t->type_kind == TYPE_KIND_INT;
}

static bool type_is_signed(const struct type_descriptor *t)
{
	return type_is_int(t) && (t->type_info & 1);
}

static unsigned int type_bits(const struct type_descriptor *t)
{
	return 1U << (t->type_info >> 1);
}

/* Print the value handle @v of type @t: inline if it fits 64 bits. */
static void print_value(const char *what, const struct type_descriptor *t, void *v)
{
	unsigned long raw = (unsigned long)v;

	if (!type_is_int(t) || type_bits(t) > 64) {
		printk(KERN_ERR "  %s: <%s value at %p>\n", what, t->type_name, v);
		return;
	}
	if (type_is_signed(t)) {
		unsigned int pad = 64 - type_bits(t);
		long long x = (long long)(raw << pad) >> pad;

		printk(KERN_ERR "  %s: %lld (%s)\n", what, x, t->type_name);
	} else {
		printk(KERN_ERR "  %s: %llu (%#llx, %s)\n", what, (unsigned long long)raw,
		       (unsigned long long)raw, t->type_name);
	}
}

/* The value of an integer handle, for decisions (0 for wide types). */
static unsigned long value_bits(const struct type_descriptor *t, void *v)
{
	return type_is_int(t) && type_bits(t) <= 64 ? (unsigned long)v : 0;
}

/*
 * Start a report: count it, and return true (lock held, interrupts off in
 * *flags) if it is to be printed: the first report at @loc, and not nested
 * inside another report on this CPU.
 */
static bool report_begin(struct source_location *loc, enum ubsan_kind kind,
			 unsigned long *flags)
{
	u32 col;

	atomic_long_inc(&nr_reports[kind]);
	if (this_cpu_read(ubsan_nesting))
		return false;
	this_cpu_inc(ubsan_nesting);
	*flags = arch_local_irq_save();
	arch_spin_lock(&report_lock);
	last_report.kind = kind;
	last_report.file = loc->file;
	last_report.line = loc->line;
	col = __atomic_fetch_or(&loc->column, LOC_REPORTED, __ATOMIC_RELAXED);
	if (col & LOC_REPORTED) {
		arch_spin_unlock(&report_lock);
		arch_local_irq_restore(*flags);
		this_cpu_dec(ubsan_nesting);
		return false;
	}
	printk(KERN_ERR "================================================================\n");
	printk(KERN_ERR "UBSAN: %s in %s:%u:%u\n", kind_names[kind], loc->file, loc->line,
	       col & ~LOC_REPORTED);
	return true;
}

/* End a printed report: backtrace, unlock, then panic if so configured. */
static void report_end(unsigned long flags)
{
	printk(KERN_ERR "CPU: %u\n", smp_processor_id());
	dump_stack();
	printk(KERN_ERR "================================================================\n");
	arch_spin_unlock(&report_lock);
	arch_local_irq_restore(flags);
	this_cpu_dec(ubsan_nesting);
	if (IS_ENABLED(CONFIG_UBSAN_PANIC) && !test_expects_reports())
		panic("UBSAN: undefined behaviour (CONFIG_UBSAN_PANIC)");
}

/*
 * A test that triggers a check on purpose may ask not to execute the
 * undefined operation at all (a division by zero would trap): it then gets
 * back to its setjmp buffer right after the report.
 */
static void test_escape_now(void)
{
	void **escape = READ_ONCE(test_escape);

	if (escape && test_expects_reports())
		__builtin_longjmp(escape, 1);
}

/* A check the code cannot continue after: a test escapes, else panic. */
static __noreturn void cannot_continue(struct source_location *loc, enum ubsan_kind kind)
{
	test_escape_now();
	panic("UBSAN: %s at %s:%u cannot continue", kind_names[kind], loc->file, loc->line);
}

static void handle_overflow(struct overflow_data *d, void *lhs, void *rhs, const char *op)
{
	unsigned long flags;

	if (!report_begin(&d->loc, UBSAN_SIGNED_OVERFLOW, &flags))
		return;
	printk(KERN_ERR "  %s %s %s cannot be represented in type %s\n",
	       "lhs", op, "rhs", d->type->type_name);
	print_value("lhs", d->type, lhs);
	print_value("rhs", d->type, rhs);
	report_end(flags);
}

static void handle_negate(struct overflow_data *d, void *old)
{
	unsigned long flags;

	if (!report_begin(&d->loc, UBSAN_NEGATE_OVERFLOW, &flags))
		return;
	printk(KERN_ERR "  negation of the operand cannot be represented in type %s\n",
	       d->type->type_name);
	print_value("operand", d->type, old);
	report_end(flags);
}

static void handle_divrem(struct overflow_data *d, void *lhs, void *rhs)
{
	unsigned long flags;

	if (!report_begin(&d->loc, UBSAN_DIVREM, &flags))
		return;
	printk(KERN_ERR "  %s\n", value_bits(d->type, rhs) ? "division overflow (MIN / -1)" :
	       "division by zero");
	print_value("dividend", d->type, lhs);
	print_value("divisor", d->type, rhs);
	report_end(flags);
}

static void handle_shift(struct shift_data *d, void *lhs, void *rhs)
{
	unsigned long flags, count = value_bits(d->rhs_type, rhs);
	bool neg = type_is_signed(d->rhs_type) && (long)count < 0;

	if (!report_begin(&d->loc, UBSAN_SHIFT, &flags))
		return;
	if (neg)
		printk(KERN_ERR "  shift exponent is negative\n");
	else if (count >= type_bits(d->lhs_type))
		printk(KERN_ERR "  shift exponent %lu is too large for %u-bit type %s\n",
		       count, type_bits(d->lhs_type), d->lhs_type->type_name);
	else
		printk(KERN_ERR "  left shift of the value overflows type %s\n",
		       d->lhs_type->type_name);
	print_value("value", d->lhs_type, lhs);
	print_value("shift", d->rhs_type, rhs);
	report_end(flags);
}

static void handle_out_of_bounds(struct out_of_bounds_data *d, void *index)
{
	unsigned long flags;

	if (!report_begin(&d->loc, UBSAN_OUT_OF_BOUNDS, &flags))
		return;
	print_value("index", d->index_type, index);
	printk(KERN_ERR "  array type: %s\n", d->array_type->type_name);
	report_end(flags);
}

static const char *const check_kinds[] = {
	"load of", "store to", "reference binding to", "member access within",
	"member call on", "constructor call on", "downcast of", "downcast of",
	"upcast of", "cast to virtual base of", "_Nonnull binding to",
	"dynamic operation on",
};

static void handle_mismatch(struct source_location *loc, const struct type_descriptor *type,
			    unsigned long align, u8 check_kind, void *ptr)
{
	unsigned long p = (unsigned long)ptr, flags;
	const char *what = check_kind < ARRAY_SIZE(check_kinds) ? check_kinds[check_kind] :
			   "access to";
	enum ubsan_kind kind;

	if (!p)
		kind = UBSAN_NULL_POINTER;
	else if (align && (p & (align - 1)))
		kind = UBSAN_MISALIGNED;
	else
		kind = UBSAN_OBJECT_SIZE;
	if (!report_begin(loc, kind, &flags))
		return;
	if (kind == UBSAN_NULL_POINTER)
		printk(KERN_ERR "  %s null pointer of type %s\n", what, type->type_name);
	else if (kind == UBSAN_MISALIGNED)
		printk(KERN_ERR "  %s misaligned address %#lx for type %s, which requires "
		       "%lu-byte alignment\n", what, p, type->type_name, align);
	else
		printk(KERN_ERR "  %s address %#lx with insufficient space for an object of "
		       "type %s\n", what, p, type->type_name);
	report_end(flags);
}

static void handle_invalid_value(struct invalid_value_data *d, void *v)
{
	unsigned long flags;

	if (!report_begin(&d->loc, UBSAN_INVALID_VALUE, &flags))
		return;
	printk(KERN_ERR "  value is not valid for type %s\n", d->type->type_name);
	print_value("value", d->type, v);
	report_end(flags);
}

static void handle_vla_bound(struct vla_bound_data *d, void *bound)
{
	unsigned long flags;

	if (!report_begin(&d->loc, UBSAN_VLA_BOUND, &flags))
		return;
	print_value("bound", d->type, bound);
	report_end(flags);
}

static void handle_invalid_builtin(struct invalid_builtin_data *d)
{
	unsigned long flags;

	if (!report_begin(&d->loc, UBSAN_INVALID_BUILTIN, &flags))
		return;
	printk(KERN_ERR "  passing zero to %s, which is not a valid argument\n",
	       d->kind == 0 ? "ctz()" : d->kind == 1 ? "clz()" : "a builtin");
	report_end(flags);
}

static void handle_pointer_overflow(struct location_data *d, void *base, void *result)
{
	unsigned long flags;

	if (!report_begin(&d->loc, UBSAN_POINTER_OVERFLOW, &flags))
		return;
	printk(KERN_ERR "  pointer arithmetic on %p overflowed to %p\n", base, result);
	report_end(flags);
}

static void handle_nonnull_arg(struct nonnull_arg_data *d)
{
	unsigned long flags;

	if (!report_begin(&d->loc, UBSAN_NONNULL, &flags))
		return;
	printk(KERN_ERR "  null pointer passed as argument %d, declared nonnull at %s:%u\n",
	       d->arg_index, d->attr_loc.file ? d->attr_loc.file : "?", d->attr_loc.line);
	report_end(flags);
}

static void handle_nonnull_return(struct nonnull_return_data *d, struct source_location *loc)
{
	unsigned long flags;

	if (!report_begin(loc, UBSAN_NONNULL, &flags))
		return;
	printk(KERN_ERR "  null pointer returned from a function declared never to return null"
	       " (%s:%u)\n", d->attr_loc.file ? d->attr_loc.file : "?", d->attr_loc.line);
	report_end(flags);
}

static void handle_alignment_assumption(struct alignment_assumption_data *d, void *ptr,
					void *align, void *offset)
{
	unsigned long flags;

	if (!report_begin(&d->loc, UBSAN_ALIGNMENT_ASSUMPTION, &flags))
		return;
	printk(KERN_ERR "  assumption of %lu-byte alignment (offset %lu) for pointer %p of "
	       "type %s failed\n", (unsigned long)align, (unsigned long)offset, ptr,
	       d->type->type_name);
	report_end(flags);
}

static void handle_implicit_conversion(struct implicit_conversion_data *d, void *src, void *dst)
{
	unsigned long flags;

	if (!report_begin(&d->loc, UBSAN_IMPLICIT_CONVERSION, &flags))
		return;
	printk(KERN_ERR "  implicit conversion from type %s to type %s changed the value\n",
	       d->from_type->type_name, d->to_type->type_name);
	print_value("from", d->from_type, src);
	print_value("to", d->to_type, dst);
	report_end(flags);
}

/*
 * Each check has a recoverable entry point and an _abort one (used with
 * -fno-sanitize-recover, after which the compiler emits no code): the
 * latter reports and never returns.  Both are exported: modules are
 * built with the same -fsanitize= flags and call them too.
 */
#define UBSAN_ENTRY(name, params, call, loc, kind)			\
	void __ubsan_handle_##name params;				\
	void __ubsan_handle_##name params { call; test_escape_now(); }	\
	__noreturn void __ubsan_handle_##name##_abort params;		\
	__noreturn void __ubsan_handle_##name##_abort params		\
	{								\
		call;							\
		cannot_continue(loc, kind);				\
	}								\
	EXPORT_SYMBOL(__ubsan_handle_##name);				\
	EXPORT_SYMBOL(__ubsan_handle_##name##_abort);

UBSAN_ENTRY(add_overflow, (struct overflow_data *d, void *l, void *r),
	    handle_overflow(d, l, r, "+"), &d->loc, UBSAN_SIGNED_OVERFLOW)
UBSAN_ENTRY(sub_overflow, (struct overflow_data *d, void *l, void *r),
	    handle_overflow(d, l, r, "-"), &d->loc, UBSAN_SIGNED_OVERFLOW)
UBSAN_ENTRY(mul_overflow, (struct overflow_data *d, void *l, void *r),
	    handle_overflow(d, l, r, "*"), &d->loc, UBSAN_SIGNED_OVERFLOW)
UBSAN_ENTRY(negate_overflow, (struct overflow_data *d, void *old),
	    handle_negate(d, old), &d->loc, UBSAN_NEGATE_OVERFLOW)
UBSAN_ENTRY(divrem_overflow, (struct overflow_data *d, void *l, void *r),
	    handle_divrem(d, l, r), &d->loc, UBSAN_DIVREM)
UBSAN_ENTRY(shift_out_of_bounds, (struct shift_data *d, void *l, void *r),
	    handle_shift(d, l, r), &d->loc, UBSAN_SHIFT)
UBSAN_ENTRY(out_of_bounds, (struct out_of_bounds_data *d, void *index),
	    handle_out_of_bounds(d, index), &d->loc, UBSAN_OUT_OF_BOUNDS)
UBSAN_ENTRY(type_mismatch_v1, (struct type_mismatch_data_v1 *d, void *ptr),
	    handle_mismatch(&d->loc, d->type, 1UL << d->log_alignment, d->type_check_kind, ptr),
	    &d->loc, UBSAN_OBJECT_SIZE)
UBSAN_ENTRY(type_mismatch, (struct type_mismatch_data *d, void *ptr),
	    handle_mismatch(&d->loc, d->type, d->alignment, d->type_check_kind, ptr),
	    &d->loc, UBSAN_OBJECT_SIZE)
UBSAN_ENTRY(load_invalid_value, (struct invalid_value_data *d, void *v),
	    handle_invalid_value(d, v), &d->loc, UBSAN_INVALID_VALUE)
UBSAN_ENTRY(vla_bound_not_positive, (struct vla_bound_data *d, void *bound),
	    handle_vla_bound(d, bound), &d->loc, UBSAN_VLA_BOUND)
UBSAN_ENTRY(invalid_builtin, (struct invalid_builtin_data *d),
	    handle_invalid_builtin(d), &d->loc, UBSAN_INVALID_BUILTIN)
UBSAN_ENTRY(pointer_overflow, (struct location_data *d, void *base, void *result),
	    handle_pointer_overflow(d, base, result), &d->loc, UBSAN_POINTER_OVERFLOW)
UBSAN_ENTRY(nonnull_arg, (struct nonnull_arg_data *d),
	    handle_nonnull_arg(d), &d->loc, UBSAN_NONNULL)
UBSAN_ENTRY(nonnull_return_v1, (struct nonnull_return_data *d, struct source_location *loc),
	    handle_nonnull_return(d, loc), loc, UBSAN_NONNULL)
UBSAN_ENTRY(alignment_assumption, (struct alignment_assumption_data *d, void *ptr,
				   void *align, void *offset),
	    handle_alignment_assumption(d, ptr, align, offset), &d->loc,
	    UBSAN_ALIGNMENT_ASSUMPTION)
UBSAN_ENTRY(implicit_conversion, (struct implicit_conversion_data *d, void *src, void *dst),
	    handle_implicit_conversion(d, src, dst), &d->loc, UBSAN_IMPLICIT_CONVERSION)

/* The compiler assumed this cannot happen: there is no code to return to. */
__noreturn void __ubsan_handle_builtin_unreachable(struct location_data *d);
__noreturn void __ubsan_handle_builtin_unreachable(struct location_data *d)
{
	unsigned long flags;

	if (report_begin(&d->loc, UBSAN_UNREACHABLE, &flags))
		report_end(flags);
	cannot_continue(&d->loc, UBSAN_UNREACHABLE);
}
EXPORT_SYMBOL(__ubsan_handle_builtin_unreachable);
