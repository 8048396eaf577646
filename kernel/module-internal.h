/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the module loader shared with its tests.  Module memory
 * (module_alloc(), set_memory_*()) comes from <exo/vmalloc.h>: the module
 * area lies within 2 GiB of the kernel image, for PC32/PLT32 reach.
 */
#ifndef _KERNEL_MODULE_INTERNAL_H
#define _KERNEL_MODULE_INTERNAL_H

#include <exo/types.h>
#include <exo/vmalloc.h>

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
