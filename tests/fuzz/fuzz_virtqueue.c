// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: split virtqueues, drivers/virtio/virtio_ring.c, compiled
 * unchanged.  The fuzzer plays the device: it writes used elements and the
 * used index (right or wrong), scribbles over the descriptor table, sets
 * the suppression fields, while the driver side adds buffers of random
 * shapes, kicks, takes used buffers and toggles callbacks.  The harness
 * supplies the DMA API (identity mappings, counted).
 *
 * Input: a header byte (bits 0-2: log2 of the ring size, bit 3: indirect
 * descriptors, bit 4: event indices), then operations, one byte each plus
 * their arguments (see the switch below).
 * Checked:
 *  - add returns 0, -ENOSPC (nothing changed), -EIO (broken only) or
 *    -EINVAL; num_free never exceeds the ring size;
 *  - get_buf returns only tokens in flight, each once, with a length
 *    within the buffer's writable bytes;
 *  - once broken, the queue stays broken and returns nothing;
 *  - at the end (after the "reset"), virtqueue_detach_unused_buf() returns
 *    every token still in flight exactly once, num_free is back to the
 *    ring size and every DMA mapping was undone (ASan catches leaks).
 */
#include <exo/dma-mapping.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/page_alloc.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/virtio.h>
#include <exo/virtio_config.h>
#include <exo/virtio_ring.h>
#include <asm/hosted.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet_unless_verbose();
	FUZZ_CHECK(hosted_mm_init(NULL) == 0);
	kmem_cache_init();
	return 0;
}

/* The DMA API: identity on the direct map, every mapping counted. */
static long nr_maps;

dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page, size_t offset,
			      size_t size, enum dma_data_direction dir, unsigned long attrs)
{
	nr_maps++;
	return page_to_phys(page) + offset;
}

dma_addr_t dma_map_single_attrs(struct device *dev, void *ptr, size_t size,
				enum dma_data_direction dir, unsigned long attrs)
{
	nr_maps++;
	return virt_to_phys(ptr);
}

void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs)
{
	nr_maps--;
	FUZZ_CHECK(nr_maps >= 0);
}

void *dma_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp,
		      unsigned long attrs)
{
	void *p = kzalloc(size, gfp);

	if (p)
		*dma_handle = virt_to_phys(p);
	return p;
}

void dma_free_attrs(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_handle,
		    unsigned long attrs)
{
	kfree(cpu_addr);
}

#define MAX_TOKENS	256
#define BUF_SIZE	64

struct token {
	bool in_flight;
	u32 in_len;
};

static struct token tokens[MAX_TOKENS];
static u8 *bufs;
static struct virtio_device vdev;
static unsigned int kicks;

static bool notify(struct virtqueue *vq)
{
	kicks++;
	return true;
}

static void callback(struct virtqueue *vq)
{
}

/* Add a buffer of @nout readable and @nin writable entries as token @t. */
static void op_add(struct virtqueue *vq, struct fuzz_stream *s, unsigned int t)
{
	struct scatterlist sg[8], *sgs[8];
	unsigned int nout = fuzz_u8(s) % 4, nin = fuzz_u8(s) % 4, n = 0;
	unsigned int before = vq->num_free;
	u32 in_len = 0;
	int ret;

	for (unsigned int i = 0; i < nout + nin; i++) {
		unsigned int len = fuzz_u8(s) % BUF_SIZE + 1;

		sg_init_one(&sg[i], bufs + (t * 8 + i) * BUF_SIZE, len);
		sgs[n++] = &sg[i];
		if (i >= nout)
			in_len += len;
	}
	if (tokens[t].in_flight)
		return;
	ret = virtqueue_add_sgs(vq, sgs, nout, nin, &tokens[t], GFP_KERNEL);
	FUZZ_CHECK(ret == 0 || ret == -ENOSPC || ret == -EIO || ret == -EINVAL);
	if (ret) {
		FUZZ_CHECK(vq->num_free == before);
		FUZZ_CHECK(ret != -EIO || virtqueue_is_broken(vq));
		FUZZ_CHECK(ret != -EINVAL || !(nout + nin) || nout + nin > vq->num_max);
		return;
	}
	FUZZ_CHECK(vq->num_free < before);
	tokens[t].in_flight = true;
	tokens[t].in_len = in_len;
}

static void op_get(struct virtqueue *vq)
{
	bool broken = virtqueue_is_broken(vq);
	unsigned int len;
	struct token *tok = virtqueue_get_buf(vq, &len);

	if (!tok)
		return;
	FUZZ_CHECK(!broken);
	FUZZ_CHECK(tok >= tokens && tok < tokens + MAX_TOKENS);
	FUZZ_CHECK(tok->in_flight);
	FUZZ_CHECK(len <= tok->in_len);
	tok->in_flight = false;
}

/* The device writes a used element and moves the used index. */
static void op_use(struct virtqueue *vq, struct fuzz_stream *s, u16 *avail_seen)
{
	struct vring *vr = (struct vring *)virtqueue_get_vring(vq);
	u8 mode = fuzz_u8(s);
	u16 slot = vr->used->idx & (vr->num - 1);
	u32 id, len;

	if (mode & 0x80) {		/* arbitrary */
		id = fuzz_u32(s);
		len = fuzz_u32(s);
	} else {			/* the next avail head, a plausible length */
		id = vr->avail->ring[(*avail_seen)++ & (vr->num - 1)];
		len = fuzz_u8(s) % (BUF_SIZE * 4);
	}
	vr->used->ring[slot].id = id;
	vr->used->ring[slot].len = len;
	if (mode & 0x40)
		vr->used->idx += fuzz_u16(s);
	else
		vr->used->idx++;
}

/* A device scribbling over memory it may only read. */
static void op_scribble(struct virtqueue *vq, struct fuzz_stream *s)
{
	struct vring *vr = (struct vring *)virtqueue_get_vring(vq);
	unsigned int i = fuzz_u8(s) % vr->num;

	vr->desc[i].addr = fuzz_u64(s);
	vr->desc[i].len = fuzz_u32(s);
	vr->desc[i].flags = fuzz_u16(s);
	vr->desc[i].next = fuzz_u16(s);
}

static void run(struct virtqueue *vq, struct fuzz_stream *s)
{
	struct vring *vr = (struct vring *)virtqueue_get_vring(vq);
	u16 avail_seen = 0;
	unsigned int n = 0;

	while (fuzz_more(s) && n++ < 4096) {
		bool was_broken = virtqueue_is_broken(vq);

		switch (fuzz_u8(s) % 9) {
		case 0:
		case 1:
			op_add(vq, s, fuzz_u8(s) % MAX_TOKENS);
			break;
		case 2:
			virtqueue_kick(vq);
			break;
		case 3:
			op_use(vq, s, &avail_seen);
			break;
		case 4:
			op_get(vq);
			break;
		case 5:
			if (fuzz_u8(s) & 1)
				virtqueue_disable_cb(vq);
			else
				virtqueue_enable_cb(vq);
			break;
		case 6:
			vr->used->flags = fuzz_u16(s);
			vring_avail_event(vr) = fuzz_u16(s);
			break;
		case 7:
			op_scribble(vq, s);
			break;
		case 8:
			vring_interrupt(0, vq);
			break;
		}
		FUZZ_CHECK(vq->num_free <= vq->num_max);
		FUZZ_CHECK(!was_broken || virtqueue_is_broken(vq));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_stream s = { data, data + size };
	u8 hdr = fuzz_u8(&s);
	struct virtqueue *vq;
	struct token *tok;
	u64 mask = DMA_BIT_MASK(64);

	memset(&vdev, 0, sizeof(vdev));
	memset(tokens, 0, sizeof(tokens));
	strcpy(vdev.dev.name, "fuzz");
	INIT_LIST_HEAD(&vdev.vqs);
	vdev.dev.dma_mask = &mask;
	vdev.features = (hdr & 8 ? 1ULL << VIRTIO_RING_F_INDIRECT_DESC : 0) |
			(hdr & 16 ? 1ULL << VIRTIO_RING_F_EVENT_IDX : 0);
	bufs = kmalloc(MAX_TOKENS * 8 * BUF_SIZE, GFP_KERNEL);
	FUZZ_CHECK(bufs);
	nr_maps = 0;
	vq = vring_create_virtqueue(0, 1u << (hdr & 7), 64, &vdev, true, false, false, notify,
				    callback, "fuzz");
	FUZZ_CHECK(vq);
	run(vq, &s);
	/* The reset: every buffer still in flight comes back once. */
	while ((tok = virtqueue_detach_unused_buf(vq))) {
		FUZZ_CHECK(tok >= tokens && tok < tokens + MAX_TOKENS && tok->in_flight);
		tok->in_flight = false;
	}
	for (unsigned int i = 0; i < MAX_TOKENS; i++)
		FUZZ_CHECK(!tokens[i].in_flight);
	FUZZ_CHECK(vq->num_free == vq->num_max);
	FUZZ_CHECK(nr_maps == 0);
	vring_del_virtqueue(vq);
	kfree(bufs);
	return 0;
}
