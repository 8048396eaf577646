/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The portable half of the module loader (kernel/module_elf.c): ELF
 * validation, layout, symbol resolution, relocation and the checks on the
 * result, written against four callbacks so that the same code runs in the
 * kernel (kernel/module.c) and in the hosted fuzzer (tests/fuzz/fuzz_module.c).
 */
#ifndef _KERNEL_MODULE_ELF_H
#define _KERNEL_MODULE_ELF_H

#include <exo/elf.h>
#include <exo/export.h>
#include <exo/module.h>
#include <exo/printk.h>
#include <exo/types.h>

struct load_info;

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

struct load_info {
	const struct module_elf_ops *ops;
	const char *label;		/* module name once known, for messages */
	const u8 *img;
	size_t len;
	const Elf64_Ehdr *hdr;
	const Elf64_Shdr *sh;
	unsigned int shnum;
	const char *shstr;
	size_t shstr_size;
	const Elf64_Sym *syms;
	unsigned int nsyms, symidx;
	const char *strtab;
	size_t strtab_size;
	int modinfo_idx, this_idx, ksym_idx, ksym_gpl_idx;
	const char *name, *license, *vermagic, *description;

	/* Scratch: section addresses, symbol values, per-symbol "usable". */
	void *scratch;
	unsigned int scratch_order;
	void *copy;			/* aligned copy of a misaligned image */
	unsigned int copy_order;
	unsigned long *secaddr;
	unsigned long *symval;
	u8 *symok;

	u8 *base;
	size_t size, text_size, ro_size, data_size, symtab_off, strtab_off;
	struct module *mod;
	struct module *deps[MODULE_MAX_DEPS];
	unsigned int nr_deps;
};

/* One line per refusal, naming the module once its name is known. */
#define load_err(info, fmt, ...) \
	pr_err("%s: " fmt "\n", (info)->label, ##__VA_ARGS__)

/* Does [@off, @off + @size) fit in [0, @limit)?  No overflow. */
static inline bool range_ok(u64 off, u64 size, u64 limit)
{
	return off <= limit && size <= limit - off;
}

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

#endif /* _KERNEL_MODULE_ELF_H */
