// SPDX-License-Identifier: GPL-2.0
/*
 * ktests of the block layer (suite "block") on null_blk disks of their
 * own: data integrity with every CPU submitting, tags and queue-full
 * requeue, timeouts with and without a driver timeout handler, injected
 * errors, flush/FUA ordering, request splitting to the queue limits,
 * bad input, MBR/GPT partitions, and the disk's and partitions' add and
 * remove uevents.  Every case ends with the block
 * layer's live bios, requests and in-flight counts back at their
 * baseline.
 */
#include <exo/blk-mq.h>
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/kobject.h>
#include <exo/ktest.h>
#include <exo/kthread.h>
#include <exo/page_alloc.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/trace.h>
#include "null_blk.h"

static struct blk_counters base;

static int block_test_init(struct ktest *t)
{
	(void)t;
	blk_get_counters(&base);
	return 0;
}

/* Live objects back at the baseline (completions may still be unwinding). */
static void expect_baseline(struct ktest *t)
{
	struct blk_counters c;

	for (int i = 0; i < 100; i++) {
		blk_get_counters(&c);
		if (c.bios == base.bios && c.requests == base.requests && !c.in_flight)
			break;
		msleep(10);
	}
	KTEST_EXPECT_EQ(t, c.bios, base.bios);
	KTEST_EXPECT_EQ(t, c.requests, base.requests);
	KTEST_EXPECT_EQ(t, c.in_flight, 0L);
}

static struct nullb *mk(struct ktest *t, struct nullb_config cfg, const char *name)
{
	struct nullb *nb;

	cfg.memory_backed = true;
	if (!cfg.size_mb)
		cfg.size_mb = 4;
	nb = null_blk_create(&cfg, name);
	if (IS_ERR(nb))
		ktest_log(t, "null_blk_create(%s): %ld", name, PTR_ERR(nb));
	KTEST_ASSERT_TRUE(t, !IS_ERR(nb));
	return nb;
}

static struct block_device *bdev_of(struct nullb *nb)
{
	return null_blk_disk(nb)->part0;
}

static void test_block_integrity_smp(struct ktest *t)
{
	struct nullb_config cfg = { .submit_queues = 2, .hw_queue_depth = 8,
				    .irqmode = NULL_IRQ_IPI, .cache = true };
	struct nullb *nb = mk(t, cfg, "nullt0");
	struct nullb_stats st;

	KTEST_EXPECT_EQ(t, blk_integrity_run(bdev_of(nb), true, 42, 0, 4096, 0), 0);
	KTEST_EXPECT_EQ(t, blk_integrity_run(bdev_of(nb), false, 42, 0, 4096, 0), 0);
	/* Another seed must not verify. */
	KTEST_EXPECT_EQ(t, blk_integrity_run(bdev_of(nb), false, 43, 0, 64, 1), -EIO);
	null_blk_get_stats(nb, &st);
	KTEST_EXPECT_TRUE(t, st.flushes > 0);
	null_blk_destroy(nb);
	expect_baseline(t);
}

/* Fewer device slots than tags, and injected BLK_STS_RESOURCE answers. */
static void test_block_queue_full(struct ktest *t)
{
	struct nullb_config cfg = { .hw_queue_depth = 4, .ring_depth = 2,
				    .irqmode = NULL_IRQ_TIMER, .inject_requeue = 5 };
	struct nullb *nb = mk(t, cfg, "nullt1");
	struct blk_counters c0, c1;
	struct nullb_stats st;

	blk_get_counters(&c0);
	KTEST_EXPECT_EQ(t, blk_integrity_run(bdev_of(nb), true, 7, 0, 512, 0), 0);
	KTEST_EXPECT_EQ(t, blk_integrity_run(bdev_of(nb), false, 7, 0, 512, 0), 0);
	blk_get_counters(&c1);
	null_blk_get_stats(nb, &st);
	KTEST_EXPECT_TRUE(t, st.resource > 0);
	KTEST_EXPECT_TRUE(t, c1.requeues > c0.requeues);
	null_blk_destroy(nb);
	expect_baseline(t);
}

static int rw(struct block_device *bdev, blk_opf_t op, sector_t lba, void *buf, size_t len)
{
	return blkdev_rw(bdev, op, lba, buf, len);
}

static void test_block_timeout(struct ktest *t)
{
	struct nullb_config cfg = { .inject_timeout = 2, .timeout_ms = 40,
				    .timeout_handler = true };
	struct nullb *nb = mk(t, cfg, "nullt2");
	u8 *buf = kmalloc(4096, GFP_KERNEL);
	struct blk_counters c0, c1;
	int ok = 0, timedout = 0;

	KTEST_ASSERT_TRUE(t, buf != NULL);
	blk_get_counters(&c0);
	for (int i = 0; i < 4; i++) {
		int err = rw(bdev_of(nb), REQ_OP_READ, (sector_t)i * 8, buf, 4096);

		ok += err == 0;
		timedout += err == -ETIMEDOUT;
	}
	KTEST_EXPECT_EQ(t, ok, 2);
	KTEST_EXPECT_EQ(t, timedout, 2);
	blk_get_counters(&c1);
	KTEST_EXPECT_EQ(t, c1.timeouts - c0.timeouts, 2L);
	null_blk_destroy(nb);
	expect_baseline(t);

	/* No ->timeout: the tag stays taken until the late completion. */
	cfg.timeout_handler = false;
	nb = mk(t, cfg, "nullt2");
	/* The partition scan took command 1: command 2 is dropped. */
	KTEST_EXPECT_EQ(t, rw(bdev_of(nb), REQ_OP_READ, 8, buf, 4096), -ETIMEDOUT);
	KTEST_EXPECT_EQ(t, rw(bdev_of(nb), REQ_OP_READ, 0, buf, 4096), 0);
	blk_get_counters(&c1);
	KTEST_EXPECT_EQ(t, c1.requests, base.requests + 1);
	KTEST_EXPECT_EQ(t, null_blk_complete_dropped(nb, BLK_STS_OK), 1u);
	expect_baseline(t);
	null_blk_destroy(nb);
	kfree(buf);
	expect_baseline(t);
}

static void test_block_errors(struct ktest *t)
{
	struct nullb_config cfg = { .inject_error = 2, .irqmode = NULL_IRQ_IPI };
	struct nullb *nb = mk(t, cfg, "nullt3");
	u8 *buf = kmalloc(4096, GFP_KERNEL);
	int ok = 0, eio = 0;

	KTEST_ASSERT_TRUE(t, buf != NULL);
	for (int i = 0; i < 6; i++) {
		int err = rw(bdev_of(nb), REQ_OP_WRITE, (sector_t)i * 8, buf, 4096);

		ok += err == 0;
		eio += err == -EIO;
	}
	KTEST_EXPECT_EQ(t, ok, 3);
	KTEST_EXPECT_EQ(t, eio, 3);
	kfree(buf);
	null_blk_destroy(nb);
	expect_baseline(t);
}

/* block:block_rq_issue and block:block_rq_complete of one write and one read. */
static void test_block_trace_events(struct ktest *t)
{
	struct nullb_config cfg = { .irqmode = NULL_IRQ_IPI };
	char line[TRACE_KTEST_LINE_MAX];
	struct nullb *nb;
	u8 *buf;

	if (!IS_ENABLED(CONFIG_TRACEPOINTS))
		KTEST_SKIP(t, "CONFIG_TRACEPOINTS=n");
	buf = kzalloc(4096, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, buf);
	nb = mk(t, cfg, "nulltr");
	trace_clear();
	KTEST_EXPECT_EQ(t, trace_set_event("block", true), 2);
	KTEST_EXPECT_EQ(t, rw(bdev_of(nb), REQ_OP_WRITE, 24, buf, 4096), 0);
	KTEST_EXPECT_EQ(t, rw(bdev_of(nb), REQ_OP_READ, 24, buf, 512), 0);
	trace_disable_all();
	KTEST_EXPECT_EQ(t, trace_ktest_grep(line, sizeof(line), " block_rq_issue: dev=nulltr ",
					    "rwbs=W sector=24 nr_sector=8 tag="), 1);
	KTEST_EXPECT_EQ(t, trace_ktest_grep(line, sizeof(line), " block_rq_complete: dev=nulltr ",
					    "rwbs=W sector=24 tag=", " error=0"), 1);
	KTEST_EXPECT_EQ(t, trace_ktest_grep(line, sizeof(line), " block_rq_issue: dev=nulltr ",
					    "rwbs=R sector=24 nr_sector=1 tag="), 1);
	KTEST_EXPECT_EQ(t, trace_ktest_grep(line, sizeof(line), " block_rq_complete: dev=nulltr ",
					    "rwbs=R sector=24 tag=", " error=0"), 1);
	trace_clear();
	kfree(buf);
	null_blk_destroy(nb);
	expect_baseline(t);
}

/* The commands null_blk saw for one write with @op's flags. */
static unsigned int flush_seq(struct ktest *t, bool cache, bool fua, blk_opf_t op,
			      struct nullb_log_entry *log)
{
	struct nullb_config cfg = { .cache = cache, .fua = fua, .irqmode = NULL_IRQ_IPI };
	struct nullb *nb = mk(t, cfg, "nullt4");
	u8 *buf = kmalloc(4096, GFP_KERNEL);
	unsigned int n;

	null_blk_log_reset(nb);		/* the partition scan's read */
	KTEST_EXPECT_EQ(t, rw(bdev_of(nb), op, 8, buf, 4096), 0);
	n = null_blk_log(nb, log, 8);
	null_blk_destroy(nb);
	kfree(buf);
	return n;
}

static void test_block_flush_fua(struct ktest *t)
{
	const blk_opf_t w = REQ_OP_WRITE;
	struct nullb_log_entry log[8];

	/* Volatile cache, no native FUA: flush, write, flush. */
	KTEST_ASSERT_TRUE(t, flush_seq(t, true, false, w | REQ_PREFLUSH | REQ_FUA, log) == 3);
	KTEST_EXPECT_EQ(t, log[0].opf & REQ_OP_MASK, (u32)REQ_OP_FLUSH);
	KTEST_EXPECT_EQ(t, log[1].opf & (REQ_OP_MASK | REQ_FUA | REQ_PREFLUSH), (u32)w);
	KTEST_EXPECT_EQ(t, log[1].sector, 8ULL);
	KTEST_EXPECT_EQ(t, log[2].opf & REQ_OP_MASK, (u32)REQ_OP_FLUSH);
	/* Native FUA: flush, then a FUA write. */
	KTEST_ASSERT_TRUE(t, flush_seq(t, true, true, w | REQ_PREFLUSH | REQ_FUA, log) == 2);
	KTEST_EXPECT_EQ(t, log[0].opf & REQ_OP_MASK, (u32)REQ_OP_FLUSH);
	KTEST_EXPECT_EQ(t, log[1].opf & (REQ_OP_MASK | REQ_FUA | REQ_PREFLUSH), w | REQ_FUA);
	/* FUA alone, emulated: write, then flush. */
	KTEST_ASSERT_TRUE(t, flush_seq(t, true, false, w | REQ_FUA, log) == 2);
	KTEST_EXPECT_EQ(t, log[0].opf & REQ_OP_MASK, (u32)REQ_OP_WRITE);
	KTEST_EXPECT_EQ(t, log[1].opf & REQ_OP_MASK, (u32)REQ_OP_FLUSH);
	/* No volatile cache: nothing to flush, the flags are dropped. */
	KTEST_ASSERT_TRUE(t, flush_seq(t, false, false, w | REQ_PREFLUSH | REQ_FUA, log) == 1);
	KTEST_EXPECT_EQ(t, log[0].opf & (REQ_OP_MASK | REQ_FUA | REQ_PREFLUSH), (u32)w);
	expect_baseline(t);
}

/* A bio of scattered pages is split to max_segments and max_sectors. */
static void test_block_limits_split(struct ktest *t)
{
	struct nullb_config cfg = { .max_sectors = 16, .max_segments = 2,
				    .irqmode = NULL_IRQ_IPI };
	struct nullb *nb = mk(t, cfg, "nullt5");
	struct page *pages[16] = {};
	struct blk_counters c0, c1;
	struct nullb_stats st;
	struct bio *bio;
	bool data_ok = true;
	u8 *buf;

	buf = kmalloc(16 * 4096, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, buf != NULL);
	bio = bio_alloc(bdev_of(nb), 16, REQ_OP_WRITE, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, bio != NULL);
	/* Every other page, so no two segments are physically adjacent. */
	for (int i = 0; i < 16; i++) {
		pages[i] = alloc_pages(GFP_KERNEL, 1);
		KTEST_ASSERT_TRUE(t, pages[i] != NULL);
		blk_pattern_fill(page_address(pages[i]), (sector_t)i * 8, 5, 8);
		KTEST_EXPECT_EQ(t, bio_add_page(bio, pages[i], 4096, 0), 4096);
	}
	blk_get_counters(&c0);
	KTEST_EXPECT_EQ(t, submit_bio_wait(bio), 0);
	bio_put(bio);
	blk_get_counters(&c1);
	null_blk_get_stats(nb, &st);
	KTEST_EXPECT_TRUE(t, st.max_segs_seen <= 2);
	KTEST_EXPECT_TRUE(t, st.max_sectors_seen <= 16);
	KTEST_EXPECT_TRUE(t, c1.splits > c0.splits);
	KTEST_EXPECT_EQ(t, st.writes, 8UL);
	KTEST_EXPECT_EQ(t, rw(bdev_of(nb), REQ_OP_READ, 0, buf, 16 * 4096), 0);
	data_ok = blk_pattern_check(buf, 0, 5, 128) < 0;
	KTEST_EXPECT_TRUE(t, data_ok);
	for (int i = 0; i < 16; i++)
		__free_pages(pages[i], 1);
	kfree(buf);
	null_blk_destroy(nb);
	expect_baseline(t);
}

static void test_block_bad_input(struct ktest *t)
{
	struct nullb_config cfg = { .size_mb = 1 };
	struct nullb *nb = mk(t, cfg, "nullt6"), *nb4k;
	struct block_device *bdev = bdev_of(nb);
	u8 *buf = kmalloc(8192, GFP_KERNEL);
	struct bio_vec bv;
	struct bio bio;

	KTEST_ASSERT_TRUE(t, buf != NULL);
	/* Beyond the end: 2048 sectors. */
	KTEST_EXPECT_EQ(t, rw(bdev, REQ_OP_READ, 2048, buf, 512), -EIO);
	KTEST_EXPECT_EQ(t, rw(bdev, REQ_OP_READ, 2047, buf, 1024), -EIO);
	KTEST_EXPECT_EQ(t, rw(bdev, REQ_OP_READ, ~0ULL - 1, buf, 4096), -EIO);
	KTEST_EXPECT_EQ(t, rw(bdev, REQ_OP_READ, 2047, buf, 512), 0);
	/* Misaligned buffer, partial sector, zero length. */
	KTEST_EXPECT_EQ(t, rw(bdev, REQ_OP_READ, 0, buf + 1, 512), -EIO);
	KTEST_EXPECT_EQ(t, rw(bdev, REQ_OP_READ, 0, buf, 100), -EIO);
	KTEST_EXPECT_EQ(t, rw(bdev, REQ_OP_READ, 0, buf, 0), -EINVAL);
	bio_init(&bio, bdev, &bv, 1, REQ_OP_WRITE);
	KTEST_EXPECT_EQ(t, submit_bio_wait(&bio), -EIO);
	/* Discard on a device without it. */
	bio_init(&bio, bdev, NULL, 0, REQ_OP_DISCARD);
	bio.bi_iter.bi_size = 4096;
	KTEST_EXPECT_EQ(t, submit_bio_wait(&bio), -EOPNOTSUPP);
	/* No device. */
	bio_init(&bio, NULL, NULL, 0, REQ_OP_READ);
	KTEST_EXPECT_EQ(t, submit_bio_wait(&bio), -EIO);
	/* 4 KiB blocks: 512-byte offsets and lengths are refused. */
	cfg.bs = 4096;
	nb4k = mk(t, cfg, "nullt7");
	KTEST_EXPECT_EQ(t, rw(bdev_of(nb4k), REQ_OP_READ, 1, buf, 4096), -EIO);
	KTEST_EXPECT_EQ(t, rw(bdev_of(nb4k), REQ_OP_READ, 8, buf, 512), -EIO);
	KTEST_EXPECT_EQ(t, rw(bdev_of(nb4k), REQ_OP_READ, 8, buf, 4096), 0);
	null_blk_destroy(nb4k);
	/* Bad tag sets. */
	{
		struct blk_mq_tag_set set = { .nr_hw_queues = 1, .queue_depth = 0 };

		KTEST_EXPECT_EQ(t, blk_mq_alloc_tag_set(&set), -EINVAL);
	}
	kfree(buf);
	null_blk_destroy(nb);
	expect_baseline(t);
}

static void count_endio(struct bio *bio)
{
	atomic_add(1, bio->bi_private);
}

/* Quiesced queues hold bios back; read-only disks refuse writes. */
static void test_block_quiesce_ro(struct ktest *t)
{
	struct nullb_config cfg = { .irqmode = NULL_IRQ_IPI };
	struct nullb *nb = mk(t, cfg, "nullt10");
	struct gendisk *disk = null_blk_disk(nb);
	u8 *buf = kzalloc(4096, GFP_KERNEL);
	atomic_t done = ATOMIC_INIT(0);
	struct block_device *b;
	struct bio *bio;

	KTEST_ASSERT_TRUE(t, buf != NULL);
	blk_mq_quiesce_queue(disk->queue);
	bio = bio_alloc(disk->part0, 1, REQ_OP_READ, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, bio != NULL);
	bio_add_virt(bio, buf, 4096);
	bio->bi_end_io = count_endio;
	bio->bi_private = &done;
	submit_bio(bio);
	msleep(30);
	KTEST_EXPECT_EQ(t, atomic_read(&done), 0);
	blk_mq_unquiesce_queue(disk->queue);
	for (int i = 0; i < 100 && !atomic_read(&done); i++)
		msleep(5);
	KTEST_EXPECT_EQ(t, atomic_read(&done), 1);
	KTEST_EXPECT_EQ(t, bio->bi_status, BLK_STS_OK);
	bio_put(bio);

	set_disk_ro(disk, true);
	KTEST_EXPECT_TRUE(t, get_disk_ro(disk));
	KTEST_EXPECT_EQ(t, rw(disk->part0, REQ_OP_WRITE, 0, buf, 512), -EIO);
	KTEST_EXPECT_EQ(t, rw(disk->part0, REQ_OP_READ, 0, buf, 512), 0);
	b = blkdev_get_by_path("nullt10", FMODE_WRITE, NULL);
	KTEST_EXPECT_EQ(t, PTR_ERR(b), (long)-EACCES);
	set_disk_ro(disk, false);
	KTEST_EXPECT_EQ(t, rw(disk->part0, REQ_OP_WRITE, 0, buf, 512), 0);
	kfree(buf);
	null_blk_destroy(nb);
	expect_baseline(t);
}

struct traffic {
	struct block_device *bdev;
	atomic_t *stop;
	unsigned long ok, failed;
};

static int traffic_fn(void *arg)
{
	struct traffic *tr = arg;
	u8 *buf = kmalloc(4096, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
	for (unsigned int i = 0; !atomic_read(tr->stop); i++) {
		if (blkdev_rw(tr->bdev, i & 1 ? REQ_OP_WRITE : REQ_OP_READ, (i % 64) * 8, buf, 4096))
			tr->failed++;
		else
			tr->ok++;
	}
	kfree(buf);
	return 0;
}

/* Deleting a disk under I/O from every CPU: bios fail, nothing hangs or leaks. */
static void test_block_del_during_io(struct ktest *t)
{
	struct nullb_config cfg = { .submit_queues = 2, .hw_queue_depth = 4,
				    .irqmode = NULL_IRQ_TIMER };
	struct nullb *nb = mk(t, cfg, "nullt11");
	struct task_struct *tasks[4];
	struct traffic tr[4] = {};
	atomic_t stop = ATOMIC_INIT(0);
	unsigned int n = min(4u, num_online_cpus() * 2);
	unsigned long ok = 0, failed = 0;

	for (unsigned int i = 0; i < n; i++) {
		tr[i].bdev = blkdev_get_by_path("nullt11", FMODE_WRITE, NULL);
		KTEST_ASSERT_TRUE(t, !IS_ERR(tr[i].bdev));
		tr[i].stop = &stop;
		tasks[i] = kthread_run(traffic_fn, &tr[i], "blktraffic/%u", i);
		KTEST_ASSERT_TRUE(t, tasks[i] != NULL);
	}
	msleep(60);
	null_blk_destroy(nb);
	msleep(20);
	atomic_set(&stop, 1);
	for (unsigned int i = 0; i < n; i++) {
		kthread_join(tasks[i]);
		ok += tr[i].ok;
		failed += tr[i].failed;
		blkdev_put(tr[i].bdev, FMODE_WRITE);
	}
	ktest_log(t, "%lu requests done before the delete, %lu refused after", ok, failed);
	KTEST_EXPECT_TRUE(t, ok > 0);
	KTEST_EXPECT_TRUE(t, failed > 0);
	expect_baseline(t);
}

static u32 test_crc32(const u8 *p, size_t len)
{
	u32 crc = ~0U;

	while (len--) {
		crc ^= *p++;
		for (int i = 0; i < 8; i++)
			crc = (crc & 1) ? (crc >> 1) ^ 0xedb88320U : crc >> 1;
	}
	return ~crc;
}

static void put32(u8 *p, u32 v)
{
	memcpy(p, &v, 4);
}

static void put64(u8 *p, u64 v)
{
	memcpy(p, &v, 8);
}

static void mbr_entry(u8 *sector, int i, u8 type, u32 start, u32 len)
{
	u8 *e = sector + 446 + i * 16;

	e[4] = type;
	put32(e + 8, start);
	put32(e + 12, len);
	sector[510] = 0x55;
	sector[511] = 0xaa;
}

/* @name exists with @start and @len, or (@len 0) does not exist. */
static void expect_part(struct ktest *t, const char *name, sector_t start, sector_t len)
{
	struct block_device *p = blkdev_get_by_path(name, FMODE_READ, NULL);

	if (!len) {
		KTEST_EXPECT_TRUE(t, IS_ERR(p));
		if (!IS_ERR(p))
			blkdev_put(p, FMODE_READ);
		return;
	}
	if (IS_ERR(p))
		ktest_log(t, "no partition %s", name);
	KTEST_ASSERT_TRUE(t, !IS_ERR(p));
	KTEST_EXPECT_EQ(t, p->bd_start_sect, start);
	KTEST_EXPECT_EQ(t, p->bd_nr_sectors, len);
	blkdev_put(p, FMODE_READ);
}

static void test_block_partitions_mbr(struct ktest *t)
{
	struct nullb_config cfg = { .size_mb = 2 };
	struct nullb *nb = mk(t, cfg, "nullt8");
	struct gendisk *disk = null_blk_disk(nb);
	struct block_device *p2;
	u8 *buf = kzalloc(4096, GFP_KERNEL);

	KTEST_ASSERT_TRUE(t, buf != NULL);
	mbr_entry(buf, 0, 0x83, 64, 256);
	mbr_entry(buf, 1, 0x83, 320, 128);
	mbr_entry(buf, 2, 0x05, 1024, 1024);
	/* A primary partition past the end is skipped. */
	mbr_entry(buf, 3, 0x83, 4000, 200);
	KTEST_ASSERT_TRUE(t, rw(disk->part0, REQ_OP_WRITE, 0, buf, 512) == 0);
	memset(buf, 0, 512);
	mbr_entry(buf, 0, 0x83, 32, 100);
	mbr_entry(buf, 1, 0x05, 256, 512);
	KTEST_ASSERT_TRUE(t, rw(disk->part0, REQ_OP_WRITE, 1024, buf, 512) == 0);
	memset(buf, 0, 512);
	mbr_entry(buf, 0, 0x83, 16, 64);
	KTEST_ASSERT_TRUE(t, rw(disk->part0, REQ_OP_WRITE, 1280, buf, 512) == 0);
	KTEST_EXPECT_EQ(t, bdev_disk_changed(disk), 0);
	expect_part(t, "nullt8p1", 64, 256);
	expect_part(t, "/dev/nullt8p2", 320, 128);
	expect_part(t, "nullt8p3", 0, 0);
	expect_part(t, "nullt8p4", 0, 0);
	expect_part(t, "nullt8p5", 1056, 100);
	expect_part(t, "nullt8p6", 1296, 64);
	/* I/O on a partition lands at its offset, and stops at its end. */
	p2 = blkdev_get_by_path("nullt8p2", FMODE_WRITE, NULL);
	KTEST_ASSERT_TRUE(t, !IS_ERR(p2));
	KTEST_EXPECT_EQ(t, blk_integrity_run(p2, true, 9, 0, 8, 1), 0);
	KTEST_EXPECT_EQ(t, rw(disk->part0, REQ_OP_READ, 320, buf, 4096), 0);
	KTEST_EXPECT_TRUE(t, blk_pattern_check(buf, 320, 9, 8) < 0);
	KTEST_EXPECT_EQ(t, rw(p2, REQ_OP_READ, 127, buf, 512), 0);
	KTEST_EXPECT_EQ(t, rw(p2, REQ_OP_READ, 128, buf, 512), -EIO);
	KTEST_EXPECT_EQ(t, rw(p2, REQ_OP_READ, 120, buf, 8192), -EIO);
	/* A rescan while a partition is open is refused. */
	KTEST_EXPECT_EQ(t, bdev_disk_changed(disk), -EBUSY);
	blkdev_put(p2, FMODE_WRITE);
	/* An EBR with no partition that links to itself ends the chain. */
	memset(buf, 0, 512);
	mbr_entry(buf, 1, 0x05, 256, 512);
	KTEST_ASSERT_TRUE(t, rw(disk->part0, REQ_OP_WRITE, 1280, buf, 512) == 0);
	KTEST_EXPECT_EQ(t, bdev_disk_changed(disk), 0);
	expect_part(t, "nullt8p5", 1056, 100);
	expect_part(t, "nullt8p6", 0, 0);
	kfree(buf);
	null_blk_destroy(nb);
	expect_part(t, "nullt8p1", 0, 0);
	expect_baseline(t);
}

static void gpt_write(struct ktest *t, struct block_device *disk, sector_t cap, int corrupt)
{
	u8 *buf = kzalloc(34 * 512, GFP_KERNEL);
	u8 *hdr = buf + 512, *ent = buf + 1024;
	static const u64 parts[3][2] = { { 40, 99 }, { 100, 199 }, { 200, 2000 } };

	KTEST_ASSERT_TRUE(t, buf != NULL);
	mbr_entry(buf, 0, 0xee, 1, (u32)(cap - 1));
	for (int i = 0; i < 3; i++) {
		u8 *e = ent + i * 128;

		memset(e, 0x11 * (i + 1), 32);		/* type and unique GUIDs */
		put64(e + 32, parts[i][0]);
		put64(e + 40, parts[i][1]);
	}
	memcpy(hdr, "EFI PART", 8);
	put32(hdr + 8, 0x00010000);
	put32(hdr + 12, 92);
	put64(hdr + 24, 1);
	put64(hdr + 32, cap - 1);
	put64(hdr + 40, 34);
	put64(hdr + 48, cap - 34);
	put64(hdr + 72, 2);
	put32(hdr + 80, 128);
	put32(hdr + 84, 128);
	put32(hdr + 88, test_crc32(ent, 128 * 128));
	put32(hdr + 16, test_crc32(hdr, 92));
	if (corrupt == 1)
		ent[56] ^= 1;		/* a name byte: the array CRC no longer matches */
	if (corrupt == 2)
		hdr[40] ^= 1;		/* first usable LBA: the header CRC no longer matches */
	KTEST_EXPECT_EQ(t, rw(disk, REQ_OP_WRITE, 0, buf, 34 * 512), 0);
	kfree(buf);
}

static void test_block_partitions_gpt(struct ktest *t)
{
	struct nullb_config cfg = { .size_mb = 2 };
	struct nullb *nb = mk(t, cfg, "nullt9");
	struct gendisk *disk = null_blk_disk(nb);

	gpt_write(t, disk->part0, get_capacity(disk), 0);
	KTEST_EXPECT_EQ(t, bdev_disk_changed(disk), 0);
	expect_part(t, "nullt9p1", 40, 60);
	expect_part(t, "nullt9p2", 100, 100);
	expect_part(t, "nullt9p3", 200, 1801);
	expect_part(t, "nullt9p4", 0, 0);
	for (int corrupt = 1; corrupt <= 2; corrupt++) {
		gpt_write(t, disk->part0, get_capacity(disk), corrupt);
		KTEST_EXPECT_EQ(t, bdev_disk_changed(disk), 0);
		expect_part(t, "nullt9p1", 0, 0);
	}
	null_blk_destroy(nb);
	expect_baseline(t);
}

/* The uevents of the disk "nulltu9" and its partitions. */
struct bu_event {
	enum kobject_action action;
	char devname[16], devpath[64];
	unsigned int major, minor;
	u64 seqnum;
};

static struct bu_event bu_events[8];
static unsigned int bu_nr;
static DEFINE_SPINLOCK(bu_lock);

static unsigned int bu_num(const struct kobj_uevent_env *env, const char *key)
{
	const char *v = uevent_get_var(env, key);
	unsigned int n = 0;

	for (; v && *v >= '0' && *v <= '9'; v++)
		n = n * 10 + (*v - '0');
	return v ? n : ~0U;
}

static void bu_listen(struct uevent_listener *l, struct device *dev,
		      enum kobject_action action, const struct kobj_uevent_env *env)
{
	const char *sub = uevent_get_var(env, "SUBSYSTEM");
	const char *name = uevent_get_var(env, "DEVNAME");
	const char *path = uevent_get_var(env, "DEVPATH");
	const char *seq = uevent_get_var(env, "SEQNUM");
	struct bu_event *e;

	if (!sub || strcmp(sub, "block") || !name || strncmp(name, "nulltu9", 7))
		return;
	spin_lock(&bu_lock);
	e = bu_nr < ARRAY_SIZE(bu_events) ? &bu_events[bu_nr] : NULL;
	bu_nr++;
	spin_unlock(&bu_lock);
	if (!e)
		return;
	e->action = action;
	strlcpy(e->devname, name, sizeof(e->devname));
	strlcpy(e->devpath, path ? path : "", sizeof(e->devpath));
	e->major = bu_num(env, "MAJOR");
	e->minor = bu_num(env, "MINOR");
	e->seqnum = 0;
	for (const char *p = seq; p && *p >= '0' && *p <= '9'; p++)
		e->seqnum = e->seqnum * 10 + (*p - '0');
}

static void expect_bu(struct ktest *t, unsigned int i, enum kobject_action action,
		      const char *name, dev_t devt, const char *path_end)
{
	struct bu_event *e = &bu_events[i];
	size_t len = strlen(e->devpath), end = strlen(path_end);

	KTEST_ASSERT_LT(t, i, bu_nr);
	KTEST_EXPECT_EQ(t, e->action, action);
	KTEST_EXPECT_EQ(t, strcmp(e->devname, name), 0);
	KTEST_EXPECT_EQ(t, e->major, MAJOR(devt));
	KTEST_EXPECT_EQ(t, e->minor, MINOR(devt));
	KTEST_EXPECT_TRUE(t, len >= end && !strcmp(e->devpath + len - end, path_end));
	if (i)
		KTEST_EXPECT_GT(t, e->seqnum, bu_events[i - 1].seqnum);
}

/*
 * A disk and its partition announce their add and remove on the "block"
 * class, with their nodes' numbers and names (no event before block
 * devices were class devices).
 */
static void test_block_uevents(struct ktest *t)
{
	struct uevent_listener l = { .name = "block test", .event = bu_listen };
	struct nullb_config cfg = { .size_mb = 2, .memory_backed = true };
	struct block_device *p1;
	struct gendisk *disk;
	dev_t devt0, devt1 = 0;
	struct nullb *nb;
	u8 *buf = kzalloc(512, GFP_KERNEL);
	int ret;

	KTEST_ASSERT_TRUE(t, buf != NULL);
	bu_nr = 0;
	ret = uevent_listener_register(&l);
	if (ret)
		kfree(buf);
	KTEST_ASSERT_EQ(t, ret, 0);
	nb = null_blk_create(&cfg, "nulltu9");
	if (IS_ERR(nb)) {
		uevent_listener_unregister(&l);
		kfree(buf);
		KTEST_ASSERT_TRUE(t, !IS_ERR(nb));
	}
	disk = null_blk_disk(nb);
	devt0 = disk->part0->bd_dev;
	mbr_entry(buf, 0, 0x83, 64, 256);
	KTEST_EXPECT_EQ(t, rw(disk->part0, REQ_OP_WRITE, 0, buf, 512), 0);
	KTEST_EXPECT_EQ(t, bdev_disk_changed(disk), 0);
	p1 = blkdev_get_by_path("nulltu9p1", FMODE_READ, NULL);
	KTEST_EXPECT_TRUE(t, !IS_ERR(p1));
	if (!IS_ERR(p1)) {
		devt1 = p1->bd_dev;
		blkdev_put(p1, FMODE_READ);
	}
	null_blk_destroy(nb);
	uevent_listener_unregister(&l);
	kfree(buf);

	KTEST_EXPECT_NE(t, devt0, 0);
	KTEST_EXPECT_NE(t, devt1, 0);
	KTEST_EXPECT_EQ(t, bu_nr, 4);
	expect_bu(t, 0, KOBJ_ADD, "nulltu9", devt0, "/nulltu9");
	expect_bu(t, 1, KOBJ_ADD, "nulltu9p1", devt1, "/nulltu9/nulltu9p1");
	expect_bu(t, 2, KOBJ_REMOVE, "nulltu9p1", devt1, "/nulltu9/nulltu9p1");
	expect_bu(t, 3, KOBJ_REMOVE, "nulltu9", devt0, "/nulltu9");
	expect_baseline(t);
}

/* Known values, the same scripts/blkimage.py selftest asserts. */
static void test_block_pattern(struct ktest *t)
{
	u64 *w = kmalloc(2 * SECTOR_SIZE, GFP_KERNEL);

	KTEST_ASSERT_TRUE(t, w != NULL);
	blk_pattern_fill(w, 5, 7, 2);
	KTEST_EXPECT_EQ(t, w[0], 5ULL);
	KTEST_EXPECT_EQ(t, w[1], 7ULL);
	KTEST_EXPECT_EQ(t, w[2], 0x96a4f3aecfb5cf84ULL);
	KTEST_EXPECT_EQ(t, w[63], 0xe93ba90182eddfd9ULL);
	KTEST_EXPECT_EQ(t, w[64], 6ULL);
	KTEST_EXPECT_EQ(t, blk_pattern_check(w, 5, 7, 2), -1L);
	KTEST_EXPECT_EQ(t, blk_pattern_check(w, 6, 7, 1), 0L);
	((u8 *)w)[512 + 100] ^= 1;
	KTEST_EXPECT_EQ(t, blk_pattern_check(w, 5, 7, 2), 612L);
	kfree(w);
}

static struct ktest_case block_cases[] = {
	KTEST_CASE(test_block_pattern),
	/* 2 MiB and 256 KiB of data in memory-backed disks. */
	KTEST_CASE_RAM(test_block_integrity_smp, KTEST_F_NOHOST, 16),
	KTEST_CASE_RAM(test_block_queue_full, KTEST_F_NOHOST, 16),
	KTEST_CASE_FLAGS(test_block_timeout, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_block_errors, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_block_trace_events, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_block_flush_fua, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_block_limits_split, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_block_bad_input, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_block_quiesce_ro, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_block_del_during_io, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_block_partitions_mbr, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_block_partitions_gpt, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_block_uevents, KTEST_F_NOHOST),
	{}
};

static struct ktest_suite block_suite = {
	.name = "block", .cases = block_cases, .init = block_test_init,
};
KTEST_SUITE(block_suite);
