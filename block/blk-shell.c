// SPDX-License-Identifier: GPL-2.0
/*
 * Shell commands: lsblk, and blk read/write/verify/bench.
 */
#include <exo/blkdev.h>
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/printk.h>
#include <exo/shell.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/wait.h>
#include <asm/processor.h>
#include "blk.h"

static void lsblk_line(struct block_device *bdev)
{
	struct gendisk *disk = bdev->bd_disk;
	struct request_queue *q = bdev->bd_queue;
	sector_t n = bdev_nr_sectors(bdev);

	printk("%-10s %8llu %10llu %5u %3u %-10s %-4s %s\n", bdev_name(bdev),
	       (unsigned long long)(n >> 11), (unsigned long long)n,
	       queue_logical_block_size(q), q->nr_hw_queues,
	       disk->driver_name ? disk->driver_name : "-",
	       bdev->bd_partno ? "part" : "disk", bdev->bd_partno ? bdev->bd_part_type : "");
}

static int lsblk_one(struct block_device *bdev, void *data)
{
	struct gendisk *disk = bdev->bd_disk;

	(void)data;
	if (bdev->bd_partno)
		return 0;
	lsblk_line(bdev);
	for (int i = 1; i < DISK_MAX_PARTS; i++)
		if (disk->parts[i])
			lsblk_line(disk->parts[i]);
	return 0;
}

static int cmd_lsblk(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printk("NAME            MiB    SECTORS   LBS HWQ DRIVER     TYPE TABLE\n");
	blkdev_for_each(lsblk_one, NULL);
	return 0;
}
DEFINE_SHELL_CMD(lsblk, "block devices: size, block size, hw queues, driver, partitions",
		 cmd_lsblk);

#define BLK_READ_MAX	8	/* sectors `blk read` dumps */

static int blk_cmd_read(struct block_device *bdev, sector_t lba, unsigned long count)
{
	size_t len = count * SECTOR_SIZE;
	u8 *buf = kmalloc(len, GFP_KERNEL);
	int err;

	if (!buf)
		return -ENOMEM;
	err = blkdev_rw(bdev, REQ_OP_READ, lba, buf, len);
	if (err) {
		printk("blk: read of %s sectors %llu+%lu failed: %d\n", bdev_name(bdev),
		       (unsigned long long)lba, count, err);
		kfree(buf);
		return err;
	}
	for (size_t off = 0; off < len; off += 16) {
		char hex[16 * 3 + 1], asc[17];

		for (int i = 0; i < 16; i++) {
			u8 c = buf[off + i];

			snprintf(hex + i * 3, 4, "%02x ", c);
			asc[i] = c >= 0x20 && c < 0x7f ? (char)c : '.';
		}
		asc[16] = '\0';
		printk("%08llx  %s %s\n", (unsigned long long)(lba * SECTOR_SIZE + off), hex, asc);
	}
	kfree(buf);
	return 0;
}

/* `blk bench`: an in-flight window of bios, refilled as they complete. */
#define BENCH_QD_MAX	32
#define BENCH_NS	(300 * 1000 * 1000ULL)

struct blk_bench {
	spinlock_t lock;
	unsigned int free[BENCH_QD_MAX], nr_free;
	struct wait_queue_head wait;
	unsigned long done, errors;
};

struct blk_bench_slot {
	struct bio bio;
	struct bio_vec bv;
	struct blk_bench *b;
	unsigned int idx;
	void *buf;
};

static void blk_bench_endio(struct bio *bio)
{
	struct blk_bench_slot *s = container_of(bio, struct blk_bench_slot, bio);
	struct blk_bench *b = s->b;
	unsigned long flags;

	spin_lock_irqsave(&b->lock, flags);
	b->free[b->nr_free++] = s->idx;
	b->done++;
	b->errors += bio->bi_status != BLK_STS_OK;
	spin_unlock_irqrestore(&b->lock, flags);
	wake_up(&b->wait);
}

static int blk_bench_take(struct blk_bench *b)
{
	unsigned long flags;
	int idx = -1;

	spin_lock_irqsave(&b->lock, flags);
	if (b->nr_free)
		idx = (int)b->free[--b->nr_free];
	spin_unlock_irqrestore(&b->lock, flags);
	return idx;
}

static u64 blk_bench_cycles_sum(void)
{
	u64 sum = 0;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu_possible(cpu))
			sum += per_cpu(blk_bench_cycles, cpu);
	return sum;
}

static int blk_bench_run(struct block_device *bdev, struct blk_bench_slot *slots, unsigned int qd)
{
	sector_t blocks = bdev_nr_sectors(bdev) >> 3;
	u64 rng = 0x2545f4914f6cdd1dULL, t0, ns, cycles0, submitted = 0;
	struct blk_bench b = { .nr_free = qd };

	spin_lock_init(&b.lock);
	init_waitqueue_head(&b.wait);
	for (unsigned int i = 0; i < qd; i++) {
		b.free[i] = i;
		slots[i].b = &b;
		slots[i].idx = i;
	}
	cycles0 = blk_bench_cycles_sum();
	WRITE_ONCE(blk_bench_active, true);
	t0 = ktime_get_ns();
	while (ktime_get_ns() - t0 < BENCH_NS) {
		struct blk_bench_slot *s;
		int idx;
		u64 tsc;

		wait_event(b.wait, READ_ONCE(b.nr_free) > 0);
		idx = blk_bench_take(&b);
		if (idx < 0)
			continue;
		s = &slots[idx];
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		bio_init(&s->bio, bdev, &s->bv, 1, REQ_OP_READ);
		s->bio.bi_iter.bi_sector = (rng % blocks) << 3;
		bio_add_virt(&s->bio, s->buf, 4096);
		s->bio.bi_end_io = blk_bench_endio;
		tsc = blk_bench_enter();
		submit_bio(&s->bio);
		blk_bench_exit(tsc);
		submitted++;
	}
	wait_event(b.wait, READ_ONCE(b.nr_free) == qd);
	ns = ktime_get_ns() - t0;
	WRITE_ONCE(blk_bench_active, false);
	printk("blk bench %s: QD%-2u 4 KiB random reads: %llu IOPS, %llu instructions/request (rdtsc), %lu errors\n",
	       bdev_name(bdev), qd, b.done * 1000000000ULL / (ns ? ns : 1),
	       (blk_bench_cycles_sum() - cycles0) / (submitted ? submitted : 1), b.errors);
	return b.errors ? -EIO : 0;
}

static int blk_cmd_bench(struct block_device *bdev)
{
	struct blk_bench_slot *slots;
	int err = 0;

	if (bdev_nr_sectors(bdev) < 8 || bdev_logical_block_size(bdev) > 4096) {
		printk("blk: %s is too small for 4 KiB reads\n", bdev_name(bdev));
		return -EINVAL;
	}
	slots = kcalloc(BENCH_QD_MAX, sizeof(*slots), GFP_KERNEL);
	if (!slots)
		return -ENOMEM;
	for (unsigned int i = 0; i < BENCH_QD_MAX && !err; i++) {
		slots[i].buf = kmalloc(4096, GFP_KERNEL);
		if (!slots[i].buf)
			err = -ENOMEM;
	}
	if (!err)
		err = blk_bench_run(bdev, slots, 1);
	if (!err)
		err = blk_bench_run(bdev, slots, BENCH_QD_MAX);
	for (unsigned int i = 0; i < BENCH_QD_MAX; i++)
		kfree(slots[i].buf);
	kfree(slots);
	return err;
}

static int cmd_blk(int argc, char **argv)
{
	int op = shell_arg_choice(argv[0], argv[1], "read", "write", "verify", "bench");
	unsigned long lba = 0, count = 0, seed = 0;
	struct block_device *bdev;
	int err;

	if (op < 0)
		return op;
	if ((op == 3) != (argc == 3) || (op == 0 && argc != 5) || ((op == 1 || op == 2) && argc != 6))
		return shell_usage(argv[0]);
	bdev = blkdev_get_by_path(argv[2], op == 1 ? FMODE_WRITE : FMODE_READ, NULL);
	if (IS_ERR(bdev)) {
		printk("blk: no block device %s\n", argv[2]);
		return (int)PTR_ERR(bdev);
	}
	err = 0;
	if (op != 3 && shell_arg_ulong(argv[0], argv[3], 0, ULONG_MAX, &lba))
		err = -EINVAL;
	if (!err && (op == 1 || op == 2) && shell_arg_ulong(argv[0], argv[4], 0, ULONG_MAX, &seed))
		err = -EINVAL;
	if (!err && op != 3 && shell_arg_ulong(argv[0], argv[argc - 1], 1,
					       op == 0 ? BLK_READ_MAX : ULONG_MAX, &count))
		err = -EINVAL;
	if (!err) {
		switch (op) {
		case 0:
			err = blk_cmd_read(bdev, lba, count);
			break;
		case 1:
		case 2:
			err = blk_integrity_run(bdev, op == 1, seed, lba, count, 1);
			printk("blk: %s %s sectors %lu+%lu, seed %lu: %s (%d)\n",
			       op == 1 ? "write" : "verify", bdev_name(bdev), lba, count, seed,
			       err ? "FAILED" : "OK", err);
			break;
		default:
			err = blk_cmd_bench(bdev);
			break;
		}
	}
	blkdev_put(bdev, op == 1 ? FMODE_WRITE : FMODE_READ);
	return err;
}
DEFINE_SHELL_CMD_ARGS(blk, "read DEV LBA COUNT | write DEV LBA SEED COUNT | verify DEV LBA SEED COUNT | bench DEV",
		      2, 5, "raw block I/O: hexdump, integrity pattern, 4 KiB random-read benchmark",
		      cmd_blk);
