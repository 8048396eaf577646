// SPDX-License-Identifier: GPL-2.0
/*
 * The integrity pattern (<exo/blkdev.h>, scripts/blkimage.py is the
 * host's copy) and blk_integrity_run(), which writes or verifies it over a
 * range of a block device from one thread per online CPU at once.
 */
#include <exo/blkdev.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/kthread.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include "blk.h"

#define WORDS_PER_SECTOR	(SECTOR_SIZE / 8)

static inline u64 blk_pattern_word(u64 lba, u64 seed, unsigned int k)
{
	if (k == 0)
		return lba;
	if (k == 1)
		return seed;
	return lba * BLK_PAT_A + seed * BLK_PAT_B + k * BLK_PAT_C;
}

void blk_pattern_fill(void *buf, sector_t lba, u64 seed, unsigned int nr)
{
	u64 *w = buf;

	for (unsigned int s = 0; s < nr; s++, lba++)
		for (unsigned int k = 0; k < WORDS_PER_SECTOR; k++)
			*w++ = blk_pattern_word(lba, seed, k);
}
EXPORT_SYMBOL_GPL(blk_pattern_fill);

long blk_pattern_check(const void *buf, sector_t lba, u64 seed, unsigned int nr)
{
	const u64 *w = buf;

	for (unsigned int s = 0; s < nr; s++, lba++) {
		for (unsigned int k = 0; k < WORDS_PER_SECTOR; k++, w++) {
			u64 want = blk_pattern_word(lba, seed, k);

			if (*w != want) {
				const u8 *a = (const u8 *)w, *b = (const u8 *)&want;
				long off = (long)((const u8 *)w - (const u8 *)buf);

				for (int i = 0; i < 8; i++)
					if (a[i] != b[i])
						return off + i;
			}
		}
	}
	return -1;
}
EXPORT_SYMBOL_GPL(blk_pattern_check);

#define BLK_INTEGRITY_CHUNK	64	/* sectors per bio */

struct blk_integrity_worker {
	struct block_device *bdev;
	bool write;
	u64 seed;
	sector_t first, nr;
	unsigned int id, nr_workers;
	struct task_struct *task;
	sector_t bad_lba;		/* first mismatch, if any */
};

/* Chunks id, id + nr_workers, ...: every CPU has requests in flight at once. */
static int blk_integrity_worker(void *arg)
{
	struct blk_integrity_worker *w = arg;
	sector_t base = w->bdev->bd_start_sect;
	u8 *buf = kmalloc(BLK_INTEGRITY_CHUNK * SECTOR_SIZE, GFP_KERNEL);
	int err = 0;

	if (!buf)
		return -ENOMEM;
	for (sector_t k = w->id; k * BLK_INTEGRITY_CHUNK < w->nr; k += w->nr_workers) {
		sector_t rel = w->first + k * BLK_INTEGRITY_CHUNK;
		unsigned int n = (unsigned int)min_t(sector_t, BLK_INTEGRITY_CHUNK,
						     w->nr - k * BLK_INTEGRITY_CHUNK);
		blk_opf_t op = w->write ? REQ_OP_WRITE : REQ_OP_READ;
		long bad;

		if (w->write) {
			blk_pattern_fill(buf, base + rel, w->seed, n);
			/* Flushes and FUA writes interleaved with plain ones. */
			if (k % 16 == 0)
				op |= REQ_PREFLUSH;
			if (k % 8 == 3)
				op |= REQ_FUA;
		}
		err = blkdev_rw(w->bdev, op, rel, buf, (size_t)n * SECTOR_SIZE);
		if (err) {
			pr_err("blkcheck: %s: %s of sectors %llu+%u: error %d\n", bdev_name(w->bdev),
			       w->write ? "write" : "read", (unsigned long long)rel, n, err);
			break;
		}
		if (w->write)
			continue;
		bad = blk_pattern_check(buf, base + rel, w->seed, n);
		if (bad >= 0) {
			w->bad_lba = base + rel + (sector_t)bad / SECTOR_SIZE;
			pr_err("blkcheck: %s: LBA %llu differs at byte %ld of the sector\n",
			       bdev_name(w->bdev), (unsigned long long)w->bad_lba,
			       bad % SECTOR_SIZE);
			err = -EIO;
			break;
		}
	}
	kfree(buf);
	return err;
}

int blk_integrity_run(struct block_device *bdev, bool write, u64 seed, sector_t first,
		      sector_t nr, unsigned int nr_threads)
{
	struct blk_integrity_worker *w;
	int err = 0;

	if (!nr || first > bdev_nr_sectors(bdev) || nr > bdev_nr_sectors(bdev) - first) {
		pr_err("blkcheck: %s: sectors %llu+%llu outside the device (%llu sectors)\n",
		       bdev_name(bdev), (unsigned long long)first, (unsigned long long)nr,
		       (unsigned long long)bdev_nr_sectors(bdev));
		return -EINVAL;
	}
	if (!nr_threads)
		nr_threads = num_online_cpus();
	w = kcalloc(nr_threads, sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	for (unsigned int i = 0; i < nr_threads; i++) {
		w[i] = (struct blk_integrity_worker){ .bdev = bdev, .write = write, .seed = seed,
			.first = first, .nr = nr, .id = i, .nr_workers = nr_threads };
		w[i].task = kthread_create(blk_integrity_worker, &w[i], "blkcheck/%u", i);
		if (w[i].task) {
			kthread_bind(w[i].task, i % num_online_cpus());
			wake_up_process(w[i].task);
		}
	}
	for (unsigned int i = 0; i < nr_threads; i++) {
		int ret = w[i].task ? kthread_join(w[i].task) : -ENOMEM;

		if (ret && !err)
			err = ret;
	}
	kfree(w);
	if (!err && write)
		err = blkdev_issue_flush(bdev);
	return err;
}
EXPORT_SYMBOL_GPL(blk_integrity_run);
