// SPDX-License-Identifier: GPL-2.0
/*
 * Live module loading: the store of received module images and the
 * receiving side of the framed protocol (both described in
 * include/exo/modload.h).  A transport driver (drivers/tty/
 * modload_serial.c) feeds the bytes it receives; insmod and modinfo
 * (kernel/module.c) look in the store before the boot modules, so an
 * image sent after boot goes through the same ELF, signature and
 * vermagic checks as one the boot loader handed over.
 */
#define pr_fmt(fmt) "modload: " fmt

#include <exo/crc32.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/modload.h>
#include <exo/mutex.h>
#include <exo/printk.h>
#include <exo/shell.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/vmalloc.h>

static LIST_HEAD(images);
static DEFINE_MUTEX(images_lock);

static bool name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* "foo" and "foo.ko" name the same image. */
static bool image_name_is(const struct module_image *img, const char *name)
{
	size_t n = strlen(img->name);

	return !strncmp(img->name, name, n) && (!name[n] || !strcmp(name + n, ".ko"));
}

static struct module_image *__find_image(const char *name)
{
	struct module_image *img;

	list_for_each_entry(img, &images, list)
		if (image_name_is(img, name))
			return img;
	return NULL;
}

static void image_free(struct module_image *img)
{
	vfree(img->data);
	kfree(img);
}

/* Drop a reference; images_lock held.  Return: the image to free, or NULL. */
static struct module_image *__image_put(struct module_image *img)
{
	return --img->refs ? NULL : img;
}

/* module_image_add() of an image whose CRC (@crc, zlib's) is known. */
static int image_add(const char *name, void *data, size_t len, u32 crc)
{
	struct module_image *img, *old, *dead = NULL;
	size_t n = strlen(name);
	bool ok = n && n <= MODLOAD_NAME_MAX;

	/* A module's name, so "foo.ko" or "a/b" never shadow another lookup. */
	for (size_t i = 0; ok && i < n; i++)
		ok = name_char_ok(name[i]);
	if (!ok) {
		pr_warn("image name '%.*s' refused: want 1 to %d of [A-Za-z0-9_-]\n",
			MODLOAD_NAME_MAX, name, MODLOAD_NAME_MAX);
		vfree(data);
		return -EINVAL;
	}
	img = kzalloc(sizeof(*img), GFP_KERNEL);
	if (!img) {
		vfree(data);
		return -ENOMEM;
	}
	memcpy(img->name, name, n + 1);
	img->data = data;
	img->len = len;
	img->crc = crc;
	img->refs = 1;
	mutex_lock(&images_lock);
	old = __find_image(name);
	if (old) {
		list_del(&old->list);
		dead = __image_put(old);
	}
	list_add_tail(&img->list, &images);
	mutex_unlock(&images_lock);
	if (dead)
		image_free(dead);
	return 0;
}

int module_image_add(const char *name, void *data, size_t len)
{
	return image_add(name, data, len, ~crc32_le(~0u, data, len));
}
EXPORT_SYMBOL_GPL(module_image_add);

struct module_image *module_image_get(const char *name)
{
	struct module_image *img;

	mutex_lock(&images_lock);
	img = __find_image(name);
	if (img)
		img->refs++;
	mutex_unlock(&images_lock);
	return img;
}
EXPORT_SYMBOL_GPL(module_image_get);

void module_image_put(struct module_image *img)
{
	if (!img)
		return;
	mutex_lock(&images_lock);
	img = __image_put(img);
	mutex_unlock(&images_lock);
	if (img)
		image_free(img);
}
EXPORT_SYMBOL_GPL(module_image_put);

int module_image_remove(const char *name)
{
	struct module_image *img, *dead = NULL;

	mutex_lock(&images_lock);
	img = __find_image(name);
	if (img) {
		list_del(&img->list);
		dead = __image_put(img);
	}
	mutex_unlock(&images_lock);
	if (dead)
		image_free(dead);
	return img ? 0 : -ENOENT;
}
EXPORT_SYMBOL_GPL(module_image_remove);

static void rx_reply(struct modload_rx *rx, const char *fmt, ...) __printf(2, 3);
static void rx_reply(struct modload_rx *rx, const char *fmt, ...)
{
	char line[MODLOAD_REPLY_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	n = min_t(int, n, (int)sizeof(line) - 2);
	line[n++] = '\n';
	line[n] = 0;
	rx->reply(rx->ctx, line, (size_t)n);
}

static void rx_reset(struct modload_rx *rx)
{
	vfree(rx->image);
	rx->image = NULL;
	rx->state = MODLOAD_HUNT;
	rx->got = 0;
}

/* Refuse the frame being received: a NAK, a log line, and back to hunting. */
static void rx_nak(struct modload_rx *rx, int err, const char *why)
{
	pr_warn("frame refused: %s: %s\n", errname(err), why);
	rx_reply(rx, "NAK %s %s", errname(err), why);
	rx->frames_bad++;
	rx_reset(rx);
}

/*
 * Refuse a frame whose header was sane: its length says where it ends,
 * so skip the rest of it (the image and the CRC) unread rather than hunt
 * through an image that may hold the magic.  The NAK waits for the end:
 * a sender closes its connection on the reply, and QEMU drops what it
 * had not passed on yet, which would leave the skip waiting for bytes
 * that never come and eating the next frame's.
 */
static void rx_nak_skip(struct modload_rx *rx, int err, const char *why)
{
	rx_reset(rx);
	rx->state = MODLOAD_SKIP;
	rx->skip_err = err;
	rx->skip_why = why;
}

void modload_rx_abort(struct modload_rx *rx, int err, const char *why)
{
	if (modload_rx_busy(rx))
		rx_nak(rx, err, why);
}
EXPORT_SYMBOL_GPL(modload_rx_abort);

/* The header is in: check it before anything is allocated. */
static void rx_header(struct modload_rx *rx)
{
	char why[80];
	u16 flags = rx->hdr[6] | rx->hdr[7] << 8;

	rx->name_len = rx->hdr[5];
	rx->len = rx->hdr[8] | rx->hdr[9] << 8 | rx->hdr[10] << 16 | (u32)rx->hdr[11] << 24;
	rx->state = MODLOAD_NAME;
	rx->got = 0;
	if (rx->hdr[4] != MODLOAD_VERSION || flags) {
		snprintf(why, sizeof(why), "version %u flags %#x, want version %u flags 0",
			 rx->hdr[4], flags, MODLOAD_VERSION);
		rx_nak(rx, -EOPNOTSUPP, why);
	} else if (!rx->name_len || rx->name_len > MODLOAD_NAME_MAX) {
		snprintf(why, sizeof(why), "name of %u bytes, want 1 to %u", rx->name_len,
			 MODLOAD_NAME_MAX);
		rx_nak(rx, -ENAMETOOLONG, why);
	} else if (!rx->len) {
		rx_nak(rx, -EINVAL, "empty image");
	} else if (rx->len > MODLOAD_IMAGE_MAX) {
		snprintf(why, sizeof(why), "image of %u bytes, at most %u", rx->len,
			 MODLOAD_IMAGE_MAX);
		rx_nak(rx, -E2BIG, why);
	}
}

static void rx_name(struct modload_rx *rx)
{
	rx->name[rx->name_len] = 0;
	for (unsigned int i = 0; i < rx->name_len; i++) {
		if (!name_char_ok(rx->name[i])) {
			rx_nak_skip(rx, -EINVAL, "name not made of [A-Za-z0-9_-]");
			return;
		}
	}
	rx->image = vmalloc(rx->len);
	if (!rx->image) {
		rx_nak_skip(rx, -ENOMEM, "no memory for the image");
		return;
	}
	rx->state = MODLOAD_DATA;
	rx->got = 0;
	rx->img_crc = ~0u;
}

/*
 * a * b modulo the CRC-32 polynomial, both in the reflected bit order of
 * crc32_le() (bit 31 holds x^0).
 */
static u32 crc32_mulmod(u32 a, u32 b)
{
	u32 p = 0;

	for (u32 m = 1u << 31; m; m >>= 1) {
		if (a & m)
			p ^= b;
		b = (b >> 1) ^ (0xedb88320u & -(b & 1));
	}
	return p;
}

/*
 * The zlib CRC-32 of A then B from those of A (@crc_a) and of B (@crc_b,
 * @len_b bytes): the CRC of A shifted by len_b zero bytes, i.e. times
 * x^(8 len_b), plus B's.  log2(len_b) squarings, not a pass over B.
 */
static u32 crc32_concat(u32 crc_a, u32 crc_b, size_t len_b)
{
	u32 shift = 1u << 31, sq = 1u << 23;	/* x^0; x^8, one byte */

	for (; len_b; len_b >>= 1, sq = crc32_mulmod(sq, sq))
		if (len_b & 1)
			shift = crc32_mulmod(sq, shift);
	return crc32_mulmod(shift, crc_a) ^ crc_b;
}

/*
 * The frame's CRC covers header, name and image; the store wants the
 * image's own.  The receiver checksums the image once, on its own, and
 * derives the frame's from the two, so nothing rereads up to 8 MiB.
 */
static void rx_done(struct modload_rx *rx)
{
	u32 sent = rx->crc_le[0] | rx->crc_le[1] << 8 | rx->crc_le[2] << 16 |
		   (u32)rx->crc_le[3] << 24, img_crc = ~rx->img_crc,
	    crc = crc32_concat(~rx->crc, img_crc, rx->len);
	char why[64];
	int ret;

	/* At the frame's end: nothing is left to skip, whatever the answer. */
	if (sent != crc) {
		snprintf(why, sizeof(why), "CRC %08x, computed %08x", sent, crc);
		rx_nak(rx, -EBADMSG, why);
		return;
	}
	/* The store owns the image from here, whatever happens. */
	ret = image_add(rx->name, rx->image, rx->len, img_crc);
	rx->image = NULL;
	if (ret) {
		rx_nak(rx, ret, "not stored");
		return;
	}
	pr_info("%s: %u bytes received; insmod %s loads it\n", rx->name, rx->len, rx->name);
	rx_reply(rx, "ACK %s %u", rx->name, rx->len);
	rx->frames_ok++;
	rx_reset(rx);
}

/* Take up to @n bytes of the current field; return how many were used. */
static size_t rx_field(struct modload_rx *rx, const u8 *buf, size_t n)
{
	u8 *dst;
	size_t want, take;

	switch (rx->state) {
	case MODLOAD_HEADER:
		dst = rx->hdr, want = MODLOAD_HDR_LEN;
		break;
	case MODLOAD_NAME:
		dst = (u8 *)rx->name, want = rx->name_len;
		break;
	case MODLOAD_DATA:
		dst = rx->image, want = rx->len;
		break;
	default:
		dst = rx->crc_le, want = 4;
		break;
	}
	take = min(n, want - rx->got);
	memcpy(dst + rx->got, buf, take);
	if (rx->state == MODLOAD_DATA)
		rx->img_crc = crc32_le(rx->img_crc, buf, take);
	else if (rx->state != MODLOAD_CRC)
		rx->crc = crc32_le(rx->crc, buf, take);
	rx->got += (unsigned int)take;
	if (rx->got < want)
		return take;
	if (rx->state == MODLOAD_HEADER)
		rx_header(rx);
	else if (rx->state == MODLOAD_NAME)
		rx_name(rx);
	else if (rx->state == MODLOAD_DATA)
		rx->state = MODLOAD_CRC, rx->got = 0;
	else
		rx_done(rx);
	return take;
}

void modload_rx_feed(struct modload_rx *rx, const u8 *buf, size_t n)
{
	while (n) {
		size_t used = 1;

		if (rx->state == MODLOAD_SKIP) {
			/* The image and the CRC of a frame refused at its name. */
			used = min_t(size_t, n, rx->len + 4 - rx->got);
			rx->got += (unsigned int)used;
			if (rx->got == rx->len + 4)
				rx_nak(rx, rx->skip_err, rx->skip_why);
		} else if (rx->state != MODLOAD_HUNT) {
			used = rx_field(rx, buf, n);
		} else if (*buf == (u8)MODLOAD_MAGIC[rx->got]) {
			/* No proper prefix of "EXOM" is also its suffix: no backtracking. */
			if (++rx->got == 4) {
				memcpy(rx->hdr, MODLOAD_MAGIC, 4);
				rx->crc = crc32_le(~0u, rx->hdr, 4);
				rx->state = MODLOAD_HEADER;
			}
		} else {
			rx->got = *buf == (u8)MODLOAD_MAGIC[0];
		}
		buf += used;
		n -= used;
	}
}
EXPORT_SYMBOL_GPL(modload_rx_feed);

void modload_rx_init(struct modload_rx *rx,
		     void (*reply)(void *ctx, const char *line, size_t n), void *ctx)
{
	memset(rx, 0, sizeof(*rx));
	rx->reply = reply;
	rx->ctx = ctx;
}
EXPORT_SYMBOL_GPL(modload_rx_init);

void modload_rx_destroy(struct modload_rx *rx)
{
	rx_reset(rx);
}
EXPORT_SYMBOL_GPL(modload_rx_destroy);

static int cmd_modload(int argc, char **argv)
{
	struct module_image *img;
	unsigned int n = 0;

	if (argc == 3) {
		if (shell_arg_choice(argv[0], argv[1], "rm") < 0)
			return -EINVAL;
		if (module_image_remove(argv[2])) {
			printk("modload: no received image %s\n", argv[2]);
			return -ENOENT;
		}
		return 0;
	}
	if (argc == 2)
		return shell_usage(argv[0]);
	mutex_lock(&images_lock);
	list_for_each_entry(img, &images, list) {
		printk("%-24s %8zu bytes  crc %08x%s\n", img->name, img->len, img->crc,
		       img->refs > 1 ? "  (in use)" : "");
		n++;
	}
	mutex_unlock(&images_lock);
	if (!n)
		printk("modload: no module image received (make load M=... MOD=...)\n");
	return 0;
}
DEFINE_SHELL_CMD_ARGS(modload, "[rm <name>]", 0, 2,
		      "list the module images received after boot, or drop one", cmd_modload);
