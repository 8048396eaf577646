// SPDX-License-Identifier: GPL-2.0
/*
 * The soak's module workload (kernel/stress.c): every CPU loads and
 * unloads the same few modules, each claimed by one CPU at a time.
 */
#define pr_fmt(fmt) "stress: " fmt

#include <exo/atomic.h>
#include <exo/errno.h>
#include <exo/fault_inject.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/kthread.h>
#include <exo/lockdep.h>
#include <exo/module.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/stress.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/ubsan.h>
#include <exo/vmalloc.h>

#include "module-internal.h"

#include "stress-internal.h"

/* ---- modules ---- */

struct stress_module {
	const char *name;
	const void *image;
	size_t len;
	bool claimed;		/* a worker is between load and unload */
};

static struct stress_module mods[3];
unsigned int stress_nr_mods;
static bool edu_was_loaded;

static void mods_add(const char *name, const void *image, size_t len)
{
	if (image && stress_nr_mods < ARRAY_SIZE(mods))
		mods[stress_nr_mods++] = (struct stress_module){ name, image, len, false };
}

/* The images to cycle: test blobs (KTEST) and the boot archive's edu.ko. */
int stress_mods_prepare(void)
{
	size_t len;
	const void *img;
	int ret;

	stress_nr_mods = 0;
#ifdef CONFIG_KTEST
	for (unsigned long i = 0; i < modtest_nr_blobs; i++)
		if (!strcmp(modtest_blobs[i].name, "modtest_a") ||
		    !strcmp(modtest_blobs[i].name, "modtest_inert"))
			mods_add(modtest_blobs[i].name, modtest_blobs[i].start,
				 (size_t)(modtest_blobs[i].end - modtest_blobs[i].start));
#endif
	img = boot_module_find("edu", &len);
	edu_was_loaded = img && find_module("edu");
	if (edu_was_loaded) {
		/* Owned by nobody once unloaded: then it is just one more image. */
		ret = unload_module("edu");
		if (ret) {
			pr_err("modules: cannot unload edu: %d\n", ret);
			return ret;
		}
	}
	mods_add("edu", img, len);
	return 0;
}

long stress_mods_restore(void)
{
	int ret;

	if (!edu_was_loaded)
		return 0;
	for (unsigned int i = 0; i < stress_nr_mods; i++) {
		if (strcmp(mods[i].name, "edu"))
			continue;
		ret = load_module(mods[i].image, mods[i].len, NULL);
		if (ret) {
			stress_error(ST_MODULES, "reloading edu: %d", ret);
			return 1;
		}
	}
	return 0;
}

/*
 * A module is claimed before it is loaded, so a load must always succeed:
 * racing loads of one module would each print a -EEXIST error line (the
 * loader logs every refusal), and the races the loader must survive are
 * those between different modules (module memory, the export table, the
 * module list), which this still runs on every CPU.
 */
int stress_module_worker(void *arg)
{
	unsigned int cpu = (unsigned int)(unsigned long)arg;
	u64 rng = rng_seed(cpu, ST_MODULES);

	while (!time_up() && stress_nr_mods) {
		struct stress_module *m = &mods[rng_next(&rng) % stress_nr_mods];
		struct module *mod = NULL;
		unsigned long snap;
		int ret;

		if (__atomic_exchange_n(&m->claimed, true, __ATOMIC_ACQUIRE)) {
			add(&stress_kstats[ST_MODULES].aux, 1);	/* another CPU has it */
			yield();
			continue;
		}
		snap = fault_inject_nr_failed();
		ret = load_module(m->image, m->len, &mod);
		if (ret == -ENOMEM && injected(ST_MODULES, snap)) {
			if (find_module(m->name))
				stress_error(ST_MODULES, "failed load left %s loaded", m->name);
		} else if (ret) {
			stress_error(ST_MODULES, "load %s: %d", m->name, ret);
		} else {
			if (find_module(m->name) != mod)
				stress_error(ST_MODULES, "%s: find_module() is not the loaded module",
					     m->name);
			ret = unload_module(m->name);
			if (ret)
				stress_error(ST_MODULES, "unload %s: %d", m->name, ret);
		}
		__atomic_store_n(&m->claimed, false, __ATOMIC_RELEASE);
		add(&stress_kstats[ST_MODULES].ops, 1);
	}
	return 0;
}
