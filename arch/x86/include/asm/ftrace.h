/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The function tracer's instructions (kernel/trace/ftrace.c): each site
 * is the 5-byte NOP the compiler put at a function's entry
 * (-fpatchable-function-entry=5,0) or a CALL rel32 to ftrace_caller
 * (arch/x86/kernel/ftrace_64.S), the trampoline that calls
 * ftrace_handler() with the function's address and its caller's.
 */
#ifndef _ASM_X86_FTRACE_H
#define _ASM_X86_FTRACE_H

#include <exo/string.h>
#include <exo/types.h>

#define FTRACE_INSN_SIZE	5
/* The NOP every site holds while not traced (the static keys' NOP5). */
#define FTRACE_NOP5		0x0f, 0x1f, 0x44, 0x00, 0x00

/* The trampoline: entered by CALL from a site, not callable from C. */
void ftrace_caller(void);

/*
 * Whether @p holds what a compiler put at a site: gcc's five 1-byte
 * NOPs, or clang's "nopl 8(%rax,%rax)" (any 5-byte NOPL with a SIB byte
 * and an 8-bit displacement).
 */
static inline bool ftrace_is_compiler_nop(const u8 *p)
{
	static const u8 nops[FTRACE_INSN_SIZE] = { 0x90, 0x90, 0x90, 0x90, 0x90 };

	if (!memcmp(p, nops, FTRACE_INSN_SIZE))
		return true;
	return p[0] == 0x0f && p[1] == 0x1f && p[2] == 0x44 && p[3] == 0x00;
}

/* The CALL from the site at @ip to the trampoline; false if out of reach. */
static inline bool ftrace_make_call(unsigned long ip, u8 *insn)
{
	long disp = (long)ftrace_caller - (long)(ip + FTRACE_INSN_SIZE);
	s32 rel = (s32)disp;

	if (disp != rel)
		return false;
	insn[0] = 0xe8;
	memcpy(&insn[1], &rel, sizeof(rel));
	return true;
}

#endif /* _ASM_X86_FTRACE_H */
