// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the virtio core that need no device: split rings driven by a
 * fake device written here (it walks the avail ring and descriptors as a
 * device would and writes the used ring, also wrongly), configuration
 * reads under a changing generation, and the bus's status protocol and
 * feature negotiation against a fake transport.
 */
#include <exo/dma-mapping.h>
#include <exo/ktest.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/virtio.h>
#include <exo/virtio_config.h>
#include <exo/virtio_ring.h>

/* A virtio device on no bus: the rings' DMA device is itself. */
struct fake_vdev {
	struct virtio_device vdev;
	u64 dma_mask;
	unsigned int kicks;
	unsigned int callbacks;
	bool notify_fails;
};

static struct fake_vdev fake;

static bool fake_notify(struct virtqueue *vq)
{
	fake.kicks++;
	return !fake.notify_fails;
}

static void fake_callback(struct virtqueue *vq)
{
	fake.callbacks++;
}

static struct virtqueue *fake_vq(struct ktest *t, unsigned int num, u64 features)
{
	struct virtqueue *vq;

	memset(&fake, 0, sizeof(fake));
	dev_set_name(&fake.vdev.dev, "vring-test");
	INIT_LIST_HEAD(&fake.vdev.vqs);
	fake.dma_mask = DMA_BIT_MASK(64);
	fake.vdev.dev.dma_mask = &fake.dma_mask;
	fake.vdev.dev.coherent_dma_mask = DMA_BIT_MASK(64);
	fake.vdev.features = features;
	vq = vring_create_virtqueue(0, num, 64, &fake.vdev, true, false, false, fake_notify,
				    fake_callback, "test");
	KTEST_ASSERT_NOT_NULL(t, vq);
	return vq;
}

/*
 * The device side: take the next avail entry, count its descriptors and
 * writable bytes (following an indirect table), and put it in the used
 * ring with @len written (or the writable size if @len is ~0).
 * Return: the head, or -1 if nothing was available.
 */
static int dev_avail_seen;
static u16 dev_used_idx;

static int fake_dev_take(struct virtqueue *vq, unsigned int *ndesc, u32 *in_bytes)
{
	const struct vring *vr = virtqueue_get_vring(vq);
	const struct vring_desc *d = vr->desc;
	u16 head, i;

	if ((u16)dev_avail_seen == READ_ONCE(vr->avail->idx))
		return -1;
	virtio_rmb();
	head = vr->avail->ring[dev_avail_seen++ & (vr->num - 1)];
	*ndesc = 0;
	*in_bytes = 0;
	i = head;
	if (d[i].flags & VRING_DESC_F_INDIRECT) {
		/* The direct map: the test rings use the direct DMA mapping. */
		d = phys_to_virt(d[i].addr);
		i = 0;
	}
	for (;;) {
		(*ndesc)++;
		if (d[i].flags & VRING_DESC_F_WRITE)
			*in_bytes += d[i].len;
		if (!(d[i].flags & VRING_DESC_F_NEXT))
			break;
		i = d[i].next;
	}
	return head;
}

static void fake_dev_use(struct virtqueue *vq, u32 id, u32 len)
{
	const struct vring *vr = virtqueue_get_vring(vq);

	vr->used->ring[dev_used_idx & (vr->num - 1)].id = id;
	vr->used->ring[dev_used_idx & (vr->num - 1)].len = len;
	virtio_wmb();
	WRITE_ONCE(vr->used->idx, ++dev_used_idx);
}

static void fake_reset_dev(void)
{
	dev_avail_seen = 0;
	dev_used_idx = 0;
}

static u8 bufs[8][64];

/* @tok is one of the first @n buffers and was not seen before. */
static void seen_once(struct ktest *t, void *tok, unsigned int n, unsigned int *seen)
{
	unsigned int k = ((u8 (*)[64])tok) - bufs;

	KTEST_EXPECT_LT(t, k, n);
	KTEST_EXPECT_FALSE(t, *seen & (1u << k));
	*seen |= 1u << k;
}

static void test_vring_chain_roundtrip(struct ktest *t)
{
	struct virtqueue *vq = fake_vq(t, 8, 0);
	struct scatterlist out[1], in[2], *sgs[2] = { out, in };
	unsigned int ndesc, len;
	u32 in_bytes;
	int head;

	fake_reset_dev();
	sg_init_one(out, bufs[0], 16);
	sg_init_table(in, 2);
	sg_set_buf(&in[0], bufs[1], 32);
	sg_set_buf(&in[1], bufs[2], 8);
	KTEST_ASSERT_EQ(t, virtqueue_add_sgs(vq, sgs, 1, 1, bufs[0], GFP_KERNEL), 0);
	KTEST_EXPECT_EQ(t, vq->num_free, 5u);
	/* Nothing is used before the device runs. */
	KTEST_EXPECT_NULL(t, virtqueue_get_buf(vq, &len));
	KTEST_EXPECT_TRUE(t, virtqueue_kick(vq));
	KTEST_EXPECT_EQ(t, fake.kicks, 1u);
	head = fake_dev_take(vq, &ndesc, &in_bytes);
	KTEST_ASSERT_GE(t, head, 0);
	KTEST_EXPECT_EQ(t, ndesc, 3u);
	KTEST_EXPECT_EQ(t, in_bytes, 40u);
	fake_dev_use(vq, head, 40);
	KTEST_EXPECT_EQ(t, vring_interrupt(0, vq), IRQ_HANDLED);
	KTEST_EXPECT_EQ(t, fake.callbacks, 1u);
	KTEST_EXPECT_TRUE(t, virtqueue_get_buf(vq, &len) == bufs[0]);
	KTEST_EXPECT_EQ(t, len, 40u);
	KTEST_EXPECT_EQ(t, vq->num_free, 8u);
	KTEST_EXPECT_NULL(t, virtqueue_get_buf(vq, &len));
	KTEST_EXPECT_EQ(t, vring_interrupt(0, vq), IRQ_NONE);
	/* Bad buffers are refused and change nothing. */
	KTEST_EXPECT_EQ(t, virtqueue_add_sgs(vq, sgs, 1, 1, NULL, GFP_KERNEL), -EINVAL);
	KTEST_EXPECT_EQ(t, virtqueue_add_sgs(vq, sgs, 0, 0, bufs[0], GFP_KERNEL), -EINVAL);
	/* A count that disagrees with the list's end mark. */
	KTEST_EXPECT_EQ(t, virtqueue_add_inbuf(vq, in, 1, bufs[0], GFP_KERNEL), -EINVAL);
	KTEST_EXPECT_EQ(t, virtqueue_add_inbuf(vq, in, 3, bufs[0], GFP_KERNEL), -EINVAL);
	KTEST_EXPECT_EQ(t, virtqueue_add_outbuf(vq, out, 0, bufs[0], GFP_KERNEL), -EINVAL);
	KTEST_EXPECT_EQ(t, vq->num_free, 8u);
	vring_del_virtqueue(vq);
}

/* A full ring: -ENOSPC, nothing lost, every token back exactly once. */
static void test_vring_full(struct ktest *t)
{
	struct virtqueue *vq = fake_vq(t, 4, 0);
	struct scatterlist sg[2];
	unsigned int seen = 0, ndesc, len;
	u32 in_bytes;
	int head;
	void *tok;

	fake_reset_dev();
	for (unsigned int i = 0; i < 4; i++) {
		sg_init_one(sg, bufs[i], 64);
		KTEST_ASSERT_EQ(t, virtqueue_add_inbuf(vq, sg, 1, bufs[i], GFP_KERNEL), 0);
	}
	KTEST_EXPECT_EQ(t, vq->num_free, 0u);
	sg_init_one(sg, bufs[4], 64);
	KTEST_EXPECT_EQ(t, virtqueue_add_inbuf(vq, sg, 1, bufs[4], GFP_KERNEL), -ENOSPC);
	virtqueue_kick(vq);
	/* The device completes them out of order: 2, 0, 3, 1. */
	static const int order[] = { 2, 0, 3, 1 };
	int heads[4];

	for (unsigned int i = 0; i < 4; i++)
		heads[i] = fake_dev_take(vq, &ndesc, &in_bytes);
	KTEST_EXPECT_EQ(t, fake_dev_take(vq, &ndesc, &in_bytes), -1);
	fake_dev_use(vq, heads[order[0]], 1);
	KTEST_EXPECT_TRUE(t, virtqueue_get_buf(vq, &len) == bufs[order[0]]);
	/* One slot free: a chain of two still does not fit. */
	sg_init_table(sg, 2);
	sg_set_buf(&sg[0], bufs[4], 8);
	sg_set_buf(&sg[1], bufs[5], 8);
	KTEST_EXPECT_EQ(t, virtqueue_add_inbuf(vq, sg, 2, bufs[4], GFP_KERNEL), -ENOSPC);
	KTEST_EXPECT_EQ(t, vq->num_free, 1u);
	seen |= 1u << order[0];
	for (unsigned int i = 1; i < 4; i++)
		fake_dev_use(vq, heads[order[i]], 2);
	while ((tok = virtqueue_get_buf(vq, &len)))
		seen_once(t, tok, 4, &seen);
	KTEST_EXPECT_EQ(t, seen, 0xfu);
	KTEST_EXPECT_EQ(t, vq->num_free, 4u);
	/* Now the chain fits. */
	KTEST_EXPECT_EQ(t, virtqueue_add_inbuf(vq, sg, 2, bufs[4], GFP_KERNEL), 0);
	head = fake_dev_take(vq, &ndesc, &in_bytes);
	KTEST_EXPECT_EQ(t, ndesc, 2u);
	fake_dev_use(vq, head, 16);
	KTEST_EXPECT_TRUE(t, virtqueue_get_buf(vq, &len) == bufs[4]);
	vring_del_virtqueue(vq);
}

static void test_vring_indirect(struct ktest *t)
{
	struct virtqueue *vq = fake_vq(t, 4, 1ULL << VIRTIO_RING_F_INDIRECT_DESC);
	struct scatterlist out[2], in[1], *sgs[2] = { out, in };
	const struct vring *vr = virtqueue_get_vring(vq);
	unsigned int ndesc, len;
	u32 in_bytes;
	int head;

	fake_reset_dev();
	sg_init_table(out, 2);
	sg_set_buf(&out[0], bufs[0], 4);
	sg_set_buf(&out[1], bufs[1], 4);
	sg_init_one(in, bufs[2], 64);
	/* Four 3-entry buffers in a 4-entry ring: one descriptor each. */
	for (unsigned int i = 0; i < 4; i++)
		KTEST_ASSERT_EQ(t, virtqueue_add_sgs(vq, sgs, 1, 1, bufs[i], GFP_KERNEL), 0);
	KTEST_EXPECT_EQ(t, vq->num_free, 0u);
	KTEST_EXPECT_EQ(t, virtqueue_add_sgs(vq, sgs, 1, 1, bufs[4], GFP_KERNEL), -ENOSPC);
	head = fake_dev_take(vq, &ndesc, &in_bytes);
	KTEST_ASSERT_GE(t, head, 0);
	KTEST_EXPECT_EQ(t, vr->desc[head].flags, VRING_DESC_F_INDIRECT);
	KTEST_EXPECT_EQ(t, vr->desc[head].len, 3 * sizeof(struct vring_desc));
	KTEST_EXPECT_EQ(t, ndesc, 3u);
	KTEST_EXPECT_EQ(t, in_bytes, 64u);
	fake_dev_use(vq, head, 64);
	KTEST_EXPECT_TRUE(t, virtqueue_get_buf(vq, &len) == bufs[0]);
	KTEST_EXPECT_EQ(t, vq->num_free, 1u);
	/* The rest come back through a reset. */
	for (unsigned int i = 1; i < 4; i++)
		KTEST_EXPECT_TRUE(t, virtqueue_detach_unused_buf(vq) == bufs[i]);
	KTEST_EXPECT_NULL(t, virtqueue_detach_unused_buf(vq));
	KTEST_EXPECT_EQ(t, vq->num_free, 4u);
	vring_del_virtqueue(vq);
}

/* Notification suppression both ways, with and without event indices. */
static void test_vring_suppression(struct ktest *t)
{
	struct virtqueue *vq = fake_vq(t, 8, 0);
	struct vring *vr = (struct vring *)virtqueue_get_vring(vq);
	struct scatterlist sg[1];
	unsigned int len, ndesc;
	u32 in_bytes;

	fake_reset_dev();
	sg_init_one(sg, bufs[0], 8);
	vr->used->flags = VRING_USED_F_NO_NOTIFY;
	KTEST_ASSERT_EQ(t, virtqueue_add_inbuf(vq, sg, 1, bufs[0], GFP_KERNEL), 0);
	KTEST_EXPECT_FALSE(t, virtqueue_kick_prepare(vq));
	vr->used->flags = 0;
	KTEST_ASSERT_EQ(t, virtqueue_add_inbuf(vq, sg, 1, bufs[1], GFP_KERNEL), 0);
	KTEST_EXPECT_TRUE(t, virtqueue_kick_prepare(vq));
	virtqueue_disable_cb(vq);
	KTEST_EXPECT_EQ(t, vr->avail->flags, VRING_AVAIL_F_NO_INTERRUPT);
	fake_dev_use(vq, fake_dev_take(vq, &ndesc, &in_bytes), 0);
	/* A buffer used while disabled: enable_cb says so. */
	KTEST_EXPECT_FALSE(t, virtqueue_enable_cb(vq));
	KTEST_EXPECT_EQ(t, vr->avail->flags, 0);
	KTEST_EXPECT_TRUE(t, virtqueue_get_buf(vq, &len) == bufs[0]);
	KTEST_EXPECT_TRUE(t, virtqueue_enable_cb(vq));
	fake_dev_use(vq, fake_dev_take(vq, &ndesc, &in_bytes), 0);
	KTEST_EXPECT_TRUE(t, virtqueue_get_buf(vq, &len) == bufs[1]);
	vring_del_virtqueue(vq);

	/* Event indices: the device asks for a kick at avail index 2. */
	vq = fake_vq(t, 8, 1ULL << VIRTIO_RING_F_EVENT_IDX);
	vr = (struct vring *)virtqueue_get_vring(vq);
	fake_reset_dev();
	vring_avail_event(vr) = 2;
	KTEST_ASSERT_EQ(t, virtqueue_add_inbuf(vq, sg, 1, bufs[0], GFP_KERNEL), 0);
	KTEST_EXPECT_FALSE(t, virtqueue_kick_prepare(vq));	/* 0 -> 1 */
	KTEST_ASSERT_EQ(t, virtqueue_add_inbuf(vq, sg, 1, bufs[1], GFP_KERNEL), 0);
	KTEST_EXPECT_FALSE(t, virtqueue_kick_prepare(vq));	/* 1 -> 2 */
	KTEST_ASSERT_EQ(t, virtqueue_add_inbuf(vq, sg, 1, bufs[2], GFP_KERNEL), 0);
	KTEST_ASSERT_EQ(t, virtqueue_add_inbuf(vq, sg, 1, bufs[3], GFP_KERNEL), 0);
	KTEST_EXPECT_TRUE(t, virtqueue_kick_prepare(vq));	/* 2 -> 4 crosses 2 */
	/* The driver asks for an interrupt at the next used index. */
	for (unsigned int i = 0; i < 4; i++)
		fake_dev_use(vq, fake_dev_take(vq, &ndesc, &in_bytes), 0);
	KTEST_EXPECT_TRUE(t, virtqueue_get_buf(vq, &len) == bufs[0]);
	KTEST_EXPECT_EQ(t, vring_used_event(vr), 1);
	while (virtqueue_get_buf(vq, &len))
		;
	KTEST_EXPECT_EQ(t, vring_used_event(vr), 4);
	virtqueue_disable_cb(vq);
	KTEST_EXPECT_EQ(t, vr->avail->flags, 0);	/* the flag is not used with events */
	virtqueue_enable_cb_prepare(vq);
	KTEST_EXPECT_EQ(t, vring_used_event(vr), 4);
	KTEST_EXPECT_TRUE(t, vring_need_event(2, 3, 2));
	KTEST_EXPECT_FALSE(t, vring_need_event(3, 3, 2));
	KTEST_EXPECT_TRUE(t, vring_need_event(0xffff, 1, 0xfffe));	/* wraps */
	vring_del_virtqueue(vq);
}

/*
 * A device that lies: each lie breaks the queue, is logged, and the
 * buffers in flight come back exactly once through detach.
 */
enum lie { LIE_ID_RANGE, LIE_ID_NOT_IN_FLIGHT, LIE_LEN, LIE_IDX };

static void vring_lie(struct ktest *t, enum lie lie)
{
	struct virtqueue *vq = fake_vq(t, 4, 0);
	const struct vring *vr = virtqueue_get_vring(vq);
	struct scatterlist sg[1];
	unsigned int ndesc, len, seen = 0;
	u32 in_bytes;
	void *tok;
	int head;

	fake_reset_dev();
	for (unsigned int i = 0; i < 2; i++) {
		sg_init_one(sg, bufs[i], 32);
		KTEST_ASSERT_EQ(t, virtqueue_add_inbuf(vq, sg, 1, bufs[i], GFP_KERNEL), 0);
	}
	virtqueue_kick(vq);
	head = fake_dev_take(vq, &ndesc, &in_bytes);
	switch (lie) {
	case LIE_ID_RANGE:
		fake_dev_use(vq, 4, 0);
		break;
	case LIE_ID_NOT_IN_FLIGHT:
		fake_dev_use(vq, 3, 0);
		break;
	case LIE_LEN:
		fake_dev_use(vq, head, 33);
		break;
	case LIE_IDX:
		WRITE_ONCE(vr->used->idx, 5);
		break;
	}
	KTEST_EXPECT_NULL(t, virtqueue_get_buf(vq, &len));
	KTEST_EXPECT_TRUE(t, virtqueue_is_broken(vq));
	KTEST_EXPECT_NULL(t, virtqueue_get_buf(vq, &len));
	sg_init_one(sg, bufs[2], 32);
	KTEST_EXPECT_EQ(t, virtqueue_add_inbuf(vq, sg, 1, bufs[2], GFP_KERNEL), -EIO);
	KTEST_EXPECT_FALSE(t, virtqueue_kick(vq));
	/* An interrupt of a broken queue calls nobody. */
	fake.callbacks = 0;
	vring_interrupt(0, vq);
	KTEST_EXPECT_EQ(t, fake.callbacks, 0u);
	while ((tok = virtqueue_detach_unused_buf(vq)))
		seen_once(t, tok, 2, &seen);
	KTEST_EXPECT_EQ(t, seen, 3u);
	KTEST_EXPECT_EQ(t, vq->num_free, 4u);
	vring_del_virtqueue(vq);
}

static void test_vring_device_errors(struct ktest *t)
{
	vring_lie(t, LIE_ID_RANGE);
	vring_lie(t, LIE_ID_NOT_IN_FLIGHT);
	vring_lie(t, LIE_LEN);
	vring_lie(t, LIE_IDX);
}

static void test_vring_create_bad(struct ktest *t)
{
	fake_vq(t, 2, 0);	/* sets the fake device up */
	vring_del_virtqueue(list_first_entry(&fake.vdev.vqs, struct virtqueue, list));
	KTEST_EXPECT_NULL(t, vring_create_virtqueue(0, 3, 64, &fake.vdev, true, false, false,
						    fake_notify, NULL, "bad"));
	KTEST_EXPECT_NULL(t, vring_create_virtqueue(0, 0, 64, &fake.vdev, true, false, false,
						    fake_notify, NULL, "bad"));
	KTEST_EXPECT_NULL(t, vring_create_virtqueue(0, 65536, 64, &fake.vdev, true, false,
						    false, fake_notify, NULL, "bad"));
	KTEST_EXPECT_NULL(t, vring_create_virtqueue(0, 8, 48, &fake.vdev, true, false, false,
						    fake_notify, NULL, "bad"));
	KTEST_EXPECT_TRUE(t, list_empty(&fake.vdev.vqs));
}

/* A transport kick that fails breaks the queue. */
static void test_vring_notify_fails(struct ktest *t)
{
	struct virtqueue *vq = fake_vq(t, 2, 0);
	struct scatterlist sg[1];

	sg_init_one(sg, bufs[0], 8);
	KTEST_ASSERT_EQ(t, virtqueue_add_outbuf(vq, sg, 1, bufs[0], GFP_KERNEL), 0);
	fake.notify_fails = true;
	KTEST_EXPECT_FALSE(t, virtqueue_kick(vq));
	KTEST_EXPECT_TRUE(t, virtqueue_is_broken(vq));
	KTEST_EXPECT_TRUE(t, virtqueue_detach_unused_buf(vq) == bufs[0]);
	vring_del_virtqueue(vq);
}

static struct ktest_case vring_cases[] = {
	KTEST_CASE(test_vring_chain_roundtrip),
	KTEST_CASE(test_vring_full),
	KTEST_CASE(test_vring_indirect),
	KTEST_CASE(test_vring_suppression),
	KTEST_CASE(test_vring_device_errors),
	KTEST_CASE(test_vring_create_bad),
	KTEST_CASE(test_vring_notify_fails),
	{}
};

static struct ktest_suite vring_suite = {
	.name = "virtio_ring",
	.cases = vring_cases,
};
KTEST_SUITE(vring_suite);
