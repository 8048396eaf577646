// SPDX-License-Identifier: GPL-2.0
/*
 * probe_read()/probe_write(): one-byte accesses that may fault.  The
 * faulting instruction is listed in the exception table, so the #PF/#GP
 * handler resumes at the fixup, which returns -EFAULT.  Tests use them to
 * prove a page is unmapped or read-only.
 */
#include <exo/errno.h>
#include <exo/ktest.h>

/*
 * @insn at label 1 may fault; the fixup at label 3 stores -EFAULT in
 * operand 0 and resumes after it.  Operand 0 is the return value, and
 * the fixup's error code is the last input ("i"(-EFAULT)), named "err".
 */
#define PROBE_ASM(insn)							\
	"1:	" insn "\n"						\
	"2:\n"								\
	".pushsection .fixup, \"ax\"\n"					\
	"3:	movl %[err], %0\n"					\
	"	jmp 2b\n"						\
	".popsection\n"							\
	".pushsection __ex_table, \"a\"\n"				\
	".balign 8\n"							\
	".quad 1b, 3b\n"						\
	".popsection\n"

int probe_read(const volatile void *addr, u8 *val)
{
	int ret = 0;
	u8 v = 0;

	__asm__ __volatile__(PROBE_ASM("movb (%2), %1")
			     : "+r"(ret), "+q"(v)
			     : "r"(addr), [err] "i"(-EFAULT)
			     : "memory");
	*val = v;
	return ret;
}

int probe_write(volatile void *addr, u8 v)
{
	int ret = 0;

	__asm__ __volatile__(PROBE_ASM("movb %1, (%2)")
			     : "+r"(ret)
			     : "q"(v), "r"(addr), [err] "i"(-EFAULT)
			     : "memory");
	return ret;
}
