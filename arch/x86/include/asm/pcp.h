/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Restartable per-CPU stack operations for the page allocator's fast
 * paths (mm/page_alloc.c, "pagesets") and the slab's tier-2 arrays
 * (mm/slab.h).
 *
 * A pop or a push of a per-CPU stack is a short sequence of %gs-relative
 * instructions whose only store that matters comes last (the new top):
 * its commit.  Instead of disabling interrupts around it (pushf, pop,
 * cli, and a test and sti after: six instructions per operation), the
 * sequence is made restartable: every interrupt entry (vectors 32-255:
 * device interrupts and IPIs) whose saved rip lies inside a sequence,
 * before its commit, sets that rip back to the sequence's first
 * instruction (pcp_restart_fixup(), called by do_interrupt() before the
 * handler).  Exceptions and NMIs (vectors 0-31) are not rewound: a fault
 * must resume at its own instruction, and their handlers must not use
 * the page allocator, translate() or kmalloc/kfree (the allocator warns
 * in_trap(), the slab refuses a trap's call: mm/slab.h I8), so they
 * leave the stacks as the sequence saw them.  A handler that pushed or
 * popped the same stack, or another thread that ran on this CPU
 * meanwhile, is then seen by the sequence's second run, which starts from
 * the current top; what the first run stored above the top before it was cut off is
 * dead.  Threads never migrate, and a sequence names no CPU anyway: %gs
 * is the CPU's base at every run.  The same design as Linux's rseq for
 * user space, with the kernel's own entry code doing the abort.
 *
 * Each sequence records [start, end) in the __pcp_restart table; end is
 * the address right after the commit, so an interrupt with rip == end
 * finds the operation done.  Only vmlinux has the table: a module must
 * not use these.
 */
#ifndef _ASM_X86_PCP_H
#define _ASM_X86_PCP_H

#include <exo/compiler.h>
#include <exo/percpu.h>
#include <exo/types.h>
#include <asm/page.h>
#include <asm/pgtable_types.h>
#include <asm/ptrace.h>

/*
 * asm_goto_output(): every asm goto that has outputs goes through this.
 * GCC before 11.5, 12.4 and 13.3 miscompiles such statements: it does not
 * treat them as volatile (PR 98619, PR 110420: one can be deleted or
 * moved), and an output can be clobbered on the fall-through edge when
 * the statement is the last of its block (PR 113921).  The explicit
 * volatile and the empty asm after it avoid both, as Linux's
 * CONFIG_GCC_ASM_GOTO_OUTPUT_WORKAROUND does; on a fixed compiler (and on
 * clang, 13.0.1 or later for asm goto with outputs) the empty asm costs
 * no instruction.
 */
#define asm_goto_output(x...)						\
	do {								\
		__asm__ __volatile__ goto(x);				\
		__asm__ ("");						\
	} while (0)

#ifdef MODULE
#error "the restartable per-CPU sequences are for built-in code only"
#endif

/* One table entry: the sequence from label 1 up to (not including) label 2. */
#define _PCP_RESTART_ENTRY						\
	"	.pushsection __pcp_restart, \"a\"\n"			\
	"	.balign 8\n"						\
	"	.quad 1b, 2b\n"						\
	"	.popsection\n"

/*
 * Pop the top of the per-CPU stack whose fields are @top, @bottom and
 * @slots (this CPU's copies of per-CPU lvalues: pagesets.pcp.top[r]...,
 * constant addresses) into *@pfnp.  False if the stack is empty: the
 * stack is unchanged and *@pfnp must not be used (this version leaves
 * it alone, the hosted one stores 0).  The empty test jumps straight to the
 * caller's miss path (asm goto), and the commit decrements the top in
 * memory (one instruction, not interruptible, so the same commit as a
 * store of the decremented value): five instructions for a hit.  An
 * asm goto with outputs, so through asm_goto_output() (the GCC bugs it
 * avoids are fixed only from GCC 11.5, 12.4 and 13.3; clang needs
 * 13.0.1 or later).
 */
#define arch_pcp_pop(top, bottom, slots, pfnp) ({			\
	__label__ __pcp_empty;						\
	unsigned long __idx, __pfn;					\
	bool __ok = true;						\
	asm_goto_output(						\
		"1:	movl %%gs:%c[t], %k[idx]\n"			\
		"	cmpl %%gs:%c[b], %k[idx]\n"			\
		"	je %l[__pcp_empty]\n"				\
		"	movq %%gs:%c[s]-8(,%q[idx],8), %[pfn]\n"	\
		"	subl $1, %%gs:%c[t]\n"				\
		"2:\n"							\
		_PCP_RESTART_ENTRY					\
		: [idx] "=&r"(__idx), [pfn] "=&r"(__pfn)		\
		: [t] "i"(&(top)), [b] "i"(&(bottom)), [s] "i"(&(slots))	\
		: "memory", "cc" : __pcp_empty);			\
	*(pfnp) = __pfn;						\
	if (0) {							\
__pcp_empty:								\
		__ok = false;						\
	}								\
	__ok;								\
})

/*
 * Push @pfn on the per-CPU stack of @top and @slots.  True if the push
 * filled the stack to its mark: @limit is the last top a push may start
 * from without the slow path (the mark minus one), compared after the
 * commit with the top the push started from (the slow path re-reads the
 * stack with interrupts disabled, so a stale answer only costs a call).
 * The commit increments the top in memory, as the pop's decrements it.
 * The slots beyond the mark (PCP_MARGIN) hold what handlers push before
 * their own slow path drains.
 */
#define arch_pcp_push(top, limit, slots, pfn) ({			\
	__label__ __pcp_full;						\
	bool __full = false;						\
	__asm__ goto(							\
		"1:	movl %%gs:%c[t], %%eax\n"			\
		"	movq %[p], %%gs:%c[s](,%%rax,8)\n"		\
		"	addl $1, %%gs:%c[t]\n"				\
		"2:\n"							\
		"	cmpl %%gs:%c[l], %%eax\n"			\
		"	jae %l[__pcp_full]\n"				\
		_PCP_RESTART_ENTRY					\
		: /* no outputs */					\
		: [p] "r"((unsigned long)(pfn)), [t] "i"(&(top)),	\
		  [l] "i"(&(limit)), [s] "i"(&(slots))			\
		: "memory", "cc", "rax" : __pcp_full);			\
	if (0) {							\
__pcp_full:								\
		__full = true;						\
	}								\
	__full;								\
})

/*
 * arch_pcp_pop_idx() and arch_pcp_push_idx(): the same operations on
 * stack @i (in a register) of a set of stacks sharing one per-CPU slot
 * array: @tops is a per-CPU array of unsigned long, the top of each stack
 * as an index into the per-CPU array of 8-byte words @slots (this CPU's
 * copies: per-CPU lvalues, constant addresses); @bottoms and @limits are
 * plain (not per-CPU) arrays of unsigned long, each stack's first slot
 * and the top a push may not start from.  Either may be an array's
 * element less a constant (*(T *)(&arr[0] - k)), so that @i need not be
 * the stack's own number.  Each is one scaled index, no multiply.  The
 * pop: false on an empty stack (*@objp untouched), else the top entry in
 * *@objp; the commit decrements the top in memory.  The push: false, and
 * nothing stored, at the limit; the entry is stored first and the commit
 * increments the top.  Five instructions each on a hit.  The slab's
 * tier-2 kmalloc arrays (mm/slab.h).
 */
#define arch_pcp_pop_idx(tops_, bottoms_, slots_, i_, objp_) ({		\
	__label__ __pcp_empty;						\
	unsigned long __idx, __v;					\
	bool __ok = true;						\
	asm_goto_output(						\
		"1:	movq %%gs:%P[tp](,%[ix],8), %[idx]\n"		\
		"	cmpq %P[bt](,%[ix],8), %[idx]\n"			\
		"	je %l[__pcp_empty]\n"				\
		"	movq %%gs:%P[sl]-8(,%[idx],8), %[v]\n"		\
		"	subq $1, %%gs:%P[tp](,%[ix],8)\n"		\
		"2:\n"							\
		_PCP_RESTART_ENTRY					\
		: [idx] "=&r"(__idx), [v] "=&r"(__v)			\
		: [tp] "i"((__force char *)&(tops_)), [bt] "i"(&(bottoms_)),	\
		  [sl] "i"((__force char *)&(slots_)), [ix] "r"((unsigned long)(i_))	\
		: "memory", "cc" : __pcp_empty);			\
	*(objp_) = (void *)__v;						\
	if (0) {							\
__pcp_empty:								\
		__ok = false;						\
	}								\
	__ok;								\
})

#define arch_pcp_push_idx(tops_, limits_, slots_, i_, obj_) ({		\
	__label__ __pcp_full;						\
	unsigned long __idx;						\
	bool __ok = true;						\
	asm_goto_output(						\
		"1:	movq %%gs:%P[tp](,%[ix],8), %[idx]\n"		\
		"	cmpq %P[lm](,%[ix],8), %[idx]\n"			\
		"	jae %l[__pcp_full]\n"				\
		"	movq %[v], %%gs:%P[sl](,%[idx],8)\n"		\
		"	addq $1, %%gs:%P[tp](,%[ix],8)\n"		\
		"2:\n"							\
		_PCP_RESTART_ENTRY					\
		: [idx] "=&r"(__idx)					\
		: [tp] "i"((__force char *)&(tops_)), [lm] "i"(&(limits_)),	\
		  [sl] "i"((__force char *)&(slots_)), [ix] "r"((unsigned long)(i_)),	\
		  [v] "r"((unsigned long)(obj_))				\
		: "memory", "cc" : __pcp_full);			\
	(void)__idx;							\
	if (0) {							\
__pcp_full:								\
		__ok = false;						\
	}								\
	__ok;								\
})

/*
 * A per-CPU one-entry cache of a table (@tag, @ptr: per-CPU lvalues, this
 * CPU's copies): if @tag equals @want, read word @idx of the table @ptr
 * points to into *@valp and return true.  Tag, pointer and word are read
 * as one step with respect to this CPU's interrupts, as with interrupts
 * disabled: an interrupt that lands before the word's load (the commit)
 * restarts the sequence, which then sees what the handler did to the
 * cache (a flush IPI clearing @tag, say).  False on a tag mismatch: no
 * word read, *@valp left alone.  The mismatch jumps straight to the
 * caller's miss path (asm goto, through asm_goto_output()).
 */
#define arch_pcpu_tagged_read(tag, ptr, want, idx, valp) ({		\
	__label__ __pcp_miss;						\
	u64 __v;							\
	bool __hit = true;						\
	asm_goto_output(						\
		"1:	movq %%gs:%c[p], %[v]\n"			\
		"	cmpq %%gs:%c[t], %[w]\n"			\
		"	jne %l[__pcp_miss]\n"				\
		"	movq (%[v],%[i],8), %[v]\n"			\
		"2:\n"							\
		_PCP_RESTART_ENTRY					\
		: [v] "=&r"(__v)					\
		: [t] "i"(&(tag)), [p] "i"(&(ptr)), [w] "r"(want),	\
		  [i] "r"((unsigned long)(idx))				\
		: "memory", "cc" : __pcp_miss);				\
	*(valp) = __v;							\
	if (0) {							\
__pcp_miss:								\
		__hit = false;						\
	}								\
	__hit;								\
})

/*
 * translate()'s walk of the kernel half after a miss of its one-entry
 * cache (mm/pgtable.c), as restartable sequences instead of with
 * interrupts disabled.  @tag/@pt is that cache (the 4 KiB page table of
 * the 2 MiB @tg = va >> 21), @tag2/@pmd a second one-entry cache of the
 * page directory of the GiB va >> 30 (per-CPU lvalues, this CPU's
 * copies); @tables is the array of the kernel-half PGD slots' PDPTs
 * (pgd_index - 256, permanent, 256 pointers: it is indexed with va >> 39
 * sign-extended, -256..-1, from its end, which also checks bits 47-63);
 * @pi is pte_index(@va).  The walk starts
 * at the page directory if @tag2 matches, else at @tables, and fills the
 * caches it passes: tag emptied (~0), pointer, then the new tag, so that
 * an interrupt between the stores (the sequence then restarts) finds
 * the entry empty, never the old tag with the new pointer: a translate()
 * in its handler, or in a thread that preempts this one there, would
 * read the new table for the old 2 MiB or GiB.  Every table read lies in
 * one of two sequences, the directory walk ([1, 2): up to the 4 KiB
 * entry's load, its commit) or the upper levels ([3, 6): back into the
 * first), so an interrupt that lands in one before the leaf is read sends
 * it back to its start, with the caches as the handler left them: a flush
 * IPI that cleared them before freeing a table makes the walk start over
 * from the entries that no longer lead there.  A restart from any
 * boundary repeats the same walk: neither sequence changes a register
 * it reads before writing it (%[t], va >> 30, is set before both and
 * only read).  A table entry's address is its bits 12-51 and nothing
 * above them is ever set (pt_mk_table() builds them all, and the CPU
 * only sets their accessed bit), so one and with -4096 takes it; a leaf's
 * takes PTE_PFN_MASK (NX).  The rare exits (huge leaves, nothing mapped,
 * not a kernel address) are out of line and jump to the caller's (asm
 * goto).
 *
 * True with *@physp = the physical address of @va; false if nothing maps
 * it or @va is below the kernel half (the caller tells which).
 */
/*
 * arch_xlate_walk()'s two 64-bit masks, as memory operands: an and or an
 * add from memory is one instruction where an immediate needs a movabs
 * first.
 */
static const u64 xlate_consts[2] __maybe_unused = { PTE_PFN_MASK, PAGE_OFFSET };

#define arch_xlate_walk(tag_, pt_, tag2_, pmd_, tables_, va_, tg_, pi_, physp_) ({	\
	__label__ __xw_none;						\
	unsigned long __t, __p, __x;					\
	u64 __e;							\
	bool __ok = true;						\
	asm_goto_output(						\
		"	movq %[tg], %[t]\n"				\
		"	shrq $9, %[t]\n"	/* va >> 30, never changed */	\
		"1:	cmpq %%gs:%c[tag2], %[t]\n"			\
		"	jne 3f\n"					\
		"	movq %%gs:%c[pmd], %[p]\n"			\
		"4:	movl %k[tg], %k[x]\n"				\
		"	andl $0x1ff, %k[x]\n"				\
		"	movq (%[p],%[x],8), %[e]\n"			\
		"	xorq $1, %[e]\n"	/* 0 in 0x81: a table */	\
		"	testb $0x81, %b[e]\n"				\
		"	jne 5f\n"					\
		"	andq $-4096, %[e]\n"	/* a table: bits 12-51 */	\
		"	addq %[dmm], %[e]\n"	/* its direct-map address */	\
		"	movq $-1, %%gs:%c[tag]\n"	/* empty while torn */	\
		"	movq %[e], %%gs:%c[pt]\n"			\
		"	movq %[tg], %%gs:%c[tag]\n"			\
		"	movq (%[e],%[pi],8), %[e]\n"			\
		"2:	testb $1, %b[e]\n"				\
		"	je %l[__xw_none]\n"				\
		"	andq %[pfnm], %[e]\n"			\
		"	movl %k[va], %k[p]\n"				\
		"	andl $0xfff, %k[p]\n"				\
		"	orq %[p], %[e]\n"				\
		"0:\n"							\
		"	.pushsection .text.unlikely, \"ax\"\n"		\
		/* PGD slot: va >> 39 sign-extended, -256..-1 if bits 47-63 set */	\
		"3:	movq %[va], %[p]\n"				\
		"	sarq $39, %[p]\n"				\
		"	cmpq $-256, %[p]\n"				\
		"	jb %l[__xw_none]\n"				\
		"	movq %c[tables]+2048(,%[p],8), %[p]\n"		\
		"	movl %k[t], %k[x]\n"				\
		"	andl $0x1ff, %k[x]\n"				\
		"	movq (%[p],%[x],8), %[p]\n"			\
		"	xorq $1, %[p]\n"				\
		"	testb $0x81, %b[p]\n"				\
		"	jne 9f\n"					\
		"	andq $-4096, %[p]\n"				\
		"	addq %[dmm], %[p]\n"			\
		"	movq $-1, %%gs:%c[tag2]\n"	/* empty while torn */	\
		"	movq %[p], %%gs:%c[pmd]\n"			\
		"	movq %[t], %%gs:%c[tag2]\n"			\
		"	jmp 4b\n"					\
		"6:\n"							\
		/* a 2 MiB or 1 GiB entry, bit 0 inverted: present if 0 */	\
		"5:	testb $1, %b[e]\n"				\
		"	jne %l[__xw_none]\n"				\
		"	movl $0x1fffff, %k[t]\n"			\
		"	jmp 8f\n"					\
		"9:	movq %[p], %[e]\n"				\
		"	testb $1, %b[e]\n"				\
		"	jne %l[__xw_none]\n"				\
		"	movl $0x3fffffff, %k[t]\n"			\
		"8:	andq %[pfnm], %[e]\n"			\
		"	movq %[va], %[p]\n"				\
		"	xorq %[e], %[p]\n"				\
		"	andq %[t], %[p]\n"				\
		"	xorq %[p], %[e]\n"				\
		"	jmp 0b\n"					\
		"	.popsection\n"					\
		"	.pushsection __pcp_restart, \"a\"\n"		\
		"	.balign 8\n"					\
		"	.quad 1b, 2b, 3b, 6b\n"			\
		"	.popsection\n"					\
		: [t] "=&r"(__t), [p] "=&r"(__p), [e] "=&r"(__e), [x] "=&r"(__x)	\
		: [va] "r"(va_), [tg] "r"(tg_), [pi] "r"((unsigned long)(pi_)),	\
		  [pfnm] "m"(xlate_consts[0]), [dmm] "m"(xlate_consts[1]),	\
		  [tag] "i"(&(tag_)), [pt] "i"(&(pt_)), [tag2] "i"(&(tag2_)),	\
		  [pmd] "i"(&(pmd_)), [tables] "i"(tables_)			\
		: "memory", "cc" : __xw_none);				\
	*(physp_) = __e;							\
	if (0) {							\
__xw_none:								\
		__ok = false;						\
	}								\
	__ok;								\
})

/* Bounds of all sequences (one compare at each interrupt), then the table; set by idt_init(). */
extern unsigned long pcp_restart_lo, pcp_restart_span;
/* This CPU's restarts (the tests read it); pcp_restart_count() sums them. */
DECLARE_PER_CPU(unsigned long, pcp_restarts);
unsigned long pcp_restart_count(void);
void __pcp_restart_fixup(struct pt_regs *regs);
void pcp_restart_init(void);

struct ktest;
void test_pcp_restart(struct ktest *t);
void test_pcp_restart_step(struct ktest *t);
void test_pcp_irq_interleave(struct ktest *t);

/* Restart a sequence that @regs interrupted before its commit. */
static __always_inline void pcp_restart_fixup(struct pt_regs *regs)
{
	if (unlikely(regs->rip - pcp_restart_lo < pcp_restart_span))
		__pcp_restart_fixup(regs);
}

#endif /* _ASM_X86_PCP_H */
