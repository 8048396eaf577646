// SPDX-License-Identifier: GPL-2.0
/*
 * Unwinding under injection: real kernel operations that take several
 * allocations (page tables for map_page/map_range, an address space and
 * its tables, vmalloc, a kernel thread, a module load with its init, a
 * driver probe with devres) run once per allocation they make, with
 * exactly the k-th allocation failing, for every k, at each injection
 * point that applies (fail_page_alloc, fail_slab, fail_pgtable).
 *
 * What each run must show: the caller gets -ENOMEM (NULL), nothing is
 * left behind - no partial mapping (translate() says unmapped), the
 * settled free-frame count, the page-table count, the vmalloc page count
 * and the kmalloc objects in use all back at their baselines - and the
 * first k with no injected failure (the operation makes fewer than k
 * allocations) is a complete, real success, checked and undone.
 *
 * Injection is restricted to the test's own thread (attr->task), so other
 * threads allocating meanwhile are left alone; the exit hook switches
 * every point off even when a case aborts.
 */
#include <exo/device.h>
#include <exo/errno.h>
#include <exo/fault_inject.h>
#include <exo/ktest.h>
#include <exo/kthread.h>
#include <exo/module.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/vmalloc.h>
#if defined(CONFIG_MODULES)
#include "../kernel/module-internal.h"
#endif

/* Scratch page-table slots no other test uses (Documentation/mm/layout.rst). */
#define FI_VA		0xffffe18000000000UL	/* its own PML4 slot (0x1c3) */
#define FI_LOW_VA	(512UL << 30)		/* lower half: a PML4 boundary */
#define FI_PA		0x0000004000001000ULL	/* never accessed: translate only */
#define MAX_STEPS	64

static struct fault_attr *const points[] = { &fail_page_alloc, &fail_slab, &fail_pgtable };

static void unwind_exit(struct ktest *t)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(points); i++) {
		fault_attr_disable(points[i]);
		WRITE_ONCE(points[i]->task, NULL);
		points[i]->verbose = 1;
	}
}

struct fi_base {
	unsigned long free, tables, vm, objs;
};

static void base_take(struct fi_base *b)
{
	b->free = ktest_settled_free_pages();
	b->tables = nr_pgtable_pages();
	b->vm = vmalloc_nr_pages();
	b->objs = kmalloc_usage(NULL);
}

static void expect_base(struct ktest *t, const struct fi_base *b, unsigned int k)
{
	struct fi_base now;

	base_take(&now);
	if (now.free == b->free && now.tables == b->tables && now.vm == b->vm &&
	    now.objs == b->objs)
		return;
	ktest_fail(t, __FILE__, __LINE__,
		   "step %u: free %lu (base %lu), tables %lu (%lu), vmalloc %lu (%lu), objects %lu (%lu)",
		   k, now.free, b->free, now.tables, b->tables, now.vm, b->vm, now.objs, b->objs);
}

/*
 * An operation: 0 after a complete success (checked and undone by the op
 * itself), or the error it got; after an error it checks that nothing it
 * would have set up is visible.
 */
typedef int (*fi_op_t)(struct ktest *t, void *arg);

/*
 * Fail the k-th allocation @attr sees from this thread, k = 1, 2, ...,
 * until a run sees none.  Each failed run must return -ENOMEM, unless
 * @may_recover: then the caller may also absorb the failure and succeed
 * (the slab allocator retries a failed slab page), which the op checks as
 * any success.  Return: the number of allocation steps failed.
 */
static unsigned int every_step(struct ktest *t, struct fault_attr *attr, fi_op_t op, void *arg,
			       bool may_recover)
{
	unsigned int k, recovered = 0, failures = t->failures;
	struct fi_base base;
	char spec[32];
	int ret;

	base_take(&base);
	for (k = 1; k <= MAX_STEPS; k++) {
		snprintf(spec, sizeof(spec), "%u,100,0,1", k);
		attr->task = current;
		attr->verbose = 0;
		KTEST_ASSERT_EQ(t, setup_fault_attr(attr, spec), 0);
		ret = op(t, arg);
		fault_attr_disable(attr);
		if (!attr->nr_failed) {
			KTEST_EXPECT_EQ(t, ret, 0);
			break;
		}
		if (!ret && may_recover)
			recovered++;
		else if (ret != -ENOMEM)
			ktest_fail(t, __FILE__, __LINE__, "%s step %u: %d, want -ENOMEM",
				   attr->name, k, ret);
		expect_base(t, &base, k);
		if (t->failures != failures)
			break;
	}
	KTEST_EXPECT_LE(t, k, (unsigned int)MAX_STEPS);
	expect_base(t, &base, k);
	ktest_log(t, "%s: %u allocation steps failed and unwound (%u recovered by the caller)",
		  attr->name, k - 1, recovered);
	return k - 1;
}

/* ---- page tables ---- */

struct range_arg {
	unsigned long va;
	size_t size;
};

/* Every page of the range maps to FI_PA + offset, or (@mapped false) none does. */
static void expect_mapping(struct ktest *t, const struct range_arg *r, bool mapped)
{
	for (size_t off = 0; off < r->size; off += PAGE_SIZE) {
		phys_addr_t pa = 0;
		int ret = translate(r->va + off, &pa);

		if (mapped ? ret || pa != FI_PA + off : ret != -ENOENT) {
			ktest_fail(t, __FILE__, __LINE__, "%#lx: translate %d pa %#llx (%s)",
				   r->va + off, ret, (unsigned long long)pa,
				   mapped ? "want mapped" : "want unmapped");
			return;
		}
	}
}

static int op_map_range(struct ktest *t, void *arg)
{
	struct range_arg *r = arg;
	int ret = map_range(r->va, FI_PA, r->size, 0);

	expect_mapping(t, r, !ret);
	if (!ret)
		KTEST_EXPECT_EQ(t, unmap_range(r->va, r->size), 0);
	return ret;
}

static int op_map_page(struct ktest *t, void *arg)
{
	struct range_arg *r = arg;
	int ret = map_page(r->va, FI_PA, 0);

	expect_mapping(t, r, !ret);
	if (!ret)
		KTEST_EXPECT_EQ(t, unmap_page(r->va), 0);
	return ret;
}

/*
 * 4 KiB pages (FI_PA is not 2 MiB-aligned) from 2 MiB + 8 KiB below a 1 GiB
 * boundary to 2 MiB + 8 KiB above it: two page directories and four page
 * tables, created one after the other.
 */
static void test_map_range_every_step(struct ktest *t)
{
	struct range_arg r = { FI_VA + (1UL << 30) - PMD_SIZE - 2 * PAGE_SIZE,
			       2 * PMD_SIZE + 4 * PAGE_SIZE };

	KTEST_EXPECT_EQ(t, every_step(t, &fail_pgtable, op_map_range, &r, false), 6U);
	/* Tables come from the page allocator: its failures unwind the same way. */
	KTEST_EXPECT_EQ(t, every_step(t, &fail_page_alloc, op_map_range, &r, false), 6U);
}

static void test_map_page_every_step(struct ktest *t)
{
	struct range_arg r = { FI_VA + (5UL << 30), PAGE_SIZE };

	KTEST_EXPECT_EQ(t, every_step(t, &fail_pgtable, op_map_page, &r, false), 2U);
	KTEST_EXPECT_EQ(t, every_step(t, &fail_page_alloc, op_map_page, &r, false), 2U);
}

/*
 * An address space and a mapping across a lower-half PML4 boundary: the
 * PML4 itself, then per side a PDPT, a PD and a PT.
 */
static int op_mm(struct ktest *t, void *arg)
{
	const struct range_arg r = { FI_LOW_VA - 2 * PAGE_SIZE, 4 * PAGE_SIZE };
	struct mm_struct *mm = NULL;
	phys_addr_t pa;
	int ret = mm_create(&mm);

	if (ret) {
		KTEST_EXPECT_NULL(t, mm);
		return ret;
	}
	ret = mm_map_range(mm, r.va, FI_PA, r.size, 0);
	for (size_t off = 0; off < r.size; off += PAGE_SIZE) {
		int tr = mm_translate(mm, r.va + off, &pa);

		if (ret ? tr != -ENOENT : tr || pa != FI_PA + off)
			ktest_fail(t, __FILE__, __LINE__, "%#lx: mm_translate %d after map %d",
				   r.va + off, tr, ret);
	}
	KTEST_EXPECT_EQ(t, mm_destroy(mm), 0);
	return ret;
}

static void test_mm_every_step(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, every_step(t, &fail_pgtable, op_mm, NULL, false), 7U);
	/* Plus the mm_struct's own page. */
	KTEST_EXPECT_EQ(t, every_step(t, &fail_page_alloc, op_mm, NULL, false), 8U);
}

/* ---- vmalloc ---- */

static int op_vmalloc(struct ktest *t, void *arg)
{
	size_t size = *(size_t *)arg;
	u8 *p = vmalloc(size);
	phys_addr_t pa;

	if (!p)
		return -ENOMEM;
	for (size_t off = 0; off < size; off += PAGE_SIZE) {
		if (translate((unsigned long)p + off, &pa)) {
			ktest_fail(t, __FILE__, __LINE__, "vmalloc page %p+%#zx unmapped", p, off);
			break;
		}
		p[off] = (u8)(off >> PAGE_SHIFT);
	}
	for (size_t off = 0; off < size; off += PAGE_SIZE)
		if (p[off] != (u8)(off >> PAGE_SHIFT)) {
			ktest_fail(t, __FILE__, __LINE__, "vmalloc page %p+%#zx lost its byte", p,
				   off);
			break;
		}
	vfree(p);
	return 0;
}

static void test_vmalloc_every_step(struct ktest *t)
{
	size_t small = 12 * PAGE_SIZE, big = PMD_SIZE + 3 * PAGE_SIZE;

	/* A frame per page plus whatever tables and descriptor pages it needs. */
	KTEST_EXPECT_GE(t, every_step(t, &fail_page_alloc, op_vmalloc, &small, false), 12U);
	/* More than 2 MiB always needs at least one new page table. */
	KTEST_EXPECT_GE(t, every_step(t, &fail_pgtable, op_vmalloc, &big, false), 1U);
}

/* ---- a kernel thread: task page, stack frames, stack page tables ---- */

static int fi_thread(void *arg)
{
	WRITE_ONCE(*(int *)arg, 1);
	return 42;
}

static int op_kthread(struct ktest *t, void *arg)
{
	int ran = 0;
	struct task_struct *th = kthread_create(fi_thread, &ran, "fi_unwind");

	if (!th)
		return -ENOMEM;
	wake_up_process(th);
	KTEST_EXPECT_EQ(t, kthread_join(th), 42);
	KTEST_EXPECT_EQ(t, ran, 1);
	return 0;
}

static void test_kthread_every_step(struct ktest *t)
{
	unsigned int threads = nr_threads();

	KTEST_EXPECT_GE(t, every_step(t, &fail_page_alloc, op_kthread, NULL, false), 2U);
	every_step(t, &fail_pgtable, op_kthread, NULL, false);
	KTEST_EXPECT_EQ(t, nr_threads(), threads);
}

/* ---- a module load: loader state, module memory, then its init ---- */

#if defined(CONFIG_MODULES)
static const struct modtest_blob *find_blob(const char *name)
{
	for (unsigned long i = 0; i < modtest_nr_blobs; i++)
		if (!strcmp(modtest_blobs[i].name, name))
			return &modtest_blobs[i];
	return NULL;
}

/*
 * modtest_a: the loader's scratch and module memory (vmalloc frames and
 * tables, permission splits), then its init takes a page, a kmalloc buffer
 * and a frame it maps with map_page(), unwinding with goto.
 */
static int op_module(struct ktest *t, void *arg)
{
	const struct modtest_blob *b = arg;
	unsigned int nr = module_nr_loaded();
	size_t bytes = module_bytes_allocated();
	int ret = load_module(b->start, (size_t)(b->end - b->start), NULL);

	if (ret) {
		KTEST_EXPECT_NULL(t, find_module(b->name));
		KTEST_EXPECT_EQ(t, module_nr_loaded(), nr);
		KTEST_EXPECT_EQ(t, module_bytes_allocated(), bytes);
		return ret;
	}
	KTEST_EXPECT_NOT_NULL(t, find_module(b->name));
	KTEST_EXPECT_EQ(t, unload_module(b->name), 0);
	KTEST_EXPECT_EQ(t, module_bytes_allocated(), bytes);
	return 0;
}

static void test_module_load_every_step(struct ktest *t)
{
	const struct modtest_blob *b = find_blob("modtest_a");

	KTEST_ASSERT_NOT_NULL(t, b);
	KTEST_ASSERT_TRUE(t, !find_module(b->name));
	KTEST_EXPECT_GE(t, every_step(t, &fail_page_alloc, op_module, (void *)b, true), 3U);
	/* Its init's kmalloc; with the function tracer, its site table and descriptor. */
	KTEST_EXPECT_EQ(t, every_step(t, &fail_slab, op_module, (void *)b, false),
			IS_ENABLED(CONFIG_FUNCTION_TRACER) ? 3U : 1U);
	KTEST_EXPECT_GE(t, every_step(t, &fail_pgtable, op_module, (void *)b, false), 1U);
}
#else
static void test_module_load_every_step(struct ktest *t)
{
	KTEST_SKIP(t, "CONFIG_MODULES is off");
}
#endif

/* ---- a driver probe with devres: every devm_ node is a kzalloc ---- */

struct fi_drv {
	struct device_driver drv;
	int actions;
};

static bool fi_match_on;
static int fi_actions_run;

static int fi_match(struct device *dev, struct device_driver *drv)
{
	return READ_ONCE(fi_match_on);
}

static void fi_action(void *data)
{
	fi_actions_run++;
}

/* Four devres nodes over three kmalloc tiers, and a release action. */
static int fi_probe(struct device *dev)
{
	static const size_t sizes[] = { 40, 1000, 6000 };

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		u8 *p = devm_kzalloc(dev, sizes[i], GFP_KERNEL);

		if (!p)
			return -ENOMEM;
		p[sizes[i] - 1] = 1;
	}
	return devm_add_action(dev, fi_action, NULL);
}

static void fi_dev_release(struct device *dev)
{
}

static struct bus_type fi_bus = { .name = "fibus", .match = fi_match };
static struct fi_drv fi_driver = { .drv = { .name = "fi-drv", .bus = &fi_bus,
	.probe = fi_probe } };
static struct device fi_dev;

static int op_probe(struct ktest *t, void *arg)
{
	int ran = fi_actions_run;
	int ret = device_bind_driver(&fi_dev, &fi_driver.drv);

	if (ret) {
		/* A failed probe leaves the device as it was: unbound, no devres. */
		KTEST_EXPECT_NULL(t, fi_dev.driver);
		KTEST_EXPECT_EQ(t, devres_count(&fi_dev), 0U);
		return ret;
	}
	KTEST_EXPECT_TRUE(t, fi_dev.driver == &fi_driver.drv);
	KTEST_EXPECT_EQ(t, devres_count(&fi_dev), 4U);
	device_release_driver(&fi_dev);
	KTEST_EXPECT_EQ(t, fi_actions_run, ran + 1);
	KTEST_EXPECT_EQ(t, devres_count(&fi_dev), 0U);
	return 0;
}

static void test_probe_every_step(struct ktest *t)
{
	WRITE_ONCE(fi_match_on, false);
	KTEST_ASSERT_EQ(t, bus_register(&fi_bus), 0);
	KTEST_EXPECT_EQ(t, driver_register(&fi_driver.drv), 0);
	memset(&fi_dev, 0, sizeof(fi_dev));
	device_initialize(&fi_dev);
	dev_set_name(&fi_dev, "fi0");
	fi_dev.bus = &fi_bus;
	fi_dev.release = fi_dev_release;
	KTEST_EXPECT_EQ(t, device_add(&fi_dev), 0);
	WRITE_ONCE(fi_match_on, true);
	if (!t->failures)
		/*
		 * Steps 5 and 6 are the bind and unbind uevents' allocations:
		 * a lost event, as in Linux, so the probe may succeed there.
		 */
		KTEST_EXPECT_EQ(t, every_step(t, &fail_slab, op_probe, NULL, true), 6U);
	device_unregister(&fi_dev);
	driver_unregister(&fi_driver.drv);
	KTEST_EXPECT_EQ(t, bus_unregister(&fi_bus), 0);
}

static struct ktest_case unwind_cases[] = {
	KTEST_CASE(test_map_page_every_step),
	KTEST_CASE(test_map_range_every_step),
	KTEST_CASE(test_mm_every_step),
	KTEST_CASE(test_vmalloc_every_step),
	KTEST_CASE(test_kthread_every_step),
	KTEST_CASE(test_module_load_every_step),
	KTEST_CASE(test_probe_every_step),
	{}
};

static struct ktest_suite unwind_suite = {
	.name = "fault_inject_unwind",
	.cases = unwind_cases,
	.exit = unwind_exit,
};
KTEST_SUITE(unwind_suite);
