/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Live module loading (Documentation/modules.rst, "Loading a module
 * without a reboot"): module images received at run time, kept by name
 * where insmod and modinfo look before the boot modules, and the framed
 * protocol that carries them over a byte stream (a serial port:
 * drivers/tty/modload_serial.c; the host side is scripts/modload.py).
 *
 * A frame, all integers little-endian:
 *
 *	offset  size      field
 *	0       4         magic "EXOM"
 *	4       1         version (1)
 *	5       1         n, the length of the name (1..MODLOAD_NAME_MAX)
 *	6       2         flags (0)
 *	8       4         len, the image's size (1..MODLOAD_IMAGE_MAX)
 *	12      n         the module's name: [A-Za-z0-9_-]
 *	12+n    len       the image (a .ko)
 *	12+n+len 4        CRC-32 (zlib's) of all the bytes before it
 *
 * The receiver answers each frame with one text line: "ACK <name> <len>"
 * once the image is stored, or "NAK <ERRNO> <why>" (and a kernel log line)
 * for a frame it refused: EOPNOTSUPP bad version or flags, ENAMETOOLONG
 * or EINVAL bad name, E2BIG too large, EINVAL empty, EBADMSG CRC
 * mismatch, ETIMEDOUT a frame cut short, ENODEV the port went away,
 * ENOMEM.  Nothing is checked about the image itself at this point:
 * insmod checks it exactly as a boot module.
 *
 * Resynchronisation: bytes between frames are skipped until the next
 * magic.  A frame refused after a sane header (a bad name, no memory for
 * the image, a CRC mismatch) is skipped whole by its length, 12+n+len+4
 * bytes, without looking inside: a .ko may hold "EXOM", which must not
 * start a frame that swallows the next one.  Its NAK goes out at its end,
 * so a sender that hangs up on the reply has nothing left in flight.  After a bad header, whose
 * lengths cannot be trusted, or a frame cut short, the receiver hunts for
 * the next magic byte by byte.
 */
#ifndef _EXO_MODLOAD_H
#define _EXO_MODLOAD_H

#include <exo/list.h>
#include <exo/types.h>

#define MODLOAD_MAGIC		"EXOM"
#define MODLOAD_VERSION		1
#define MODLOAD_HDR_LEN		12
#define MODLOAD_NAME_MAX	55
#define MODLOAD_IMAGE_MAX	(8u << 20)	/* bytes of an image */
#define MODLOAD_REPLY_MAX	128		/* bytes of a reply line */

/* A received module image; read-only while referenced. */
struct module_image {
	struct list_head list;
	unsigned int refs;		/* the store's one + module_image_get()'s */
	char name[MODLOAD_NAME_MAX + 1];
	size_t len;
	void *data;			/* vmalloc()ed */
	u32 crc;			/* zlib CRC-32 of data */
};

/**
 * module_image_add() - keep @data as the image of module @name
 * @name: the module's name (copied): 1 to MODLOAD_NAME_MAX of [A-Za-z0-9_-]
 * @data: a vmalloc()ed image; the store owns it from now on, even on error
 * @len: its size in bytes
 *
 * An image of the same name is replaced; who holds it keeps it until
 * module_image_put().  Return: 0, -EINVAL empty or too long a name or
 * another character in it (a log line; @data freed), -ENOMEM (@data freed).
 */
int module_image_add(const char *name, void *data, size_t len);

/**
 * module_image_get() - the received image of a module, held until
 * module_image_put()
 * @name: the module's name, "foo" or "foo.ko"
 *
 * Return: the image, or NULL if none was received under that name.
 */
struct module_image *module_image_get(const char *name);

/**
 * module_image_put() - drop a module_image_get() reference
 * @img: the image, or NULL (nothing to do)
 *
 * The last reference to an image replaced or removed meanwhile frees it.
 */
void module_image_put(struct module_image *img);

/**
 * module_image_remove() - forget the received image of a module
 * @name: the module's name, "foo" or "foo.ko"
 *
 * Who holds the image keeps it until module_image_put().
 * Return: 0, or -ENOENT if there is none.
 */
int module_image_remove(const char *name);

/* MODLOAD_SKIP: the rest of a refused frame, answered at its end */
enum modload_state {
	MODLOAD_HUNT, MODLOAD_HEADER, MODLOAD_NAME, MODLOAD_DATA, MODLOAD_CRC, MODLOAD_SKIP
};

/*
 * The receiving side of the protocol on one stream.  The caller
 * serialises the calls on one receiver.
 */
struct modload_rx {
	enum modload_state state;
	unsigned int got;			/* bytes of the current field */
	u8 hdr[MODLOAD_HDR_LEN];
	char name[MODLOAD_NAME_MAX + 1];
	unsigned int name_len;
	u32 len;
	u8 *image;
	u8 crc_le[4];
	int skip_err;				/* MODLOAD_SKIP: the NAK to send */
	const char *skip_why;
	u32 crc;				/* of header and name, running */
	u32 img_crc;				/* of the image, running */
	unsigned long frames_ok, frames_bad;
	void (*reply)(void *ctx, const char *line, size_t n);
	void *ctx;
};

/**
 * modload_rx_init() - set up @rx, waiting for a frame
 * @rx: the receiver
 * @reply: called with each reply line (newline included), from
 *	modload_rx_feed() or modload_rx_abort()
 * @ctx: passed to @reply
 */
void modload_rx_init(struct modload_rx *rx,
		     void (*reply)(void *ctx, const char *line, size_t n), void *ctx);

/**
 * modload_rx_feed() - process @n bytes from the stream
 * @rx: the receiver
 * @buf: the bytes
 * @n: how many
 *
 * Stores each complete, valid image with module_image_add() and replies
 * to each frame.  May sleep (it allocates the image).
 */
void modload_rx_feed(struct modload_rx *rx, const u8 *buf, size_t n);

/**
 * modload_rx_busy() - is a receiver inside a frame (past its magic)?
 * @rx: the receiver
 *
 * Return: true from a frame's magic until its last byte (or its abort).
 */
static inline bool modload_rx_busy(const struct modload_rx *rx)
{
	return rx->state != MODLOAD_HUNT;
}

/**
 * modload_rx_abort() - drop the frame being received, with a NAK
 * @rx: the receiver
 * @err: the negative errno the NAK names (-ETIMEDOUT: the sender stopped)
 * @why: the reason, for the NAK and the log
 *
 * Does nothing between frames.
 */
void modload_rx_abort(struct modload_rx *rx, int err, const char *why);

/**
 * modload_rx_destroy() - free what a receiver holds (a frame half received)
 * @rx: the receiver; modload_rx_init() makes it usable again
 */
void modload_rx_destroy(struct modload_rx *rx);

#endif
