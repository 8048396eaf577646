// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end tests of virtio-pci and virtio-rng on QEMU's virtio-rng-pci
 * (scripts/qemu-common.sh adds it to the default devices): the device is
 * found through its modern capabilities, bound to virtio-rng (built in or
 * virtio-rng.ko loaded at boot), and reads through the hwrng core work
 * from several CPUs at once, under each interrupt layout (MSI-X per
 * queue, MSI-X shared, INTx), and across unbind/rebind without a leak.
 * Skipped where there is no such device (Bochs).
 */
#include <exo/hw_random.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/page_alloc.h>
#include <exo/pci.h>
#include <exo/pgtable.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/virtio.h>
#include "virtio_pci.h"

static struct pci_dev *rng_pdev;

static int vpt_init(struct ktest *t)
{
	struct pci_dev *p = NULL;

	/* Transitional (0x1005) on pc, modern (0x1044) with disable-legacy. */
	while ((p = pci_get_device(VIRTIO_PCI_VENDOR, PCI_ANY_ID, p)))
		if (p->device == 0x1044 || (p->device == 0x1005 && p->subsystem_device == 4))
			break;
	rng_pdev = p;
	return 0;
}

static void vpt_exit(struct ktest *t)
{
	if (rng_pdev)
		put_device(&rng_pdev->dev);
	rng_pdev = NULL;
}

#define NEED_RNG(t) do {						\
	if (!rng_pdev)							\
		KTEST_SKIP(t, "no virtio-rng device (QEMU -device virtio-rng-pci)"); \
} while (0)

/* The device is bound all the way: PCI driver, virtio device, hwrng. */
static void expect_bound(struct ktest *t)
{
	char name[32];

	KTEST_ASSERT_TRUE(t, rng_pdev->dev.driver != NULL);
	KTEST_EXPECT_EQ(t, strcmp(rng_pdev->dev.driver->name, "virtio-pci"), 0);
	if (hwrng_current_name(name, sizeof(name))) {
		ktest_fail(t, __FILE__, __LINE__, "no hwrng source%s",
			   IS_MODULE(CONFIG_HW_RANDOM_VIRTIO) ?
			   " (virtio-rng.ko not loaded at boot?)" : "");
		ktest_abort(t);
	}
	KTEST_EXPECT_EQ(t, strncmp(name, "virtio_rng.", 11), 0);
}

/* Two reads of @n bytes: not all zero, not equal. */
static void expect_random(struct ktest *t, size_t n)
{
	u8 *a = kmalloc(n, GFP_KERNEL), *b = kmalloc(n, GFP_KERNEL);
	bool nonzero = false;

	KTEST_ASSERT_TRUE(t, a && b);
	KTEST_EXPECT_EQ(t, hwrng_read(a, n), (ssize_t)n);
	KTEST_EXPECT_EQ(t, hwrng_read(b, n), (ssize_t)n);
	for (size_t i = 0; i < n; i++)
		nonzero |= a[i] != 0;
	KTEST_EXPECT_TRUE(t, nonzero);
	KTEST_EXPECT_NE(t, memcmp(a, b, n), 0);
	kfree(a);
	kfree(b);
}

static void test_virtio_rng_read(struct ktest *t)
{
	u8 one;

	NEED_RNG(t);
	expect_bound(t);
	expect_random(t, 16);
	expect_random(t, 1000);		/* many requests of 64 bytes */
	KTEST_EXPECT_EQ(t, hwrng_read(&one, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, hwrng_read(&one, 1), 1);
}

static int find_rng_vdev(struct device *dev, void *data)
{
	struct device **found = data;

	if (dev->parent != &rng_pdev->dev)
		return 0;
	*found = dev;
	return 1;
}

/*
 * The virtio device's modalias is Linux's, the form depmod writes for
 * virtio-rng's MODULE_DEVICE_TABLE, so the module autoloads (make check's
 * modules=auto boot binds it that way).
 */
static void test_virtio_modalias(struct ktest *t)
{
	struct device *vdev = NULL;
	char alias[64];

	NEED_RNG(t);
	KTEST_ASSERT_EQ(t, bus_for_each_dev(&virtio_bus, &vdev, find_rng_vdev), 1);
	KTEST_ASSERT_EQ(t, device_modalias(vdev, alias, sizeof(alias)), 0);
	KTEST_EXPECT_EQ(t, strcmp(alias, "virtio:d00000004v00001AF4"), 0);
	ktest_log(t, "%s: %s", dev_name(vdev), alias);
}

static int reader(void *arg)
{
	u8 buf[200];

	for (int i = 0; i < 20; i++)
		if (hwrng_read(buf, sizeof(buf)) != sizeof(buf))
			return -EIO;
	return 0;
}

/* Readers on every CPU at once: each read completes, none fails. */
static void test_virtio_rng_smp(struct ktest *t)
{
	struct task_struct *th[8];
	unsigned int n = min_t(unsigned int, num_online_cpus() * 2, ARRAY_SIZE(th));

	NEED_RNG(t);
	expect_bound(t);
	for (unsigned int i = 0; i < n; i++) {
		th[i] = kthread_run(reader, NULL, "rngread%u", i);
		KTEST_ASSERT_NOT_NULL(t, th[i]);
	}
	for (unsigned int i = 0; i < n; i++)
		KTEST_EXPECT_EQ(t, kthread_join(th[i]), 0);
}

static void rebind(struct ktest *t)
{
	device_release_driver(&rng_pdev->dev);
	KTEST_ASSERT_TRUE(t, rng_pdev->dev.driver == NULL);
	KTEST_EXPECT_EQ(t, devres_count(&rng_pdev->dev), 0u);
	KTEST_ASSERT_EQ(t, device_attach(&rng_pdev->dev), 1);
	expect_bound(t);
}

/* Each interrupt layout delivers completions; then back to the default. */
static void test_virtio_pci_irq_layouts(struct ktest *t)
{
	NEED_RNG(t);
	expect_bound(t);
	virtio_pci_force_shared = true;
	rebind(t);
	expect_random(t, 256);
	virtio_pci_force_shared = false;
	if (rng_pdev->irq_gsi) {	/* an INTx route: none without an I/O APIC (acpi=off) */
		virtio_pci_force_intx = true;
		rebind(t);
		expect_random(t, 256);
		virtio_pci_force_intx = false;
	} else {
		ktest_log(t, "no INTx route: INTx layout not tried");
	}
	rebind(t);
	KTEST_EXPECT_TRUE(t, rng_pdev->msix_enabled);
	expect_random(t, 256);
}

/*
 * Pages back within VPT_PAGE_SLACK: under the debug options (allyesconfig)
 * a long-lived object allocated meanwhile (lockdep, DMA debug, uevent and
 * /sys records) can pin a few more slab pages, while a page leaked per
 * cycle shows as 40.  kmalloc objects must come back exactly.
 */
#define VPT_PAGE_SLACK	8

static void test_virtio_pci_rebind_leak(struct ktest *t)
{
	unsigned long before, now, objs;

	NEED_RNG(t);
	expect_bound(t);
	/* The first cycles grow bounded state (page tables, debug records). */
	for (int i = 0; i < 20; i++)
		rebind(t);
	before = ktest_settled_free_pages() + nr_pgtable_pages();
	objs = kmalloc_usage(NULL);
	for (int i = 0; i < 40; i++)
		rebind(t);
	expect_random(t, 64);
	now = ktest_settled_free_pages() + nr_pgtable_pages();
	KTEST_EXPECT_LE(t, before - min(before, now), VPT_PAGE_SLACK);
	KTEST_EXPECT_EQ(t, kmalloc_usage(NULL), objs);
}

static struct ktest_case vpt_cases[] = {
	KTEST_CASE(test_virtio_rng_read),
	KTEST_CASE(test_virtio_modalias),
	KTEST_CASE_FLAGS(test_virtio_rng_smp, KTEST_F_NOHOST),
	KTEST_CASE(test_virtio_pci_irq_layouts),
	KTEST_CASE(test_virtio_pci_rebind_leak),
	{}
};

static struct ktest_suite vpt_suite = {
	.name = "virtio_pci",
	.cases = vpt_cases,
	.init = vpt_init,
	.exit = vpt_exit,
};
KTEST_SUITE(vpt_suite);
