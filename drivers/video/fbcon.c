// SPDX-License-Identifier: GPL-2.0
/*
 * Framebuffer console: the kernel log, as text, on the linear framebuffer
 * the boot loader set up (Multiboot2 tag 8, RGB direct colour: what GRUB
 * passes on a UEFI machine, where there is no VGA text mode).
 *
 * The top text row always shows the kernel banner (release and compiler),
 * so that whoever looks at the screen knows what booted; the log scrolls
 * below it.  Glyphs are 8 pixels wide, from a PSF console font converted
 * at build time (scripts/psf2c.py, fbcon_font.h).
 *
 * printk calls ->write() with interrupts off, for every line, and the
 * whole log is replayed at registration: drawing there would cost a full
 * screen of pixel stores per scrolled line.  ->write() therefore only
 * updates a text buffer (a ring of rows, so scrolling moves no text), and
 * a kernel thread redraws the cells whose character changed every
 * FBCON_REFRESH_MS while there is something new.  ->flush() (power-off,
 * panic) draws at once, so the last words always reach the screen.
 *
 * Without a framebuffer tag nothing is mapped, allocated or started.
 */
#define pr_fmt(fmt) "fbcon: " fmt

#include <exo/bootinfo.h>
#include <exo/console.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/kthread.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/time.h>
#include <generated/compile.h>
#include <asm/io.h>
#include <asm/processor.h>

#include "fbcon_font.h"

#define FBCON_REFRESH_MS	40
/* How long a drawer waits for the thread to finish a pass (flush). */
#define FBCON_DRAW_WAIT_NS	(500 * NSEC_PER_MSEC)
/* Colours (0xRRGGBB): Linux's default grey on black, the banner in white. */
#define FBCON_FG		0xaaaaaa
#define FBCON_BG		0x000000
#define FBCON_BANNER_FG		0xffffff

enum esc_state { ESC_NONE, ESC_START, ESC_CSI };

struct fbcon {
	struct console con;
	u8 __iomem *screen;
	u32 pitch, bytespp;
	u32 fg, bg, banner_fg;		/* pixel values */
	unsigned int cols, rows;	/* text area: the rows below the banner */
	/* Protected by text_lock: */
	spinlock_t text_lock;
	char *text;			/* rows * cols, ring of lines from @top */
	unsigned int top, x, y;		/* ring index of screen row 0; cursor */
	enum esc_state esc;
	bool dirty;
	/* Protected by draw_lock: what the screen shows, in screen order. */
	spinlock_t draw_lock;
	char *shown;
	char *line;			/* one row copied out of text */
};

static struct fbcon fbcon;

static u32 pixel_value(const struct boot_framebuffer *fb, u32 rgb)
{
	u32 r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;

	return (r >> (8 - fb->red_size)) << fb->red_pos |
	       (g >> (8 - fb->green_size)) << fb->green_pos |
	       (b >> (8 - fb->blue_size)) << fb->blue_pos;
}

static void put_pixel(u8 __iomem *p, u32 v)
{
	switch (fbcon.bytespp) {
	case 4:
		writel(v, p);
		break;
	case 3:
		writeb(v, p);
		writeb(v >> 8, p + 1);
		writeb(v >> 16, p + 2);
		break;
	default:
		writew(v, p);
		break;
	}
}

/* Draw @c at text column @col of pixel row @y0 (the top of the cell). */
static void draw_char(unsigned int y0, unsigned int col, char c, u32 fg)
{
	const u8 *glyph = fbcon_font['?' - FBCON_FONT_FIRST];

	if (c >= FBCON_FONT_FIRST && c <= FBCON_FONT_LAST)
		glyph = fbcon_font[c - FBCON_FONT_FIRST];
	for (unsigned int y = 0; y < FBCON_FONT_HEIGHT; y++) {
		u8 __iomem *p = fbcon.screen + (size_t)(y0 + y) * fbcon.pitch +
				(size_t)col * FBCON_FONT_WIDTH * fbcon.bytespp;

		for (unsigned int x = 0; x < FBCON_FONT_WIDTH; x++, p += fbcon.bytespp)
			put_pixel(p, glyph[y] & (0x80 >> x) ? fg : fbcon.bg);
	}
}

/*
 * Take @lock with interrupts off, giving up after FBCON_DRAW_WAIT_NS: a
 * CPU that died holding it (panic) must not stop this one's last words.
 * Return: whether @lock is held; fbcon_unlock() either way.
 */
static bool fbcon_lock(spinlock_t *lock, unsigned long *flags) __acquires(lock)
{
	u64 deadline = 0;

	local_irq_save(*flags);
	while (!spin_trylock(lock)) {
		u64 now = ktime_get_ns();

		if (!deadline)
			deadline = now + FBCON_DRAW_WAIT_NS;
		if (now > deadline) {
			__acquire(lock);
			return false;
		}
		cpu_relax();
	}
	__acquire(lock);
	return true;
}

static void fbcon_unlock(spinlock_t *lock, unsigned long flags, bool held) __releases(lock)
{
	if (held)
		spin_unlock(lock);
	else
		__release(lock);
	local_irq_restore(flags);
}

/* Redraw the cells whose character changed since the last pass. */
static void fbcon_draw(void)
{
	unsigned long flags, tflags;
	bool held = fbcon_lock(&fbcon.draw_lock, &flags);

	if (!held)
		goto out;
	WRITE_ONCE(fbcon.dirty, false);
	for (unsigned int r = 0; r < fbcon.rows; r++) {
		char *shown = fbcon.shown + (size_t)r * fbcon.cols;
		bool text_held = fbcon_lock(&fbcon.text_lock, &tflags);

		if (text_held)
			memcpy(fbcon.line, fbcon.text +
			       (size_t)((fbcon.top + r) % fbcon.rows) * fbcon.cols, fbcon.cols);
		fbcon_unlock(&fbcon.text_lock, tflags, text_held);
		if (!text_held)
			break;
		for (unsigned int c = 0; c < fbcon.cols; c++) {
			if (fbcon.line[c] == shown[c])
				continue;
			draw_char((r + 1) * FBCON_FONT_HEIGHT, c, fbcon.line[c], fbcon.fg);
			shown[c] = fbcon.line[c];
		}
	}
out:
	fbcon_unlock(&fbcon.draw_lock, flags, held);
}

static char *text_row(unsigned int y)
{
	return fbcon.text + (size_t)((fbcon.top + y) % fbcon.rows) * fbcon.cols;
}

static void newline(void)
{
	fbcon.x = 0;
	if (fbcon.y + 1 < fbcon.rows) {
		fbcon.y++;
		return;
	}
	/* Scroll: the old top row becomes the new, blank, bottom row. */
	memset(text_row(0), ' ', fbcon.cols);
	fbcon.top = (fbcon.top + 1) % fbcon.rows;
}

/*
 * Escape sequences (the shell's line editing) are skipped, not shown:
 * ESC, then either one byte or '[' with parameters up to a final byte.
 */
static bool skip_escape(char c)
{
	switch (fbcon.esc) {
	case ESC_START:
		fbcon.esc = c == '[' ? ESC_CSI : ESC_NONE;
		return true;
	case ESC_CSI:
		if (c >= 0x40 && c <= 0x7e)
			fbcon.esc = ESC_NONE;
		return true;
	default:
		if (c != 0x1b)
			return false;
		fbcon.esc = ESC_START;
		return true;
	}
}

static void put_char(char c)
{
	if (skip_escape(c))
		return;
	switch (c) {
	case '\n':
		newline();
		return;
	case '\r':
		fbcon.x = 0;
		return;
	case '\b':
		if (fbcon.x)
			fbcon.x--;
		return;
	case '\t':
		do
			put_char(' ');
		while (fbcon.x % 8);
		return;
	}
	if (fbcon.x == fbcon.cols)
		newline();
	text_row(fbcon.y)[fbcon.x++] = c >= FBCON_FONT_FIRST && c <= FBCON_FONT_LAST ? c : '?';
}

static void fbcon_write(struct console *con, const char *s, size_t n)
{
	unsigned long flags;
	bool held = fbcon_lock(&fbcon.text_lock, &flags);

	if (held) {
		for (size_t i = 0; i < n; i++)
			put_char(s[i]);
		WRITE_ONCE(fbcon.dirty, true);
	}
	fbcon_unlock(&fbcon.text_lock, flags, held);
}

static void fbcon_flush(struct console *con)
{
	if (READ_ONCE(fbcon.dirty))
		fbcon_draw();
}

static int fbcon_thread(void *arg)
{
	for (;;) {
		msleep(FBCON_REFRESH_MS);
		if (READ_ONCE(fbcon.dirty))
			fbcon_draw();
	}
	return 0;
}

/* Clear the screen and draw the banner row, before the console exists. */
static void fbcon_draw_banner(const struct boot_framebuffer *fb)
{
	static const char banner[] = "Exo-OS " UTS_RELEASE " (" EXO_COMPILER ")";

	for (u32 y = 0; y < fb->height; y++)
		for (u32 x = 0; x < fb->width; x++)
			put_pixel(fbcon.screen + (size_t)y * fb->pitch + (size_t)x * fbcon.bytespp,
				  fbcon.bg);
	for (unsigned int c = 0; c < fbcon.cols && banner[c]; c++)
		draw_char(0, c, banner[c], fbcon.banner_fg);
}

static int __init fbcon_init(void)
{
	const struct boot_framebuffer *fb = &boot_info.fb;
	struct task_struct *t;
	size_t cells;

	if (!fb->addr)
		return 0;
	fbcon.bytespp = (fb->bpp + 7) / 8;
	fbcon.pitch = fb->pitch;
	fbcon.cols = fb->width / FBCON_FONT_WIDTH;
	if (fb->height / FBCON_FONT_HEIGHT < 2 || !fbcon.cols) {
		pr_warn("framebuffer %ux%u too small for a console\n", fb->width, fb->height);
		return -EINVAL;
	}
	fbcon.rows = fb->height / FBCON_FONT_HEIGHT - 1;
	cells = (size_t)fbcon.rows * fbcon.cols;
	fbcon.text = kmalloc(cells, GFP_KERNEL);
	fbcon.shown = kmalloc(cells, GFP_KERNEL);
	fbcon.line = kmalloc(fbcon.cols, GFP_KERNEL);
	fbcon.screen = ioremap_wc(fb->addr, (size_t)fb->pitch * fb->height);
	if (!fbcon.text || !fbcon.shown || !fbcon.line || !fbcon.screen) {
		pr_err("no memory or mapping for the %ux%u framebuffer at %#llx\n", fb->width,
		       fb->height, (unsigned long long)fb->addr);
		goto fail;
	}
	memset(fbcon.text, ' ', cells);
	memset(fbcon.shown, ' ', cells);
	fbcon.fg = pixel_value(fb, FBCON_FG);
	fbcon.bg = pixel_value(fb, FBCON_BG);
	fbcon.banner_fg = pixel_value(fb, FBCON_BANNER_FG);
	spin_lock_init(&fbcon.text_lock);
	spin_lock_init(&fbcon.draw_lock);
	fbcon_draw_banner(fb);
	t = kthread_run(fbcon_thread, NULL, "fbcon");
	if (!t) {
		pr_err("cannot start the drawing thread\n");
		goto fail;
	}
	fbcon.con.name = "fb0";
	fbcon.con.write = fbcon_write;
	fbcon.con.flush = fbcon_flush;
	register_console(&fbcon.con);
	pr_info("%ux%u, %u bpp at %#llx: %ux%u text console\n", fb->width, fb->height, fb->bpp,
		(unsigned long long)fb->addr, fbcon.cols, fbcon.rows);
	return 0;
fail:
	if (fbcon.screen)
		iounmap(fbcon.screen);
	kfree(fbcon.line);
	kfree(fbcon.shown);
	kfree(fbcon.text);
	return -ENOMEM;
}
device_initcall(fbcon_init);
