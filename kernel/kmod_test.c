// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of modprobe (kernel/kmod.c) on archives built here from the
 * loader's test modules: dependencies first, modprobe -r, the refused
 * rmmod of a module in use, alias matching.  Then driver autoload by
 * modalias (drivers/base/modalias.c) with the real edu.ko of the boot archive and QEMU's edu
 * device: the PCI modalias in Linux's form, coldplug (a device nothing
 * drives gets its module), and hotplug (a device added after boot, on a
 * test bus whose uevent() names edu's alias, makes edu.ko load and bind
 * the PCI device).  The ktest boots run with edu.ko loaded at boot, by
 * alias (modules=auto) or with every boot module (the default).
 */
#include <exo/device.h>
#include <exo/edu.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/kmod.h>
#include <exo/kobject.h>
#include <exo/page_alloc.h>
#include <exo/ktest.h>
#include <exo/kthread.h>
#include <exo/module.h>
#include <exo/pci.h>
#include <exo/sched.h>
#include <exo/shell.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>

#include "module-internal.h"

/* An archive as mkmodarchive.py writes: A, B (needs A), modules.dep/.alias. */
static u8 *kmod_archive(const char *dep, const char *alias, size_t *len, unsigned int *order)
{
	const struct modtest_blob *ma = modtest_blob("modtest_a"), *mb = modtest_blob("modtest_b");
	size_t la = ma->end - ma->start, lb = mb->end - mb->start;
	u8 *a;

	*order = order_base_2(DIV_ROUND_UP(la + lb + 2048, PAGE_SIZE));
	a = (u8 *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, *order);
	if (!a)
		return NULL;
	*len = modtest_cpio_add(a, 0, "modtest_a.ko", ma->start, la);
	*len = modtest_cpio_add(a, *len, "modtest_b.ko", mb->start, lb);
	*len = modtest_cpio_add(a, *len, "modules.dep", dep, strlen(dep));
	*len = modtest_cpio_add(a, *len, "modules.alias", alias, strlen(alias));
	*len = modtest_cpio_add(a, *len, "TRAILER!!!", NULL, 0);
	return a;
}

static const char kmod_dep[] = "modtest_a.ko:\nmodtest_b.ko: modtest_a.ko\n";
static const char kmod_alias[] = "alias pci:v0000ABCDd*sv*sd*bc01sc*i* modtest_b\n"
				 "alias virtio:d0000002Av* modtest_a\n";

static void test_modprobe_deps(struct ktest *t)
{
	struct modtest_baseline base;
	unsigned int order;
	struct module *a;
	size_t len;
	u8 *ar;

	modtest_take_baseline(&base);
	ar = kmod_archive(kmod_dep, kmod_alias, &len, &order);
	KTEST_ASSERT_NOT_NULL(t, ar);
	/* Dependencies first: B alone would be refused (unknown symbols). */
	KTEST_EXPECT_EQ(t, modprobe_archive(ar, len, "modtest_b", NULL), 0);
	a = find_module("modtest_a");
	KTEST_ASSERT_NOT_NULL(t, a);
	KTEST_EXPECT_NOT_NULL(t, find_module("modtest_b"));
	KTEST_EXPECT_EQ(t, module_refcount(a), 1);
	KTEST_EXPECT_EQ(t, modprobe_archive(ar, len, "modtest_b", NULL), 0);	/* loaded: ok */
	/* rmmod of a module in use is refused (the log names modtest_b). */
	KTEST_EXPECT_EQ(t, unload_module("modtest_a"), -EBUSY);
	KTEST_EXPECT_EQ(t, modprobe_remove_archive(ar, len, "modtest_a"), -EBUSY);
	/* modprobe -r: B, then A, now unused. */
	KTEST_EXPECT_EQ(t, modprobe_remove_archive(ar, len, "modtest_b"), 0);
	KTEST_EXPECT_NULL(t, find_module("modtest_a"));
	KTEST_EXPECT_EQ(t, modprobe_remove_archive(ar, len, "modtest_b"), -ENOENT);
	KTEST_EXPECT_EQ(t, modprobe_archive(ar, len, "nothere", NULL), -ENOENT);
	free_pages((unsigned long)ar, order);

	/* A dependency missing from the archive: B is not loaded (A, listed last, is). */
	ar = kmod_archive("modtest_b.ko: gone.ko modtest_a.ko\n", "", &len, &order);
	KTEST_ASSERT_NOT_NULL(t, ar);
	KTEST_EXPECT_EQ(t, modprobe_archive(ar, len, "modtest_b", NULL), -ENOENT);
	KTEST_EXPECT_NULL(t, find_module("modtest_b"));
	KTEST_EXPECT_EQ(t, modprobe_remove_archive(ar, len, "modtest_a"), 0);
	free_pages((unsigned long)ar, order);
	MODTEST_EXPECT_BASELINE(t, &base);
}

static void test_modprobe_alias(struct ktest *t)
{
	struct modtest_baseline base;
	unsigned int order;
	size_t len;
	u8 *ar;

	modtest_take_baseline(&base);
	ar = kmod_archive(kmod_dep, kmod_alias, &len, &order);
	KTEST_ASSERT_NOT_NULL(t, ar);
	KTEST_EXPECT_EQ(t, modprobe_alias_archive(ar, len,
		"pci:v0000ABCDd00001234sv00000000sd00000000bc01sc06i01"), 0);
	KTEST_EXPECT_NOT_NULL(t, find_module("modtest_b"));
	KTEST_EXPECT_NOT_NULL(t, find_module("modtest_a"));
	KTEST_EXPECT_EQ(t, modprobe_remove_archive(ar, len, "modtest_b"), 0);
	KTEST_EXPECT_EQ(t, modprobe_alias_archive(ar, len,
		"pci:v0000ABCDd00001234sv00000000sd00000000bc02sc06i01"), -ENOENT);
	KTEST_EXPECT_EQ(t, modprobe_alias_archive(ar, len,
		"pci:v0000ABCEd00001234sv00000000sd00000000bc01sc06i01"), -ENOENT);
	KTEST_EXPECT_EQ(t, modprobe_alias_archive(ar, len, "virtio:d0000002Av00001AF4"), 0);
	KTEST_EXPECT_NOT_NULL(t, find_module("modtest_a"));
	KTEST_EXPECT_NULL(t, find_module("modtest_b"));
	KTEST_EXPECT_EQ(t, modprobe_remove_archive(ar, len, "modtest_a"), 0);
	KTEST_EXPECT_EQ(t, modprobe_alias_archive(ar, len, "virtio:d0000002"), -ENOENT);
	free_pages((unsigned long)ar, order);
	MODTEST_EXPECT_BASELINE(t, &base);
}

struct kmod_racer {
	const u8 *ar;
	size_t len;
	bool remover;		/* modprobe -r instead of modprobe */
	bool removers;		/* other threads run modprobe -r */
	int errors;
	int bad;		/* the last unexpected return value */
};

#define KMOD_RACES	20

/*
 * modprobe of B from every CPU at once: each call returns 0 (loaded, or
 * already there).  With removers among them a modprobe may also find A
 * gone under B (-ENOENT: its symbols), as with Linux's modprobe; a remove
 * gets 0, -ENOENT (gone) or -EBUSY (B on A).  Anything else is an error.
 */
static int kmod_race(void *arg)
{
	struct kmod_racer *r = arg;

	for (int i = 0; i < KMOD_RACES; i++) {
		int ret;

		bool ok;

		if (r->remover) {
			ret = modprobe_remove_archive(r->ar, r->len, "modtest_b");
			ok = !ret || ret == -ENOENT || ret == -EBUSY;
		} else {
			ret = modprobe_archive(r->ar, r->len, "modtest_b", NULL);
			ok = !ret || (ret == -ENOENT && r->removers);
		}
		if (!ok) {
			r->errors++;
			r->bad = ret;
		}
	}
	return 0;
}

static void run_racers(struct ktest *t, struct kmod_racer *r, bool removers)
{
	struct task_struct *k[NR_CPUS];
	unsigned int cpu, n = 0;

	for_each_online_cpu(cpu) {
		r[cpu].remover = removers && (n++ & 1);
		r[cpu].removers = removers;
		k[cpu] = kthread_create(kmod_race, &r[cpu], "kt-kmod%u", cpu);
		KTEST_ASSERT_NOT_NULL(t, k[cpu]);
		KTEST_EXPECT_EQ(t, kthread_bind(k[cpu], cpu), 0);
	}
	for_each_online_cpu(cpu)
		wake_up_process(k[cpu]);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, kthread_join(k[cpu]), 0);
}

static void expect_no_race_errors(struct ktest *t, struct kmod_racer *r)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (r[cpu].errors)
			ktest_fail(t, __FILE__, __LINE__, "CPU %u: %d errors, the last %d (%s)",
				   cpu, r[cpu].errors, r[cpu].bad, r[cpu].remover ? "modprobe -r" :
				   "modprobe");
}

static void test_modprobe_smp(struct ktest *t)
{
	struct modtest_baseline base;
	struct kmod_racer *r;
	unsigned int order, cpu;
	int saved_loglevel;
	size_t len;
	u8 *ar;

	ar = kmod_archive(kmod_dep, kmod_alias, &len, &order);
	r = kcalloc(NR_CPUS, sizeof(*r), GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, ar);
	KTEST_ASSERT_NOT_NULL(t, r);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		r[cpu].ar = ar;
		r[cpu].len = len;
	}
	/*
	 * A first round before the baseline: loads racing on every CPU spread
	 * over more of the module area than one load, and the page tables
	 * they need there stay (they are no leak).
	 */
	saved_loglevel = console_loglevel;
	console_loglevel = LOGLEVEL_ERR;
	run_racers(t, r, false);
	console_loglevel = saved_loglevel;
	expect_no_race_errors(t, r);
	modprobe_remove_archive(ar, len, "modtest_b");
	modprobe_remove_archive(ar, len, "modtest_a");
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		r[cpu] = (struct kmod_racer){ .ar = ar, .len = len };
	modtest_take_baseline(&base);
	/* Lost races log one refusal each: keep them off the console. */
	saved_loglevel = console_loglevel;
	console_loglevel = LOGLEVEL_ERR;
	run_racers(t, r, false);
	console_loglevel = saved_loglevel;
	expect_no_race_errors(t, r);
	KTEST_EXPECT_NOT_NULL(t, find_module("modtest_b"));
	if (find_module("modtest_a"))
		KTEST_EXPECT_EQ(t, module_refcount(find_module("modtest_a")), 1);
	console_loglevel = LOGLEVEL_ERR;
	run_racers(t, r, true);
	console_loglevel = saved_loglevel;
	expect_no_race_errors(t, r);
	modprobe_remove_archive(ar, len, "modtest_b");
	modprobe_remove_archive(ar, len, "modtest_a");
	KTEST_EXPECT_NULL(t, find_module("modtest_a"));
	MODTEST_EXPECT_BASELINE(t, &base);
	kfree(r);
	free_pages((unsigned long)ar, order);
}

/* The build's archive carries edu's alias in Linux's form. */
static void test_boot_archive_alias(struct ktest *t)
{
	static const char want[] = "alias pci:v00001234d000011E8sv*sd*bc*sc*i* edu\n";
	const char *data;
	size_t len;

	if (!IS_MODULE(CONFIG_PCI_EDU))
		KTEST_SKIP(t, "the edu driver is not a module in this configuration");
	data = boot_module_find("modules.alias", &len);
	if (!data)
		KTEST_SKIP(t, "no module archive among the boot modules");
	KTEST_EXPECT_NOT_NULL(t, boot_module_find("modules.dep", &len));
	data = boot_module_find("modules.alias", &len);
	KTEST_ASSERT_NOT_NULL(t, data);
	/* A line of its own, wherever the other modules' aliases put it. */
	for (size_t i = 0; i + sizeof(want) - 1 <= len; i++)
		if ((!i || data[i - 1] == '\n') && !memcmp(data + i, want, sizeof(want) - 1))
			return;
	KTEST_EXPECT_TRUE(t, !"edu's alias line in modules.alias");
}

/* A driver its module forgot to unregister is removed with the module. */
/* The edu device with a reference, or NULL (the case is then skipped). */
static struct pci_dev *edu_device(struct ktest *t)
{
	struct pci_dev *edu;

	if (!IS_MODULE(CONFIG_PCI_EDU)) {
		ktest_skip(t, "the edu driver is not a module in this configuration");
		return NULL;
	}
	edu = pci_get_device(0x1234, 0x11e8, NULL);
	if (!edu) {
		ktest_skip(t, "no edu device (QEMU -device edu)");
		return NULL;
	}
	if (!boot_module_find("modules.alias", &(size_t){ 0 })) {
		put_device(&edu->dev);
		ktest_skip(t, "no module archive among the boot modules");
		return NULL;
	}
	return edu;
}

/* Wait (at most 10 s) for the queued autoload requests to finish. */
static bool autoload_settle(void)
{
	for (int i = 0; i < 1000; i++) {
		if (device_autoload_idle())
			return true;
		msleep(10);
	}
	return false;
}

static void test_pci_modalias(struct ktest *t)
{
	struct pci_dev *edu = edu_device(t);
	char alias[128], want[128];

	if (!edu)
		return;
	snprintf(want, sizeof(want), "pci:v00001234d000011E8sv%08Xsd%08Xbc%02Xsc%02Xi%02X",
		 edu->subsystem_vendor, edu->subsystem_device, edu->class >> 16,
		 (edu->class >> 8) & 0xff, edu->class & 0xff);
	KTEST_EXPECT_EQ(t, device_modalias(&edu->dev, alias, sizeof(alias)), 0);
	KTEST_EXPECT_EQ(t, strcmp(alias, want), 0);
	KTEST_EXPECT_EQ(t, device_modalias(&edu->dev, alias, 10), -E2BIG);
	put_device(&edu->dev);
}

/* edu.ko is loaded at boot (by alias with modules=auto) and drives edu. */
static void test_coldplug(struct ktest *t)
{
	struct pci_dev *edu = edu_device(t);

	if (!edu)
		return;
	KTEST_EXPECT_NOT_NULL(t, find_module("edu"));
	KTEST_EXPECT_NOT_NULL(t, edu->dev.driver);
	/* As after boot with edu not yet loaded: a request loads and binds it. */
	KTEST_ASSERT_EQ(t, unload_module("edu"), 0);
	KTEST_EXPECT_NULL(t, edu->dev.driver);
	device_request_module(&edu->dev);
	KTEST_EXPECT_TRUE(t, autoload_settle());
	KTEST_EXPECT_NOT_NULL(t, find_module("edu"));
	KTEST_EXPECT_NOT_NULL(t, edu->dev.driver);
	/* A device already driven: nothing to load, nothing changes. */
	device_request_module(&edu->dev);
	KTEST_EXPECT_TRUE(t, autoload_settle());
	KTEST_EXPECT_NOT_NULL(t, edu->dev.driver);
	put_device(&edu->dev);
}

/* A bus whose one device claims edu's modalias; no driver of its own. */
static char kt_alias[128];

static int kt_alias_match(struct device *dev, struct device_driver *drv)
{
	return 0;
}

static int kt_alias_uevent(const struct device *dev, struct kobj_uevent_env *env)
{
	return add_uevent_var(env, "MODALIAS=%s", kt_alias);
}

static struct bus_type kt_alias_bus = {
	.name = "kt_alias",
	.match = kt_alias_match,
	.uevent = kt_alias_uevent,
};

static void kt_alias_release(struct device *dev)
{
	kfree(dev);
}

/* Register a device named @name on kt_alias_bus: 0 or its error. */
static int kt_alias_add(const char *name, struct device **devp)
{
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	*devp = NULL;
	if (!dev)
		return -ENOMEM;
	dev_set_name(dev, "%s", name);
	dev->bus = &kt_alias_bus;
	dev->release = kt_alias_release;
	*devp = dev;
	return device_register(dev);
}

static void test_hotplug(struct ktest *t)
{
	struct pci_dev *edu = edu_device(t);
	struct device *dev;

	if (!edu)
		return;
	KTEST_EXPECT_EQ(t, device_modalias(&edu->dev, kt_alias, sizeof(kt_alias)), 0);
	KTEST_ASSERT_EQ(t, bus_register(&kt_alias_bus), 0);
	KTEST_EXPECT_EQ(t, unload_module("edu"), 0);
	KTEST_ASSERT_EQ(t, kt_alias_add("kt-alias0", &dev), 0);
	KTEST_EXPECT_TRUE(t, autoload_settle());
	KTEST_EXPECT_NOT_NULL(t, find_module("edu"));
	KTEST_EXPECT_NOT_NULL(t, edu->dev.driver);
	device_unregister(dev);
	/* An alias nothing matches: nothing loads, nothing breaks. */
	strlcpy(kt_alias, "pci:v0000FFFEd00000001sv00000000sd00000000bc00sc00i00",
		sizeof(kt_alias));
	KTEST_ASSERT_EQ(t, kt_alias_add("kt-alias1", &dev), 0);
	KTEST_EXPECT_TRUE(t, autoload_settle());
	KTEST_EXPECT_NULL(t, dev->driver);
	device_unregister(dev);
	KTEST_EXPECT_EQ(t, bus_unregister(&kt_alias_bus), 0);
	put_device(&edu->dev);
}

/* Is @p bound to edu with an MSI?  (false also when unbound) */
static bool edu_uses_msi(struct pci_dev *p)
{
	struct edu_stats st = { .msi = false };

	device_lock(&p->dev);
	if (p->dev.driver && !strcmp(p->dev.driver->name, "edu"))
		((struct edu_drvdata *)pci_get_drvdata(p))->ops->get_stats(&p->dev, &st);
	device_unlock(&p->dev);
	return st.msi;
}

/* The shell's insmod/modinfo/modprobe/rmmod on the real edu.ko. */
static void test_shell_commands(struct ktest *t)
{
	struct pci_dev *edu = edu_device(t);

	if (!edu)
		return;
	KTEST_EXPECT_EQ(t, shell_run_command("modinfo edu"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("rmmod edu"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("modinfo edu"), 0);	/* from the file */
	KTEST_EXPECT_EQ(t, shell_run_command("modinfo no_such_module"), -ENOENT);
	KTEST_EXPECT_EQ(t, shell_run_command("insmod edu no_such_param=1"), 0);
	KTEST_EXPECT_NOT_NULL(t, edu->dev.driver);
	KTEST_EXPECT_EQ(t, shell_run_command("modprobe -r edu"), 0);
	KTEST_EXPECT_NULL(t, find_module("edu"));
	KTEST_EXPECT_EQ(t, shell_run_command("modprobe -r edu"), -ENOENT);
	KTEST_EXPECT_EQ(t, shell_run_command("modprobe edu"), 0);
	KTEST_EXPECT_NOT_NULL(t, edu->dev.driver);
	KTEST_EXPECT_EQ(t, shell_run_command("modprobe no_such_module"), -ENOENT);
	/* A parameter: use_msi=0 binds on INTx; a bad value loads nothing. */
	KTEST_EXPECT_TRUE(t, edu_uses_msi(edu));
	KTEST_EXPECT_EQ(t, shell_run_command("rmmod edu"), 0);
	KTEST_EXPECT_NE(t, shell_run_command("insmod edu use_msi=maybe"), 0);
	KTEST_EXPECT_NULL(t, find_module("edu"));
	KTEST_EXPECT_EQ(t, shell_run_command("insmod edu use_msi=0"), 0);
	if (edu->irq_gsi) {	/* an INTx route: none without an I/O APIC (acpi=off) */
		KTEST_EXPECT_NOT_NULL(t, edu->dev.driver);
		KTEST_EXPECT_FALSE(t, edu_uses_msi(edu));
	} else {
		KTEST_EXPECT_NULL(t, edu->dev.driver);
	}
	KTEST_EXPECT_EQ(t, shell_run_command("rmmod edu"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("modprobe edu"), 0);
	KTEST_EXPECT_TRUE(t, edu_uses_msi(edu));
	put_device(&edu->dev);
}

#define AUTOLOAD_MAX_UNBOUND	64

struct autoload_census {
	struct ktest *t;
	unsigned int bound, n;
	struct device *unbound[AUTOLOAD_MAX_UNBOUND];
};

/* Under the bus walk's locks: only count, and keep the unbound ones. */
static int autoload_check_dev(struct device *dev, void *data)
{
	struct autoload_census *c = data;
	char alias[128];
	bool bound;

	if (device_modalias(dev, alias, sizeof(alias)))
		return 0;
	device_lock(dev);
	bound = dev->driver;
	if (bound)
		ktest_log(c->t, "%s: %s bound", dev_name(dev), dev->driver->name);
	device_unlock(dev);
	if (bound)
		c->bound++;
	else if (c->n < AUTOLOAD_MAX_UNBOUND)
		c->unbound[c->n++] = get_device(dev);
	return 0;
}

/*
 * modules=auto: every device a boot module claims by modalias was bound
 * during the boot, with no insmod (virtio-rng, virtio-blk, virtio-net,
 * e1000, edu, the IDE controller: whatever the machine has).  An unbound
 * device whose alias request_module() finds a module for (loading it now,
 * outside the bus walk: a module's init registers on the bus) was missed.
 * Runs first, before the other cases load and unload modules.
 */
static void test_autoload_bound_all(struct ktest *t)
{
	struct autoload_census *c = kzalloc(sizeof(*c), GFP_KERNEL);
	unsigned int unclaimed = 0;
	char alias[128];

	if (!strstr(boot_command_line, "modules=auto")) {
		kfree(c);
		KTEST_SKIP(t, "needs modules=auto");
	}
	KTEST_ASSERT_NOT_NULL(t, c);
	c->t = t;
	bus_for_each_uevent_bus(autoload_check_dev, c);
	for (unsigned int i = 0; i < c->n; i++) {
		struct device *dev = c->unbound[i];

		if (!device_modalias(dev, alias, sizeof(alias)) &&
		    request_module("%s", alias) != -ENOENT)
			ktest_fail(t, __FILE__, __LINE__,
				   "%s (%s): a boot module claims it, but it was not bound at boot",
				   dev_name(dev), alias);
		else
			unclaimed++;
		put_device(dev);
	}
	ktest_log(t, "%u devices with a modalias bound, %u with no module to claim them",
		  c->bound, unclaimed);
	KTEST_EXPECT_GT(t, c->bound, 0u);
	kfree(c);
}

static struct ktest_case kmod_cases[] = {
	KTEST_CASE(test_autoload_bound_all),
	KTEST_CASE(test_modprobe_deps),
	KTEST_CASE(test_modprobe_alias),
	KTEST_CASE(test_boot_archive_alias),
	KTEST_CASE_FLAGS(test_modprobe_smp, KTEST_F_SMP),
	KTEST_CASE(test_pci_modalias),
	KTEST_CASE(test_coldplug),
	KTEST_CASE(test_hotplug),
	KTEST_CASE(test_shell_commands),
	{}
};

static struct ktest_suite kmod_suite = {
	.name = "kmod",
	.cases = kmod_cases,
};
KTEST_SUITE(kmod_suite);
