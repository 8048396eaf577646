// SPDX-License-Identifier: GPL-2.0
/*
 * The namespace tree: directories of named nodes, looked up by absolute
 * path.  It plays the part of Linux's dcache for a tree that lives only in
 * memory (as devtmpfs and sysfs do): a node is created by its owner (a
 * device appearing, an attribute) and removed by it, never by open.
 *
 * ns_lock covers the lists of children and d_removed; d_count is atomic so
 * an open file holds its dentry without the lock.  The tree holds one
 * reference on each dentry in it; ns_remove() drops it after unlinking, so
 * a dentry still open outlives its removal and is freed at the last dput().
 * Removing a directory removes what is under it first.
 */
#define pr_fmt(fmt) "fs: " fmt

#include <exo/err.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/mutex.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include "internal.h"

static DEFINE_MUTEX(ns_lock);
static atomic_long_t nr_dentries;
static unsigned long next_ino = 2;	/* 1 is the root */

static struct dentry root_dentry = {
	.d_name = "/",
	.d_parent = &root_dentry,
	.d_inode = &root_dentry.inode,
	.d_count = ATOMIC_INIT(1),
	.d_subdirs = LIST_HEAD_INIT(root_dentry.d_subdirs),
	.d_child = LIST_HEAD_INIT(root_dentry.d_child),
	.inode = { .i_mode = S_IFDIR | 0755, .i_ino = 1 },
};
struct dentry *ns_root = &root_dentry;

unsigned long fs_nr_dentries(void)
{
	return atomic_long_read(&nr_dentries);
}
EXPORT_SYMBOL_GPL(fs_nr_dentries);

struct dentry *dget(struct dentry *dentry)
{
	if (dentry)
		atomic_inc(&dentry->d_count);
	return dentry;
}

void dput(struct dentry *dentry)
{
	struct dentry *parent;

	if (!dentry || !atomic_dec_and_test(&dentry->d_count))
		return;
	if (dentry == ns_root || !dentry->d_removed) {
		/* The tree's own reference cannot be the one dropped here. */
		pr_err("dput: %s: last reference dropped while in the tree\n", dentry->d_name);
		atomic_inc(&dentry->d_count);
		return;
	}
	if (dentry->d_op && dentry->d_op->d_release)
		dentry->d_op->d_release(dentry);
	if (S_ISCHR(dentry->inode.i_mode))
		cd_forget(&dentry->inode);
	parent = dentry->d_transient ? dentry->d_parent : NULL;
	atomic_long_dec(&nr_dentries);
	kfree(dentry);
	dput(parent);
}

static struct dentry *d_alloc(const char *name, size_t len, umode_t mode)
{
	struct dentry *d = kzalloc(sizeof(*d), GFP_KERNEL);

	if (!d)
		return NULL;
	memcpy(d->d_name, name, min_t(size_t, len, NAME_MAX));
	atomic_set(&d->d_count, 1);
	INIT_LIST_HEAD(&d->d_subdirs);
	INIT_LIST_HEAD(&d->d_child);
	d->d_inode = &d->inode;
	d->inode.i_mode = mode;
	atomic_long_inc(&nr_dentries);
	return d;
}

struct dentry *d_alloc_transient(struct dentry *parent, const char *name, size_t len,
				 umode_t mode, const struct file_operations *fops,
				 const struct inode_operations *iop,
				 const struct dentry_operations *dop, void *fsdata)
{
	struct dentry *d = d_alloc(name, len, mode);

	if (!d)
		return ERR_PTR(-ENOMEM);
	d->d_transient = true;
	d->d_removed = true;
	d->d_parent = dget(parent);
	d->inode.i_fop = fops;
	d->inode.i_op = iop;
	d->d_op = dop;
	d->d_fsdata = fsdata;
	return d;
}

/* @dir's child @name (no reference taken); ns_lock held. */
static struct dentry *__ns_child(struct dentry *dir, const char *name, size_t len)
{
	struct dentry *d;

	list_for_each_entry(d, &dir->d_subdirs, d_child)
		if (strlen(d->d_name) == len && !strncmp(d->d_name, name, len))
			return d;
	return NULL;
}

struct dentry *ns_child(struct dentry *dir, const char *name)
{
	struct dentry *d;

	mutex_lock(&ns_lock);
	d = dget(__ns_child(dir, name, strlen(name)));
	mutex_unlock(&ns_lock);
	return d;
}

/*
 * Walk @path from the root; a directory with i_op->lookup (/sys) makes
 * its entry on demand, outside ns_lock.  Return: the dentry with a
 * reference, or ERR_PTR(-EINVAL) relative path, -ENAMETOOLONG, -ENOENT,
 * -ENOTDIR, -ENOMEM.
 */
struct dentry *ns_lookup(const char *path)
{
	struct dentry *d, *next;
	const char *p = path;

	if (!path || *path != '/')
		return ERR_PTR(-EINVAL);
	d = dget(ns_root);
	for (;;) {
		size_t len;

		while (*p == '/')
			p++;
		if (!*p)
			return d;
		for (len = 0; p[len] && p[len] != '/'; len++)
			;
		if (len > NAME_MAX)
			next = ERR_PTR(-ENAMETOOLONG);
		else if (!S_ISDIR(d->d_inode->i_mode))
			next = ERR_PTR(-ENOTDIR);
		else if (d->d_inode->i_op && d->d_inode->i_op->lookup)
			next = d->d_inode->i_op->lookup(d, p, len);
		else {
			mutex_lock(&ns_lock);
			next = dget(__ns_child(d, p, len)) ?: ERR_PTR(-ENOENT);
			mutex_unlock(&ns_lock);
		}
		dput(d);
		if (IS_ERR(next))
			return next;
		d = next;
		p += len;
	}
}

static bool ns_name_ok(const char *name)
{
	size_t len = strnlen(name, NAME_MAX + 1);

	return len && len <= NAME_MAX && !strchr(name, '/') && strcmp(name, ".") &&
	       strcmp(name, "..");
}

/*
 * Add a node under @parent.  Return: the dentry (the tree's reference, no
 * extra one for the caller), or ERR_PTR(-EINVAL) bad name or parent,
 * -EEXIST, -ENOMEM.
 */
struct dentry *ns_mknod(struct dentry *parent, const char *name, umode_t mode, dev_t rdev,
			const struct file_operations *fops, void *priv)
{
	struct dentry *d;

	if (!parent || !S_ISDIR(parent->d_inode->i_mode) || !ns_name_ok(name)) {
		pr_err("mknod: bad name '%s' or parent\n", name ?: "(null)");
		return ERR_PTR(-EINVAL);
	}
	d = d_alloc(name, strlen(name), mode);
	if (!d)
		return ERR_PTR(-ENOMEM);
	d->inode.i_rdev = rdev;
	d->inode.i_fop = fops;
	d->inode.i_private = priv;
	mutex_lock(&ns_lock);
	if (parent->d_removed || __ns_child(parent, name, strlen(name))) {
		int err = parent->d_removed ? -ENOENT : -EEXIST;

		mutex_unlock(&ns_lock);
		atomic_long_dec(&nr_dentries);
		kfree(d);
		return ERR_PTR(err);
	}
	d->inode.i_ino = next_ino++;
	d->d_parent = dget(parent);
	list_add_tail(&d->d_child, &parent->d_subdirs);
	mutex_unlock(&ns_lock);
	return d;
}

struct dentry *ns_mkdir(struct dentry *parent, const char *name)
{
	return ns_mknod(parent, name, S_IFDIR | 0755, 0, NULL, NULL);
}

/* Unlink @d and everything under it; ns_lock held.  Collects them on @dead. */
static void __ns_unlink(struct dentry *d, struct list_head *dead)
{
	while (!list_empty(&d->d_subdirs))
		__ns_unlink(list_first_entry(&d->d_subdirs, struct dentry, d_child), dead);
	list_del(&d->d_child);
	d->d_removed = true;
	list_add_tail(&d->d_child, dead);
}

void ns_remove(struct dentry *dentry)
{
	LIST_HEAD(dead);
	struct dentry *d, *tmp;

	if (!dentry || dentry == ns_root)
		return;
	mutex_lock(&ns_lock);
	if (dentry->d_removed) {
		mutex_unlock(&ns_lock);
		pr_err("remove: %s is not in the tree\n", dentry->d_name);
		return;
	}
	__ns_unlink(dentry, &dead);
	mutex_unlock(&ns_lock);
	/* Children first: each holds a reference on its parent. */
	list_for_each_entry_safe(d, tmp, &dead, d_child) {
		struct dentry *parent = d->d_parent;

		INIT_LIST_HEAD(&d->d_child);
		dput(d);
		dput(parent);
	}
}

int ns_iterate(struct dentry *dir, struct dir_context *ctx)
{
	static const unsigned char dtype[16] = {
		[S_IFDIR >> 12] = DT_DIR, [S_IFCHR >> 12] = DT_CHR, [S_IFBLK >> 12] = DT_BLK,
		[S_IFREG >> 12] = DT_REG, [S_IFLNK >> 12] = DT_LNK,
	};
	struct dentry *d;
	loff_t i = 0;

	if (!S_ISDIR(dir->d_inode->i_mode))
		return -ENOTDIR;
	mutex_lock(&ns_lock);
	list_for_each_entry(d, &dir->d_subdirs, d_child) {
		if (i++ < ctx->pos)
			continue;
		if (!ctx->actor(ctx, d->d_name, strlen(d->d_name), ctx->pos, d->inode.i_ino,
				dtype[(d->inode.i_mode & S_IFMT) >> 12]))
			break;
		ctx->pos++;
	}
	mutex_unlock(&ns_lock);
	return 0;
}
