// SPDX-License-Identifier: GPL-2.0
/*
 * The SMP soak: `stress=SECONDS` runs every concurrent stress worker on
 * every online CPU at once for that long, then proves that nothing was
 * corrupted or leaked.
 *
 * Workers (one of each kind bound to every online CPU unless noted):
 *   frames  alloc_frame()/alloc_contiguous() and frees; every held frame
 *           carries a signature (derived from its address and a sequence
 *           number) that is verified before it is freed, and the buddy
 *           bitmap must report it allocated; some runs are handed to the
 *           next CPU's worker to free (the remote-free path).
 *   slab    kmalloc/krealloc/kfree of random sizes over all three tiers
 *           (8 B .. 32 KiB); every object is filled with a signature that
 *           is verified before krealloc (the kept prefix) and kfree, and
 *           some objects are freed by the next CPU's worker.
 *   map     one writer (the boot CPU) remaps a private kernel page to a
 *           fresh frame holding the round number, every round; a reader on
 *           every other CPU must never see a round older than the one
 *           published before its read, nor newer than the one mapped after
 *           it: a stale TLB entry after a shootdown is an error.  Frames
 *           are freed right after unmap, so a missed shootdown also reads
 *           a frame already reused by the other workers.
 *   modules every CPU loads and unloads the same few modules (test blobs,
 *           the boot archive's edu.ko), each claimed by one CPU at a time:
 *           every load and unload must succeed.
 *   ipi     synchronous single and broadcast cross-CPU calls whose
 *           callbacks count: exactly one (or one per other CPU) run per
 *           call, on the right CPU; asynchronous calls are counted and
 *           must all have run at the end.
 *
 * With fault injection armed (fail_page_alloc=, fail_slab=, fail_pgtable=
 * on the command line) the workers run while allocations fail at random:
 * an allocation that fails while some injection point fired during the
 * call (fault_inject_nr_failed() moved) is an expected outcome, counted
 * per kind as "injected failures survived" and checked for its own
 * contract (a failed krealloc leaves the old object intact, a failed
 * map_page leaves the page unmapped, a failed module load leaves no
 * module); one with no injection behind it is still an error.  Injection
 * is suspended while the soak sets up and checks itself, and each armed
 * point must have injected at least once.
 *
 * Invariants checked at the end (after joining every worker and draining
 * every cache): page_alloc_check() and kmem_check() find nothing, the
 * free-frame count, module memory and module count are back at their
 * values before the start, and the sanitizer/lock debugging report
 * counters (UBSAN, lockdep, might_sleep, slab debugging, KASAN) did not
 * move.  page_alloc_check() also runs every few seconds while the workers
 * run.
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
#ifdef CONFIG_KASAN
/* KASAN's report counter is one of the counters that must not move. */
#include <exo/kasan.h>
#endif

#ifdef CONFIG_MODULES
#include "module-internal.h"
#endif

#include "stress-internal.h"

const char *const stress_kind_name[ST_NR] = {
	"frames", "slab", "map", "modules", "ipi",
};

struct kind_stats stress_kstats[ST_NR];
static unsigned long stress_ms;	/* duration asked for; 0 = no soak */
bool stress_stop;
unsigned long stress_reported;	/* error lines printed (the first few only) */

/* stress=SECONDS, or stress=Nms for the short runs of slow emulators (Bochs). */
static int __init stress_setup(const char *val)
{
	char num[24];
	size_t len = strlen(val);
	unsigned long n;
	bool ms = len > 2 && !strcmp(val + len - 2, "ms");

	if (len >= sizeof(num))
		return -EINVAL;
	strlcpy(num, val, sizeof(num));
	if (ms)
		num[len - 2] = 0;
	if (kstrtoul(num, 0, &n) || !n || n > 365UL * 24 * 3600 * (ms ? 1000 : 1))
		return -EINVAL;
	stress_ms = ms ? n : n * 1000;
	return 0;
}
__setup_desc("stress=", stress_setup, "SECONDS or Nms, more than 0, at most a year");

bool stress_requested(void)
{
	return stress_ms != 0;
}

/* ---- the run ---- */

struct baseline {
	unsigned long free_pages;
	unsigned long pgtable_pages;
	unsigned long vmalloc_pages;
	unsigned long large_pages;
	unsigned long slab_pages;	/* pages of the kmalloc caches' slabs */
	unsigned long slab_inuse;	/* objects in use in them */
	unsigned long slab_errors;
	unsigned long ubsan;
	unsigned long lockdep;
	unsigned long might_sleep;
	unsigned long kasan;
#ifdef CONFIG_MODULES
	unsigned int nr_modules;
	size_t module_bytes;
#endif
};

static void take_baseline(struct baseline *b)
{
	memset(b, 0, sizeof(*b));
	b->free_pages = ktest_settled_free_pages();
	b->pgtable_pages = nr_pgtable_pages();
	b->vmalloc_pages = vmalloc_nr_pages();
	b->large_pages = kmalloc_large_pages();
	b->slab_inuse = kmalloc_usage(&b->slab_pages);
	b->slab_errors = kmem_error_count();
#ifdef CONFIG_UBSAN
	b->ubsan = ubsan_nr_reports(UBSAN_NONE);
#endif
#ifdef CONFIG_LOCKDEP
	{
		struct lockdep_stats st;

		lockdep_get_stats(&st);
		b->lockdep = st.nr_reports;
	}
#endif
#ifdef CONFIG_DEBUG_ATOMIC_SLEEP
	b->might_sleep = might_sleep_reports();
#endif
#ifdef CONFIG_KASAN
	b->kasan = kasan_report_count();
#endif
#ifdef CONFIG_MODULES
	b->nr_modules = module_nr_loaded();
	b->module_bytes = module_bytes_allocated();
#endif
}

/* One counter that must not have moved; returns 1 (an error) if it did. */
static unsigned long check_same(const char *what, unsigned long now, unsigned long before)
{
	if (now == before)
		return 0;
	pr_err("%s: %lu, was %lu before the run\n", what, now, before);
	return 1;
}

static unsigned long check_baseline(const struct baseline *b)
{
	struct baseline now;
	unsigned long errors = 0, bad;

	bad = page_alloc_check();
	if (bad)
		pr_err("page_alloc_check(): %lu violations\n", bad);
	errors += bad;
	bad = kmem_check();
	if (bad)
		pr_err("kmem_check(): %lu violations\n", bad);
	errors += bad;
	take_baseline(&now);
	/*
	 * Objects that live across the run (a driver's state reallocated by
	 * a module reload) may end up spread over one more partly used slab:
	 * that page is accounted for, not a leak, as long as the number of
	 * objects in use is the same.
	 */
	errors += check_same("kmalloc objects in use", now.slab_inuse, b->slab_inuse);
	if (check_same("free frames + kmalloc slab pages", now.free_pages + now.slab_pages,
		       b->free_pages + b->slab_pages)) {
		errors++;
		/* Where the difference may be: */
		pr_err("page tables %lu (before %lu), vmalloc %lu (%lu), kmalloc large %lu (%lu)\n",
		       now.pgtable_pages, b->pgtable_pages, now.vmalloc_pages, b->vmalloc_pages,
		       now.large_pages, b->large_pages);
	}
	errors += check_same("slab debugging errors", now.slab_errors, b->slab_errors);
	errors += check_same("UBSAN reports", now.ubsan, b->ubsan);
	errors += check_same("lockdep reports", now.lockdep, b->lockdep);
	errors += check_same("might_sleep reports", now.might_sleep, b->might_sleep);
	errors += check_same("KASAN reports", now.kasan, b->kasan);
#ifdef CONFIG_MODULES
	errors += check_same("loaded modules", now.nr_modules, b->nr_modules);
	errors += check_same("module bytes", now.module_bytes, b->module_bytes);
#endif
	pr_notice("free frames %lu (before %lu), kmalloc slab pages %lu (%lu), objects %lu (%lu); invariants hold: %s\n",
		  now.free_pages, b->free_pages, now.slab_pages, b->slab_pages, now.slab_inuse,
		  b->slab_inuse, errors ? "no" : "yes");
	return errors;
}

#define MAX_THREADS	(NR_CPUS * ST_NR)

static struct task_struct *threads[MAX_THREADS];
static unsigned int nr_threads_started;

static int spawn(enum stress_kind kind, int (*fn)(void *), unsigned int cpu)
{
	struct task_struct *t = kthread_create(fn, (void *)(unsigned long)cpu, "stress/%s/%u",
					       stress_kind_name[kind], cpu);

	if (!t)
		return -ENOMEM;
	if (kthread_bind(t, cpu)) {
		kthread_stop(t);
		return -EINVAL;
	}
	threads[nr_threads_started++] = t;
	stress_kstats[kind].threads++;
	return 0;
}

static int spawn_all(void)
{
	unsigned int cpu, writer = smp_processor_id();
	int ret = 0;

	stress_boxes_init();
	for_each_online_cpu(cpu) {
		ret = ret ?: spawn(ST_FRAMES, stress_frame_worker, cpu);
		ret = ret ?: spawn(ST_SLAB, stress_slab_worker, cpu);
		ret = ret ?: spawn(ST_IPI, stress_ipi_worker, cpu);
#ifdef CONFIG_MODULES
		if (stress_nr_mods)
			ret = ret ?: spawn(ST_MODULES, stress_module_worker, cpu);
#endif
		if (cpu == writer)
			ret = ret ?: spawn(ST_MAP, stress_map_writer, cpu);
		else
			ret = ret ?: spawn(ST_MAP, stress_map_reader, cpu);
	}
	return ret;
}

/* Deadline loop: checks the buddy allocator every few seconds while the workers run. */
static unsigned long supervise(u64 ms)
{
	u64 start = ktime_get_ns(), end = start + ms * NSEC_PER_MSEC;
	u64 next_report = start + 60 * NSEC_PER_SEC;
	unsigned long errors = 0, checks = 0;

	for (u64 now = start; now < end; now = ktime_get_ns()) {
		unsigned long bad;

		msleep((unsigned int)min_t(u64, 2000, (end - now) / NSEC_PER_MSEC + 1));
		bad = page_alloc_check();
		checks++;
		if (bad) {
			pr_err("page_alloc_check() during the run: %lu violations\n", bad);
			errors += bad;
		}
		if (ktime_get_ns() >= next_report) {
			unsigned long ops = 0, errs = 0;

			for (int k = 0; k < ST_NR; k++) {
				ops += __atomic_load_n(&stress_kstats[k].ops, __ATOMIC_RELAXED);
				errs += __atomic_load_n(&stress_kstats[k].errors, __ATOMIC_RELAXED);
			}
			pr_notice("%llu/%llu s: %lu operations, %lu errors so far\n",
				  (ktime_get_ns() - start) / NSEC_PER_SEC,
				  (unsigned long long)ms / 1000, ops, errs + errors);
			next_report += 60 * NSEC_PER_SEC;
		}
	}
	pr_notice("%lu allocator checks during the run\n", checks);
	return errors;
}

#ifdef CONFIG_FAULT_INJECTION
static struct fault_attr *const fault_points[] = { &fail_page_alloc, &fail_slab, &fail_pgtable };

/* Armed points inject silently (the soak counts), from a clean count. */
static unsigned int faults_prepare(void)
{
	unsigned int armed = fault_inject_suspend();

	for (unsigned int i = 0; i < ARRAY_SIZE(fault_points); i++) {
		struct fault_attr *a = fault_points[i];

		a->verbose = 0;
		a->task = NULL;
		__atomic_store_n(&a->nr_calls, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&a->nr_failed, 0, __ATOMIC_RELAXED);
	}
	if (armed)
		pr_notice("fault injection armed at %u point(s): injected failures are expected\n",
			  armed);
	return armed;
}

/* One line per point; an armed point that never injected is an error. */
static unsigned long faults_report(void)
{
	unsigned long errors = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(fault_points); i++) {
		const struct fault_attr *a = fault_points[i];
		bool armed = a->suspended != 0;

		pr_notice("fault %s: %s, %lu calls, %lu injected\n", a->name,
			  armed ? "armed" : "off", a->nr_calls, a->nr_failed);
		if (armed && !a->nr_failed) {
			pr_err("fault %s was armed but injected nothing\n", a->name);
			errors++;
		}
	}
	return errors;
}
#else
static unsigned int faults_prepare(void)
{
	return 0;
}

static unsigned long faults_report(void)
{
	return 0;
}
#endif

long stress_run(void)
{
	struct baseline base;
	unsigned long errors = 0, ops = 0, survived = 0;
	unsigned int faults;
	int ret;

	pr_notice("%lu.%03lu s on %u CPUs (frames, slab, map/shootdown, modules, IPIs)\n",
		  stress_ms / 1000, stress_ms % 1000, num_online_cpus());
	/* Setup and checks run without injection; only the workers' run has it. */
	faults = faults_prepare();
	take_baseline(&base);
#ifdef CONFIG_MODULES
	ret = stress_mods_prepare();
	if (ret)
		return ret;
#endif
	ret = spawn_all();
	if (ret) {
		pr_err("cannot create the workers: %d\n", ret);
		__atomic_store_n(&stress_stop, true, __ATOMIC_RELEASE);
	}
	if (faults && !ret)
		fault_inject_resume();
	for (unsigned int i = 0; i < nr_threads_started; i++)
		wake_up_process(threads[i]);
	if (!ret)
		errors += supervise(stress_ms);
	fault_inject_suspend();
	__atomic_store_n(&stress_stop, true, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < nr_threads_started; i++)
		if (kthread_join(threads[i]))
			errors++;
	stress_drain_boxes();
	errors += stress_wait_async_calls();
#ifdef CONFIG_MODULES
	errors += stress_mods_restore();
#endif
	errors += check_baseline(&base);
	for (int k = 0; k < ST_NR; k++) {
		const struct kind_stats *s = &stress_kstats[k];

		pr_notice("%-8s %u threads, %lu operations, %lu errors (%s %lu, injected failures %lu)\n",
			  stress_kind_name[k], s->threads, s->ops, s->errors,
			  k == ST_FRAMES || k == ST_SLAB ? "handed to another CPU" :
			  k == ST_MAP ? "reads checked" : k == ST_MODULES ? "busy picks" :
			  "async calls", s->aux, s->injected);
		ops += s->ops;
		errors += s->errors;
		survived += s->injected;
	}
	if (faults) {
		errors += faults_report();
		pr_notice("%lu injected failures survived\n", survived);
	}
	pr_notice("%lu operations, %lu errors\n", ops, errors);
	return ret ? ret : (long)errors;
}
