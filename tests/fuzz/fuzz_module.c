// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the module loader's ELF half (kernel/module_elf.c, the
 * same file the kernel links) on arbitrary relocatable images.
 *
 * Input: a flags byte, then the .ko image.  Flags: bit 0 the "kernel's"
 * version magic is the one the image's .modinfo carries (else a fixed
 * string, so that the vermagic check itself is also fuzzed); bit 1 every
 * module name is already taken; bit 2 the exports the module defines
 * clash with the kernel's; bit 3 resolved symbols lie far (4 GiB+) from
 * the module (PC32 overflows); bit 4 module memory allocation fails;
 * bit 5 scratch allocation fails.
 *
 * The harness's environment: module memory is an exact-size block in the
 * host's low 2 GiB between two PROT_NONE guard pages (any access outside
 * it faults; see h_alloc()), the image a
 * private copy of exactly the input's size (any read past it is
 * reported) that must come back unchanged; every undefined symbol
 * resolves except init_module, cleanup_module and names containing
 * "no_such" (weak ones then resolve to 0), names containing "gpl" and
 * bus_find are GPL-only, names starting with "modtest_" belong to one of
 * four fake loaded modules (dependencies, with their reference counts).
 *
 * Checked: the return value is one of the documented errors (and a
 * refusal logs a line); on success the module is coherent: struct module,
 * its name, the export tables and every export name and value, the
 * symbol/string table copies, the PCI id table, .modinfo and the strings
 * pointing into it all lie inside module memory, init/exit inside its text,
 * the regions page-aligned and within the allocation; afterwards every
 * dependency reference is dropped and nothing leaks (LeakSanitizer).
 */
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/module.h>
#include <exo/pci.h>
#include <exo/printk.h>
#include <asm/hosted.h>
#include <asm/page.h>

#include "../../kernel/module_elf.h"
#include "fuzz.h"

#include <sys/mman.h>

#define F_OWN_VERMAGIC	0x01
#define F_NAME_TAKEN	0x02
#define F_EXPORT_CLASH	0x04
#define F_FAR_SYMBOLS	0x08
#define F_NO_MEMORY	0x10
#define F_NO_SCRATCH	0x20

static u8 flags;
static char vermagic[128];
static struct module fake_mods[4];
static unsigned long messages;
static u8 *mod_base;
static size_t mod_size;

static void count_message(const char *msg)
{
	messages++;
}

/*
 * Module memory at a fixed address in the low 2 GiB: the modules are built
 * for -mcmodel=kernel, whose R_X86_64_32S references to their own symbols
 * need sign-extended 32-bit addresses (the kernel's module area is in the
 * top 2 GiB; the host's low 2 GiB works the same way).  A PROT_NONE guard
 * page on each side: any access outside the block faults.
 */
#define MOD_AREA	0x20000000UL

static void *h_alloc(struct load_info *info, size_t size)
{
	u8 *p;

	FUZZ_CHECK(size && !(size % PAGE_SIZE) && !mod_base);
	if (flags & F_NO_MEMORY)
		return NULL;
	/* No gigabytes: sections are <= 16 MiB each anyway. */
	if (size > (64UL << 20))
		return NULL;
	p = mmap((void *)MOD_AREA, size + 2 * PAGE_SIZE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	FUZZ_CHECK(p == (void *)MOD_AREA);
	FUZZ_CHECK(!mprotect(p + PAGE_SIZE, size, PROT_READ | PROT_WRITE));
	mod_base = p + PAGE_SIZE;
	mod_size = size;
	return mod_base;
}

static void mod_free(void)
{
	if (mod_base)
		FUZZ_CHECK(!munmap(mod_base - PAGE_SIZE, mod_size + 2 * PAGE_SIZE));
	mod_base = NULL;
}

static void *h_scratch(struct load_info *info, size_t size)
{
	if (flags & F_NO_SCRATCH)
		return NULL;
	return calloc(1, size ? size : 1);
}

static bool h_name_taken(struct load_info *info, const char *name)
{
	return (flags & F_NAME_TAKEN) || !strcmp(name, "taken");
}

static unsigned long hash(const char *s)
{
	unsigned long h = 5381;

	while (*s)
		h = h * 33 + (u8)*s++;
	return h;
}

static int h_lookup(struct load_info *info, const char *name, unsigned long *value, bool *gpl,
		    struct module **owner)
{
	bool from_module = mod_base && (const u8 *)name >= mod_base &&
			   (const u8 *)name < mod_base + mod_size;
	unsigned long h = hash(name);

	*owner = NULL;
	*gpl = false;
	/* An export check (the name lies in module memory): is it taken? */
	if (from_module && !(flags & F_EXPORT_CLASH) && strcmp(name, "nr_free_pages"))
		return -ENOENT;
	/* The kernel exports neither: a module without them has them weak and 0. */
	if (strstr(name, "no_such") || !strcmp(name, "init_module") ||
	    !strcmp(name, "cleanup_module"))
		return -ENOENT;
	*gpl = strstr(name, "gpl") || !strcmp(name, "bus_find");
	if (!strncmp(name, "modtest_", 8))
		*owner = &fake_mods[h % ARRAY_SIZE(fake_mods)];
	if (flags & F_FAR_SYMBOLS)
		*value = 0xffffffff80000000UL + (h & 0xffffff);
	else
		*value = (unsigned long)info->base + (h % (1UL << 20));
	return 0;
}

static const struct module_elf_ops ops = {
	.vermagic = vermagic,
	.alloc = h_alloc,
	.scratch_alloc = h_scratch,
	.name_taken = h_name_taken,
	.lookup = h_lookup,
};

static bool inside(const void *p, size_t len)
{
	const u8 *b = p;

	return b >= mod_base && b <= mod_base + mod_size && len <= (size_t)(mod_base + mod_size - b);
}

/* A NUL-terminated string entirely in module memory. */
static bool str_inside(const char *s)
{
	return inside(s, 1) && memchr(s, 0, (size_t)(mod_base + mod_size - (const u8 *)s));
}

static bool in_text(const struct module *m, unsigned long p)
{
	return p >= (unsigned long)m->base && p < (unsigned long)m->base + m->text_size;
}

static void check_loaded(const struct load_info *info)
{
	const struct module *m = info->mod;

	FUZZ_CHECK(inside(m, sizeof(*m)));
	FUZZ_CHECK(m->base == mod_base && m->size == mod_size);
	FUZZ_CHECK(!(m->text_size % PAGE_SIZE) && !(m->ro_size % PAGE_SIZE));
	FUZZ_CHECK(m->text_size + m->ro_size < m->size);
	FUZZ_CHECK(memchr(m->name, 0, MODULE_NAME_LEN) && !strcmp(m->name, info->name));
	FUZZ_CHECK(!m->init || in_text(m, (unsigned long)m->init));
	FUZZ_CHECK(!m->exit || in_text(m, (unsigned long)m->exit));
	FUZZ_CHECK(m->nr_deps <= MODULE_MAX_DEPS && m->state == MODULE_STATE_UNFORMED);
	for (unsigned int pass = 0; pass < 2; pass++) {
		const struct kernel_symbol *ks = pass ? m->gpl_syms : m->syms;
		unsigned int n = pass ? m->nr_gpl_syms : m->nr_syms;

		FUZZ_CHECK(!n || inside(ks, n * sizeof(*ks)));
		for (unsigned int i = 0; i < n; i++)
			FUZZ_CHECK(str_inside(ks[i].name) && inside((void *)ks[i].value, 1));
	}
	FUZZ_CHECK(inside(m->symtab, m->nr_symtab * sizeof(Elf64_Sym)));
	FUZZ_CHECK(inside(m->strtab, info->strtab_size));
	if (m->pci_ids && !inside(m->pci_ids, (m->nr_device_ids + 1) * sizeof(struct pci_device_id)))
		fprintf(stderr, "pci_ids %p (%u entries) outside module %p + %#zx\n", m->pci_ids,
			m->nr_device_ids, m->base, m->size);
	FUZZ_CHECK(!m->pci_ids ||
		   inside(m->pci_ids, (m->nr_device_ids + 1) * sizeof(struct pci_device_id)));
	FUZZ_CHECK(inside(m->modinfo, m->modinfo_size));
	FUZZ_CHECK(str_inside(m->vermagic) && !strcmp(m->vermagic, vermagic));
	FUZZ_CHECK(!m->license || str_inside(m->license));
	FUZZ_CHECK(!m->description || str_inside(m->description));
	/* Every allocated section was placed inside module memory. */
	for (unsigned int i = 1; i < info->shnum; i++)
		if (info->sh[i].sh_flags & SHF_ALLOC)
			FUZZ_CHECK(inside((void *)info->secaddr[i], info->sh[i].sh_size));
}

/* The vermagic=... string of the image's .modinfo (anywhere: a plain search). */
static void own_vermagic(const u8 *img, size_t len)
{
	static const char key[] = "vermagic=";
	const u8 *p = len >= sizeof(key) ? memmem(img, len, key, sizeof(key) - 1) : NULL;
	size_t i = 0;

	if (p)
		for (p += sizeof(key) - 1; p < img + len && *p && i + 1 < sizeof(vermagic); p++)
			vermagic[i++] = (char)*p;
	vermagic[i] = 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet_unless_verbose();
	hosted_printk_hook = count_message;
	for (unsigned int i = 0; i < ARRAY_SIZE(fake_mods); i++) {
		snprintf(fake_mods[i].name, sizeof(fake_mods[i].name), "fake%u", i);
		fake_mods[i].state = MODULE_STATE_LIVE;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct load_info info = { .ops = &ops, .label = "(unnamed .ko)" };
	size_t len = size ? size - 1 : 0;
	u8 *img;
	int ret;

	flags = size ? data[0] : 0;
	img = malloc(len ? len : 1);	/* malloc: 16-byte aligned, as the loader needs */
	FUZZ_CHECK(img);
	memcpy(img, data + 1, len);
	if (flags & F_OWN_VERMAGIC)
		own_vermagic(img, len);
	else
		strcpy(vermagic, "0.1.0 cfg:fuzz");
	info.img = img;
	info.len = len;
	info.hdr = (const Elf64_Ehdr *)img;
	mod_base = NULL;
	mod_size = 0;
	messages = 0;

	ret = module_elf_load(&info);
	FUZZ_CHECK(ret == 0 || ret == -ENOEXEC || ret == -EINVAL || ret == -EEXIST ||
		   ret == -ENOENT || ret == -EPERM || ret == -ERANGE || ret == -E2BIG ||
		   ret == -ENOMEM);
	FUZZ_CHECK(!memcmp(img, data + 1, len));	/* the image is never written */
	if (ret)
		FUZZ_CHECK(messages >= 1);
	else
		check_loaded(&info);
	FUZZ_CHECK(info.nr_deps <= MODULE_MAX_DEPS);
	for (unsigned int i = 0; i < info.nr_deps; i++)
		atomic_dec(&info.deps[i]->refcnt);
	for (unsigned int i = 0; i < ARRAY_SIZE(fake_mods); i++)
		FUZZ_CHECK(atomic_read(&fake_mods[i].refcnt) == 0);
	FUZZ_CHECK(info.base == mod_base);
	mod_free();
	free(info.scratch);
	free(img);
	return 0;
}
