// SPDX-License-Identifier: GPL-2.0
/*
 * The lifetime of a module's memory when others still hold references to
 * what it made: modtest_initref.ko's init registers a device whose
 * release() is module code, lets this test take references (on the device,
 * and on the module as an open file does), and fails.  The loader must
 * keep the memory, counted in module_bytes_allocated() though the module
 * is off the list, until the last reference goes, then free it: the
 * release() runs in module code that is still there, and nothing leaks.
 */
#include <exo/atomic.h>
#include <exo/completion.h>
#include <exo/device.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/ktest.h>
#include <exo/module.h>
#include <exo/page_alloc.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/workqueue.h>

#include "module-internal.h"
#include "module_test/modtest.h"

static bool hold_dev, hold_user;
static struct device *held_dev;
static struct module *held_mod;
static atomic_t released = ATOMIC_INIT(0);

/* Called by the module's init, with its device registered. */
void modtest_initref_hold(struct device *dev, struct module *mod)
{
	if (hold_dev)
		held_dev = get_device(dev);
	if (hold_user && try_module_get(mod))
		held_mod = mod;
}
EXPORT_SYMBOL_GPL(modtest_initref_hold);

/* Called by the device's release(), module code. */
void modtest_initref_released(struct device *dev)
{
	(void)dev;
	atomic_inc(&released);
}
EXPORT_SYMBOL_GPL(modtest_initref_released);

/* Load modtest_initref.ko, whose init fails; what it left held is in held_*. */
static void initref_load(struct ktest *t, bool dev, bool user)
{
	const struct modtest_blob *b = modtest_blob("modtest_initref");

	KTEST_ASSERT_NOT_NULL(t, b);
	hold_dev = dev;
	hold_user = user;
	held_dev = NULL;
	held_mod = NULL;
	atomic_set(&released, 0);
	KTEST_EXPECT_EQ(t, load_module(b->start, b->end - b->start, NULL), -EIO);
	KTEST_EXPECT_EQ(t, hold_dev, held_dev != NULL);
	KTEST_EXPECT_EQ(t, hold_user, held_mod != NULL);
	KTEST_EXPECT_NULL(t, find_module("modtest_initref"));
}

/* Nothing held: the memory goes with the failed load, the release ran before. */
static void test_failed_init_nothing_held(struct ktest *t)
{
	struct modtest_baseline base;

	modtest_take_baseline(&base);
	initref_load(t, false, false);
	KTEST_EXPECT_EQ(t, atomic_read(&released), 1);
	MODTEST_EXPECT_BASELINE(t, &base);
}

/* A device reference: its release() runs in the kept module, then the memory goes. */
static void test_failed_init_device_held(struct ktest *t)
{
	struct modtest_baseline base;

	modtest_take_baseline(&base);
	initref_load(t, true, false);
	KTEST_ASSERT_NOT_NULL(t, held_dev);
	KTEST_EXPECT_EQ(t, atomic_read(&released), 0);
	KTEST_EXPECT_GT(t, module_bytes_allocated(), base.mod_bytes);
	KTEST_EXPECT_EQ(t, module_nr_loaded(), base.nr_mods);
	put_device(held_dev);
	KTEST_EXPECT_EQ(t, atomic_read(&released), 1);
	module_flush_frees();
	MODTEST_EXPECT_BASELINE(t, &base);
}

/* A user (try_module_get()): the memory goes at its module_put(). */
static void test_failed_init_user_held(struct ktest *t)
{
	struct modtest_baseline base;

	modtest_take_baseline(&base);
	initref_load(t, false, true);
	KTEST_ASSERT_NOT_NULL(t, held_mod);
	KTEST_EXPECT_EQ(t, atomic_read(&released), 1);
	KTEST_EXPECT_EQ(t, module_refcount(held_mod), 1);
	module_flush_frees();
	KTEST_EXPECT_GT(t, module_bytes_allocated(), base.mod_bytes);
	module_put(held_mod);
	module_flush_frees();
	MODTEST_EXPECT_BASELINE(t, &base);
}

/* Both, the user going first: the device still keeps the memory. */
static void test_failed_init_both_held(struct ktest *t)
{
	struct modtest_baseline base;

	modtest_take_baseline(&base);
	initref_load(t, true, true);
	KTEST_ASSERT_NOT_NULL(t, held_dev);
	KTEST_ASSERT_NOT_NULL(t, held_mod);
	module_put(held_mod);
	module_flush_frees();
	KTEST_EXPECT_GT(t, module_bytes_allocated(), base.mod_bytes);
	KTEST_EXPECT_EQ(t, atomic_read(&released), 0);
	put_device(held_dev);
	KTEST_EXPECT_EQ(t, atomic_read(&released), 1);
	module_flush_frees();
	MODTEST_EXPECT_BASELINE(t, &base);
}

/* A system_wq work that keeps its CPU's worker until the test lets it go. */
struct wq_blocker {
	struct work_struct work;
	struct completion *go;
};

static void wq_blocker_fn(struct work_struct *work)
{
	wait_for_completion(container_of(work, struct wq_blocker, work)->go);
}

/*
 * The late free must not need a system_wq worker: a module init holding
 * module_mutex may be waiting for one (a probe waiting for a work queued
 * with schedule_work()).  With every system_wq worker busy, the memory
 * must still go.  On system_wq (before the module_free workqueue) the
 * free stays queued behind the blockers and the first check fails.
 */
static void test_failed_init_free_with_system_wq_busy(struct ktest *t)
{
	struct modtest_baseline base;
	struct wq_blocker *blk;
	DECLARE_COMPLETION(go);
	unsigned int cpu, ms;

	modtest_take_baseline(&base);
	blk = kcalloc(nr_cpu_ids, sizeof(*blk), GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, blk);
	initref_load(t, true, false);
	KTEST_EXPECT_NOT_NULL(t, held_dev);
	if (!held_dev) {
		kfree(blk);
		return;
	}
	for_each_online_cpu(cpu) {
		INIT_WORK(&blk[cpu].work, wq_blocker_fn);
		blk[cpu].go = &go;
		queue_work_on(cpu, system_wq, &blk[cpu].work);
	}
	put_device(held_dev);
	for (ms = 0; ms < 2000 && module_bytes_allocated() != base.mod_bytes; ms += 10)
		msleep(10);
	KTEST_EXPECT_EQ(t, module_bytes_allocated(), base.mod_bytes);
	complete_all(&go);
	for_each_online_cpu(cpu)
		flush_work(&blk[cpu].work);
	kfree(blk);
	module_flush_frees();
	MODTEST_EXPECT_BASELINE(t, &base);
}

static struct ktest_case module_lifetime_cases[] = {
	KTEST_CASE(test_failed_init_nothing_held),
	KTEST_CASE(test_failed_init_device_held),
	KTEST_CASE(test_failed_init_user_held),
	KTEST_CASE(test_failed_init_both_held),
	KTEST_CASE(test_failed_init_free_with_system_wq_busy),
	{}
};

static struct ktest_suite module_lifetime_suite = {
	.name = "module_lifetime",
	.cases = module_lifetime_cases,
};
KTEST_SUITE(module_lifetime_suite);
