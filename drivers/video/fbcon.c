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
 * The console is registered right after mm_core_init() (fbcon_early_init())
 * and drawn by ->flush() alone until the thread starts at the first
 * initcall level.  Without a framebuffer tag nothing is mapped, allocated
 * or started.
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
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/time.h>
#include <generated/compile.h>
#include <asm/io.h>
#include <asm/processor.h>

#include "fbcon_font.h"
#include "internal.h"

#define FBCON_REFRESH_MS	40
/* How long fbcon_lock() waits: longer means its holder died. */
#define FBCON_LOCK_WAIT_NS	(500 * NSEC_PER_MSEC)
/* Colours (0xRRGGBB): Linux's default grey on black, the banner in white. */
#define FBCON_FG		0xaaaaaa
#define FBCON_BG		0x000000
#define FBCON_BANNER_FG		0xffffff

static u32 pixel_value(const struct boot_framebuffer *fb, u32 rgb)
{
	u32 r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;

	return (r >> (8 - fb->red_size)) << fb->red_pos |
	       (g >> (8 - fb->green_size)) << fb->green_pos |
	       (b >> (8 - fb->blue_size)) << fb->blue_pos;
}

static void put_pixel(const struct fbcon *fc, u8 __iomem *p, u32 v)
{
	switch (fc->bytespp) {
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
static void draw_char(const struct fbcon *fc, unsigned int y0, unsigned int col, char c,
		      u32 fg)
{
	const u8 *glyph = fbcon_font['?' - FBCON_FONT_FIRST];

	if (c >= FBCON_FONT_FIRST && c <= FBCON_FONT_LAST)
		glyph = fbcon_font[c - FBCON_FONT_FIRST];
	for (unsigned int y = 0; y < FBCON_FONT_HEIGHT; y++) {
		u8 __iomem *p = fc->screen + (size_t)(y0 + y) * fc->pitch +
				(size_t)col * FBCON_FONT_WIDTH * fc->bytespp;

		for (unsigned int x = 0; x < FBCON_FONT_WIDTH; x++, p += fc->bytespp)
			put_pixel(fc, p, glyph[y] & (0x80 >> x) ? fg : fc->bg);
	}
}

/*
 * Take @lock (@owner: the CPU holding it, -1 for none) with interrupts
 * off.  Return: whether the caller may touch what @lock protects; *@held
 * says whether it holds @lock.  Call fbcon_unlock() either way.
 *
 * Once a panic has begun no lock is taken, as printk's lock_log() does:
 * panic() stops the other CPUs by NMI, maybe inside a redraw, and the
 * last words must still reach the screen.  A handler (NMI, exception)
 * that interrupted the CPU holding @lock gives up at once: that lock is
 * never released while it waits.  Otherwise, a holder that keeps @lock
 * past FBCON_LOCK_WAIT_NS has died: the console is marked busted and works
 * without its locks from then on, which may garble text (every index
 * stays in bounds, see put_char()) but loses none.
 */
static bool fbcon_lock(struct fbcon *fc, spinlock_t *lock, int *owner,
		       unsigned long *flags, bool *held) __acquires(lock)
{
	u64 deadline = 0;
	int me;

	local_irq_save(*flags);
	me = (int)smp_processor_id();
	*held = false;
	while (!console_in_panic() && !READ_ONCE(fc->busted)) {
		u64 now;

		if (spin_trylock(lock)) {
			WRITE_ONCE(*owner, me);
			*held = true;
			break;
		}
		if (READ_ONCE(*owner) == me) {
			__acquire(lock);
			return false;
		}
		now = ktime_get_ns();
		if (!deadline)
			deadline = now + FBCON_LOCK_WAIT_NS;
		if (now > deadline)
			WRITE_ONCE(fc->busted, true);
		cpu_relax();
	}
	__acquire(lock);
	return true;
}

static void fbcon_unlock(spinlock_t *lock, int *owner, unsigned long flags,
			 bool held) __releases(lock)
{
	if (held) {
		WRITE_ONCE(*owner, -1);
		spin_unlock(lock);
	} else {
		__release(lock);
	}
	local_irq_restore(flags);
}

/*
 * Redraw the changed cells of text row @r, interrupts off for this row
 * only.  Return: false if a lock was given up (fbcon_lock()), nothing drawn.
 */
static bool fbcon_draw_row(struct fbcon *fc, unsigned int r)
{
	char *shown = fc->shown + (size_t)r * fc->cols;
	unsigned long flags, tflags;
	bool held, text_held, ok;

	ok = fbcon_lock(fc, &fc->draw_lock, &fc->draw_owner, &flags, &held);
	if (ok) {
		ok = fbcon_lock(fc, &fc->text_lock, &fc->text_owner, &tflags, &text_held);
		if (ok)
			memcpy(fc->line, fbcon_text_row(fc, r), fc->cols);
		fbcon_unlock(&fc->text_lock, &fc->text_owner, tflags, text_held);
	}
	for (unsigned int c = 0; ok && c < fc->cols; c++) {
		if (fc->line[c] == shown[c])
			continue;
		draw_char(fc, (r + 1) * FBCON_FONT_HEIGHT, c, fc->line[c], fc->fg);
		shown[c] = fc->line[c];
	}
	fbcon_unlock(&fc->draw_lock, &fc->draw_owner, flags, held);
	return ok;
}

void fbcon_draw(struct fbcon *fc)
{
	/* Cleared first: text written after this sets it again, never lost. */
	WRITE_ONCE(fc->dirty, false);
	for (unsigned int r = 0; r < fc->rows; r++) {
		if (!fbcon_draw_row(fc, r)) {
			WRITE_ONCE(fc->dirty, true);
			return;
		}
	}
}

char *fbcon_text_row(struct fbcon *fc, unsigned int y)
{
	return fc->text + (size_t)((fc->top + y) % fc->rows) * fc->cols;
}

static void newline(struct fbcon *fc)
{
	fc->x = 0;
	if (fc->y + 1 < fc->rows) {
		fc->y++;
		return;
	}
	/* Scroll: the old top row becomes the new, blank, bottom row. */
	memset(fbcon_text_row(fc, 0), ' ', fc->cols);
	fc->top = (fc->top + 1) % fc->rows;
}

/*
 * Escape sequences (the shell's line editing) are skipped, not shown:
 * ESC, then either one byte or '[' with parameters up to a final byte.
 */
static bool skip_escape(struct fbcon *fc, char c)
{
	switch (fc->esc) {
	case ESC_START:
		fc->esc = c == '[' ? ESC_CSI : ESC_NONE;
		return true;
	case ESC_CSI:
		if (c >= 0x40 && c <= 0x7e)
			fc->esc = ESC_NONE;
		return true;
	default:
		if (c != 0x1b)
			return false;
		fc->esc = ESC_START;
		return true;
	}
}

static void put_char(struct fbcon *fc, char c)
{
	unsigned int x;

	if (skip_escape(fc, c))
		return;
	switch (c) {
	case '\n':
		newline(fc);
		return;
	case '\r':
		fc->x = 0;
		return;
	case '\b':
		if (fc->x)
			fc->x--;
		return;
	case '\t':
		do
			put_char(fc, ' ');
		while (fc->x % 8);
		return;
	}
	/*
	 * The cursor is read once and checked with >=: a busted console's
	 * unlocked writers race on it, and must still stay in the buffer
	 * (fbcon_text_row() takes the row modulo the ring).
	 */
	x = READ_ONCE(fc->x);
	if (x >= fc->cols) {
		newline(fc);
		x = 0;
	}
	fbcon_text_row(fc, fc->y)[x] = c >= FBCON_FONT_FIRST && c <= FBCON_FONT_LAST ? c : '?';
	fc->x = x + 1;
}

void fbcon_puts(struct fbcon *fc, const char *s, size_t n)
{
	unsigned long flags;
	bool held;

	if (fbcon_lock(fc, &fc->text_lock, &fc->text_owner, &flags, &held)) {
		for (size_t i = 0; i < n; i++)
			put_char(fc, s[i]);
		WRITE_ONCE(fc->dirty, true);
	}
	fbcon_unlock(&fc->text_lock, &fc->text_owner, flags, held);
}

static void fbcon_write(struct console *con, const char *s, size_t n)
{
	fbcon_puts(container_of(con, struct fbcon, con), s, n);
}

static void fbcon_flush(struct console *con)
{
	struct fbcon *fc = container_of(con, struct fbcon, con);

	if (READ_ONCE(fc->dirty))
		fbcon_draw(fc);
}

static int fbcon_thread(void *arg)
{
	struct fbcon *fc = arg;

	for (;;) {
		msleep(FBCON_REFRESH_MS);
		if (READ_ONCE(fc->dirty))
			fbcon_draw(fc);
	}
	return 0;
}

/* Clear the screen and draw the banner row, before the console exists. */
static void fbcon_draw_banner(struct fbcon *fc, const struct boot_framebuffer *fb)
{
	static const char banner[] = "Exo-OS " UTS_RELEASE " (" EXO_COMPILER ")";

	for (u32 y = 0; y < fb->height; y++)
		for (u32 x = 0; x < fb->width; x++)
			put_pixel(fc, fc->screen + (size_t)y * fb->pitch + (size_t)x * fc->bytespp,
				  fc->bg);
	for (unsigned int c = 0; c < fc->cols && banner[c]; c++)
		draw_char(fc, 0, c, banner[c], fc->banner_fg);
}

int fbcon_setup(struct fbcon *fc, const struct boot_framebuffer *fb, u8 __iomem *screen)
{
	size_t cells;

	memset(fc, 0, sizeof(*fc));
	fc->bytespp = (fb->bpp + 7) / 8;
	fc->pitch = fb->pitch;
	fc->cols = fb->width / FBCON_FONT_WIDTH;
	if (fb->height / FBCON_FONT_HEIGHT < 2 || !fc->cols) {
		pr_warn("framebuffer %ux%u too small for a console\n", fb->width, fb->height);
		return -EINVAL;
	}
	/* The loader's tag was checked (multiboot2.c); a caller's fb may not be. */
	if (fb->pitch < (u64)fb->width * fc->bytespp || !fb->red_size || !fb->green_size ||
	    !fb->blue_size || fb->red_pos + fb->red_size > fb->bpp ||
	    fb->green_pos + fb->green_size > fb->bpp || fb->blue_pos + fb->blue_size > fb->bpp) {
		pr_warn("framebuffer %ux%u, %u bpp, pitch %u: bad geometry\n", fb->width,
			fb->height, fb->bpp, fb->pitch);
		return -EINVAL;
	}
	fc->rows = fb->height / FBCON_FONT_HEIGHT - 1;
	cells = (size_t)fc->rows * fc->cols;
	fc->text = kmalloc(cells, GFP_KERNEL);
	fc->shown = kmalloc(cells, GFP_KERNEL);
	fc->line = kmalloc(fc->cols, GFP_KERNEL);
	if (!fc->text || !fc->shown || !fc->line) {
		fbcon_release(fc);
		return -ENOMEM;
	}
	memset(fc->text, ' ', cells);
	memset(fc->shown, ' ', cells);
	fc->screen = screen;
	fc->fg = pixel_value(fb, FBCON_FG);
	fc->bg = pixel_value(fb, FBCON_BG);
	fc->banner_fg = pixel_value(fb, FBCON_BANNER_FG);
	spin_lock_init(&fc->text_lock);
	spin_lock_init(&fc->draw_lock);
	fc->text_owner = fc->draw_owner = -1;
	fbcon_draw_banner(fc, fb);
	return 0;
}

void fbcon_release(struct fbcon *fc)
{
	kfree(fc->line);
	kfree(fc->shown);
	kfree(fc->text);
	fc->line = fc->shown = fc->text = NULL;
}

static struct fbcon fbcon_boot;

/**
 * fbcon_early_init() - register the console on the boot loader's framebuffer
 *
 * Called by start_kernel() right after mm_core_init() (ioremap and
 * kmalloc work from there), so that a failure in SMP or ACPI bring-up
 * reaches the screen: until fbcon_start() runs the redraw thread, the
 * text is drawn by ->flush() (panic, power-off).  Without a framebuffer
 * tag it does nothing; a framebuffer it cannot use is logged and left.
 */
void __init fbcon_early_init(void)
{
	const struct boot_framebuffer *fb = &boot_info.fb;
	struct fbcon *fc = &fbcon_boot;
	u8 __iomem *screen;

	if (!fb->addr)
		return;
	screen = ioremap_wc(fb->addr, (size_t)fb->pitch * fb->height);
	if (!screen) {
		pr_err("cannot map the %ux%u framebuffer at %#llx\n", fb->width, fb->height,
		       (unsigned long long)fb->addr);
		return;
	}
	if (fbcon_setup(fc, fb, screen)) {
		iounmap(screen);
		return;
	}
	fc->con.name = "fb0";
	fc->con.write = fbcon_write;
	fc->con.flush = fbcon_flush;
	register_console(&fc->con);
	pr_info("%ux%u, %u bpp at %#llx: %ux%u text console\n", fb->width, fb->height, fb->bpp,
		(unsigned long long)fb->addr, fc->cols, fc->rows);
}

/*
 * Start the redraw thread once kthreads run (the first initcall level).
 * Without it the console still draws on ->flush(), so a failure only
 * costs the live display.
 */
static int __init fbcon_start(void)
{
	struct fbcon *fc = &fbcon_boot;

	if (!fc->screen)
		return 0;
	if (!kthread_run(fbcon_thread, fc, "fbcon")) {
		pr_err("cannot start the drawing thread: the screen shows the log on flush only\n");
		return -ENOMEM;
	}
	return 0;
}
early_initcall(fbcon_start);
