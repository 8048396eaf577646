// SPDX-License-Identifier: GPL-2.0
/*
 * Loadable modules: an ELF64 relocatable object (.ko) linked into the
 * running kernel.
 *
 * Goal: accept exactly the files our build produces and refuse everything
 * else with one clear line, leaving nothing behind.  The image is never
 * written (it may be a boot module or a blob in .rodata); everything the
 * loader derives lives in one scratch block freed at the end.
 *
 * Steps, each of which can refuse the file:
 *  1. ELF header: class, data, version, type ET_REL, machine x86-64,
 *     section table inside the file.
 *  2. Section table: every section's bytes inside the file, no two
 *     sections (or a section and the headers) overlapping, sane alignment,
 *     string tables NUL-terminated, one symbol table, RELA tables that
 *     point at real sections.  SHT_REL is refused (x86-64 uses RELA).
 *  3. .modinfo: vermagic equal to ours (kernel release + config hash),
 *     a name not loaded yet, the license (decides GPL-only symbols).
 *  4. Layout: SHF_ALLOC sections in three page-aligned regions of one
 *     module_alloc() block: text (RX), rodata (R), data + bss (RW, NX),
 *     followed in the data region by a copy of the symbol table for
 *     backtraces.
 *  5. Symbols: undefined ones resolved against the kernel's export table
 *     (sorted by the linker script: bisection) and the live modules'
 *     exports; each module we resolve against becomes a dependency and
 *     gets a reference.
 *  6. Relocations: R_X86_64_64, PC32, PLT32, 32, 32S, PC64, each with its
 *     offset inside the target section and an overflow check.
 *  7. Exports: the module's own __ksymtab entries must point inside the
 *     module and not clash with an existing export.
 *  8. Permissions, then init_module(); an error from init unwinds all.
 *
 * Invariants: a module on modules_list in state COMING or LIVE has all
 * its dependencies LIVE with refcnt counting it; a module with refcnt > 0
 * cannot be unloaded.  module_mutex serialises load and unload (init and
 * exit run under it: they must not load or unload modules).
 */
#define pr_fmt(fmt) "module: " fmt

#include <exo/atomic.h>
#include <exo/bootinfo.h>
#include <exo/device.h>
#include <exo/elf.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/kallsyms.h>
#include <exo/kernel.h>
#include <exo/module.h>
#include <exo/page_alloc.h>
#include <exo/pci.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/shell.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <generated/compile.h>
#include <asm/page.h>
#include <asm/processor.h>

#include "module-internal.h"

#define MAX_SECTIONS	1024
#define MAX_SYMBOLS	65536
#define MAX_SECTION_SZ	(16UL << 20)

/* ------------------------------------------------------------------------
 * The module list and its lock.
 */
static LIST_HEAD(modules_list);
static struct {
	spinlock_t lock;
	bool held;
} module_mutex = { .lock = __SPIN_LOCK_UNLOCKED(module_mutex.lock) };
static size_t bytes_allocated;

static void mod_lock(void)
{
	for (;;) {
		spin_lock(&module_mutex.lock);
		if (!module_mutex.held) {
			module_mutex.held = true;
			spin_unlock(&module_mutex.lock);
			return;
		}
		spin_unlock(&module_mutex.lock);
		if (sched_ready())
			yield();
		else
			cpu_relax();
	}
}

static void mod_unlock(void)
{
	spin_lock(&module_mutex.lock);
	module_mutex.held = false;
	spin_unlock(&module_mutex.lock);
}

size_t module_bytes_allocated(void)
{
	return READ_ONCE(bytes_allocated);
}

unsigned int module_nr_loaded(void)
{
	struct module *m;
	unsigned int n = 0;

	mod_lock();
	list_for_each_entry(m, &modules_list, list)
		n++;
	mod_unlock();
	return n;
}

static struct module *__find_module(const char *name)
{
	struct module *m;

	list_for_each_entry(m, &modules_list, list)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

struct module *find_module(const char *name)
{
	struct module *m;

	mod_lock();
	m = __find_module(name);
	if (m && m->state != MODULE_STATE_LIVE)
		m = NULL;
	mod_unlock();
	return m;
}

bool try_module_get(struct module *mod)
{
	if (!mod)
		return true;
	if (READ_ONCE(mod->state) != MODULE_STATE_LIVE)
		return false;
	atomic_inc(&mod->refcnt);
	return true;
}
EXPORT_SYMBOL(try_module_get);

void module_put(struct module *mod)
{
	if (mod && atomic_dec_return(&mod->refcnt) < 0) {
		pr_err("module_put: %s: reference count underflow\n", mod->name);
		atomic_inc(&mod->refcnt);
	}
}
EXPORT_SYMBOL(module_put);

int module_refcount(struct module *mod)
{
	return atomic_read(&mod->refcnt);
}

/* ------------------------------------------------------------------------
 * Export tables.
 */
extern const struct kernel_symbol __start___ksymtab[], __stop___ksymtab[];
extern const struct kernel_symbol __start___ksymtab_gpl[], __stop___ksymtab_gpl[];

static const struct kernel_symbol *bsearch_sym(const struct kernel_symbol *lo,
					       const struct kernel_symbol *hi, const char *name)
{
	while (lo < hi) {
		const struct kernel_symbol *mid = lo + (hi - lo) / 2;
		int c = strcmp(name, mid->name);

		if (!c)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const struct kernel_symbol *lsearch_sym(const struct kernel_symbol *s, unsigned int n,
					       const char *name)
{
	for (unsigned int i = 0; i < n; i++)
		if (!strcmp(s[i].name, name))
			return &s[i];
	return NULL;
}

/*
 * Exported symbol @name: kernel first, then modules (except @self).
 * @owner is set to the exporting module (NULL: the kernel), @gpl to
 * whether the export is GPL-only.
 */
static const struct kernel_symbol *find_symbol(const char *name, const struct module *self,
					       struct module **owner, bool *gpl)
{
	const struct kernel_symbol *s;
	struct module *m;

	*owner = NULL;
	*gpl = false;
	s = bsearch_sym(__start___ksymtab, __stop___ksymtab, name);
	if (s)
		return s;
	s = bsearch_sym(__start___ksymtab_gpl, __stop___ksymtab_gpl, name);
	if (s) {
		*gpl = true;
		return s;
	}
	list_for_each_entry(m, &modules_list, list) {
		if (m == self || m->state == MODULE_STATE_UNFORMED ||
		    m->state == MODULE_STATE_GOING)
			continue;
		*owner = m;
		s = lsearch_sym(m->syms, m->nr_syms, name);
		if (s)
			return s;
		s = lsearch_sym(m->gpl_syms, m->nr_gpl_syms, name);
		if (s) {
			*gpl = true;
			return s;
		}
	}
	*owner = NULL;
	return NULL;
}

unsigned long find_exported_symbol(const char *name)
{
	const struct kernel_symbol *s;
	struct module *owner;
	bool gpl;

	mod_lock();
	s = find_symbol(name, NULL, &owner, &gpl);
	mod_unlock();
	return s ? s->value : 0;
}

/* ------------------------------------------------------------------------
 * Loading.
 */
struct load_info {
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

#define load_err(info, fmt, ...) \
	pr_err("%s: " fmt "\n", (info)->label, ##__VA_ARGS__)

static const char *sec_name(const struct load_info *info, const Elf64_Shdr *s)
{
	return s->sh_name < info->shstr_size ? info->shstr + s->sh_name : "?";
}

static bool range_ok(u64 off, u64 size, u64 limit)
{
	return off <= limit && size <= limit - off;
}

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
	if (h->e_machine != EM_X86_64) {
		load_err(info, "wrong machine %u (this kernel is x86-64, machine %u)",
			 h->e_machine, EM_X86_64);
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
	info->symidx = 0;
	for (unsigned int i = 1; i < info->shnum; i++) {
		const Elf64_Shdr *s = &sh[i];
		const char *n = sec_name(info, s);

		switch (s->sh_type) {
		case SHT_SYMTAB:
			if (info->symidx) {
				load_err(info, "more than one symbol table");
				return -ENOEXEC;
			}
			info->symidx = i;
			break;
		case SHT_REL:
			load_err(info, "section %s: REL relocations are not used on x86-64", n);
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
				 sec_name(info, &sh[i]));
			return -ENOEXEC;
		}
	if (info->this_idx < 0 || sh[info->this_idx].sh_size != sizeof(struct module) ||
	    sh[info->this_idx].sh_type != SHT_PROGBITS ||
	    !(sh[info->this_idx].sh_flags & SHF_WRITE)) {
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
	if (!info->vermagic || strcmp(info->vermagic, VERMAGIC_STRING)) {
		load_err(info, "version magic '%s' should be '%s'",
			 info->vermagic ? info->vermagic : "(none)", VERMAGIC_STRING);
		return -EINVAL;
	}
	if (__find_module(info->name)) {
		load_err(info, "a module of that name is already loaded");
		return -EEXIST;
	}
	return 0;
}

static int alloc_scratch(struct load_info *info)
{
	size_t need = info->shnum * sizeof(unsigned long) +
		      info->nsyms * (sizeof(unsigned long) + 1);

	info->scratch_order = order_base_2(DIV_ROUND_UP(need, PAGE_SIZE));
	info->scratch = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, info->scratch_order);
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

	info->text_size = ALIGN(off[R_TEXT], PAGE_SIZE);
	info->ro_size = ALIGN(off[R_RO], PAGE_SIZE);
	info->data_size = ALIGN(off[R_DATA], PAGE_SIZE);
	info->size = info->text_size + info->ro_size + info->data_size;
	start[R_TEXT] = 0;
	start[R_RO] = info->text_size;
	start[R_DATA] = info->text_size + info->ro_size;

	info->base = module_alloc(info->size);
	if (!info->base) {
		load_err(info, "no module memory for %zu bytes", info->size);
		return -ENOMEM;
	}
	bytes_allocated += info->size;
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
			const struct kernel_symbol *ks;
			struct module *owner;
			bool gpl;
			int ret;

			if (!name[0])
				continue;
			ks = find_symbol(name, NULL, &owner, &gpl);
			if (!ks) {
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
			info->symval[i] = ks->value;
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

static int apply_rela(struct load_info *info, const Elf64_Shdr *rs)
{
	const Elf64_Shdr *target = &info->sh[rs->sh_info];
	const Elf64_Rela *rel = (const Elf64_Rela *)(info->img + rs->sh_offset);
	unsigned long n = rs->sh_size / sizeof(*rel);

	if (target->sh_type == SHT_NOBITS) {
		load_err(info, "relocations for a section without contents (%s)",
			 sec_name(info, target));
		return -ENOEXEC;
	}
	for (unsigned long i = 0; i < n; i++) {
		u32 type = ELF64_R_TYPE(rel[i].r_info), symi = ELF64_R_SYM(rel[i].r_info);
		unsigned int size = (type == R_X86_64_64 || type == R_X86_64_PC64) ? 8 : 4;
		u64 off = rel[i].r_offset, loc, val;

		if (type == R_X86_64_NONE)
			continue;
		if (!range_ok(off, size, target->sh_size)) {
			load_err(info, "relocation %lu in %s: offset %#llx is out of range (size %#llx)",
				 i, sec_name(info, target), off, target->sh_size);
			return -ENOEXEC;
		}
		if (symi >= info->nsyms || (symi && !info->symok[symi])) {
			load_err(info, "relocation %lu in %s: bad symbol %u", i,
				 sec_name(info, target), symi);
			return -ENOEXEC;
		}
		loc = info->secaddr[rs->sh_info] + off;
		val = info->symval[symi] + rel[i].r_addend;
		switch (type) {
		case R_X86_64_64:
			memcpy((void *)loc, &val, 8);
			continue;
		case R_X86_64_PC64:
			val -= loc;
			memcpy((void *)loc, &val, 8);
			continue;
		case R_X86_64_PC32:
		case R_X86_64_PLT32:
			val -= loc;
			fallthrough;
		case R_X86_64_32S:
			if ((s64)val != (s32)val)
				goto overflow;
			break;
		case R_X86_64_32:
			if (val != (u32)val)
				goto overflow;
			break;
		default:
			load_err(info, "relocation %lu in %s: unsupported type %u", i,
				 sec_name(info, target), type);
			return -ENOEXEC;
		}
		{
			u32 v32 = (u32)val;

			memcpy((void *)loc, &v32, 4);
		}
		continue;
overflow:
		load_err(info, "relocation %lu (type %u) in %s: value %#llx overflows 32 bits",
			 i, type, sec_name(info, target), val);
		return -ERANGE;
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
		ret = apply_rela(info, rs);
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
		load_err(info, "malformed export table %s", sec_name(info, &info->sh[idx]));
		return -ENOEXEC;
	}
	ks = (const struct kernel_symbol *)info->secaddr[idx];
	*n = info->sh[idx].sh_size / sizeof(*ks);
	for (unsigned int i = 0; i < *n; i++) {
		unsigned long np = (unsigned long)ks[i].name;
		size_t room = (unsigned long)info->base + info->size - np;
		struct module *owner;
		bool gpl;

		if (!in_module(info, np, 1) || strnlen((const char *)np, room) == room ||
		    !in_module(info, ks[i].value, 1)) {
			load_err(info, "export %u points outside the module", i);
			return -ENOEXEC;
		}
		if (find_symbol(ks[i].name, NULL, &owner, &gpl)) {
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

static unsigned int pages(size_t n)
{
	return n / PAGE_SIZE;
}

static void protect(struct module *m)
{
	unsigned long b = (unsigned long)m->base;
	size_t data = m->size - m->text_size - m->ro_size;

	if (m->text_size) {
		set_memory_ro(b, pages(m->text_size));
		set_memory_x(b, pages(m->text_size));
	}
	if (m->ro_size) {
		set_memory_ro(b + m->text_size, pages(m->ro_size));
		set_memory_nx(b + m->text_size, pages(m->ro_size));
	}
	set_memory_nx(b + m->text_size + m->ro_size, pages(data));
}

/* Back to plain RW+NX memory before it is freed. */
static void unprotect(void *base, size_t size)
{
	/* NX first: making text writable while it is still executable is refused (W^X). */
	set_memory_nx((unsigned long)base, pages(size));
	set_memory_rw((unsigned long)base, pages(size));
}

static void drop_deps(struct module **deps, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		module_put(deps[i]);
}

/* MODULE_DEVICE_TABLE(pci, ...): the table's address and its entries. */
static void find_device_table(struct load_info *info, struct module *mod)
{
	for (unsigned int i = 1; i < info->nsyms; i++) {
		const Elf64_Sym *s = &info->syms[i];
		const struct pci_device_id *id;
		unsigned int n = 0;

		if (!info->symok[i] || s->st_shndx == SHN_UNDEF ||
		    strcmp(info->strtab + s->st_name, "__mod_pci__device_table"))
			continue;
		id = (const struct pci_device_id *)info->symval[i];
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

static int do_load(struct load_info *info)
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
	protect(mod);
	return 0;
}

static void free_load_info(struct load_info *info)
{
	if (info->scratch)
		free_pages((unsigned long)info->scratch, info->scratch_order);
	if (info->copy)
		free_pages((unsigned long)info->copy, info->copy_order);
}

static void free_module_memory(void *base, size_t size)
{
	unprotect(base, size);
	module_memfree(base);
	bytes_allocated -= size;
}

int load_module(const void *image, size_t len, struct module **modp)
{
	struct load_info info = { .label = "(unnamed .ko)", .img = image, .len = len };
	struct module *mod;
	int ret;

	if (!image) {
		pr_err("load_module: no image\n");
		return -EINVAL;
	}
	/* The ELF structures need 8-byte alignment; cpio data has only 4. */
	if (!IS_ALIGNED((unsigned long)image, 8) && len) {
		info.copy_order = order_base_2(DIV_ROUND_UP(len, PAGE_SIZE));
		info.copy = (void *)__get_free_pages(GFP_KERNEL, info.copy_order);
		if (!info.copy) {
			pr_err("out of memory for a %zu-byte module image\n", len);
			return -ENOMEM;
		}
		memcpy(info.copy, image, len);
		info.img = info.copy;
	}
	info.hdr = (const Elf64_Ehdr *)info.img;

	mod_lock();
	ret = do_load(&info);
	if (ret) {
		drop_deps(info.deps, info.nr_deps);
		if (info.base)
			free_module_memory(info.base, info.size);
		goto out;
	}
	mod = info.mod;
	mod->state = MODULE_STATE_COMING;
	list_add_tail(&mod->list, &modules_list);
	ret = mod->init ? mod->init() : 0;
	if (ret) {
		pr_err("%s: init failed with error %d, unloading\n", mod->name, ret);
		if (ret > 0)
			ret = -EINVAL;
		mod->state = MODULE_STATE_GOING;
		driver_unregister_owner(mod);
		list_del(&mod->list);
		drop_deps(mod->deps, mod->nr_deps);
		free_module_memory(info.base, info.size);
		goto out;
	}
	mod->state = MODULE_STATE_LIVE;
	pr_info("%s: loaded at %p (text %zu, rodata %zu, data %zu bytes)%s\n", mod->name,
		mod->base, mod->text_size, mod->ro_size, mod->size - mod->text_size - mod->ro_size,
		mod->nr_deps ? ", uses other modules" : "");
	if (modp)
		*modp = mod;
out:
	mod_unlock();
	free_load_info(&info);
	return ret;
}
EXPORT_SYMBOL_GPL(load_module);

int unload_module(const char *name)
{
	struct module *mod;
	void *base;
	size_t size;
	int ret = 0;

	mod_lock();
	mod = __find_module(name);
	if (!mod || mod->state != MODULE_STATE_LIVE) {
		ret = -ENOENT;
		pr_err("%s: not loaded\n", name);
	} else if (atomic_read(&mod->refcnt)) {
		ret = -EBUSY;
		pr_err("%s: in use (%d users)\n", name, atomic_read(&mod->refcnt));
	} else if (mod->init && !mod->exit) {
		ret = -EBUSY;
		pr_err("%s: has init but no exit: cannot be unloaded\n", name);
	}
	if (ret) {
		mod_unlock();
		return ret;
	}
	mod->state = MODULE_STATE_GOING;
	if (mod->exit)
		mod->exit();
	/* Its code is about to go: no driver of it may stay registered. */
	driver_unregister_owner(mod);
	list_del(&mod->list);
	drop_deps(mod->deps, mod->nr_deps);
	base = mod->base;
	size = mod->size;
	pr_info("%s: unloaded\n", name);
	free_module_memory(base, size);	/* mod itself lives in there */
	mod_unlock();
	return 0;
}
EXPORT_SYMBOL_GPL(unload_module);

/* %pS and backtraces inside module text.  Lockless: also used by oops. */
static const char *module_lookup(unsigned long addr, unsigned long *offset, const char **modname)
{
	struct module *m;

	list_for_each_entry(m, &modules_list, list) {
		const Elf64_Sym *best = NULL;
		const Elf64_Sym *syms = m->symtab;

		if (addr < (unsigned long)m->base || addr >= (unsigned long)m->base + m->text_size)
			continue;
		for (unsigned int i = 1; i < m->nr_symtab; i++) {
			const Elf64_Sym *s = &syms[i];

			if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF ||
			    !s->st_value || s->st_value > addr)
				continue;
			if (!best || s->st_value > best->st_value)
				best = s;
		}
		*modname = m->name;
		if (!best)
			return NULL;
		*offset = addr - best->st_value;
		return m->strtab + best->st_name;
	}
	return NULL;
}

/* ------------------------------------------------------------------------
 * Boot modules: bare .ko files (GRUB module2) or newc cpio archives of
 * them (QEMU -initrd).
 */
static bool cpio_hex(const char *p, unsigned int n, u32 *v)
{
	*v = 0;
	for (unsigned int i = 0; i < n; i++) {
		char c = p[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= c - '0';
		else if (c >= 'A' && c <= 'F')
			*v |= c - 'A' + 10;
		else if (c >= 'a' && c <= 'f')
			*v |= c - 'a' + 10;
		else
			return false;
	}
	return true;
}

#define CPIO_HDR	110

/*
 * Walk a newc archive, calling @fn(name, data, size, arg) for each regular
 * file until it returns non-zero.  Return: that value, 0 at the end,
 * -ENOEXEC if the archive is malformed (logged).
 */
static int cpio_walk(const u8 *a, size_t len,
		     int (*fn)(const char *name, const u8 *data, size_t size, void *arg), void *arg)
{
	size_t off = 0;

	while (off + CPIO_HDR <= len) {
		const char *h = (const char *)a + off;
		u32 mode, fsize, nsize;
		const char *name;
		size_t data;
		int ret;

		if (memcmp(h, "070701", 6) || !cpio_hex(h + 14, 8, &mode) ||
		    !cpio_hex(h + 54, 8, &fsize) || !cpio_hex(h + 94, 8, &nsize) || !nsize ||
		    !range_ok(off + CPIO_HDR, nsize, len)) {
			pr_err("boot archive: bad cpio header at %#zx\n", off);
			return -ENOEXEC;
		}
		name = h + CPIO_HDR;
		if (name[nsize - 1]) {
			pr_err("boot archive: unterminated name at %#zx\n", off);
			return -ENOEXEC;
		}
		if (!strcmp(name, "TRAILER!!!"))
			return 0;
		data = ALIGN(off + CPIO_HDR + nsize, 4);
		if (!range_ok(data, fsize, len)) {
			pr_err("boot archive: %s is truncated\n", name);
			return -ENOEXEC;
		}
		if ((mode & 0170000) == 0100000) {
			ret = fn(name, a + data, fsize, arg);
			if (ret)
				return ret;
		}
		off = ALIGN(data + fsize, 4);
	}
	pr_err("boot archive: no trailer\n");
	return -ENOEXEC;
}

static bool is_cpio(const u8 *p, size_t len)
{
	return len >= 6 && !memcmp(p, "070701", 6);
}

/* "dir/foo.ko" and "foo" name the same module. */
static bool ko_name_is(const char *file, const char *name)
{
	const char *base = strrchr(file, '/');
	size_t n = strlen(name);

	base = base ? base + 1 : file;
	return !strncmp(base, name, n) && (!base[n] || !strcmp(base + n, ".ko"));
}

struct ko_find {
	const char *name;
	const u8 *data;
	size_t size;
};

static int ko_find_fn(const char *file, const u8 *data, size_t size, void *arg)
{
	struct ko_find *f = arg;

	if (!ko_name_is(file, f->name))
		return 0;
	f->data = data;
	f->size = size;
	return 1;
}

int module_archive_find(const void *archive, size_t len, const char *name,
			const void **data, size_t *size)
{
	struct ko_find f = { .name = name };
	int ret;

	if (!is_cpio(archive, len)) {
		pr_err("boot archive: not a newc cpio archive\n");
		return -ENOEXEC;
	}
	ret = cpio_walk(archive, len, ko_find_fn, &f);
	if (ret == 1) {
		*data = f.data;
		*size = f.size;
	}
	return ret;
}

const void *boot_module_find(const char *name, size_t *len)
{
	for (unsigned int i = 0; i < boot_info.nr_modules; i++) {
		const struct boot_module *bm = &boot_info.modules[i];
		const u8 *p = phys_to_virt(bm->start);
		size_t size = bm->end - bm->start;
		const void *data;

		if (is_cpio(p, size)) {
			if (module_archive_find(p, size, name, &data, len) == 1)
				return data;
		} else if (ko_name_is(bm->name, name)) {
			*len = size;
			return p;
		}
	}
	return NULL;
}

static int autoload_fn(const char *file, const u8 *data, size_t size, void *arg)
{
	size_t n = strlen(file);

	if (n > 3 && !strcmp(file + n - 3, ".ko"))
		load_module(data, size, NULL);
	return 0;
}

static bool autoload = true;

static int __init autoload_setup(const char *val)
{
	autoload = strcmp(val, "0") && strcmp(val, "off");
	return 0;
}
__setup("modules=", autoload_setup);

/* Every boot module is loaded once the built-in drivers are registered. */
static int __init load_boot_modules(void)
{
	module_address_lookup = module_lookup;
	if (!autoload || !boot_info.nr_modules)
		return 0;
	for (unsigned int i = 0; i < boot_info.nr_modules; i++) {
		const struct boot_module *bm = &boot_info.modules[i];
		const u8 *p = phys_to_virt(bm->start);
		size_t size = bm->end - bm->start;

		if (is_cpio(p, size))
			cpio_walk(p, size, autoload_fn, NULL);
		else
			load_module(p, size, NULL);
	}
	return 0;
}
late_initcall(load_boot_modules);

/* ------------------------------------------------------------------------
 * Shell commands.
 */
static int cmd_lsmod(int argc, char **argv)
{
	struct module *m;

	printk("%-20s %8s %5s  %s\n", "Module", "Size", "Used", "by / description");
	mod_lock();
	list_for_each_entry(m, &modules_list, list) {
		struct module *u;

		printk("%-20s %8zu %5d ", m->name, m->size, atomic_read(&m->refcnt));
		list_for_each_entry(u, &modules_list, list)
			for (unsigned int i = 0; i < u->nr_deps; i++)
				if (u->deps[i] == m)
					printk(KERN_CONT " %s", u->name);
		printk(KERN_CONT "  %s%s%s\n", m->description ? m->description : "",
		       m->nr_device_ids ? " [pci ids]" : "",
		       m->state == MODULE_STATE_LIVE ? "" : " (not live)");
	}
	mod_unlock();
	return 0;
}
DEFINE_SHELL_CMD(lsmod, "loaded modules, size, users", cmd_lsmod);

static int cmd_modinfo(int argc, char **argv)
{
	const struct pci_device_id *id;
	struct module *m;

	if (argc < 2) {
		printk("usage: modinfo <name>\n");
		return -EINVAL;
	}
	mod_lock();
	m = __find_module(argv[1]);
	if (!m) {
		mod_unlock();
		printk("modinfo: %s is not loaded\n", argv[1]);
		return -ENOENT;
	}
	for (const char *p = m->modinfo; p < m->modinfo + m->modinfo_size; p += strlen(p) + 1)
		if (*p)
			printk("%s\n", p);
	printk("base=%p size=%zu refcnt=%d", m->base, m->size, atomic_read(&m->refcnt));
	for (unsigned int i = 0; i < m->nr_deps; i++)
		printk(KERN_CONT "%s%s", i ? "," : " depends=", m->deps[i]->name);
	printk(KERN_CONT "\n");
	id = m->pci_ids;
	for (unsigned int i = 0; i < m->nr_device_ids; i++)
		printk("pci id: vendor %04x device %04x class %06x/%06x\n", id[i].vendor & 0xffff,
		       id[i].device & 0xffff, id[i].class, id[i].class_mask);
	mod_unlock();
	return 0;
}
DEFINE_SHELL_CMD(modinfo, "modinfo <name>: a loaded module's tags, users, PCI IDs", cmd_modinfo);

static int cmd_insmod(int argc, char **argv)
{
	const void *img;
	size_t len;
	int ret;

	if (argc < 2) {
		printk("usage: insmod <name>  (a .ko among the boot modules)\n");
		return -EINVAL;
	}
	img = boot_module_find(argv[1], &len);
	if (!img) {
		printk("insmod: no boot module %s\n", argv[1]);
		return -ENOENT;
	}
	ret = load_module(img, len, NULL);
	if (ret)
		printk("insmod: %s: error %d\n", argv[1], ret);
	return ret;
}
DEFINE_SHELL_CMD(insmod, "insmod <name>: load a module from the boot modules", cmd_insmod);

static int cmd_rmmod(int argc, char **argv)
{
	if (argc < 2) {
		printk("usage: rmmod <name>\n");
		return -EINVAL;
	}
	return unload_module(argv[1]);
}
DEFINE_SHELL_CMD(rmmod, "rmmod <name>: unload a module", cmd_rmmod);
