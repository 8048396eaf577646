/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The function tracer (kernel/trace/ftrace.c, Documentation/trace.rst):
 * every function not marked notrace starts with a 5-byte NOP
 * (-fpatchable-function-entry), a "site", which tracing a function
 * rewrites into a call to the trampoline.  The controls are the `trace
 * function` shell command's (kernel/trace/trace.h); what is here is
 * what the boot, the module loader and the tests need.
 */
#ifndef _EXO_FTRACE_H
#define _EXO_FTRACE_H

#include <exo/types.h>

struct module;

#ifdef CONFIG_FUNCTION_TRACER
/**
 * ftrace_init() - sort the kernel's sites and make each one NOP5
 *
 * On the boot CPU, before any other CPU runs and while the text is still
 * writable (the boot page tables): gcc puts five 1-byte NOPs at each
 * site, which a CALL could not replace while a thread is interrupted
 * between two of them.  Sites in __init text are dropped (never traced);
 * a site holding anything else is logged and dropped.
 */
void ftrace_init(void);

/**
 * ftrace_add_module() - take a module's sites, its text still writable
 * @mod: the module being loaded (symbols in place, not yet on the list)
 * @sites: its __patchable_function_entries, relocated, in kmalloc memory
 *	the tracer owns from now on (freed on error too)
 * @n: entries
 *
 * Each site must be in @mod's text and hold a compiler NOP; it is
 * written as NOP5, or as the call when the glob being traced matches
 * its function, so a module loaded while tracing is traced at once.
 * Return: 0, -EINVAL (logged) for a bad site (nothing kept), -ENOMEM.
 */
int ftrace_add_module(struct module *mod, unsigned long *sites, unsigned int n);

/**
 * ftrace_del_module() - forget @mod's sites before its text is freed
 * @mod: any module (no-op if it has no sites)
 */
void ftrace_del_module(struct module *mod);

/**
 * ftrace_site_insn() - the instruction at the site of function @ip (tests)
 * @ip: a function's address
 * @insn: FTRACE_INSN_SIZE bytes for a copy
 * Return: 0, or -ENOENT when @ip is no site of the kernel or a live module.
 */
int ftrace_site_insn(unsigned long ip, u8 *insn);

/** ftrace_nr_sites() - the sites of the kernel and the loaded modules */
unsigned int ftrace_nr_sites(void);

/* Called by the trampoline only (arch/x86/kernel/ftrace_64.S). */
void ftrace_handler(unsigned long ip, unsigned long parent_ip);
#else
static inline void ftrace_init(void) { }
static inline void ftrace_del_module(struct module *mod) { }
#endif

#endif /* _EXO_FTRACE_H */
