/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files, as in Linux's <linux/fs.h>, on Exo's in-kernel namespace (fs/):
 * one tree with /dev (device nodes, devtmpfs-like) and /sys (the device
 * model).  There is no user space yet; the "system calls" are the kernel
 * functions below (filp_open(), kernel_read(), kernel_write(),
 * vfs_ioctl(), vfs_llseek(), vfs_poll(), iterate_dir(), filp_close()),
 * which the shell and the tests call exactly as a program's read(2) would
 * reach a driver.
 *
 * A node is a struct dentry (its name in its directory) with a struct
 * inode (its mode, its dev_t and the file operations of an open); a
 * struct file is one open.  Opening a character node looks its dev_t up
 * in the char-device map (<exo/cdev.h>) and takes, for the life of the
 * file, a reference on the driver's module (try_module_get(fops->owner))
 * and on the device (get_device()); close drops both.  See
 * Documentation/chardev.rst.
 *
 * Buffers passed to read/write/ioctl are __user pointers, as in Linux: a
 * driver copies with copy_to_user()/copy_from_user() (<exo/uaccess.h>),
 * so its code stays the same once a user space exists.
 */
#ifndef _EXO_FS_H
#define _EXO_FS_H

#include <exo/atomic.h>
#include <exo/list.h>
#include <exo/types.h>

struct device;
struct file;
struct inode;
struct module;
struct poll_table_struct;
struct wait_queue_head;
struct dir_context;
struct cdev;

typedef long long loff_t;
typedef unsigned short umode_t;
typedef unsigned int __bitwise __poll_t;
/* Also the holder modes of blkdev_get_by_path() (FMODE_READ/WRITE). */
typedef unsigned int fmode_t;

/* dev_t: 12 bits of major, 20 of minor, as in Linux's kernel dev_t. */
#define MINORBITS	20
#define MINORMASK	((1U << MINORBITS) - 1)
#define MAJOR(dev)	((unsigned int)((dev) >> MINORBITS))
#define MINOR(dev)	((unsigned int)((dev) & MINORMASK))
#define MKDEV(ma, mi)	(((dev_t)(ma) << MINORBITS) | (dev_t)(mi))
#define CHRDEV_MAJOR_MAX	512

/* File types and permission bits (i_mode), as in <uapi/linux/stat.h>. */
#define S_IFMT		0170000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFBLK		0060000
#define S_IFREG		0100000
#define S_IFLNK		0120000
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m)	(((m) & S_IFMT) == S_IFBLK)
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)

/* open() flags, as in <uapi/asm-generic/fcntl.h>. */
#define O_ACCMODE	00000003
#define O_RDONLY	00000000
#define O_WRONLY	00000001
#define O_RDWR		00000002
#define O_NONBLOCK	00004000

/* file->f_mode. */
#define FMODE_READ		0x1
#define FMODE_WRITE		0x2
#define FMODE_LSEEK		0x4
#define FMODE_UNSIGNED_OFFSET	0x2000	/* a device whose offsets are unsigned */

/* llseek whence. */
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

/* The longest single read or write, as Linux's MAX_RW_COUNT. */
#define MAX_RW_COUNT	(0x7fffffffL & ~4095L)

/* poll() events. */
#define EPOLLIN		((__force __poll_t)0x00000001)
#define EPOLLPRI	((__force __poll_t)0x00000002)
#define EPOLLOUT	((__force __poll_t)0x00000004)
#define EPOLLERR	((__force __poll_t)0x00000008)
#define EPOLLHUP	((__force __poll_t)0x00000010)
#define EPOLLRDNORM	((__force __poll_t)0x00000040)
#define EPOLLWRNORM	((__force __poll_t)0x00000100)
#define DEFAULT_POLLMASK (EPOLLIN | EPOLLOUT | EPOLLRDNORM | EPOLLWRNORM)

/* Directory entry types for dir_context's actor (DT_*). */
#define DT_UNKNOWN	0
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10

#define NAME_MAX	31	/* longest node name here */

/**
 * struct file_operations - what a driver does for an open node
 * @owner: the module the code lives in (THIS_MODULE); pinned while a
 *	file is open, so the module cannot be removed under it
 * @llseek: change f_pos; NULL: the position cannot be moved (-ESPIPE)
 * @read: copy up to @count bytes at *@pos to @buf; return bytes, 0 at
 *	end of file, or -errno; advance *@pos
 * @write: the same, from @buf
 * @poll: the EPOLL* events ready now; registers on its wait queue with
 *	poll_wait()
 * @unlocked_ioctl: a command; -ENOTTY for one it does not know
 * @open: called once per open, after the core pinned module and device;
 *	may set file->private_data; 0 or -errno (the open fails)
 * @release: called at the last close; its value is ignored
 * @iterate_shared: list a directory whose entries are not in the tree
 *	(made on the fly, as /sys's); NULL: the tree's children
 */
struct file_operations {
	struct module *owner;
	loff_t (*llseek)(struct file *file, loff_t offset, int whence);
	ssize_t (*read)(struct file *file, char __user *buf, size_t count, loff_t *pos);
	ssize_t (*write)(struct file *file, const char __user *buf, size_t count, loff_t *pos);
	__poll_t (*poll)(struct file *file, struct poll_table_struct *wait);
	long (*unlocked_ioctl)(struct file *file, unsigned int cmd, unsigned long arg);
	int (*open)(struct inode *inode, struct file *file);
	int (*release)(struct inode *inode, struct file *file);
	int (*iterate_shared)(struct file *file, struct dir_context *ctx);
};

/**
 * struct inode_operations - a directory whose entries are made on demand
 * @lookup: the entry @name (@len bytes) of @dir, as a new dentry with one
 *	reference (d_alloc_transient()), or ERR_PTR(-ENOENT)
 */
struct inode_operations {
	struct dentry *(*lookup)(struct dentry *dir, const char *name, size_t len);
};

/**
 * struct dentry_operations - what a dentry's owner does with it
 * @d_release: called before a transient dentry is freed (drop what it held)
 */
struct dentry_operations {
	void (*d_release)(struct dentry *dentry);
};

/**
 * struct inode - a node's identity
 * @i_mode: type and permission bits
 * @i_rdev: the device of a S_IFCHR/S_IFBLK node
 * @i_size: size in bytes, where it has one (block devices, attributes)
 * @i_fop: the operations an open starts with (def_chr_fops, ...)
 * @i_private: the owner's (an attribute's device, a block device)
 * @i_cdev: the char device opens of this node reach: set by the first
 *	chrdev_open() under the char-device map's lock, kept while any file
 *	pins that cdev, cleared when the cdev is released (as Linux's
 *	cdev_purge()) or the node freed (cd_forget())
 * @i_op: lookup of a directory made on demand (/sys), or NULL
 */
struct inode {
	const struct inode_operations *i_op;
	umode_t i_mode;
	dev_t i_rdev;
	loff_t i_size;
	const struct file_operations *i_fop;
	void *i_private;
	struct cdev *i_cdev;
	unsigned long i_ino;
	/* Private to fs/char_dev.c: on i_cdev's list of inodes. */
	struct list_head i_devices;
};

/**
 * struct dentry - a name in the namespace
 * @d_name: the name in its directory
 * @d_parent: its directory (the root is its own)
 * @d_inode: what it names
 *
 * Reference counted: a lookup and every open file hold one; a removed
 * node leaves its directory at once and is freed at the last reference.
 * A transient dentry (d_alloc_transient(), made by a lookup of /sys) is
 * never in a directory's list and is freed at its last reference.
 */
struct dentry {
	char d_name[NAME_MAX + 1];
	struct dentry *d_parent;
	struct inode *d_inode;
	const struct dentry_operations *d_op;
	void *d_fsdata;
	/* Private to fs/. */
	atomic_t d_count;
	struct list_head d_subdirs;	/* children */
	struct list_head d_child;	/* on the parent's d_subdirs */
	bool d_removed;
	bool d_transient;
	struct inode inode;		/* d_inode points here */
};

/**
 * struct file - one open of a node
 * @f_op: its operations (a char device's, once chrdev_open() resolved them)
 * @f_inode: the inode opened
 * @f_dentry: the name opened (holds a reference)
 * @f_flags: the open flags (O_*)
 * @f_mode: FMODE_* from them
 * @f_pos: the position read/write use
 * @private_data: the driver's
 */
struct file {
	const struct file_operations *f_op;
	struct inode *f_inode;
	struct dentry *f_dentry;
	unsigned int f_flags;
	fmode_t f_mode;
	loff_t f_pos;
	void *private_data;
	/* Private to fs/: what the open pinned, released at close. */
	struct module *f_owner;		/* f_op->owner's reference */
	struct device *f_dev;		/* get_device() reference, or NULL */
	struct cdev *f_cdev;		/* cdev reference (chrdev_open()), or NULL */
};

static inline struct inode *file_inode(const struct file *file)
{
	return file->f_inode;
}

static inline unsigned int iminor(const struct inode *inode)
{
	return MINOR(inode->i_rdev);
}

static inline unsigned int imajor(const struct inode *inode)
{
	return MAJOR(inode->i_rdev);
}

/* poll_wait() callers get this; no one sleeps in a poll table yet. */
typedef struct poll_table_struct {
	void (*qproc)(struct file *file, struct wait_queue_head *wq, struct poll_table_struct *p);
} poll_table;

static inline void poll_wait(struct file *file, struct wait_queue_head *wq, poll_table *p)
{
	if (p && p->qproc && wq)
		p->qproc(file, wq, p);
}

/**
 * struct dir_context - iterate_dir()'s cursor
 * @actor: called per entry with its name, length, position, inode number
 *	and DT_* type; returns false to stop
 * @pos: the next entry's index (0 first); iterate_dir() advances it
 */
struct dir_context {
	bool (*actor)(struct dir_context *ctx, const char *name, int namlen, loff_t offset,
		      u64 ino, unsigned int d_type);
	loff_t pos;
};

/**
 * struct kstat - what vfs_stat() tells about a node
 * @mode: i_mode
 * @rdev: i_rdev
 * @size: i_size
 * @ino: inode number
 */
struct kstat {
	umode_t mode;
	dev_t rdev;
	loff_t size;
	u64 ino;
};

/**
 * filp_open() - open the node at @path
 * @path: an absolute path ("/dev/null"), "." and ".." not interpreted
 * @flags: O_RDONLY, O_WRONLY or O_RDWR, and O_NONBLOCK
 * @mode: unused (nodes are never created by open)
 *
 * Context: thread, may sleep.
 * Return: the file, or ERR_PTR(): -ENOENT no such node; -ENOTDIR a path
 * component is not a directory; -EINVAL bad flags or relative path;
 * -ENAMETOOLONG; -ENXIO no driver for its dev_t; -ENODEV the driver's
 * module is going away; -ENOMEM; or the driver's open() error.
 */
struct file *filp_open(const char *path, int flags, umode_t mode);

/**
 * filp_close() - close @file: the driver's release(), then the module,
 * device and node references of the open are dropped
 * @file: from filp_open()
 * @id: unused (Linux's owner id)
 *
 * Return: 0.
 */
int filp_close(struct file *file, void *id);

/**
 * kernel_read() - read(2) on @file from kernel memory
 * @file: the file
 * @buf: destination, @count bytes
 * @count: bytes wanted; clamped to MAX_RW_COUNT, as Linux does
 * @pos: the position, advanced by what was read (&file->f_pos for read(2))
 *
 * Return: bytes read (0 at end of file), or -EBADF not open for reading;
 * -EINVAL no read operation, or a negative position (or @pos + @count
 * overflowing) on a file without FMODE_UNSIGNED_OFFSET; the driver's
 * error.
 */
ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos);

/**
 * kernel_write() - write(2) on @file from kernel memory
 * @file: the file
 * @buf: source, @count bytes
 * @count: bytes; clamped to MAX_RW_COUNT
 * @pos: the position, advanced by what was written
 *
 * Return: bytes written, or -EBADF, -EINVAL as kernel_read(), or the
 * driver's error.
 */
ssize_t kernel_write(struct file *file, const void *buf, size_t count, loff_t *pos);

/**
 * vfs_ioctl() - ioctl(2): the driver's unlocked_ioctl()
 * @file: the file
 * @cmd: the command (_IO/_IOR/_IOW/_IOWR encoding, <exo/ioctl.h>)
 * @arg: its argument (a pointer as an integer, for data commands)
 *
 * Return: the driver's value; -ENOTTY if it has no ioctl or does not know
 * @cmd.
 */
long vfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/**
 * vfs_llseek() - lseek(2)
 * @file: the file
 * @offset: the offset
 * @whence: SEEK_SET, SEEK_CUR or SEEK_END
 *
 * Return: the new position; -ESPIPE if the file cannot seek; -EINVAL a bad
 * @whence or a negative result.
 */
loff_t vfs_llseek(struct file *file, loff_t offset, int whence);

/**
 * vfs_poll() - the events ready on @file (DEFAULT_POLLMASK without ->poll)
 * @file: the file
 * @pt: a poll table, or NULL to only ask
 */
__poll_t vfs_poll(struct file *file, struct poll_table_struct *pt);

/**
 * iterate_dir() - list the directory open as @file
 * @file: an open directory
 * @ctx: the cursor; entries from ctx->pos on go to ctx->actor
 *
 * Return: 0; -ENOTDIR @file is not a directory.
 */
int iterate_dir(struct file *file, struct dir_context *ctx);

/**
 * vfs_stat() - the mode, device and size of the node at @path
 * @path: as filp_open()
 * @stat: filled on success
 * Return: 0, or filp_open()'s lookup errors.
 */
int vfs_stat(const char *path, struct kstat *stat);

/**
 * no_llseek() - llseek of a device without a position
 * Return: -ESPIPE.
 */
loff_t no_llseek(struct file *file, loff_t offset, int whence);

/**
 * noop_llseek() - llseek that leaves the position where it is
 * Return: the position.
 */
loff_t noop_llseek(struct file *file, loff_t offset, int whence);

/**
 * fixed_size_llseek() - llseek within [0, @size] (SEEK_END from @size)
 * Return: the new position, or -EINVAL (outside, overflow, bad @whence).
 */
loff_t fixed_size_llseek(struct file *file, loff_t offset, int whence, loff_t size);

/**
 * default_llseek() - llseek with SEEK_END at i_size, any position >= 0
 * Return: the new position, or -EINVAL.
 */
loff_t default_llseek(struct file *file, loff_t offset, int whence);

/**
 * simple_read_from_buffer() - copy from @from (@available bytes) at *@ppos
 * to the user buffer @to, at most @count bytes, and advance *@ppos
 * Return: bytes copied, 0 at or past the end, -EINVAL negative *@ppos,
 * -EFAULT on a faulting copy.
 */
ssize_t simple_read_from_buffer(void __user *to, size_t count, loff_t *ppos,
				const void *from, size_t available);

/**
 * simple_write_to_buffer() - the other way: @count bytes from @from into
 * @to (@available bytes) at *@ppos
 * Return: bytes copied; -EINVAL negative *@ppos; -ENOSPC at or past the end.
 */
ssize_t simple_write_to_buffer(void *to, size_t available, loff_t *ppos,
			       const void __user *from, size_t count);

/**
 * stream_open() - mark @file as a stream (no position: read/write ignore
 * it, llseek is -ESPIPE)
 * Return: 0.
 */
int stream_open(struct inode *inode, struct file *file);

/**
 * nonseekable_open() - the same for a device whose position is unused
 * Return: 0.
 */
int nonseekable_open(struct inode *inode, struct file *file);

struct block_device;

/**
 * bdev_create_node() - /dev/<name> for a block device being added (the
 * block layer's bdev_add()); its major:minor is the disk's, or 259:n
 * Return: 0, -EEXIST, -ENOMEM.
 */
int bdev_create_node(struct block_device *bdev);

/**
 * bdev_remove_node() - remove it, before the block device is deleted
 */
void bdev_remove_node(struct block_device *bdev);

/**
 * fs_nr_open_files() - files open now, on every node (tests' baseline)
 */
unsigned long fs_nr_open_files(void);

/**
 * fs_nr_dentries() - dentries allocated now, in the tree or transient
 */
unsigned long fs_nr_dentries(void);

#endif /* _EXO_FS_H */
