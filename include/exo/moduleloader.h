/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the architecture provides to the module loader, as Linux's
 * <linux/moduleloader.h>: the relocations of its ELF machine
 * (x86: arch/x86/kernel/module.c), applied to a module image that
 * kernel/module_elf.c has checked, laid out and whose symbols it has
 * resolved.  Included by the loader and by the arch's relocation code
 * only; also built into the hosted module fuzzer.
 */
#ifndef _EXO_MODULELOADER_H
#define _EXO_MODULELOADER_H

#include <exo/elf.h>
#include <exo/module.h>
#include <exo/printk.h>
#include <exo/types.h>

struct module_elf_ops;

/*
 * struct load_info - the loader's state for one module image: the checked
 * file (img .. strtab), the loaded copy (base, secaddr[] per section) and
 * the resolved symbols (symval[], symok[]: usable).  apply_relocate_add()
 * reads it; only kernel/module_elf.c writes it.
 */
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
	int modinfo_idx, this_idx, ksym_idx, ksym_gpl_idx, param_idx;
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
	size_t size, text_size, ro_size, data_size, symtab_off, strtab_off, sectab_off;
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

/* The ELF machine (e_machine) modules must be built for, and its name for messages. */
extern const u16 module_elf_machine;
extern const char module_elf_arch_name[];

/* A section's name for messages ("?" if its name offset is bad). */
static inline const char *module_sec_name(const struct load_info *info, const Elf64_Shdr *s)
{
	return s->sh_name < info->shstr_size ? info->shstr + s->sh_name : "?";
}

/**
 * apply_relocate_add() - apply one SHT_RELA section to the loaded module
 * @sechdrs: the module's section headers (info->sh)
 * @strtab: its symbol names (info->strtab)
 * @symindex: its symbol table's section (info->symidx)
 * @relsec: the SHT_RELA section; its sh_info is the target section, which
 *	is allocated and is not .modinfo (the caller checked), and whose
 *	entries lie in the file (checked too)
 * @info: the loader state: where each section is (secaddr), each
 *	symbol's value (symval) and whether it may be used (symok)
 *
 * The same parameters as Linux's.  Checks every entry before writing it:
 * the field within the target section, the symbol usable, the type known,
 * the value fitting the field.  Logs each refusal (load_err()).
 * Return: 0; -ENOEXEC for a target without contents, an offset outside
 * the target, a bad symbol or an unsupported type; -ERANGE for a value
 * that overflows its field.
 */
int apply_relocate_add(const Elf64_Shdr *sechdrs, const char *strtab, unsigned int symindex,
		       unsigned int relsec, struct load_info *info);

#endif /* _EXO_MODULELOADER_H */
