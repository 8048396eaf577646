// SPDX-License-Identifier: GPL-2.0
/*
 * Split virtqueues (virtio 1.x section 2.7).
 *
 * The driver owns the descriptor table and the available ring; the device
 * owns the used ring.  The device can write anything into the used ring,
 * so nothing read from it is trusted: the id of a used element must name
 * the head of a chain in flight, its length must fit the chain's writable
 * part, and the used index may not run ahead by more than the ring size.
 * A violation marks the queue broken; the buffers in it stay in flight
 * until virtqueue_detach_unused_buf() reclaims them after the reset, so
 * none is returned twice or lost.  The chain structure (next links,
 * mappings, lengths) is kept in driver-private memory (desc_extra), never
 * read back from the descriptor table the device can see.
 *
 * Ordering (the barriers in <exo/virtio_ring.h>):
 *  - descriptors, then the avail ring entry, then avail->idx: the device
 *    may read a descriptor as soon as it sees the index (virtio_wmb());
 *  - avail->idx, then the read of the device's notification suppression
 *    (used->flags or avail_event): a store then a load, so virtio_mb(),
 *    or the device could decide not to look while we decide not to kick;
 *  - used->idx, then the used element it covers (virtio_rmb());
 *  - re-enabling interrupts (avail->flags or used_event), then re-reading
 *    used->idx: again store then load, virtio_mb(), or a buffer used in
 *    between raises no interrupt and nobody looks.
 * Calls on one queue are serialised by the caller (the driver's lock), as
 * in Linux; vring_interrupt() runs concurrently with them only to read.
 */
#define pr_fmt(fmt) "virtio_ring: " fmt

#include <exo/dma-mapping.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/virtio.h>
#include <exo/virtio_config.h>
#include <exo/virtio_ring.h>

/* What the driver remembers of each descriptor, out of the device's reach. */
struct vring_desc_extra {
	dma_addr_t addr;
	u32 len;
	u16 flags;
	u16 next;
};

/* Per chain head: the caller's token and what the device may write. */
struct vring_desc_state {
	void *data;			/* NULL: not in flight */
	struct vring_desc *indir_desc;	/* the indirect table, or NULL */
	u32 in_len;			/* bytes of writable buffers in the chain */
};

struct vring_virtqueue {
	struct virtqueue vq;
	struct vring vring;
	struct device *dma_dev;
	void *queue;
	dma_addr_t queue_dma;
	size_t queue_size;
	bool indirect;			/* VIRTIO_RING_F_INDIRECT_DESC */
	bool event;			/* VIRTIO_RING_F_EVENT_IDX */
	bool broken;
	unsigned int free_head;		/* first free descriptor (desc_extra chain) */
	unsigned int num_added;		/* added since the last kick_prepare */
	u16 last_used_idx;		/* next used element to look at */
	u16 avail_flags_shadow;		/* what we last wrote to avail->flags */
	u16 avail_idx_shadow;		/* what we will publish as avail->idx */
	bool (*notify)(struct virtqueue *vq);
	struct vring_desc_state *desc_state;
	struct vring_desc_extra *desc_extra;
};

#define to_vvq(_vq)	container_of(_vq, struct vring_virtqueue, vq)

/* Log once per queue and stop using it: the device cannot be trusted. */
#define BAD_RING(vq, fmt, ...) do {					\
	dev_err(&(vq)->vq.vdev->dev, "%s: " fmt, (vq)->vq.name, ##__VA_ARGS__); \
	(vq)->broken = true;						\
} while (0)

static dma_addr_t vring_map_one_sg(struct vring_virtqueue *vq, struct scatterlist *sg,
				   enum dma_data_direction dir)
{
	return dma_map_page(vq->dma_dev, sg_page(sg), sg->offset, sg->length, dir);
}

static void vring_unmap_one(struct vring_virtqueue *vq, const struct vring_desc_extra *ex)
{
	if (ex->flags & VRING_DESC_F_INDIRECT)
		dma_unmap_single(vq->dma_dev, ex->addr, ex->len, DMA_TO_DEVICE);
	else
		dma_unmap_page(vq->dma_dev, ex->addr, ex->len,
			       ex->flags & VRING_DESC_F_WRITE ? DMA_FROM_DEVICE : DMA_TO_DEVICE);
}

/*
 * An indirect table, with the driver's private copy of each entry right
 * after it (same reasons as desc_extra).
 */
static struct vring_desc *alloc_indirect(unsigned int total, gfp_t gfp)
{
	return kmalloc(total * (sizeof(struct vring_desc) + sizeof(struct vring_desc_extra)), gfp);
}

static struct vring_desc_extra *indirect_extra(struct vring_desc *desc, unsigned int total)
{
	return (struct vring_desc_extra *)(desc + total);
}

/*
 * Write one descriptor: the device-visible copy and the private one.
 * Return: the index of the next descriptor in the chain.
 */
static unsigned int fill_desc(struct vring_desc *desc, struct vring_desc_extra *ex,
			      unsigned int i, dma_addr_t addr, u32 len, u16 flags, u16 next)
{
	WRITE_ONCE(desc[i].addr, addr);
	WRITE_ONCE(desc[i].len, len);
	WRITE_ONCE(desc[i].flags, flags);
	WRITE_ONCE(desc[i].next, next);
	ex[i].addr = addr;
	ex[i].len = len;
	ex[i].flags = flags;
	return next;
}

/*
 * Map the scatterlists into @desc/@ex starting at @head, following the
 * next links of @ex (the free chain) or, for an indirect table (@ex's
 * next set up by the caller), consecutive entries.
 * Return: entries mapped (all of them), or -ENOMEM with @*mapped set to
 * how many succeeded, for the caller to unmap.
 */
static int map_sgs(struct vring_virtqueue *vq, struct vring_desc *desc,
		   struct vring_desc_extra *ex, unsigned int head, struct scatterlist *sgs[],
		   unsigned int out_sgs, unsigned int in_sgs, unsigned int total,
		   unsigned int *mapped, u32 *in_len, unsigned int *last)
{
	unsigned int i = head, n = 0, prev = head;

	*in_len = 0;
	for (unsigned int s = 0; s < out_sgs + in_sgs; s++) {
		bool in = s >= out_sgs;

		for (struct scatterlist *sg = sgs[s]; sg; sg = sg_next(sg)) {
			dma_addr_t addr = vring_map_one_sg(vq, sg, in ? DMA_FROM_DEVICE : DMA_TO_DEVICE);
			u16 flags = (in ? VRING_DESC_F_WRITE : 0) |
				    (n + 1 < total ? VRING_DESC_F_NEXT : 0);

			if (dma_mapping_error(vq->dma_dev, addr)) {
				*mapped = n;
				return -ENOMEM;
			}
			if (in)
				*in_len += sg->length;
			prev = i;
			i = fill_desc(desc, ex, i, addr, sg->length, flags, ex[i].next);
			n++;
		}
	}
	*mapped = n;
	*last = prev;
	return n;
}

/* Unmap the first @n entries of a chain starting at @head. */
static void unmap_chain(struct vring_virtqueue *vq, struct vring_desc_extra *ex,
			unsigned int head, unsigned int n)
{
	for (unsigned int i = head; n--; i = ex[i].next)
		vring_unmap_one(vq, &ex[i]);
}

static unsigned int count_sgs(struct scatterlist *sgs[], unsigned int nsgs)
{
	unsigned int total = 0;

	for (unsigned int s = 0; s < nsgs; s++)
		for (struct scatterlist *sg = sgs[s]; sg; sg = sg_next(sg))
			total++;
	return total;
}

/*
 * Put the @total entries into one indirect descriptor at @head.
 * Return: 0, -ENOMEM (nothing left mapped or allocated).
 */
static int add_indirect(struct vring_virtqueue *vq, unsigned int head,
			struct scatterlist *sgs[], unsigned int out_sgs, unsigned int in_sgs,
			unsigned int total, gfp_t gfp)
{
	struct vring_desc *desc = alloc_indirect(total, gfp);
	struct vring_desc_extra *ex;
	unsigned int mapped, last;
	dma_addr_t addr;
	u32 in_len;

	if (!desc)
		return -ENOMEM;
	ex = indirect_extra(desc, total);
	for (unsigned int i = 0; i < total; i++)
		ex[i].next = i + 1;
	if (map_sgs(vq, desc, ex, 0, sgs, out_sgs, in_sgs, total, &mapped, &in_len, &last) < 0)
		goto unmap;
	addr = dma_map_single(vq->dma_dev, desc, total * sizeof(*desc), DMA_TO_DEVICE);
	if (dma_mapping_error(vq->dma_dev, addr))
		goto unmap;
	fill_desc(vq->vring.desc, vq->desc_extra, head, addr, total * sizeof(*desc),
		  VRING_DESC_F_INDIRECT, vq->desc_extra[head].next);
	vq->desc_state[head].indir_desc = desc;
	vq->desc_state[head].in_len = in_len;
	return 0;
unmap:
	unmap_chain(vq, ex, 0, mapped);
	kfree(desc);
	return -ENOMEM;
}

/* Publish chain @head in the avail ring (seen by the device at the kick). */
static void publish_avail(struct vring_virtqueue *vq, unsigned int head)
{
	unsigned int slot = vq->avail_idx_shadow & (vq->vring.num - 1);

	WRITE_ONCE(vq->vring.avail->ring[slot], head);
	/* The descriptors and the ring entry before the index that covers them. */
	virtio_wmb();
	vq->avail_idx_shadow++;
	WRITE_ONCE(vq->vring.avail->idx, vq->avail_idx_shadow);
	vq->num_added++;
}

int virtqueue_add_sgs(struct virtqueue *_vq, struct scatterlist *sgs[], unsigned int out_sgs,
		      unsigned int in_sgs, void *data, gfp_t gfp)
{
	struct vring_virtqueue *vq = to_vvq(_vq);
	unsigned int total = count_sgs(sgs, out_sgs + in_sgs), head = vq->free_head;
	unsigned int mapped, last, used_descs;
	u32 in_len;

	if (vq->broken)
		return -EIO;
	if (!data || !total || total > vq->vring.num) {
		dev_err(&_vq->vdev->dev, "%s: bad buffer (%u entries, data %p)\n", _vq->name,
			total, data);
		return -EINVAL;
	}
	if (total > 1 && vq->indirect) {
		if (!vq->vq.num_free)
			return -ENOSPC;
		/* Without memory for a table, fall back to a chain. */
		if (!add_indirect(vq, head, sgs, out_sgs, in_sgs, total, gfp)) {
			used_descs = 1;
			vq->free_head = vq->desc_extra[head].next;
			goto publish;
		}
	}
	if (vq->vq.num_free < total)
		return -ENOSPC;
	if (map_sgs(vq, vq->vring.desc, vq->desc_extra, head, sgs, out_sgs, in_sgs, total,
		    &mapped, &in_len, &last) < 0) {
		unmap_chain(vq, vq->desc_extra, head, mapped);
		return -ENOMEM;
	}
	used_descs = total;
	vq->desc_state[head].indir_desc = NULL;
	vq->desc_state[head].in_len = in_len;
	vq->free_head = vq->desc_extra[last].next;
publish:
	vq->vq.num_free -= used_descs;
	vq->desc_state[head].data = data;
	publish_avail(vq, head);
	return 0;
}
EXPORT_SYMBOL_GPL(virtqueue_add_sgs);

/* One list of @num entries (Linux requires its end mark there), in or out. */
static int vring_add_list(struct virtqueue *vq, struct scatterlist *sg, unsigned int num,
			  bool in, void *data, gfp_t gfp)
{
	if (!num || sg_nents(sg) != (int)num) {
		dev_err(&vq->vdev->dev, "%s: %u entries announced, the list has %d\n", vq->name,
			num, sg_nents(sg));
		return -EINVAL;
	}
	return virtqueue_add_sgs(vq, &sg, !in, in, data, gfp);
}

int virtqueue_add_outbuf(struct virtqueue *vq, struct scatterlist sg[], unsigned int num,
			 void *data, gfp_t gfp)
{
	return vring_add_list(vq, sg, num, false, data, gfp);
}
EXPORT_SYMBOL_GPL(virtqueue_add_outbuf);

int virtqueue_add_inbuf(struct virtqueue *vq, struct scatterlist sg[], unsigned int num,
			void *data, gfp_t gfp)
{
	return vring_add_list(vq, sg, num, true, data, gfp);
}
EXPORT_SYMBOL_GPL(virtqueue_add_inbuf);

bool virtqueue_kick_prepare(struct virtqueue *_vq)
{
	struct vring_virtqueue *vq = to_vvq(_vq);
	u16 new, old;
	bool needs;

	/* avail->idx is stored; the suppression state must be read after it. */
	virtio_mb();
	old = vq->avail_idx_shadow - vq->num_added;
	new = vq->avail_idx_shadow;
	vq->num_added = 0;
	if (vq->event)
		needs = vring_need_event(READ_ONCE(vring_avail_event(&vq->vring)), new, old);
	else
		needs = !(READ_ONCE(vq->vring.used->flags) & VRING_USED_F_NO_NOTIFY);
	return needs;
}
EXPORT_SYMBOL_GPL(virtqueue_kick_prepare);

bool virtqueue_notify(struct virtqueue *_vq)
{
	struct vring_virtqueue *vq = to_vvq(_vq);

	if (vq->broken)
		return false;
	if (!vq->notify(_vq)) {
		vq->broken = true;
		return false;
	}
	return true;
}
EXPORT_SYMBOL_GPL(virtqueue_notify);

bool virtqueue_kick(struct virtqueue *vq)
{
	if (virtqueue_kick_prepare(vq))
		return virtqueue_notify(vq);
	return !to_vvq(vq)->broken;
}
EXPORT_SYMBOL_GPL(virtqueue_kick);

/* Unmap and free chain @head; its descriptors go back on the free list. */
static void detach_buf(struct vring_virtqueue *vq, unsigned int head)
{
	struct vring_desc_state *st = &vq->desc_state[head];
	struct vring_desc_extra *ex = vq->desc_extra;
	unsigned int i = head, n = 1;

	st->data = NULL;
	while (ex[i].flags & VRING_DESC_F_NEXT) {
		vring_unmap_one(vq, &ex[i]);
		i = ex[i].next;
		n++;
	}
	vring_unmap_one(vq, &ex[i]);
	ex[i].next = vq->free_head;
	vq->free_head = head;
	vq->vq.num_free += n;
	if (st->indir_desc) {
		unsigned int total = ex[head].len / sizeof(struct vring_desc);
		struct vring_desc_extra *iex = indirect_extra(st->indir_desc, total);

		for (unsigned int j = 0; j < total; j++)
			vring_unmap_one(vq, &iex[j]);
		kfree(st->indir_desc);
		st->indir_desc = NULL;
	}
}

static bool more_used(const struct vring_virtqueue *vq)
{
	return vq->last_used_idx != READ_ONCE(vq->vring.used->idx);
}

void *virtqueue_get_buf(struct virtqueue *_vq, unsigned int *len)
{
	struct vring_virtqueue *vq = to_vvq(_vq);
	u16 used_idx, slot;
	u32 id, l;
	void *ret;

	if (vq->broken)
		return NULL;
	used_idx = READ_ONCE(vq->vring.used->idx);
	if (used_idx == vq->last_used_idx)
		return NULL;
	if ((u16)(used_idx - vq->last_used_idx) > vq->vring.num) {
		BAD_RING(vq, "used index %u ran %u ahead of %u (ring of %u)\n", used_idx,
			 (u16)(used_idx - vq->last_used_idx), vq->last_used_idx, vq->vring.num);
		return NULL;
	}
	/* The element is read only after the index that says it is written. */
	virtio_rmb();
	slot = vq->last_used_idx & (vq->vring.num - 1);
	id = READ_ONCE(vq->vring.used->ring[slot].id);
	l = READ_ONCE(vq->vring.used->ring[slot].len);
	if (id >= vq->vring.num) {
		BAD_RING(vq, "used id %u out of range (ring of %u)\n", id, vq->vring.num);
		return NULL;
	}
	ret = vq->desc_state[id].data;
	if (!ret) {
		BAD_RING(vq, "used id %u is not in flight\n", id);
		return NULL;
	}
	if (l > vq->desc_state[id].in_len) {
		BAD_RING(vq, "used length %u of id %u beyond its %u writable bytes\n", l, id,
			 vq->desc_state[id].in_len);
		return NULL;
	}
	detach_buf(vq, id);
	vq->last_used_idx++;
	/*
	 * With interrupts wanted, ask for the next one: the device reads
	 * used_event after it updates used->idx.
	 */
	if (vq->event && !(vq->avail_flags_shadow & VRING_AVAIL_F_NO_INTERRUPT))
		WRITE_ONCE(vring_used_event(&vq->vring), vq->last_used_idx);
	if (len)
		*len = l;
	return ret;
}
EXPORT_SYMBOL_GPL(virtqueue_get_buf);

void virtqueue_disable_cb(struct virtqueue *_vq)
{
	struct vring_virtqueue *vq = to_vvq(_vq);

	if (vq->avail_flags_shadow & VRING_AVAIL_F_NO_INTERRUPT)
		return;
	vq->avail_flags_shadow |= VRING_AVAIL_F_NO_INTERRUPT;
	/* With event indices the device ignores the flag: used_event rules. */
	if (!vq->event)
		WRITE_ONCE(vq->vring.avail->flags, vq->avail_flags_shadow);
}
EXPORT_SYMBOL_GPL(virtqueue_disable_cb);

unsigned int virtqueue_enable_cb_prepare(struct virtqueue *_vq)
{
	struct vring_virtqueue *vq = to_vvq(_vq);

	if (vq->avail_flags_shadow & VRING_AVAIL_F_NO_INTERRUPT) {
		vq->avail_flags_shadow &= ~VRING_AVAIL_F_NO_INTERRUPT;
		if (!vq->event)
			WRITE_ONCE(vq->vring.avail->flags, vq->avail_flags_shadow);
	}
	if (vq->event)
		WRITE_ONCE(vring_used_event(&vq->vring), vq->last_used_idx);
	return vq->last_used_idx;
}
EXPORT_SYMBOL_GPL(virtqueue_enable_cb_prepare);

bool virtqueue_poll(struct virtqueue *_vq, unsigned int last_used_idx)
{
	struct vring_virtqueue *vq = to_vvq(_vq);

	if (vq->broken)
		return false;
	/* Interrupts were re-enabled by a store; used->idx must be read after it. */
	virtio_mb();
	return (u16)last_used_idx != READ_ONCE(vq->vring.used->idx);
}
EXPORT_SYMBOL_GPL(virtqueue_poll);

bool virtqueue_enable_cb(struct virtqueue *vq)
{
	return !virtqueue_poll(vq, virtqueue_enable_cb_prepare(vq));
}
EXPORT_SYMBOL_GPL(virtqueue_enable_cb);

void *virtqueue_detach_unused_buf(struct virtqueue *_vq)
{
	struct vring_virtqueue *vq = to_vvq(_vq);

	for (unsigned int i = 0; i < vq->vring.num; i++) {
		void *data = vq->desc_state[i].data;

		if (!data)
			continue;
		detach_buf(vq, i);
		/* Gone from the ring for good: the avail entry is stale. */
		vq->avail_idx_shadow--;
		WRITE_ONCE(vq->vring.avail->idx, vq->avail_idx_shadow);
		return data;
	}
	return NULL;
}
EXPORT_SYMBOL_GPL(virtqueue_detach_unused_buf);

irqreturn_t vring_interrupt(int irq, void *_vq)
{
	struct vring_virtqueue *vq = to_vvq((struct virtqueue *)_vq);

	if (!more_used(vq))
		return IRQ_NONE;
	if (vq->broken)
		return IRQ_HANDLED;
	if (vq->vq.callback)
		vq->vq.callback(&vq->vq);
	return IRQ_HANDLED;
}
EXPORT_SYMBOL_GPL(vring_interrupt);

unsigned int virtqueue_get_vring_size(const struct virtqueue *vq)
{
	return to_vvq(vq)->vring.num;
}
EXPORT_SYMBOL_GPL(virtqueue_get_vring_size);

bool virtqueue_is_broken(const struct virtqueue *vq)
{
	return READ_ONCE(to_vvq(vq)->broken);
}
EXPORT_SYMBOL_GPL(virtqueue_is_broken);

void virtqueue_dump(struct virtqueue *_vq)
{
	struct vring_virtqueue *vq = to_vvq(_vq);
	unsigned int in_flight = 0;
	u16 used = READ_ONCE(vq->vring.used->idx);

	for (unsigned int i = 0; i < vq->vring.num; i++)
		in_flight += vq->desc_state[i].data != NULL;
	dev_err(&_vq->vdev->dev,
		"%s: avail %u, used %u, last used %u, %u in flight, %u added unkicked; "
		"used_event %u, avail_event %u, avail flags %#x, used flags %#x%s%s\n",
		_vq->name, vq->avail_idx_shadow, used, vq->last_used_idx, in_flight,
		vq->num_added, READ_ONCE(vring_used_event(&vq->vring)),
		READ_ONCE(vring_avail_event(&vq->vring)), vq->avail_flags_shadow,
		READ_ONCE(vq->vring.used->flags),
		used != vq->last_used_idx ? " (used buffers not yet seen)" : "",
		vq->broken ? " (broken)" : "");
}
EXPORT_SYMBOL_GPL(virtqueue_dump);

void virtio_break_device(struct virtio_device *dev)
{
	struct virtqueue *vq;

	list_for_each_entry(vq, &dev->vqs, list)
		WRITE_ONCE(to_vvq(vq)->broken, true);
}
EXPORT_SYMBOL_GPL(virtio_break_device);

dma_addr_t virtqueue_get_desc_addr(struct virtqueue *vq)
{
	return to_vvq(vq)->queue_dma;
}
EXPORT_SYMBOL_GPL(virtqueue_get_desc_addr);

dma_addr_t virtqueue_get_avail_addr(struct virtqueue *_vq)
{
	struct vring_virtqueue *vq = to_vvq(_vq);

	return vq->queue_dma + ((u8 *)vq->vring.avail - (u8 *)vq->queue);
}
EXPORT_SYMBOL_GPL(virtqueue_get_avail_addr);

dma_addr_t virtqueue_get_used_addr(struct virtqueue *_vq)
{
	struct vring_virtqueue *vq = to_vvq(_vq);

	return vq->queue_dma + ((u8 *)vq->vring.used - (u8 *)vq->queue);
}
EXPORT_SYMBOL_GPL(virtqueue_get_used_addr);

const struct vring *virtqueue_get_vring(struct virtqueue *vq)
{
	return &to_vvq(vq)->vring;
}
EXPORT_SYMBOL_GPL(virtqueue_get_vring);

static struct device *vring_dma_dev(struct virtio_device *vdev)
{
	return vdev->dev.parent ? vdev->dev.parent : &vdev->dev;
}

/* The ring memory: @num entries, halved while allocation fails if allowed. */
static int vring_alloc_queue(struct vring_virtqueue *vq, unsigned int num,
			     unsigned int align, bool may_reduce_num)
{
	for (; num; num /= 2) {
		vq->queue_size = vring_size(num, align);
		vq->queue = dma_alloc_coherent(vq->dma_dev, vq->queue_size, &vq->queue_dma,
					       GFP_KERNEL);
		if (vq->queue)
			break;
		if (!may_reduce_num)
			return -ENOMEM;
	}
	if (!vq->queue)
		return -ENOMEM;
	memset(vq->queue, 0, vq->queue_size);
	vring_init(&vq->vring, num, vq->queue, align);
	return 0;
}

struct virtqueue *vring_create_virtqueue(unsigned int index, unsigned int num,
					 unsigned int vring_align, struct virtio_device *vdev,
					 bool weak_barriers, bool may_reduce_num, bool context,
					 bool (*notify)(struct virtqueue *vq),
					 void (*callback)(struct virtqueue *vq), const char *name)
{
	struct vring_virtqueue *vq;

	if (!num || num > VRING_MAX_NUM || (num & (num - 1)) || context ||
	    !vring_align || (vring_align & (vring_align - 1))) {
		dev_err(&vdev->dev, "%s: cannot build a ring of %u (align %u%s)\n", name, num,
			vring_align, context ? ", context" : "");
		return NULL;
	}
	vq = kzalloc(sizeof(*vq), GFP_KERNEL);
	if (!vq)
		return NULL;
	vq->dma_dev = vring_dma_dev(vdev);
	if (vring_alloc_queue(vq, num, vring_align, may_reduce_num))
		goto free_vq;
	num = vq->vring.num;
	vq->desc_state = kcalloc(num, sizeof(*vq->desc_state), GFP_KERNEL);
	vq->desc_extra = kcalloc(num, sizeof(*vq->desc_extra), GFP_KERNEL);
	if (!vq->desc_state || !vq->desc_extra)
		goto free_all;
	for (unsigned int i = 0; i < num - 1; i++)
		vq->desc_extra[i].next = i + 1;
	vq->vq.callback = callback;
	vq->vq.name = name;
	vq->vq.vdev = vdev;
	vq->vq.index = index;
	vq->vq.num_free = num;
	vq->vq.num_max = num;
	vq->notify = notify;
	vq->indirect = virtio_has_feature(vdev, VIRTIO_RING_F_INDIRECT_DESC);
	vq->event = virtio_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX);
	/* No callback: ask for no interrupts. */
	if (!callback) {
		vq->avail_flags_shadow |= VRING_AVAIL_F_NO_INTERRUPT;
		if (!vq->event)
			WRITE_ONCE(vq->vring.avail->flags, vq->avail_flags_shadow);
	}
	list_add_tail(&vq->vq.list, &vdev->vqs);
	return &vq->vq;
free_all:
	kfree(vq->desc_state);
	kfree(vq->desc_extra);
	dma_free_coherent(vq->dma_dev, vq->queue_size, vq->queue, vq->queue_dma);
free_vq:
	dev_err(&vdev->dev, "%s: no memory for a ring of %u\n", name, num);
	kfree(vq);
	return NULL;
}
EXPORT_SYMBOL_GPL(vring_create_virtqueue);

void vring_del_virtqueue(struct virtqueue *_vq)
{
	struct vring_virtqueue *vq = to_vvq(_vq);

	if (vq->vq.num_free != vq->vring.num)
		dev_warn(&_vq->vdev->dev, "%s: deleted with %u descriptors in use\n", _vq->name,
			 vq->vring.num - vq->vq.num_free);
	list_del(&_vq->list);
	dma_free_coherent(vq->dma_dev, vq->queue_size, vq->queue, vq->queue_dma);
	kfree(vq->desc_state);
	kfree(vq->desc_extra);
	kfree(vq);
}
EXPORT_SYMBOL_GPL(vring_del_virtqueue);
