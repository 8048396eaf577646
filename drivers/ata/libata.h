/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libata internals shared by libata-core.c (probe, block glue, error
 * handling) and libata-sff.c (taskfile registers, the PIO state machine,
 * bus-master DMA, the interrupt handler).
 */
#ifndef _DRIVERS_ATA_LIBATA_H
#define _DRIVERS_ATA_LIBATA_H

#include <exo/libata.h>
#include <exo/printk.h>

/* Device control: bit 3 is obsolete and set by convention, as Linux does. */
#define ATA_DEVCTL_OBS		0x08

#define ata_port_err(ap, fmt, ...) \
	pr_err("ata%u: " fmt, (ap)->print_id, ##__VA_ARGS__)
#define ata_port_info(ap, fmt, ...) \
	pr_info("ata%u: " fmt, (ap)->print_id, ##__VA_ARGS__)
#define ata_dev_err(dev, fmt, ...) \
	pr_err("ata%u.%02u: " fmt, (dev)->ap->print_id, (dev)->devno, ##__VA_ARGS__)
#define ata_dev_info(dev, fmt, ...) \
	pr_info("ata%u.%02u: " fmt, (dev)->ap->print_id, (dev)->devno, ##__VA_ARGS__)

/* libata-sff.c */
u8 ata_sff_check_status(struct ata_port *ap);
u8 ata_sff_altstatus(struct ata_port *ap);
void ata_sff_dev_select(struct ata_port *ap, unsigned int devno);
void ata_sff_tf_read(struct ata_port *ap, struct ata_taskfile *tf);
bool ata_sff_devchk(struct ata_port *ap, unsigned int devno);
int ata_sff_softreset(struct ata_port *ap);
void ata_sff_set_nien(struct ata_port *ap, bool off);
void ata_sff_timeout(struct timer_list *t);
void ata_eh_work(struct work_struct *work);

/* libata-core.c */
extern unsigned int ata_timeout_ms;
bool ata_inject(unsigned int *counter);
extern unsigned int ata_eh_test_timeout;
extern unsigned int ata_eh_test_error;
void ata_qc_done(struct ata_queued_cmd *qc);

#endif /* _DRIVERS_ATA_LIBATA_H */
