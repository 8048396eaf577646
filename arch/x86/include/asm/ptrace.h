/* SPDX-License-Identifier: GPL-2.0 */
/* Register frame saved on every interrupt/exception (see entry.S). */
#ifndef _ASM_X86_PTRACE_H
#define _ASM_X86_PTRACE_H

#include <exo/types.h>

struct pt_regs {
	unsigned long r15, r14, r13, r12, r11, r10, r9, r8;
	unsigned long rbp, rdi, rsi, rdx, rcx, rbx, rax;
	unsigned long vector;
	unsigned long error_code;
	/* pushed by the CPU */
	unsigned long rip, cs, rflags, rsp, ss;
};

#endif
