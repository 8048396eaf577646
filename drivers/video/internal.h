/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The framebuffer console's insides (fbcon.c), shared with its tests
 * (fbcon_test.c), which run it on a framebuffer in RAM.
 */
#ifndef _DRIVERS_VIDEO_INTERNAL_H
#define _DRIVERS_VIDEO_INTERNAL_H

#include <exo/bootinfo.h>
#include <exo/console.h>
#include <exo/spinlock.h>

enum esc_state { ESC_NONE, ESC_START, ESC_CSI };

struct fbcon {
	struct console con;
	u8 __iomem *screen;
	u32 pitch, bytespp;
	u32 fg, bg, banner_fg;		/* pixel values */
	unsigned int cols, rows;	/* text area: the rows below the banner */
	/* A lock holder died: work without the locks (fbcon_lock()). */
	bool busted;
	/* Protected by text_lock: */
	spinlock_t text_lock;
	int text_owner;			/* CPU holding text_lock, or -1 */
	char *text;			/* rows * cols, ring of lines from @top */
	unsigned int top, x, y;		/* ring index of screen row 0; cursor */
	enum esc_state esc;
	bool dirty;
	/* Protected by draw_lock: what the screen shows, in screen order. */
	spinlock_t draw_lock;
	int draw_owner;			/* CPU holding draw_lock, or -1 */
	char *shown;
	char *line;			/* one row copied out of text */
};

/*
 * fbcon_setup() - a console on @screen, the mapping of @fb: geometry,
 * colours, text buffers; the screen cleared and the banner drawn.
 * Return: 0, -EINVAL for a framebuffer under two text rows or one
 * column, a pitch short of a line or a colour channel outside the pixel,
 * -ENOMEM.
 */
int fbcon_setup(struct fbcon *fc, const struct boot_framebuffer *fb, u8 __iomem *screen);
/* Free what fbcon_setup() allocated (not @screen). */
void fbcon_release(struct fbcon *fc);
/* Add @n bytes of text (the console's ->write()); drawn by fbcon_draw(). */
void fbcon_puts(struct fbcon *fc, const char *s, size_t n);
/*
 * Redraw the cells whose character changed since the last pass; a row
 * that cannot be drawn (a lock given up) leaves the console dirty.
 */
void fbcon_draw(struct fbcon *fc);
/* Text row @y of the screen (below the banner), @fc->cols bytes. */
char *fbcon_text_row(struct fbcon *fc, unsigned int y);

#endif /* _DRIVERS_VIDEO_INTERNAL_H */
