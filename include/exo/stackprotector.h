/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stack protector runtime (CONFIG_STACKPROTECTOR, lib/stackprotector.c).
 *
 * Every function with a local array or an address-taken local saves the
 * per-boot canary __stack_chk_guard below its return address and calls
 * __stack_chk_fail() if the copy changed when it returns: the kernel
 * panics, naming the function, before the corrupted frame is used.
 */
#ifndef _EXO_STACKPROTECTOR_H
#define _EXO_STACKPROTECTOR_H

#include <exo/compiler.h>

#ifdef CONFIG_STACKPROTECTOR
#ifndef __HOSTED__
#include <asm/stackprotector.h>
#endif

/* Called by compiler-generated code; panics. */
__noreturn void __stack_chk_fail(void);

/*
 * Test hook: when set, __stack_chk_fail() calls it with the address of the
 * function whose canary was found corrupted, instead of panicking.  It must
 * not return (a test escapes with __builtin_longjmp); if it does, the
 * kernel panics anyway.  Only for tests, with preemption disabled.
 */
extern void (*stack_chk_fail_hook)(unsigned long ip);
#endif

#endif /* _EXO_STACKPROTECTOR_H */
