// SPDX-License-Identifier: GPL-2.0
/*
 * /sys: the device model seen as directories and attribute files, made
 * on demand by lookup (i_op->lookup) and readdir (iterate_shared) from
 * the live buses, devices, drivers and modules, so that nothing here can
 * go stale:
 *
 *   /sys/bus/<bus>/devices/<dev>/{driver,parent,<bus dev_groups attrs>}
 *   /sys/bus/<bus>/drivers/<drv>/{bind,unbind}
 *   /sys/module/<mod>/{refcnt,parameters/<param>}
 *
 * Each entry is a transient dentry holding what it names: a device with
 * get_device(), a module with try_module_get() (so a module is not removed
 * while one of its parameter files is open); a driver's entries hold its
 * owner the same way (bus_find_driver_get()), so a driver's bind file open
 * makes rmmod of its module fail with -EBUSY.  Every read() of an
 * attribute calls show() into a fresh page and copies from the file
 * position (so a value read in pieces may mix two show()s); a write calls
 * store() with the bytes, which validates them (-EINVAL and a log line on
 * garbage).
 */
#define pr_fmt(fmt) "sysfs: " fmt

#include <exo/device.h>
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/module.h>
#include <exo/moduleparam.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/sysfs.h>
#include <exo/uaccess.h>
#include "internal.h"

enum sysfs_kind {
	SYS_BUSES, SYS_BUS, SYS_BUS_DEVICES, SYS_BUS_DRIVERS, SYS_DEVICE, SYS_DRIVER,
	SYS_MODULES, SYS_MODULE, SYS_PARAMS,
	SYS_DEV_ATTR, SYS_DRV_ATTR, SYS_MOD_ATTR, SYS_PARAM,
};

struct sysfs_node {
	enum sysfs_kind kind;
	struct bus_type *bus;
	struct device *dev;		/* referenced */
	struct device_driver *drv;	/* its owner is @mod */
	struct module *mod;		/* referenced (try_module_get) */
	struct device_attribute *attr;
	const struct kernel_param *kp;
};

struct dentry *sys_root;

static const struct inode_operations sysfs_dir_iops;
static const struct file_operations sysfs_dir_fops, sysfs_file_fops;
static const struct dentry_operations sysfs_dops;

static void sysfs_d_release(struct dentry *dentry)
{
	struct sysfs_node *sn = dentry->d_fsdata;

	if (sn->dev)
		put_device(sn->dev);
	module_put(sn->mod);
	kfree(sn);
}

static const struct dentry_operations sysfs_dops = {
	.d_release = sysfs_d_release,
};

static struct sysfs_node *sysfs_node_of(const struct dentry *d)
{
	return d->d_fsdata;
}

/* A transient entry of @parent for @tmpl (whose references it takes over). */
static struct dentry *sysfs_entry(struct dentry *parent, const char *name, size_t len,
				  const struct sysfs_node *tmpl, umode_t mode)
{
	struct sysfs_node *sn = kmalloc(sizeof(*sn), GFP_KERNEL);
	bool dir = S_ISDIR(mode);
	struct dentry *d;

	if (!sn) {
		if (tmpl->dev)
			put_device(tmpl->dev);
		module_put(tmpl->mod);
		return ERR_PTR(-ENOMEM);
	}
	*sn = *tmpl;
	d = d_alloc_transient(parent, name, len, mode, dir ? &sysfs_dir_fops : &sysfs_file_fops,
			      dir ? &sysfs_dir_iops : NULL, &sysfs_dops, sn);
	if (IS_ERR(d)) {
		sn->kind = SYS_BUSES;	/* d_release's work, by hand */
		if (sn->dev)
			put_device(sn->dev);
		module_put(sn->mod);
		kfree(sn);
	}
	if (!IS_ERR(d) && !dir)
		d->inode.i_size = SYSFS_BUF_SIZE;
	return d;
}

static bool name_is(const char *name, size_t len, const char *s)
{
	return strlen(s) == len && !strncmp(name, s, len);
}

/* --- the device attributes every device has ------------------------------ */

static ssize_t driver_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct device_driver *drv = READ_ONCE(dev->driver);

	return sysfs_emit(buf, "%s\n", drv ? drv->name : "");
}
static DEVICE_ATTR_RO(driver);

static ssize_t parent_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", dev->parent ? dev_name(dev->parent) : "");
}
static DEVICE_ATTR_RO(parent);

static struct attribute *generic_dev_attrs[] = {
	&dev_attr_driver.attr, &dev_attr_parent.attr, NULL,
};

/* The @i-th attribute of @dev (generic ones first), or NULL. */
static struct device_attribute *dev_attr_nth(struct device *dev, unsigned int i)
{
	const struct attribute_group **g;
	unsigned int n = ARRAY_SIZE(generic_dev_attrs) - 1;

	if (i < n)
		return to_dev_attr(generic_dev_attrs[i]);
	i -= n;
	for (g = dev->bus ? dev->bus->dev_groups : NULL; g && *g; g++)
		for (struct attribute **a = (*g)->attrs; *a; a++)
			if (!i--)
				return to_dev_attr(*a);
	return NULL;
}

/* --- lookup ---------------------------------------------------------------- */

static const char *param_name(const struct kernel_param *kp)
{
	const char *dot = strchr(kp->name, '.');

	return dot ? dot + 1 : kp->name;
}

static struct dentry *sysfs_lookup_device(struct dentry *dir, struct sysfs_node *sn,
					  const char *name, size_t len)
{
	struct sysfs_node t = { .kind = SYS_DEV_ATTR };

	for (unsigned int i = 0; (t.attr = dev_attr_nth(sn->dev, i)); i++)
		if (name_is(name, len, t.attr->attr.name)) {
			t.dev = get_device(sn->dev);
			return sysfs_entry(dir, name, len, &t, S_IFREG | t.attr->attr.mode);
		}
	return ERR_PTR(-ENOENT);
}

static struct dentry *sysfs_lookup(struct dentry *dir, const char *name, size_t len)
{
	struct sysfs_node *sn = sysfs_node_of(dir), t = { 0 };
	char buf[NAME_MAX + 1];

	memcpy(buf, name, len);
	buf[len] = 0;
	switch (sn->kind) {
	case SYS_BUSES:
		t.bus = bus_find(buf);
		t.kind = SYS_BUS;
		return t.bus ? sysfs_entry(dir, name, len, &t, S_IFDIR | 0755) : ERR_PTR(-ENOENT);
	case SYS_BUS:
		t.bus = sn->bus;
		if (name_is(name, len, "devices"))
			t.kind = SYS_BUS_DEVICES;
		else if (name_is(name, len, "drivers"))
			t.kind = SYS_BUS_DRIVERS;
		else
			return ERR_PTR(-ENOENT);
		return sysfs_entry(dir, name, len, &t, S_IFDIR | 0755);
	case SYS_BUS_DEVICES:
		t.dev = bus_find_device_by_name(sn->bus, buf);	/* referenced */
		t.kind = SYS_DEVICE;
		return t.dev ? sysfs_entry(dir, name, len, &t, S_IFDIR | 0755) : ERR_PTR(-ENOENT);
	case SYS_BUS_DRIVERS:
		t.drv = bus_find_driver_get(sn->bus, buf);	/* owner referenced */
		t.mod = t.drv ? t.drv->owner : NULL;
		t.bus = sn->bus;
		t.kind = SYS_DRIVER;
		return t.drv ? sysfs_entry(dir, name, len, &t, S_IFDIR | 0755) : ERR_PTR(-ENOENT);
	case SYS_DEVICE:
		return sysfs_lookup_device(dir, sn, name, len);
	case SYS_DRIVER:
		if (!name_is(name, len, "bind") && !name_is(name, len, "unbind"))
			return ERR_PTR(-ENOENT);
		/* Its own reference: each dentry's d_release drops one. */
		if (!try_module_get(sn->mod))
			return ERR_PTR(-ENOENT);
		t = *sn;
		t.kind = SYS_DRV_ATTR;
		return sysfs_entry(dir, name, len, &t, S_IFREG | 0200);
	case SYS_MODULES:
		t.mod = find_module_get(buf);
		if (!t.mod)
			return ERR_PTR(-ENOENT);
		t.kind = SYS_MODULE;
		return sysfs_entry(dir, name, len, &t, S_IFDIR | 0755);
	case SYS_MODULE:
		if (!try_module_get(sn->mod))
			return ERR_PTR(-ENOENT);
		t.mod = sn->mod;
		if (name_is(name, len, "parameters")) {
			t.kind = SYS_PARAMS;
			return sysfs_entry(dir, name, len, &t, S_IFDIR | 0755);
		}
		if (name_is(name, len, "refcnt")) {
			t.kind = SYS_MOD_ATTR;
			return sysfs_entry(dir, name, len, &t, S_IFREG | 0444);
		}
		module_put(t.mod);
		return ERR_PTR(-ENOENT);
	case SYS_PARAMS:
		for (unsigned int i = 0; i < sn->mod->num_kp; i++) {
			const struct kernel_param *kp = &sn->mod->kp[i];

			if (!name_is(name, len, param_name(kp)) || !kp->perm)
				continue;
			if (!try_module_get(sn->mod))
				break;
			t.mod = sn->mod;
			t.kp = kp;
			t.kind = SYS_PARAM;
			return sysfs_entry(dir, name, len, &t, S_IFREG | (kp->perm & 0666));
		}
		return ERR_PTR(-ENOENT);
	default:
		return ERR_PTR(-ENOTDIR);
	}
}

static const struct inode_operations sysfs_dir_iops = {
	.lookup = sysfs_lookup,
};

/* --- readdir --------------------------------------------------------------- */

struct sysfs_walk {
	struct dir_context *ctx;
	loff_t i;
};

/* Emit @name if it is at or past the cursor; false to stop. */
static bool sysfs_emit_name(struct sysfs_walk *w, const char *name, unsigned int type)
{
	if (w->i++ < w->ctx->pos)
		return true;
	if (!w->ctx->actor(w->ctx, name, strlen(name), w->ctx->pos, 0, type))
		return false;
	w->ctx->pos++;
	return true;
}

static int walk_bus(struct bus_type *bus, void *data)
{
	return !sysfs_emit_name(data, bus->name, DT_DIR);
}

static int walk_dev(struct device *dev, void *data)
{
	return !sysfs_emit_name(data, dev_name(dev), DT_DIR);
}

static int walk_drv(struct device_driver *drv, void *data)
{
	return !sysfs_emit_name(data, drv->name, DT_DIR);
}

static int walk_mod(struct module *mod, void *data)
{
	return !sysfs_emit_name(data, mod->name, DT_DIR);
}

static int sysfs_readdir(struct file *file, struct dir_context *ctx)
{
	struct sysfs_node *sn = sysfs_node_of(file->f_dentry);
	struct sysfs_walk w = { .ctx = ctx };
	struct device_attribute *a;

	switch (sn->kind) {
	case SYS_BUSES:
		bus_for_each(&w, walk_bus);
		break;
	case SYS_BUS:
		if (sysfs_emit_name(&w, "devices", DT_DIR))
			sysfs_emit_name(&w, "drivers", DT_DIR);
		break;
	case SYS_BUS_DEVICES:
		bus_for_each_dev(sn->bus, &w, walk_dev);
		break;
	case SYS_BUS_DRIVERS:
		bus_for_each_drv(sn->bus, &w, walk_drv);
		break;
	case SYS_DEVICE:
		for (unsigned int i = 0; (a = dev_attr_nth(sn->dev, i)); i++)
			if (!sysfs_emit_name(&w, a->attr.name, DT_REG))
				break;
		break;
	case SYS_DRIVER:
		if (sysfs_emit_name(&w, "bind", DT_REG))
			sysfs_emit_name(&w, "unbind", DT_REG);
		break;
	case SYS_MODULES:
		module_for_each(walk_mod, &w);
		break;
	case SYS_MODULE:
		if (sysfs_emit_name(&w, "parameters", DT_DIR))
			sysfs_emit_name(&w, "refcnt", DT_REG);
		break;
	case SYS_PARAMS:
		for (unsigned int i = 0; i < sn->mod->num_kp; i++)
			if (sn->mod->kp[i].perm &&
			    !sysfs_emit_name(&w, param_name(&sn->mod->kp[i]), DT_REG))
				break;
		break;
	default:
		return -ENOTDIR;
	}
	return 0;
}

static const struct file_operations sysfs_dir_fops = {
	.iterate_shared = sysfs_readdir,
};

/* --- attribute files --------------------------------------------------------- */

/* Driver bind/unbind: the device's name (a trailing newline allowed). */
static bool name_ok(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '/')
			return false;
	return len;
}

static ssize_t drv_attr_store(struct sysfs_node *sn, const char *what, const char *buf,
			      size_t count)
{
	char name[DEVICE_NAME_LEN];
	size_t len = strnlen(buf, count);
	struct device *dev;
	int ret = 0;

	if (len && buf[len - 1] == '\n')
		len--;
	if (len >= sizeof(name) || !name_ok(buf, len)) {
		pr_err("%s/%s: '%.*s' is not a device name\n", sn->drv->name, what, (int)len, buf);
		return -EINVAL;
	}
	memcpy(name, buf, len);
	name[len] = 0;
	dev = bus_find_device_by_name(sn->bus, name);
	if (!dev) {
		pr_err("%s/%s: no device %s on bus %s\n", sn->drv->name, what, name, sn->bus->name);
		return -ENODEV;
	}
	if (!strcmp(what, "bind")) {
		ret = device_bind_driver(dev, sn->drv);
	} else if (READ_ONCE(dev->driver) != sn->drv) {
		pr_err("%s/unbind: %s is not bound to it\n", sn->drv->name, name);
		ret = -ENODEV;
	} else {
		device_release_driver_internal(dev, sn->drv, NULL);
	}
	put_device(dev);
	return ret ? ret : (ssize_t)count;
}

static ssize_t sysfs_show(struct file *file, char *buf)
{
	struct sysfs_node *sn = sysfs_node_of(file->f_dentry);

	switch (sn->kind) {
	case SYS_DEV_ATTR:
		return sn->attr->show ? sn->attr->show(sn->dev, sn->attr, buf) : -EIO;
	case SYS_MOD_ATTR:
		/* Without the two this path holds: its directory's and its own. */
		return sysfs_emit(buf, "%d\n", module_refcount(sn->mod) - 2);
	case SYS_PARAM: {
		int n = -EIO;

		if (sn->kp->ops->get) {
			kernel_param_lock(sn->mod);
			n = sn->kp->ops->get(buf, sn->kp);
			kernel_param_unlock(sn->mod);
		}

		if (n >= 0 && (!n || buf[n - 1] != '\n') && n < SYSFS_BUF_SIZE - 1)
			buf[n++] = '\n';
		return n;
	}
	default:
		return -EIO;
	}
}

static ssize_t sysfs_store(struct file *file, const char *buf, size_t count)
{
	struct sysfs_node *sn = sysfs_node_of(file->f_dentry);
	const char *name = file->f_dentry->d_name;
	char val[SYSFS_BUF_SIZE];
	int ret;

	switch (sn->kind) {
	case SYS_DEV_ATTR:
		return sn->attr->store ? sn->attr->store(sn->dev, sn->attr, buf, count) : -EIO;
	case SYS_DRV_ATTR:
		return drv_attr_store(sn, name, buf, count);
	case SYS_PARAM:
		strlcpy(val, buf, sizeof(val));
		if (count && val[count - 1] == '\n')
			val[count - 1] = 0;
		kernel_param_lock(sn->mod);
		ret = sn->kp->ops->set(val, sn->kp);
		kernel_param_unlock(sn->mod);
		if (ret) {
			pr_err("%s.%s: '%s' refused: %s\n", sn->mod->name, name, val, errname(ret));
			return ret;
		}
		return count;
	default:
		return -EIO;
	}
}

static int sysfs_file_open(struct inode *inode, struct file *file)
{
	if (((file->f_mode & FMODE_WRITE) && !(inode->i_mode & 0222)) ||
	    ((file->f_mode & FMODE_READ) && !(inode->i_mode & 0444)))
		return -EACCES;
	return 0;
}

static ssize_t sysfs_file_read(struct file *file, char __user *ubuf, size_t count,
			       loff_t *ppos)
{
	char *buf = kzalloc(SYSFS_BUF_SIZE, GFP_KERNEL);
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	n = sysfs_show(file, buf);
	if (n >= 0)
		n = simple_read_from_buffer(ubuf, count, ppos, buf, min_t(size_t, n,
									  SYSFS_BUF_SIZE));
	kfree(buf);
	return n;
}

static ssize_t sysfs_file_write(struct file *file, const char __user *ubuf, size_t count,
				loff_t *ppos)
{
	char *buf;
	ssize_t n;

	/* As Linux: one page at most, written from the start. */
	if (count >= SYSFS_BUF_SIZE)
		count = SYSFS_BUF_SIZE - 1;
	buf = kmalloc(count + 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (copy_from_user(buf, ubuf, count)) {
		kfree(buf);
		return -EFAULT;
	}
	buf[count] = 0;
	n = sysfs_store(file, buf, count);
	kfree(buf);
	return n;
}

static const struct file_operations sysfs_file_fops = {
	.open = sysfs_file_open,
	.read = sysfs_file_read,
	.write = sysfs_file_write,
	.llseek = default_llseek,
};

/* --- helpers --------------------------------------------------------------- */

int sysfs_emit(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, SYSFS_BUF_SIZE, fmt, ap);
	va_end(ap);
	return min(n, SYSFS_BUF_SIZE - 1);
}
EXPORT_SYMBOL_GPL(sysfs_emit);

int sysfs_emit_at(char *buf, int at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (at < 0 || at >= SYSFS_BUF_SIZE)
		return 0;
	va_start(ap, fmt);
	n = vsnprintf(buf + at, SYSFS_BUF_SIZE - at, fmt, ap);
	va_end(ap);
	return min(n, SYSFS_BUF_SIZE - 1 - at);
}
EXPORT_SYMBOL_GPL(sysfs_emit_at);

bool sysfs_streq(const char *s, const char *t)
{
	while (*s && *s == *t) {
		s++;
		t++;
	}
	if (*s == *t)
		return true;
	if (*s == '\n' && !s[1] && !*t)
		return true;
	return *t == '\n' && !t[1] && !*s;
}
EXPORT_SYMBOL_GPL(sysfs_streq);

/* lsdev -t: each device under its parent, with its bus and driver. */
static int tree_one(struct device *dev, void *data)
{
	unsigned long depth = (unsigned long)data;

	printk("%*s%s%s [%s%s%s]\n", (int)(2 * depth), "", depth ? "`- " : "", dev_name(dev),
	       dev->bus ? dev->bus->name : "-", dev->driver ? " " : "",
	       dev->driver ? dev->driver->name : "");
	return 0;
}

/*
 * device_for_each_child() holds the device model's mutex, so the tree is
 * walked by collecting each level's children (referenced) first.
 */
struct tree_level {
	struct device **devs;
	unsigned int n, max;
};

static int tree_collect(struct device *dev, void *data)
{
	struct tree_level *l = data;

	if (l->n < l->max)
		l->devs[l->n++] = get_device(dev);
	return 0;
}

#define TREE_MAX_CHILDREN	64
#define TREE_MAX_DEPTH		8

static void tree_walk(struct device *parent, unsigned long depth)
{
	struct tree_level l = { .max = TREE_MAX_CHILDREN };

	if (depth > TREE_MAX_DEPTH)
		return;
	l.devs = kmalloc_array(TREE_MAX_CHILDREN, sizeof(*l.devs), GFP_KERNEL);
	if (!l.devs)
		return;
	device_for_each_child(parent, &l, tree_collect);
	for (unsigned int i = 0; i < l.n; i++) {
		tree_one(l.devs[i], (void *)depth);
		tree_walk(l.devs[i], depth + 1);
		put_device(l.devs[i]);
	}
	if (l.n == TREE_MAX_CHILDREN)
		printk("%*s(more not shown)\n", (int)(2 * depth), "");
	kfree(l.devs);
}

void sysfs_show_tree(void)
{
	tree_walk(NULL, 0);
}
EXPORT_SYMBOL_GPL(sysfs_show_tree);

/* /sys/bus and /sys/module are directories made on demand. */
static struct dentry *sysfs_mkdir(const char *name, enum sysfs_kind kind)
{
	struct sysfs_node *sn = kzalloc(sizeof(*sn), GFP_KERNEL);
	struct dentry *d;

	if (!sn)
		return ERR_PTR(-ENOMEM);
	sn->kind = kind;
	d = ns_mknod(sys_root, name, S_IFDIR | 0755, 0, &sysfs_dir_fops, NULL);
	if (IS_ERR(d)) {
		kfree(sn);
		return d;
	}
	d->inode.i_op = &sysfs_dir_iops;
	d->d_fsdata = sn;
	return d;
}

static int __init sysfs_init(void)
{
	struct dentry *d = ns_mkdir(ns_root, "sys");

	if (IS_ERR(d))
		return PTR_ERR(d);
	sys_root = d;
	if (IS_ERR(sysfs_mkdir("bus", SYS_BUSES)) || IS_ERR(sysfs_mkdir("module", SYS_MODULES)))
		pr_err("no /sys/bus or /sys/module\n");
	return 0;
}
core_initcall(sysfs_init);
