// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the framebuffer console on a framebuffer in RAM (no boot
 * framebuffer needed): 10 text columns, 4 rows below the banner, 32 bpp.
 * Text wraps, scrolls, skips escape sequences; drawing puts the font's
 * glyphs at the right pixels, redraws only changed cells, a writer on
 * another CPU racing the drawer leaves the screen equal to the text, and
 * a lock held by the same CPU or by a dead one neither hangs nor loses
 * the text it must not lose.
 */
#include <exo/completion.h>
#include <exo/errno.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>

#include "fbcon_font.h"
#include "internal.h"

#define W	80
#define H	80		/* 5 rows of 16: the banner and 4 text rows */

static const struct boot_framebuffer test_fb = {
	.addr = 1, .pitch = W * 4, .width = W, .height = H, .bpp = 32,
	.red_pos = 16, .red_size = 8, .green_pos = 8, .green_size = 8,
	.blue_pos = 0, .blue_size = 8,
};

static struct fbcon fc;
#define PUTS(s)	fbcon_puts(&fc, s, sizeof(s) - 1)
static u32 *pixels;

static int setup(struct ktest *t)
{
	pixels = kzalloc(W * H * 4, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, pixels);
	KTEST_ASSERT_EQ(t, fbcon_setup(&fc, &test_fb, (u8 __force __iomem *)pixels), 0);
	KTEST_EXPECT_EQ(t, fc.cols, 10U);
	KTEST_EXPECT_EQ(t, fc.rows, 4U);
	return 0;
}

static void teardown(void)
{
	fbcon_release(&fc);
	kfree(pixels);
}

static bool row_is(unsigned int y, const char *want)
{
	char buf[11];

	memset(buf, ' ', 10);
	memcpy(buf, want, strlen(want));
	return !memcmp(fbcon_text_row(&fc, y), buf, 10);
}

static void test_fbcon_wrap_scroll(struct ktest *t)
{
	if (setup(t))
		return;
	PUTS("0123456789AB\nx\ny");
	KTEST_EXPECT_TRUE(t, row_is(0, "0123456789"));
	KTEST_EXPECT_TRUE(t, row_is(1, "AB"));
	KTEST_EXPECT_TRUE(t, row_is(3, "y"));
	/* Two more lines: two rows scroll away, the new bottom row is blank. */
	PUTS("\nz\n");
	KTEST_EXPECT_TRUE(t, row_is(0, "x"));
	KTEST_EXPECT_TRUE(t, row_is(1, "y"));
	KTEST_EXPECT_TRUE(t, row_is(2, "z"));
	KTEST_EXPECT_TRUE(t, row_is(3, ""));
	teardown();
}

static void test_fbcon_control(struct ktest *t)
{
	if (setup(t))
		return;
	/* CSI erase-line and a bare ESC pair vanish; tab to column 8; \1 is '?'. */
	PUTS("\x1b[2Kab\x1b" "7\tc\x01");
	KTEST_EXPECT_TRUE(t, row_is(0, "ab      c?"));
	PUTS("\nXY\bZ");
	KTEST_EXPECT_TRUE(t, row_is(1, "XZ"));
	teardown();
}

/* Whether text cell (@row, @col) shows @c in the console's colours. */
static bool cell_shows(unsigned int row, unsigned int col, char c, u32 fg)
{
	const u8 *g = fbcon_font[c - FBCON_FONT_FIRST];

	for (unsigned int y = 0; y < FBCON_FONT_HEIGHT; y++)
		for (unsigned int x = 0; x < 8; x++) {
			u32 p = pixels[(row * FBCON_FONT_HEIGHT + y) * W + col * 8 + x];

			if (p != (g[y] & (0x80 >> x) ? fg : 0))
				return false;
		}
	return true;
}

static void test_fbcon_draw(struct ktest *t)
{
	if (setup(t))
		return;
	/* The banner row, white, from the first line. */
	KTEST_EXPECT_TRUE(t, cell_shows(0, 0, 'E', 0xffffff));
	KTEST_EXPECT_TRUE(t, cell_shows(0, 1, 'x', 0xffffff));
	PUTS("A\n b");
	KTEST_EXPECT_TRUE(t, fc.dirty);
	fbcon_draw(&fc);
	KTEST_EXPECT_FALSE(t, fc.dirty);
	KTEST_EXPECT_TRUE(t, cell_shows(1, 0, 'A', 0xaaaaaa));
	KTEST_EXPECT_TRUE(t, cell_shows(2, 1, 'b', 0xaaaaaa));
	KTEST_EXPECT_TRUE(t, cell_shows(2, 0, ' ', 0xaaaaaa));
	/* Unchanged cells are not drawn again: a pixel scribbled on stays. */
	pixels[2 * FBCON_FONT_HEIGHT * W + 5 * 8] = 0x123456;
	PUTS("c");
	fbcon_draw(&fc);
	KTEST_EXPECT_TRUE(t, cell_shows(2, 2, 'c', 0xaaaaaa));
	KTEST_EXPECT_EQ(t, pixels[2 * FBCON_FONT_HEIGHT * W + 5 * 8], 0x123456U);
	teardown();
}

static void test_fbcon_too_small(struct ktest *t)
{
	struct boot_framebuffer fb = test_fb;
	struct fbcon small;

	pixels = kzalloc(W * H * 4, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, pixels);
	fb.height = 31;			/* the banner row, then less than a row */
	KTEST_EXPECT_EQ(t, fbcon_setup(&small, &fb, (u8 __force __iomem *)pixels), -EINVAL);
	fb.height = H;
	fb.width = 7;			/* less than one column */
	KTEST_EXPECT_EQ(t, fbcon_setup(&small, &fb, (u8 __force __iomem *)pixels), -EINVAL);
	fb.width = W;
	fb.pitch = W * 4 - 1;		/* a line's pixels do not fit */
	KTEST_EXPECT_EQ(t, fbcon_setup(&small, &fb, (u8 __force __iomem *)pixels), -EINVAL);
	fb.pitch = W * 4;
	fb.red_size = 0;		/* a channel of no bits */
	KTEST_EXPECT_EQ(t, fbcon_setup(&small, &fb, (u8 __force __iomem *)pixels), -EINVAL);
	kfree(pixels);
}

static DECLARE_COMPLETION(writer_done);

static int writer(void *arg)
{
	for (int i = 0; i < 2000; i++)
		fbcon_puts(&fc, i % 7 ? "abc " : "line\n", i % 7 ? 4 : 5);
	complete(&writer_done);
	return 0;
}

/* A writer on another thread while this one draws: no lost update. */
static void test_fbcon_race(struct ktest *t)
{
	if (setup(t))
		return;
	reinit_completion(&writer_done);
	KTEST_ASSERT_TRUE(t, kthread_run(writer, NULL, "fbcon_writer"));
	while (!try_wait_for_completion(&writer_done))
		fbcon_draw(&fc);
	fbcon_draw(&fc);
	for (unsigned int r = 0; r < fc.rows; r++)
		for (unsigned int c = 0; c < fc.cols; c++)
			KTEST_EXPECT_TRUE(t, cell_shows(r + 1, c, fbcon_text_row(&fc, r)[c],
							0xaaaaaa));
	teardown();
}

/*
 * An NMI on the CPU holding text_lock gives up at once: its text is
 * dropped (printk's log keeps it) and a redraw that cannot copy a row
 * leaves the console dirty, so the next pass draws it.
 */
static void test_fbcon_lock_nested(struct ktest *t)
{
	if (setup(t))
		return;
	PUTS("a");
	spin_lock(&fc.text_lock);
	fc.text_owner = (int)smp_processor_id();
	PUTS("b");
	fbcon_draw(&fc);
	fc.text_owner = -1;
	spin_unlock(&fc.text_lock);
	KTEST_EXPECT_TRUE(t, row_is(0, "a"));
	KTEST_EXPECT_FALSE(t, fc.busted);
	KTEST_EXPECT_TRUE(t, fc.dirty);
	KTEST_EXPECT_TRUE(t, cell_shows(1, 0, ' ', 0xaaaaaa));
	fbcon_draw(&fc);
	KTEST_EXPECT_FALSE(t, fc.dirty);
	KTEST_EXPECT_TRUE(t, cell_shows(1, 0, 'a', 0xaaaaaa));
	teardown();
}

/*
 * A holder that never lets go (a CPU panic() stopped mid-redraw): after
 * the wait the console is busted and goes on without its locks, the text
 * written and drawn, not dropped.
 */
static void test_fbcon_lock_dead_holder(struct ktest *t)
{
	if (setup(t))
		return;
	spin_lock(&fc.text_lock);
	spin_lock(&fc.draw_lock);
	PUTS("last");
	KTEST_EXPECT_TRUE(t, fc.busted);
	KTEST_EXPECT_TRUE(t, row_is(0, "last"));
	fbcon_draw(&fc);
	KTEST_EXPECT_FALSE(t, fc.dirty);
	KTEST_EXPECT_TRUE(t, cell_shows(1, 3, 't', 0xaaaaaa));
	/* Busted is sticky: no further wait. */
	PUTS("\nwords");
	KTEST_EXPECT_TRUE(t, row_is(1, "words"));
	spin_unlock(&fc.draw_lock);
	spin_unlock(&fc.text_lock);
	teardown();
}

static struct ktest_case fbcon_cases[] = {
	KTEST_CASE(test_fbcon_wrap_scroll),
	KTEST_CASE(test_fbcon_control),
	KTEST_CASE(test_fbcon_draw),
	KTEST_CASE(test_fbcon_too_small),
	KTEST_CASE(test_fbcon_race),
	KTEST_CASE(test_fbcon_lock_nested),
	KTEST_CASE(test_fbcon_lock_dead_holder),
	{}
};

static struct ktest_suite fbcon_suite = {
	.name = "fbcon",
	.cases = fbcon_cases,
};
KTEST_SUITE(fbcon_suite);
