/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the virtio-pci transport: the register layout of the
 * modern interface (virtio 1.x section 4.1.4) and the state shared by
 * virtio_pci_modern.c (capabilities, configuration) and
 * virtio_pci_common.c (queues and interrupts).
 */
#ifndef _DRIVERS_VIRTIO_VIRTIO_PCI_H
#define _DRIVERS_VIRTIO_VIRTIO_PCI_H

#include <exo/pci.h>
#include <exo/virtio.h>
#include <exo/virtio_config.h>

#define VIRTIO_PCI_VENDOR		0x1af4

/* struct virtio_pci_cap, in PCI configuration space. */
#define VIRTIO_PCI_CAP_LEN		2
#define VIRTIO_PCI_CAP_CFG_TYPE		3
#define VIRTIO_PCI_CAP_BAR		4
#define VIRTIO_PCI_CAP_OFFSET		8
#define VIRTIO_PCI_CAP_LENGTH		12
#define VIRTIO_PCI_CAP_SIZE		16
#define VIRTIO_PCI_NOTIFY_CAP_MULT	16	/* notify capability only */

#define VIRTIO_PCI_CAP_COMMON_CFG	1
#define VIRTIO_PCI_CAP_NOTIFY_CFG	2
#define VIRTIO_PCI_CAP_ISR_CFG		3
#define VIRTIO_PCI_CAP_DEVICE_CFG	4
#define VIRTIO_PCI_CAP_PCI_CFG		5

/* struct virtio_pci_common_cfg. */
#define VIRTIO_PCI_COMMON_DFSELECT	0x00
#define VIRTIO_PCI_COMMON_DF		0x04
#define VIRTIO_PCI_COMMON_GFSELECT	0x08
#define VIRTIO_PCI_COMMON_GF		0x0c
#define VIRTIO_PCI_COMMON_MSIX		0x10
#define VIRTIO_PCI_COMMON_NUMQ		0x12
#define VIRTIO_PCI_COMMON_STATUS	0x14
#define VIRTIO_PCI_COMMON_CFGGENERATION	0x15
#define VIRTIO_PCI_COMMON_Q_SELECT	0x16
#define VIRTIO_PCI_COMMON_Q_SIZE	0x18
#define VIRTIO_PCI_COMMON_Q_MSIX	0x1a
#define VIRTIO_PCI_COMMON_Q_ENABLE	0x1c
#define VIRTIO_PCI_COMMON_Q_NOFF	0x1e
#define VIRTIO_PCI_COMMON_Q_DESCLO	0x20
#define VIRTIO_PCI_COMMON_Q_DESCHI	0x24
#define VIRTIO_PCI_COMMON_Q_AVAILLO	0x28
#define VIRTIO_PCI_COMMON_Q_AVAILHI	0x2c
#define VIRTIO_PCI_COMMON_Q_USEDLO	0x30
#define VIRTIO_PCI_COMMON_Q_USEDHI	0x34
#define VIRTIO_PCI_COMMON_SIZE		0x38

#define VIRTIO_PCI_ISR_QUEUE		0x1
#define VIRTIO_PCI_ISR_CONFIG		0x2

#define VIRTIO_MSI_NO_VECTOR		0xffff

/* Alignment of the used ring: a cache line, as Linux uses. */
#define VP_VRING_ALIGN			64
#define VP_RESET_TIMEOUT_NS		(1000ULL * 1000 * 1000)
#define VP_MAX_VQS			64

/* A capability's window into a BAR. */
struct vp_window {
	u8 pos, bar;
	u32 offset, length;
};

/**
 * struct virtio_pci_device - one virtio-pci function
 * @vdev: the device on the virtio bus
 * @pci_dev: the PCI function
 * @common: common configuration registers
 * @isr: the ISR status byte (reading acknowledges INTx)
 * @device: device-specific configuration, or NULL
 * @device_len: its size
 * @notify_base: start of the notification window
 * @notify_len: its size
 * @notify_off_multiplier: bytes between two queue_notify_off steps
 * @vqs: the queues find_vqs() created (NULL where skipped)
 * @nvqs: entries in @vqs
 * @nvecs: interrupt vectors allocated (0: none)
 * @msix: MSI-X is used (else INTx)
 * @per_vq_vectors: vector 1 + i serves queue i (else vector 1 all of them)
 * @intx_irq: the INTx IRQ requested, 0 if none
 * @config_irq: the MSI-X configuration IRQ requested, 0 if none
 * @shared_irq: the MSI-X IRQ the queues share, 0 if none
 * @vq_irq: per queue, its own MSI-X IRQ requested, 0 if none
 * @notify_addr: per queue, where its notifications are written
 */
struct virtio_pci_device {
	struct virtio_device vdev;
	struct pci_dev *pci_dev;
	void __iomem *common;
	void __iomem *isr;
	void __iomem *device;
	size_t device_len;
	void __iomem *notify_base;
	size_t notify_len;
	u32 notify_off_multiplier;
	struct virtqueue **vqs;
	unsigned int nvqs;
	unsigned int nvecs;
	bool msix;
	bool per_vq_vectors;
	unsigned int intx_irq;
	unsigned int config_irq;
	unsigned int shared_irq;
	unsigned int vq_irq[VP_MAX_VQS];
	void __iomem *notify_addr[VP_MAX_VQS];
};

/* Test knobs: make the next find_vqs() use INTx, or shared MSI-X vectors. */
extern bool virtio_pci_force_intx;
extern bool virtio_pci_force_shared;

int vp_find_vqs(struct virtio_device *vdev, unsigned int nvqs, struct virtqueue *vqs[],
		vq_callback_t *callbacks[], const char * const names[]);
void vp_del_vqs(struct virtio_device *vdev);

#endif /* _DRIVERS_VIRTIO_VIRTIO_PCI_H */
