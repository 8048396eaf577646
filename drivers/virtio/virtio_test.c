// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the virtio bus against a fake transport: matching on the
 * device ID, the status protocol around probe and remove (ACKNOWLEDGE,
 * DRIVER, FEATURES_OK read back, DRIVER_OK; FAILED on error; reset on
 * remove), feature negotiation, and configuration reads retried while the
 * generation changes.
 */
#include <exo/ktest.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/virtio.h>
#include <exo/virtio_config.h>

struct ftrans {
	struct virtio_device vdev;
	u8 status;
	u8 status_log[8];
	unsigned int nlog;
	u64 offered;
	u64 written;
	bool refuse_features;
	unsigned int resets;
	u32 gen;
	unsigned int gen_bumps;		/* bump the generation on this many reads */
	u8 cfg[16];
	bool released;
};

#define to_ft(v)	container_of(v, struct ftrans, vdev)

static void ft_get(struct virtio_device *vdev, unsigned int off, void *buf, unsigned int len)
{
	struct ftrans *ft = to_ft(vdev);

	memcpy(buf, ft->cfg + off, len);
	if (ft->gen_bumps) {
		ft->gen_bumps--;
		ft->gen++;
		/* The device changes the field while it is read. */
		ft->cfg[off] ^= 0xff;
	}
}

static void ft_set(struct virtio_device *vdev, unsigned int off, const void *buf,
		   unsigned int len)
{
	memcpy(to_ft(vdev)->cfg + off, buf, len);
}

static u32 ft_generation(struct virtio_device *vdev)
{
	return to_ft(vdev)->gen;
}

static u8 ft_get_status(struct virtio_device *vdev)
{
	return to_ft(vdev)->status;
}

static void ft_set_status(struct virtio_device *vdev, u8 status)
{
	struct ftrans *ft = to_ft(vdev);

	if (ft->refuse_features)
		status &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	ft->status = status;
	if (ft->nlog < ARRAY_SIZE(ft->status_log))
		ft->status_log[ft->nlog++] = status;
}

static void ft_reset(struct virtio_device *vdev)
{
	struct ftrans *ft = to_ft(vdev);

	ft->status = 0;
	ft->resets++;
}

static u64 ft_get_features(struct virtio_device *vdev)
{
	return to_ft(vdev)->offered;
}

static int ft_finalize(struct virtio_device *vdev)
{
	to_ft(vdev)->written = vdev->features;
	return 0;
}

static const struct virtio_config_ops ft_ops = {
	.get = ft_get,
	.set = ft_set,
	.generation = ft_generation,
	.get_status = ft_get_status,
	.set_status = ft_set_status,
	.reset = ft_reset,
	.get_features = ft_get_features,
	.finalize_features = ft_finalize,
};

static void ft_release(struct device *dev)
{
	to_ft(dev_to_virtio(dev))->released = true;
}

static unsigned int probes, removes;
static int probe_ret;

static int td_probe(struct virtio_device *vdev)
{
	probes++;
	return probe_ret;
}

static void td_remove(struct virtio_device *vdev)
{
	removes++;
	virtio_reset_device(vdev);
}

#define TEST_VIRTIO_ID	0xfe00
static const unsigned int td_features[] = { 0, 3 };
static const struct virtio_device_id td_ids[] = {
	{ TEST_VIRTIO_ID, VIRTIO_DEV_ANY_ID },
	{ 0 },
};
static struct virtio_driver td_driver = {
	.driver.name = "virtio_test",
	.id_table = td_ids,
	.feature_table = td_features,
	.feature_table_size = ARRAY_SIZE(td_features),
	.probe = td_probe,
	.remove = td_remove,
};

static struct ftrans ft;

static void ft_setup(u32 id, u64 offered)
{
	memset(&ft, 0, sizeof(ft));
	ft.vdev.id.device = id;
	ft.vdev.id.vendor = 0x1af4;
	ft.vdev.config = &ft_ops;
	ft.vdev.dev.release = ft_release;
	ft.offered = offered;
	probes = removes = 0;
	probe_ret = 0;
}

/*
 * Unregister the fake device and wait (bounded) for its release: another
 * holder, such as the device model's module autoload work, may keep a
 * reference a little longer, and ft is set up again for the next step.
 */
static void ft_unregister(struct ktest *t)
{
	u64 end = ktime_get_ns() + 2 * NSEC_PER_SEC;

	unregister_virtio_device(&ft.vdev);
	while (!READ_ONCE(ft.released) && ktime_get_ns() < end)
		msleep(1);
	KTEST_EXPECT_TRUE(t, READ_ONCE(ft.released));
}

#define V1	(1ULL << VIRTIO_F_VERSION_1)

static void test_virtio_bus_probe_remove(struct ktest *t)
{
	static const u8 want[] = { VIRTIO_CONFIG_S_ACKNOWLEDGE,
		VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER,
		VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK,
		VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
		VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK };

	KTEST_ASSERT_EQ(t, register_virtio_driver(&td_driver), 0);
	/* Offered: 0, 1, 3, INDIRECT, VERSION_1, RING_PACKED; kept: 0, 3, INDIRECT, V1. */
	ft_setup(TEST_VIRTIO_ID, 0xbULL | (1ULL << VIRTIO_RING_F_INDIRECT_DESC) | V1 |
		 (1ULL << VIRTIO_F_RING_PACKED));
	KTEST_ASSERT_EQ(t, register_virtio_device(&ft.vdev), 0);
	KTEST_EXPECT_EQ(t, probes, 1u);
	KTEST_EXPECT_TRUE(t, ft.vdev.dev.driver == &td_driver.driver);
	KTEST_EXPECT_EQ(t, ft.resets, 1u);
	KTEST_EXPECT_EQ(t, ft.nlog, ARRAY_SIZE(want));
	for (unsigned int i = 0; i < ARRAY_SIZE(want) && i < ft.nlog; i++)
		KTEST_EXPECT_EQ(t, ft.status_log[i], want[i]);
	KTEST_EXPECT_EQ(t, ft.written,
			0x9ULL | (1ULL << VIRTIO_RING_F_INDIRECT_DESC) | V1);
	KTEST_EXPECT_TRUE(t, virtio_has_feature(&ft.vdev, 3));
	KTEST_EXPECT_FALSE(t, virtio_has_feature(&ft.vdev, 1));
	KTEST_EXPECT_FALSE(t, virtio_has_feature(&ft.vdev, VIRTIO_F_RING_PACKED));
	ft_unregister(t);
	KTEST_EXPECT_EQ(t, removes, 1u);
	KTEST_EXPECT_EQ(t, ft.resets, 2u);
	KTEST_EXPECT_TRUE(t, ft.released);
	unregister_virtio_driver(&td_driver);
}

static void test_virtio_bus_refusals(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, register_virtio_driver(&td_driver), 0);
	/* Another device ID: no probe. */
	ft_setup(TEST_VIRTIO_ID + 1, V1);
	KTEST_ASSERT_EQ(t, register_virtio_device(&ft.vdev), 0);
	KTEST_EXPECT_EQ(t, probes, 0u);
	KTEST_EXPECT_NULL(t, ft.vdev.dev.driver);
	ft_unregister(t);
	/* No VERSION_1: legacy, refused before the driver sees it. */
	ft_setup(TEST_VIRTIO_ID, 0x9);
	KTEST_ASSERT_EQ(t, register_virtio_device(&ft.vdev), 0);
	KTEST_EXPECT_EQ(t, probes, 0u);
	KTEST_EXPECT_TRUE(t, ft.status & VIRTIO_CONFIG_S_FAILED);
	KTEST_EXPECT_TRUE(t, ft.vdev.failed);
	ft_unregister(t);
	/* FEATURES_OK does not stick. */
	ft_setup(TEST_VIRTIO_ID, V1);
	ft.refuse_features = true;
	KTEST_ASSERT_EQ(t, register_virtio_device(&ft.vdev), 0);
	KTEST_EXPECT_EQ(t, probes, 0u);
	KTEST_EXPECT_TRUE(t, ft.status & VIRTIO_CONFIG_S_FAILED);
	ft_unregister(t);
	/* The driver's probe fails: FAILED, unbound. */
	ft_setup(TEST_VIRTIO_ID, V1);
	probe_ret = -EIO;
	KTEST_ASSERT_EQ(t, register_virtio_device(&ft.vdev), 0);
	KTEST_EXPECT_EQ(t, probes, 1u);
	KTEST_EXPECT_NULL(t, ft.vdev.dev.driver);
	KTEST_EXPECT_TRUE(t, ft.status & VIRTIO_CONFIG_S_FAILED);
	KTEST_EXPECT_FALSE(t, ft.status & VIRTIO_CONFIG_S_DRIVER_OK);
	/* Later it works: a retry binds and clears the failure. */
	probe_ret = 0;
	KTEST_EXPECT_EQ(t, device_attach(&ft.vdev.dev), 1);
	KTEST_EXPECT_TRUE(t, ft.status & VIRTIO_CONFIG_S_DRIVER_OK);
	KTEST_EXPECT_FALSE(t, ft.vdev.failed);
	ft_unregister(t);
	unregister_virtio_driver(&td_driver);
	/* A driver without remove is refused. */
	td_driver.remove = NULL;
	KTEST_EXPECT_EQ(t, register_virtio_driver(&td_driver), -EINVAL);
	td_driver.remove = td_remove;
}

static void test_virtio_cread_generation(struct ktest *t)
{
	u32 v;

	ft_setup(TEST_VIRTIO_ID, V1);
	memcpy(ft.cfg, "\x11\x22\x33\x44", 4);
	/* Changes under three reads, then stable: the stable value is read. */
	ft.gen_bumps = 3;
	v = virtio_cread32(&ft.vdev, 0);
	KTEST_EXPECT_EQ(t, ft.gen_bumps, 0u);
	{
		u32 now;

		memcpy(&now, ft.cfg, 4);
		KTEST_EXPECT_EQ(t, v, now);
	}
	/* Changing forever: bounded, logged, returns. */
	ft.gen_bumps = 1000;
	virtio_cread_bytes(&ft.vdev, 0, &v, 4);
	KTEST_EXPECT_EQ(t, ft.gen_bumps, 1000u - VIRTIO_CONFIG_RETRIES);
	ft.gen_bumps = 0;
	v = 0xcafef00d;
	virtio_cwrite_bytes(&ft.vdev, 4, &v, 4);
	KTEST_EXPECT_EQ(t, virtio_cread32(&ft.vdev, 4), 0xcafef00du);
	KTEST_EXPECT_EQ(t, virtio_cread8(&ft.vdev, 4), 0x0du);
	KTEST_EXPECT_EQ(t, virtio_cread16(&ft.vdev, 6), 0xcafeu);
}

static struct ktest_case virtio_cases[] = {
	KTEST_CASE(test_virtio_bus_probe_remove),
	KTEST_CASE(test_virtio_bus_refusals),
	KTEST_CASE(test_virtio_cread_generation),
	{}
};

static struct ktest_suite virtio_suite = {
	.name = "virtio",
	.cases = virtio_cases,
};
KTEST_SUITE(virtio_suite);
