// SPDX-License-Identifier: GPL-2.0
/*
 * Module references against unload (cases of the module suite, listed in
 * kernel/module_test.c): try_module_get() racing try_stop_module() on
 * several CPUs and in the exact window, an unload refused while a
 * reference is held, an unbalanced module_put() refused, and %pS
 * resolving module addresses while modules come and go.
 */
#include <exo/device.h>
#include <exo/elf.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/kallsyms.h>
#include <exo/ktest.h>
#include <exo/kthread.h>
#include <exo/module.h>
#include <exo/page_alloc.h>
#include <exo/pci.h>
#include <exo/platform.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/trace.h>

#include <asm/processor.h>

#include "module-internal.h"
#include "module_test.h"
#include "module_test/modtest.h"

#define GETTERS		3
#define STOP_ROUNDS	20

static struct module fake_mod;
static unsigned long stop_seq;	/* odd: fake_mod stopped (GOING) */
static atomic_long_t gets;	/* successful try_module_get()s, all getters */

struct getter {
	unsigned long refused, bad;
	struct task_struct *task;
};

static int getter_fn(void *arg)
{
	struct getter *g = arg;

	while (!kthread_should_stop()) {
		if (try_module_get(&fake_mod)) {
			atomic_long_inc(&gets);
			/*
			 * While a reference is held no stop can succeed: seeing
			 * one completed (stop_seq odd) means the get slipped in
			 * after it.  The hold widens the window.
			 */
			udelay(1);
			smp_mb();
			if (READ_ONCE(stop_seq) & 1)
				g->bad++;
			module_put(&fake_mod);
		} else {
			g->refused++;
		}
		/* Leave the stopper moments with no reference held. */
		udelay(3);
	}
	return 0;
}

/*
 * One round: the getters hammer a LIVE module; try_stop_module() is
 * retried until it wins; from then on the count stays 0 and every getter
 * fails.  Return: the stop attempts refused with -EBUSY, or -1 on failure.
 */
static long stop_round(struct ktest *t)
{
	long from = atomic_long_read(&gets);
	long busy = 0;

	WRITE_ONCE(stop_seq, stop_seq + 1);	/* even: live again */
	smp_mb();
	module_ref_init(&fake_mod);
	WRITE_ONCE(fake_mod.state, MODULE_STATE_LIVE);
	for (int us = 0; atomic_long_read(&gets) < from + 3 && us < 1000000; us += 10)
		udelay(10);
	while (try_stop_module(&fake_mod)) {
		if (++busy > 1000000) {
			ktest_fail(t, __FILE__, __LINE__, "no stop won in 1000000 tries");
			return -1;
		}
		cpu_relax();
	}
	WRITE_ONCE(stop_seq, stop_seq + 1);	/* odd: stopped */
	for (int i = 0; i < 50; i++) {
		if (atomic_read(&fake_mod.refcnt)) {
			ktest_fail(t, __FILE__, __LINE__, "refcnt %d after the stop",
				   atomic_read(&fake_mod.refcnt));
			return -1;
		}
		udelay(20);
	}
	return busy;
}

/*
 * Getters on 3 CPUs call try_module_get()/module_put() in a loop while the
 * unloader's try_stop_module() (what rmmod runs under module_mutex) is
 * retried: it succeeds only when no reference is held, and no getter that
 * starts after it wins ever gets one (the old check-state-then-increment
 * let one in).
 */
void test_try_module_get_vs_unload_smp(struct ktest *t)
{
	struct getter g[GETTERS];
	unsigned long busy = 0, bad = 0, refused = 0;
	long r = 0;

	memset(&fake_mod, 0, sizeof(fake_mod));
	strlcpy(fake_mod.name, "kt-fake", sizeof(fake_mod.name));
	stop_seq = 1;
	atomic_long_set(&gets, 0);
	memset(g, 0, sizeof(g));
	for (int i = 0; i < GETTERS; i++) {
		g[i].task = kthread_create(getter_fn, &g[i], "kt-modget%d", i);
		KTEST_ASSERT_NOT_NULL(t, g[i].task);
		kthread_bind(g[i].task, (i + 1) % num_online_cpus());
		wake_up_process(g[i].task);
	}
	for (int i = 0; i < STOP_ROUNDS && r >= 0; i++) {
		r = stop_round(t);
		busy += r > 0 ? r : 0;
	}
	for (int i = 0; i < GETTERS; i++) {
		kthread_stop(g[i].task);
		bad += g[i].bad;
		refused += g[i].refused;
	}
	KTEST_EXPECT_EQ(t, bad, 0ul);
	KTEST_EXPECT_EQ(t, atomic_read(&fake_mod.refcnt), 0);
	KTEST_EXPECT_GT(t, refused, 0ul);
	ktest_log(t, "%d stops: %lu gets, %lu refused, %lu stops refused (-EBUSY)", STOP_ROUNDS,
		  atomic_long_read(&gets), refused, busy);
}

/*
 * The window the SMP test above can only hope to hit, made certain: the
 * unload (try_stop_module(), what rmmod runs) completes between a
 * getter's state check (LIVE) and its increment.  The getter must fail
 * and the count stay 0; a check of the state followed by a plain
 * increment would hand out a reference to a module being freed.
 */
static int window_stop_ret = 1;

static void stop_in_window(struct module *mod)
{
	/* Another CPU's try_module_get() of a real module passes untouched. */
	if (mod != &fake_mod)
		return;
	WRITE_ONCE(try_module_get_test_hook, NULL);
	window_stop_ret = try_stop_module(mod);
}

void test_try_module_get_unload_in_window(struct ktest *t)
{
	memset(&fake_mod, 0, sizeof(fake_mod));
	strlcpy(fake_mod.name, "kt-fake", sizeof(fake_mod.name));
	module_ref_init(&fake_mod);
	WRITE_ONCE(fake_mod.state, MODULE_STATE_LIVE);
	window_stop_ret = 1;
	WRITE_ONCE(try_module_get_test_hook, stop_in_window);
	KTEST_EXPECT_FALSE(t, try_module_get(&fake_mod));
	WRITE_ONCE(try_module_get_test_hook, NULL);
	KTEST_EXPECT_EQ(t, window_stop_ret, 0);
	KTEST_EXPECT_EQ(t, atomic_read(&fake_mod.refcnt), 0);
	KTEST_EXPECT_EQ(t, fake_mod.state, MODULE_STATE_GOING);
}

/*
 * rmmod of a module in use is refused with -EBUSY and the users named (the
 * line module_users() gives is what rmmod logs), and works once they go.
 */
void test_unload_busy_while_got(struct ktest *t)
{
	struct modtest_baseline base;
	struct module *a, *b;
	char buf[160];

	modtest_take_baseline(&base);
	KTEST_ASSERT_EQ(t, load_blob(t, "modtest_a", &a), 0);
	KTEST_EXPECT_EQ(t, module_refcount(a), 0);
	KTEST_ASSERT_TRUE(t, try_module_get(a));
	KTEST_EXPECT_EQ(t, module_users(a, buf, sizeof(buf)), 1);
	KTEST_EXPECT_EQ(t, strcmp(buf, "modtest_a: in use by the kernel (1 users, "
				  "not all of them modules)"), 0);
	KTEST_EXPECT_EQ(t, unload_module("modtest_a"), -EBUSY);
	KTEST_EXPECT_TRUE(t, find_module("modtest_a") == a);
	KTEST_ASSERT_EQ(t, load_blob(t, "modtest_b", &b), 0);
	KTEST_EXPECT_EQ(t, module_users(a, buf, sizeof(buf)), 2);
	KTEST_EXPECT_EQ(t, strcmp(buf, "modtest_a: in use by modtest_b (2 users, "
				  "not all of them modules)"), 0);
	module_put(a);
	KTEST_EXPECT_EQ(t, unload_module("modtest_a"), -EBUSY);
	module_users(a, buf, sizeof(buf));
	KTEST_EXPECT_EQ(t, strcmp(buf, "modtest_a: in use by modtest_b (1 users)"), 0);
	KTEST_EXPECT_EQ(t, unload_module("modtest_b"), 0);
	KTEST_EXPECT_EQ(t, module_refcount(a), 0);
	KTEST_EXPECT_EQ(t, unload_module("modtest_a"), 0);
	MODTEST_EXPECT_BASELINE(t, &base);
}

/*
 * A module_put() with no get to match would eat a live module's base
 * (the next try_module_get() would fail and rmmod would free it under
 * its users): it is refused with a WARN, the count left as it was.
 */
void test_unbalanced_put_refused(struct ktest *t)
{
	memset(&fake_mod, 0, sizeof(fake_mod));
	strlcpy(fake_mod.name, "kt-fake", sizeof(fake_mod.name));
	module_ref_init(&fake_mod);
	WRITE_ONCE(fake_mod.state, MODULE_STATE_LIVE);
	ktest_log(t, "expect one module_put underflow WARNING");
	module_put(&fake_mod);
	KTEST_EXPECT_EQ(t, module_refcount(&fake_mod), 0);
	KTEST_ASSERT_TRUE(t, try_module_get(&fake_mod));
	KTEST_EXPECT_EQ(t, module_refcount(&fake_mod), 1);
	KTEST_EXPECT_EQ(t, try_stop_module(&fake_mod), -EBUSY);
	module_put(&fake_mod);
	KTEST_EXPECT_EQ(t, try_stop_module(&fake_mod), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&fake_mod.refcnt), 0);
	KTEST_EXPECT_FALSE(t, try_module_get(&fake_mod));
}

/*
 * %pS of a module's function while the module comes and goes: resolvers on
 * the other CPUs print the address again and again while this CPU loads
 * and unloads the module.  Each answer is the symbol with its module or,
 * once the module has gone, the bare address: never a fault, never a name
 * read out of freed memory.
 */
#define RESOLVE_ROUNDS	30

static unsigned long resolve_addr;	/* modtest_a_add + 1, 0 before the first load */

struct resolver {
	unsigned long named, bare, bad;
	char last_bad[KSYM_SYMBOL_LEN];
	struct task_struct *task;
};

static int resolver_fn(void *arg)
{
	struct resolver *r = arg;
	char buf[KSYM_SYMBOL_LEN], bare[24];

	while (!kthread_should_stop()) {
		unsigned long a = READ_ONCE(resolve_addr);

		if (!a) {
			cpu_relax();
			continue;
		}
		snprintf(buf, sizeof(buf), "%pS", (void *)a);
		snprintf(bare, sizeof(bare), "0x%lx", a);
		if (!strcmp(buf, "modtest_a_add+0x1 [modtest_a]")) {
			r->named++;
		} else if (!strcmp(buf, bare)) {
			r->bare++;
		} else {
			r->bad++;
			memcpy(r->last_bad, buf, sizeof(buf));
		}
	}
	return 0;
}

void test_sprint_symbol_vs_unload_smp(struct ktest *t)
{
	unsigned int nr = min_t(unsigned int, num_online_cpus() - 1, 3);
	struct resolver r[3];
	unsigned long named = 0, bare = 0, bad = 0;
	struct module *mod;

	WRITE_ONCE(resolve_addr, 0);
	memset(r, 0, sizeof(r));
	for (unsigned int i = 0; i < nr; i++) {
		r[i].task = kthread_create(resolver_fn, &r[i], "kt-modsym%u", i);
		KTEST_ASSERT_NOT_NULL(t, r[i].task);
		kthread_bind(r[i].task, i + 1);
		wake_up_process(r[i].task);
	}
	for (int i = 0; i < RESOLVE_ROUNDS; i++) {
		if (load_blob(t, "modtest_a", &mod)) {
			ktest_fail(t, __FILE__, __LINE__, "load %d failed", i);
			break;
		}
		WRITE_ONCE(resolve_addr, find_exported_symbol("modtest_a_add") + 1);
		udelay(200);
		/* The resolvers keep the address: they race the unload. */
		KTEST_EXPECT_EQ(t, unload_module("modtest_a"), 0);
		udelay(100);
	}
	for (unsigned int i = 0; i < nr; i++) {
		kthread_stop(r[i].task);
		named += r[i].named;
		bare += r[i].bare;
		bad += r[i].bad;
		if (r[i].bad)
			ktest_log(t, "resolver %u printed '%s'", i, r[i].last_bad);
	}
	KTEST_EXPECT_EQ(t, bad, 0ul);
	KTEST_EXPECT_GT(t, named, 0ul);
	ktest_log(t, "%d loads: %lu named, %lu bare on %u CPUs", RESOLVE_ROUNDS, named, bare, nr);
}
