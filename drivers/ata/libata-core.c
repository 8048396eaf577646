// SPDX-License-Identifier: GPL-2.0
/*
 * libata core: hosts and ports of PCI IDE functions, device probing
 * (IDENTIFY DEVICE), and the block glue that Linux splits between
 * libata-scsi.c and sd.c: one blk-mq tag set of depth 1 per channel,
 * shared by its two devices, whose requests become READ/WRITE DMA (EXT),
 * READ/WRITE SECTOR(S) (EXT) or FLUSH CACHE (EXT) commands.  The
 * taskfile, PIO, BMDMA and timeout machinery is in libata-sff.c.
 *
 * Parameters (libata.NAME=value on the command line, or at modprobe):
 * timeout_ms, the time a command may take before its channel is reset;
 * eh_test_timeout and eh_test_error, counts of the next data commands
 * to run with the device's interrupt masked (so they time out) or with
 * an LBA beyond the device's end (so the device reports an error): the
 * ktests use them to prove that both complete with an error.
 */
#define pr_fmt(fmt) "libata: " fmt

#include <exo/bitmap.h>
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/module.h>
#include <exo/moduleparam.h>
#include <exo/mutex.h>
#include <exo/pci.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <asm/io.h>
#include "libata.h"

/* libata.NAME built in too, though this file is only a part of libata. */
#ifndef MODULE
#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "libata."
#endif

unsigned int ata_timeout_ms = 10000;
module_param_named(timeout_ms, ata_timeout_ms, uint, 0644);
MODULE_PARM_DESC(timeout_ms, "milliseconds a command may take before its channel is reset");

unsigned int ata_eh_test_timeout;
module_param_named(eh_test_timeout, ata_eh_test_timeout, uint, 0644);
MODULE_PARM_DESC(eh_test_timeout, "test: the next N data commands raise no interrupt");

unsigned int ata_eh_test_error;
module_param_named(eh_test_error, ata_eh_test_error, uint, 0644);
MODULE_PARM_DESC(eh_test_error, "test: the next N data commands address beyond the end");

#define ATA_PROBE_TIMEOUT_MS	5000
#define ATA_MAX_SD		(26 * 27)	/* sda .. sdzz */
#define ATA_SG_ENTRIES		(ATA_MAX_PRD / 2)	/* each may split in two PRDs */

static DEFINE_MUTEX(ata_sd_lock);
static unsigned long ata_sd_used[BITS_TO_LONGS(ATA_MAX_SD)];
static atomic_t ata_print_id = ATOMIC_INIT(0);

/* Take one from a test counter, if it is not 0. */
bool ata_inject(unsigned int *counter)
{
	unsigned int v = READ_ONCE(*counter);

	while (v)
		if (__atomic_compare_exchange_n(counter, &v, v - 1, false, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return true;
	return false;
}

enum ata_dev_class ata_dev_classify(const struct ata_taskfile *tf)
{
	if (tf->lbam == 0 && tf->lbah == 0)
		return ATA_DEV_ATA;
	if ((tf->lbam == 0x14 && tf->lbah == 0xeb) || (tf->lbam == 0x69 && tf->lbah == 0x96))
		return ATA_DEV_ATAPI;
	if (tf->lbam == 0x3c && tf->lbah == 0xc3)
		return ATA_DEV_SEMB;
	return ATA_DEV_UNKNOWN;
}
EXPORT_SYMBOL_GPL(ata_dev_classify);

/* --- commands ------------------------------------------------------------ */

static void ata_internal_done(struct ata_queued_cmd *qc)
{
	complete(&qc->ap->internal_done);
}

/*
 * Called by libata-sff.c, without host->lock, when a command ends (the
 * channel is idle already).  The wake comes first: once complete_fn ran,
 * an internal command's caller may return and its channel go away.
 */
void ata_qc_done(struct ata_queued_cmd *qc)
{
	wake_up(&qc->ap->idle_wq);
	qc->complete_fn(qc);
}

/*
 * No command on @ap.  Read without host->lock: a wait_event() condition
 * must not sleep or be preempted, and the end of a command (under the
 * lock) comes before its wake in ata_qc_done(); ata_qc_issue() checks
 * again under the lock.
 */
static bool ata_port_idle(struct ata_port *ap)
{
	return !READ_ONCE(ap->qc_active) && !READ_ONCE(ap->eh_pending);
}

/*
 * Take the channel for an internal command, as Linux's EH does with the
 * SCSI host blocked: no block command is dispatched on either device
 * (their queues share the channel), and the one in flight has ended.
 * ap->int_mutex held.
 */
static void ata_port_claim(struct ata_port *ap)
{
	for (unsigned int d = 0; d < 2; d++)
		if (ap->device[d].disk)
			blk_mq_quiesce_queue(ap->device[d].disk->queue);
	wait_event(ap->idle_wq, ata_port_idle(ap));
}

static void ata_port_release(struct ata_port *ap)
{
	for (unsigned int d = 0; d < 2; d++)
		if (ap->device[d].disk)
			blk_mq_unquiesce_queue(ap->device[d].disk->queue);
}

unsigned int ata_exec_internal(struct ata_device *dev, struct ata_taskfile *tf, void *buf,
			       unsigned int buflen, unsigned int timeout_ms)
{
	struct ata_port *ap = dev->ap;
	struct ata_queued_cmd *qc = &ap->qc_internal;
	struct scatterlist sg;
	unsigned int err;

	mutex_lock(&ap->int_mutex);
	ata_port_claim(ap);
	memset(qc, 0, sizeof(*qc));
	qc->ap = ap;
	qc->dev = dev;
	qc->tf = *tf;
	if (buf) {
		sg_init_one(&sg, buf, buflen);
		qc->sg = &sg;
		qc->n_elem = 1;
		qc->nbytes = buflen;
	}
	qc->complete_fn = ata_internal_done;
	reinit_completion(&ap->internal_done);
	ata_qc_issue(qc);
	if (!wait_for_completion_timeout(&ap->internal_done, msecs_to_jiffies(timeout_ms) +
					 msecs_to_jiffies(READ_ONCE(ata_timeout_ms)))) {
		/* The port timer and error handling end every command. */
		ata_dev_err(dev, "internal command %#x never completed\n", tf->command);
		wait_for_completion(&ap->internal_done);
	}
	err = qc->err_mask;
	*tf = qc->result_tf;
	ata_port_release(ap);
	mutex_unlock(&ap->int_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(ata_exec_internal);

/* Build the taskfile of a read or write of @n sectors at @lba. */
static void ata_build_rw_tf(struct ata_device *dev, struct ata_taskfile *tf, u64 lba,
			    unsigned int n, bool write, bool fua)
{
	bool dma = dev->flags & ATA_DFLAG_DMA;
	bool lba48 = fua || n > ATA_MAX_SECTORS || lba + n > (1ULL << 28) - 1;

	memset(tf, 0, sizeof(*tf));
	tf->protocol = dma ? ATA_PROT_DMA : ATA_PROT_PIO;
	tf->flags = write ? ATA_TFLAG_WRITE : 0;
	tf->device = ATA_DEVICE_OBS | ATA_LBA | (dev->devno ? ATA_DEV1 : 0);
	tf->nsect = n & 0xff;
	tf->lbal = lba & 0xff;
	tf->lbam = (lba >> 8) & 0xff;
	tf->lbah = (lba >> 16) & 0xff;
	if (lba48) {
		tf->flags |= ATA_TFLAG_LBA48;
		tf->hob_nsect = (n >> 8) & 0xff;
		tf->hob_lbal = (lba >> 24) & 0xff;
		tf->hob_lbam = (lba >> 32) & 0xff;
		tf->hob_lbah = (lba >> 40) & 0xff;
		if (fua)
			tf->command = ATA_CMD_WRITE_FUA_EXT;
		else if (dma)
			tf->command = write ? ATA_CMD_WRITE_EXT : ATA_CMD_READ_EXT;
		else
			tf->command = write ? ATA_CMD_PIO_WRITE_EXT : ATA_CMD_PIO_READ_EXT;
	} else {
		tf->device |= (lba >> 24) & 0x0f;
		if (dma)
			tf->command = write ? ATA_CMD_WRITE : ATA_CMD_READ;
		else
			tf->command = write ? ATA_CMD_PIO_WRITE : ATA_CMD_PIO_READ;
	}
}

/* --- the block queue ------------------------------------------------------ */

/* A block command ended: on the submitting CPU now, else in a bottom half. */
static void ata_blk_qc_done(struct ata_queued_cmd *qc)
{
	blk_mq_complete_request(blk_mq_rq_from_pdu(qc));
}

static void ata_blk_complete(struct request *rq)
{
	struct ata_queued_cmd *qc = blk_mq_rq_to_pdu(rq);
	struct ata_device *dev = qc->dev;
	blk_status_t st = BLK_STS_OK;

	if (qc->dma_mapped) {
		dma_unmap_sg(dev->ap->host->dev, qc->sg, qc->n_elem, qc->dma_dir);
		qc->dma_mapped = false;
	}
	if (qc->err_mask) {
		st = qc->err_mask & AC_ERR_TIMEOUT ? BLK_STS_TIMEOUT : BLK_STS_IOERR;
		ata_dev_err(dev, "failed command %#x at sector %llu: status %#x error %#x (err_mask %#x)\n",
			    qc->tf.command, (unsigned long long)blk_rq_pos(rq),
			    qc->result_tf.command, qc->result_tf.error, qc->err_mask);
	}
	blk_mq_end_request(rq, st);
}

static blk_status_t ata_blk_setup_rw(struct ata_device *dev, struct request *rq,
				     struct ata_queued_cmd *qc)
{
	struct ata_port *ap = dev->ap;
	bool write = req_op(rq) == REQ_OP_WRITE;
	u64 lba = blk_rq_pos(rq);
	unsigned int n = blk_rq_sectors(rq);
	bool fua = write && (rq->cmd_flags & REQ_FUA) && (dev->flags & ATA_DFLAG_FUA);
	int nents;

	if (!n || lba + n > dev->n_sectors || n > queue_max_hw_sectors(rq->q)) {
		ata_dev_err(dev, "request of %u sectors at %llu outside the %llu-sector device\n",
			    n, (unsigned long long)lba, (unsigned long long)dev->n_sectors);
		return BLK_STS_IOERR;
	}
	/* Test hook: make the device itself refuse the command (libata.eh_test_error). */
	if (ata_inject(&ata_eh_test_error))
		lba = dev->n_sectors;
	ata_build_rw_tf(dev, &qc->tf, lba, n, write, fua);
	nents = blk_rq_map_sg(rq->q, rq, ap->sg);
	if (nents <= 0)
		return BLK_STS_IOERR;
	qc->sg = ap->sg;
	qc->n_elem = nents;
	qc->nbytes = n * ATA_SECT_SIZE;
	qc->dma_dir = write ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	if (qc->tf.protocol == ATA_PROT_DMA) {
		if (!dma_map_sg(ap->host->dev, ap->sg, nents, qc->dma_dir)) {
			ata_dev_err(dev, "DMA mapping of %u bytes failed\n", qc->nbytes);
			return BLK_STS_RESOURCE;
		}
		qc->dma_mapped = true;
	}
	return BLK_STS_OK;
}

static blk_status_t ata_queue_rq(struct blk_mq_hw_ctx *hctx, const struct blk_mq_queue_data *bd)
{
	struct ata_device *dev = hctx->queue->queuedata;
	struct request *rq = bd->rq;
	struct ata_queued_cmd *qc = blk_mq_rq_to_pdu(rq);
	blk_status_t st;

	memset(qc, 0, sizeof(*qc));
	qc->ap = dev->ap;
	qc->dev = dev;
	qc->complete_fn = ata_blk_qc_done;
	switch (req_op(rq)) {
	case REQ_OP_FLUSH:
		qc->tf.protocol = ATA_PROT_NODATA;
		qc->tf.device = ATA_DEVICE_OBS | (dev->devno ? ATA_DEV1 : 0);
		qc->tf.command = dev->flags & ATA_DFLAG_FLUSH_EXT ? ATA_CMD_FLUSH_EXT : ATA_CMD_FLUSH;
		break;
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		st = ata_blk_setup_rw(dev, rq, qc);
		if (st)
			return st;
		break;
	default:
		return BLK_STS_NOTSUPP;
	}
	blk_mq_start_request(rq);
	ata_qc_issue(qc);
	return BLK_STS_OK;
}

/* The port's own timer ends every command; the block layer's only waits. */
static enum blk_eh_timer_return ata_blk_timeout(struct request *rq)
{
	(void)rq;
	return BLK_EH_RESET_TIMER;
}

static const struct blk_mq_ops ata_mq_ops = {
	.queue_rq = ata_queue_rq,
	.complete = ata_blk_complete,
	.timeout = ata_blk_timeout,
};

static const struct block_device_operations ata_bdops = {
	.owner = THIS_MODULE,
};

static int ata_sd_index_get(void)
{
	int idx;

	mutex_lock(&ata_sd_lock);
	for (idx = 0; idx < ATA_MAX_SD && test_bit(idx, ata_sd_used); idx++)
		;
	if (idx < ATA_MAX_SD)
		__set_bit(idx, ata_sd_used);
	else
		idx = -ENOSPC;
	mutex_unlock(&ata_sd_lock);
	return idx;
}

static void ata_sd_index_put(int idx)
{
	mutex_lock(&ata_sd_lock);
	__clear_bit(idx, ata_sd_used);
	mutex_unlock(&ata_sd_lock);
}

/* "sda".."sdz", then "sdaa".. as Linux's sd_format_disk_name(). */
static void ata_sd_name(char *buf, int idx)
{
	if (idx < 26)
		snprintf(buf, DISK_NAME_LEN, "sd%c", 'a' + idx);
	else
		snprintf(buf, DISK_NAME_LEN, "sd%c%c", 'a' + idx / 26 - 1, 'a' + idx % 26);
}

static int ata_port_tag_set(struct ata_port *ap)
{
	struct blk_mq_tag_set *set = &ap->tag_set;
	int rc;

	if (ap->tag_set_ready)
		return 0;
	memset(set, 0, sizeof(*set));
	set->ops = &ata_mq_ops;
	set->nr_hw_queues = 1;
	set->queue_depth = 1;		/* one command per channel */
	set->cmd_size = sizeof(struct ata_queued_cmd);
	set->numa_node = NUMA_NO_NODE;
	set->flags = BLK_MQ_F_SHOULD_MERGE;
	set->driver_data = ap;
	rc = blk_mq_alloc_tag_set(set);
	if (!rc)
		ap->tag_set_ready = true;
	return rc;
}

static int ata_dev_add_disk(struct ata_device *dev)
{
	struct ata_port *ap = dev->ap;
	bool lba48 = dev->flags & ATA_DFLAG_LBA48;
	struct request_queue *q;
	struct gendisk *disk;
	int idx, rc;

	rc = ata_port_tag_set(ap);
	if (rc)
		return rc;
	idx = ata_sd_index_get();
	if (idx < 0)
		return idx;
	disk = blk_mq_alloc_disk(&ap->tag_set, dev);
	if (IS_ERR(disk)) {
		ata_sd_index_put(idx);
		return PTR_ERR(disk);
	}
	ata_sd_name(disk->disk_name, idx);
	disk->fops = &ata_bdops;
	disk->private_data = dev;
	q = disk->queue;
	blk_queue_logical_block_size(q, ATA_SECT_SIZE);
	blk_queue_max_hw_sectors(q, lba48 ? 1024 : ATA_MAX_SECTORS);
	blk_queue_max_segments(q, ATA_SG_ENTRIES);
	blk_queue_max_segment_size(q, ATA_DMA_BOUNDARY + 1);
	blk_queue_segment_boundary(q, ATA_DMA_BOUNDARY);
	blk_queue_dma_alignment(q, 1);		/* PIO moves 16-bit words */
	blk_queue_write_cache(q, ata_id_has_flush(dev->id), dev->flags & ATA_DFLAG_FUA);
	blk_queue_rq_timeout(q, msecs_to_jiffies(READ_ONCE(ata_timeout_ms)) + 30 * HZ);
	set_capacity(disk, dev->n_sectors);
	rc = device_add_disk(ap->host->dev, disk, NULL);
	if (rc) {
		put_disk(disk);
		ata_sd_index_put(idx);
		return rc;
	}
	dev->disk = disk;
	dev->sd_index = idx;
	ata_dev_info(dev, "%s: %llu sectors (%llu MiB), %s, %s%s%s\n", disk->disk_name,
		     (unsigned long long)dev->n_sectors,
		     (unsigned long long)(dev->n_sectors >> 11), lba48 ? "LBA48" : "LBA28",
		     dev->flags & ATA_DFLAG_DMA ? "DMA" : "PIO",
		     ata_id_has_flush(dev->id) ? ", flush" : "",
		     dev->flags & ATA_DFLAG_FUA ? ", FUA" : "");
	return 0;
}

/* --- probing -------------------------------------------------------------- */

/* ATA strings are big-endian byte pairs, space padded. */
static void ata_id_c_string(const u16 *id, char *s, unsigned int ofs, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i += 2) {
		s[i] = id[ofs + i / 2] >> 8;
		s[i + 1] = id[ofs + i / 2] & 0xff;
	}
	s[len] = 0;
	while (len && (s[len - 1] == ' ' || !s[len - 1]))
		s[--len] = 0;
}

/* IDENTIFY DEVICE.  Return: 0, -ENODEV (nothing, or not an ATA disk), -EIO. */
static int ata_dev_read_id(struct ata_device *dev)
{
	struct ata_taskfile tf = { 0 };
	unsigned int err;
	u16 *id;

	id = kmalloc(ATA_SECT_SIZE, GFP_KERNEL);
	if (!id)
		return -ENOMEM;
	tf.protocol = ATA_PROT_PIO;
	tf.device = ATA_DEVICE_OBS | (dev->devno ? ATA_DEV1 : 0);
	tf.command = ATA_CMD_ID_ATA;
	err = ata_exec_internal(dev, &tf, id, ATA_SECT_SIZE, ATA_PROBE_TIMEOUT_MS);
	if (err) {
		if ((err & AC_ERR_DEV) && (tf.error & ATA_ABORTED) &&
		    ata_dev_classify(&tf) == ATA_DEV_ATAPI)
			dev->class = ATA_DEV_ATAPI;
		kfree(id);
		return err & AC_ERR_TIMEOUT ? -ENODEV : -EIO;
	}
	memcpy(dev->id, id, sizeof(dev->id));
	kfree(id);
	return 0;
}

static int ata_dev_set_xfermode(struct ata_device *dev, u8 mode)
{
	struct ata_taskfile tf = { 0 };

	tf.protocol = ATA_PROT_NODATA;
	tf.device = ATA_DEVICE_OBS | (dev->devno ? ATA_DEV1 : 0);
	tf.command = ATA_CMD_SET_FEATURES;
	tf.feature = SETFEATURES_XFER;
	tf.nsect = mode;
	return ata_exec_internal(dev, &tf, NULL, 0, ATA_PROBE_TIMEOUT_MS) ? -EIO : 0;
}

/* Identify device @dev and decide how to drive it.  Return: 0 or -errno. */
static int ata_dev_configure(struct ata_device *dev)
{
	struct ata_port *ap = dev->ap;
	const u16 *id = dev->id;
	int rc;

	rc = ata_dev_read_id(dev);
	if (dev->class == ATA_DEV_ATAPI) {
		ata_dev_info(dev, "ATAPI device, not supported: left alone\n");
		return -ENODEV;
	}
	if (rc) {
		if (rc != -ENODEV)
			ata_dev_err(dev, "IDENTIFY DEVICE failed: %d\n", rc);
		return rc;
	}
	ata_id_c_string(id, dev->model, ATA_ID_PROD, ATA_ID_PROD_LEN);
	if (!ata_id_is_ata(id) || !ata_id_has_lba(id)) {
		ata_dev_err(dev, "\"%s\": not an LBA ATA disk (config %#x, caps %#x), left alone\n",
			    dev->model, id[ATA_ID_CONFIG], id[ATA_ID_CAPABILITY]);
		return -ENODEV;
	}
	if (ata_id_has_large_logical_sector(id)) {
		ata_dev_err(dev, "\"%s\": logical sectors other than 512 bytes are not supported\n",
			    dev->model);
		return -EOPNOTSUPP;
	}
	dev->n_sectors = ata_id_n_sectors(id);
	if (!dev->n_sectors) {
		ata_dev_err(dev, "\"%s\": reports no sectors\n", dev->model);
		return -ENODEV;
	}
	dev->flags = 0;
	if (ata_id_has_lba48(id))
		dev->flags |= ATA_DFLAG_LBA48;
	if (ata_id_has_flush_ext(id) && (dev->flags & ATA_DFLAG_LBA48))
		dev->flags |= ATA_DFLAG_FLUSH_EXT;
	if (!ap->pio_only && ata_id_has_dma(id) && (id[ATA_ID_MWDMA_MODES] & 0x7)) {
		if (!ata_dev_set_xfermode(dev, XFER_MW_DMA_0 + 31 - __builtin_clz(id[ATA_ID_MWDMA_MODES] & 7)))
			dev->flags |= ATA_DFLAG_DMA;
		else
			ata_dev_err(dev, "SET FEATURES (DMA mode) failed: using PIO\n");
	}
	if ((dev->flags & ATA_DFLAG_DMA) && (dev->flags & ATA_DFLAG_LBA48) && ata_id_has_fua(id))
		dev->flags |= ATA_DFLAG_FUA;
	ata_dev_info(dev, "ATA disk \"%s\"\n", dev->model);
	return 0;
}

/* Reset a channel and find its devices. */
static void ata_port_probe(struct ata_port *ap)
{
	bool present[2];
	unsigned long flags;

	for (unsigned int i = 0; i < 2; i++)
		present[i] = ata_sff_devchk(ap, i);
	if (!present[0] && !present[1]) {
		ata_sff_set_nien(ap, true);
		ata_port_info(ap, "no devices\n");
		return;
	}
	if (ata_sff_softreset(ap))
		return;
	spin_lock_irqsave(&ap->host->lock, flags);
	ata_sff_check_status(ap);
	ata_sff_set_nien(ap, false);
	spin_unlock_irqrestore(&ap->host->lock, flags);
	for (unsigned int i = 0; i < 2; i++) {
		struct ata_device *dev = &ap->device[i];
		struct ata_taskfile tf;

		if (!present[i])
			continue;
		ata_sff_dev_select(ap, i);
		ata_sff_tf_read(ap, &tf);
		dev->class = ata_dev_classify(&tf);
		if (dev->class == ATA_DEV_ATAPI) {
			ata_dev_info(dev, "ATAPI device, not supported: left alone\n");
			continue;
		}
		if (dev->class != ATA_DEV_ATA || tf.command == 0 || tf.command == 0xff)
			continue;
		if (ata_dev_configure(dev))
			continue;
		if (ata_dev_add_disk(dev))
			ata_dev_err(dev, "could not add the disk\n");
	}
}

/* --- hosts ---------------------------------------------------------------- */

static void ata_host_release(void *data)
{
	struct ata_host *host = data;

	for (unsigned int i = 0; i < host->n_ports; i++) {
		struct ata_port *ap = host->ports[i];

		if (!ap)
			continue;
		del_timer_sync(&ap->timer);
		cancel_work_sync(&ap->eh_work);
		kfree(ap->sg);
	}
}

static int ata_port_init(struct ata_host *host, struct ata_port *ap, unsigned int port_no)
{
	ap->host = host;
	ap->port_no = port_no;
	ap->print_id = atomic_inc_return(&ata_print_id);
	ap->ctl = ATA_DEVCTL_OBS;
	for (unsigned int i = 0; i < 2; i++) {
		ap->device[i].ap = ap;
		ap->device[i].devno = i;
		ap->device[i].sd_index = -1;
	}
	timer_setup(&ap->timer, ata_sff_timeout, 0);
	INIT_WORK(&ap->eh_work, ata_eh_work);
	mutex_init(&ap->int_mutex);
	init_completion(&ap->internal_done);
	init_waitqueue_head(&ap->idle_wq);
	ap->sg = kcalloc(ATA_SG_ENTRIES, sizeof(*ap->sg), GFP_KERNEL);
	return ap->sg ? 0 : -ENOMEM;
}

/* Compat-mode addresses of channel @i, or the native BARs. */
static int ata_pci_port_addr(struct pci_dev *pdev, struct ata_port *ap, unsigned int i,
			     bool native)
{
	static const u16 cmd[2] = { 0x1f0, 0x170 }, ctl[2] = { 0x3f6, 0x376 };
	struct device *dev = &pdev->dev;
	u16 c, k;

	if (native) {
		if (!(pci_resource_flags(pdev, 2 * i) & IORESOURCE_IO) ||
		    !(pci_resource_flags(pdev, 2 * i + 1) & IORESOURCE_IO) ||
		    !pdev->irq)
			return -ENODEV;
		c = pci_resource_start(pdev, 2 * i);
		k = pci_resource_start(pdev, 2 * i + 1) + 2;
		ap->irq = pdev->irq;
	} else {
		c = cmd[i];
		k = ctl[i];
		ap->irq = i ? 15 : 14;
	}
	if (!devm_request_region(dev, c, 8, "libata") || !devm_request_region(dev, k, 1, "libata")) {
		dev_err(dev, "channel %u: ports %#x/%#x are taken\n", i, c, k);
		return -EBUSY;
	}
	ap->ioaddr.cmd_addr = c;
	ap->ioaddr.ctl_addr = k;
	return 0;
}

static int ata_pci_bmdma_init(struct pci_dev *pdev, struct ata_port *ap)
{
	u16 base;

	if (!(pci_resource_flags(pdev, 4) & IORESOURCE_IO) || pci_resource_len(pdev, 4) < 16)
		return -ENODEV;
	base = pci_resource_start(pdev, 4) + 8 * ap->port_no;
	ap->bmdma_prd = dmam_alloc_coherent(&pdev->dev, ATA_PRD_TBL_SZ, &ap->bmdma_prd_dma,
					    GFP_KERNEL);
	if (!ap->bmdma_prd)
		return -ENOMEM;
	ap->ioaddr.bmdma_addr = base;
	return 0;
}

int ata_pci_bmdma_prepare_host(struct pci_dev *pdev, const struct ata_port_info *const *ppi,
			       struct ata_host **r_host)
{
	struct device *dev = &pdev->dev;
	bool bmdma_ok = !pci_request_region(pdev, 4, "libata bmdma");
	struct ata_host *host;
	unsigned int usable = 0;
	int rc;

	host = devm_kzalloc(dev, sizeof(*host), GFP_KERNEL);
	if (!host)
		return -ENOMEM;
	host->dev = dev;
	host->n_ports = 2;
	spin_lock_init(&host->lock);
	rc = devm_add_action_or_reset(dev, ata_host_release, host);
	if (rc)
		return rc;
	if (bmdma_ok && dma_set_mask_and_coherent(dev, DMA_BIT_MASK(32)))
		bmdma_ok = false;
	for (unsigned int i = 0; i < 2; i++) {
		bool native = pdev->class & (1u << (2 * i));
		struct ata_port *ap;

		if (!ppi[i])
			continue;
		ap = devm_kzalloc(dev, sizeof(*ap), GFP_KERNEL);
		if (!ap)
			return -ENOMEM;
		host->ports[i] = ap;
		rc = ata_port_init(host, ap, i);
		if (rc)
			return rc;
		if (ata_pci_port_addr(pdev, ap, i, native)) {
			ap->disabled = true;
			continue;
		}
		ap->pio_only = (ppi[i]->flags & ATA_FLAG_PIO_ONLY) || !bmdma_ok ||
			       ata_pci_bmdma_init(pdev, ap);
		ata_port_info(ap, "%s cmd %#x ctl %#x bmdma %#x irq %u%s\n",
			      native ? "native" : "compat", ap->ioaddr.cmd_addr, ap->ioaddr.ctl_addr,
			      ap->ioaddr.bmdma_addr, ap->irq, ap->pio_only ? " (PIO only)" : "");
		usable++;
	}
	if (!usable) {
		dev_err(dev, "no usable ATA channel\n");
		return -ENODEV;
	}
	*r_host = host;
	return 0;
}
EXPORT_SYMBOL_GPL(ata_pci_bmdma_prepare_host);

int ata_pci_sff_activate_host(struct ata_host *host, irq_handler_t irq_handler)
{
	struct pci_dev *pdev = to_pci_dev(host->dev);
	bool shared_done = false;
	int rc;

	for (unsigned int i = 0; i < host->n_ports; i++) {
		struct ata_port *ap = host->ports[i];

		if (!ap || ap->disabled)
			continue;
		ata_sff_set_nien(ap, true);	/* quiet until probed */
		if (ap->irq == pdev->irq && pdev->irq) {
			if (shared_done)
				continue;
			rc = devm_request_irq(host->dev, ap->irq, irq_handler, IRQF_SHARED,
					      "ata_piix", host);
			shared_done = true;
		} else {
			rc = devm_request_irq(host->dev, ap->irq, irq_handler, 0, "ata_piix", host);
		}
		if (rc) {
			ata_port_err(ap, "IRQ %u: %d\n", ap->irq, rc);
			ata_host_detach(host);
			return rc;
		}
	}
	for (unsigned int i = 0; i < host->n_ports; i++)
		if (host->ports[i] && !host->ports[i]->disabled)
			ata_port_probe(host->ports[i]);
	return 0;
}
EXPORT_SYMBOL_GPL(ata_pci_sff_activate_host);

void ata_host_detach(struct ata_host *host)
{
	for (unsigned int i = 0; i < host->n_ports; i++) {
		struct ata_port *ap = host->ports[i];
		unsigned long flags;

		if (!ap || ap->disabled)
			continue;
		/* No internal command quiesces a queue while it goes. */
		mutex_lock(&ap->int_mutex);
		for (unsigned int d = 0; d < 2; d++) {
			struct ata_device *dev = &ap->device[d];
			struct gendisk *disk = dev->disk;

			if (!disk)
				continue;
			dev->disk = NULL;
			del_gendisk(disk);
			put_disk(disk);
			ata_sd_index_put(dev->sd_index);
			dev->sd_index = -1;
		}
		mutex_unlock(&ap->int_mutex);
		if (ap->tag_set_ready) {
			blk_mq_free_tag_set(&ap->tag_set);
			ap->tag_set_ready = false;
		}
		del_timer_sync(&ap->timer);
		cancel_work_sync(&ap->eh_work);
		spin_lock_irqsave(&host->lock, flags);
		ata_sff_set_nien(ap, true);
		ap->disabled = true;
		spin_unlock_irqrestore(&host->lock, flags);
	}
}
EXPORT_SYMBOL_GPL(ata_host_detach);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Exo-OS");
MODULE_DESCRIPTION("ATA core: SFF/BMDMA channels, disks on blk-mq");
