// SPDX-License-Identifier: GPL-2.0
/*
 * Shell commands on the namespace (/dev, /sys): ls, cat, hexdump, echo
 * with "> node", and ioctl.  Each goes through filp_open(), kernel_read(),
 * kernel_write(), vfs_ioctl(), iterate_dir() and filp_close(), the path
 * a program's system calls take, so they exercise the drivers' file
 * operations (and their reference counting) as a user would.
 */
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/fs.h>
#include <exo/ioctl.h>
#include <exo/kernel.h>
#include <exo/limits.h>
#include <exo/printk.h>
#include <exo/shell.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/vmalloc.h>

/* cat and hexdump stop there: /dev/zero never ends. */
#define SHELL_READ_MAX	(64 * 1024)
#define SHELL_CHUNK	512

static struct file *shell_open(const char *cmd, const char *path, int flags)
{
	struct file *f = filp_open(path, flags, 0);

	if (IS_ERR(f))
		printk("%s: %s: %s\n", cmd, path, errname(PTR_ERR(f)));
	return f;
}

static char ls_type(umode_t mode)
{
	return S_ISDIR(mode) ? 'd' : S_ISCHR(mode) ? 'c' : S_ISBLK(mode) ? 'b' :
	       S_ISLNK(mode) ? 'l' : '-';
}

/*
 * The directory is read one entry at a time (as getdents(2) with a small
 * buffer would), so that `ls -l` stats each entry outside the walk.
 */
struct ls_ctx {
	struct dir_context ctx;
	bool have;
	char name[NAME_MAX + 1];
};

static bool ls_actor(struct dir_context *ctx, const char *name, int namlen, loff_t offset,
		     u64 ino, unsigned int d_type)
{
	struct ls_ctx *ls = container_of(ctx, struct ls_ctx, ctx);

	if (ls->have)
		return false;
	snprintf(ls->name, sizeof(ls->name), "%.*s", namlen, name);
	ls->have = true;
	return true;
}

static void ls_print(const struct kstat *st, const char *name)
{
	if (S_ISCHR(st->mode) || S_ISBLK(st->mode))
		printk("%c%03o %4u, %4u %s\n", ls_type(st->mode), st->mode & 0777, MAJOR(st->rdev),
		       MINOR(st->rdev), name);
	else
		printk("%c%03o %10lld %s\n", ls_type(st->mode), st->mode & 0777, st->size, name);
}

static void ls_long(const char *dir, const char *name)
{
	char path[SHELL_LINE_MAX + NAME_MAX + 2];
	struct kstat st;

	snprintf(path, sizeof(path), "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	if (vfs_stat(path, &st)) {
		/* Removed since it was listed. */
		printk("?????????? %s\n", name);
		return;
	}
	ls_print(&st, name);
}

static int cmd_ls(int argc, char **argv)
{
	struct ls_ctx ls = { .ctx.actor = ls_actor };
	const char *dir = "/";
	struct kstat st;
	bool long_format = false;
	struct file *f;
	int i = 1, ret;

	if (i < argc && argv[i][0] == '-') {
		if (shell_arg_choice(argv[0], argv[i], "-l") < 0)
			return -EINVAL;
		long_format = true;
		i++;
	}
	if (i < argc)
		dir = argv[i++];
	if (i < argc)
		return shell_usage(argv[0]);
	/* A node is listed from its inode: opening it would open the device. */
	ret = vfs_stat(dir, &st);
	if (ret) {
		printk("%s: %s: %s\n", argv[0], dir, errname(ret));
		return ret;
	}
	if (!S_ISDIR(st.mode)) {
		if (long_format)
			ls_print(&st, dir);
		else
			printk("%s\n", dir);
		return 0;
	}
	f = shell_open(argv[0], dir, O_RDONLY);
	if (IS_ERR(f))
		return PTR_ERR(f);
	for (;;) {
		ls.have = false;
		ret = iterate_dir(f, &ls.ctx);
		if (ret || !ls.have)
			break;
		if (long_format)
			ls_long(dir, ls.name);
		else
			printk("%s\n", ls.name);
	}
	if (ret) {
		printk("%s: %s: %s\n", argv[0], dir, errname(ret));
	}
	filp_close(f, NULL);
	return ret;
}
DEFINE_SHELL_CMD_ARGS(ls, "[-l] [path]", 0, 2, "list a directory of /dev or /sys", cmd_ls);

/*
 * Read up to @max bytes of @path, then hand them to @fn in chunks.  A
 * non-blocking open, so that a stream with nothing more to give
 * (/dev/kmsg) ends the read.  All is read before anything is printed: the
 * console is the kernel log, so printing while reading /dev/kmsg would
 * feed the reader its own output, to the end of @max.
 * Return: bytes read, or -errno.
 */
static long shell_read(const char *cmd, const char *path, unsigned long max, loff_t skip,
		       void (*fn)(const u8 *buf, size_t n, loff_t off, void *data), void *data)
{
	u8 *buf = vmalloc(max);
	loff_t pos = 0, start;
	unsigned long done = 0;
	struct file *f;
	long ret = 0;

	if (!buf)
		return -ENOMEM;
	f = shell_open(cmd, path, O_RDONLY | O_NONBLOCK);
	if (IS_ERR(f)) {
		vfree(buf);
		return PTR_ERR(f);
	}
	if (skip) {
		pos = vfs_llseek(f, skip, SEEK_SET);
		if (pos < 0) {
			printk("%s: %s: cannot seek to %lld: %s\n", cmd, path, skip, errname(pos));
			ret = pos;
			goto out;
		}
	}
	start = pos;
	while (done < max) {
		/* All the room left: a record of a stream comes whole or not at all. */
		ssize_t n = kernel_read(f, buf + done, max - done, &pos);

		if (n == -EAGAIN || !n)
			break;
		/*
		 * A stream's next record is longer than the room left: the
		 * end, as at @max.  A seekable file has no records: its
		 * -EINVAL is an error.
		 */
		if (n == -EINVAL && done && !(f->f_mode & FMODE_LSEEK))
			break;
		if (n < 0) {
			printk("%s: %s: read: %s\n", cmd, path, errname(n));
			ret = n;
			break;
		}
		done += n;
	}
	for (unsigned long i = 0; i < done; i += SHELL_CHUNK)
		fn(buf + i, min_t(unsigned long, done - i, SHELL_CHUNK), start + i, data);
out:
	filp_close(f, NULL);
	vfree(buf);
	return ret ? ret : (long)done;
}

static void cat_chunk(const u8 *buf, size_t n, loff_t off, void *data)
{
	char line[SHELL_CHUNK];

	/* The console is also the log: show control bytes as dots. */
	for (size_t i = 0; i < n; i++)
		line[i] = (buf[i] >= 0x20 && buf[i] < 0x7f) || buf[i] == '\n' || buf[i] == '\t' ?
			  buf[i] : '.';
	/*
	 * In halves, as printk() keeps 511 bytes of a chunk's 512; all but the
	 * file's first piece continue its line rather than start a new one.
	 */
	for (size_t i = 0; i < n; i += SHELL_CHUNK / 2) {
		int len = min_t(size_t, n - i, SHELL_CHUNK / 2);

		if (off || i)
			printk(KERN_CONT "%.*s", len, line + i);
		else
			printk("%.*s", len, line + i);
	}
}

static int cmd_cat(int argc, char **argv)
{
	long n = shell_read(argv[0], argv[1], SHELL_READ_MAX, 0, cat_chunk, NULL);

	if (n < 0)
		return n;
	if (n == SHELL_READ_MAX)
		printk("\ncat: stopped after %d bytes\n", SHELL_READ_MAX);
	return 0;
}
DEFINE_SHELL_CMD_ARGS(cat, "<path>", 1, 1, "print a node (at most 64 KiB)", cmd_cat);

static void hexdump_chunk(const u8 *buf, size_t n, loff_t off, void *data)
{
	for (size_t i = 0; i < n; i += 16) {
		char hex[16 * 3 + 1] = "", asc[17] = "";
		size_t j;

		for (j = 0; j < 16 && i + j < n; j++) {
			snprintf(hex + 3 * j, 4, "%02x ", buf[i + j]);
			asc[j] = buf[i + j] >= 0x20 && buf[i + j] < 0x7f ? buf[i + j] : '.';
		}
		asc[j] = 0;
		printk("%08llx  %-48s |%s|\n", off + (loff_t)i, hex, asc);
	}
}

static int cmd_hexdump(int argc, char **argv)
{
	unsigned long n = 256, skip = 0;
	int i = 1;
	long ret;

	while (i < argc - 1 && argv[i][0] == '-') {
		int opt = shell_arg_choice(argv[0], argv[i], "-n", "-s");

		if (opt < 0)
			return -EINVAL;
		if (i + 1 >= argc - 1)
			return shell_usage(argv[0]);
		if (shell_arg_ulong(argv[0], argv[i + 1], opt ? 0 : 1, opt ? LONG_MAX : SHELL_READ_MAX,
				    opt ? &skip : &n))
			return -EINVAL;
		i += 2;
	}
	if (i != argc - 1)
		return shell_usage(argv[0]);
	ret = shell_read(argv[0], argv[i], n, skip, hexdump_chunk, NULL);
	return ret < 0 ? ret : 0;
}
DEFINE_SHELL_CMD_ARGS(hexdump, "[-n N] [-s OFFSET] <path>", 1, 5,
		      "N bytes (default 256) of a node in hex", cmd_hexdump);

static int cmd_echo(int argc, char **argv)
{
	char text[SHELL_LINE_MAX + 2] = "";
	const char *path = NULL;
	int redir = -1, len = 0;
	struct file *f;
	ssize_t n;

	/* "> path" or ">path", last. */
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '>')
			redir = i;
	if (redir >= 0) {
		path = argv[redir][1] ? argv[redir] + 1 : redir == argc - 2 ? argv[argc - 1] : NULL;
		if (!path || (argv[redir][1] && redir != argc - 1)) {
			printk("echo: '>' must be followed by exactly one path, at the end\n");
			return shell_usage(argv[0]);
		}
	}
	for (int i = 1; i < (redir < 0 ? argc : redir); i++)
		len += snprintf(text + len, sizeof(text) - len, "%s%s", i > 1 ? " " : "", argv[i]);
	len += snprintf(text + len, sizeof(text) - len, "\n");
	if (!path) {
		printk("%s", text);
		return 0;
	}
	f = shell_open(argv[0], path, O_WRONLY);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, text, len, &f->f_pos);
	filp_close(f, NULL);
	if (n < 0) {
		printk("echo: %s: write: %s\n", path, errname(n));
		return n;
	}
	if (n != len)
		printk("echo: %s: wrote %zd of %d bytes\n", path, n, len);
	return 0;
}
DEFINE_SHELL_CMD_ARGS(echo, "[words...] [> path]", 0, SHELL_MAX_ARGS - 1,
		      "print words, or write them (and a newline) to a node", cmd_echo);

/*
 * ioctl <path> <cmd> [value]: a command with an argument size (_IOR/_IOW)
 * gets a pointer to a 64-bit buffer holding @value and prints it after;
 * one without (_IO) gets @value itself.
 */
static int cmd_ioctl(int argc, char **argv)
{
	unsigned long cmd, value = 0;
	u64 buf;
	struct file *f;
	long ret;

	if (kstrtoul(argv[2], 0, &cmd) || cmd > UINT_MAX) {
		printk("ioctl: '%s' is not a 32-bit command number\n", argv[2]);
		return shell_usage(argv[0]);
	}
	if (argc > 3 && kstrtoul(argv[3], 0, &value)) {
		printk("ioctl: '%s' is not a number\n", argv[3]);
		return shell_usage(argv[0]);
	}
	if (_IOC_SIZE(cmd) > sizeof(buf)) {
		printk("ioctl: command %#lx takes %u bytes; the shell passes at most %zu\n", cmd,
		       (unsigned int)_IOC_SIZE(cmd), sizeof(buf));
		return -EINVAL;
	}
	f = shell_open(argv[0], argv[1], O_RDWR);
	if (IS_ERR(f))
		return PTR_ERR(f);
	buf = value;
	ret = vfs_ioctl(f, cmd, _IOC_SIZE(cmd) ? (unsigned long)&buf : value);
	filp_close(f, NULL);
	if (ret < 0) {
		printk("ioctl: %s: %#lx: %s\n", argv[1], cmd, errname(ret));
		return ret;
	}
	if (_IOC_DIR(cmd) & _IOC_READ)
		printk("ioctl: %s: %#lx returned %ld, value %llu (%#llx)\n", argv[1], cmd, ret,
		       buf & (_IOC_SIZE(cmd) >= 8 ? ~0ULL : (1ULL << (8 * _IOC_SIZE(cmd))) - 1),
		       buf);
	else
		printk("ioctl: %s: %#lx returned %ld\n", argv[1], cmd, ret);
	return 0;
}
DEFINE_SHELL_CMD_ARGS(ioctl, "<path> <cmd> [value]", 2, 3,
		      "ioctl(2) on a node (cmd and value: decimal or 0x hex)", cmd_ioctl);
