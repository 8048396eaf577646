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
 * Return: the symbol name, or NULL if @addr is not in kernel text.
 */
const char *kallsyms_lookup(unsigned long addr, unsigned long *offset);

/**
 * kallsyms_lookup_name() - address of a kernel function by name
 * Return: the address, or 0 if there is no such symbol.
 */
unsigned long kallsyms_lookup_name(const char *name);

/* Hook for module text: returns a name or NULL (set by kernel/module.c). */
extern const char *(*module_address_lookup)(unsigned long addr, unsigned long *offset,
					    const char **modname);

#endif
