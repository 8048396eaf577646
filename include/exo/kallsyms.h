/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel symbol lookup for backtraces and %pS. */
#ifndef _EXO_KALLSYMS_H
#define _EXO_KALLSYMS_H

#include <exo/types.h>

/**
 * kallsyms_lookup() - name of the function containing @addr
 * @addr: a kernel text address
 * @offset: set to @addr minus the symbol's start
 *
 * Return: the symbol name, or NULL if @addr is not in kernel text.  For
 * a module's text the name lives in the module: use it with interrupts off.
 */
const char *kallsyms_lookup(unsigned long addr, unsigned long *offset);

/**
 * kallsyms_lookup_name() - address of a kernel function by name
 * Return: the address, or 0 if there is no such symbol.
 */
unsigned long kallsyms_lookup_name(const char *name);

/*
 * Room for sprint_symbol()'s text: a symbol name (KSYM_NAME_LEN with its
 * NUL), "+0x" and a 16-digit offset, " [" a module name "]" (MODULE_NAME_LEN
 * with its NUL), so a module's name is never cut.
 */
#define KSYM_NAME_LEN		128
#define KSYM_SYMBOL_LEN		(KSYM_NAME_LEN + 56 + 24)

/**
 * sprint_symbol() - describe a text address as a backtrace shows it
 * @buffer: KSYM_SYMBOL_LEN bytes
 * @address: a kernel or module text address
 *
 * Writes "name+0xoff" for kernel text, "name+0xoff [module]" for a loaded
 * module's text (as Linux does, without Linux's "/0xsize"), or the bare
 * address "0x..." when no symbol covers it; a longer text is cut to
 * KSYM_SYMBOL_LEN - 1 characters.  Lockless: oops calls it; it keeps
 * interrupts off while it reads a module's names, which holds off the
 * module's unload (see kernel/module.c).
 *
 * Return: the length of the string written, without its NUL.
 */
int sprint_symbol(char *buffer, unsigned long address);

/*
 * module_address_lookup() - the symbol covering @addr in a loaded module's
 * text (kernel/module.c): its name, *@offset into it and *@modname, the
 * module's name (set whenever @addr is in a module, even with no symbol).
 * Lockless: oops calls it.  The names stay valid only while the caller
 * keeps interrupts off (an unload waits for every CPU to take an IPI).
 * Return: the name, or NULL.
 */
#ifdef CONFIG_MODULES
const char *module_address_lookup(unsigned long addr, unsigned long *offset,
				  const char **modname);
#else
static inline const char *module_address_lookup(unsigned long addr, unsigned long *offset,
						const char **modname)
{
	return NULL;
}
#endif

#endif
