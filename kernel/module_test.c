// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the module loader with the modules embedded by
 * kernel/module_test/blobs.c: load, use and unload (also 100 times), a
 * dependency between two modules with its reference count, every
 * malformed or hostile module refused with nothing left allocated, and a
 * real driver module (edu.ko from the boot modules) binding its device
 * when it loads.  "Nothing left" means: free frames, module memory and
 * the number of loaded modules all back at their values before the case.
 * The cases of references against unload are kernel/module_ref_test.c.
 */
#include <exo/device.h>
#include <exo/elf.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/kallsyms.h>
#include <exo/ktest.h>
#include <exo/kthread.h>
#include <exo/module.h>
#include <exo/page_alloc.h>
#include <exo/pci.h>
#include <exo/platform.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/trace.h>

#include <asm/processor.h>

#include "module-internal.h"
#include "module_test.h"
#include "module_test/modtest.h"

static void test_load_use_unload(struct ktest *t)
{
	struct modtest_baseline base;
	int (*selftest)(void), (*add)(int, int);
	struct module *mod = NULL;

	modtest_take_baseline(&base);
	KTEST_ASSERT_EQ(t, load_blob(t, "modtest_a", &mod), 0);
	KTEST_ASSERT_NOT_NULL(t, mod);
	KTEST_EXPECT_TRUE(t, find_module("modtest_a") == mod);
	KTEST_EXPECT_EQ(t, strcmp(mod->license, "GPL"), 0);
	KTEST_EXPECT_TRUE(t, mod->gpl_ok);
	KTEST_EXPECT_EQ(t, mod->nr_syms, 2u);		/* add, selftest */
	KTEST_EXPECT_EQ(t, mod->nr_gpl_syms, 1u);
	KTEST_EXPECT_EQ(t, module_refcount(mod), 0);
	/* Module memory: page-aligned regions within 2 GiB of the kernel. */
	KTEST_EXPECT_EQ(t, (unsigned long)mod->base % PAGE_SIZE, 0ul);
	KTEST_EXPECT_GE(t, (unsigned long)mod->base, 0xffffffff80000000ul);
	KTEST_EXPECT_GT(t, mod->text_size, 0ul);
	KTEST_EXPECT_LT(t, nr_free_pages(), base.pages);	/* init's page */

	selftest = (void *)find_exported_symbol("modtest_a_selftest");
	add = (void *)find_exported_symbol("modtest_a_add");
	KTEST_ASSERT_NOT_NULL(t, selftest);
	KTEST_ASSERT_NOT_NULL(t, add);
	KTEST_EXPECT_EQ(t, selftest(), 0);
	KTEST_EXPECT_EQ(t, add(40, 2), 42);
	/* Backtraces name module functions, and their module, as Linux does. */
	{
		char buf[KSYM_SYMBOL_LEN];

		snprintf(buf, sizeof(buf), "%pS", (void *)((unsigned long)add + 1));
		KTEST_EXPECT_EQ(t, strcmp(buf, "modtest_a_add+0x1 [modtest_a]"), 0);
		KTEST_EXPECT_EQ(t, sprint_symbol(buf, (unsigned long)add + 1), (int)strlen(buf));
		KTEST_EXPECT_EQ(t, strcmp(buf, "modtest_a_add+0x1 [modtest_a]"), 0);
		sprint_symbol(buf, (unsigned long)kallsyms_lookup);
		KTEST_EXPECT_EQ(t, strcmp(buf, "kallsyms_lookup+0x0"), 0);
		/* The section addresses a debugger places the .ko with. */
		KTEST_EXPECT_GT(t, mod->nr_sects, 1u);
		KTEST_EXPECT_NOT_NULL(t, mod->sect_addrs);
	}

	KTEST_EXPECT_EQ(t, load_blob(t, "modtest_a", NULL), -EEXIST);
	KTEST_EXPECT_EQ(t, unload_module("modtest_a"), 0);
	KTEST_EXPECT_NULL(t, find_module("modtest_a"));
	KTEST_EXPECT_EQ(t, find_exported_symbol("modtest_a_add"), 0ul);
	KTEST_EXPECT_EQ(t, unload_module("modtest_a"), -ENOENT);
	MODTEST_EXPECT_BASELINE(t, &base);
}

/* module:module_load and module:module_free name the module. */
static void test_module_trace_events(struct ktest *t)
{
	char line[TRACE_KTEST_LINE_MAX];

	if (!IS_ENABLED(CONFIG_TRACEPOINTS))
		KTEST_SKIP(t, "CONFIG_TRACEPOINTS=n");
	trace_clear();
	KTEST_ASSERT_EQ(t, trace_set_event("module", true), 2);
	KTEST_EXPECT_EQ(t, load_blob(t, "modtest_a", NULL), 0);
	KTEST_EXPECT_EQ(t, unload_module("modtest_a"), 0);
	trace_disable_all();
	KTEST_EXPECT_EQ(t, trace_ktest_grep(line, sizeof(line), " module_load: modtest_a"), 1);
	KTEST_EXPECT_EQ(t, trace_ktest_grep(line, sizeof(line), " module_free: modtest_a"), 1);
	trace_clear();
}

extern char _end[];

/*
 * Least privilege: text and rodata read-only.  Only checkable once the VM
 * code's module_alloc()/set_memory_*() replace the placeholders (the
 * placeholder arena lives in the kernel image, mapped RWX): then this case
 * runs by itself.
 */
static void test_module_permissions(struct ktest *t)
{
	struct module *mod = NULL;
	unsigned long base;
	bool placeholder;

	KTEST_ASSERT_EQ(t, load_blob(t, "modtest_a", &mod), 0);
	base = (unsigned long)mod->base;
	placeholder = base < (unsigned long)_end;
	if (!placeholder) {
		/* Last byte of each region: padding, should the write land. */
		KTEST_EXPECT_FAULT_WRITE(t, base + mod->text_size - 1);
		KTEST_EXPECT_FAULT_WRITE(t, base + mod->text_size + mod->ro_size - 1);
		KTEST_EXPECT_NO_FAULT_READ(t, base + mod->text_size);
		KTEST_EXPECT_NO_FAULT_READ(t, base + mod->text_size + mod->ro_size);
	}
	KTEST_EXPECT_EQ(t, unload_module("modtest_a"), 0);
	if (placeholder)
		KTEST_SKIP(t, "module_alloc() placeholder in the kernel image: permissions not enforced yet");
}

static void test_dependency(struct ktest *t)
{
	struct module *a = NULL, *b = NULL;
	struct modtest_baseline base;
	int (*twice)(int);

	modtest_take_baseline(&base);
	/* B alone: A's exports are missing. */
	KTEST_EXPECT_EQ(t, load_blob(t, "modtest_b", NULL), -ENOENT);
	MODTEST_EXPECT_BASELINE(t, &base);

	KTEST_ASSERT_EQ(t, load_blob(t, "modtest_a", &a), 0);
	KTEST_ASSERT_EQ(t, load_blob(t, "modtest_b", &b), 0);
	KTEST_EXPECT_EQ(t, module_refcount(a), 1);
	KTEST_EXPECT_EQ(t, b->nr_deps, 1u);
	KTEST_EXPECT_TRUE(t, b->deps[0] == a);
	twice = (void *)find_exported_symbol("modtest_b_twice");
	KTEST_ASSERT_NOT_NULL(t, twice);
	KTEST_EXPECT_EQ(t, twice(21), 42);
	/* A is pinned while B uses it. */
	KTEST_EXPECT_EQ(t, unload_module("modtest_a"), -EBUSY);
	KTEST_EXPECT_TRUE(t, find_module("modtest_a") == a);
	KTEST_EXPECT_EQ(t, unload_module("modtest_b"), 0);
	KTEST_EXPECT_EQ(t, module_refcount(a), 0);
	KTEST_EXPECT_EQ(t, unload_module("modtest_a"), 0);
	MODTEST_EXPECT_BASELINE(t, &base);
}

static void test_load_unload_100(struct ktest *t)
{
	struct modtest_baseline base;
	int failures = 0;

	modtest_take_baseline(&base);
	for (int i = 0; i < 100 && !failures; i++) {
		int (*twice)(int);

		failures += load_blob(t, "modtest_a", NULL) != 0;
		failures += load_blob(t, "modtest_b", NULL) != 0;
		twice = (void *)find_exported_symbol("modtest_b_twice");
		failures += !twice || twice(i) != 2 * i;
		failures += unload_module("modtest_b") != 0;
		failures += unload_module("modtest_a") != 0;
	}
	KTEST_EXPECT_EQ(t, failures, 0);
	MODTEST_EXPECT_BASELINE(t, &base);
}

static const struct {
	const char *name;
	int err;
} bad_modules[] = {
	{ "elf_notelf", -ENOEXEC },
	{ "elf_class32", -ENOEXEC },
	{ "elf_type", -ENOEXEC },
	{ "elf_machine", -ENOEXEC },
	{ "elf_truncated", -ENOEXEC },
	{ "elf_shtab_past_end", -ENOEXEC },
	{ "elf_section_past_end", -ENOEXEC },
	{ "elf_overlap", -ENOEXEC },
	{ "elf_shstrndx", -ENOEXEC },
	{ "elf_rel", -ENOEXEC },
	{ "elf_reloc_offset", -ENOEXEC },
	{ "elf_reloc_overflow", -ERANGE },
	{ "elf_reloc_type", -ENOEXEC },
	{ "elf_reloc_sym", -ENOEXEC },
	{ "elf_vermagic", -EINVAL },
	{ "elf_no_this_module", -EINVAL },
	{ "elf_badalign", -ENOEXEC },
	{ "bad_unknown", -ENOENT },
	{ "bad_nolicense", -EPERM },
	{ "bad_proprietary", -EPERM },
	{ "bad_init", -EIO },
	{ "bad_dupexport", -EEXIST },
};

static void test_bad_modules_refused(struct ktest *t)
{
	struct modtest_baseline base;

	modtest_take_baseline(&base);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad_modules); i++) {
		int ret = load_blob(t, bad_modules[i].name, NULL);

		if (ret != bad_modules[i].err)
			ktest_log(t, "%s: got %d, want %d", bad_modules[i].name, ret,
				  bad_modules[i].err);
		KTEST_EXPECT_EQ(t, ret, bad_modules[i].err);
		MODTEST_EXPECT_BASELINE(t, &base);
	}
	/* Tiny and absurd inputs. */
	KTEST_EXPECT_EQ(t, load_module(blob("modtest_a")->start, 10, NULL), -ENOEXEC);
	KTEST_EXPECT_EQ(t, load_module(NULL, 100, NULL), -EINVAL);
	MODTEST_EXPECT_BASELINE(t, &base);
}

/* A refused dependent leaves its would-be dependency's count alone. */
static void test_refused_module_drops_refs(struct ktest *t)
{
	struct module *a = NULL;
	struct modtest_baseline base;

	modtest_take_baseline(&base);
	KTEST_ASSERT_EQ(t, load_blob(t, "modtest_a", &a), 0);
	/* Unaligned copy of B: exercises the loader's copy path too. */
	{
		const struct modtest_blob *b = blob("modtest_b");
		size_t len = b->end - b->start;
		unsigned int order = order_base_2(DIV_ROUND_UP(len + 4, PAGE_SIZE));
		u8 *buf = (u8 *)__get_free_pages(GFP_KERNEL, order);

		KTEST_ASSERT_NOT_NULL(t, buf);
		memcpy(buf + 4, b->start, len);
		KTEST_EXPECT_EQ(t, load_module(buf + 4, len - 100, NULL), -ENOEXEC);
		KTEST_EXPECT_EQ(t, module_refcount(a), 0);
		KTEST_EXPECT_EQ(t, load_module(buf + 4, len, NULL), 0);
		KTEST_EXPECT_EQ(t, module_refcount(a), 1);
		KTEST_EXPECT_EQ(t, unload_module("modtest_b"), 0);
		free_pages((unsigned long)buf, order);
	}
	KTEST_EXPECT_EQ(t, module_refcount(a), 0);
	KTEST_EXPECT_EQ(t, unload_module("modtest_a"), 0);
	MODTEST_EXPECT_BASELINE(t, &base);
}

/*
 * Fuzzing: 1000 copies of modtest_inert.ko (no init, no exit: no module
 * code ever runs), each with 1-4 random bytes changed, 3 in 5 of them in
 * the ELF header, the section table, the symbol table or a relocation
 * table.  Each load must fail cleanly or
 * succeed and unload; nothing may crash and nothing may stay allocated.
 * The seed is fixed, so a failure is reproducible.
 */
#define FUZZ_ROUNDS	1000

static u64 fuzz_rnd(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* An offset inside the symbol table or a relocation table of @eh. */
static size_t meta_offset(const Elf64_Ehdr *eh, u64 r, size_t len)
{
	const Elf64_Shdr *sh = (const void *)((const u8 *)eh + eh->e_shoff);
	unsigned int n = 0, pick;

	for (unsigned int i = 0; i < eh->e_shnum; i++)
		n += sh[i].sh_type == SHT_SYMTAB || sh[i].sh_type == SHT_RELA;
	pick = r % n;
	for (unsigned int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB && sh[i].sh_type != SHT_RELA)
			continue;
		if (!pick--)
			return sh[i].sh_offset + (r >> 16) % sh[i].sh_size;
	}
	return r % len;
}

static void test_fuzz_loader(struct ktest *t)
{
	const struct modtest_blob *b = blob("modtest_inert");
	size_t len = b->end - b->start;
	unsigned int order = order_base_2(DIV_ROUND_UP(len, PAGE_SIZE));
	const Elf64_Ehdr *eh = (const void *)b->start;
	u64 seed = 0x9e3779b97f4a7c15ULL;
	unsigned int loaded = 0, refused = 0;
	struct modtest_baseline base;
	int saved_loglevel;
	u8 *buf;

	buf = (u8 *)__get_free_pages(GFP_KERNEL, order);
	KTEST_ASSERT_NOT_NULL(t, buf);
	/* The clean file loads (a sanity check of the target itself). */
	KTEST_ASSERT_EQ(t, load_module(b->start, len, NULL), 0);
	KTEST_ASSERT_EQ(t, unload_module("modtest_inert"), 0);
	modtest_take_baseline(&base);
	/* 500+ one-line refusals: keep them in dmesg, off the console. */
	saved_loglevel = console_loglevel;
	console_loglevel = LOGLEVEL_ERR;
	for (int round = 0; round < FUZZ_ROUNDS; round++) {
		unsigned int n = 1 + fuzz_rnd(&seed) % 4;
		struct module *mod = NULL;
		char name[MODULE_NAME_LEN];
		int ret;

		memcpy(buf, b->start, len);
		for (unsigned int i = 0; i < n; i++) {
			u64 r = fuzz_rnd(&seed);
			size_t off;

			switch (r % 5) {
			case 0:
				off = (r >> 8) % sizeof(Elf64_Ehdr);
				break;
			case 1:
				off = eh->e_shoff + (r >> 8) % (eh->e_shnum * sizeof(Elf64_Shdr));
				break;
			case 2:
				off = meta_offset(eh, r >> 8, len);
				break;
			default:
				off = (r >> 8) % len;
			}
			if (r & (1ULL << 60))
				buf[off] ^= 1u << ((r >> 40) & 7);
			else
				buf[off] = r >> 48;
		}
		ret = load_module(buf, len, &mod);
		if (ret) {
			refused++;
			continue;
		}
		loaded++;
		strlcpy(name, mod->name, sizeof(name));
		KTEST_EXPECT_EQ(t, unload_module(name), 0);
	}
	console_loglevel = saved_loglevel;
	ktest_log(t, "%u mutated modules refused, %u loaded and unloaded", refused, loaded);
	KTEST_EXPECT_GT(t, refused, FUZZ_ROUNDS / 4u);
	MODTEST_EXPECT_BASELINE(t, &base);
	free_pages((unsigned long)buf, order);
}

/* Append a newc entry (mode 0100644 for files, 0 for the trailer). */

static void test_boot_archive(struct ktest *t)
{
	const struct modtest_blob *ma = blob("modtest_a"), *mb = blob("modtest_b");
	size_t la = ma->end - ma->start, lb = mb->end - mb->start, len, size;
	unsigned int order = order_base_2(DIV_ROUND_UP(la + lb + 1024, PAGE_SIZE));
	u8 *a = (u8 *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, order);
	struct modtest_baseline base;
	const void *data;

	KTEST_ASSERT_NOT_NULL(t, a);
	len = modtest_cpio_add(a, 0, "modtest_a.ko", ma->start, la);
	len = modtest_cpio_add(a, len, "sub/modtest_b.ko", mb->start, lb);
	len = modtest_cpio_add(a, len, "TRAILER!!!", NULL, 0);
	KTEST_EXPECT_EQ(t, module_archive_find(a, len, "modtest_b", &data, &size), 1);
	KTEST_EXPECT_EQ(t, size, lb);
	KTEST_EXPECT_EQ(t, memcmp(data, mb->start, lb), 0);
	KTEST_EXPECT_EQ(t, module_archive_find(a, len, "modtest_a", &data, &size), 1);
	KTEST_EXPECT_EQ(t, module_archive_find(a, len, "modtest", &data, &size), 0);
	KTEST_EXPECT_EQ(t, module_archive_find(a, len, "edu", &data, &size), 0);
	/* From the archive, as at boot: A, then B which needs it. */
	modtest_take_baseline(&base);
	KTEST_ASSERT_EQ(t, module_archive_find(a, len, "modtest_a", &data, &size), 1);
	KTEST_EXPECT_EQ(t, load_module(data, size, NULL), 0);
	KTEST_ASSERT_EQ(t, module_archive_find(a, len, "modtest_b", &data, &size), 1);
	KTEST_EXPECT_EQ(t, load_module(data, size, NULL), 0);	/* 4-byte aligned: copied */
	KTEST_EXPECT_EQ(t, unload_module("modtest_b"), 0);
	KTEST_EXPECT_EQ(t, unload_module("modtest_a"), 0);
	MODTEST_EXPECT_BASELINE(t, &base);
	/* Malformed archives are refused, never walked past their end. */
	KTEST_EXPECT_EQ(t, module_archive_find(a, len - 200, "nothere", &data, &size), -ENOEXEC);
	KTEST_EXPECT_EQ(t, module_archive_find(a, 100, "modtest_a", &data, &size), -ENOEXEC);
	a[len - ALIGN(110 + sizeof("TRAILER!!!"), 4) + 14] = 'Q';	/* trailer mode: not hex */
	KTEST_EXPECT_EQ(t, module_archive_find(a, len, "nothere", &data, &size), -ENOEXEC);
	a[0] = '1';
	KTEST_EXPECT_EQ(t, module_archive_find(a, len, "modtest_a", &data, &size), -ENOEXEC);
	free_pages((unsigned long)a, order);
}

static void test_leaked_driver_removed(struct ktest *t)
{
	struct module *mod = NULL;
	struct modtest_baseline base;
	struct device_driver *drv;

	modtest_take_baseline(&base);
	KTEST_ASSERT_EQ(t, load_blob(t, "modtest_leak", &mod), 0);
	drv = bus_find_driver(&platform_bus_type, "kt-leaked-driver");
	KTEST_ASSERT_NOT_NULL(t, drv);
	KTEST_EXPECT_TRUE(t, drv->owner == mod);
	KTEST_EXPECT_EQ(t, unload_module("modtest_leak"), 0);
	KTEST_EXPECT_NULL(t, bus_find_driver(&platform_bus_type, "kt-leaked-driver"));
	MODTEST_EXPECT_BASELINE(t, &base);
}

/* edu.ko from the boot modules: unloading unbinds, loading binds again. */
static void test_driver_module_binds(struct ktest *t)
{
	struct pci_dev *edu;
	const void *img;
	size_t len;

	if (!IS_MODULE(CONFIG_PCI_EDU))
		KTEST_SKIP(t, "the edu driver is not a module in this configuration");
	edu = pci_get_device(0x1234, 0x11e8, NULL);
	if (!edu)
		KTEST_SKIP(t, "no edu device (QEMU -device edu)");
	img = boot_module_find("edu", &len);
	if (!img) {
		put_device(&edu->dev);
		KTEST_SKIP(t, "edu.ko is not among the boot modules");
	}
	if (!find_module("edu")) {
		put_device(&edu->dev);
		KTEST_ASSERT_NOT_NULL(t, find_module("edu"));	/* loaded at boot: see the log */
	}
	KTEST_EXPECT_NOT_NULL(t, edu->dev.driver);
	KTEST_EXPECT_EQ(t, find_module("edu")->nr_device_ids, 1u);
	KTEST_EXPECT_EQ(t, unload_module("edu"), 0);
	KTEST_EXPECT_NULL(t, edu->dev.driver);
	KTEST_EXPECT_NULL(t, bus_find_driver(&pci_bus_type, "edu"));
	KTEST_EXPECT_EQ(t, load_module(img, len, NULL), 0);
	KTEST_EXPECT_NOT_NULL(t, edu->dev.driver);
	if (edu->dev.driver)
		KTEST_EXPECT_EQ(t, strcmp(edu->dev.driver->name, "edu"), 0);
	put_device(&edu->dev);
}

/* A writable copy of a module image, for the tests that patch one. */
struct image_copy {
	u8 *buf;
	size_t len;
	unsigned int order;
	Elf64_Ehdr *eh;
	Elf64_Shdr *sh;
};

static bool image_copy(struct image_copy *c, const void *img, size_t len)
{
	c->len = len;
	c->order = order_base_2(DIV_ROUND_UP(len, PAGE_SIZE));
	c->buf = (u8 *)__get_free_pages(GFP_KERNEL, c->order);
	if (!c->buf)
		return false;
	memcpy(c->buf, img, len);
	c->eh = (Elf64_Ehdr *)c->buf;
	c->sh = (Elf64_Shdr *)(c->buf + c->eh->e_shoff);
	return true;
}

static void image_free(struct image_copy *c)
{
	free_pages((unsigned long)c->buf, c->order);
}

/* Index of @c's section named @name, or -1. */
static int image_section(const struct image_copy *c, const char *name)
{
	const char *names = (const char *)c->buf + c->sh[c->eh->e_shstrndx].sh_offset;

	for (unsigned int i = 1; i < c->eh->e_shnum; i++)
		if (!strcmp(names + c->sh[i].sh_name, name))
			return (int)i;
	return -1;
}

/*
 * Found by the module fuzzer (tests/fuzz/corpus/module/regress-misaligned-pci-table):
 * a device table symbol whose value is not 8-byte aligned was read as a
 * struct pci_device_id array (undefined behaviour; UBSan in the hosted
 * fuzzer).  Such a table is now ignored, with a log line.
 */
static void test_misaligned_device_table(struct ktest *t)
{
	struct module *mod = NULL;
	struct image_copy c;
	const void *img;
	size_t len;
	bool patched = false;

	if (!IS_MODULE(CONFIG_PCI_EDU))
		KTEST_SKIP(t, "the edu driver is not a module in this configuration");
	img = boot_module_find("edu", &len);
	if (!img || !find_module("edu"))
		KTEST_SKIP(t, "edu.ko is not among the loaded boot modules");
	KTEST_ASSERT_TRUE(t, image_copy(&c, img, len));
	for (unsigned int i = 1; i < c.eh->e_shnum; i++) {
		const Elf64_Shdr *sh = c.sh;
		Elf64_Sym *sym = (Elf64_Sym *)(c.buf + sh[i].sh_offset);
		const char *str = (const char *)c.buf + sh[sh[i].sh_link].sh_offset;

		if (sh[i].sh_type != SHT_SYMTAB)
			continue;
		for (size_t k = 0; k < sh[i].sh_size / sizeof(*sym); k++)
			if (!strcmp(str + sym[k].st_name, "__mod_pci__device_table")) {
				sym[k].st_value += 4;
				patched = true;
			}
	}
	KTEST_EXPECT_TRUE(t, patched);
	KTEST_ASSERT_EQ(t, unload_module("edu"), 0);
	KTEST_EXPECT_EQ(t, load_module(c.buf, len, &mod), 0);
	if (mod) {
		KTEST_EXPECT_NULL(t, mod->pci_ids);
		KTEST_EXPECT_EQ(t, mod->nr_device_ids, 0u);
		KTEST_EXPECT_EQ(t, unload_module("edu"), 0);
	}
	image_free(&c);
	/* Leave the real driver loaded, as the boot did. */
	KTEST_EXPECT_EQ(t, load_module(img, len, NULL), 0);
	KTEST_EXPECT_EQ(t, find_module("edu")->nr_device_ids, 1u);
}

/*
 * Every online CPU loads, uses and unloads modtest_a concurrently.  Only
 * the thread whose load succeeded unloads, and no other load can succeed
 * while that one is loaded (-EEXIST), so nobody unloads a module another
 * thread is using: any other result is an error.
 */
#define SMP_LOADS	50

/*
 * Loads per CPU: SMP_LOADS up to 8 CPUs, then about 400 in all.  Every
 * load and unload changes kernel mappings, i.e. a TLB shootdown that waits
 * for every online CPU, and TCG runs the vCPUs on the host's few cores.
 */
static int smp_loads(void)
{
	unsigned int n = num_online_cpus();

	return n <= 8 ? SMP_LOADS : max(4, 400 / (int)n);
}

static int smp_loader(void *arg)
{
	const struct modtest_blob *b = blob("modtest_a");
	int *loaded = arg, errors = 0, loads = smp_loads();

	for (int i = 0; i < loads; i++) {
		int (*selftest)(void);
		int ret = load_module(b->start, b->end - b->start, NULL);

		if (ret == -EEXIST)
			continue;
		if (ret) {
			errors++;
			continue;
		}
		(*loaded)++;
		selftest = (void *)find_exported_symbol("modtest_a_selftest");
		errors += !selftest || selftest() != 0;
		errors += unload_module("modtest_a") != 0;
	}
	return errors;
}

static void test_smp_load_unload(struct ktest *t)
{
	struct task_struct *k[NR_CPUS];
	int loaded[NR_CPUS] = { 0 }, total = 0, saved_loglevel;
	struct modtest_baseline base;
	unsigned int cpu;

	modtest_take_baseline(&base);
	/* Most loads lose the race (-EEXIST, one line each): keep them off the console. */
	saved_loglevel = console_loglevel;
	console_loglevel = LOGLEVEL_ERR;
	for_each_online_cpu(cpu) {
		k[cpu] = kthread_create(smp_loader, &loaded[cpu], "kt-mod%u", cpu);
		KTEST_ASSERT_NOT_NULL(t, k[cpu]);
		KTEST_EXPECT_EQ(t, kthread_bind(k[cpu], cpu), 0);
	}
	for_each_online_cpu(cpu)
		wake_up_process(k[cpu]);
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, kthread_join(k[cpu]), 0);
		total += loaded[cpu];
	}
	console_loglevel = saved_loglevel;
	/*
	 * Only "at least one" is guaranteed: the first load in time succeeds,
	 * but a thread may lose every race while others hold the module.
	 */
	ktest_log(t, "%d successful loads among %u CPUs", total, num_online_cpus());
	KTEST_EXPECT_GE(t, total, 1);
	MODTEST_EXPECT_BASELINE(t, &base);
}

/*
 * Found by the module fuzzer (tests/fuzz/corpus/module/regress-stale-pci-ids):
 * struct module is the file's .gnu.linkonce.this_module, and without a
 * device table pci_ids / nr_device_ids kept the file's bytes, which
 * "modinfo" then followed.  A module with junk there loads with both 0.
 */
static void test_this_module_junk_cleared(struct ktest *t)
{
	const struct modtest_blob *b = blob("modtest_inert");
	struct module *mod = NULL, *m;
	struct modtest_baseline base;
	struct image_copy c;
	int i;

	modtest_take_baseline(&base);
	KTEST_ASSERT_TRUE(t, image_copy(&c, b->start, b->end - b->start));
	i = image_section(&c, ".gnu.linkonce.this_module");
	KTEST_EXPECT_GT(t, i, 0);
	if (i > 0) {
		m = (struct module *)(c.buf + c.sh[i].sh_offset);
		m->pci_ids = (const void *)0xdead000000000000UL;
		m->nr_device_ids = 12345;
	}
	KTEST_EXPECT_EQ(t, load_module(c.buf, c.len, &mod), 0);
	if (mod) {
		KTEST_EXPECT_NULL(t, mod->pci_ids);
		KTEST_EXPECT_EQ(t, mod->nr_device_ids, 0u);
		KTEST_EXPECT_EQ(t, unload_module("modtest_inert"), 0);
	}
	image_free(&c);
	MODTEST_EXPECT_BASELINE(t, &base);
}

/*
 * Load a copy of modtest_inert changed by @patch (false: the section it
 * changes is missing): refused with @err, leaving nothing behind.
 */
static void expect_patch_refused(struct ktest *t, bool (*patch)(struct image_copy *c), int err)
{
	const struct modtest_blob *b = blob("modtest_inert");
	struct modtest_baseline base;
	struct image_copy c;
	bool patched;

	modtest_take_baseline(&base);
	KTEST_ASSERT_TRUE(t, image_copy(&c, b->start, b->end - b->start));
	patched = patch(&c);
	KTEST_EXPECT_TRUE(t, patched);
	if (patched)
		KTEST_EXPECT_EQ(t, load_module(c.buf, c.len, NULL), err);
	image_free(&c);
	MODTEST_EXPECT_BASELINE(t, &base);
}

/*
 * Found by the module fuzzer (tests/fuzz/corpus/module/regress-misaligned-this-module):
 * a .gnu.linkonce.this_module with sh_addralign 1 could be placed at an
 * odd address and struct module (refcnt atomics included) used there.
 * Now refused like any other unusable this_module.
 */
static bool patch_this_module_align(struct image_copy *c)
{
	int i = image_section(c, ".gnu.linkonce.this_module");

	if (i > 0)
		c->sh[i].sh_addralign = 1;
	return i > 0;
}

static void test_this_module_alignment(struct ktest *t)
{
	expect_patch_refused(t, patch_this_module_align, -EINVAL);
}

/*
 * Found by the module fuzzer (tests/fuzz/corpus/module/regress-relocated-modinfo):
 * a RELA section aimed at .modinfo rewrote the vermagic/license strings
 * after they were checked in the file (even their terminators, so that
 * "modinfo" could read past the module).  Now refused.
 */
static bool patch_relocate_modinfo(struct image_copy *c)
{
	int modinfo = image_section(c, ".modinfo");
	int rela = image_section(c, ".rela.gnu.linkonce.this_module");

	if (modinfo > 0 && rela > 0)
		c->sh[rela].sh_info = (u32)modinfo;
	return modinfo > 0 && rela > 0;
}

static void test_modinfo_relocation_refused(struct ktest *t)
{
	expect_patch_refused(t, patch_relocate_modinfo, -ENOEXEC);
}

/*
 * Found by the module fuzzer (tests/fuzz/corpus/module/regress-section0-strtab):
 * section 0 was never range-checked, but e_shstrndx (or the symbol
 * table's link) could name it, and strtab_ok() then read the image at its
 * unchecked offset.  Section 0 must be SHT_NULL now.
 */
static bool patch_section0_strtab(struct image_copy *c)
{
	c->sh[0].sh_type = SHT_STRTAB;
	c->sh[0].sh_offset = 1UL << 40;	/* far outside the image: never read */
	c->sh[0].sh_size = 16;
	c->eh->e_shstrndx = 0;
	return true;
}

static void test_section0_not_null(struct ktest *t)
{
	expect_patch_refused(t, patch_section0_strtab, -ENOEXEC);
}

static struct ktest_case module_cases[] = {
	KTEST_CASE(test_load_use_unload),
	KTEST_CASE(test_module_trace_events),
	KTEST_CASE(test_module_permissions),
	KTEST_CASE(test_dependency),
	KTEST_CASE_FLAGS(test_load_unload_100, KTEST_F_SLOW),
	KTEST_CASE(test_bad_modules_refused),
	KTEST_CASE(test_this_module_junk_cleared),
	KTEST_CASE(test_this_module_alignment),
	KTEST_CASE(test_modinfo_relocation_refused),
	KTEST_CASE(test_section0_not_null),
	KTEST_CASE(test_refused_module_drops_refs),
	KTEST_CASE(test_boot_archive),
	KTEST_CASE(test_leaked_driver_removed),
	KTEST_CASE(test_fuzz_loader),
	KTEST_CASE(test_driver_module_binds),
	KTEST_CASE(test_misaligned_device_table),
	KTEST_CASE_FLAGS(test_smp_load_unload, KTEST_F_SMP | KTEST_F_SLOW),
	KTEST_CASE(test_unload_busy_while_got),
	KTEST_CASE_FLAGS(test_try_module_get_vs_unload_smp, KTEST_F_SMP),
	KTEST_CASE(test_try_module_get_unload_in_window),
	KTEST_CASE_FLAGS(test_sprint_symbol_vs_unload_smp, KTEST_F_SMP),
	KTEST_CASE(test_unbalanced_put_refused),
	{}
};

static struct ktest_suite module_suite = {
	.name = "module",
	.cases = module_cases,
};
KTEST_SUITE(module_suite);
