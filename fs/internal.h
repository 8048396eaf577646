/* SPDX-License-Identifier: GPL-2.0 */
/* Internals of fs/: the namespace tree, shared by its files. */
#ifndef _FS_INTERNAL_H
#define _FS_INTERNAL_H

#include <exo/fs.h>

/*
 * The tree (fs/namei.c).  One mutex, ns_lock, covers every directory's
 * list of children; a dentry's reference count is atomic.  A dentry is
 * freed at its last dput() after d_delete() took it out of the tree.
 */
extern struct dentry *ns_root;
struct dentry *ns_lookup(const char *path);
struct dentry *ns_mkdir(struct dentry *parent, const char *name);
struct dentry *ns_mknod(struct dentry *parent, const char *name, umode_t mode, dev_t rdev,
			const struct file_operations *fops, void *priv);
void ns_remove(struct dentry *dentry);
struct dentry *d_alloc_transient(struct dentry *parent, const char *name, size_t len,
				 umode_t mode, const struct file_operations *fops,
				 const struct inode_operations *iop,
				 const struct dentry_operations *dop, void *fsdata);
struct dentry *ns_child(struct dentry *dir, const char *name);
struct dentry *dget(struct dentry *dentry);
void dput(struct dentry *dentry);
int ns_iterate(struct dentry *dir, struct dir_context *ctx);

/* /dev, made at boot (fs/devtmpfs.c). */
extern struct dentry *dev_root;

/* /sys (fs/sysfs.c) */
extern struct dentry *sys_root;

/* fs/char_dev.c */
int chrdev_open(struct inode *inode, struct file *filp);
/* A freed node's inode leaves its cdev's list (Linux's cd_forget()). */
void cd_forget(struct inode *inode);
/*
 * At close: drop the file's cdev reference; return the cdev's owner, whose
 * module reference the caller drops after the device's (so that a
 * release() in that module runs while it is pinned).
 */
struct module *chrdev_file_put(struct file *filp);
#ifdef CONFIG_KTEST
/* Called by chrdev_open() between the lookup and fops->open(). */
extern void (*chrdev_open_test_hook)(struct inode *inode, struct cdev *p);
#endif

/* fs/block_dev.c: the operations of a block node. */
extern const struct file_operations def_blk_fops;
#ifdef CONFIG_KTEST
/* Called by a write between its read and its write-back, rmw_mutex held. */
struct block_device;
extern void (*bdev_rmw_test_hook)(struct block_device *bdev);
#endif

#endif /* _FS_INTERNAL_H */
