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

/*
 * module_archive_find() - the .ko named @name ("foo" or "dir/foo.ko") in a
 * newc cpio archive.  Return: 1 found (@data, @size set), 0 not there,
 * -ENOEXEC malformed archive (logged).
 */
int module_archive_find(const void *archive, size_t len, const char *name,
			const void **data, size_t *size);

struct kernel_param;
struct list_head;
struct load_info;
struct module;
struct mutex;

/*
 * The loaded modules, in load order, and the mutex that serialises loads
 * and unloads and protects the list (kernel/module.c explains the
 * lockless walkers).  Shared with the shell commands (kernel/module_shell.c).
 */
extern struct list_head modules_list;
extern struct mutex module_mutex;

/*
 * __find_module() - the module named @name on modules_list, or NULL.
 * The caller holds module_mutex.
 */
struct module *__find_module(const char *name);

/*
 * free_load_info() - free what the loader allocated for @info: its
 * scratch block and its aligned copy of the image, if any.
 */
void free_load_info(struct load_info *info);

/*
 * The debugger hooks (scripts/gdb lx-symbols breaks on them): do_init_module()
 * runs @mod's init, with @mod on the list; free_module() releases its memory,
 * @mod off the list.  Return: what init returned.
 */
int do_init_module(struct module *mod);
void free_module(struct module *mod);

/*
 * module_ref_init() - give a module being loaded its base reference, so
 * that try_module_get() can succeed once it is COMING.
 */
void module_ref_init(struct module *mod);

/*
 * try_stop_module() - take away @mod's base reference if it has no users,
 * and mark it GOING; from then on every try_module_get() fails.  The
 * caller serialises unloaders (module_mutex).
 * Return: 0, or -EBUSY if it has users (it stays as it was).
 */
int try_stop_module(struct module *mod);

#ifdef CONFIG_KTEST
/* Called by try_module_get() between its state check and its increment. */
extern void (*try_module_get_test_hook)(struct module *mod);
#endif

/*
 * module_users() - "foo: in use by bar baz (2 users)" into @buf: the
 * modules linked against @mod, or "the kernel", and whether some users are
 * try_module_get() calls; module_mutex held.  What rmmod logs with -EBUSY.
 * Return: the number of users.
 */
int module_users(struct module *mod, char *buf, size_t size);

/*
 * param_apply() - set @kp from @val (NULL: bare key), logging a refusal in
 * one line naming @owner, @key, @val, @source and the type wanted.
 * Return: 0 or the error of the type's set().
 */
int param_apply(const char *owner, const struct kernel_param *kp, const char *key,
		const char *val, const char *source);

/*
 * module_check_params() - are @mod's parameters (its __param section)
 * inside its memory, with known types?  Return: 0 or -ENOEXEC (logged).
 */
int module_check_params(struct module *mod);

/*
 * kernel/kmod.c on one archive (<exo/kmod.h> runs them on the boot
 * modules): modprobe, modprobe -r and an alias lookup.
 */
int modprobe_archive(const void *ar, size_t len, const char *name, const char *args);
int modprobe_remove_archive(const void *ar, size_t len, const char *name);
int modprobe_alias_archive(const void *ar, size_t len, const char *alias);

/* Module test blobs embedded in the kernel (kernel/module_test/blobs.S). */
struct modtest_blob {
	const char *name;
	const u8 *start;
	const u8 *end;
};
extern const struct modtest_blob modtest_blobs[];
extern const unsigned long modtest_nr_blobs;
/* The embedded module named @name, or NULL. */
const struct modtest_blob *modtest_blob(const char *name);

/*
 * What a test case must leave as it found: free frames, kmalloc objects,
 * module memory and loaded modules.
 */
struct modtest_baseline {
	unsigned long pages;
	unsigned long kmalloc_objs;
	size_t mod_bytes;
	unsigned int nr_mods;
};
void modtest_take_baseline(struct modtest_baseline *b);

#define MODTEST_EXPECT_BASELINE(t, b) do {				\
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), (b)->pages);	\
	KTEST_EXPECT_EQ(t, kmalloc_usage(NULL), (b)->kmalloc_objs);	\
	KTEST_EXPECT_EQ(t, module_bytes_allocated(), (b)->mod_bytes);	\
	KTEST_EXPECT_EQ(t, module_nr_loaded(), (b)->nr_mods);		\
} while (0)

/* Append a newc cpio entry (a file, or the trailer if @data is NULL) at @off. */
size_t modtest_cpio_add(u8 *a, size_t off, const char *name, const void *data, u32 size);

#endif /* _KERNEL_MODULE_INTERNAL_H */
