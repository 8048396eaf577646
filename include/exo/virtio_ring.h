/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Split virtqueues (virtio 1.x section 2.7): the layout shared with the
 * device, and the calls a transport uses to create and drive a ring.
 *
 * Every field is little-endian on the wire; x86 is the only architecture,
 * so the types are plain integers.  Memory the device reads or writes is
 * touched through READ_ONCE()/WRITE_ONCE() and the barriers below.
 */
#ifndef _EXO_VIRTIO_RING_H
#define _EXO_VIRTIO_RING_H

#include <exo/atomic.h>
#include <exo/compiler.h>
#include <exo/irqreturn.h>
#include <exo/scatterlist.h>
#include <exo/types.h>

#define VRING_DESC_F_NEXT	1	/* the chain continues in .next */
#define VRING_DESC_F_WRITE	2	/* device writes (else reads) the buffer */
#define VRING_DESC_F_INDIRECT	4	/* the buffer is a table of descriptors */

#define VRING_USED_F_NO_NOTIFY		1	/* device: do not kick me */
#define VRING_AVAIL_F_NO_INTERRUPT	1	/* driver: do not interrupt me */

/* Largest split ring the driver builds (the spec's limit). */
#define VRING_MAX_NUM		32768

struct vring_desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};

struct vring_avail {
	u16 flags;
	u16 idx;
	u16 ring[];
	/* u16 used_event after ring[num] (VIRTIO_RING_F_EVENT_IDX) */
};

struct vring_used_elem {
	u32 id;		/* head of the completed chain */
	u32 len;	/* bytes the device wrote into it */
};

struct vring_used {
	u16 flags;
	u16 idx;
	struct vring_used_elem ring[];
	/* u16 avail_event after ring[num] (VIRTIO_RING_F_EVENT_IDX) */
};

struct vring {
	unsigned int num;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
};

/* The event index fields sit just past each ring. */
#define vring_used_event(vr)	((vr)->avail->ring[(vr)->num])
#define vring_avail_event(vr)	(*(u16 *)&(vr)->used->ring[(vr)->num])

/*
 * Barriers between the driver and the device.  The device is another
 * agent reading and writing normal cacheable memory (QEMU's I/O thread or
 * vCPU, or real hardware through coherent DMA), so SMP barriers are the
 * right strength: on x86 stores are not reordered with older stores nor
 * loads with older loads, so virtio_wmb()/virtio_rmb() only stop the
 * compiler, while virtio_mb() orders a store before a later load, which
 * x86 does reorder, and is a real fence.
 */
#define virtio_mb()	smp_mb()
#define virtio_rmb()	smp_rmb()
#define virtio_wmb()	smp_wmb()

/**
 * vring_size() - bytes a split ring of @num entries needs, the used ring
 * starting at an @align boundary
 */
static inline size_t vring_size(unsigned int num, unsigned long align)
{
	size_t sz = sizeof(struct vring_desc) * num + sizeof(u16) * (3 + num);

	sz = (sz + align - 1) & ~(align - 1);
	return sz + sizeof(u16) * 3 + sizeof(struct vring_used_elem) * num;
}

/**
 * vring_init() - lay a ring of @num entries out at @p (vring_size() bytes)
 */
static inline void vring_init(struct vring *vr, unsigned int num, void *p, unsigned long align)
{
	vr->num = num;
	vr->desc = p;
	vr->avail = (struct vring_avail *)((u8 *)p + num * sizeof(struct vring_desc));
	vr->used = (void *)(((unsigned long)&vr->avail->ring[num] + sizeof(u16) + align - 1) &
			    ~(align - 1));
}

/**
 * vring_need_event() - must the other side be notified?
 * @event_idx: the index it asked to be notified at (used_event/avail_event)
 * @new_idx: the index after this batch
 * @old: the index before it
 *
 * True when @event_idx lies in [@old, @new_idx), modulo 2^16: the batch
 * crossed the point the other side waits for.
 */
static inline bool vring_need_event(u16 event_idx, u16 new_idx, u16 old)
{
	return (u16)(new_idx - event_idx - 1) < (u16)(new_idx - old);
}

struct virtio_device;
struct virtqueue;

/**
 * vring_create_virtqueue() - allocate a split ring in coherent DMA memory
 * @index: the queue's index on the device
 * @num: entries wanted (a power of 2, at most VRING_MAX_NUM)
 * @vring_align: alignment of the used ring
 * @vdev: the device; its parent is the DMA device
 * @weak_barriers: accepted for Linux's signature; the barriers are always
 *	the SMP ones (see virtio_mb())
 * @may_reduce_num: halve @num until the allocation succeeds
 * @context: must be false (no per-buffer context)
 * @notify: the transport's kick; returns false if the device is gone
 * @callback: called from vring_interrupt() when buffers were used, or NULL
 * @name: for messages
 *
 * The ring starts with every descriptor free and, if @vdev negotiated
 * them, indirect descriptors and event indices in use.
 * Context: may sleep.
 * Return: the queue, or NULL (logged) for a bad @num or no memory.
 */
struct virtqueue *vring_create_virtqueue(unsigned int index, unsigned int num,
					 unsigned int vring_align, struct virtio_device *vdev,
					 bool weak_barriers, bool may_reduce_num, bool context,
					 bool (*notify)(struct virtqueue *vq),
					 void (*callback)(struct virtqueue *vq), const char *name);

/**
 * vring_del_virtqueue() - free a queue vring_create_virtqueue() made
 * @vq: the queue; the device must be reset first (it no longer uses it),
 *	and buffers still in it reclaimed with virtqueue_detach_unused_buf()
 */
void vring_del_virtqueue(struct virtqueue *vq);

/**
 * vring_interrupt() - the queue's interrupt handler
 * @irq: unused
 * @vq: the queue (a struct virtqueue *)
 *
 * Context: hard interrupt.
 * Return: IRQ_NONE if nothing new is in the used ring, else IRQ_HANDLED
 * after the callback ran (a broken queue's callback is not called).
 */
irqreturn_t vring_interrupt(int irq, void *vq);

/** virtqueue_get_desc_addr() - bus address of the descriptor table */
dma_addr_t virtqueue_get_desc_addr(struct virtqueue *vq);

/** virtqueue_get_avail_addr() - bus address of the driver (available) ring */
dma_addr_t virtqueue_get_avail_addr(struct virtqueue *vq);

/** virtqueue_get_used_addr() - bus address of the device (used) ring */
dma_addr_t virtqueue_get_used_addr(struct virtqueue *vq);

/**
 * virtqueue_get_vring() - the ring's layout (tests and fake devices)
 */
const struct vring *virtqueue_get_vring(struct virtqueue *vq);

#endif /* _EXO_VIRTIO_RING_H */
