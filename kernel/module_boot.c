// SPDX-License-Identifier: GPL-2.0
/*
 * Boot modules: the .ko files the boot loader hands over, bare (GRUB
 * module2) or in newc cpio archives (QEMU -initrd): finding one by name,
 * and loading them all at the late initcall level (modules=).  The loader
 * itself is kernel/module.c.
 */
#define pr_fmt(fmt) "module: " fmt

#include <exo/bootinfo.h>
#include <exo/device.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/module.h>
#include <exo/moduleloader.h>
#include <exo/printk.h>
#include <exo/string.h>
#include <asm/page.h>

#include "module-internal.h"

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

static enum { AUTOLOAD_OFF, AUTOLOAD_ALIAS, AUTOLOAD_ALL } autoload_mode = AUTOLOAD_ALL;

/* modules=1|on: load every boot module; auto: by modalias only; 0|off: none. */
static int __init autoload_setup(const char *val)
{
	if (!strcmp(val, "auto"))
		autoload_mode = AUTOLOAD_ALIAS;
	else
		autoload_mode = strcmp(val, "0") && strcmp(val, "off") ? AUTOLOAD_ALL : AUTOLOAD_OFF;
	return 0;
}
__setup_choice("modules=", autoload_setup, "0", "off", "1", "on", "auto");

static void __init load_all_boot_modules(void)
{
	for (unsigned int i = 0; i < boot_info.nr_modules; i++) {
		const struct boot_module *bm = &boot_info.modules[i];
		const u8 *p = phys_to_virt(bm->start);
		size_t size = bm->end - bm->start;

		if (is_cpio(p, size))
			cpio_walk(p, size, autoload_fn, NULL);
		else
			load_module(p, size, NULL);
	}
}

/*
 * Every boot module is loaded once the built-in drivers are registered
 * (unless modules=0 or modules=auto); then autoload starts: every device
 * nothing drives gets the module its modalias names (modules=0: none).
 */
static int __init load_boot_modules(void)
{
	if (autoload_mode == AUTOLOAD_OFF)
		return 0;
	if (autoload_mode == AUTOLOAD_ALL)
		load_all_boot_modules();
	autoload_start();
	return 0;
}
late_initcall(load_boot_modules);
