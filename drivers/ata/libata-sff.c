// SPDX-License-Identifier: GPL-2.0
/*
 * SFF (taskfile) channels with SFF-8038i bus-master DMA, as Linux's
 * libata-sff.c: register access, the host state machine of PIO and
 * non-data commands, the BMDMA engine, the interrupt handler, the soft
 * reset and the command timeout.
 *
 * Locking: host->lock (interrupts off) covers a channel's registers while
 * a command runs, ap->qc_active, ap->hsm_state and ap->eh_pending.  The
 * command is issued, moved and ended under it; the timeout and the
 * interrupt handler take it, so only one of them ends a command.  Its
 * complete_fn runs after the lock is dropped: a block completion may run
 * the queue at once and issue the next command.  After a
 * timeout the error handler (a work item) owns the channel until it has
 * reset it and completed the command: eh_pending makes the handler leave
 * the command alone meanwhile.
 */
#define pr_fmt(fmt) "libata: " fmt

#include <exo/export.h>
#include <exo/jiffies.h>
#include <exo/kernel.h>
#include <exo/sched.h>
#include <exo/string.h>
#include <exo/time.h>
#include <asm/io.h>
#include "libata.h"

/* PIO out: how many alternate-status reads the first DRQ may take. */
#define ATA_FIRST_DRQ_POLLS	100000
/* After the last PIO-in block: reads until BSY and DRQ drop. */
#define ATA_IDLE_POLLS		10000
/* After a soft reset: how long BSY may stay set (ATA allows 31 s). */
#define ATA_RESET_WAIT_MS	5000

static u8 ata_rd(struct ata_port *ap, unsigned int reg)
{
	return inb(ap->ioaddr.cmd_addr + reg);
}

static void ata_wr(struct ata_port *ap, unsigned int reg, u8 v)
{
	outb(ap->ioaddr.cmd_addr + reg, v);
}

/* Status register: reading it acknowledges the device's interrupt. */
u8 ata_sff_check_status(struct ata_port *ap)
{
	return ata_rd(ap, ATA_REG_STATUS);
}

u8 ata_sff_altstatus(struct ata_port *ap)
{
	return inb(ap->ioaddr.ctl_addr);
}

/* The 400 ns the device may take to update its status after a write. */
static void ata_sff_pause(struct ata_port *ap)
{
	for (int i = 0; i < 4; i++)
		ata_sff_altstatus(ap);
}

void ata_sff_dev_select(struct ata_port *ap, unsigned int devno)
{
	ata_wr(ap, ATA_REG_DEVICE, ATA_DEVICE_OBS | (devno ? ATA_DEV1 : 0));
	ata_sff_pause(ap);
}

/* nIEN on (@off) or off: the device raises no interrupt while it is set. */
void ata_sff_set_nien(struct ata_port *ap, bool off)
{
	outb(ap->ioaddr.ctl_addr, ap->ctl | (off ? ATA_NIEN : 0));
}

static void ata_sff_tf_load(struct ata_port *ap, const struct ata_taskfile *tf)
{
	if (tf->flags & ATA_TFLAG_LBA48) {
		ata_wr(ap, ATA_REG_FEATURE, tf->hob_feature);
		ata_wr(ap, ATA_REG_NSECT, tf->hob_nsect);
		ata_wr(ap, ATA_REG_LBAL, tf->hob_lbal);
		ata_wr(ap, ATA_REG_LBAM, tf->hob_lbam);
		ata_wr(ap, ATA_REG_LBAH, tf->hob_lbah);
	}
	ata_wr(ap, ATA_REG_FEATURE, tf->feature);
	ata_wr(ap, ATA_REG_NSECT, tf->nsect);
	ata_wr(ap, ATA_REG_LBAL, tf->lbal);
	ata_wr(ap, ATA_REG_LBAM, tf->lbam);
	ata_wr(ap, ATA_REG_LBAH, tf->lbah);
	ata_wr(ap, ATA_REG_DEVICE, tf->device);
	ata_sff_pause(ap);
}

/* The result registers: status in command, error in error. */
void ata_sff_tf_read(struct ata_port *ap, struct ata_taskfile *tf)
{
	tf->command = ata_sff_altstatus(ap);
	tf->error = ata_rd(ap, ATA_REG_ERR);
	tf->nsect = ata_rd(ap, ATA_REG_NSECT);
	tf->lbal = ata_rd(ap, ATA_REG_LBAL);
	tf->lbam = ata_rd(ap, ATA_REG_LBAM);
	tf->lbah = ata_rd(ap, ATA_REG_LBAH);
	tf->device = ata_rd(ap, ATA_REG_DEVICE);
}

static void ata_sff_exec_command(struct ata_port *ap, const struct ata_taskfile *tf)
{
	ata_wr(ap, ATA_REG_CMD, tf->command);
	ata_sff_pause(ap);
}

/*
 * Is a device there?  Its sector count and LBA low registers must hold
 * what is written (an empty position reads 0 or 0xff), as Linux's
 * ata_devchk() tests.
 */
bool ata_sff_devchk(struct ata_port *ap, unsigned int devno)
{
	u8 nsect, lbal;

	ata_sff_dev_select(ap, devno);
	ata_wr(ap, ATA_REG_NSECT, 0x55);
	ata_wr(ap, ATA_REG_LBAL, 0xaa);
	ata_wr(ap, ATA_REG_NSECT, 0xaa);
	ata_wr(ap, ATA_REG_LBAL, 0x55);
	ata_wr(ap, ATA_REG_NSECT, 0x55);
	ata_wr(ap, ATA_REG_LBAL, 0xaa);
	nsect = ata_rd(ap, ATA_REG_NSECT);
	lbal = ata_rd(ap, ATA_REG_LBAL);
	return nsect == 0x55 && lbal == 0xaa;
}

/*
 * Soft reset of both devices (SRST), with interrupts masked, then wait
 * until each present device drops BSY.  Leaves nIEN set: the caller
 * unmasks once it is ready for interrupts.
 * Context: process, may sleep.  Return: 0, or -EBUSY if a device stayed busy.
 */
int ata_sff_softreset(struct ata_port *ap)
{
	unsigned long end;

	outb(ap->ioaddr.ctl_addr, ap->ctl | ATA_NIEN);
	udelay(20);
	outb(ap->ioaddr.ctl_addr, ap->ctl | ATA_NIEN | ATA_SRST);
	udelay(20);
	outb(ap->ioaddr.ctl_addr, ap->ctl | ATA_NIEN);
	msleep(2);
	ap->nr_resets++;
	end = jiffies + msecs_to_jiffies(ATA_RESET_WAIT_MS);
	for (unsigned int devno = 0; devno < 2; devno++) {
		u8 st;

		ata_sff_dev_select(ap, devno);
		while ((st = ata_sff_altstatus(ap)) & ATA_BUSY) {
			if (st == 0xff)
				break;		/* nothing drives the bus */
			if (time_after(jiffies, end)) {
				ata_port_err(ap, "device %u still busy after reset (status %#x)\n",
					     devno, st);
				return -EBUSY;
			}
			msleep(1);
		}
	}
	ata_sff_dev_select(ap, 0);
	return 0;
}

/* --- bus-master DMA ------------------------------------------------------ */

static u8 bmdma_rd(struct ata_port *ap, unsigned int reg)
{
	return inb(ap->ioaddr.bmdma_addr + reg);
}

static void bmdma_wr(struct ata_port *ap, unsigned int reg, u8 v)
{
	outb(ap->ioaddr.bmdma_addr + reg, v);
}

/* Clear the interrupt and error bits (write 1), keeping the capability bits. */
static void ata_bmdma_ack(struct ata_port *ap, u8 status)
{
	bmdma_wr(ap, ATA_DMA_STATUS, (status & (ATA_DMA_DMA0_CAP | ATA_DMA_DMA1_CAP)) |
		 ATA_DMA_INTR | ATA_DMA_ERR);
}

/*
 * The PRD table of @qc's mapped segments, each split where it would cross a
 * 64 KiB boundary (ata_bmdma_fill_sg() in Linux).  Return: false if the
 * table would overflow (the queue limits make that impossible).
 */
static bool ata_bmdma_fill_sg(struct ata_queued_cmd *qc)
{
	struct ata_port *ap = qc->ap;
	struct ata_bmdma_prd *prd = ap->bmdma_prd;
	struct scatterlist *sg = qc->sg;
	unsigned int pi = 0;

	for (unsigned int i = 0; i < qc->n_elem; i++, sg = sg_next(sg)) {
		u64 addr = sg_dma_address(sg);
		u32 len = sg_dma_len(sg);

		while (len) {
			u32 offset = addr & ATA_DMA_BOUNDARY;
			u32 chunk = len;

			if (offset + len > ATA_DMA_BOUNDARY + 1)
				chunk = ATA_DMA_BOUNDARY + 1 - offset;
			if (pi == ATA_MAX_PRD || addr + chunk > 0x100000000ULL)
				return false;
			prd[pi].addr = (u32)addr;
			prd[pi].flags_len = chunk & 0xffff;	/* 0 means 64 KiB */
			pi++;
			addr += chunk;
			len -= chunk;
		}
	}
	if (!pi)
		return false;
	prd[pi - 1].flags_len |= ATA_PRD_EOT;
	return true;
}

/* Load the PRD table, set the direction, clear the status; then the command. */
static void ata_bmdma_setup(struct ata_queued_cmd *qc)
{
	struct ata_port *ap = qc->ap;
	bool rw = !(qc->tf.flags & ATA_TFLAG_WRITE);

	outl(ap->ioaddr.bmdma_addr + ATA_DMA_TABLE_OFS, (u32)ap->bmdma_prd_dma);
	bmdma_wr(ap, ATA_DMA_CMD, rw ? ATA_DMA_WR : 0);
	ata_bmdma_ack(ap, bmdma_rd(ap, ATA_DMA_STATUS));
	ata_sff_exec_command(ap, &qc->tf);
}

static void ata_bmdma_start(struct ata_port *ap)
{
	bmdma_wr(ap, ATA_DMA_CMD, bmdma_rd(ap, ATA_DMA_CMD) | ATA_DMA_START);
}

static void ata_bmdma_stop(struct ata_port *ap)
{
	bmdma_wr(ap, ATA_DMA_CMD, bmdma_rd(ap, ATA_DMA_CMD) & ~ATA_DMA_START);
	ata_sff_altstatus(ap);		/* one PIO cycle, as the spec asks */
}

/* --- the host state machine --------------------------------------------- */

/* Move one 512-byte block between the data register and @qc's buffer. */
static bool ata_pio_sector(struct ata_queued_cmd *qc)
{
	struct ata_port *ap = qc->ap;
	bool write = qc->tf.flags & ATA_TFLAG_WRITE;
	unsigned int left = ATA_SECT_SIZE;

	while (left) {
		struct scatterlist *sg = qc->cursg;
		unsigned int n;
		u8 *buf;

		if (!sg)
			return false;
		n = min(left, sg->length - qc->cursg_ofs);
		if (n & 1)
			return false;	/* dma_alignment keeps segments even */
		buf = (u8 *)sg_virt(sg) + qc->cursg_ofs;
		for (unsigned int i = 0; i < n; i += 2) {
			u16 w;

			if (write) {
				memcpy(&w, buf + i, 2);
				outw(ap->ioaddr.cmd_addr + ATA_REG_DATA, w);
			} else {
				w = inw(ap->ioaddr.cmd_addr + ATA_REG_DATA);
				memcpy(buf + i, &w, 2);
			}
		}
		left -= n;
		qc->curbytes += n;
		qc->cursg_ofs += n;
		if (qc->cursg_ofs == sg->length) {
			qc->cursg = sg_is_last(sg) ? NULL : sg_next(sg);
			qc->cursg_ofs = 0;
		}
	}
	return true;
}

/*
 * End the running command; host->lock held.  Its complete_fn runs once the
 * lock is dropped (ata_sff_take_done()): a block completion may run the
 * queue at once, and so issue the next command, which takes the lock.
 */
static void ata_sff_qc_end(struct ata_port *ap, struct ata_queued_cmd *qc)
{
	ata_sff_tf_read(ap, &qc->result_tf);
	if (qc->err_mask)
		ap->nr_errors++;
	ap->qc_active = NULL;
	ap->hsm_state = HSM_ST_IDLE;
	/*
	 * Not del_timer_sync(): the callback takes host->lock, held here.
	 * A callback already running waits for the lock and then finds the
	 * command gone, or the timer armed again for the next one (a stale
	 * expiry, ata_sff_timeout() ignores it); the port's teardown waits
	 * for it with del_timer_sync() before the port is freed.
	 */
	del_timer(&ap->timer);
	ap->qc_done = qc;
}

/* The command ata_sff_qc_end() set aside, for after the unlock; host->lock held. */
static struct ata_queued_cmd *ata_sff_take_done(struct ata_port *ap)
{
	struct ata_queued_cmd *qc = ap->qc_done;

	ap->qc_done = NULL;
	return qc;
}

/*
 * PIO and non-data commands, after an interrupt (status just read, BSY
 * clear): move the next block, or end the command.  host->lock held.
 */
static void ata_sff_hsm_move(struct ata_port *ap, struct ata_queued_cmd *qc, u8 status)
{
	bool write = qc->tf.flags & ATA_TFLAG_WRITE;

	if (status & (ATA_ERR | ATA_DF)) {
		qc->err_mask |= AC_ERR_DEV;
		ata_sff_qc_end(ap, qc);
		return;
	}
	if (ap->hsm_state == HSM_ST_LAST) {
		if (status & ATA_DRQ)
			qc->err_mask |= AC_ERR_HSM;	/* more data than asked for */
		ata_sff_qc_end(ap, qc);
		return;
	}
	/* HSM_ST: a block is due. */
	if (!(status & ATA_DRQ) || !ata_pio_sector(qc)) {
		qc->err_mask |= AC_ERR_HSM;
		ata_sff_qc_end(ap, qc);
		return;
	}
	if (qc->curbytes < qc->nbytes)
		return;
	if (write) {
		ap->hsm_state = HSM_ST_LAST;	/* the device interrupts once more */
		return;
	}
	/* The last block read: no interrupt follows; wait for BSY and DRQ to drop. */
	for (int i = 0; i < ATA_IDLE_POLLS; i++) {
		status = ata_sff_altstatus(ap);
		if (!(status & (ATA_BUSY | ATA_DRQ)))
			break;
	}
	if (status & (ATA_BUSY | ATA_DRQ))
		qc->err_mask |= AC_ERR_HSM;
	else if (status & (ATA_ERR | ATA_DF))
		qc->err_mask |= AC_ERR_DEV;
	ata_sff_check_status(ap);
	ata_sff_qc_end(ap, qc);
}

/*
 * An interrupt while no command of ours waits for one (idle, or error
 * handling owns the channel): not ours, whatever the device says, so
 * IRQ_NONE for a shared line's other users and the spurious-interrupt
 * accounting, as Linux's ata_sff_idle_irq().  If the channel did raise
 * it (BMDMA interrupt bit, Linux's sff_irq_check()), read the status and
 * clear the bit all the same, so a stray INTRQ does not keep the line
 * asserted.  A PIO-only channel has no such bit: reading its status is
 * harmless (nothing waits for it) and drops a stray INTRQ.  host->lock held.
 */
static void ata_sff_idle_irq(struct ata_port *ap)
{
	u8 bm;

	ap->nr_idle_irqs++;
	if (ap->ioaddr.bmdma_addr) {
		bm = bmdma_rd(ap, ATA_DMA_STATUS);
		if (!(bm & ATA_DMA_INTR))
			return;
		ata_sff_check_status(ap);
		ata_bmdma_ack(ap, bm);
		return;
	}
	ata_sff_check_status(ap);
}

/* One channel's share of an interrupt; host->lock held.  Return: handled. */
static bool ata_sff_port_intr(struct ata_port *ap)
{
	struct ata_queued_cmd *qc = ap->qc_active;
	u8 bm = 0, status;

	if (!qc || ap->eh_pending || ap->hsm_state == HSM_ST_IDLE) {
		ata_sff_idle_irq(ap);
		return false;
	}
	if (ap->ioaddr.bmdma_addr)
		bm = bmdma_rd(ap, ATA_DMA_STATUS);
	if (qc->tf.protocol == ATA_PROT_DMA) {
		if (!(bm & ATA_DMA_INTR))
			return false;		/* not this channel (shared line) */
		ata_bmdma_stop(ap);
		status = ata_sff_check_status(ap);
		ata_bmdma_ack(ap, bm);
		if (status & ATA_BUSY)
			return true;		/* the device still works: wait */
		if (bm & ATA_DMA_ERR)
			qc->err_mask |= AC_ERR_HOST_BUS;
		if (status & (ATA_ERR | ATA_DF))
			qc->err_mask |= AC_ERR_DEV;
		ata_sff_qc_end(ap, qc);
		return true;
	}
	if (ata_sff_altstatus(ap) & ATA_BUSY)
		return false;
	status = ata_sff_check_status(ap);
	if (bm & ATA_DMA_INTR)
		ata_bmdma_ack(ap, bm);
	ata_sff_hsm_move(ap, qc, status);
	return true;
}

irqreturn_t ata_bmdma_interrupt(int irq, void *dev_instance)
{
	struct ata_host *host = dev_instance;
	struct ata_queued_cmd *done[2] = { NULL, NULL };
	unsigned long flags;
	bool handled = false;

	spin_lock_irqsave(&host->lock, flags);
	for (unsigned int i = 0; i < host->n_ports; i++) {
		struct ata_port *ap = host->ports[i];

		if (ap && !ap->disabled && ap->irq == (unsigned int)irq) {
			handled |= ata_sff_port_intr(ap);
			done[i] = ata_sff_take_done(ap);
		}
	}
	spin_unlock_irqrestore(&host->lock, flags);
	for (unsigned int i = 0; i < 2; i++)
		if (done[i])
			ata_qc_done(done[i]);
	return handled ? IRQ_HANDLED : IRQ_NONE;
}
EXPORT_SYMBOL_GPL(ata_bmdma_interrupt);

/* PIO out: wait for the first DRQ and write the first block.  Lock held. */
static void ata_sff_pio_first(struct ata_port *ap, struct ata_queued_cmd *qc)
{
	u8 status = 0;

	for (int i = 0; i < ATA_FIRST_DRQ_POLLS; i++) {
		status = ata_sff_altstatus(ap);
		if (!(status & ATA_BUSY))
			break;
	}
	if ((status & (ATA_BUSY | ATA_ERR | ATA_DF)) || !(status & ATA_DRQ)) {
		qc->err_mask |= (status & ATA_BUSY) || !(status & ATA_ERR) ? AC_ERR_HSM : AC_ERR_DEV;
		ata_sff_check_status(ap);
		ata_sff_qc_end(ap, qc);
		return;
	}
	if (!ata_pio_sector(qc)) {
		qc->err_mask |= AC_ERR_HSM;
		ata_sff_qc_end(ap, qc);
		return;
	}
	ap->hsm_state = qc->curbytes < qc->nbytes ? HSM_ST : HSM_ST_LAST;
}

void ata_qc_issue(struct ata_queued_cmd *qc)
{
	struct ata_port *ap = qc->ap;
	struct ata_host *host = ap->host;
	struct ata_queued_cmd *done;
	unsigned long flags;

	qc->err_mask = 0;
	qc->curbytes = 0;
	qc->cursg = qc->sg;
	qc->cursg_ofs = 0;
	spin_lock_irqsave(&host->lock, flags);
	if (WARN_ON(ap->qc_active)) {
		qc->err_mask = AC_ERR_SYSTEM;
		spin_unlock_irqrestore(&host->lock, flags);
		ata_qc_done(qc);
		return;
	}
	ap->qc_active = qc;
	if (qc->tf.protocol == ATA_PROT_DMA && !ata_bmdma_fill_sg(qc)) {
		qc->err_mask = AC_ERR_SYSTEM;
		ata_sff_qc_end(ap, qc);
		goto out;
	}
	mod_timer(&ap->timer, jiffies + msecs_to_jiffies(READ_ONCE(ata_timeout_ms)));
	ata_sff_dev_select(ap, qc->dev->devno);
	/* Test hook: a command whose interrupt never comes (libata.eh_test_timeout). */
	if (qc->tf.protocol != ATA_PROT_NODATA && ata_inject(&ata_eh_test_timeout))
		ata_sff_set_nien(ap, true);
	ata_sff_tf_load(ap, &qc->tf);
	switch (qc->tf.protocol) {
	case ATA_PROT_NODATA:
		ap->hsm_state = HSM_ST_LAST;
		ap->nr_nodata++;
		ata_sff_exec_command(ap, &qc->tf);
		break;
	case ATA_PROT_DMA:
		ap->hsm_state = HSM_ST;
		ap->nr_dma++;
		ata_bmdma_setup(qc);
		ata_bmdma_start(ap);
		break;
	default:
		ap->nr_pio++;
		ap->hsm_state = HSM_ST;
		ata_sff_exec_command(ap, &qc->tf);
		if (qc->tf.flags & ATA_TFLAG_WRITE)
			ata_sff_pio_first(ap, qc);
		break;
	}
out:
	done = ata_sff_take_done(ap);
	spin_unlock_irqrestore(&host->lock, flags);
	if (done)
		ata_qc_done(done);
}
EXPORT_SYMBOL_GPL(ata_qc_issue);

/* --- timeouts and error handling ----------------------------------------- */

/*
 * The running command's interrupt did not come in time: stop the DMA
 * engine and hand the channel to the error handler, which resets it
 * (that sleeps) before the command completes with AC_ERR_TIMEOUT.
 */
void ata_sff_timeout(struct timer_list *t)
{
	struct ata_port *ap = container_of(t, struct ata_port, timer);
	struct ata_host *host = ap->host;
	struct ata_queued_cmd *qc;
	unsigned long flags;

	spin_lock_irqsave(&host->lock, flags);
	qc = ap->qc_active;
	/*
	 * Armed again (timer_pending()): this expiry was the previous
	 * command's, which ended while the callback waited for the lock,
	 * and the next command's timer is running.
	 */
	if (!qc || ap->eh_pending || timer_pending(&ap->timer)) {
		ap->nr_stale_timeouts += qc && !ap->eh_pending;
		spin_unlock_irqrestore(&host->lock, flags);
		return;
	}
	ap->eh_pending = true;
	ap->nr_timeouts++;
	qc->err_mask |= AC_ERR_TIMEOUT;
	if (qc->tf.protocol == ATA_PROT_DMA)
		ata_bmdma_stop(ap);
	spin_unlock_irqrestore(&host->lock, flags);
	ata_dev_err(qc->dev, "command %#x timed out (status %#x)\n", qc->tf.command,
		    ata_sff_altstatus(ap));
	schedule_work(&ap->eh_work);
}

void ata_eh_work(struct work_struct *work)
{
	struct ata_port *ap = container_of(work, struct ata_port, eh_work);
	struct ata_host *host = ap->host;
	struct ata_queued_cmd *qc;
	unsigned long flags;
	int rc;

	rc = ata_sff_softreset(ap);
	spin_lock_irqsave(&host->lock, flags);
	if (ap->ioaddr.bmdma_addr)
		ata_bmdma_ack(ap, bmdma_rd(ap, ATA_DMA_STATUS));
	ata_sff_check_status(ap);
	ata_sff_set_nien(ap, false);
	qc = ap->qc_active;
	ap->eh_pending = false;
	if (qc)
		ata_sff_qc_end(ap, qc);
	qc = ata_sff_take_done(ap);
	spin_unlock_irqrestore(&host->lock, flags);
	if (qc)
		ata_qc_done(qc);
	pr_warn("ata%u: channel reset after a timeout%s\n", ap->print_id, rc ? " failed" : "");
}
