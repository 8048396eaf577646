// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end tests of libata and ata_piix on the IDE disks QEMU (-drive
 * if=ide) or Bochs (ata0-slave) attach: the disks found, the integrity
 * pattern written by every CPU at once (FUA, flushes) and read back, by
 * DMA and by PIO (ata_piix reloaded with dma=0: rmmod/modprobe), LBA48
 * addresses on a disk larger than 128 GiB, bad requests refused, and a
 * device error and a timeout (libata's eh_test_* parameters) completing
 * the request with an error, after which the disk works again.  Skipped
 * where no IDE disk is attached.  The test reaches the driver's state
 * through the disk's private data (struct ata_device, <exo/libata.h>).
 */
#include <exo/blkdev.h>
#include <exo/device.h>
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/kmod.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/libata.h>
#include <exo/module.h>
#include <exo/moduleparam.h>
#include <exo/page_alloc.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <asm/io.h>

#define AT_CHUNK	64		/* sectors each worker writes per request */
#define AT_PER_CPU	256		/* sectors each worker owns */
#define AT_BASE		2048		/* first sector the tests use */

static struct block_device *at_get(const char *name)
{
	struct block_device *bdev = blkdev_get_by_path(name, FMODE_READ | FMODE_WRITE, NULL);

	return IS_ERR(bdev) ? NULL : bdev;
}

static struct ata_device *at_dev(struct block_device *bdev)
{
	return bdev->bd_disk->private_data;
}

/*
 * Set a libata parameter, built in or a module: @key to @val.  A built-in
 * one is found by name ("libata.key") in the __param section and set
 * through its ops, as the command line would.
 */
static int at_param(const char *key, const char *val)
{
	char word[64];
	struct module *mod;

	if (IS_MODULE(CONFIG_ATA)) {
		mod = find_module("libata");
		snprintf(word, sizeof(word), "%s=%s", key, val);
		return mod ? module_parse_args(mod, word, "ktest", NULL) : -ENOENT;
	}
	snprintf(word, sizeof(word), "libata.%s", key);
	for (const struct kernel_param *kp = __start___param; kp < __stop___param; kp++)
		if (!strcmp(kp->name, word))
			return kp->ops->set(val, kp);
	return -ENOENT;
}

/*
 * sda, once the boot's module autoload (modules=auto loads ata_piix from
 * a workqueue) has settled, at most 10 s; NULL if there is none.
 */
static struct block_device *at_get_sda(void)
{
	struct block_device *bdev = at_get("sda");

	for (int ms = 0; !bdev && ms < 10000 && !device_autoload_idle(); ms += 20)
		msleep(20);
	return bdev ? bdev : at_get("sda");
}

#define NEED_DISK(t, bdev) do {						\
	bdev = at_get_sda();						\
	if (!bdev)							\
		KTEST_SKIP(t, "no IDE disk (sda) attached");		\
} while (0)

static void test_ata_disk_found(struct ktest *t)
{
	struct block_device *bdev;
	struct ata_device *dev;

	NEED_DISK(t, bdev);
	dev = at_dev(bdev);
	KTEST_EXPECT_EQ(t, dev->class, ATA_DEV_ATA);
	KTEST_EXPECT_EQ(t, dev->n_sectors, get_capacity(bdev->bd_disk));
	KTEST_EXPECT_TRUE(t, dev->disk == bdev->bd_disk);
	KTEST_EXPECT_EQ(t, bdev_logical_block_size(bdev), 512u);
	ktest_log(t, "sda: \"%s\", %llu sectors, %s, ata%u.%02u", dev->model,
		  (unsigned long long)dev->n_sectors, dev->flags & ATA_DFLAG_DMA ? "DMA" : "PIO",
		  dev->ap->print_id, dev->devno);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
}

struct at_work {
	struct block_device *bdev;
	u64 seed;
	int errors[NR_CPUS];
};

/* Worker @id's first sector, and a buffer of @n sectors (NULL: counted as an error). */
static void *at_worker_buf(struct at_work *w, unsigned int id, unsigned int n, sector_t *base)
{
	void *buf = kmalloc(n * 512, GFP_KERNEL);

	*base = AT_BASE + (sector_t)id * AT_PER_CPU;
	if (!buf)
		w->errors[id]++;
	return buf;
}

/* Worker @id writes its sectors in chunks, every other one FUA, then flushes. */
static void at_write_worker(void *arg, unsigned int id)
{
	struct at_work *w = arg;
	sector_t base;
	void *buf = at_worker_buf(w, id, AT_CHUNK, &base);

	if (!buf)
		return;
	for (unsigned int s = 0; s < AT_PER_CPU; s += AT_CHUNK) {
		blk_opf_t op = REQ_OP_WRITE | ((s / AT_CHUNK) & 1 ? REQ_FUA : 0);

		blk_pattern_fill(buf, base + s, w->seed, AT_CHUNK);
		if (blkdev_rw(w->bdev, op, base + s, buf, AT_CHUNK * 512))
			w->errors[id]++;
	}
	if (blkdev_issue_flush(w->bdev))
		w->errors[id]++;
	kfree(buf);
}

static void at_read_worker(void *arg, unsigned int id)
{
	struct at_work *w = arg;
	sector_t base;
	void *buf = at_worker_buf(w, id, AT_PER_CPU, &base);

	if (!buf)
		return;
	if (blkdev_rw(w->bdev, REQ_OP_READ, base, buf, AT_PER_CPU * 512) ||
	    blk_pattern_check(buf, base, w->seed, AT_PER_CPU) >= 0)
		w->errors[id]++;
	kfree(buf);
}

/* Every CPU writes its own range at once, then every CPU checks its range. */
static void at_integrity(struct ktest *t, struct block_device *bdev, u64 seed)
{
	struct at_work *w = kzalloc(sizeof(*w), GFP_KERNEL);
	int n;

	KTEST_ASSERT_NOT_NULL(t, w);
	w->bdev = bdev;
	w->seed = seed;
	n = ktest_run_on_cpus(num_online_cpus(), at_write_worker, w);
	KTEST_EXPECT_GT(t, n, 0);
	if (n > 0)
		KTEST_EXPECT_EQ(t, ktest_run_on_cpus(n, at_read_worker, w), n);
	for (int i = 0; i < n; i++)
		KTEST_EXPECT_EQ(t, w->errors[i], 0);
	kfree(w);
}

static void test_ata_integrity_smp(struct ktest *t)
{
	struct block_device *bdev;
	struct ata_port *ap;
	unsigned long dma0;

	NEED_DISK(t, bdev);
	ap = at_dev(bdev)->ap;
	dma0 = READ_ONCE(ap->nr_dma) + READ_ONCE(ap->nr_pio);
	at_integrity(t, bdev, 0xa7a0001);
	KTEST_EXPECT_GT(t, READ_ONCE(ap->nr_dma) + READ_ONCE(ap->nr_pio), dma0);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
}

static void test_ata_bad_input(struct ktest *t)
{
	struct block_device *bdev;
	sector_t cap;
	u8 *buf;

	NEED_DISK(t, bdev);
	cap = get_capacity(bdev->bd_disk);
	buf = kmalloc(2048, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, buf);
	KTEST_EXPECT_LT(t, blkdev_rw(bdev, REQ_OP_READ, cap, buf, 512), 0);
	KTEST_EXPECT_LT(t, blkdev_rw(bdev, REQ_OP_READ, cap - 1, buf, 1024), 0);
	KTEST_EXPECT_LT(t, blkdev_rw(bdev, REQ_OP_READ, 0, buf, 100), 0);
	KTEST_EXPECT_LT(t, blkdev_rw(bdev, REQ_OP_READ, 0, buf + 1, 512), 0);
	/* The disk still works. */
	KTEST_EXPECT_EQ(t, blkdev_rw(bdev, REQ_OP_READ, cap - 1, buf, 512), 0);
	kfree(buf);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
}

/* A device-reported error and a lost interrupt both end in an error, then work. */
static void test_ata_device_error_and_timeout(struct ktest *t)
{
	struct block_device *bdev;
	struct ata_port *ap;
	unsigned long resets;
	void *buf;

	NEED_DISK(t, bdev);
	ap = at_dev(bdev)->ap;
	buf = kmalloc(4096, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, buf);
	KTEST_ASSERT_EQ(t, at_param("eh_test_error", "1"), 0);
	KTEST_EXPECT_EQ(t, blkdev_rw(bdev, REQ_OP_READ, AT_BASE, buf, 4096), -EIO);
	KTEST_EXPECT_EQ(t, blkdev_rw(bdev, REQ_OP_READ, AT_BASE, buf, 4096), 0);

	resets = READ_ONCE(ap->nr_resets);
	KTEST_ASSERT_EQ(t, at_param("timeout_ms", "300"), 0);
	KTEST_ASSERT_EQ(t, at_param("eh_test_timeout", "1"), 0);
	KTEST_EXPECT_LT(t, blkdev_rw(bdev, REQ_OP_READ, AT_BASE, buf, 4096), 0);
	KTEST_EXPECT_EQ(t, at_param("timeout_ms", "10000"), 0);
	KTEST_EXPECT_GT(t, READ_ONCE(ap->nr_resets), resets);
	KTEST_EXPECT_EQ(t, blkdev_rw(bdev, REQ_OP_READ, AT_BASE, buf, 4096), 0);
	blk_pattern_fill(buf, AT_BASE, 77, 8);
	KTEST_EXPECT_EQ(t, blkdev_rw(bdev, REQ_OP_WRITE, AT_BASE, buf, 4096), 0);
	memset(buf, 0, 4096);
	KTEST_EXPECT_EQ(t, blkdev_rw(bdev, REQ_OP_READ, AT_BASE, buf, 4096), 0);
	KTEST_EXPECT_LT(t, blk_pattern_check(buf, AT_BASE, 77, 8), 0);
	kfree(buf);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
}

/* Beyond sector 2^28: LBA48 commands. */
static void test_ata_lba48(struct ktest *t)
{
	struct block_device *bdev = NULL;
	char name[8];
	sector_t lba;
	void *buf;

	for (char c = 'a'; c <= 'd' && !bdev; c++) {
		snprintf(name, sizeof(name), "sd%c", c);
		bdev = at_get(name);
		if (bdev && get_capacity(bdev->bd_disk) <= (1ULL << 28) + 64) {
			blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
			bdev = NULL;
		}
	}
	if (!bdev)
		KTEST_SKIP(t, "no IDE disk above 128 GiB");
	KTEST_EXPECT_TRUE(t, at_dev(bdev)->flags & ATA_DFLAG_LBA48);
	buf = kmalloc(8 * 512, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, buf);
	lba = get_capacity(bdev->bd_disk) - 8;
	blk_pattern_fill(buf, lba, 48, 8);
	KTEST_EXPECT_EQ(t, blkdev_rw(bdev, REQ_OP_WRITE | REQ_FUA, lba, buf, 8 * 512), 0);
	memset(buf, 0, 8 * 512);
	KTEST_EXPECT_EQ(t, blkdev_rw(bdev, REQ_OP_READ, lba, buf, 8 * 512), 0);
	KTEST_EXPECT_LT(t, blk_pattern_check(buf, lba, 48, 8), 0);
	kfree(buf);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
}


/* --- the channel shared by internal and block commands ------------------- */

/*
 * Tests that hold a command in flight (eh_test_timeout) for as long as
 * AT_HOLD_MS, long enough that a stalled test thread still finds it there.
 */
#define AT_HOLD_MS	"3000"

/* Wait (at most 3 s) until @ap has a command on it other than @not; false: none came. */
static bool at_wait_active(struct ata_port *ap, const struct ata_queued_cmd *not)
{
	for (int ms = 0; ms < 3000; ms++) {
		const struct ata_queued_cmd *qc = READ_ONCE(ap->qc_active);

		if (qc && qc != not)
			return true;
		msleep(1);
	}
	return false;
}

struct at_async {
	struct block_device *bdev;
	struct ata_device *dev;
	void *buf;
	int rc;
	unsigned int err;
	struct completion done;
};

static int at_async_read(void *arg)
{
	struct at_async *a = arg;

	a->rc = blkdev_rw(a->bdev, REQ_OP_READ, AT_BASE, a->buf, 4096);
	complete(&a->done);
	return 0;
}

/*
 * libata's own entry points, where libata may be a module this built-in
 * test cannot link against: found by name while a disk of it is open
 * (which pins the module).
 */
static void *at_sym(const char *name)
{
	return (void *)find_exported_symbol(name);
}

static unsigned int at_identify(struct ata_device *dev, void *buf)
{
	unsigned int (*exec)(struct ata_device *, struct ata_taskfile *, void *, unsigned int,
			     unsigned int) = at_sym("ata_exec_internal");
	struct ata_taskfile tf = { 0 };

	if (!exec)
		return AC_ERR_SYSTEM;

	tf.protocol = ATA_PROT_PIO;
	tf.device = ATA_DEVICE_OBS | (dev->devno ? ATA_DEV1 : 0);
	tf.command = ATA_CMD_ID_ATA;
	return exec(dev, &tf, buf, ATA_SECT_SIZE, 2000);
}

static int at_async_identify(void *arg)
{
	struct at_async *a = arg;

	a->err = at_identify(a->dev, a->buf);
	complete(&a->done);
	return 0;
}

static struct at_async *at_async_start(struct block_device *bdev, int (*fn)(void *))
{
	struct at_async *a = kzalloc(sizeof(*a), GFP_KERNEL);
	struct task_struct *tsk;

	if (!a)
		return NULL;
	a->bdev = bdev;
	a->dev = at_dev(bdev);
	a->buf = kmalloc(4096, GFP_KERNEL);
	init_completion(&a->done);
	tsk = a->buf ? kthread_run(fn, a, "ata_test_async") : ERR_PTR(-ENOMEM);
	if (IS_ERR(tsk)) {
		kfree(a->buf);
		kfree(a);
		return NULL;
	}
	return a;
}

/* Free @a, whose thread has completed a->done (the caller waited for it). */
static void at_async_end(struct at_async *a)
{
	kfree(a->buf);
	kfree(a);
}

/*
 * An internal command takes the channel exclusively: one issued while a
 * block command is in flight waits for it, and a block command submitted
 * while one runs waits for it, instead of either being refused (issued
 * onto a busy channel).  Each in-flight command is held there by the
 * timeout hook (its interrupt masked) for timeout_ms.
 */
static void test_ata_internal_exclusive(struct ktest *t)
{
	struct block_device *bdev;
	struct ata_device *dev;
	struct at_async *a;
	unsigned int err;
	u16 *id;

	NEED_DISK(t, bdev);
	dev = at_dev(bdev);
	id = kmalloc(4096, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, id);
	KTEST_ASSERT_EQ(t, at_param("timeout_ms", AT_HOLD_MS), 0);

	/* A block read in flight, then IDENTIFY: it waits, then succeeds. */
	KTEST_ASSERT_EQ(t, at_param("eh_test_timeout", "1"), 0);
	a = at_async_start(bdev, at_async_read);
	KTEST_ASSERT_NOT_NULL(t, a);
	KTEST_EXPECT_TRUE(t, at_wait_active(dev->ap, NULL));
	err = at_identify(dev, id);
	KTEST_EXPECT_EQ(t, err, 0u);
	KTEST_EXPECT_EQ(t, memcmp(id + ATA_ID_PROD, dev->id + ATA_ID_PROD, ATA_ID_PROD_LEN), 0);
	wait_for_completion(&a->done);
	KTEST_EXPECT_LT(t, a->rc, 0);		/* it timed out, as the hook made it */
	at_async_end(a);

	/* IDENTIFY in flight, then a block read: it waits, then succeeds. */
	KTEST_ASSERT_EQ(t, at_param("eh_test_timeout", "1"), 0);
	a = at_async_start(bdev, at_async_identify);
	KTEST_ASSERT_NOT_NULL(t, a);
	KTEST_EXPECT_TRUE(t, at_wait_active(dev->ap, NULL));
	KTEST_EXPECT_EQ(t, blkdev_rw(bdev, REQ_OP_READ, AT_BASE, id, 4096), 0);
	wait_for_completion(&a->done);
	KTEST_EXPECT_TRUE(t, a->err & AC_ERR_TIMEOUT);
	at_async_end(a);

	KTEST_EXPECT_EQ(t, at_param("timeout_ms", "10000"), 0);
	KTEST_EXPECT_EQ(t, at_identify(dev, id), 0u);
	kfree(id);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
}

/* IDENTIFY in a loop while every CPU writes and reads its sectors. */
static int at_identify_loop(void *arg)
{
	struct at_async *a = arg;

	for (int i = 0; i < 20 && !a->err; i++)
		a->err = at_identify(a->dev, a->buf);
	complete(&a->done);
	return 0;
}

static void test_ata_internal_under_io(struct ktest *t)
{
	struct block_device *bdev;
	struct at_async *a;

	NEED_DISK(t, bdev);
	a = at_async_start(bdev, at_identify_loop);
	KTEST_ASSERT_NOT_NULL(t, a);
	at_integrity(t, bdev, 0xa7a0004);
	wait_for_completion(&a->done);
	KTEST_EXPECT_EQ(t, a->err, 0u);
	at_async_end(a);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
}

/*
 * A timeout expiry that was already running when its command ended (so
 * del_timer() could not stop it) must not time out the next command: run
 * the callback by hand while a command is in flight with its own timer
 * armed, as the late expiry would.
 */
static void test_ata_stale_timeout(struct ktest *t)
{
	struct block_device *bdev;
	struct ata_port *ap;
	struct at_async *a;
	unsigned long timeouts;

	NEED_DISK(t, bdev);
	ap = at_dev(bdev)->ap;
	KTEST_ASSERT_EQ(t, at_param("timeout_ms", AT_HOLD_MS), 0);
	KTEST_ASSERT_EQ(t, at_param("eh_test_timeout", "1"), 0);
	/* Before the read: its own expiry may come before we look. */
	timeouts = READ_ONCE(ap->nr_timeouts);
	a = at_async_start(bdev, at_async_read);
	KTEST_ASSERT_NOT_NULL(t, a);
	KTEST_EXPECT_TRUE(t, at_wait_active(ap, NULL));
	ap->timer.function(&ap->timer);
	KTEST_EXPECT_EQ(t, READ_ONCE(ap->nr_timeouts), timeouts);
	KTEST_EXPECT_FALSE(t, READ_ONCE(ap->eh_pending));
	/* Its own expiry still ends it. */
	wait_for_completion(&a->done);
	KTEST_EXPECT_LT(t, a->rc, 0);
	KTEST_EXPECT_EQ(t, READ_ONCE(ap->nr_timeouts), timeouts + 1);
	at_async_end(a);
	KTEST_EXPECT_EQ(t, at_param("timeout_ms", "10000"), 0);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
}

/*
 * Quiesce (@on) or restart the block queues of every port of @host, the
 * ports that share its interrupt handler (and, in PIIX native mode, its
 * line).  Return: every port idle (@on), or true.
 */
static bool at_host_quiesce(struct ata_host *host, bool on)
{
	bool idle = true;

	for (unsigned int i = 0; i < host->n_ports; i++) {
		struct ata_port *ap = host->ports[i];

		for (unsigned int d = 0; ap && d < 2; d++) {
			if (!ap->device[d].disk)
				continue;
			if (on)
				blk_mq_quiesce_queue(ap->device[d].disk->queue);
			else
				blk_mq_unquiesce_queue(ap->device[d].disk->queue);
		}
	}
	for (unsigned int i = 0; on && i < host->n_ports; i++) {
		struct ata_port *ap = host->ports[i];

		for (int ms = 0; ap && READ_ONCE(ap->qc_active) && ms < 2000; ms++)
			msleep(1);
		idle = idle && !(ap && READ_ONCE(ap->qc_active));
	}
	return idle;
}

/*
 * An interrupt while the channel is idle is not ours (IRQ_NONE: on a
 * shared INTx it is another device's), even when the device raised it;
 * the stray INTRQ is cleared all the same.  The IRQ is masked and the
 * block queues of every port of the host quiesced (the handler looks at
 * them all) while the test drives the device by hand.
 */
static void test_ata_idle_irq_not_ours(struct ktest *t)
{
	irqreturn_t (*intr)(int, void *) = at_sym("ata_bmdma_interrupt");
	struct block_device *bdev;
	struct ata_port *ap;
	u16 cmd, bmdma;
	irqreturn_t rc;
	u8 st = ATA_BUSY;
	void *buf;

	NEED_DISK(t, bdev);
	KTEST_ASSERT_NOT_NULL(t, intr);
	ap = at_dev(bdev)->ap;
	cmd = ap->ioaddr.cmd_addr;
	bmdma = ap->ioaddr.bmdma_addr;
	KTEST_EXPECT_TRUE(t, at_host_quiesce(ap->host, true));
	disable_irq(ap->irq);
	/* Idle, nothing raised: not ours. */
	KTEST_EXPECT_EQ(t, intr((int)ap->irq, ap->host), IRQ_NONE);
	/* The device raises INTRQ for a command nobody issued through libata. */
	outb(cmd + ATA_REG_DEVICE, ATA_DEVICE_OBS | (at_dev(bdev)->devno ? ATA_DEV1 : 0));
	outb(cmd + ATA_REG_CMD, ATA_CMD_CHK_POWER);
	for (int i = 0; i < 100000 && (st & ATA_BUSY); i++)
		st = inb(ap->ioaddr.ctl_addr);
	KTEST_EXPECT_FALSE(t, st & ATA_BUSY);
	if (bmdma)
		KTEST_EXPECT_TRUE(t, inb(bmdma + ATA_DMA_STATUS) & ATA_DMA_INTR);
	rc = intr((int)ap->irq, ap->host);
	KTEST_EXPECT_EQ(t, rc, IRQ_NONE);
	if (bmdma)
		KTEST_EXPECT_FALSE(t, inb(bmdma + ATA_DMA_STATUS) & ATA_DMA_INTR);
	enable_irq(ap->irq);
	at_host_quiesce(ap->host, false);
	/* The channel still works. */
	buf = kmalloc(4096, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, buf);
	KTEST_EXPECT_EQ(t, blkdev_rw(bdev, REQ_OP_READ, AT_BASE, buf, 4096), 0);
	kfree(buf);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
}

/*
 * rmmod ata_piix and load it again with @args: by modprobe where the boot
 * modules came with modules.dep (QEMU's archive), else from the boot
 * module itself (GRUB's module2 list, Bochs).
 */
static int at_reload_piix(const char *args)
{
	const void *img;
	size_t len;
	int rc;

	rc = unload_module("ata_piix");
	if (rc)
		return rc;
	rc = modprobe("ata_piix", args);
	if (rc != -ENOENT)
		return rc;
	img = boot_module_find("ata_piix", &len);
	return img ? load_module_args(img, len, args, NULL) : -ENOENT;
}

/* ata_piix out and in again with dma=0, the integrity run by PIO, then back. */
static void test_ata_pio_after_modprobe(struct ktest *t)
{
	struct block_device *bdev;
	struct ata_port *ap;
	unsigned long pio0;

	if (!IS_MODULE(CONFIG_ATA_PIIX))
		KTEST_SKIP(t, "ata_piix is built in");
	NEED_DISK(t, bdev);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
	KTEST_ASSERT_EQ(t, at_reload_piix("dma=0"), 0);
	bdev = at_get("sda");
	KTEST_ASSERT_NOT_NULL(t, bdev);
	KTEST_EXPECT_FALSE(t, at_dev(bdev)->flags & ATA_DFLAG_DMA);
	ap = at_dev(bdev)->ap;
	pio0 = READ_ONCE(ap->nr_pio);
	at_integrity(t, bdev, 0xa7a0002);
	KTEST_EXPECT_GT(t, READ_ONCE(ap->nr_pio), pio0);
	KTEST_EXPECT_EQ(t, READ_ONCE(ap->nr_dma), 0ul);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
	KTEST_ASSERT_EQ(t, at_reload_piix("dma=1"), 0);
	bdev = at_get("sda");
	KTEST_ASSERT_NOT_NULL(t, bdev);
	ktest_log(t, "sda by %s again", at_dev(bdev)->flags & ATA_DFLAG_DMA ? "DMA" : "PIO");
	at_integrity(t, bdev, 0xa7a0003);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
}

/* --- rmmod ata_piix while every CPU reads -------------------------------- */

#define AT_RMMOD_READERS	4

struct at_rmmod {
	struct block_device *bdev;
	atomic_t refs;			/* the test's and each reader's */
	atomic_t reads;			/* reads that succeeded, all readers */
	bool removed;			/* ata_piix is gone: one more read, then stop */
	int late_rc[AT_RMMOD_READERS];	/* that read's result */
	struct completion done[AT_RMMOD_READERS];
	unsigned int id;
};

/* Drop a reference to @r: the last one closes the disk and frees @r. */
static void at_rmmod_put(struct at_rmmod *r)
{
	if (atomic_dec_and_test(&r->refs)) {
		blkdev_put(r->bdev, FMODE_READ | FMODE_WRITE);
		kfree(r);
	}
}

static int at_rmmod_reader(void *arg)
{
	struct at_rmmod *r = arg;
	unsigned int id = __atomic_fetch_add(&r->id, 1, __ATOMIC_RELAXED);
	void *buf = kmalloc(4096, GFP_KERNEL);

	r->late_rc[id] = -ENOMEM;
	while (buf && !READ_ONCE(r->removed)) {
		if (blkdev_rw(r->bdev, REQ_OP_READ, AT_BASE + 8 * id, buf, 4096))
			msleep(1);	/* failing: the disk is going away */
		else
			atomic_inc(&r->reads);
	}
	if (buf)
		r->late_rc[id] = blkdev_rw(r->bdev, REQ_OP_READ, AT_BASE, buf, 4096);
	kfree(buf);
	complete(&r->done[id]);
	at_rmmod_put(r);
	return 0;
}

/*
 * rmmod ata_piix while readers on several CPUs keep the disk busy (their
 * open disk pins libata, not ata_piix): the removal completes, each read
 * in flight ends, a read after the removal fails at once instead of
 * hanging, and modprobe brings the disk back.  Two cycles: the second
 * must leave the free pages where the first left them (a margin for the
 * per-CPU caches), so a cycle leaks nothing.
 */
static void test_ata_rmmod_during_io(struct ktest *t)
{
	struct at_rmmod *r;
	unsigned long free0 = 0;
	int rc;

	if (!IS_MODULE(CONFIG_ATA_PIIX))
		KTEST_SKIP(t, "ata_piix is built in");
	for (int cycle = 0; cycle < 2; cycle++) {
		struct block_device *bdev;
		void *buf;

		NEED_DISK(t, bdev);
		r = kzalloc(sizeof(*r), GFP_KERNEL);
		if (!r)
			blkdev_put(bdev, FMODE_READ | FMODE_WRITE);
		KTEST_ASSERT_NOT_NULL(t, r);
		r->bdev = bdev;
		/* A reader that outlives its wait below still has @r and the disk. */
		atomic_set(&r->refs, 1 + AT_RMMOD_READERS);
		if (cycle == 1)
			free0 = nr_free_pages();
		for (unsigned int i = 0; i < AT_RMMOD_READERS; i++)
			init_completion(&r->done[i]);
		for (unsigned int i = 0; i < AT_RMMOD_READERS; i++) {
			if (IS_ERR(kthread_run(at_rmmod_reader, r, "ata_rmmod%u", i))) {
				ktest_fail(t, __FILE__, __LINE__, "reader %u not started", i);
				WRITE_ONCE(r->removed, true);
				for (; i < AT_RMMOD_READERS; i++)
					at_rmmod_put(r);
				at_rmmod_put(r);
				return;
			}
		}
		for (int ms = 0; atomic_read(&r->reads) < 4 * AT_RMMOD_READERS && ms < 5000; ms++)
			msleep(1);
		KTEST_EXPECT_GE(t, atomic_read(&r->reads), 4 * AT_RMMOD_READERS);
		KTEST_EXPECT_EQ(t, unload_module("ata_piix"), 0);
		WRITE_ONCE(r->removed, true);
		for (unsigned int i = 0; i < AT_RMMOD_READERS; i++) {
			KTEST_EXPECT_GT(t, wait_for_completion_timeout(&r->done[i],
								       msecs_to_jiffies(20000)), 0ul);
			KTEST_EXPECT_LT(t, r->late_rc[i], 0);
		}
		buf = kmalloc(4096, GFP_KERNEL);
		KTEST_EXPECT_LT(t, blkdev_rw(r->bdev, REQ_OP_READ, AT_BASE, buf, 4096), 0);
		kfree(buf);
		at_rmmod_put(r);
		rc = modprobe("ata_piix", "");
		if (rc == -ENOENT) {
			size_t len;
			const void *img = boot_module_find("ata_piix", &len);

			rc = img ? load_module_args(img, len, "", NULL) : -ENOENT;
		}
		KTEST_ASSERT_EQ(t, rc, 0);
	}
	/* The second cycle leaves the free pages where the first left them. */
	ktest_log(t, "free pages after a cycle: %ld", (long)(nr_free_pages() - free0));
	KTEST_EXPECT_LT(t, (long)(free0 - nr_free_pages()), 64L);
}

static struct ktest_case ata_cases[] = {
	KTEST_CASE_FLAGS(test_ata_disk_found, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_ata_integrity_smp, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_ata_bad_input, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_ata_device_error_and_timeout, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_ata_lba48, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_ata_internal_exclusive, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_ata_internal_under_io, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_ata_stale_timeout, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_ata_idle_irq_not_ours, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_ata_pio_after_modprobe, KTEST_F_NOHOST),
	KTEST_CASE_FLAGS(test_ata_rmmod_during_io, KTEST_F_NOHOST),
	{}
};

static struct ktest_suite ata_suite = {
	.name = "ata",
	.cases = ata_cases,
};
KTEST_SUITE(ata_suite);
