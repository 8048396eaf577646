/* SPDX-License-Identifier: GPL-2.0 */
/* BUG_ON/WARN_ON and panic(). */
#ifndef _EXO_BUG_H
#define _EXO_BUG_H

#include <exo/compiler.h>
#include <exo/printk.h>

/**
 * panic() - print a message, the CPU state and a backtrace, stop all CPUs
 * @fmt: printf-style message
 */
__noreturn __cold __printf(1, 2) void panic(const char *fmt, ...);

void __warn(const char *file, int line, const char *cond);
/* Print a symbolised backtrace of the caller. */
void dump_stack(void);

#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(cond) do {						\
	if (unlikely(cond))						\
		panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); \
} while (0)

#define WARN_ON(cond) ({						\
	bool __c = !!(cond);						\
	if (unlikely(__c))						\
		__warn(__FILE__, __LINE__, #cond);			\
	unlikely(__c);							\
})

#define WARN_ON_ONCE(cond) ({						\
	static bool __warned;						\
	bool __c = !!(cond);						\
	if (unlikely(__c) && !__warned) {				\
		__warned = true;					\
		__warn(__FILE__, __LINE__, #cond);			\
	}								\
	unlikely(__c);							\
})

#endif /* _EXO_BUG_H */
