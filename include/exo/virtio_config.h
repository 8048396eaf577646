/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The transport interface of a virtio device (struct virtio_config_ops),
 * status and feature bits, and configuration-space access for drivers.
 *
 * A read of the device's configuration space may straddle a change the
 * device makes to it; the device bumps a generation counter for each
 * change, and virtio_cread*() retry until the generation is the same
 * before and after the read, as the spec requires (section 2.5.1).
 */
#ifndef _EXO_VIRTIO_CONFIG_H
#define _EXO_VIRTIO_CONFIG_H

#include <exo/bug.h>
#include <exo/err.h>
#include <exo/kernel.h>
#include <exo/virtio.h>

/* Device status (section 2.1). */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE	1	/* a driver noticed the device */
#define VIRTIO_CONFIG_S_DRIVER		2	/* a driver knows how to drive it */
#define VIRTIO_CONFIG_S_DRIVER_OK	4	/* the driver is ready */
#define VIRTIO_CONFIG_S_FEATURES_OK	8	/* feature negotiation is complete */
#define VIRTIO_CONFIG_S_NEEDS_RESET	0x40	/* the device hit an error */
#define VIRTIO_CONFIG_S_FAILED		0x80	/* the driver gave up */

/* Transport feature bits 28..38 (section 6). */
#define VIRTIO_TRANSPORT_F_START	28
#define VIRTIO_TRANSPORT_F_END		41
#define VIRTIO_RING_F_INDIRECT_DESC	28
#define VIRTIO_RING_F_EVENT_IDX		29
#define VIRTIO_F_VERSION_1		32
#define VIRTIO_F_ACCESS_PLATFORM	33
#define VIRTIO_F_RING_PACKED		34
#define VIRTIO_F_IN_ORDER		35
#define VIRTIO_F_ORDER_PLATFORM		36
#define VIRTIO_F_SR_IOV			37
#define VIRTIO_F_NOTIFICATION_DATA	38

/* Most generation changes a configuration read waits out. */
#define VIRTIO_CONFIG_RETRIES		64

typedef void vq_callback_t(struct virtqueue *);

/**
 * struct virtio_config_ops - what a transport provides
 * @get: read @len bytes of device configuration at @offset
 * @set: write them
 * @generation: the configuration generation counter
 * @get_status: read the status byte
 * @set_status: write it (never 0: use @reset)
 * @reset: reset the device and wait until it has
 * @find_vqs: create @nvqs queues (a NULL @names[i] skips queue i) and
 *	their interrupts; 0 or -errno, nothing left allocated on error
 * @del_vqs: free them (after a reset)
 * @get_features: the device's feature bits
 * @finalize_features: write vdev->features to the device
 * @bus_name: the transport device's name
 */
struct virtio_config_ops {
	void (*get)(struct virtio_device *vdev, unsigned int offset, void *buf, unsigned int len);
	void (*set)(struct virtio_device *vdev, unsigned int offset, const void *buf,
		    unsigned int len);
	u32 (*generation)(struct virtio_device *vdev);
	u8 (*get_status)(struct virtio_device *vdev);
	void (*set_status)(struct virtio_device *vdev, u8 status);
	void (*reset)(struct virtio_device *vdev);
	int (*find_vqs)(struct virtio_device *vdev, unsigned int nvqs, struct virtqueue *vqs[],
			vq_callback_t *callbacks[], const char * const names[]);
	void (*del_vqs)(struct virtio_device *vdev);
	u64 (*get_features)(struct virtio_device *vdev);
	int (*finalize_features)(struct virtio_device *vdev);
	const char *(*bus_name)(struct virtio_device *vdev);
};

/**
 * __virtio_test_bit() - is feature @fbit negotiated (or, before
 * negotiation ends, offered and kept)?
 */
static inline bool __virtio_test_bit(const struct virtio_device *vdev, unsigned int fbit)
{
	return fbit < 64 && (vdev->features & (1ULL << fbit));
}

/** __virtio_set_bit() - set feature @fbit (transports, validate) */
static inline void __virtio_set_bit(struct virtio_device *vdev, unsigned int fbit)
{
	if (fbit < 64)
		vdev->features |= (1ULL << fbit);
}

/** __virtio_clear_bit() - clear feature @fbit (a driver's validate) */
static inline void __virtio_clear_bit(struct virtio_device *vdev, unsigned int fbit)
{
	if (fbit < 64)
		vdev->features &= ~(1ULL << fbit);
}

/** virtio_has_feature() - was feature @fbit negotiated? */
static inline bool virtio_has_feature(const struct virtio_device *vdev, unsigned int fbit)
{
	return __virtio_test_bit(vdev, fbit);
}

/**
 * virtio_find_vqs() - create @nvqs queues through the transport
 * Return: as config->find_vqs().
 */
static inline int virtio_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
				  struct virtqueue *vqs[], vq_callback_t *callbacks[],
				  const char * const names[])
{
	return vdev->config->find_vqs(vdev, nvqs, vqs, callbacks, names);
}

/**
 * virtio_find_single_vq() - create one queue
 * Return: the queue or an ERR_PTR().
 */
static inline struct virtqueue *virtio_find_single_vq(struct virtio_device *vdev,
						      vq_callback_t *c, const char *n)
{
	vq_callback_t *callbacks[] = { c };
	const char *names[] = { n };
	struct virtqueue *vq;
	int err = virtio_find_vqs(vdev, 1, &vq, callbacks, names);

	if (err < 0)
		return ERR_PTR(err);
	return vq;
}

/**
 * virtio_cread_bytes() - read @len bytes of configuration at @offset,
 * consistently: the read is repeated while the generation changes under
 * it (at most VIRTIO_CONFIG_RETRIES times; then the last read is kept
 * and a line logged)
 * Context: any (the transport reads registers).
 */
void virtio_cread_bytes(struct virtio_device *vdev, unsigned int offset, void *buf, size_t len);

/**
 * virtio_cwrite_bytes() - write @len bytes of configuration at @offset
 */
void virtio_cwrite_bytes(struct virtio_device *vdev, unsigned int offset, const void *buf,
			 size_t len);

/* One little-endian field of @size bytes (x86 is little-endian too). */
static inline u64 __virtio_cread_n(struct virtio_device *vdev, unsigned int offset, size_t size)
{
	u64 v = 0;

	virtio_cread_bytes(vdev, offset, &v, size);
	return v;
}

#define virtio_cread8(vdev, offset)	((u8)__virtio_cread_n(vdev, offset, 1))
#define virtio_cread16(vdev, offset)	((u16)__virtio_cread_n(vdev, offset, 2))
#define virtio_cread32(vdev, offset)	((u32)__virtio_cread_n(vdev, offset, 4))
#define virtio_cread64(vdev, offset)	__virtio_cread_n(vdev, offset, 8)

/*
 * virtio_cread(vdev, struct virtio_blk_config, capacity, &cap): read one
 * member of the device's configuration structure.
 */
#define virtio_cread(vdev, structname, member, ptr)			\
	virtio_cread_bytes(vdev, __builtin_offsetof(structname, member), ptr,	\
			   sizeof(((structname *)0)->member))

#define virtio_cwrite(vdev, structname, member, ptr)			\
	virtio_cwrite_bytes(vdev, __builtin_offsetof(structname, member), ptr,	\
			    sizeof(((structname *)0)->member))

#endif /* _EXO_VIRTIO_CONFIG_H */
