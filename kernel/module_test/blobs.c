// SPDX-License-Identifier: GPL-2.0
/*
 * The loader test modules, embedded in the kernel image so the tests need
 * no boot loader support: the modules built from C (test-m) and the
 * malformed ones scripts/gen-bad-modules.py derives from modtest_a.ko.
 * MODTEST_DIR (the build directory) comes from the Makefile.
 */
#include <exo/compiler.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/module.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include "../module-internal.h"

#define BLOB(sym, file)							\
	asm(".pushsection .rodata.modtest, \"a\"\n"			\
	    ".balign 8\n"						\
	    #sym "_start:\n"						\
	    ".incbin \"" MODTEST_DIR "/" file "\"\n"			\
	    #sym "_end:\n"						\
	    ".popsection");						\
	extern const u8 sym##_start[], sym##_end[]

#define MODTEST_BLOBS(X)						\
	X(modtest_a) X(modtest_b) X(bad_unknown) X(bad_nolicense)	\
	X(bad_proprietary) X(bad_init) X(bad_dupexport) X(modtest_leak)	\
	X(modtest_inert) X(modtest_param) X(modtest_oops) X(modtest_jump) \
	X(modtest_initref)						\
	X(elf_notelf) X(elf_class32) X(elf_type) X(elf_machine)		\
	X(elf_truncated) X(elf_shtab_past_end) X(elf_section_past_end)	\
	X(elf_overlap) X(elf_shstrndx) X(elf_rel) X(elf_reloc_offset)	\
	X(elf_reloc_overflow) X(elf_reloc_type) X(elf_reloc_sym)	\
	X(elf_vermagic) X(elf_no_this_module) X(elf_badalign)

#define DEFINE_BLOB(n)	BLOB(n, #n ".ko");
MODTEST_BLOBS(DEFINE_BLOB)

#define BLOB_ENTRY(n)	{ #n, n##_start, n##_end },
const struct modtest_blob modtest_blobs[] = { MODTEST_BLOBS(BLOB_ENTRY) };
const unsigned long modtest_nr_blobs = ARRAY_SIZE(modtest_blobs);

const struct modtest_blob *modtest_blob(const char *name)
{
	for (unsigned long i = 0; i < ARRAY_SIZE(modtest_blobs); i++)
		if (!strcmp(modtest_blobs[i].name, name))
			return &modtest_blobs[i];
	return NULL;
}

void modtest_take_baseline(struct modtest_baseline *b)
{
	b->pages = ktest_settled_free_pages();
	b->kmalloc_objs = kmalloc_usage(NULL);
	b->mod_bytes = module_bytes_allocated();
	b->nr_mods = module_nr_loaded();
}

size_t modtest_cpio_add(u8 *a, size_t off, const char *name, const void *data, u32 size)
{
	u32 nsize = strlen(name) + 1;

	off += snprintf((char *)a + off, 111, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
			1, data ? 0100644 : 0, 0, 0, 1, 0, size, 0, 0, 0, 0, nsize, 0);
	memcpy(a + off, name, nsize);
	off = ALIGN(off + nsize, 4);
	if (data)
		memcpy(a + off, data, size);
	return ALIGN(off + size, 4);
}
