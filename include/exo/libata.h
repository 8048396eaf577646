/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libata: the ATA core for SFF (taskfile) controllers with bus-master DMA,
 * shaped after Linux's <linux/libata.h> and drivers/ata/libata-{core,sff}.c,
 * but feeding blk-mq directly (no SCSI layer).  A controller driver
 * (drivers/ata/ata_piix.c) finds its ports' registers and IRQs and hands
 * them to the core:
 *
 *	rc = ata_pci_bmdma_prepare_host(pdev, ppi, &host);	// ports, BMDMA
 *	...
 *	return ata_pci_sff_activate_host(host, ata_bmdma_interrupt);
 *
 * The core then resets each channel, probes device 0 and 1 with IDENTIFY
 * DEVICE (ATAPI devices are named and left alone), and registers each ATA
 * disk as a block device sda, sdb, ... with one blk-mq tag set per channel
 * of depth 1: a channel runs one command at a time, for either device.
 * Reads and writes go by bus-master DMA (PRD tables from blk_rq_map_sg(),
 * split at 64 KiB boundaries) or by interrupt-driven PIO, flushes by FLUSH
 * CACHE (EXT), FUA by WRITE DMA FUA EXT where the device has it, else by the
 * block layer's post-flush.  A command that fails (ERR, DF, a BMDMA error)
 * completes with an error; one that raises no interrupt within its timeout
 * is failed and the channel soft-reset.  See Documentation/block.rst, "ATA".
 */
#ifndef _EXO_LIBATA_H
#define _EXO_LIBATA_H

#include <exo/ata.h>
#include <exo/blk-mq.h>
#include <exo/completion.h>
#include <exo/dma-mapping.h>
#include <exo/interrupt.h>
#include <exo/scatterlist.h>
#include <exo/spinlock.h>
#include <exo/timer.h>
#include <exo/types.h>
#include <exo/wait.h>
#include <exo/workqueue.h>

struct pci_dev;
struct ata_port;

/* How a command moves data. */
enum ata_prot {
	ATA_PROT_NODATA,
	ATA_PROT_PIO,		/* data by the data register, a block per interrupt */
	ATA_PROT_DMA,		/* data by the BMDMA engine */
};

/* ata_taskfile.flags */
#define ATA_TFLAG_LBA48		(1u << 0)	/* write the HOB bytes first */
#define ATA_TFLAG_WRITE		(1u << 3)	/* data goes to the device */

/* The register image of a command, and (result_tf) of its end. */
struct ata_taskfile {
	unsigned int flags;
	u8 protocol;			/* enum ata_prot */
	u8 hob_feature, hob_nsect, hob_lbal, hob_lbam, hob_lbah;
	u8 feature, nsect, lbal, lbam, lbah;
	u8 device;
	u8 command;			/* result_tf: the status register */
	u8 error;			/* result_tf: the error register */
};

/* ata_queued_cmd.err_mask: why a command failed (Linux's AC_ERR_*). */
#define AC_ERR_DEV		(1u << 0)	/* the device said ERR or DF */
#define AC_ERR_HSM		(1u << 1)	/* protocol violation (DRQ when none due) */
#define AC_ERR_TIMEOUT		(1u << 2)	/* no interrupt in time */
#define AC_ERR_HOST_BUS		(1u << 5)	/* the BMDMA engine reported an error */
#define AC_ERR_SYSTEM		(1u << 6)	/* mapping or allocation failure */
#define AC_ERR_INVALID		(1u << 7)	/* refused before reaching the device */

/*
 * One command on a channel: a block request's (in the request's pdu) or
 * an internal one (IDENTIFY, SET FEATURES), issued with ata_qc_issue()
 * and ended through complete_fn, from the interrupt handler, from error
 * handling or from ata_qc_issue() itself (a command that could not
 * start), always without host->lock held.
 */
struct ata_queued_cmd {
	struct ata_port *ap;
	struct ata_device *dev;
	struct ata_taskfile tf;
	struct ata_taskfile result_tf;
	struct scatterlist *sg;		/* data, ATA_MAX_PRD / 2 entries at most */
	unsigned int n_elem;		/* entries in sg */
	unsigned int nbytes;		/* bytes to move */
	unsigned int curbytes;		/* PIO: bytes moved */
	struct scatterlist *cursg;	/* PIO: position */
	unsigned int cursg_ofs;
	enum dma_data_direction dma_dir;
	bool dma_mapped;
	unsigned int err_mask;		/* AC_ERR_* */
	void (*complete_fn)(struct ata_queued_cmd *qc);
	void *private_data;
};

/* ata_device.flags */
#define ATA_DFLAG_LBA48		(1u << 0)
#define ATA_DFLAG_DMA		(1u << 1)	/* reads and writes by BMDMA */
#define ATA_DFLAG_FLUSH_EXT	(1u << 2)
#define ATA_DFLAG_FUA		(1u << 3)	/* WRITE DMA FUA EXT */

#define ATA_MODEL_LEN		(ATA_ID_PROD_LEN + 1)

/* A device on a channel: device 0 (master) or 1 (slave). */
struct ata_device {
	struct ata_port *ap;
	unsigned int devno;
	enum ata_dev_class class;
	unsigned int flags;		/* ATA_DFLAG_* */
	u64 n_sectors;
	u16 id[ATA_ID_WORDS];
	char model[ATA_MODEL_LEN];
	struct gendisk *disk;		/* NULL: no block device */
	int sd_index;			/* sda = 0 */
};

/* Where a channel's registers are: I/O ports. */
struct ata_ioports {
	u16 cmd_addr;			/* data .. status/command (8 ports) */
	u16 ctl_addr;			/* alternate status / device control */
	u16 bmdma_addr;			/* 0: no bus-master DMA */
};

/* ata_port.hsm_state: where the running command is. */
enum {
	HSM_ST_IDLE,
	HSM_ST_FIRST,			/* PIO out: first block to write */
	HSM_ST,				/* PIO: blocks move, one per interrupt */
	HSM_ST_LAST,			/* waiting for the last interrupt */
	HSM_ST_ERR,
};

/* A channel. */
struct ata_port {
	struct ata_host *host;
	unsigned int port_no;		/* 0 primary, 1 secondary */
	unsigned int print_id;		/* "ataN" */
	struct ata_ioports ioaddr;
	unsigned int irq;
	bool pio_only;			/* no BMDMA (or the dma parameter is 0) */
	bool disabled;			/* the controller has the channel off */
	struct ata_device device[2];
	u8 ctl;				/* device control value (nIEN clear) */

	/* The running command, and the one just ended, under host->lock. */
	struct ata_queued_cmd *qc_active;
	struct ata_queued_cmd *qc_done;
	unsigned int hsm_state;
	bool eh_pending;		/* timed out: error handling owns qc_active */

	struct ata_bmdma_prd *bmdma_prd;	/* PRD table (coherent) */
	dma_addr_t bmdma_prd_dma;
	struct scatterlist *sg;		/* ATA_MAX_PRD / 2 entries, for the queue */

	struct blk_mq_tag_set tag_set;	/* depth 1: both devices share it */
	bool tag_set_ready;
	struct timer_list timer;	/* the running command's timeout */
	struct work_struct eh_work;	/* reset after a timeout */
	struct mutex int_mutex;		/* internal commands, one at a time */
	struct ata_queued_cmd qc_internal;
	struct completion internal_done;
	struct wait_queue_head idle_wq;	/* woken when a command ends */

	/* Counters for tests and the log (under host->lock; nr_resets by the reset). */
	unsigned long nr_dma, nr_pio, nr_nodata, nr_errors, nr_timeouts, nr_resets;
	/* Interrupts while idle (IRQ_NONE), and timer expiries of ended commands. */
	unsigned long nr_idle_irqs, nr_stale_timeouts;
};

/* A controller: its channels share its lock (a native-mode IRQ is shared). */
struct ata_host {
	struct device *dev;
	spinlock_t lock;
	unsigned int n_ports;
	struct ata_port *ports[2];
	void *private_data;
};

/* ata_port_info.flags */
#define ATA_FLAG_PIO_ONLY	(1u << 0)	/* never use BMDMA */

/* What a controller driver says about each of its ports. */
struct ata_port_info {
	unsigned int flags;		/* ATA_FLAG_* */
};

/**
 * ata_pci_bmdma_prepare_host() - allocate a host with its two channels'
 * registers claimed
 * @pdev: an SFF IDE function, enabled (pcim_enable_device())
 * @ppi: info of port 0 and port 1 (NULL: that port is absent or disabled)
 * @r_host: the new host (device-managed: freed when @pdev unbinds)
 *
 * A channel in compatibility mode (prog-if bit 0 for the primary, bit 2
 * for the secondary clear) uses 0x1f0/0x3f6, IRQ 14 (0x170/0x376, IRQ 15);
 * a native one its BARs 0-1 (2-3) and the function's INTx.  BAR4 gives
 * the BMDMA registers when it is an I/O BAR (else the channel is PIO only);
 * each channel gets a PRD table and a 32-bit DMA mask.
 *
 * Context: process, may sleep.
 * Return: 0; -ENOMEM; -EBUSY if a channel's ports are claimed by someone
 * else; -ENODEV if neither channel is usable.  Each error is logged.
 */
int ata_pci_bmdma_prepare_host(struct pci_dev *pdev, const struct ata_port_info *const *ppi,
			       struct ata_host **r_host);

/**
 * ata_pci_sff_activate_host() - take the IRQs, probe the devices, add the disks
 * @host: from ata_pci_bmdma_prepare_host()
 * @irq_handler: ata_bmdma_interrupt (the core's), or a wrapper of it
 *
 * Compat-mode channels take their ISA IRQ each; native-mode ones share the
 * function's INTx (IRQF_SHARED).  Then every channel is reset and probed,
 * and each ATA disk found is added (sda, sdb, ... in the order found).
 * A channel without devices is kept quiet.
 *
 * Context: process, may sleep.
 * Return: 0 (also when no disk was found); -ENOMEM or an IRQ request
 * error, with everything undone.
 */
int ata_pci_sff_activate_host(struct ata_host *host, irq_handler_t irq_handler);

/**
 * ata_host_detach() - remove the disks of @host and quiesce its channels
 * @host: an activated host
 *
 * Deletes each disk (waiting for the requests in flight), frees its tag
 * set, stops the timers and error handling, and masks the channels'
 * interrupts (nIEN).  Call it from the PCI driver's remove().
 * Context: process, may sleep.
 */
void ata_host_detach(struct ata_host *host);

/**
 * ata_bmdma_interrupt() - the IRQ handler of SFF/BMDMA channels
 * @irq: the IRQ
 * @dev_instance: the struct ata_host
 *
 * For each channel of @host with a command in flight on that IRQ: a DMA
 * command ends when the BMDMA status has its interrupt bit (the engine
 * is stopped, both statuses read and acknowledged); a PIO command moves
 * its next block or ends.  Reading the status register acknowledges the
 * device.  A channel with no command waiting for an interrupt does not
 * claim it (a shared INTx may be another device's), but if its BMDMA
 * status says it raised one, its status is read and the bit cleared, as
 * Linux's ata_sff_idle_irq() and sff_irq_check().
 * Return: IRQ_HANDLED if a channel's command took the interrupt, else IRQ_NONE.
 */
irqreturn_t ata_bmdma_interrupt(int irq, void *dev_instance);

/**
 * ata_qc_issue() - start @qc on its channel
 * @qc: a command with ap, dev, tf (and sg/n_elem/nbytes for data) set,
 *	and complete_fn
 *
 * The channel must be idle: the block queue's depth of 1 keeps block
 * commands apart, and ata_exec_internal() quiesces the block queues of
 * the channel and waits for it to be idle before it issues.  On a
 * failure to start (mapping, no BMDMA) complete_fn is called at once
 * with err_mask set.
 * Context: any; takes host->lock.
 */
void ata_qc_issue(struct ata_queued_cmd *qc);

/**
 * ata_exec_internal() - run a command without data or with one buffer, and wait
 * @dev: the device
 * @tf: the command (protocol ATA_PROT_NODATA or ATA_PROT_PIO)
 * @buf: PIO data (direct-map memory), or NULL
 * @buflen: bytes in @buf (a multiple of 512)
 * @timeout_ms: how long to wait for the interrupt
 *
 * Used for IDENTIFY DEVICE and SET FEATURES at probe time, and at any
 * time after: the command owns the channel exclusively, as Linux's EH
 * does with the SCSI host blocked.  It quiesces the block queues of both
 * devices of the channel (no new command is dispatched), waits until the
 * command in flight, if any, has ended (by its interrupt or by error
 * handling), runs, then restarts the queues.  A timeout resets the channel.
 * Context: process, may sleep.
 * Return: 0 or the AC_ERR_* mask of the failure; @tf gets the result
 * registers (status in command, error in error).
 */
unsigned int ata_exec_internal(struct ata_device *dev, struct ata_taskfile *tf, void *buf,
			       unsigned int buflen, unsigned int timeout_ms);

/**
 * ata_dev_classify() - the device class a signature says
 * @tf: taskfile read after a reset or an aborted IDENTIFY (lbam, lbah)
 * Return: ATA_DEV_ATA, ATA_DEV_ATAPI, ATA_DEV_SEMB or ATA_DEV_UNKNOWN.
 */
enum ata_dev_class ata_dev_classify(const struct ata_taskfile *tf);

#endif /* _EXO_LIBATA_H */
