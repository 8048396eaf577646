// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end tests of virtio_blk on QEMU's virtio-blk-pci (the 16 MiB
 * scratch disk scripts/qemu-common.sh gives every default boot): the disk
 * appears as vda through modalias autoload, with one hardware queue per
 * CPU; data written with the integrity pattern reads back from every CPU
 * at once; flush, FUA, write-zeroes and discard work; bad requests fail
 * cleanly; a ring smaller than the queue depth fills and recovers; and
 * virtio_blk goes out and in again during traffic (virtio_blk_test_cycles,
 * default 10; make check's pc and q35 -smp 4 boots ask for 50) with every
 * page and kmalloc object back afterwards; requests that time out, and the
 * device reset that follows, each request ending exactly once.  Skipped
 * without the disk.
 */
#include <exo/blkdev.h>
#include <exo/blk-mq.h>
#include <exo/err.h>
#include <exo/kasan.h>
#include <exo/kmod.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/module.h>
#include <exo/pci.h>
#include <exo/pgtable.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/virtio.h>

#define VBT_DISK	"vda"
#define VBT_SECTORS	(16u << 11)	/* the scratch disk: 16 MiB */
#define VBT_PAGE_SLACK	4
#define VBT_THREADS	8

static unsigned int cycles = 10;

static int __init cycles_setup(const char *val)
{
	unsigned long n;

	if (kstrtoul(val, 0, &n) || !n || n > 1000)
		return -EINVAL;
	cycles = n;
	return 0;
}
__setup_desc("virtio_blk_test_cycles=", cycles_setup,
	     "rmmod/modprobe cycles of the virtio_blk test (1..1000, default 10)");

static struct block_device *vbt_get(void)
{
	return blkdev_get_by_path(VBT_DISK, FMODE_READ | FMODE_WRITE, NULL);
}

/* Is there a vda?  (Only virtio_blk names its disks vd*.) */
static bool vbt_present(void)
{
	struct block_device *bdev = vbt_get();

	if (IS_ERR(bdev))
		return false;
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
	return true;
}

static struct pci_dev *vblk_pdev;

static int vbt_init(struct ktest *t)
{
	struct pci_dev *p = NULL;

	/* Transitional (0x1001) on pc, modern (0x1042) behind PCIe ports. */
	while ((p = pci_get_device(0x1af4, PCI_ANY_ID, p)))
		if (p->device == 0x1042 || (p->device == 0x1001 && p->subsystem_device == 2))
			break;
	vblk_pdev = p;
	/*
	 * With modules=auto virtio_blk.ko is loaded by the device's modalias
	 * from a workqueue, maybe after the tests started: give it 10 s.
	 */
	for (int ms = 0; p && ms < 10000 && !vbt_present(); ms += 10)
		msleep(10);
	return 0;
}

static void vbt_exit(struct ktest *t)
{
	if (vblk_pdev)
		put_device(&vblk_pdev->dev);
	vblk_pdev = NULL;
}

#define NEED_VDA(t) do {						\
	if (!vblk_pdev)							\
		KTEST_SKIP(t, "no virtio-blk device (QEMU -device virtio-blk-pci)"); \
} while (0)

static void test_virtio_blk_probe(struct ktest *t)
{
	struct block_device *bdev;
	struct request_queue *q;

	NEED_VDA(t);
	bdev = vbt_get();
	if (IS_ERR(bdev)) {
		ktest_fail(t, __FILE__, __LINE__, "no %s (%ld)%s", VBT_DISK, (long)PTR_ERR(bdev),
			   IS_MODULE(CONFIG_VIRTIO_BLK) ? ": virtio_blk.ko not autoloaded?" : "");
		return;
	}
	q = bdev_get_queue(bdev);
	KTEST_EXPECT_TRUE(t, vbt_present());
	KTEST_EXPECT_EQ(t, bdev_nr_sectors(bdev), (sector_t)VBT_SECTORS);
	KTEST_EXPECT_EQ(t, bdev_logical_block_size(bdev), 512u);
	/* QEMU offers FLUSH (write cache on), DISCARD and WRITE_ZEROES. */
	KTEST_EXPECT_TRUE(t, blk_queue_flag_test(QUEUE_FLAG_WC, q));
	KTEST_EXPECT_GT(t, q->limits.max_discard_sectors, 0u);
	KTEST_EXPECT_GT(t, q->limits.max_write_zeroes_sectors, 0u);
	KTEST_EXPECT_GE(t, queue_max_segments(q), 1);
	/* One queue per vCPU (QEMU's num-queues default), up to the CPU count. */
	KTEST_EXPECT_GE(t, q->nr_hw_queues, 1u);
	KTEST_EXPECT_LE(t, q->nr_hw_queues, nr_cpu_ids);
	if (num_online_cpus() > 1)
		KTEST_EXPECT_GT(t, q->nr_hw_queues, 1u);
	ktest_log(t, "%s: %llu sectors, %u hardware queues, depth %u, %u segments",
		  VBT_DISK, (unsigned long long)bdev_nr_sectors(bdev), q->nr_hw_queues,
		  q->tag_set->queue_depth, queue_max_segments(q));
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
}

static int vbt_find_vdev(struct device *dev, void *data)
{
	struct device **found = data;

	if (dev->parent != &vblk_pdev->dev)
		return 0;
	*found = dev;
	return 1;
}

/* Linux's modalias, the form depmod writes for virtio_blk's table. */
static void test_virtio_blk_modalias(struct ktest *t)
{
	struct device *vdev = NULL;
	char alias[64];

	NEED_VDA(t);
	KTEST_ASSERT_EQ(t, bus_for_each_dev(&virtio_bus, &vdev, vbt_find_vdev), 1);
	KTEST_ASSERT_EQ(t, device_modalias(vdev, alias, sizeof(alias)), 0);
	KTEST_EXPECT_EQ(t, strcmp(alias, "virtio:d00000002v00001AF4"), 0);
	KTEST_ASSERT_NOT_NULL(t, vdev->driver);
	KTEST_EXPECT_EQ(t, strcmp(vdev->driver->name, "virtio_blk"), 0);
}

#define VBT_BADDATA	1	/* vbt_rw_check(): read back the wrong data */

/*
 * Write @nr sectors of pattern at @lba with @flags, read back, check.
 * Return: 0, a negative errno of the I/O, or VBT_BADDATA.
 */
static int vbt_rw_check(struct block_device *bdev, sector_t lba, unsigned int nr, u64 seed,
			blk_opf_t flags, u8 *buf)
{
	int err;

	blk_pattern_fill(buf, lba, seed, nr);
	err = blkdev_rw(bdev, REQ_OP_WRITE | flags, lba, buf, nr * 512);
	if (err)
		return err;
	memset(buf, 0xa5, nr * 512);
	err = blkdev_rw(bdev, REQ_OP_READ, lba, buf, nr * 512);
	if (err)
		return err;
	return blk_pattern_check(buf, lba, seed, nr) == -1 ? 0 : VBT_BADDATA;
}

static void test_virtio_blk_rw(struct ktest *t)
{
	static const unsigned int sizes[] = { 1, 7, 8, 64, 255, 256, 1024 };
	struct block_device *bdev;
	u8 *buf;

	NEED_VDA(t);
	bdev = vbt_get();
	KTEST_ASSERT_TRUE(t, !IS_ERR(bdev));
	buf = kmalloc(1024 * 512, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, buf);
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++)
		KTEST_EXPECT_EQ(t, vbt_rw_check(bdev, 4096 + i * 2048, sizes[i], 0x51 + i, 0, buf), 0);
	/* The last sector of the disk. */
	KTEST_EXPECT_EQ(t, vbt_rw_check(bdev, VBT_SECTORS - 1, 1, 7, 0, buf), 0);
	/* Page-sized I/O from separate pages: one segment each. */
	for (unsigned int i = 0; i < 4; i++) {
		struct page *pg = alloc_page(GFP_KERNEL);

		KTEST_ASSERT_NOT_NULL(t, pg);
		KTEST_EXPECT_EQ(t, vbt_rw_check(bdev, 100 + i * 8, 8, i, 0, page_address(pg)), 0);
		__free_page(pg);
	}
	kfree(buf);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
}

/*
 * A bio of @op without data (discard, write-zeroes, a bad empty read) on
 * @nr sectors from @lba, waited for.  Return: as submit_bio_wait(), or
 * -ENOMEM.
 */
static int vbt_nodata_bio(struct block_device *bdev, blk_opf_t op, sector_t lba,
			  unsigned int nr)
{
	struct bio *bio = bio_alloc(bdev, 0, op, GFP_KERNEL);
	int err;

	if (!bio)
		return -ENOMEM;
	bio->bi_iter.bi_sector = lba;
	bio->bi_iter.bi_size = nr * 512;
	err = submit_bio_wait(bio);
	bio_put(bio);
	return err;
}

/* Flush, FUA and preflush writes, write-zeroes and discard. */
static void test_virtio_blk_flush_zeroes(struct ktest *t)
{
	struct block_device *bdev;
	u8 *buf;

	NEED_VDA(t);
	bdev = vbt_get();
	KTEST_ASSERT_TRUE(t, !IS_ERR(bdev));
	buf = kmalloc(64 * 512, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, buf);
	KTEST_EXPECT_EQ(t, blkdev_issue_flush(bdev), 0);
	KTEST_EXPECT_EQ(t, vbt_rw_check(bdev, 8192, 16, 3, REQ_FUA, buf), 0);
	KTEST_EXPECT_EQ(t, vbt_rw_check(bdev, 8256, 16, 4, REQ_PREFLUSH | REQ_FUA, buf), 0);

	/* Write-zeroes: the sectors read back as zeroes. */
	KTEST_EXPECT_EQ(t, vbt_rw_check(bdev, 9000, 64, 5, 0, buf), 0);
	KTEST_EXPECT_EQ(t, vbt_nodata_bio(bdev, REQ_OP_WRITE_ZEROES, 9008, 32), 0);
	KTEST_EXPECT_EQ(t, blkdev_rw(bdev, REQ_OP_READ, 9000, buf, 64 * 512), 0);
	KTEST_EXPECT_EQ(t, blk_pattern_check(buf, 9000, 5, 8), -1L);
	KTEST_EXPECT_EQ(t, memchr_inv(buf + 8 * 512, 0, 32 * 512), NULL);
	KTEST_EXPECT_EQ(t, blk_pattern_check(buf + 40 * 512, 9040, 5, 24), -1L);

	/* Discard succeeds; the data is the device's to keep or drop. */
	KTEST_EXPECT_EQ(t, vbt_nodata_bio(bdev, REQ_OP_DISCARD, 9000, 64), 0);
	kfree(buf);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
}

/* Requests beyond the end, misaligned, empty: errors, and the disk still works. */
static void test_virtio_blk_bad_input(struct ktest *t)
{
	struct block_device *bdev;
	u8 *buf;

	NEED_VDA(t);
	bdev = vbt_get();
	KTEST_ASSERT_TRUE(t, !IS_ERR(bdev));
	buf = kmalloc(8 * 512 + 512, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, buf);
	KTEST_EXPECT_LT(t, blkdev_rw(bdev, REQ_OP_READ, VBT_SECTORS, buf, 512), 0);
	KTEST_EXPECT_LT(t, blkdev_rw(bdev, REQ_OP_READ, VBT_SECTORS - 4, buf, 8 * 512), 0);
	KTEST_EXPECT_LT(t, blkdev_rw(bdev, REQ_OP_WRITE, ~0ULL >> 10, buf, 512), 0);
	KTEST_EXPECT_LT(t, blkdev_rw(bdev, REQ_OP_READ, 0, buf + 1, 512), 0);
	KTEST_EXPECT_LT(t, blkdev_rw(bdev, REQ_OP_READ, 0, buf, 100), 0);
	/* A read without data, a discard past the end. */
	KTEST_EXPECT_LT(t, vbt_nodata_bio(bdev, REQ_OP_READ, 0, 0), 0);
	KTEST_EXPECT_LT(t, vbt_nodata_bio(bdev, REQ_OP_DISCARD, VBT_SECTORS - 8, 16), 0);
	KTEST_EXPECT_EQ(t, vbt_rw_check(bdev, 10000, 8, 9, 0, buf), 0);
	kfree(buf);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
}

/*
 * Traffic: each thread owns a 256-sector region and writes, reads back and
 * checks it with its own seed, in requests of 1..64 sectors, some FUA.
 * While virtio_blk comes and goes (@w->cycling) a request may fail with
 * an error or find no disk; it must never return wrong data.
 */
struct vbt_worker {
	unsigned int id;
	bool cycling;
	bool stop;
	unsigned long done;		/* requests checked */
	unsigned long failed;		/* errors, only while cycling */
	unsigned long bad;		/* wrong data: never */
	unsigned int iters;		/* 0: until stop */
};

static u32 vbt_rand(u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static int vbt_worker_fn(void *arg)
{
	struct vbt_worker *w = arg;
	u32 seed = 0x9e37 + w->id * 7919;
	u8 *buf = kmalloc(64 * 512, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
	for (unsigned int i = 0; w->iters ? i < w->iters : !READ_ONCE(w->stop); i++) {
		unsigned int nr = 1 + vbt_rand(&seed) % 64;
		sector_t lba = 16384 + w->id * 256 + vbt_rand(&seed) % (256 - nr + 1);
		struct block_device *bdev = vbt_get();
		int err;

		if (IS_ERR(bdev)) {
			if (!w->cycling)
				w->bad++;
			msleep(1);
			continue;
		}
		err = vbt_rw_check(bdev, lba, nr, w->id * 1000 + i, i % 4 ? 0 : REQ_FUA, buf);
		blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
		if (err == VBT_BADDATA)
			w->bad++;
		else if (err && !w->cycling)
			w->bad++;
		else if (err)
			w->failed++;
		else
			WRITE_ONCE(w->done, w->done + 1);
	}
	kfree(buf);
	return 0;
}

static unsigned int vbt_start(struct vbt_worker *w, struct task_struct **th, unsigned int n,
			      bool cycling, unsigned int iters)
{
	for (unsigned int i = 0; i < n; i++) {
		w[i] = (struct vbt_worker){ .id = i, .cycling = cycling, .iters = iters };
		th[i] = kthread_create(vbt_worker_fn, &w[i], "vbt%u", i);
		if (!th[i])
			return i;
		kthread_bind(th[i], i % num_online_cpus());
		wake_up_process(th[i]);
	}
	return n;
}

/* Every online CPU submits at once (two threads each): all data intact. */
static void test_virtio_blk_smp(struct ktest *t)
{
	struct vbt_worker w[VBT_THREADS];
	struct task_struct *th[VBT_THREADS];
	unsigned int n = min_t(unsigned int, num_online_cpus() * 2, VBT_THREADS), started;

	NEED_VDA(t);
	KTEST_ASSERT_TRUE(t, vbt_present());
	started = vbt_start(w, th, n, false, 40);
	for (unsigned int i = 0; i < started; i++) {
		KTEST_EXPECT_EQ(t, kthread_join(th[i]), 0);
		KTEST_EXPECT_EQ(t, w[i].bad, 0ul);
		KTEST_EXPECT_EQ(t, w[i].done, 40ul);
	}
	KTEST_EXPECT_EQ(t, started, n);
}

static void vbt_end_io(struct bio *bio)
{
	atomic_t *left = bio->bi_private;

	if (bio->bi_status)
		atomic_add(1 << 16, left);	/* count errors in the high half */
	atomic_sub(1, left);
	bio_put(bio);
}

static bool vbt_wait_bios(atomic_t *left)
{
	for (int ms = 0; ms < 10000; ms += 5) {
		if ((atomic_read(left) & 0xffff) == 0)
			return true;
		msleep(5);
	}
	return false;
}

/*
 * Submit @n 4 KiB reads of sectors 0, 8, ... into @buf at once; errors are
 * counted in @left's high half, bios in flight in its low half.
 * Return: false if a bio could not be allocated (those submitted are
 * waited for).
 */
static bool vbt_submit_reads(struct block_device *bdev, u8 *buf, unsigned int n, atomic_t *left)
{
	for (unsigned int i = 0; i < n; i++) {
		/* Not merged while they wait on a busy queue: one request each. */
		struct bio *bio = bio_alloc(bdev, 1, REQ_OP_READ | REQ_NOMERGE, GFP_KERNEL);

		if (!bio || bio_add_virt(bio, buf + i * 4096, 4096) != 4096) {
			if (bio)
				bio_put(bio);
			vbt_wait_bios(left);
			return false;
		}
		bio->bi_iter.bi_sector = i * 8;
		bio->bi_end_io = vbt_end_io;
		bio->bi_private = left;
		atomic_add(1, left);
		submit_bio(bio);
	}
	return true;
}

/*
 * vbt_submit_reads(), then wait (10 s at most) for them all.
 * Return: false if a bio could not be allocated or they did not complete.
 */
static bool vbt_read_burst(struct block_device *bdev, u8 *buf, unsigned int n, atomic_t *left)
{
	return vbt_submit_reads(bdev, buf, n, left) && vbt_wait_bios(left);
}

/*
 * @n reads of 8 sectors in flight at once from one CPU, queued while the
 * queue is quiesced so that they reach virtio_blk in one batch: with
 * queue_depth above the ring size the ring fills before the device is
 * notified (it only is for a batch's last request), queue_rq stops the
 * hardware queue and the completions restart it.  Each read returns its
 * own data.
 */
static void vbt_burst(struct ktest *t, struct block_device *bdev, unsigned int n)
{
	u8 *buf = kmalloc(n * 4096, GFP_KERNEL);
	atomic_t left = ATOMIC_INIT(0);
	unsigned int bad = 0;
	bool sent;

	KTEST_ASSERT_NOT_NULL(t, buf);
	blk_pattern_fill(buf, 0, 77, n * 8);
	KTEST_ASSERT_EQ(t, blkdev_rw(bdev, REQ_OP_WRITE, 0, buf, n * 4096), 0);
	memset(buf, 0, n * 4096);
	blk_mq_quiesce_queue(bdev_get_queue(bdev));
	sent = vbt_submit_reads(bdev, buf, n, &left);
	blk_mq_unquiesce_queue(bdev_get_queue(bdev));
	KTEST_ASSERT_TRUE(t, sent && vbt_wait_bios(&left));
	KTEST_EXPECT_EQ(t, atomic_read(&left) >> 16, 0);
	for (unsigned int i = 0; i < n; i++)
		bad += blk_pattern_check(buf + i * 4096, i * 8, 77, 8) != -1;
	KTEST_EXPECT_EQ(t, bad, 0u);
	kfree(buf);
}

/*
 * virtio_blk out: vda gone; in again (with @args): vda back.  Built in,
 * the virtio device is unbound from virtio_blk and bound again (unbinding
 * the PCI function would delete the virtio device, and the disk with it,
 * before virtio_blk's remove ran).
 */
static bool vbt_cycle(struct ktest *t, const char *args)
{
	struct device *vdev = NULL;
	bool ok = true;

	if (IS_MODULE(CONFIG_VIRTIO_BLK)) {
		int err;

		for (int tries = 0; (err = modprobe_remove("virtio_blk")) == -EBUSY && tries < 1000;
		     tries++)
			msleep(1);
		ok &= err == 0;
		ok &= !vbt_present();
		ok &= modprobe("virtio_blk", args) == 0;
	} else {
		ok &= bus_for_each_dev(&virtio_bus, &vdev, vbt_find_vdev) == 1;
		if (ok) {
			device_release_driver(vdev);
			ok &= vdev->driver == NULL && !vbt_present();
			ok &= device_attach(vdev) == 1;
		}
	}
	ok &= vbt_present();
	if (!ok)
		ktest_fail(t, __FILE__, __LINE__, "virtio_blk cycle failed");
	return ok;
}

/*
 * A ring that fills (vbt_burst()).  The device may still take requests
 * while the batch is queued, if it was already busy, so bursts are
 * repeated (up to 10) until one filled it.
 */
static void test_virtio_blk_ring_full(struct ktest *t)
{
	struct block_device *bdev;
	struct blk_mq_hw_ctx *hctx;
	int bursts = 0;

	NEED_VDA(t);
	if (!IS_MODULE(CONFIG_VIRTIO_BLK))
		KTEST_SKIP(t, "virtio_blk built in: queue_depth is fixed at boot");
	KTEST_ASSERT_TRUE(t, vbt_cycle(t, "queue_depth=1024 num_request_queues=1"));
	bdev = vbt_get();
	KTEST_ASSERT_TRUE(t, !IS_ERR(bdev));
	KTEST_EXPECT_EQ(t, bdev_get_queue(bdev)->tag_set->queue_depth, 1024u);
	hctx = bdev_get_queue(bdev)->queue_hw_ctx[0];
	while (bursts++ < 10 && !READ_ONCE(hctx->dispatch_busy))
		vbt_burst(t, bdev, 1000);
	ktest_log(t, "%d burst(s) of 1000 reads; the ring was full %lu times", bursts - 1,
		  READ_ONCE(hctx->dispatch_busy));
	KTEST_EXPECT_GT(t, READ_ONCE(hctx->dispatch_busy), 0ul);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
	vbt_cycle(t, NULL);
}

/* Free pages, kmalloc objects, live bios, held tags, started requests. */
#define VBT_NR_BASE	5

static void vbt_baseline(unsigned long *b)
{
	struct blk_counters c;

	/* KASAN's quarantine holds freed objects, and their slab pages, back. */
	kasan_quarantine_drain();
	b[0] = ktest_settled_free_pages() + nr_pgtable_pages();
	b[1] = kmalloc_usage(NULL);
	blk_get_counters(&c);
	b[2] = c.bios;
	b[3] = c.requests;
	b[4] = c.in_flight;
}

/* Stop and join the traffic threads; add up what they did. */
static void vbt_stop(struct ktest *t, struct vbt_worker *w, struct task_struct **th,
		     unsigned int n, unsigned long *done, unsigned long *failed)
{
	for (unsigned int i = 0; i < n; i++)
		WRITE_ONCE(w[i].stop, true);
	for (unsigned int i = 0; i < n; i++) {
		KTEST_EXPECT_EQ(t, kthread_join(th[i]), 0);
		KTEST_EXPECT_EQ(t, w[i].bad, 0ul);
		*done += w[i].done;
		*failed += w[i].failed;
	}
}

/*
 * virtio_blk removed and loaded again (unbound and bound when built in)
 * @cycles times while a thread per CPU does I/O.  The baseline is taken
 * after 5 warm-up cycles with traffic (first-use state of the debug
 * options, thread stacks cached).  Pages come back within VBT_PAGE_SLACK
 * (a debug record allocated meanwhile may pin a slab page; a page leaked
 * per cycle would show as @cycles); kmalloc objects, bios, tags and
 * requests in flight exactly.
 */
static void test_virtio_blk_cycles_during_traffic(struct ktest *t)
{
	struct vbt_worker w[VBT_THREADS];
	struct task_struct *th[VBT_THREADS];
	unsigned int n = min_t(unsigned int, num_online_cpus(), VBT_THREADS), started;
	unsigned long base[VBT_NR_BASE], now[VBT_NR_BASE], done = 0, failed = 0;
	bool ok = true;

	NEED_VDA(t);
	KTEST_ASSERT_TRUE(t, vbt_present());
	started = vbt_start(w, th, n, true, 0);
	for (int i = 0; i < 5 && ok; i++)
		ok = vbt_cycle(t, NULL);
	vbt_stop(t, w, th, started, &done, &failed);
	if (!ok)
		return;
	done = failed = 0;
	vbt_baseline(base);
	started = vbt_start(w, th, n, true, 0);
	for (unsigned int c = 0; c < cycles && ok; c++) {
		ok = vbt_cycle(t, NULL);
		if (c % 10 == 9)
			msleep(20);	/* let the traffic through */
	}
	vbt_stop(t, w, th, started, &done, &failed);
	KTEST_EXPECT_GT(t, done, 0ul);
	ktest_log(t, "%u cycles, %lu requests checked, %lu failed during removal", cycles, done,
		  failed);
	vbt_baseline(now);
	KTEST_EXPECT_LE(t, base[0] - min(base[0], now[0]), (unsigned long)VBT_PAGE_SLACK);
	for (int i = 1; i < VBT_NR_BASE; i++)
		KTEST_EXPECT_EQ(t, now[i], base[i]);
	/* The disk works after it all. */
	started = vbt_start(w, th, 1, false, 10);
	for (unsigned int i = 0; i < started; i++) {
		KTEST_EXPECT_EQ(t, kthread_join(th[i]), 0);
		KTEST_EXPECT_EQ(t, w[i].bad, 0ul);
	}
}

/*
 * Requests that time out.  First a lost interrupt, deterministically: the
 * next three completions are dropped (blk_queue_fake_timeouts()), so those
 * requests time out off the ring and end with an error, and the rest of
 * the burst completes.  Then a device that does not complete in time: with
 * a 1-jiffy timeout, bursts of 1000 reads (the ring holds 256) may leave
 * requests on the ring past their deadline; virtio_blk then resets the
 * device and ends every request it held with an error.  Whether that
 * happens depends on the host's speed, so it is reported, not required.
 * Either way each bio completes (none hangs), once; after virtio_blk is
 * bound again the disk works and nothing is left behind.
 */
static void test_virtio_blk_timeout(struct ktest *t)
{
	unsigned long base[VBT_NR_BASE], now[VBT_NR_BASE];
	struct block_device *bdev;
	struct request_queue *q;
	u8 *buf = kmalloc(1000 * 4096, GFP_KERNEL);
	atomic_t left = ATOMIC_INIT(0);
	int errors = 0, bursts = 0;

	NEED_VDA(t);
	KTEST_ASSERT_NOT_NULL(t, buf);
	vbt_baseline(base);
	bdev = vbt_get();
	KTEST_ASSERT_TRUE(t, !IS_ERR(bdev));
	q = bdev_get_queue(bdev);
	blk_queue_rq_timeout(q, msecs_to_jiffies(100));
	blk_queue_fake_timeouts(q, 3);
	KTEST_ASSERT_TRUE(t, vbt_read_burst(bdev, buf, 8, &left));
	KTEST_EXPECT_GE(t, atomic_read(&left) >> 16, 3);
	KTEST_EXPECT_EQ(t, atomic_read(&q->fake_timeouts), 0);
	atomic_set(&left, 0);
	blk_queue_rq_timeout(q, 1);
	while (!errors && bursts++ < 5) {
		KTEST_ASSERT_TRUE(t, vbt_read_burst(bdev, buf, 1000, &left));
		errors = atomic_read(&left) >> 16;
		atomic_set(&left, 0);
	}
	ktest_log(t, "3 lost completions ended; %d burst(s) of 1000 reads with a 1-jiffy timeout, %d failed",
		  bursts, errors);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
	kfree(buf);
	KTEST_ASSERT_TRUE(t, vbt_cycle(t, NULL));
	bdev = vbt_get();
	KTEST_ASSERT_TRUE(t, !IS_ERR(bdev));
	buf = kmalloc(8 * 512, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, buf);
	KTEST_EXPECT_EQ(t, vbt_rw_check(bdev, 12000, 8, 11, 0, buf), 0);
	kfree(buf);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
	vbt_baseline(now);
	KTEST_EXPECT_LE(t, base[0] - min(base[0], now[0]), (unsigned long)VBT_PAGE_SLACK);
	for (int i = 1; i < VBT_NR_BASE; i++)
		KTEST_EXPECT_EQ(t, now[i], base[i]);
}

/* One bio of test_virtio_blk_reset_after_timeout(): how often it ended, and how. */
struct vbt_slot {
	atomic_t ends;
	atomic_t timed_out;	/* ends with BLK_STS_TIMEOUT */
};

static void vbt_slot_end_io(struct bio *bio)
{
	struct vbt_slot *s = bio->bi_private;

	if (bio->bi_status == BLK_STS_TIMEOUT)
		atomic_add(1, &s->timed_out);
	atomic_add(1, &s->ends);
	bio_put(bio);
}

static bool vbt_slot_read(struct block_device *bdev, u8 *buf, sector_t lba, struct vbt_slot *s)
{
	struct bio *bio = bio_alloc(bdev, 1, REQ_OP_READ | REQ_NOMERGE, GFP_KERNEL);

	if (!bio || bio_add_virt(bio, buf, 4096) != 4096) {
		if (bio)
			bio_put(bio);
		return false;
	}
	bio->bi_iter.bi_sector = lba;
	bio->bi_end_io = vbt_slot_end_io;
	bio->bi_private = s;
	submit_bio(bio);
	return true;
}

#define VBT_LOST	2	/* completions dropped: the device is done with them */
#define VBT_STALLED	4	/* never told to the device: on the ring at the timeout */
#define VBT_SLOTS	(VBT_LOST + VBT_STALLED)
#define VBT_RESET_TIMEOUT	(2 * HZ)
#define VBT_STALL_TRIES		3

/*
 * Submit the VBT_STALLED reads the device is not told of and wait for
 * them to end; how many of them ended well (the device served them).
 */
static int vbt_stall_reads(struct block_device *bdev, u8 *buf, struct vbt_slot *s)
{
	struct request_queue *q = bdev_get_queue(bdev);
	int ended = 0, served = 0;

	for (int i = VBT_LOST; i < VBT_SLOTS; i++) {
		atomic_set(&s[i].ends, 0);
		atomic_set(&s[i].timed_out, 0);
	}
	blk_queue_fake_stalls(q, VBT_STALLED);
	for (int i = VBT_LOST; i < VBT_SLOTS; i++)
		if (!vbt_slot_read(bdev, buf + i * 4096, i * 8, &s[i]))
			return -ENOMEM;
	for (int ms = 0; ms < 5 * (int)jiffies_to_msecs(VBT_RESET_TIMEOUT) && ended < VBT_STALLED;
	     ms += 10) {
		msleep(10);
		ended = 0;
		for (int i = VBT_LOST; i < VBT_SLOTS; i++)
			ended += atomic_read(&s[i].ends) > 0;
	}
	for (int i = VBT_LOST; i < VBT_SLOTS; i++)
		served += atomic_read(&s[i].ends) == 1 && !atomic_read(&s[i].timed_out);
	return served;
}

/*
 * The reset after a timeout, deterministically: two requests whose
 * completion is dropped (blk_queue_fake_timeouts()), then four the device
 * is never told of (blk_queue_fake_stalls()), which are still on the ring
 * when they time out.  virtio_blk resets the device and ends the four
 * with BLK_STS_TIMEOUT; the two lost ones, no longer on the ring, are the
 * core's to end (BLK_EH_DONE).  Every bio must end exactly once, with
 * BLK_STS_TIMEOUT; the disk then fails I/O, and works again once
 * virtio_blk is bound again, with nothing left behind.
 *
 * QEMU serves a notification in its main loop (ioeventfd), some time
 * after the guest wrote it: when a handler run for the first reads also
 * took the second, a notification the second wrote is still pending, and
 * its run can take the four stalled reads as well.  They then end well,
 * that pending notification is spent, and the four are tried again.
 */
static void test_virtio_blk_reset_after_timeout(struct ktest *t)
{
	unsigned long base[VBT_NR_BASE], now[VBT_NR_BASE];
	int once = 0, timedout = 0, ended = 0, served = 0, tries = 0;
	struct block_device *bdev;
	struct request_queue *q;
	struct vbt_slot *s;
	u8 *buf;

	NEED_VDA(t);
	vbt_baseline(base);
	buf = kmalloc(VBT_SLOTS * 4096, GFP_KERNEL);
	s = kcalloc(VBT_SLOTS, sizeof(*s), GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, buf && s);
	bdev = vbt_get();
	KTEST_ASSERT_TRUE(t, !IS_ERR(bdev));
	q = bdev_get_queue(bdev);
	/*
	 * Seconds: a read the loaded host's device is slow to complete must
	 * not time out before its completion is dropped.
	 */
	blk_queue_rq_timeout(q, VBT_RESET_TIMEOUT);
	blk_queue_fake_timeouts(q, VBT_LOST);
	for (int i = 0; i < VBT_LOST; i++)
		KTEST_ASSERT_TRUE(t, vbt_slot_read(bdev, buf + i * 4096, i * 8, &s[i]));
	for (int ms = 0; ms < 10000 && atomic_read(&q->fake_timeouts); ms += 10)
		msleep(10);
	KTEST_EXPECT_EQ(t, atomic_read(&q->fake_timeouts), 0);
	do {
		served = vbt_stall_reads(bdev, buf, s);
		KTEST_ASSERT_GE(t, served, 0);
	} while (served == VBT_STALLED && ++tries < VBT_STALL_TRIES);
	if (tries)
		ktest_log(t, "a pending notification served the stalled reads %d time(s)", tries);
	for (int ms = 0; ms < 5 * (int)jiffies_to_msecs(VBT_RESET_TIMEOUT) && ended < VBT_SLOTS;
	     ms += 10) {
		msleep(10);
		ended = 0;
		for (int i = 0; i < VBT_SLOTS; i++)
			ended += atomic_read(&s[i].ends) > 0;
	}
	msleep(50);		/* a second end would show by now */
	for (int i = 0; i < VBT_SLOTS; i++) {
		once += atomic_read(&s[i].ends) == 1;
		timedout += atomic_read(&s[i].timed_out) == 1;
	}
	KTEST_EXPECT_EQ(t, once, VBT_SLOTS);
	KTEST_EXPECT_EQ(t, timedout, VBT_SLOTS);
	KTEST_EXPECT_EQ(t, atomic_read(&q->fake_stalls), 0);
	/* Reset: the disk fails I/O until virtio_blk is bound again. */
	KTEST_EXPECT_EQ(t, blkdev_rw(bdev, REQ_OP_READ, 0, buf, 4096), -EIO);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
	if (ended < VBT_SLOTS)
		return;		/* a bio still owns its slot and buffer */
	kfree(s);
	KTEST_ASSERT_TRUE(t, vbt_cycle(t, NULL));
	bdev = vbt_get();
	KTEST_ASSERT_TRUE(t, !IS_ERR(bdev));
	KTEST_EXPECT_EQ(t, vbt_rw_check(bdev, 12000, 8, 12, 0, buf), 0);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
	kfree(buf);
	vbt_baseline(now);
	KTEST_EXPECT_LE(t, base[0] - min(base[0], now[0]), (unsigned long)VBT_PAGE_SLACK);
	for (int i = 1; i < VBT_NR_BASE; i++)
		KTEST_EXPECT_EQ(t, now[i], base[i]);
}

static struct ktest_case vbt_cases[] = {
	KTEST_CASE(test_virtio_blk_probe),
	KTEST_CASE(test_virtio_blk_modalias),
	KTEST_CASE(test_virtio_blk_rw),
	KTEST_CASE(test_virtio_blk_flush_zeroes),
	KTEST_CASE(test_virtio_blk_bad_input),
	KTEST_CASE_FLAGS(test_virtio_blk_smp, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_virtio_blk_ring_full, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_virtio_blk_cycles_during_traffic, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_virtio_blk_timeout, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_virtio_blk_reset_after_timeout, KTEST_F_NOHOST),
	{}
};

static struct ktest_suite vbt_suite = {
	.name = "virtio_blk",
	.cases = vbt_cases,
	.init = vbt_init,
	.exit = vbt_exit,
};
KTEST_SUITE(vbt_suite);
