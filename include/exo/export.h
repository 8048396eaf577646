/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Symbol export tables: the only kernel (or module) symbols a loadable
 * module may link against.
 *
 *	int pci_register_driver(struct pci_driver *drv) { ... }
 *	EXPORT_SYMBOL(pci_register_driver);
 *	EXPORT_SYMBOL_GPL(device_register);	(GPL-compatible modules only)
 *
 * Each export is a struct kernel_symbol {address, name}.  Built in, it goes
 * to a section "___ksymtab+<name>" (or "___ksymtab_gpl+<name>") that the
 * linker script sorts by name between __start___ksymtab and __stop___ksymtab,
 * so the kernel's table is sorted and searched by bisection.  In a module
 * (-DMODULE) every export goes to one "__ksymtab" / "__ksymtab_gpl" section
 * that kernel/module.c reads after relocating the module.
 */
#ifndef _EXO_EXPORT_H
#define _EXO_EXPORT_H

#include <exo/compiler.h>

struct kernel_symbol {
	unsigned long value;
	const char *name;
};

#ifdef CONFIG_MODULES
# ifdef MODULE
#  define __KSYMTAB_SEC(sym, gpl)	"__ksymtab" gpl
# else
#  define __KSYMTAB_SEC(sym, gpl)	"___ksymtab" gpl "+" #sym
# endif
# define __EXPORT_SYMBOL(sym, gpl)					\
	extern __typeof__(sym) sym;					\
	static const char __kstrtab_##sym[] __used			\
		__section("__ksymtab_strings") = #sym;			\
	static const struct kernel_symbol __ksymtab_##sym __used	\
		__section(__KSYMTAB_SEC(sym, gpl)) __aligned(8) =	\
		{ (__force unsigned long)&sym, __kstrtab_##sym }
#else
# define __EXPORT_SYMBOL(sym, gpl)	extern __typeof__(sym) sym
#endif

#define EXPORT_SYMBOL(sym)	__EXPORT_SYMBOL(sym, "")
#define EXPORT_SYMBOL_GPL(sym)	__EXPORT_SYMBOL(sym, "_gpl")

#endif /* _EXO_EXPORT_H */
