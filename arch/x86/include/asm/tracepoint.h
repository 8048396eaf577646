/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The call a tracepoint makes when its event is on (<exo/tracepoint.h>).
 * Its target, __trace_<event>(), saves every register it uses
 * (no_caller_saved_registers), but gcc does not let a caller rely on
 * that: a plain call would still make a leaf fast path spill its live
 * registers around it.  As an asm statement the call clobbers only the
 * flags and memory (under clang, the argument registers too: below), so
 * the code around the disabled event keeps its registers.  The stack
 * pointer is an operand (ASM_CALL_CONSTRAINT): the frame is set up before
 * the call, as for a plain one.  Up to four integer or
 * pointer arguments, in the ABI's registers (the kernel has no red zone,
 * so the call's push below the stack pointer overwrites nothing).
 */
#ifndef _ASM_X86_TRACEPOINT_H
#define _ASM_X86_TRACEPOINT_H

#include <asm/asm.h>

/*
 * An argument as the ABI passes it: 64 bits, or 32 zero- or sign-extended
 * from a smaller type, without a 64-bit copy of a 32-bit value (which
 * would hold a second register across the fast path).
 */
#define __TP_ARG_T(x)	__typeof__(__builtin_choose_expr(sizeof(x) > 4, 0UL, 0U))
#define __TP_ARG(x)	((__TP_ARG_T(x))(__force unsigned long)(x))
/*
 * clang's no_caller_saved_registers function may change the registers
 * its arguments came in (clang 14 saves the others only): for clang they
 * are outputs too.  gcc's saves every register it uses.
 */
#ifdef __clang__
#define __TP_REG(r)		"+" r
#define __TP_CALL_ASM(fn, ...)						\
	asm volatile("call " #fn : __VA_ARGS__, ASM_CALL_CONSTRAINT	\
		     : : "memory", "cc")
#else
#define __TP_REG(r)		r
#define __TP_CALL_ASM(fn, ...)						\
	asm volatile("call " #fn : ASM_CALL_CONSTRAINT : __VA_ARGS__	\
		     : "memory", "cc")
#endif
#define __TP_D(x)		__TP_REG("D") (x)
#define __TP_S(x)		__TP_REG("S") (x)
#define __TP_DX(x)		__TP_REG("d") (x)
#define __TP_C(x)		__TP_REG("c") (x)
#define __TP_CALL1(fn, a)						\
	do {								\
		__TP_ARG_T(a) __a = __TP_ARG(a);			\
		__TP_CALL_ASM(fn, __TP_D(__a));				\
	} while (0)
#define __TP_CALL2(fn, a, b)						\
	do {								\
		__TP_ARG_T(a) __a = __TP_ARG(a);			\
		__TP_ARG_T(b) __b = __TP_ARG(b);			\
		__TP_CALL_ASM(fn, __TP_D(__a), __TP_S(__b));		\
	} while (0)
#define __TP_CALL3(fn, a, b, c)						\
	do {								\
		__TP_ARG_T(a) __a = __TP_ARG(a);			\
		__TP_ARG_T(b) __b = __TP_ARG(b);			\
		__TP_ARG_T(c) __c = __TP_ARG(c);			\
		__TP_CALL_ASM(fn, __TP_D(__a), __TP_S(__b), __TP_DX(__c)); \
	} while (0)
#define __TP_CALL4(fn, a, b, c, d)					\
	do {								\
		__TP_ARG_T(a) __a = __TP_ARG(a);			\
		__TP_ARG_T(b) __b = __TP_ARG(b);			\
		__TP_ARG_T(c) __c = __TP_ARG(c);			\
		__TP_ARG_T(d) __d = __TP_ARG(d);			\
		__TP_CALL_ASM(fn, __TP_D(__a), __TP_S(__b), __TP_DX(__c), \
			      __TP_C(__d));				\
	} while (0)
/* 1 to 4, or _MANY for 5 to 8 arguments. */
#define __TP_NARGS(...)							\
	__TP_NARGS_(__VA_ARGS__, _MANY, _MANY, _MANY, _MANY, 4, 3, 2, 1, 0)
#define __TP_NARGS_(a, b, c, d, e, f, g, h, n, ...)	n
#define __TP_CALLN(n)		__TP_CALL##n
#define __TP_CALLX(n)		__TP_CALLN(n)
#define __TP_CALL_MANY(fn, ...)						\
	do {								\
		_Static_assert(0, "tracepoint " #fn ": more than 4 arguments " \
			       "(the registers arch_tracepoint_call() passes)"); \
	} while (0)

/*
 * Call @fn(@args...), which preserves every register but the flags: 1 to
 * 4 arguments (TP_PROTO()), the others are refused at build time.
 */
#define arch_tracepoint_call(fn, args...)				\
	do {								\
		_Static_assert(sizeof(#args) > 1, "tracepoint " #fn	\
			       ": no arguments (it takes 1 to 4)");	\
		__TP_CALLX(__TP_NARGS(args))(fn, args);			\
	} while (0)

#endif /* _ASM_X86_TRACEPOINT_H */
