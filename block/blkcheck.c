// SPDX-License-Identifier: GPL-2.0
/*
 * The integrity check a make check step drives from the command line:
 *
 *	ktest=blkcheck blkcheck.dev=vda blkcheck.mode=write blkcheck.seed=7
 *	blkcheck.sectors=65536
 *
 * waits for the device to appear (its driver may be a module the boot
 * loads), then writes the integrity pattern (<exo/blkdev.h>) over its
 * first blkcheck.sectors sectors (0: all) from one thread per CPU, with
 * pre-flushes, FUA writes and a final flush (mode=write), or reads it
 * back and checks every byte (mode=verify), or both (mode=both).  The
 * ktest then powers the machine off; scripts/blkimage.py checks the
 * image on the host.  Without blkcheck.dev it checks the first 4096
 * sectors of null_blk's nullb0 if there is one (ktest=all boots), else it
 * is skipped.
 */
#include <exo/blkdev.h>
#include <exo/err.h>
#include <exo/jiffies.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/module.h>
#include <exo/moduleparam.h>
#include <exo/sched.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/timer.h>

static char *dev;
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "block device to check (vda, sda1...)");
static char *mode;
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "write, verify or both (default both)");
static unsigned long seed = 1;
module_param(seed, ulong, 0444);
MODULE_PARM_DESC(seed, "pattern seed (default 1)");
static unsigned long sectors;
module_param(sectors, ulong, 0444);
MODULE_PARM_DESC(sectors, "sectors from the start of the device (0: all)");
static unsigned int wait_ms = 20000;
module_param(wait_ms, uint, 0444);
MODULE_PARM_DESC(wait_ms, "how long to wait for the device to appear (default 20000)");

static void blkcheck_run(struct ktest *t)
{
	const char *name = dev && *dev ? dev : "nullb0";
	bool write = false, verify = false;
	struct block_device *bdev;
	u64 t0 = ktime_get_ns();
	sector_t nr;

	if (name != dev) {
		bdev = blkdev_get_by_path(name, FMODE_READ, NULL);
		if (IS_ERR(bdev))
			KTEST_SKIP(t, "no blkcheck.dev= on the command line, and no nullb0");
		blkdev_put(bdev, FMODE_READ);
	}
	if (!mode || !strcmp(mode, "both"))
		write = verify = true;
	else if (!strcmp(mode, "write"))
		write = true;
	else if (!strcmp(mode, "verify"))
		verify = true;
	KTEST_ASSERT_TRUE(t, write || verify);
	for (;;) {
		bdev = blkdev_get_by_path(name, write ? FMODE_WRITE : FMODE_READ, NULL);
		if (!IS_ERR(bdev) || ktime_get_ns() - t0 > (u64)wait_ms * 1000000)
			break;
		msleep(20);
	}
	if (IS_ERR(bdev))
		ktest_log(t, "blkcheck: no block device %s after %u ms", name, wait_ms);
	KTEST_ASSERT_TRUE(t, !IS_ERR(bdev));
	nr = sectors ? sectors : name != dev ? min_t(sector_t, 4096, bdev_nr_sectors(bdev)) :
		bdev_nr_sectors(bdev);
	t0 = ktime_get_ns();
	if (write)
		KTEST_EXPECT_EQ(t, blk_integrity_run(bdev, true, seed, 0, nr, 0), 0);
	if (verify)
		KTEST_EXPECT_EQ(t, blk_integrity_run(bdev, false, seed, 0, nr, 0), 0);
	pr_info("blkcheck: %s %s%s%s %llu sectors, seed %lu, %u CPUs: %s in %llu ms\n", name,
		write ? "write" : "", write && verify ? "+" : "", verify ? "verify" : "",
		(unsigned long long)nr, seed, num_online_cpus(), t->failures ? "FAILED" : "OK",
		(ktime_get_ns() - t0) / 1000000);
	blkdev_put(bdev, write ? FMODE_WRITE : FMODE_READ);
}

static struct ktest_case blkcheck_cases[] = {
	KTEST_CASE_RAM(blkcheck_run, KTEST_F_NOHOST, 16),	/* 2 MiB of nullb0 by default */
	{}
};

static struct ktest_suite blkcheck_suite = {
	.name = "blkcheck", .cases = blkcheck_cases,
};
KTEST_SUITE(blkcheck_suite);
