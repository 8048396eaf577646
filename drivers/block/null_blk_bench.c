// SPDX-License-Identifier: GPL-2.0
/*
 * Block layer cost per request on nullb0 (null_blk built in, completion
 * in queue_rq): one 4 KiB read submitted and waited for, QD1, so the
 * figure is the submit and completion paths of the block layer plus
 * null_blk's 4 KiB copy, with no waiting.  `blk bench` measures QD32 and
 * real devices.
 */
#include <exo/bench.h>
#include <exo/blkdev.h>
#include <exo/err.h>
#include <exo/slab.h>

struct blk_bench_priv {
	struct block_device *bdev;
	void *buf;
};

static int blk_bench_setup(struct bench *b)
{
	struct blk_bench_priv *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	p->bdev = blkdev_get_by_path("nullb0", FMODE_READ, NULL);
	p->buf = kmalloc(4096, GFP_KERNEL);
	if (IS_ERR(p->bdev) || !p->buf) {
		pr_err("blk_null_read4k: no nullb0 or no memory\n");
		if (!IS_ERR(p->bdev))
			blkdev_put(p->bdev, FMODE_READ);
		kfree(p->buf);
		kfree(p);
		return -ENODEV;
	}
	b->priv = p;
	return 0;
}

static void blk_bench_teardown(struct bench *b)
{
	struct blk_bench_priv *p = b->priv;

	blkdev_put(p->bdev, FMODE_READ);
	kfree(p->buf);
	kfree(p);
}

static void blk_bench_read4k(struct bench *b, unsigned int ops)
{
	struct blk_bench_priv *p = b->priv;

	for (unsigned int i = 0; i < ops; i++)
		blkdev_rw(p->bdev, REQ_OP_READ, (i % 512) * 8, p->buf, 4096);
}

DEFINE_BENCH_FULL(blk_null_read4k, .desc = "4 KiB read on null_blk, QD1 (submit+complete)",
		  .run = blk_bench_read4k, .setup = blk_bench_setup,
		  .teardown = blk_bench_teardown);
