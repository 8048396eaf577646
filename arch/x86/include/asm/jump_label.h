/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 static branches: each site is one instruction, a 5-byte NOP (the
 * branch off) or a JMP to the out-of-line code (on; 2 bytes when the
 * assembler could reach the target with rel8), and a __jump_table entry
 * (struct jump_entry: the site, the jump target, the key with the
 * branch's sense in bit 0).  kernel/jump_label.c flips them with
 * text_poke_batch() (arch/x86/kernel/text_patch.c).
 */
#ifndef _ASM_X86_JUMP_LABEL_H
#define _ASM_X86_JUMP_LABEL_H

#define JUMP_LABEL_NOP5		0x0f, 0x1f, 0x44, 0x00, 0x00
#define JUMP_LABEL_NOP2		0x66, 0x90

#ifndef __ASSEMBLY__

#include <exo/compiler.h>
#include <exo/types.h>

struct static_key;

#define JUMP_TABLE_ENTRY(key, branch)				\
	".pushsection __jump_table, \"aw\"\n\t"			\
	".balign 8\n\t"						\
	".quad 1b, %l[l_yes], %c0 + %c1\n\t"			\
	".popsection\n\t"

/* A NOP now; a JMP to l_yes once the entry's type says jump. */
static __always_inline bool arch_static_branch(struct static_key *const key, const bool branch)
{
	asm goto("1: .byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n\t"
		 JUMP_TABLE_ENTRY(key, branch)
		 : : "i" (key), "i" (branch) : : l_yes);
	return false;
l_yes:
	return true;
}

/* A JMP now (the assembler picks rel8 or rel32); a NOP of its size once off. */
static __always_inline bool arch_static_branch_jump(struct static_key *const key,
						    const bool branch)
{
	asm goto("1: jmp %l[l_yes]\n\t"
		 JUMP_TABLE_ENTRY(key, branch)
		 : : "i" (key), "i" (branch) : : l_yes);
	return false;
l_yes:
	return true;
}

#endif /* __ASSEMBLY__ */
#endif /* _ASM_X86_JUMP_LABEL_H */
