/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for inline assembly.
 */
#ifndef _ASM_X86_ASM_H
#define _ASM_X86_ASM_H

/* The stack pointer, as an asm operand. */
register unsigned long current_stack_pointer asm("rsp");

/*
 * The output constraint of an asm statement that makes a call: with it
 * the compiler sets up the enclosing function's frame (and so the
 * 16-byte alignment the ABI wants at a call) before the asm, as it does
 * before a call it makes itself, instead of placing the asm ahead of a
 * shrink-wrapped prologue.
 */
#define ASM_CALL_CONSTRAINT	"+r" (current_stack_pointer)

#endif /* _ASM_X86_ASM_H */
