// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-rng (virtio 1.x section 5.4): one queue; the driver offers a
 * buffer, the device fills it with entropy and returns it.  One request
 * is in flight at a time, into a buffer of the device's own; a read takes
 * bytes from the last filled buffer and, when it is empty, submits it
 * again.  A request the device does not complete in time fails the read
 * with -ETIMEDOUT and stays in flight: the next read waits for it again,
 * and remove() reclaims it after the reset.
 */
#define pr_fmt(fmt) "virtio_rng: " fmt

#include <exo/completion.h>
#include <exo/errno.h>
#include <exo/hw_random.h>
#include <exo/jiffies.h>
#include <exo/module.h>
#include <exo/scatterlist.h>
#include <exo/slab.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/virtio.h>
#include <exo/virtio_config.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Exo-OS");
MODULE_DESCRIPTION("virtio random number generator");

#define VIRTRNG_BUF_SIZE	64
#define VIRTRNG_TIMEOUT_MS	2000

struct virtrng_info {
	struct hwrng hwrng;
	struct virtqueue *vq;
	struct virtio_device *vdev;
	spinlock_t lock;		/* vq against the interrupt */
	struct completion have_data;
	char name[24];
	bool busy;			/* a request is in flight */
	unsigned int data_avail;	/* bytes the device filled */
	unsigned int data_idx;		/* bytes of them already handed out */
	u8 *data;			/* VIRTRNG_BUF_SIZE, kmalloc: DMA-able */
};

static void random_recv_done(struct virtqueue *vq)
{
	struct virtrng_info *vi = vq->vdev->priv;
	unsigned long flags;
	unsigned int len;

	spin_lock_irqsave(&vi->lock, flags);
	if (virtqueue_get_buf(vi->vq, &len)) {
		vi->data_avail = len;
		vi->data_idx = 0;
		vi->busy = false;
		complete(&vi->have_data);
	}
	spin_unlock_irqrestore(&vi->lock, flags);
}

/* Offer the buffer to the device; vi->lock held.  Return: 0 or -errno. */
static int request_entropy(struct virtrng_info *vi)
{
	struct scatterlist sg;
	int ret;

	reinit_completion(&vi->have_data);
	sg_init_one(&sg, vi->data, VIRTRNG_BUF_SIZE);
	ret = virtqueue_add_inbuf(vi->vq, &sg, 1, vi->data, GFP_ATOMIC);
	if (ret)
		return ret;
	vi->busy = true;
	if (!virtqueue_kick(vi->vq))
		return -EIO;
	return 0;
}

static int virtio_read(struct hwrng *rng, void *buf, size_t size, bool wait)
{
	struct virtrng_info *vi = (struct virtrng_info *)rng->priv;
	unsigned long flags;
	unsigned int n;
	int ret = 0;

	spin_lock_irqsave(&vi->lock, flags);
	if (vi->data_idx == vi->data_avail && !vi->busy)
		ret = request_entropy(vi);
	spin_unlock_irqrestore(&vi->lock, flags);
	if (ret) {
		dev_err(&vi->vdev->dev, "cannot queue a request: %d\n", ret);
		return ret;
	}
	if (vi->data_idx == vi->data_avail) {
		if (!wait)
			return 0;
		if (!wait_for_completion_timeout(&vi->have_data,
						 msecs_to_jiffies(VIRTRNG_TIMEOUT_MS))) {
			dev_err(&vi->vdev->dev, "request timed out\n");
			return -ETIMEDOUT;
		}
	}
	spin_lock_irqsave(&vi->lock, flags);
	if (virtqueue_is_broken(vi->vq)) {
		ret = -EIO;
	} else {
		n = min_t(unsigned int, size, vi->data_avail - vi->data_idx);
		memcpy(buf, vi->data + vi->data_idx, n);
		vi->data_idx += n;
		ret = n;
	}
	spin_unlock_irqrestore(&vi->lock, flags);
	return ret;
}

static int virtrng_probe(struct virtio_device *vdev)
{
	struct virtrng_info *vi;
	int ret;

	vi = devm_kzalloc(&vdev->dev, sizeof(*vi), GFP_KERNEL);
	if (!vi)
		return -ENOMEM;
	vi->data = kmalloc(VIRTRNG_BUF_SIZE, GFP_KERNEL);
	if (!vi->data)
		return -ENOMEM;
	spin_lock_init(&vi->lock);
	init_completion(&vi->have_data);
	vi->vdev = vdev;
	vdev->priv = vi;
	vi->vq = virtio_find_single_vq(vdev, random_recv_done, "input");
	if (IS_ERR(vi->vq)) {
		ret = PTR_ERR(vi->vq);
		kfree(vi->data);
		return ret;
	}
	snprintf(vi->name, sizeof(vi->name), "virtio_rng.%d", vdev->index);
	vi->hwrng.name = vi->name;
	vi->hwrng.read = virtio_read;
	vi->hwrng.priv = (unsigned long)vi;
	vi->hwrng.quality = 1000;
	/* The device must be live before the core's first read. */
	virtio_device_ready(vdev);
	ret = hwrng_register(&vi->hwrng);
	if (ret) {
		virtio_reset_device(vdev);
		vdev->config->del_vqs(vdev);
		kfree(vi->data);
	}
	return ret;
}

static void virtrng_remove(struct virtio_device *vdev)
{
	struct virtrng_info *vi = vdev->priv;

	/* No read uses the device once this returns. */
	hwrng_unregister(&vi->hwrng);
	virtio_reset_device(vdev);
	while (virtqueue_detach_unused_buf(vi->vq))
		;
	vdev->config->del_vqs(vdev);
	kfree(vi->data);
}

static const struct virtio_device_id id_table[] = {
	{ VIRTIO_ID_RNG, VIRTIO_DEV_ANY_ID },
	{ 0 },
};
MODULE_DEVICE_TABLE(virtio, id_table);

static struct virtio_driver virtio_rng_driver = {
	.driver.name = "virtio_rng",
	.id_table = id_table,
	.probe = virtrng_probe,
	.remove = virtrng_remove,
};
module_virtio_driver(virtio_rng_driver);
