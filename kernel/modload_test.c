// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the live-load receiver and image store (kernel/modload.c):
 * frames built here as scripts/modload.py builds them are fed whole, in
 * pieces and byte by byte, with garbage around them and with every field
 * broken; each must get its ACK or NAK line and leave the store (and the
 * allocators) as the outcome says.  One received module is then loaded
 * by the shell's insmod, through the loader's checks.
 */
#include <exo/atomic.h>
#include <exo/crc32.h>
#include <exo/errno.h>
#include <exo/ktest.h>
#include <exo/modload.h>
#include <exo/module.h>
#include <exo/shell.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/vmalloc.h>
#include "module-internal.h"

#define FRAME_MAX	4096

static struct modload_rx rx;
static char replies[512];
static size_t replies_len;
static u8 frame[FRAME_MAX];
static struct modtest_baseline base;

static void collect(void *ctx, const char *line, size_t n)
{
	n = min(n, sizeof(replies) - 1 - replies_len);
	memcpy(replies + replies_len, line, n);
	replies_len += n;
	replies[replies_len] = 0;
}

static int ml_init(struct ktest *t)
{
	modtest_take_baseline(&base);
	modload_rx_init(&rx, collect, NULL);
	replies_len = 0;
	replies[0] = 0;
	return 0;
}

static void ml_exit(struct ktest *t)
{
	modload_rx_destroy(&rx);
	module_image_remove("mlt");
	module_image_remove("modtest_inert");
	MODTEST_EXPECT_BASELINE(t, &base);
}

static void put_le32(u8 *p, u32 v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (u8)(v >> (8 * i));
}

/* A frame for @name carrying @len bytes of @data into frame[]; its size. */
static size_t make_frame(const char *name, const void *data, u32 len)
{
	size_t n = strlen(name), off = MODLOAD_HDR_LEN;

	memcpy(frame, MODLOAD_MAGIC, 4);
	frame[4] = MODLOAD_VERSION;
	frame[5] = (u8)n;
	frame[6] = frame[7] = 0;
	put_le32(frame + 8, len);
	memcpy(frame + off, name, n);
	off += n;
	memcpy(frame + off, data, len);
	off += len;
	put_le32(frame + off, ~crc32_le(~0u, frame, off));
	return off + 4;
}

static bool stored(const char *name, const void *data, size_t len)
{
	struct module_image *img = module_image_get(name);
	bool same = img && img->len == len && !memcmp(img->data, data, len);

	module_image_put(img);
	return same;
}

static const char payload[] = "\x7f" "ELF pretend module image, long enough to span chunks";

static void test_frame(struct ktest *t)
{
	size_t n = make_frame("mlt", payload, sizeof(payload));

	/* The known CRC-32 of "123456789" anchors the checksum itself. */
	KTEST_EXPECT_EQ(t, ~crc32_le(~0u, "123456789", 9), 0xcbf43926u);
	modload_rx_feed(&rx, frame, n);
	KTEST_EXPECT_EQ(t, strcmp(replies, "ACK mlt 54\n"), 0);
	KTEST_EXPECT_TRUE(t, stored("mlt", payload, sizeof(payload)));
	KTEST_EXPECT_TRUE(t, stored("mlt.ko", payload, sizeof(payload)));
	KTEST_EXPECT_FALSE(t, modload_rx_busy(&rx));
	KTEST_EXPECT_EQ(t, rx.frames_ok, 1);
}

/*
 * The receiver checksums the image alone and derives the frame's CRC from
 * it: both must come out right for images of several sizes.
 */
static void test_image_crc(struct ktest *t)
{
	static const u32 sizes[] = { 1, 54, 255, 1024, 3001 };
	static u8 data[3001];
	struct module_image *img;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (u8)(i * 7 + (i >> 8));
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t n = make_frame("mlt", data, sizes[i]);

		replies_len = 0;
		modload_rx_feed(&rx, frame, n);
		KTEST_EXPECT_EQ(t, strncmp(replies, "ACK mlt ", 8), 0);
		img = module_image_get("mlt");
		KTEST_ASSERT_NOT_NULL(t, img);
		KTEST_EXPECT_EQ(t, img->len, sizes[i]);
		KTEST_EXPECT_EQ(t, img->crc, ~crc32_le(~0u, data, sizes[i]));
		module_image_put(img);
	}
	KTEST_EXPECT_EQ(t, rx.frames_bad, 0);
}

static void test_pieces_and_garbage(struct ktest *t)
{
	static const u8 noise[] = "EXO EXOEX E\nXOM";	/* near misses of the magic */
	size_t n = make_frame("mlt", payload, sizeof(payload));

	modload_rx_feed(&rx, noise, sizeof(noise) - 1);
	KTEST_EXPECT_FALSE(t, modload_rx_busy(&rx));
	for (size_t i = 0; i < n; i++)
		modload_rx_feed(&rx, frame + i, 1);
	KTEST_EXPECT_EQ(t, strcmp(replies, "ACK mlt 54\n"), 0);
	/* Twice in one feed, with noise between: both taken. */
	memcpy(frame + n, noise, 8);
	memcpy(frame + n + 8, frame, n);
	modload_rx_feed(&rx, frame, 2 * n + 8);
	KTEST_EXPECT_EQ(t, rx.frames_ok, 3);
	KTEST_EXPECT_EQ(t, rx.frames_bad, 0);
	KTEST_EXPECT_TRUE(t, stored("mlt", payload, sizeof(payload)));
}

/* Feed frame[0..n) broken by @mutate; expect the NAK line starting @nak. */
static void expect_nak(struct ktest *t, size_t n, const char *nak)
{
	replies_len = 0;
	replies[0] = 0;
	modload_rx_feed(&rx, frame, n);
	KTEST_EXPECT_EQ(t, strncmp(replies, nak, strlen(nak)), 0);
	KTEST_EXPECT_FALSE(t, modload_rx_busy(&rx));
	KTEST_EXPECT_NULL(t, module_image_get("mlt"));
}

static void test_bad_frames(struct ktest *t)
{
	size_t n = make_frame("mlt", payload, sizeof(payload));

	frame[20] ^= 1;					/* a payload bit */
	expect_nak(t, n, "NAK EBADMSG CRC ");
	make_frame("mlt", payload, sizeof(payload));
	frame[n - 1] ^= 0x80;				/* the CRC itself */
	expect_nak(t, n, "NAK EBADMSG ");
	make_frame("mlt", payload, sizeof(payload));
	frame[4] = 2;					/* version */
	expect_nak(t, n, "NAK EOPNOTSUPP version 2");
	make_frame("mlt", payload, sizeof(payload));
	frame[7] = 1;					/* flags */
	expect_nak(t, n, "NAK EOPNOTSUPP ");
	make_frame("mlt", payload, sizeof(payload));
	put_le32(frame + 8, MODLOAD_IMAGE_MAX + 1);	/* oversize: refused before allocating */
	expect_nak(t, MODLOAD_HDR_LEN, "NAK E2BIG image of 8388609 bytes");
	put_le32(frame + 8, 0);
	expect_nak(t, MODLOAD_HDR_LEN, "NAK EINVAL empty image");
	make_frame("mlt", payload, sizeof(payload));
	frame[5] = 0;
	expect_nak(t, MODLOAD_HDR_LEN, "NAK ENAMETOOLONG ");
	frame[5] = MODLOAD_NAME_MAX + 1;
	expect_nak(t, MODLOAD_HDR_LEN, "NAK ENAMETOOLONG ");
	n = make_frame("a/b", payload, sizeof(payload));
	expect_nak(t, n, "NAK EINVAL name");
	KTEST_EXPECT_EQ(t, rx.frames_bad, 9);
	/* After all that, a good frame still goes through. */
	n = make_frame("mlt", payload, sizeof(payload));
	replies_len = 0;
	modload_rx_feed(&rx, frame, n);
	KTEST_EXPECT_EQ(t, strcmp(replies, "ACK mlt 54\n"), 0);
}

/*
 * A frame refused after a sane header is skipped by its length: the
 * "EXOM" frame header inside its image must not swallow the next frame.
 */
static void test_resync(struct ktest *t)
{
	static const u8 trap[] = "..EXOM\x01\x03\0\0\xd0\x07\0\0abc a frame header in an image";
	static u8 two[2 * FRAME_MAX];
	size_t n = make_frame("a/b", trap, sizeof(trap)), m;

	memcpy(two, frame, n);
	m = make_frame("mlt", payload, sizeof(payload));
	memcpy(two + n, frame, m);
	modload_rx_feed(&rx, two, n + m);
	KTEST_EXPECT_EQ(t, strcmp(replies, "NAK EINVAL name not made of [A-Za-z0-9_-]\n"
				   "ACK mlt 54\n"), 0);
	KTEST_EXPECT_FALSE(t, modload_rx_busy(&rx));
	/* The same after a CRC mismatch, fed byte by byte. */
	n = make_frame("mlt", trap, sizeof(trap));
	frame[n - 1] ^= 1;
	memcpy(two, frame, n);
	m = make_frame("mlt", payload, sizeof(payload));
	memcpy(two + n, frame, m);
	replies_len = 0;
	for (size_t i = 0; i < n + m; i++)
		modload_rx_feed(&rx, two + i, 1);
	KTEST_EXPECT_EQ(t, strncmp(replies, "NAK EBADMSG ", 12), 0);
	KTEST_EXPECT_NOT_NULL(t, strstr(replies, "\nACK mlt 54\n"));
	/* The NAK waits for the frame's end; cut while skipping, it is the abort's. */
	n = make_frame("a/b", trap, sizeof(trap));
	replies_len = 0;
	modload_rx_feed(&rx, frame, n - 3);
	KTEST_EXPECT_TRUE(t, modload_rx_busy(&rx));
	KTEST_EXPECT_EQ(t, replies_len, 0);
	modload_rx_abort(&rx, -ETIMEDOUT, "cut short");
	KTEST_EXPECT_FALSE(t, modload_rx_busy(&rx));
	KTEST_EXPECT_EQ(t, strcmp(replies, "NAK ETIMEDOUT cut short\n"), 0);
	KTEST_EXPECT_EQ(t, rx.frames_ok, 2);
	KTEST_EXPECT_EQ(t, rx.frames_bad, 3);
}

static void test_truncated(struct ktest *t)
{
	/* Cut in the header, the name (12..14), the image and the CRC (69..72). */
	static const struct {
		size_t cut;
		enum modload_state in;
	} cuts[] = {
		{ 6, MODLOAD_HEADER }, { 13, MODLOAD_NAME }, { 40, MODLOAD_DATA },
		{ 70, MODLOAD_CRC },
	};
	size_t n = make_frame("mlt", payload, sizeof(payload));

	/* Between frames an abort is silent. */
	modload_rx_abort(&rx, -ETIMEDOUT, "test");
	KTEST_EXPECT_EQ(t, replies_len, 0);
	for (size_t i = 0; i < ARRAY_SIZE(cuts); i++) {
		replies_len = 0;
		modload_rx_feed(&rx, frame, cuts[i].cut);
		KTEST_EXPECT_EQ(t, rx.state, cuts[i].in);
		modload_rx_abort(&rx, -ETIMEDOUT, "cut short");
		KTEST_EXPECT_EQ(t, strcmp(replies, "NAK ETIMEDOUT cut short\n"), 0);
		KTEST_EXPECT_NULL(t, module_image_get("mlt"));
	}
	/* Destroyed mid-frame: the half image is freed (ml_exit checks). */
	modload_rx_feed(&rx, frame, n - 2);
}

static void test_store(struct ktest *t)
{
	struct module_image *held;
	void *a = vmalloc(16), *b = vmalloc(32);

	KTEST_ASSERT_NOT_NULL(t, a);
	KTEST_ASSERT_NOT_NULL(t, b);
	memset(a, 'a', 16);
	memset(b, 'b', 32);
	KTEST_EXPECT_EQ(t, module_image_add("mlt", a, 16), 0);
	held = module_image_get("mlt");
	KTEST_ASSERT_NOT_NULL(t, held);
	/* Replaced while held: the holder keeps the old bytes. */
	KTEST_EXPECT_EQ(t, module_image_add("mlt", b, 32), 0);
	KTEST_EXPECT_EQ(t, held->len, 16);
	KTEST_EXPECT_EQ(t, ((u8 *)held->data)[15], 'a');
	KTEST_EXPECT_TRUE(t, stored("mlt", b, 32));
	module_image_put(held);
	module_image_put(NULL);
	KTEST_EXPECT_EQ(t, module_image_remove("mlt"), 0);
	KTEST_EXPECT_EQ(t, module_image_remove("mlt"), -ENOENT);
	KTEST_EXPECT_NULL(t, module_image_get("mlt"));
	KTEST_EXPECT_EQ(t, module_image_add("", vmalloc(8), 8), -EINVAL);
	KTEST_EXPECT_EQ(t, module_image_add("m2345678901234567890123456789012345678901234567890123456",
					    vmalloc(8), 8), -EINVAL);
	/* Not a module's name: refused, and "mlt.ko" does not become "mlt". */
	KTEST_EXPECT_EQ(t, module_image_add("mlt.ko", vmalloc(8), 8), -EINVAL);
	KTEST_EXPECT_EQ(t, module_image_add("a/b", vmalloc(8), 8), -EINVAL);
	KTEST_EXPECT_EQ(t, module_image_add("ml t", vmalloc(8), 8), -EINVAL);
	KTEST_EXPECT_NULL(t, module_image_get("mlt"));
	KTEST_EXPECT_NULL(t, module_image_get("a/b"));
}

#define SMP_ROUNDS	60
#define SMP_WORKERS	4

static atomic_t smp_torn;
static u32 smp_crc[SMP_WORKERS];	/* CRC of worker i's image */

/*
 * Each worker stores images of its own size and byte under one name while
 * the others replace, read and remove it: the image a worker holds must
 * stay one whole image (its size and the CRC taken when it was stored
 * agree) until it puts it back, and nothing may leak (ml_exit).
 */
static void store_worker(void *arg, unsigned int id)
{
	for (unsigned int i = 0; i < SMP_ROUNDS; i++) {
		size_t len = 64 + id;
		u8 *img = vmalloc(len);
		struct module_image *held;

		if (img) {
			memset(img, (int)id, len);
			module_image_add("mlt", img, len);
		}
		held = module_image_get("mlt");
		if (held && (held->len < 64 || held->len >= 64 + SMP_WORKERS ||
			     held->crc != smp_crc[held->len - 64] || strcmp(held->name, "mlt") ||
			     memchr_inv(held->data, (int)(held->len - 64), held->len)))
			atomic_inc(&smp_torn);
		if (i % 7 == id % 7)
			module_image_remove("mlt");
		module_image_put(held);
	}
}

static void test_store_smp(struct ktest *t)
{
	int ran;

	if (num_online_cpus() < 2)
		KTEST_SKIP(t, "needs two CPUs");
	for (unsigned int id = 0; id < SMP_WORKERS; id++) {
		u8 pattern[64 + SMP_WORKERS];

		memset(pattern, (int)id, sizeof(pattern));
		smp_crc[id] = ~crc32_le(~0u, pattern, 64 + id);
	}
	atomic_set(&smp_torn, 0);
	ran = ktest_run_on_cpus(SMP_WORKERS, store_worker, NULL);
	KTEST_ASSERT_GE(t, ran, 2);
	KTEST_EXPECT_EQ(t, atomic_read(&smp_torn), 0);
}

/* A received module goes through insmod and the loader like a boot one. */
static void test_insmod(struct ktest *t)
{
	const struct modtest_blob *b = modtest_blob("modtest_inert");
	size_t len;
	u8 *img;

	KTEST_ASSERT_NOT_NULL(t, b);
	len = (size_t)(b->end - b->start);
	img = vmalloc(len);
	KTEST_ASSERT_NOT_NULL(t, img);
	memcpy(img, b->start, len);
	KTEST_EXPECT_EQ(t, module_image_add("modtest_inert", img, len), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("insmod modtest_inert"), 0);
	KTEST_EXPECT_NOT_NULL(t, find_module("modtest_inert"));
	KTEST_EXPECT_EQ(t, unload_module("modtest_inert"), 0);
	/* A received image that fails the loader's checks is refused as such. */
	img = vmalloc(len);
	KTEST_ASSERT_NOT_NULL(t, img);
	memcpy(img, b->start, len);
	img[4] = 1;					/* ELFCLASS32 */
	KTEST_EXPECT_EQ(t, module_image_add("modtest_inert", img, len), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("insmod modtest_inert"), -ENOEXEC);
	KTEST_EXPECT_NULL(t, find_module("modtest_inert"));
}

static struct ktest_case modload_cases[] = {
	KTEST_CASE(test_frame),
	KTEST_CASE(test_image_crc),
	KTEST_CASE(test_pieces_and_garbage),
	KTEST_CASE(test_bad_frames),
	KTEST_CASE(test_resync),
	KTEST_CASE(test_truncated),
	KTEST_CASE(test_store),
	KTEST_CASE(test_store_smp),
	KTEST_CASE(test_insmod),
	{}
};

static struct ktest_suite modload_suite = {
	.name = "modload",
	.cases = modload_cases,
	.init = ml_init,
	.exit = ml_exit,
};
KTEST_SUITE(modload_suite);
