/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The portable half of the module loader (kernel/module_elf.c, with the
 * arch's relocations, <exo/moduleloader.h>): ELF validation, layout,
 * symbol resolution, relocation and the checks on the result, written
 * against four callbacks so that the same code runs in the kernel
 * (kernel/module.c) and in the hosted fuzzer (tests/fuzz/fuzz_module.c).
 */
#ifndef _KERNEL_MODULE_ELF_H
#define _KERNEL_MODULE_ELF_H

#include <exo/elf.h>
#include <exo/export.h>
#include <exo/module.h>
#include <exo/moduleloader.h>
#include <exo/printk.h>
#include <exo/types.h>

/**
 * struct module_elf_ops - what the loader needs from its environment
 * @vermagic: the version magic a module must carry
 * @alloc: module memory for @size bytes (page-aligned, a multiple of
 *	PAGE_SIZE), or NULL; the caller frees info->base / info->size
 * @scratch_alloc: @size zeroed bytes of loader state, or NULL; the caller
 *	frees info->scratch
 * @name_taken: is a module of this name loaded already?
 * @lookup: an exported symbol: 0 with its value, whether it is GPL-only
 *	and its owner (NULL: the kernel), or -ENOENT
 */
struct module_elf_ops {
	const char *vermagic;
	void *(*alloc)(struct load_info *info, size_t size);
	void *(*scratch_alloc)(struct load_info *info, size_t size);
	bool (*name_taken)(struct load_info *info, const char *name);
	int (*lookup)(struct load_info *info, const char *name, unsigned long *value, bool *gpl,
		      struct module **owner);
};

/**
 * module_elf_load() - validate, lay out, link and check a module image
 * @info: .ops, .label, .img (8-byte aligned), .len and .hdr set, the rest 0
 *
 * Steps 1-7 of kernel/module.c's list: on success info->mod is the
 * module's struct module inside info->base, every field but the list and
 * the state filled in (state UNFORMED, refcnt 0), not yet write-protected.
 * On failure the caller releases info->base, info->scratch and the
 * references in info->deps.  Every refusal is logged (one line).
 * Return: 0; -ENOEXEC malformed ELF (bounds, overlaps, tables, relocation
 * type/offset/symbol, exports outside the module), -EINVAL no usable
 * .modinfo / this_module or wrong vermagic, -EEXIST name or export taken,
 * -ENOENT unknown symbol, -EPERM GPL-only symbol for a non-GPL module,
 * -ERANGE relocation overflow, -E2BIG too many sections/symbols/deps or a
 * section too large, -ENOMEM a callback found no memory.
 */
int module_elf_load(struct load_info *info);

/**
 * module_elf_modinfo() - the .modinfo strings of a module file, unloaded
 * @info: .label, .img (8-byte aligned), .len and .hdr set, the rest 0
 * @data: set to the section's bytes, in the image
 * @size: set to its size
 *
 * Checks the header and the section table (steps 1 and 2) first.
 * Return: 0; -ENOEXEC malformed file; -EINVAL no .modinfo (logged).
 */
int module_elf_modinfo(struct load_info *info, const char **data, size_t *size);

#endif /* _KERNEL_MODULE_ELF_H */
