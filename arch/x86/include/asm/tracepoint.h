/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The call a tracepoint makes when its event is on (<exo/tracepoint.h>),
 * in the code the event's static branch jumps to, which the compiler
 * lays out after the function's hot path.  It is an asm statement that
 * pushes the recorder's address and its arguments, taken from whatever
 * registers the compiler chose (or immediates), and calls a thunk,
 * __tracepoint_thunk<n>() (arch/x86/kernel/tracepoint_64.S), which
 * makes a frame, aligns the stack to the ABI's 16 bytes, loads the
 * arguments into the ABI's registers, calls the recorder and returns
 * popping what was pushed.  The thunk saves the argument registers it
 * loads and the recorder __trace_<event>() saves every other register it
 * uses (no_caller_saved_registers), so the asm clobbers only the flags
 * (and memory: the recorder may read what a pointer argument points to).
 *
 * So neither the site nor the fast path around it ties a value to an
 * argument register, and the function needs no frame for the call: the
 * asm does not touch the stack the compiler sees (the kernel has no red
 * zone, so what is pushed below the stack pointer overwrites nothing).
 * The price is in backtraces taken in a recorder: the thunk's frame
 * returns into the function that has the site, which shows, but if that
 * function had set up no frame of its own at the site, its caller does
 * not (the next frame is its caller's caller), as for ftrace_caller.
 */
#ifndef _ASM_X86_TRACEPOINT_H
#define _ASM_X86_TRACEPOINT_H

#ifndef __ASSEMBLY__

/*
 * Entered by the CALL arch_tracepoint_call() emits, with the recorder's
 * address and <n> arguments on the stack: not callable from C.
 */
void __tracepoint_thunk1(void);
void __tracepoint_thunk2(void);
void __tracepoint_thunk3(void);
void __tracepoint_thunk4(void);

/*
 * TRACE_THIS_IP (<exo/tracepoint.h>) as an argument: the address of the
 * site, which the asm pushes itself ("call 1f; 1:") in the code only an
 * enabled event runs.  The value is not canonical, so no real argument
 * has it; a constant equal to it after inlining selects the push.
 */
#define ARCH_TRACE_THIS_IP	0x8000000000007aceUL
#define __TP_IS_IP(x)							\
	(__builtin_constant_p(x) &&					\
	 __builtin_choose_expr(sizeof(x) == 8, (__force unsigned long)(x), 0UL) == \
	 ARCH_TRACE_THIS_IP)
/*
 * An argument as the ABI passes it: 64 bits, or 32 zero- or sign-extended
 * from a smaller type (the recorder reads only the low 32 bits of these,
 * so the whole register is pushed, whatever its upper half holds).  The
 * site's address is pushed by the asm: its operand is then 0.
 */
#define __TP_ARG_T(x)	__typeof__(__builtin_choose_expr(sizeof(x) > 4, 0UL, 0U))
#define __TP_ARG(x)							\
	(__TP_IS_IP(x) ? 0 : (__TP_ARG_T(x))(__force unsigned long)(x))
/*
 * A register of the compiler's choice or a 32-bit immediate, never
 * memory: an operand addressed from %rsp would move with the pushes.
 */
#define __TP_IN(x)	"re" (x)
#define __TP_FLAG(x)	"i" (__TP_IS_IP(x))
/* Push operand @i, or the site's address if flag operand @f is 1. */
#define __TP_PUSH(i, f)							\
	".if %c" #f "\n\tcall 1f\n1:\n\t.else\n\tpush %q" #i "\n\t.endif\n\t"
/*
 * Whether @x is a pointer, whose target the recorder may read (gcc's and
 * clang's type class 5; sparse, which lacks the builtin, assumes so).
 */
#ifdef __CHECKER__
#define __TP_PTR(x)	1
#else
#define __TP_PTR(x)	(__builtin_classify_type(x) == 5)
#endif
/*
 * The call: the pushes, the recorder's address (operand 0), the thunk.
 * With a pointer among the arguments (@mem) it clobbers memory, so that
 * what the pointer leads to is stored before the recorder reads it.
 * Without, the recorder reads no memory the caller can have written
 * without a call in between (the tracer's state, the current thread's pid
 * and name): a memory clobber there would only make the code after the
 * site reload what it had loaded before, on the fast path too.
 */
#define __TP_CALL_ASM(n, mem, pushes, ...)				\
	do {								\
		if (mem)						\
			asm volatile(pushes "push %0\n\t"		\
				     "call __tracepoint_thunk" #n	\
				     : : __VA_ARGS__ : "memory", "cc");	\
		else							\
			asm volatile(pushes "push %0\n\t"		\
				     "call __tracepoint_thunk" #n	\
				     : : __VA_ARGS__ : "cc");		\
	} while (0)
#define __TP_CALL1(fn, a)						\
	do {								\
		__TP_ARG_T(a) __a = __TP_ARG(a);			\
		__TP_CALL_ASM(1, __TP_PTR(a), __TP_PUSH(1, 2),		\
			      "i" (fn), __TP_IN(__a), __TP_FLAG(a));	\
	} while (0)
#define __TP_CALL2(fn, a, b)						\
	do {								\
		__TP_ARG_T(a) __a = __TP_ARG(a);			\
		__TP_ARG_T(b) __b = __TP_ARG(b);			\
		__TP_CALL_ASM(2, __TP_PTR(a) || __TP_PTR(b),		\
			      __TP_PUSH(2, 4) __TP_PUSH(1, 3),		\
			      "i" (fn), __TP_IN(__a), __TP_IN(__b),	\
			      __TP_FLAG(a), __TP_FLAG(b));		\
	} while (0)
#define __TP_CALL3(fn, a, b, c)						\
	do {								\
		__TP_ARG_T(a) __a = __TP_ARG(a);			\
		__TP_ARG_T(b) __b = __TP_ARG(b);			\
		__TP_ARG_T(c) __c = __TP_ARG(c);			\
		__TP_CALL_ASM(3, __TP_PTR(a) || __TP_PTR(b) || __TP_PTR(c), \
			      __TP_PUSH(3, 6) __TP_PUSH(2, 5) __TP_PUSH(1, 4), \
			      "i" (fn), __TP_IN(__a), __TP_IN(__b), __TP_IN(__c), \
			      __TP_FLAG(a), __TP_FLAG(b), __TP_FLAG(c));	\
	} while (0)
#define __TP_CALL4(fn, a, b, c, d)					\
	do {								\
		__TP_ARG_T(a) __a = __TP_ARG(a);			\
		__TP_ARG_T(b) __b = __TP_ARG(b);			\
		__TP_ARG_T(c) __c = __TP_ARG(c);			\
		__TP_ARG_T(d) __d = __TP_ARG(d);			\
		__TP_CALL_ASM(4, __TP_PTR(a) || __TP_PTR(b) ||		\
				 __TP_PTR(c) || __TP_PTR(d),		\
			      __TP_PUSH(4, 8) __TP_PUSH(3, 7)		\
			      __TP_PUSH(2, 6) __TP_PUSH(1, 5),		\
			      "i" (fn), __TP_IN(__a), __TP_IN(__b),	\
			      __TP_IN(__c), __TP_IN(__d), __TP_FLAG(a),	\
			      __TP_FLAG(b), __TP_FLAG(c), __TP_FLAG(d)); \
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

#endif /* !__ASSEMBLY__ */
#endif /* _ASM_X86_TRACEPOINT_H */
