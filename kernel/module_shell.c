// SPDX-License-Identifier: GPL-2.0
/*
 * The module loader's shell commands: lsmod, modinfo (of a loaded module,
 * or from a received or boot module's file), insmod and rmmod.  The loader
 * itself is kernel/module.c.
 */
#define pr_fmt(fmt) "module: " fmt

#include <exo/atomic.h>
#include <exo/device.h>
#include <exo/elf.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/modload.h>
#include <exo/module.h>
#include <exo/mutex.h>
#include <exo/page_alloc.h>
#include <exo/pci.h>
#include <exo/printk.h>
#include <exo/shell.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <asm/page.h>

#include "module-internal.h"
#include "module_elf.h"

static int cmd_lsmod(int argc, char **argv)
{
	struct module *m;

	printk("%-20s %8s %5s  %s\n", "Module", "Size", "Used", "by / description");
	mutex_lock(&module_mutex);
	list_for_each_entry(m, &modules_list, list) {
		struct module *u;

		printk("%-20s %8zu %5d ", m->name, m->size, module_refcount(m));
		list_for_each_entry(u, &modules_list, list)
			for (unsigned int i = 0; i < u->nr_deps; i++)
				if (u->deps[i] == m)
					printk(KERN_CONT " %s", u->name);
		printk(KERN_CONT "  %s%s%s\n", m->description ? m->description : "",
		       m->nr_device_ids ? " [pci ids]" : "",
		       m->state == MODULE_STATE_LIVE ? "" : " (not live)");
	}
	mutex_unlock(&module_mutex);
	return 0;
}
DEFINE_SHELL_CMD(lsmod, "loaded modules, size, users", cmd_lsmod);

/*
 * print_modinfo() of a module that is not loaded, from its file: an image
 * received after boot (make load) first, as insmod takes it, else the
 * boot archive's.
 */
static int modinfo_file(const char *name)
{
	struct module_image *recv = module_image_get(name);
	struct load_info info = { .label = name };
	const char *data;
	size_t size;
	int ret;

	info.img = recv ? recv->data : boot_module_find(name, &info.len);
	if (!info.img) {
		printk("modinfo: %s is not loaded, received or among the boot modules\n", name);
		return -ENOENT;
	}
	info.len = recv ? recv->len : info.len;
	if (!IS_ALIGNED((unsigned long)info.img, 8)) {
		/* cpio data is 4-aligned; the ELF structures want 8. */
		info.copy_order = order_base_2(DIV_ROUND_UP(info.len, PAGE_SIZE));
		info.copy = (void *)__get_free_pages(GFP_KERNEL, info.copy_order);
		if (!info.copy) {
			module_image_put(recv);
			return -ENOMEM;
		}
		memcpy(info.copy, info.img, info.len);
		info.img = info.copy;
	}
	info.hdr = (const Elf64_Ehdr *)info.img;
	ret = module_elf_modinfo(&info, &data, &size);
	for (const char *p = data; !ret && p < data + size; p += strnlen(p, data + size - p) + 1)
		if (*p)
			printk("%.*s\n", (int)strnlen(p, data + size - p), p);
	if (!ret)
		printk("(not loaded: %s)\n", recv ? "received after boot" : "from the boot modules");
	free_load_info(&info);
	module_image_put(recv);
	return ret;
}

static int cmd_modinfo(int argc, char **argv)
{
	const struct pci_device_id *id;
	struct module *m;

	mutex_lock(&module_mutex);
	m = __find_module(argv[1]);
	if (!m) {
		mutex_unlock(&module_mutex);
		return modinfo_file(argv[1]);
	}
	for (const char *p = m->modinfo; p < m->modinfo + m->modinfo_size; p += strlen(p) + 1)
		if (*p)
			printk("%s\n", p);
	printk("base=%p size=%zu refcnt=%d", m->base, m->size, module_refcount(m));
	for (unsigned int i = 0; i < m->nr_deps; i++)
		printk(KERN_CONT "%s%s", i ? "," : " depends=", m->deps[i]->name);
	printk(KERN_CONT "\n");
	for (unsigned int i = 0; i < m->num_kp; i++) {
		char buf[PARAM_BUF_SIZE];

		printk("parm value: %s=%s\n", m->kp[i].name, param_value_text(&m->kp[i], buf));
	}
	id = m->pci_ids;
	for (unsigned int i = 0; i < m->nr_device_ids; i++)
		printk("pci id: vendor %04x device %04x class %06x/%06x\n", id[i].vendor & 0xffff,
		       id[i].device & 0xffff, id[i].class, id[i].class_mask);
	mutex_unlock(&module_mutex);
	return 0;
}
DEFINE_SHELL_CMD_ARGS(modinfo, "<name>", 1, 1,
		      "a module's tags (parameters too), users, PCI IDs; loaded or from the boot modules",
		      cmd_modinfo);

/* argv[2..] joined by spaces, quotes kept, for module_parse_args(). */
static char *join_args(int argc, char **argv)
{
	size_t n = 1;
	char *s;

	for (int i = 2; i < argc; i++)
		n += strlen(argv[i]) + 1;
	s = kmalloc(n, GFP_KERNEL);
	if (!s)
		return NULL;
	n = 0;
	for (int i = 2; i < argc; i++) {
		size_t l = strlen(argv[i]);

		memcpy(s + n, argv[i], l);
		n += l;
		s[n++] = ' ';
	}
	s[n ? n - 1 : 0] = 0;
	return s;
}

static int cmd_insmod(int argc, char **argv)
{
	/* An image received after boot (make load) comes before the boot one. */
	struct module_image *recv = module_image_get(argv[1]);
	const void *img;
	char *args;
	size_t len;
	int ret;

	img = recv ? recv->data : boot_module_find(argv[1], &len);
	if (!img) {
		printk("insmod: no boot module or received image %s\n", argv[1]);
		return -ENOENT;
	}
	len = recv ? recv->len : len;
	args = join_args(argc, argv);
	ret = args ? load_module_args(img, len, args, NULL) : -ENOMEM;
	module_image_put(recv);
	kfree(args);
	if (ret)
		printk("insmod: %s: %s\n", argv[1], errname(ret));
	return ret;
}
DEFINE_SHELL_CMD_ARGS(insmod, "<name> [key=value...]", 1, SHELL_MAX_ARGS - 1,
		      "load a module (a received .ko, or one among the boot modules) with parameters",
		      cmd_insmod);

/* unload_module() logs the outcome, success or not. */
static int cmd_rmmod(int argc, char **argv)
{
	return unload_module(argv[1]);
}
DEFINE_SHELL_CMD_ARGS(rmmod, "<name>", 1, 1, "unload a module", cmd_rmmod);
