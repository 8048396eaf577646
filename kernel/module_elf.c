// SPDX-License-Identifier: GPL-2.0
/*
 * The module loader's ELF half: validation, layout, symbol resolution,
 * relocation (each SHT_RELA section through the arch's apply_relocate_add(),
 * <exo/moduleloader.h>) and the checks on the linked result (steps 1-7 in
 * kernel/module.c).  Split out of module.c unchanged so that it runs both
 * in the kernel and in the hosted fuzzer; what depends on the kernel
 * (module memory, the loader's scratch pages, the export tables and the
 * list of loaded modules) comes through struct module_elf_ops.
 *
 * Invariants: nothing is read from the image before the range it lies in
 * is checked against the file length; nothing is written outside the
 * ops->alloc() block (apply_relocate_add() checks every relocation offset
 * against its target section, every section fits the block by construction); the image
 * is never written.
 */
#define pr_fmt(fmt) "module: " fmt

#include <exo/atomic.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/pci.h>
#include <exo/string.h>
#include <asm/page.h>

#include "module_elf.h"

#define MAX_SECTIONS	1024
#define MAX_SYMBOLS	65536
#define MAX_SECTION_SZ	(16UL << 20)

static int check_header(struct load_info *info)
{
	const Elf64_Ehdr *h = info->hdr;

	if (info->len < sizeof(*h)) {
		load_err(info, "truncated: %zu bytes is smaller than an ELF header", info->len);
		return -ENOEXEC;
	}
	if (memcmp(h->e_ident, ELFMAG, 4)) {
		load_err(info, "not an ELF file (bad magic)");
		return -ENOEXEC;
	}
	if (h->e_ident[EI_CLASS] != ELFCLASS64 || h->e_ident[EI_DATA] != ELFDATA2LSB ||
	    h->e_ident[EI_VERSION] != EV_CURRENT || h->e_version != EV_CURRENT) {
		load_err(info, "not a little-endian ELF64 version 1 file");
		return -ENOEXEC;
	}
	if (h->e_type != ET_REL) {
		load_err(info, "ELF type %u is not a relocatable object (ET_REL)", h->e_type);
		return -ENOEXEC;
	}
	if (h->e_machine != module_elf_machine) {
		load_err(info, "wrong machine %u (this kernel is %s, machine %u)",
			 h->e_machine, module_elf_arch_name, module_elf_machine);
		return -ENOEXEC;
	}
	if (h->e_shentsize != sizeof(Elf64_Shdr) || !h->e_shnum || h->e_shnum > MAX_SECTIONS ||
	    h->e_shstrndx >= h->e_shnum) {
		load_err(info, "bad section table (entry size %u, %u sections, names in %u)",
			 h->e_shentsize, h->e_shnum, h->e_shstrndx);
		return -ENOEXEC;
	}
	if (!range_ok(h->e_shoff, (u64)h->e_shnum * sizeof(Elf64_Shdr), info->len) ||
	    !IS_ALIGNED(h->e_shoff, 8)) {
		load_err(info, "truncated: section table at %#llx does not fit in %zu bytes",
			 h->e_shoff, info->len);
		return -ENOEXEC;
	}
	info->sh = (const Elf64_Shdr *)(info->img + h->e_shoff);
	info->shnum = h->e_shnum;
	return 0;
}

static bool strtab_ok(const struct load_info *info, const Elf64_Shdr *s)
{
	return s->sh_type == SHT_STRTAB && s->sh_size &&
	       info->img[s->sh_offset + s->sh_size - 1] == 0;
}

/* Section @i's file bytes, as [start, end). */
static bool file_range(const Elf64_Shdr *s, u64 *start, u64 *end)
{
	if (s->sh_type == SHT_NULL || s->sh_type == SHT_NOBITS || !s->sh_size)
		return false;
	*start = s->sh_offset;
	*end = s->sh_offset + s->sh_size;
	return true;
}

static int check_sections(struct load_info *info)
{
	const Elf64_Shdr *sh = info->sh;
	u64 tab_start = info->hdr->e_shoff;
	u64 tab_end = tab_start + (u64)info->shnum * sizeof(Elf64_Shdr);

	/*
	 * Section 0 is not checked below, yet e_shstrndx or a symbol table's
	 * link may name it: it must be the null section.
	 */
	if (sh[0].sh_type != SHT_NULL) {
		load_err(info, "section 0 is not the null section (type %u)", sh[0].sh_type);
		return -ENOEXEC;
	}
	for (unsigned int i = 1; i < info->shnum; i++) {
		const Elf64_Shdr *s = &sh[i];
		u64 a, b;

		if (s->sh_type != SHT_NOBITS && !range_ok(s->sh_offset, s->sh_size, info->len)) {
			load_err(info, "truncated: section %u (%llu bytes at %#llx) is past the end "
				 "of the %zu-byte file", i, s->sh_size, s->sh_offset, info->len);
			return -ENOEXEC;
		}
		if (s->sh_addralign > 1 && (!is_power_of_2(s->sh_addralign) ||
		    ((s->sh_flags & SHF_ALLOC) && s->sh_addralign > PAGE_SIZE))) {
			load_err(info, "section %u has bad alignment %llu", i, s->sh_addralign);
			return -ENOEXEC;
		}
		if ((s->sh_flags & SHF_ALLOC) && s->sh_size > MAX_SECTION_SZ) {
			load_err(info, "section %u is too big (%llu bytes)", i, s->sh_size);
			return -E2BIG;
		}
		if (!file_range(s, &a, &b))
			continue;
		if (a < sizeof(Elf64_Ehdr) || (a < tab_end && b > tab_start)) {
			load_err(info, "section %u overlaps the ELF headers", i);
			return -ENOEXEC;
		}
		for (unsigned int j = 1; j < i; j++) {
			u64 c, d;

			if (file_range(&sh[j], &c, &d) && a < d && c < b) {
				load_err(info, "sections %u and %u overlap in the file", j, i);
				return -ENOEXEC;
			}
		}
	}
	if (!strtab_ok(info, &sh[info->hdr->e_shstrndx])) {
		load_err(info, "section name table is not a NUL-terminated string table");
		return -ENOEXEC;
	}
	info->shstr = (const char *)info->img + sh[info->hdr->e_shstrndx].sh_offset;
	info->shstr_size = sh[info->hdr->e_shstrndx].sh_size;
	return 0;
}

static int find_tables(struct load_info *info)
{
	const Elf64_Shdr *sh = info->sh;

	info->modinfo_idx = info->this_idx = info->ksym_idx = info->ksym_gpl_idx = -1;
	info->param_idx = -1;
	info->symidx = 0;
	for (unsigned int i = 1; i < info->shnum; i++) {
		const Elf64_Shdr *s = &sh[i];
		const char *n = module_sec_name(info, s);

		switch (s->sh_type) {
		case SHT_SYMTAB:
			if (info->symidx) {
				load_err(info, "more than one symbol table");
				return -ENOEXEC;
			}
			info->symidx = i;
			break;
		case SHT_REL:
			load_err(info, "section %s: REL relocations are not used on %s", n,
				 module_elf_arch_name);
			return -ENOEXEC;
		case SHT_RELA:
			if (s->sh_entsize != sizeof(Elf64_Rela) ||
			    s->sh_size % sizeof(Elf64_Rela) || s->sh_info >= info->shnum ||
			    !s->sh_info || !IS_ALIGNED(s->sh_offset, 8)) {
				load_err(info, "malformed relocation section %s", n);
				return -ENOEXEC;
			}
			break;
		}
		if (!(s->sh_flags & SHF_ALLOC))
			continue;
		if (!strcmp(n, ".modinfo"))
			info->modinfo_idx = i;
		else if (!strcmp(n, ".gnu.linkonce.this_module"))
			info->this_idx = i;
		else if (!strcmp(n, "__ksymtab"))
			info->ksym_idx = i;
		else if (!strcmp(n, "__ksymtab_gpl"))
			info->ksym_gpl_idx = i;
		else if (!strcmp(n, "__param"))
			info->param_idx = i;
	}
	if (!info->symidx) {
		load_err(info, "no symbol table");
		return -ENOEXEC;
	}
	{
		const Elf64_Shdr *st = &sh[info->symidx];

		if (st->sh_entsize != sizeof(Elf64_Sym) || st->sh_size % sizeof(Elf64_Sym) ||
		    st->sh_link >= info->shnum || !strtab_ok(info, &sh[st->sh_link]) ||
		    !IS_ALIGNED(st->sh_offset, 8)) {
			load_err(info, "malformed symbol table");
			return -ENOEXEC;
		}
		info->nsyms = st->sh_size / sizeof(Elf64_Sym);
		if (info->nsyms > MAX_SYMBOLS) {
			load_err(info, "%u symbols is too many", info->nsyms);
			return -E2BIG;
		}
		info->syms = (const Elf64_Sym *)(info->img + st->sh_offset);
		info->strtab = (const char *)info->img + sh[st->sh_link].sh_offset;
		info->strtab_size = sh[st->sh_link].sh_size;
	}
	for (unsigned int i = 1; i < info->shnum; i++)
		if (sh[i].sh_type == SHT_RELA && sh[i].sh_link != info->symidx) {
			load_err(info, "relocation section %s uses another symbol table",
				 module_sec_name(info, &sh[i]));
			return -ENOEXEC;
		}
	/* Its alignment too: struct module is used in place, atomics included. */
	if (info->this_idx < 0 || sh[info->this_idx].sh_size != sizeof(struct module) ||
	    sh[info->this_idx].sh_type != SHT_PROGBITS ||
	    !(sh[info->this_idx].sh_flags & SHF_WRITE) ||
	    sh[info->this_idx].sh_addralign < __alignof__(struct module)) {
		load_err(info, "no valid .gnu.linkonce.this_module (built for another kernel?)");
		return -EINVAL;
	}
	return 0;
}

/* "key=value" strings, NUL-separated, in .modinfo. */
static const char *modinfo_get(const struct load_info *info, const char *key)
{
	const Elf64_Shdr *s = &info->sh[info->modinfo_idx];
	const char *p = (const char *)info->img + s->sh_offset, *end = p + s->sh_size;
	size_t klen = strlen(key);

	while (p < end) {
		size_t n = strnlen(p, end - p);

		if (p + n == end)	/* unterminated last string */
			return NULL;
		if (n > klen && !memcmp(p, key, klen) && p[klen] == '=')
			return p + klen + 1;
		p += n + 1;
	}
	return NULL;
}

static bool license_is_gpl(const char *l)
{
	static const char *const ok[] = { "GPL", "GPL v2", "GPL and additional rights",
					  "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL" };

	for (unsigned int i = 0; l && i < ARRAY_SIZE(ok); i++)
		if (!strcmp(l, ok[i]))
			return true;
	return false;
}

static int check_modinfo(struct load_info *info)
{
	if (info->modinfo_idx < 0 || info->sh[info->modinfo_idx].sh_type != SHT_PROGBITS) {
		load_err(info, "no .modinfo section");
		return -EINVAL;
	}
	info->name = modinfo_get(info, "name");
	info->vermagic = modinfo_get(info, "vermagic");
	info->license = modinfo_get(info, "license");
	info->description = modinfo_get(info, "description");
	if (!info->name || !info->name[0] || strlen(info->name) >= MODULE_NAME_LEN) {
		load_err(info, "no valid name in .modinfo");
		return -EINVAL;
	}
	info->label = info->name;
	if (!info->vermagic || strcmp(info->vermagic, info->ops->vermagic)) {
		load_err(info, "version magic '%s' should be '%s'",
			 info->vermagic ? info->vermagic : "(none)", info->ops->vermagic);
		return -EINVAL;
	}
	if (info->ops->name_taken(info, info->name)) {
		load_err(info, "a module of that name is already loaded");
		return -EEXIST;
	}
	return 0;
}

static int alloc_scratch(struct load_info *info)
{
	size_t need = info->shnum * sizeof(unsigned long) +
		      info->nsyms * (sizeof(unsigned long) + 1);

	info->scratch = info->ops->scratch_alloc(info, need);
	if (!info->scratch) {
		load_err(info, "out of memory for %zu bytes of loader state", need);
		return -ENOMEM;
	}
	info->secaddr = info->scratch;
	info->symval = info->secaddr + info->shnum;
	info->symok = (u8 *)(info->symval + info->nsyms);
	return 0;
}

enum region { R_TEXT, R_RO, R_DATA };

static enum region region_of(const Elf64_Shdr *s)
{
	if (s->sh_flags & SHF_EXECINSTR)
		return R_TEXT;
	return (s->sh_flags & SHF_WRITE) ? R_DATA : R_RO;
}

/* Place SHF_ALLOC sections: offsets first, then one allocation. */
static int layout_and_copy(struct load_info *info)
{
	size_t off[3] = { 0, 0, 0 }, start[3];
	unsigned long *soff = info->secaddr;

	for (int r = R_TEXT; r <= R_DATA; r++)
		for (unsigned int i = 1; i < info->shnum; i++) {
			const Elf64_Shdr *s = &info->sh[i];
			size_t align = s->sh_addralign ? s->sh_addralign : 1;

			if (!(s->sh_flags & SHF_ALLOC) || region_of(s) != (enum region)r)
				continue;
			off[r] = ALIGN(off[r], align);
			soff[i] = off[r];
			off[r] += s->sh_size;
		}
	/* The symbol table copy (for %pS in module code) ends the data region. */
	off[R_DATA] = ALIGN(off[R_DATA], 8);
	info->symtab_off = off[R_DATA];
	off[R_DATA] += (size_t)info->nsyms * sizeof(Elf64_Sym);
	info->strtab_off = off[R_DATA];
	off[R_DATA] += info->strtab_size;
	/* Then the section addresses, for debuggers (struct module). */
	off[R_DATA] = ALIGN(off[R_DATA], 8);
	info->sectab_off = off[R_DATA];
	off[R_DATA] += (size_t)info->shnum * sizeof(unsigned long);

	info->text_size = ALIGN(off[R_TEXT], PAGE_SIZE);
	info->ro_size = ALIGN(off[R_RO], PAGE_SIZE);
	info->data_size = ALIGN(off[R_DATA], PAGE_SIZE);
	info->size = info->text_size + info->ro_size + info->data_size;
	start[R_TEXT] = 0;
	start[R_RO] = info->text_size;
	start[R_DATA] = info->text_size + info->ro_size;

	info->base = info->ops->alloc(info, info->size);
	if (!info->base) {
		load_err(info, "no module memory for %zu bytes", info->size);
		return -ENOMEM;
	}
	memset(info->base, 0, info->size);
	for (unsigned int i = 1; i < info->shnum; i++) {
		const Elf64_Shdr *s = &info->sh[i];

		if (!(s->sh_flags & SHF_ALLOC))
			continue;
		soff[i] += start[region_of(s)];
		info->secaddr[i] = (unsigned long)info->base + soff[i];
		if (s->sh_type != SHT_NOBITS)
			memcpy((void *)info->secaddr[i], info->img + s->sh_offset, s->sh_size);
	}
	info->symtab_off += start[R_DATA];
	info->strtab_off += start[R_DATA];
	info->sectab_off += start[R_DATA];
	return 0;
}

static int add_dependency(struct load_info *info, struct module *m)
{
	for (unsigned int i = 0; i < info->nr_deps; i++)
		if (info->deps[i] == m)
			return 0;
	if (info->nr_deps == MODULE_MAX_DEPS) {
		load_err(info, "depends on more than %d modules", MODULE_MAX_DEPS);
		return -E2BIG;
	}
	info->deps[info->nr_deps++] = m;
	atomic_inc(&m->refcnt);
	return 0;
}

static int resolve_symbols(struct load_info *info)
{
	bool gpl_ok = license_is_gpl(info->license);

	for (unsigned int i = 1; i < info->nsyms; i++) {
		const Elf64_Sym *sym = &info->syms[i];
		const char *name;
		u16 shndx = sym->st_shndx;

		if (sym->st_name >= info->strtab_size) {
			load_err(info, "symbol %u has a bad name offset", i);
			return -ENOEXEC;
		}
		name = info->strtab + sym->st_name;
		if (shndx == SHN_UNDEF) {
			unsigned long value;
			struct module *owner;
			bool gpl;
			int ret;

			if (!name[0])
				continue;
			if (info->ops->lookup(info, name, &value, &gpl, &owner)) {
				if (ELF64_ST_BIND(sym->st_info) == STB_WEAK) {
					info->symval[i] = 0;
					info->symok[i] = 1;
					continue;
				}
				load_err(info, "unknown symbol %s", name);
				return -ENOENT;
			}
			if (gpl && !gpl_ok) {
				load_err(info, "GPL-only symbol %s used by a module with license '%s'",
					 name, info->license ? info->license : "(none)");
				return -EPERM;
			}
			if (owner) {
				ret = add_dependency(info, owner);
				if (ret)
					return ret;
			}
			info->symval[i] = value;
		} else if (shndx == SHN_ABS) {
			info->symval[i] = sym->st_value;
		} else if (shndx == SHN_COMMON) {
			load_err(info, "common symbol %s (build with -fno-common)", name);
			return -ENOEXEC;
		} else if (shndx >= SHN_LORESERVE || shndx >= info->shnum) {
			load_err(info, "symbol %s in bad section %u", name, shndx);
			return -ENOEXEC;
		} else if (!(info->sh[shndx].sh_flags & SHF_ALLOC)) {
			continue;	/* debug info: never relocated into memory */
		} else {
			if (sym->st_value > info->sh[shndx].sh_size) {
				load_err(info, "symbol %s is outside its section", name);
				return -ENOEXEC;
			}
			info->symval[i] = info->secaddr[shndx] + sym->st_value;
		}
		info->symok[i] = 1;
	}
	return 0;
}

static int apply_relocations(struct load_info *info)
{
	for (unsigned int i = 1; i < info->shnum; i++) {
		const Elf64_Shdr *rs = &info->sh[i];
		int ret;

		if (rs->sh_type != SHT_RELA || !(info->sh[rs->sh_info].sh_flags & SHF_ALLOC))
			continue;
		/* .modinfo was checked in the file: relocating it would change the checked strings. */
		if ((int)rs->sh_info == info->modinfo_idx) {
			load_err(info, "relocation section %s targets .modinfo", module_sec_name(info, rs));
			return -ENOEXEC;
		}
		ret = apply_relocate_add(info->sh, info->strtab, info->symidx, i, info);
		if (ret)
			return ret;
	}
	return 0;
}

static bool in_module(const struct load_info *info, unsigned long p, size_t len)
{
	unsigned long b = (unsigned long)info->base;

	return p >= b && p < b + info->size && len <= b + info->size - p;
}

static bool in_text(const struct load_info *info, unsigned long p)
{
	unsigned long b = (unsigned long)info->base;

	return p >= b && p < b + info->text_size;
}

/* The module's own export tables, after relocation. */
static int check_exports(struct load_info *info, int idx, const struct kernel_symbol **tab,
			 unsigned int *n)
{
	const struct kernel_symbol *ks;

	*tab = NULL;
	*n = 0;
	if (idx < 0)
		return 0;
	if (info->sh[idx].sh_size % sizeof(*ks) || !IS_ALIGNED(info->secaddr[idx], 8)) {
		load_err(info, "malformed export table %s", module_sec_name(info, &info->sh[idx]));
		return -ENOEXEC;
	}
	ks = (const struct kernel_symbol *)info->secaddr[idx];
	*n = info->sh[idx].sh_size / sizeof(*ks);
	for (unsigned int i = 0; i < *n; i++) {
		unsigned long np = (unsigned long)ks[i].name;
		size_t room = (unsigned long)info->base + info->size - np;
		unsigned long value;
		struct module *owner;
		bool gpl;

		if (!in_module(info, np, 1) || strnlen((const char *)np, room) == room ||
		    !in_module(info, ks[i].value, 1)) {
			load_err(info, "export %u points outside the module", i);
			return -ENOEXEC;
		}
		if (!info->ops->lookup(info, ks[i].name, &value, &gpl, &owner)) {
			load_err(info, "exports %s, already exported by %s", ks[i].name,
				 owner ? owner->name : "the kernel");
			return -EEXIST;
		}
	}
	*tab = ks;
	return 0;
}

/* Copy the symbol table, values made absolute, for backtraces. */
static void keep_symtab(struct load_info *info)
{
	Elf64_Sym *dst = (Elf64_Sym *)(info->base + info->symtab_off);

	memcpy(info->base + info->strtab_off, info->strtab, info->strtab_size);
	for (unsigned int i = 0; i < info->nsyms; i++) {
		dst[i] = info->syms[i];
		dst[i].st_value = info->symok[i] ? info->symval[i] : 0;
	}
	info->mod->symtab = dst;
	info->mod->strtab = (const char *)(info->base + info->strtab_off);
	info->mod->nr_symtab = info->nsyms;
}

/* Where each loaded section went, for debuggers. */
static void keep_sect_addrs(struct load_info *info)
{
	unsigned long *dst = (unsigned long *)(info->base + info->sectab_off);

	for (unsigned int i = 0; i < info->shnum; i++)
		dst[i] = (info->sh[i].sh_flags & SHF_ALLOC) ? info->secaddr[i] : 0;
	info->mod->sect_addrs = dst;
	info->mod->nr_sects = info->shnum;
}

/*
 * MODULE_DEVICE_TABLE(pci, ...): the table's address and its entries.
 * struct module comes from the file: without a valid table both fields
 * must still be cleared, or the file's bytes would be followed later.
 */
static void find_device_table(struct load_info *info, struct module *mod)
{
	mod->pci_ids = NULL;
	mod->nr_device_ids = 0;
	for (unsigned int i = 1; i < info->nsyms; i++) {
		const Elf64_Sym *s = &info->syms[i];
		const struct pci_device_id *id;
		unsigned int n = 0;

		if (!info->symok[i] || s->st_shndx == SHN_UNDEF ||
		    strcmp(info->strtab + s->st_name, "__mod_pci__device_table"))
			continue;
		id = (const struct pci_device_id *)info->symval[i];
		if (!IS_ALIGNED(info->symval[i], __alignof__(*id))) {
			load_err(info, "PCI device table at %p is misaligned: ignored", id);
			return;
		}
		/* Count up to the all-zero terminator, never past the module. */
		while (in_module(info, (unsigned long)&id[n], sizeof(*id)) &&
		       (id[n].vendor || id[n].device || id[n].subvendor || id[n].class_mask))
			n++;
		if (!in_module(info, (unsigned long)&id[n], sizeof(*id)))
			return;		/* unterminated: ignore the table */
		mod->pci_ids = id;
		mod->nr_device_ids = n;
		return;
	}
}

/*
 * module_param(): the __param section's entries, in place.  Their pointers
 * are checked by the kernel side (module_check_params()), which knows the
 * standard parameter types.
 */
static int find_params(struct load_info *info, struct module *mod)
{
	const Elf64_Shdr *s;

	mod->kp = NULL;
	mod->num_kp = 0;
	if (info->param_idx < 0)
		return 0;
	s = &info->sh[info->param_idx];
	if (s->sh_type != SHT_PROGBITS || s->sh_size % sizeof(struct kernel_param) ||
	    !IS_ALIGNED(info->secaddr[info->param_idx], __alignof__(struct kernel_param))) {
		load_err(info, "malformed __param section");
		return -ENOEXEC;
	}
	mod->kp = (const struct kernel_param *)info->secaddr[info->param_idx];
	mod->num_kp = s->sh_size / sizeof(struct kernel_param);
	return 0;
}

int module_elf_load(struct load_info *info)
{
	struct module *mod;
	int ret;

	ret = check_header(info);
	if (!ret)
		ret = check_sections(info);
	if (!ret)
		ret = find_tables(info);
	if (!ret)
		ret = check_modinfo(info);
	if (!ret)
		ret = alloc_scratch(info);
	if (!ret)
		ret = layout_and_copy(info);
	if (!ret)
		ret = resolve_symbols(info);
	if (!ret)
		ret = apply_relocations(info);
	if (ret)
		return ret;

	mod = (struct module *)info->secaddr[info->this_idx];
	info->mod = mod;
	if (strnlen(mod->name, MODULE_NAME_LEN) == MODULE_NAME_LEN ||
	    strcmp(mod->name, info->name)) {
		load_err(info, "this_module is named '%.*s'", MODULE_NAME_LEN - 1, mod->name);
		return -EINVAL;
	}
	if ((mod->init && !in_text(info, (unsigned long)mod->init)) ||
	    (mod->exit && !in_text(info, (unsigned long)mod->exit))) {
		load_err(info, "init or exit outside the module's text");
		return -ENOEXEC;
	}
	ret = check_exports(info, info->ksym_idx, &mod->syms, &mod->nr_syms);
	if (!ret)
		ret = check_exports(info, info->ksym_gpl_idx, &mod->gpl_syms, &mod->nr_gpl_syms);
	if (ret)
		return ret;
	mod->state = MODULE_STATE_UNFORMED;
	atomic_set(&mod->refcnt, 0);
	memcpy(mod->deps, info->deps, sizeof(info->deps));
	mod->nr_deps = info->nr_deps;
	mod->license = info->license;
	mod->description = info->description;
	mod->vermagic = info->vermagic;
	mod->gpl_ok = license_is_gpl(info->license);
	mod->base = info->base;
	mod->size = info->size;
	mod->text_size = info->text_size;
	mod->ro_size = info->ro_size;
	find_device_table(info, mod);
	ret = find_params(info, mod);
	if (ret)
		return ret;
	mod->modinfo = (const char *)info->secaddr[info->modinfo_idx];
	mod->modinfo_size = info->sh[info->modinfo_idx].sh_size;
	/* modinfo strings must point into module memory, not the file. */
	{
		long delta = (long)info->secaddr[info->modinfo_idx] -
			     (long)(info->img + info->sh[info->modinfo_idx].sh_offset);

		if (mod->license)
			mod->license += delta;
		if (mod->description)
			mod->description += delta;
		mod->vermagic += delta;
	}
	keep_symtab(info);
	keep_sect_addrs(info);
	return 0;
}

int module_elf_modinfo(struct load_info *info, const char **data, size_t *size)
{
	int ret = check_header(info);

	if (!ret)
		ret = check_sections(info);
	if (ret)
		return ret;
	for (unsigned int i = 1; i < info->shnum; i++) {
		const Elf64_Shdr *s = &info->sh[i];

		if (s->sh_type == SHT_PROGBITS && !strcmp(module_sec_name(info, s), ".modinfo")) {
			*data = (const char *)info->img + s->sh_offset;
			*size = s->sh_size;
			return 0;
		}
	}
	load_err(info, "no .modinfo section");
	return -EINVAL;
}
