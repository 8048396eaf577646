/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compiler attributes, sparse annotations and access helpers shared by the
 * kernel and the hosted build.  Nothing here may depend on the architecture.
 */
#ifndef _EXO_COMPILER_H
#define _EXO_COMPILER_H

#ifdef __CHECKER__
# define __user		__attribute__((noderef, address_space(__user)))
# define __iomem	__attribute__((noderef, address_space(__iomem)))
# define __percpu	__attribute__((noderef, address_space(__percpu)))
# define __force	__attribute__((force))
# define __bitwise	__attribute__((bitwise))
# define __acquires(x)	__attribute__((context(x, 0, 1)))
# define __releases(x)	__attribute__((context(x, 1, 0)))
# define __must_hold(x)	__attribute__((context(x, 1, 1)))
# define __acquire(x)	__context__(x, 1)
# define __release(x)	__context__(x, -1)
#else
# define __user
# define __iomem
# define __percpu
# define __force
# define __bitwise
# define __acquires(x)
# define __releases(x)
# define __must_hold(x)
# define __acquire(x)	((void)0)
# define __release(x)	((void)0)
#endif

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define __always_inline	inline __attribute__((__always_inline__))
#define noinline	__attribute__((__noinline__))
#define __noreturn	__attribute__((__noreturn__))
#define __packed	__attribute__((__packed__))
#define __aligned(x)	__attribute__((__aligned__(x)))
#define __section(s)	__attribute__((__section__(s)))
#define __used		__attribute__((__used__))
#define __maybe_unused	__attribute__((__unused__))
#define __printf(a, b)	__attribute__((__format__(printf, a, b)))
#define __weak		__attribute__((__weak__))
#define __cold		__attribute__((__cold__))
/*
 * notrace: no function-tracer patch site at the entry (the tracer itself,
 * the ring buffer, text patching, NMI and early boot code; __init too).
 */
#define notrace		__attribute__((__patchable_function_entry__(0, 0)))
#define __cacheline_aligned __aligned(64)
/* Written once at boot, read on hot paths: kept off the lines that writes bounce. */
#define __read_mostly	__section(".data..read_mostly")
#define fallthrough	__attribute__((__fallthrough__))

#define barrier()	__asm__ __volatile__("" ::: "memory")
/* Make @var opaque to the optimiser: it can no longer derive it from what it knew. */
#define OPTIMIZER_HIDE_VAR(var)	__asm__ ("" : "=r"(var) : "0"(var))

#ifndef __SANITIZE_THREAD__
#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#else
/*
 * The hosted ThreadSanitizer build: marked accesses become relaxed
 * atomics, which is what the kernel means by them, so that TSan takes them
 * as the intended races they are and reports every unmarked one.
 * ((void)0, x) is x without its qualifiers.
 */
#define READ_ONCE(x) ({							\
	__typeof__(((void)0, (x))) __ro;				\
	__atomic_load(&(x), &__ro, __ATOMIC_RELAXED);			\
	__ro;								\
})
#define WRITE_ONCE(x, v) ({						\
	__typeof__(((void)0, (x))) __wo = (v);				\
	__atomic_store(&(x), &__wo, __ATOMIC_RELAXED);			\
})
#endif

/*
 * data_race(expr): a read that races with writers on purpose, whose value
 * is only a hint that the caller checks again under synchronisation (as
 * Linux's data_race()).  The hosted ThreadSanitizer build ignores the
 * reads in it; everywhere else it is @expr.
 */
#ifdef __SANITIZE_THREAD__
void AnnotateIgnoreReadsBegin(const char *file, int line);
void AnnotateIgnoreReadsEnd(const char *file, int line);
#define data_race(expr) ({						\
	__typeof__(((void)0, (expr))) __dr;				\
	AnnotateIgnoreReadsBegin(__FILE__, __LINE__);			\
	__dr = (expr);							\
	AnnotateIgnoreReadsEnd(__FILE__, __LINE__);			\
	__dr;								\
})
#else
#define data_race(expr)	(expr)
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), #cond)

#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

#define _RET_IP_	((unsigned long)__builtin_return_address(0))
#define _THIS_IP_	({ __label__ __here; __here: (unsigned long)&&__here; })

#endif /* _EXO_COMPILER_H */
