// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of /sys through the file calls: listing buses, devices, drivers
 * and modules; the PCI attributes of the edu device; enable, bind,
 * unbind and module parameters refusing garbage with -EINVAL; read-only
 * files refusing a write open; a module pinned while one of its
 * parameter files is open; lsdev -t.  Open files and dentries return to
 * their baseline.
 */
#include <exo/device.h>
#include <exo/edu.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/ktest.h>
#include <exo/module.h>
#include <exo/pci.h>
#include <exo/shell.h>
#include <exo/string.h>

struct sysfs_find {
	struct dir_context ctx;
	const char *want;
	bool found;
	unsigned int n;
};

static bool find_actor(struct dir_context *ctx, const char *name, int namlen, loff_t offset,
		       u64 ino, unsigned int d_type)
{
	struct sysfs_find *f = container_of(ctx, struct sysfs_find, ctx);

	f->n++;
	if ((int)strlen(f->want) == namlen && !strncmp(name, f->want, namlen))
		f->found = true;
	return true;
}

/* Is @name an entry of directory @dir?  -errno if @dir does not open. */
static int dir_has(const char *dir, const char *name)
{
	struct sysfs_find f = { .ctx.actor = find_actor, .want = name };
	struct file *file = filp_open(dir, O_RDONLY, 0);
	int ret;

	if (IS_ERR(file))
		return PTR_ERR(file);
	ret = iterate_dir(file, &f.ctx);
	filp_close(file, NULL);
	return ret ? ret : f.found;
}

/* Read a whole attribute into @buf (NUL-terminated). */
static ssize_t attr_read(const char *path, char *buf, size_t size)
{
	struct file *f = filp_open(path, O_RDONLY, 0);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_read(f, buf, size - 1, &pos);
	filp_close(f, NULL);
	if (n >= 0)
		buf[n] = 0;
	return n;
}

static ssize_t attr_write(const char *path, const char *val)
{
	struct file *f = filp_open(path, O_WRONLY, 0);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, val, strlen(val), &pos);
	filp_close(f, NULL);
	return n;
}

static struct pci_dev *find_edu(void)
{
	return pci_get_device(EDU_VENDOR, EDU_DEVICE, NULL);
}

static void test_sysfs_listing(struct ktest *t)
{
	unsigned long files = fs_nr_open_files(), dentries = fs_nr_dentries();

	KTEST_EXPECT_EQ(t, dir_has("/", "sys"), 1);
	KTEST_EXPECT_EQ(t, dir_has("/sys", "bus"), 1);
	KTEST_EXPECT_EQ(t, dir_has("/sys/bus", "pci"), 1);
	KTEST_EXPECT_EQ(t, dir_has("/sys/bus", "platform"), 1);
	KTEST_EXPECT_EQ(t, dir_has("/sys/bus/pci", "drivers"), 1);
	KTEST_EXPECT_EQ(t, dir_has("/sys/bus/nosuch", "x"), -ENOENT);
	KTEST_EXPECT_EQ(t, dir_has("/sys/bus/pci/devices/nosuch", "x"), -ENOENT);
	KTEST_EXPECT_EQ(t, dir_has("/sys/bus/platform/drivers", "serial8250"), 1);
	KTEST_EXPECT_EQ(t, dir_has("/sys/bus/platform/drivers/serial8250", "unbind"), 1);
	KTEST_EXPECT_EQ(t, shell_run_command("ls -l /sys/bus/pci/devices"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("lsdev -t"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("lsdev -x"), -EINVAL);
	KTEST_EXPECT_EQ(t, fs_nr_open_files(), files);
	KTEST_EXPECT_EQ(t, fs_nr_dentries(), dentries);
}

static void test_sysfs_pci_attrs(struct ktest *t)
{
	struct pci_dev *p = find_edu();
	char path[96], buf[512];

	if (!p)
		KTEST_SKIP(t, "no edu device");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", dev_name(&p->dev));
	KTEST_EXPECT_EQ(t, attr_read(path, buf, sizeof(buf)), 7);
	KTEST_EXPECT_EQ(t, strcmp(buf, "0x1234\n"), 0);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", dev_name(&p->dev));
	KTEST_EXPECT_GT(t, attr_read(path, buf, sizeof(buf)), 0);
	KTEST_EXPECT_EQ(t, strcmp(buf, "0x11e8\n"), 0);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/modalias", dev_name(&p->dev));
	KTEST_EXPECT_GT(t, attr_read(path, buf, sizeof(buf)), 0);
	KTEST_EXPECT_EQ(t, strncmp(buf, "pci:v00001234d000011E8", 22), 0);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", dev_name(&p->dev));
	KTEST_EXPECT_GT(t, attr_read(path, buf, sizeof(buf)), 0);
	KTEST_EXPECT_EQ(t, strcmp(buf, "edu\n"), 0);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", dev_name(&p->dev));
	KTEST_EXPECT_EQ(t, attr_read(path, buf, sizeof(buf)), 6 * 57);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/class", dev_name(&p->dev));
	KTEST_EXPECT_GT(t, attr_read(path, buf, sizeof(buf)), 0);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/irq", dev_name(&p->dev));
	KTEST_EXPECT_GT(t, attr_read(path, buf, sizeof(buf)), 0);
	/* Read-only: no write open. */
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", dev_name(&p->dev));
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open(path, O_WRONLY, 0)), -EACCES);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/enable", dev_name(&p->dev));
	KTEST_EXPECT_EQ(t, attr_write(path, "yes\n"), -EINVAL);
	KTEST_EXPECT_EQ(t, attr_write(path, ""), 0);
	KTEST_EXPECT_EQ(t, attr_write(path, "12"), -EINVAL);
	/* Bound: the driver's, as Linux (disabling it would pull its BARs away). */
	KTEST_EXPECT_EQ(t, attr_write(path, "0\n"), -EBUSY);
	KTEST_EXPECT_EQ(t, attr_write(path, "1\n"), -EBUSY);
	KTEST_EXPECT_GT(t, attr_read(path, buf, sizeof(buf)), 0);
	KTEST_EXPECT_EQ(t, strcmp(buf, "1\n"), 0);
	/* Unbound: enable and disable again. */
	snprintf(buf, sizeof(buf), "%s\n", dev_name(&p->dev));
	KTEST_ASSERT_EQ(t, attr_write("/sys/bus/pci/drivers/edu/unbind", buf),
			(ssize_t)strlen(buf));
	KTEST_EXPECT_EQ(t, attr_write(path, "1\n"), 2);
	KTEST_EXPECT_EQ(t, attr_write(path, "0\n"), 2);
	snprintf(buf, sizeof(buf), "%s\n", dev_name(&p->dev));
	KTEST_EXPECT_EQ(t, attr_write("/sys/bus/pci/drivers/edu/bind", buf),
			(ssize_t)strlen(buf));
	KTEST_EXPECT_TRUE(t, p->dev.driver && !strcmp(p->dev.driver->name, "edu"));
	put_device(&p->dev);
}

static void test_sysfs_bind_unbind(struct ktest *t)
{
	struct pci_dev *p = find_edu();
	char buf[64];

	if (!p)
		KTEST_SKIP(t, "no edu device");
	KTEST_EXPECT_EQ(t, attr_write("/sys/bus/pci/drivers/edu/unbind", "not a device"),
			-EINVAL);
	KTEST_EXPECT_EQ(t, attr_write("/sys/bus/pci/drivers/edu/unbind", "\n"), -EINVAL);
	KTEST_EXPECT_EQ(t, attr_write("/sys/bus/pci/drivers/edu/bind", "0000:ff:1f.7"), -ENODEV);
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/sys/bus/pci/drivers/edu/bind", O_RDONLY, 0)),
			-EACCES);
	snprintf(buf, sizeof(buf), "%s\n", dev_name(&p->dev));
	KTEST_EXPECT_EQ(t, attr_write("/sys/bus/pci/drivers/edu/bind", buf), -EBUSY);
	KTEST_EXPECT_EQ(t, attr_write("/sys/bus/pci/drivers/edu/unbind", buf),
			(ssize_t)strlen(buf));
	KTEST_EXPECT_NULL(t, p->dev.driver);
	KTEST_EXPECT_EQ(t, attr_write("/sys/bus/pci/drivers/edu/unbind", buf), -ENODEV);
	KTEST_EXPECT_EQ(t, attr_write("/sys/bus/pci/drivers/edu/bind", buf),
			(ssize_t)strlen(buf));
	KTEST_EXPECT_TRUE(t, p->dev.driver && !strcmp(p->dev.driver->name, "edu"));
	put_device(&p->dev);
}

/* An open bind file (and its driver directory) pins the driver's module. */
static void test_sysfs_driver_pins_module(struct ktest *t)
{
	struct module *mod = find_module_get("edu");
	struct file *f;
	int refs;

	if (!mod)
		KTEST_SKIP(t, "edu is not a module");
	refs = module_refcount(mod);
	f = filp_open("/sys/bus/pci/drivers/edu/bind", O_WRONLY, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	/* The driver directory's reference and the bind file's own. */
	KTEST_EXPECT_EQ(t, module_refcount(mod), refs + 2);
	KTEST_EXPECT_EQ(t, unload_module("edu"), -EBUSY);
	filp_close(f, NULL);
	KTEST_EXPECT_EQ(t, module_refcount(mod), refs);
	KTEST_EXPECT_NULL(t, find_module_get("nosuch_module"));
	module_put(mod);
}

static void test_sysfs_module(struct ktest *t)
{
	struct module *mod = find_module("edu");
	char buf[64], old[16];
	unsigned long v;
	struct file *f;
	int refs;

	if (!mod)
		KTEST_SKIP(t, "edu is not a module");
	KTEST_EXPECT_EQ(t, dir_has("/sys/module", "edu"), 1);
	KTEST_EXPECT_EQ(t, dir_has("/sys/module/edu/parameters", "use_msi"), 1);
	refs = module_refcount(mod);
	KTEST_EXPECT_GT(t, attr_read("/sys/module/edu/refcnt", buf, sizeof(buf)), 0);
	*strchr(buf, '\n') = 0;
	KTEST_EXPECT_EQ(t, kstrtoul(buf, 10, &v), 0);
	KTEST_EXPECT_EQ(t, (int)v, refs);
	KTEST_ASSERT_GT(t, attr_read("/sys/module/edu/parameters/use_msi", old, sizeof(old)), 0);
	KTEST_EXPECT_EQ(t, attr_write("/sys/module/edu/parameters/use_msi", "maybe"), -EINVAL);
	KTEST_EXPECT_EQ(t, attr_write("/sys/module/edu/parameters/use_msi", old),
			(ssize_t)strlen(old));
	KTEST_EXPECT_EQ(t, attr_read("/sys/module/edu/parameters/nosuch", buf, sizeof(buf)),
			-ENOENT);
	/* A parameter file open pins the module. */
	f = filp_open("/sys/module/edu/parameters/use_msi", O_RDONLY, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	KTEST_EXPECT_EQ(t, unload_module("edu"), -EBUSY);
	filp_close(f, NULL);
	KTEST_EXPECT_EQ(t, module_refcount(mod), refs);
}

static struct ktest_case sysfs_cases[] = {
	KTEST_CASE(test_sysfs_listing),
	KTEST_CASE(test_sysfs_pci_attrs),
	KTEST_CASE(test_sysfs_bind_unbind),
	KTEST_CASE(test_sysfs_driver_pins_module),
	KTEST_CASE(test_sysfs_module),
	{}
};

static struct ktest_suite sysfs_suite = {
	.name = "sysfs",
	.cases = sysfs_cases,
};
KTEST_SUITE(sysfs_suite);
