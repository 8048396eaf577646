/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rewriting live kernel and module text (arch/x86/kernel/text_patch.c):
 * the static keys' sites (kernel/jump_label.c).  Documentation/trace.rst,
 * "Text patching".
 */
#ifndef _ASM_X86_TEXT_PATCHING_H
#define _ASM_X86_TEXT_PATCHING_H

#include <exo/types.h>

#define POKE_MAX_INSN	5

/* One instruction to replace: @old must be there, @new (same length) goes in. */
struct text_poke_loc {
	void *addr;
	u8 len;
	u8 old[POKE_MAX_INSN];
	u8 new[POKE_MAX_INSN];
};

/**
 * text_poke_batch() - replace instructions in live text, every CPU held
 * @locs: the instructions, none crossing into another's bytes
 * @n: how many
 *
 * Each @locs[i].addr must hold @locs[i].old.  The pages are written
 * through a temporary writable, non-executable alias (the text itself is
 * never made writable); while they are, every other online CPU waits
 * with interrupts off in a cross-CPU call, and all of them execute a
 * serialising instruction before they go on.  Thread context, no
 * spinlock held; text_mutex held (lockdep-checked).
 * Return: 0; -EINVAL (logged) when some site does not hold its @old
 * bytes or is not in mapped kernel text (nothing is written then);
 * -ENOMEM no address space for the alias; -EBUSY (logged, WARN) from
 * interrupt context, nothing written; -ETIMEDOUT (logged, WARN) when
 * some CPU did not join the rendezvous within its bound, or an error of
 * map_page() for the alias (logged): then the groups of sites before the
 * failing one (as many as fit in the alias at once) are written, the
 * rest not.
 */
int text_poke_batch(struct text_poke_loc *locs, unsigned int n);

/**
 * text_poke_early() - write text nobody executes yet and that is writable
 * @addr: in a module image being loaded (before it is made RX)
 * @insn: the bytes
 * @len: how many
 */
void text_poke_early(void *addr, const void *insn, size_t len);

struct mutex;
/* Serialises every writer of text (the static keys). */
extern struct mutex text_mutex;

#endif /* _ASM_X86_TEXT_PATCHING_H */
