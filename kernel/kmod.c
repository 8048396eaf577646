// SPDX-License-Identifier: GPL-2.0
/*
 * modprobe in the kernel (<exo/kmod.h>): modules by name with their
 * dependencies, and by device alias, from a module archive (a newc cpio of
 * .ko files with modules.dep and modules.alias, scripts/depmod.py).
 *
 * modules.dep: "name.ko: a.ko b.ko", every module name.ko needs, each
 * listed after the ones that need it: loading the list from its end, then
 * name.ko, loads everything in order.  modules.alias: "alias PATTERN name".
 * Both are text in the archive, read in place (not NUL-terminated).
 */
#define pr_fmt(fmt) "kmod: " fmt

#include <exo/bootinfo.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/kmod.h>
#include <exo/module.h>
#include <exo/page_alloc.h>
#include <exo/printk.h>
#include <exo/shell.h>
#include <exo/slab.h>
#include <exo/string.h>

#include "module-internal.h"

/* Modules one modules.dep line may list. */
#define MAX_DEP_CHAIN	32

struct dep_list {
	char names[MAX_DEP_CHAIN][MODULE_NAME_LEN];
	unsigned int n;
};

/* The next line of [@p, @end): its length; *@next is past its newline. */
static size_t next_line(const char *p, const char *end, const char **next)
{
	size_t n = 0;

	while (p + n < end && p[n] != '\n')
		n++;
	*next = p + n + (p + n < end);
	return n;
}

/* "dir/foo.ko" (@len bytes) to "foo" in @out.  Return: false if too long. */
static bool ko_to_name(const char *w, size_t len, char *out)
{
	const char *base = w;

	for (size_t i = 0; i < len; i++)
		if (w[i] == '/')
			base = w + i + 1;
	len -= base - w;
	if (len > 3 && !memcmp(base + len - 3, ".ko", 3))
		len -= 3;
	if (!len || len >= MODULE_NAME_LEN)
		return false;
	memcpy(out, base, len);
	out[len] = 0;
	return true;
}

/*
 * @name's line of modules.dep in @ar into @deps.  A module with no line
 * (or an archive without modules.dep) needs nothing.  Return: 0, or
 * -E2BIG / -EINVAL for a line too long or malformed (logged).
 */
static int read_deps(const void *ar, size_t len, const char *name, struct dep_list *deps)
{
	const char *p, *end, *next;
	const void *data;
	size_t size, n = strlen(name);

	deps->n = 0;
	if (module_archive_find(ar, len, "modules.dep", &data, &size) != 1)
		return 0;
	for (p = data, end = p + size; p < end; p = next) {
		size_t l = next_line(p, end, &next);
		const char *w;

		if (l < n + 4 || memcmp(p, name, n) || memcmp(p + n, ".ko:", 4))
			continue;
		for (w = p + n + 4; w < p + l;) {
			size_t wl = 0;

			while (w < p + l && *w == ' ')
				w++;
			while (w + wl < p + l && w[wl] != ' ')
				wl++;
			if (!wl)
				break;
			if (deps->n == MAX_DEP_CHAIN) {
				pr_err("modules.dep: %s needs more than %d modules\n", name,
				       MAX_DEP_CHAIN);
				return -E2BIG;
			}
			if (!ko_to_name(w, wl, deps->names[deps->n++])) {
				pr_err("modules.dep: bad entry '%.*s' for %s\n", (int)wl, w, name);
				return -EINVAL;
			}
			w += wl;
		}
		return 0;
	}
	return 0;
}

static int load_one(const void *ar, size_t len, const char *name, const char *args)
{
	const void *data;
	size_t size;
	int ret;

	if (find_module(name))
		return 0;
	ret = module_archive_find(ar, len, name, &data, &size);
	if (ret != 1) {
		pr_err("%s: not in the module archive\n", name);
		return ret ? ret : -ENOENT;
	}
	/*
	 * -EEXIST: another loader won the race, and the module is there,
	 * which is what was asked; unless a modprobe -r took it away again
	 * before we looked: then load it once more.  An export clash (also
	 * -EEXIST) fails every time and is returned.  Loaders and removers
	 * racing on every CPU can take it away a few times in a row (seen
	 * three times at -smp 8), hence the generous bound.
	 */
	for (int tries = 0; tries < 20; tries++) {
		ret = load_module_args(data, size, args, NULL);
		if (ret != -EEXIST)
			return ret;
		if (find_module(name))
			return 0;
	}
	return ret;
}

int modprobe_archive(const void *ar, size_t len, const char *name, const char *args)
{
	struct dep_list *deps;
	int ret;

	if (strlen(name) >= MODULE_NAME_LEN)
		return -EINVAL;
	if (find_module(name))
		return 0;
	deps = kmalloc(sizeof(*deps), GFP_KERNEL);
	if (!deps)
		return -ENOMEM;
	ret = read_deps(ar, len, name, deps);
	for (unsigned int i = deps->n; !ret && i-- > 0;) {
		ret = load_one(ar, len, deps->names[i], NULL);
		if (ret)
			pr_err("%s: dependency %s not loaded: %s\n", name, deps->names[i],
			       errname(ret));
	}
	if (!ret)
		ret = load_one(ar, len, name, args);
	kfree(deps);
	return ret;
}

int modprobe_remove_archive(const void *ar, size_t len, const char *name)
{
	struct dep_list *deps;
	int ret;

	deps = kmalloc(sizeof(*deps), GFP_KERNEL);
	if (!deps)
		return -ENOMEM;
	ret = read_deps(ar, len, name, deps);
	if (!ret)
		ret = unload_module(name);
	/* Closest first: a module is only unused once those above it went. */
	for (unsigned int i = 0; !ret && i < deps->n; i++) {
		struct module *m = find_module(deps->names[i]);

		if (m && !module_refcount(m))
			unload_module(deps->names[i]);
	}
	kfree(deps);
	return ret;
}

/* fnmatch() for the patterns depmod writes: '*' is the only wildcard. */
static bool glob_match(const char *pat, size_t plen, const char *s)
{
	size_t p = 0, star = SIZE_MAX;
	const char *retry = NULL;

	while (*s) {
		if (p < plen && pat[p] == '*') {
			star = ++p;
			retry = s;
		} else if (p < plen && pat[p] == *s) {
			p++;
			s++;
		} else if (star != SIZE_MAX) {
			/* Let the last '*' swallow one more character. */
			p = star;
			s = ++retry;
		} else {
			return false;
		}
	}
	while (p < plen && pat[p] == '*')
		p++;
	return p == plen;
}

/*
 * Load every module whose modules.alias pattern matches @alias.  Return:
 * 0 if one matched and loaded, -ENOENT if none matched, or the first error.
 */
int modprobe_alias_archive(const void *ar, size_t len, const char *alias)
{
	const char *p, *end, *next;
	const void *data;
	size_t size;
	int ret = -ENOENT;

	if (module_archive_find(ar, len, "modules.alias", &data, &size) != 1)
		return -ENOENT;
	for (p = data, end = p + size; p < end; p = next) {
		size_t l = next_line(p, end, &next), pl = 0;
		const char *pat = p + 6, *mod;
		char name[MODULE_NAME_LEN];
		int r;

		if (l < 6 || memcmp(p, "alias ", 6))
			continue;
		while (pat + pl < p + l && pat[pl] != ' ')
			pl++;
		mod = pat + pl + 1;
		if (mod >= p + l || !glob_match(pat, pl, alias) ||
		    !ko_to_name(mod, p + l - mod, name))
			continue;
		r = modprobe_archive(ar, len, name, NULL);
		if (ret == -ENOENT || (!ret && r))
			ret = r;
	}
	return ret;
}

/* Each cpio boot module is an archive; the first that answers wins. */
static int for_boot_archives(int (*fn)(const void *ar, size_t len, const char *s,
				       const char *args), const char *s, const char *args)
{
	int ret = -ENOENT;

	for (unsigned int i = 0; i < boot_info.nr_modules && ret == -ENOENT; i++) {
		const struct boot_module *bm = &boot_info.modules[i];
		const u8 *p = phys_to_virt(bm->start);
		size_t size = bm->end - bm->start;

		if (size >= 6 && !memcmp(p, "070701", 6))
			ret = fn(p, size, s, args);
	}
	return ret;
}

static int alias_fn(const void *ar, size_t len, const char *alias, const char *args)
{
	return modprobe_alias_archive(ar, len, alias);
}

static int remove_fn(const void *ar, size_t len, const char *name, const char *args)
{
	return modprobe_remove_archive(ar, len, name);
}

int modprobe(const char *name, const char *args)
{
	return for_boot_archives(modprobe_archive, name, args);
}
EXPORT_SYMBOL_GPL(modprobe);

int modprobe_remove(const char *name)
{
	int ret = for_boot_archives(remove_fn, name, NULL);

	/* Not in any archive (a blob, a bare boot .ko): a plain rmmod. */
	return ret == -ENOENT && find_module(name) ? unload_module(name) : ret;
}
EXPORT_SYMBOL_GPL(modprobe_remove);

int request_module(const char *fmt, ...)
{
	char name[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(name)) {
		pr_err("request_module: name too long\n");
		return -EINVAL;
	}
	if (strchr(name, ':'))
		return for_boot_archives(alias_fn, name, NULL);
	return modprobe(name, NULL);
}
EXPORT_SYMBOL_GPL(request_module);

/* modprobe [-r] <name> [key=value...]: the boot archive's modules.dep. */
static int cmd_modprobe(int argc, char **argv)
{
	char args[256];
	size_t n = 0;
	int ret;

	if (!strcmp(argv[1], "-r")) {
		if (argc != 3) {
			printk("modprobe: usage: modprobe -r <name>\n");
			return -EINVAL;
		}
		return modprobe_remove(argv[2]);
	}
	args[0] = 0;
	for (int i = 2; i < argc; i++)
		n += snprintf(args + n, n < sizeof(args) ? sizeof(args) - n : 0, "%s%s",
			      i > 2 ? " " : "", argv[i]);
	if (n >= sizeof(args)) {
		printk("modprobe: arguments too long\n");
		return -E2BIG;
	}
	ret = modprobe(argv[1], args);
	if (ret)
		printk("modprobe: %s: %s\n", argv[1], errname(ret));
	return ret;
}
DEFINE_SHELL_CMD_ARGS(modprobe, "[-r] <name> [key=value...]", 1, SHELL_MAX_ARGS - 1,
		      "load a module and what it needs (modules.dep); -r: remove them",
		      cmd_modprobe);
