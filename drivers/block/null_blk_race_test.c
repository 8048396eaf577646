// SPDX-License-Identifier: GPL-2.0
/*
 * ktests of blk-mq's races and error paths on null_blk disks (suite
 * "null_blk").  Each interleaving is forced by a hook instead of left to
 * timing (each case says how), and each case checks that every bio ended
 * exactly once and that the block layer's counts went back to where they
 * were.
 */
#include <exo/blk-mq.h>
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/kthread.h>
#include <exo/page_alloc.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/string.h>
#include "null_blk.h"
#include "../../block/blk.h"

/* One bio submitted without waiting, and how often (and how) it ended. */
struct nr_io {
	struct bio *bio;
	atomic_t ends;
	blk_status_t status;
};

static void nr_endio(struct bio *bio)
{
	struct nr_io *io = bio->bi_private;

	io->status = bio->bi_status;
	atomic_add(1, &io->ends);
}

static bool nr_submit(struct nr_io *io, struct block_device *bdev, blk_opf_t op,
		      sector_t sector, void *buf, unsigned int len)
{
	io->bio = bio_alloc(bdev, 1, op, GFP_KERNEL);
	if (!io->bio)
		return false;
	atomic_set(&io->ends, 0);
	io->bio->bi_iter.bi_sector = sector;
	io->bio->bi_end_io = nr_endio;
	io->bio->bi_private = io;
	if (bio_add_virt(io->bio, buf, len) != (int)len)
		return false;
	submit_bio(io->bio);
	return true;
}

/*
 * Wait up to @ms for the bio to end, then a little longer so that a second
 * end shows, and return how many times it ended.  A bio that never ends
 * is leaked: the case has failed, and freeing it could free it in use.
 */
static int nr_wait(struct nr_io *io, int ms)
{
	int ends;

	for (int i = 0; i < ms && !atomic_read(&io->ends); i += 10)
		msleep(10);
	msleep(20);
	ends = atomic_read(&io->ends);
	if (ends)
		bio_put(io->bio);
	return ends;
}

/* A null_blk disk; *@c0 (if given) gets the block layer's counts before it. */
static struct nullb *nr_create(struct ktest *t, struct nullb_config cfg, const char *name,
			       struct blk_counters *c0)
{
	struct nullb *nb;

	if (c0)
		blk_get_counters(c0);
	cfg.memory_backed = true;
	cfg.size_mb = cfg.size_mb ?: 2;
	nb = null_blk_create(&cfg, name);
	if (IS_ERR(nb)) {
		ktest_log(t, "null_blk_create(%s): %ld", name, PTR_ERR(nb));
		return NULL;
	}
	return nb;
}

/* The block layer's live requests and bios back at @c0, none in flight. */
static void nr_expect_settled(struct ktest *t, const struct blk_counters *c0)
{
	struct blk_counters c;

	for (int i = 0; i < 50; i++) {
		blk_get_counters(&c);
		if (c.requests == c0->requests && c.bios == c0->bios && !c.in_flight)
			break;
		msleep(10);
	}
	KTEST_EXPECT_EQ(t, c.requests, c0->requests);
	KTEST_EXPECT_EQ(t, c.bios, c0->bios);
	KTEST_EXPECT_EQ(t, c.in_flight, 0L);
}

static struct nullb *hook_nb;
static struct request_queue *hook_q;
static unsigned int hook_late;

/* The device's late completion, exactly between the handler's claim and its end. */
static void nr_late_completion_hook(struct request *rq)
{
	if (rq->q == hook_q)
		hook_late += null_blk_complete_dropped(hook_nb, BLK_STS_OK);
}

/*
 * No ->timeout: the core ends the bios with BLK_STS_TIMEOUT and keeps the
 * tag until the device completes.  The completion lands inside the
 * handler's work; the bio must still end once, with the timeout, and the
 * queue's usage count must drop once (it would go negative, and the bio
 * never end, if the completion freed the request under the handler).
 */
static void test_null_blk_timeout_vs_completion(struct ktest *t)
{
	struct nullb_config cfg = { .inject_timeout = 2, .timeout_ms = 30 };
	u8 *buf = kzalloc(4096, GFP_KERNEL);
	struct blk_counters c0;
	struct request_queue *q;
	struct nr_io io;
	struct nullb *nb;
	bool submitted;

	KTEST_ASSERT_NOT_NULL(t, buf);
	nb = nr_create(t, cfg, "nullr0", &c0);
	KTEST_ASSERT_NOT_NULL(t, nb);
	q = null_blk_disk(nb)->queue;
	hook_nb = nb;
	hook_q = q;
	hook_late = 0;
	WRITE_ONCE(blk_timeout_test_hook, nr_late_completion_hook);
	/* The partition scan took command 1: this one, command 2, is dropped. */
	submitted = nr_submit(&io, null_blk_disk(nb)->part0, REQ_OP_READ, 8, buf, 4096);
	if (!submitted)
		WRITE_ONCE(blk_timeout_test_hook, NULL);
	KTEST_ASSERT_TRUE(t, submitted);
	KTEST_EXPECT_EQ(t, nr_wait(&io, 2000), 1);
	WRITE_ONCE(blk_timeout_test_hook, NULL);
	KTEST_EXPECT_EQ(t, io.status, BLK_STS_TIMEOUT);
	KTEST_EXPECT_EQ(t, hook_late, 1u);
	KTEST_EXPECT_EQ(t, atomic_read(&q->q_usage), 0);
	nr_expect_settled(t, &c0);
	/* The disk works on. */
	KTEST_EXPECT_EQ(t, blkdev_rw(null_blk_disk(nb)->part0, REQ_OP_READ, 0, buf, 4096), 0);
	null_blk_destroy(nb);
	kfree(buf);
	nr_expect_settled(t, &c0);
}

/*
 * A driver that ends a request in its ->timeout (and answers BLK_EH_DONE)
 * frees it while the timeout scan still looks at it: the scan's pin must
 * keep the tag from being reused until the scan is done with it, and the
 * core must not end it a second time.
 */
static void test_null_blk_timeout_pins_request(struct ktest *t)
{
	struct nullb_config cfg = { .inject_timeout = 2, .timeout_ms = 30,
				    .timeout_handler = true, .timeout_ends = true };
	u8 *buf = kzalloc(4096, GFP_KERNEL);
	struct blk_counters c0;
	struct nullb_stats st;
	struct nr_io io;
	struct nullb *nb;

	KTEST_ASSERT_NOT_NULL(t, buf);
	nb = nr_create(t, cfg, "nullr1", &c0);
	KTEST_ASSERT_NOT_NULL(t, nb);
	KTEST_ASSERT_TRUE(t, nr_submit(&io, null_blk_disk(nb)->part0, REQ_OP_READ, 8, buf, 4096));
	KTEST_EXPECT_EQ(t, nr_wait(&io, 2000), 1);
	KTEST_EXPECT_EQ(t, io.status, BLK_STS_IOERR);
	null_blk_get_stats(nb, &st);
	KTEST_EXPECT_EQ(t, st.timeout_ended, 1UL);
	KTEST_EXPECT_EQ(t, st.timeout_tag_held, 1UL);
	null_blk_destroy(nb);
	kfree(buf);
	nr_expect_settled(t, &c0);
}

/*
 * A request that timed out on a queue without ->timeout, whose device
 * completes it only after the disk was torn down: the teardown frees its
 * tag, and the late completion is refused (a log line), touching nothing
 * the teardown freed.
 */
static void test_null_blk_completion_after_teardown(struct ktest *t)
{
	struct nullb_config cfg = { .inject_timeout = 2, .timeout_ms = 30,
				    .irqmode = NULL_IRQ_IPI };
	u8 *buf = kzalloc(4096, GFP_KERNEL);
	struct blk_counters c0, c1;
	struct nullb *nb;

	KTEST_ASSERT_NOT_NULL(t, buf);
	nb = nr_create(t, cfg, "nullr2", &c0);
	KTEST_ASSERT_NOT_NULL(t, nb);
	KTEST_EXPECT_EQ(t, blkdev_rw(null_blk_disk(nb)->part0, REQ_OP_READ, 8, buf, 4096),
			-ETIMEDOUT);
	blk_get_counters(&c1);
	KTEST_EXPECT_EQ(t, c1.requests, c0.requests + 1);
	null_blk_remove_disk(nb);
	blk_get_counters(&c1);
	KTEST_EXPECT_EQ(t, c1.requests, c0.requests);
	/* The late completion: refused. */
	KTEST_EXPECT_EQ(t, null_blk_complete_dropped(nb, BLK_STS_OK), 1u);
	null_blk_destroy(nb);
	kfree(buf);
	nr_expect_settled(t, &c0);
}

/*
 * ops->complete requeues each request once (the request is COMPLETE
 * then): it goes back to the device and ends the second time, as in
 * Linux, with its data intact.
 */
static void test_null_blk_requeue_completed(struct ktest *t)
{
	struct nullb_config cfg = { .irqmode = NULL_IRQ_IPI, .requeue_on_complete = true };
	struct blk_counters c0;
	struct nullb *nb = nr_create(t, cfg, "nullr3", &c0);
	struct nullb_stats st;
	struct nr_io io;
	u8 *buf;

	KTEST_ASSERT_NOT_NULL(t, nb);
	buf = kmalloc(4096, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, buf);
	blk_pattern_fill(buf, 16, 3, 8);
	KTEST_ASSERT_TRUE(t, nr_submit(&io, null_blk_disk(nb)->part0, REQ_OP_WRITE, 16, buf,
				       4096));
	KTEST_EXPECT_EQ(t, nr_wait(&io, 2000), 1);
	KTEST_EXPECT_EQ(t, io.status, BLK_STS_OK);
	memset(buf, 0, 4096);
	KTEST_EXPECT_EQ(t, blkdev_rw(null_blk_disk(nb)->part0, REQ_OP_READ, 16, buf, 4096), 0);
	KTEST_EXPECT_TRUE(t, blk_pattern_check(buf, 16, 3, 8) < 0);
	null_blk_get_stats(nb, &st);
	KTEST_EXPECT_GE(t, st.requeued, 2UL);
	null_blk_destroy(nb);
	kfree(buf);
	nr_expect_settled(t, &c0);
}

/* A request of @q holding a tag in @st, or NULL. */
static struct request *nr_find_rq(struct request_queue *q, int st)
{
	struct blk_mq_tags *tags = q->queue_hw_ctx[0]->tags;
	unsigned long tag;

	for_each_set_bit(tag, tags->bitmap, tags->nr_tags) {
		struct request *rq = tags->rqs[tag];

		if (READ_ONCE(rq->q) == q && (READ_ONCE(rq->state) & RQ_STATE_MASK) == st)
			return rq;
	}
	return NULL;
}

/*
 * A driver ending a request twice while the timeout scan pins it (the
 * test takes the scan's pin itself): the first end ends the bio, the
 * second is refused and leaves the pin alone (it would drop it, and free
 * the tag under the scan).  Once freed, a requeue and an end of the
 * request are refused too, touching no queue.
 */
static void test_null_blk_end_twice(struct ktest *t)
{
	struct nullb_config cfg = { .inject_timeout = 2 };
	u8 *buf = kzalloc(4096, GFP_KERNEL);
	struct blk_counters c0, c1;
	struct request_queue *q;
	struct request *rq;
	struct nr_io io;
	struct nullb *nb;

	KTEST_ASSERT_NOT_NULL(t, buf);
	nb = nr_create(t, cfg, "nullr6", &c0);
	KTEST_ASSERT_NOT_NULL(t, nb);
	q = null_blk_disk(nb)->queue;
	/* The partition scan took command 1: this one, command 2, is dropped. */
	KTEST_ASSERT_TRUE(t, nr_submit(&io, null_blk_disk(nb)->part0, REQ_OP_READ, 8, buf, 4096));
	for (int i = 0; i < 200 && !(rq = nr_find_rq(q, MQ_RQ_IN_FLIGHT)); i++)
		msleep(10);
	KTEST_ASSERT_NOT_NULL(t, rq);
	KTEST_ASSERT_TRUE(t, req_ref_inc_not_zero(rq));
	blk_mq_end_request(rq, BLK_STS_IOERR);
	blk_mq_end_request(rq, BLK_STS_OK);
	KTEST_EXPECT_EQ(t, atomic_read(&rq->ref), 1);
	KTEST_EXPECT_EQ(t, READ_ONCE(rq->state) & RQ_STATE_MASK, MQ_RQ_RETIRED);
	KTEST_EXPECT_EQ(t, nr_wait(&io, 2000), 1);
	KTEST_EXPECT_EQ(t, io.status, BLK_STS_IOERR);
	/* The scan lets go: now it is freed. */
	if (req_ref_put_and_test(rq))
		__blk_mq_free_request(rq);
	KTEST_EXPECT_TRUE(t, !READ_ONCE(rq->q));
	blk_mq_requeue_request(rq, true);
	blk_mq_end_request(rq, BLK_STS_OK);
	KTEST_EXPECT_EQ(t, atomic_read(&rq->ref), 0);
	blk_get_counters(&c1);
	KTEST_EXPECT_EQ(t, c1.requests, c0.requests);
	/* The device's own completion of it, later: refused as well. */
	KTEST_EXPECT_EQ(t, null_blk_complete_dropped(nb, BLK_STS_OK), 1u);
	KTEST_EXPECT_EQ(t, blkdev_rw(null_blk_disk(nb)->part0, REQ_OP_READ, 0, buf, 4096), 0);
	null_blk_destroy(nb);
	kfree(buf);
	nr_expect_settled(t, &c0);
}

static struct request_queue *free_hook_q;
static struct request *free_hook_rq;
static atomic_t free_hook_in, free_hook_go;

/* Hold a freeing request of free_hook_q between rq->q = NULL and its tag's put. */
static void nr_free_hook(struct request *rq)
{
	if (rq->mq_hctx->queue != free_hook_q)
		return;
	WRITE_ONCE(free_hook_rq, rq);
	atomic_set(&free_hook_in, 1);
	/* Until the test saw the teardown return, or long enough that it cannot. */
	for (int i = 0; i < 30 && !atomic_read(&free_hook_go); i++)
		msleep(10);
}

static int nr_late_fn(void *arg)
{
	null_blk_complete_dropped(arg, BLK_STS_OK);
	return 0;
}

/*
 * The late completion of a timed-out request frees it while the disk is
 * torn down (its queue usage went at the timeout, so del_gendisk() does
 * not wait for it): blk_mq_destroy_queue() must not return before that
 * free has put the tag, or blk_mq_free_tag_set() would free the tags
 * under it.  The hook holds the free just before the tag's put.
 */
static void test_null_blk_free_vs_teardown(struct ktest *t)
{
	struct nullb_config cfg = { .inject_timeout = 2, .timeout_ms = 30 };
	u8 *buf = kzalloc(4096, GFP_KERNEL);
	struct task_struct *th;
	struct blk_mq_tags *tags;
	struct blk_counters c0;
	struct nullb *nb;
	bool held;

	KTEST_ASSERT_NOT_NULL(t, buf);
	nb = nr_create(t, cfg, "nullr7", &c0);
	KTEST_ASSERT_NOT_NULL(t, nb);
	KTEST_EXPECT_EQ(t, blkdev_rw(null_blk_disk(nb)->part0, REQ_OP_READ, 8, buf, 4096),
			-ETIMEDOUT);
	free_hook_q = null_blk_disk(nb)->queue;
	tags = free_hook_q->queue_hw_ctx[0]->tags;
	free_hook_rq = NULL;
	atomic_set(&free_hook_in, 0);
	atomic_set(&free_hook_go, 0);
	WRITE_ONCE(blk_free_test_hook, nr_free_hook);
	th = kthread_run(nr_late_fn, nb, "nr_late");
	if (th)
		for (int i = 0; i < 2000 && !atomic_read(&free_hook_in); i++)
			msleep(1);
	held = th && atomic_read(&free_hook_in);
	if (held)
		null_blk_remove_disk(nb);
	/* The teardown returned: the tag must be back already. */
	KTEST_EXPECT_TRUE(t, held && !test_bit(free_hook_rq->tag, tags->bitmap));
	atomic_set(&free_hook_go, 1);
	if (th)
		kthread_join(th);
	WRITE_ONCE(blk_free_test_hook, NULL);
	KTEST_EXPECT_TRUE(t, held);
	null_blk_destroy(nb);
	kfree(buf);
	nr_expect_settled(t, &c0);
}

struct nr_opener {
	const char *name;
	struct block_device *bdev;
};

static atomic_t open_hook_in, open_hook_go;

/* The opener looked its partition up: hold it there until the rescan ran. */
static void nr_open_hook(struct block_device *bdev)
{
	if (strcmp(bdev_name(bdev), "nullr4p1"))
		return;
	atomic_set(&open_hook_in, 1);
	while (!atomic_read(&open_hook_go))
		msleep(1);
}

static int nr_open_fn(void *arg)
{
	struct nr_opener *o = arg;

	o->bdev = blkdev_get_by_path(o->name, FMODE_READ, NULL);
	return 0;
}

/*
 * An open of a partition that looked it up just before a rescan (the
 * test holds the disk's open_mutex and drops the partitions, as
 * bdev_disk_changed() does; a hook holds the opener between its lookup
 * and its open): the open then finds the partition gone; it never
 * returns a partition the rescan dropped.
 */
static void test_null_blk_open_vs_rescan(struct ktest *t)
{
	struct nullb_config cfg = { 0 };
	struct nr_opener o = { .name = "nullr4p1" };
	u8 *mbr = kzalloc(512, GFP_KERNEL);
	struct task_struct *th;
	struct gendisk *disk;
	struct nullb *nb;
	bool held = false;

	KTEST_ASSERT_NOT_NULL(t, mbr);
	nb = nr_create(t, cfg, "nullr4", NULL);
	KTEST_ASSERT_NOT_NULL(t, nb);
	disk = null_blk_disk(nb);
	/* One Linux partition, sectors 64..319. */
	mbr[446 + 4] = 0x83;
	mbr[446 + 8] = 64;
	mbr[446 + 13] = 1;
	mbr[510] = 0x55;
	mbr[511] = 0xaa;
	KTEST_ASSERT_EQ(t, blkdev_rw(disk->part0, REQ_OP_WRITE, 0, mbr, 512), 0);
	KTEST_ASSERT_EQ(t, bdev_disk_changed(disk), 0);

	atomic_set(&open_hook_in, 0);
	atomic_set(&open_hook_go, 0);
	WRITE_ONCE(blk_open_test_hook, nr_open_hook);
	th = kthread_run(nr_open_fn, &o, "nr_open");
	if (th) {
		for (int i = 0; i < 2000 && !atomic_read(&open_hook_in); i++)
			msleep(1);
		held = atomic_read(&open_hook_in);
		mutex_lock(&disk->open_mutex);
		blk_drop_partitions(disk);
		mutex_unlock(&disk->open_mutex);
		atomic_set(&open_hook_go, 1);
		kthread_join(th);
	}
	WRITE_ONCE(blk_open_test_hook, NULL);
	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_EXPECT_TRUE(t, held);
	KTEST_EXPECT_EQ(t, IS_ERR(o.bdev) ? PTR_ERR(o.bdev) : 0L, (long)-ENODEV);
	if (!IS_ERR(o.bdev))
		blkdev_put(o.bdev, FMODE_READ);
	/* A rescan brings it back. */
	KTEST_EXPECT_EQ(t, bdev_disk_changed(disk), 0);
	o.bdev = blkdev_get_by_path("nullr4p1", FMODE_READ, NULL);
	KTEST_EXPECT_TRUE(t, !IS_ERR(o.bdev));
	if (!IS_ERR(o.bdev))
		blkdev_put(o.bdev, FMODE_READ);
	null_blk_destroy(nb);
	kfree(mbr);
}

/*
 * 4 KiB logical blocks, at most 2 segments per request, and a bio of
 * 1 KiB pieces in separate pages: no request can hold a whole block.
 * Retrying cannot help, so the bio fails with an I/O error at once.
 */
static void test_null_blk_split_below_block(struct ktest *t)
{
	struct nullb_config cfg = { .bs = 4096, .max_segments = 2 };
	struct page *pages[4] = {};
	struct blk_counters c0;
	struct nullb *nb;
	struct bio *bio;

	nb = nr_create(t, cfg, "nullr5", &c0);
	KTEST_ASSERT_NOT_NULL(t, nb);
	bio = bio_alloc(null_blk_disk(nb)->part0, 4, REQ_OP_READ, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, bio);
	for (int i = 0; i < 4; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, pages[i]);
		KTEST_EXPECT_EQ(t, bio_add_page(bio, pages[i], 1024, 0), 1024);
	}
	bio->bi_iter.bi_sector = 8;
	KTEST_EXPECT_EQ(t, submit_bio_wait(bio), -EIO);
	bio_put(bio);
	for (int i = 0; i < 4; i++)
		__free_page(pages[i]);
	null_blk_destroy(nb);
	nr_expect_settled(t, &c0);
}

static struct ktest_case null_blk_cases[] = {
	KTEST_CASE_FLAGS(test_null_blk_timeout_vs_completion, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_null_blk_timeout_pins_request, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_null_blk_completion_after_teardown, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_null_blk_requeue_completed, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_null_blk_open_vs_rescan, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_null_blk_split_below_block, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_null_blk_end_twice, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_null_blk_free_vs_teardown, KTEST_F_NOHOST),
	{}
};

static struct ktest_suite null_blk_suite = {
	.name = "null_blk", .cases = null_blk_cases,
};
KTEST_SUITE(null_blk_suite);
