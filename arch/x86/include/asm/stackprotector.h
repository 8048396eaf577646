/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stack protector canary for x86-64 (CONFIG_STACKPROTECTOR).
 *
 * The kernel is built with -mstack-protector-guard=global (see the top
 * Makefile for why), so the canary is the one variable __stack_chk_guard
 * defined in lib/stackprotector.c.  boot_init_stack_canary() gives it a
 * per-boot random value as the very first thing the boot CPU does in C;
 * the function calling it must itself be built without the protector
 * (its saved copy would be the old value).
 */
#ifndef _ASM_X86_STACKPROTECTOR_H
#define _ASM_X86_STACKPROTECTOR_H

#include <exo/types.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>

extern unsigned long __stack_chk_guard;

/* One RDRAND result; false if the DRNG had nothing (retry advised). */
static __always_inline bool rdrand_long(unsigned long *v)
{
	bool ok;

	__asm__ __volatile__("rdrand %0" : "=r"(*v), "=@ccc"(ok));
	return ok;
}

/*
 * RDRAND when the boot CPU has it (up to 10 tries, as Intel advises;
 * early_cpu_init() must have run), always mixed with the TSC so that a
 * missing or failing DRNG still gives a boot-unique value.  The low byte is zero: a string overflow (strcpy & co.) stops at
 * the canary instead of reading or writing past it.
 */
static __always_inline void boot_init_stack_canary(void)
{
	unsigned long canary = 0, r;
	u64 tsc = rdtsc();

	if (boot_cpu_has(X86_FEATURE_RDRAND)) {
		for (int i = 0; i < 10; i++) {
			if (rdrand_long(&r)) {
				canary = r;
				break;
			}
		}
	}
	canary ^= tsc + (tsc << 32) + 0x9e3779b97f4a7c15UL;
	canary &= ~0xffUL;
	if (!canary)
		canary = 0xdead5a0000UL;
	__stack_chk_guard = canary;
}

#endif /* _ASM_X86_STACKPROTECTOR_H */
