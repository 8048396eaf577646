/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading modules by name or by device alias, as Linux's <linux/kmod.h>
 * with modprobe folded into the kernel: the module archive (the boot
 * modules, scripts/mkmodarchive.py) carries modules.dep and modules.alias
 * (scripts/depmod.py), which kernel/kmod.c reads.  See
 * Documentation/modules.rst.
 */
#ifndef _EXO_KMOD_H
#define _EXO_KMOD_H

#include <exo/compiler.h>
#include <exo/errno.h>
#include <exo/types.h>

#ifdef CONFIG_MODULES
/**
 * request_module() - load a module by name or by modalias, dependencies first
 * @fmt: printf format of the name ("edu") or the alias
 *	("pci:v00001234d000011E8sv...": any name with a ':')
 *
 * An alias is matched against the modules.alias patterns ('*' matches any
 * run of characters); every module that matches is loaded, with the
 * modules modules.dep says it needs.  A module already loaded counts as
 * loaded.  Must not be called with module_mutex held (from a module's init
 * or exit): the device core calls it from a workqueue for that reason.
 *
 * Return: 0; -ENOENT no such module or no module for the alias; -EINVAL
 * a name too long; or the error of load_module() for it or a dependency.
 */
__printf(1, 2) int request_module(const char *fmt, ...);

/**
 * modprobe() - load @name and the modules it needs, with parameters
 * @name: module name
 * @args: "key=value ..." for @name (not its dependencies), or NULL
 * Return: as request_module().
 */
int modprobe(const char *name, const char *args);

/**
 * modprobe_remove() - unload @name, then each module it needed that no
 * other module uses any more (modprobe -r)
 * @name: module name
 * Return: 0, or the error of unload_module() for @name (-ENOENT, -EBUSY).
 */
int modprobe_remove(const char *name);
#else
static inline __printf(1, 2) int request_module(const char *fmt, ...) { return -ENOSYS; }
static inline int modprobe(const char *name, const char *args) { return -ENOSYS; }
static inline int modprobe_remove(const char *name) { return -ENOSYS; }
#endif

#endif /* _EXO_KMOD_H */
