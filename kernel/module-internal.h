/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the module loader needs from the VM code.  The VM engineer's
 * include/exo/vmalloc.h declares the same four functions with these exact
 * signatures; kernel/module.c has __weak placeholders until it is merged.
 */
#ifndef _KERNEL_MODULE_INTERNAL_H
#define _KERNEL_MODULE_INTERNAL_H

#include <exo/types.h>

/* Memory within 2 GiB of the kernel image (PC32/PLT32 reach), page aligned. */
void *module_alloc(size_t size);
void module_memfree(void *addr);
int set_memory_ro(unsigned long addr, unsigned int numpages);
int set_memory_rw(unsigned long addr, unsigned int numpages);
int set_memory_x(unsigned long addr, unsigned int numpages);
int set_memory_nx(unsigned long addr, unsigned int numpages);

/* Bytes the loader currently holds from module_alloc() (tests: leaks). */
size_t module_bytes_allocated(void);

/*
 * module_archive_find() - the .ko named @name ("foo" or "dir/foo.ko") in a
 * newc cpio archive.  Return: 1 found (@data, @size set), 0 not there,
 * -ENOEXEC malformed archive (logged).
 */
int module_archive_find(const void *archive, size_t len, const char *name,
			const void **data, size_t *size);

/* Module test blobs embedded in the kernel (kernel/module_test/blobs.S). */
struct modtest_blob {
	const char *name;
	const u8 *start;
	const u8 *end;
};
extern const struct modtest_blob modtest_blobs[];
extern const unsigned long modtest_nr_blobs;

#endif /* _KERNEL_MODULE_INTERNAL_H */
