// SPDX-License-Identifier: GPL-2.0
/*
 * Resource tree tests on a private root: inserting, adjacency, overlap and
 * out-of-range refusal, claims nesting under a non-busy node, straddling
 * claims, releases (and a BAR with a claim inside that cannot go), and
 * concurrent claims from several CPUs that must never be granted twice.
 */
#include <exo/atomic.h>
#include <exo/errno.h>
#include <exo/ioport.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/time.h>

static void test_request_release_resource(struct ktest *t)
{
	struct resource root = { .name = "kt-root", .start = 0, .end = 0xffff,
				 .flags = IORESOURCE_IO };
	struct resource a = DEFINE_RES_IO(0x100, 0x100), b = DEFINE_RES_IO(0x200, 0x100);
	struct resource c = DEFINE_RES_IO(0x1ff, 2), d = DEFINE_RES_IO(0xff00, 0x200);
	struct resource e = { .start = 0x10, .end = 0xf };
	struct resource e2 = DEFINE_RES_IO(0x184, 4);
	struct resource *r, *r2;

	a.name = "kt-a";
	b.name = "kt-b";
	KTEST_EXPECT_EQ(t, request_resource(&root, &b), 0);
	KTEST_EXPECT_EQ(t, request_resource(&root, &a), 0);	/* adjacent, before */
	KTEST_EXPECT_TRUE(t, root.child == &a && a.sibling == &b && a.parent == &root);
	KTEST_EXPECT_EQ(t, request_resource(&root, &c), -EBUSY);	/* straddles a/b */
	KTEST_EXPECT_EQ(t, request_resource(&root, &d), -EINVAL);	/* past 0xffff */
	KTEST_EXPECT_EQ(t, request_resource(&root, &e), -EINVAL);	/* empty */
	KTEST_EXPECT_EQ(t, request_resource(&root, &a), -EINVAL);	/* twice */
	KTEST_EXPECT_NULL(t, c.parent);

	/* A claim inside a goes under a; the rest of a stays claimable. */
	r = __request_region(&root, 0x180, 0x10, "kt-claim", 0);
	KTEST_ASSERT_NOT_NULL(t, r);
	KTEST_EXPECT_TRUE(t, r->parent == &a);
	KTEST_EXPECT_TRUE(t, r->flags & IORESOURCE_BUSY);
	KTEST_EXPECT_EQ(t, resource_count_busy(&root), 1u);
	KTEST_EXPECT_NULL(t, __request_region(&root, 0x188, 1, "kt-inside", 0));
	KTEST_EXPECT_NULL(t, __request_region(&root, 0x1f0, 0x20, "kt-straddle", 0));
	KTEST_EXPECT_NULL(t, __request_region(&root, 0xfff0, 0x20, "kt-outside", 0));
	KTEST_EXPECT_NULL(t, __request_region(&root, 0x10, 0, "kt-empty", 0));
	KTEST_EXPECT_NULL(t, __request_region(&root, ~0ULL, 2, "kt-wrap", 0));
	r2 = __request_region(&root, 0x100, 0x80, "kt-claim2", 0);
	KTEST_ASSERT_NOT_NULL(t, r2);
	/* Outside any node: directly under the root. */
	KTEST_EXPECT_TRUE(t, __request_region(&root, 0x400, 4, "kt-free", 0)->parent == &root);
	KTEST_EXPECT_EQ(t, resource_count_busy(&root), 3u);

	KTEST_EXPECT_EQ(t, release_resource(&a), -EBUSY);
	__release_region(&root, 0x180, 0x8);		/* not that size: logged, kept */
	KTEST_EXPECT_EQ(t, resource_count_busy(&root), 3u);
	/* A claim with a node inside it: logged, kept, and the node too. */
	KTEST_EXPECT_EQ(t, request_resource(r, &e2), 0);
	__release_region(&root, 0x180, 0x10);
	KTEST_EXPECT_TRUE(t, r->parent == &a && a.child == r2 && r2->sibling == r);
	KTEST_EXPECT_TRUE(t, e2.parent == r && r->child == &e2);
	KTEST_EXPECT_EQ(t, release_resource(&e2), 0);
	__release_region(&root, 0x180, 0x10);
	__release_region(&root, 0x100, 0x80);
	__release_region(&root, 0x400, 4);
	KTEST_EXPECT_EQ(t, resource_count_busy(&root), 0u);
	KTEST_EXPECT_EQ(t, release_resource(&a), 0);
	KTEST_EXPECT_EQ(t, release_resource(&a), -EINVAL);
	KTEST_EXPECT_EQ(t, request_resource(&root, &c), -EBUSY);	/* b is still there */
	KTEST_EXPECT_EQ(t, release_resource(&b), 0);
	KTEST_EXPECT_EQ(t, request_resource(&root, &c), 0);	/* room now */
	KTEST_EXPECT_EQ(t, release_resource(&c), 0);
	KTEST_EXPECT_NULL(t, root.child);
}

#define SLOTS		64
#define SLOT_SIZE	16
#define ROUNDS		1000

struct claim_race {
	struct resource root;
	atomic_t owners[SLOTS + 1];
	atomic_t granted, doubles;
};

/* Each claim covers two slots, so neighbours' claims overlap. */
static void claim_worker(void *arg, unsigned int id)
{
	struct claim_race *cr = arg;
	u32 seed = 0x9e3779b9u * (id + 1);

	for (int i = 0; i < ROUNDS; i++) {
		unsigned int k;
		struct resource *r;

		seed = seed * 1664525u + 1013904223u;
		k = (seed >> 16) % SLOTS;
		r = __request_region(&cr->root, (u64)k * SLOT_SIZE, 2 * SLOT_SIZE, "kt-race", 0);
		if (!r)
			continue;
		atomic_inc(&cr->granted);
		if (atomic_inc_return(&cr->owners[k]) != 1 ||
		    atomic_inc_return(&cr->owners[k + 1]) != 1)
			atomic_inc(&cr->doubles);
		udelay(2);		/* hold it, so that others collide */
		atomic_dec(&cr->owners[k]);
		atomic_dec(&cr->owners[k + 1]);
		__release_region(&cr->root, (u64)k * SLOT_SIZE, 2 * SLOT_SIZE);
	}
}

static struct claim_race race;

static void test_concurrent_claims(struct ktest *t)
{
	int n;

	race = (struct claim_race){ .root = { .name = "kt-race-root", .start = 0,
					      .end = (SLOTS + 1) * SLOT_SIZE - 1,
					      .flags = IORESOURCE_MEM } };
	n = ktest_run_on_cpus(4, claim_worker, &race);
	KTEST_ASSERT_GT(t, n, 0);
	KTEST_EXPECT_EQ(t, atomic_read(&race.doubles), 0);
	KTEST_EXPECT_GT(t, atomic_read(&race.granted), 0);
	KTEST_EXPECT_EQ(t, resource_count_busy(&race.root), 0u);
	KTEST_EXPECT_NULL(t, race.root.child);
	ktest_log(t, "%d workers, %d of %d claims granted", n, atomic_read(&race.granted),
		  n * ROUNDS);
}

static struct ktest_case resource_cases[] = {
	KTEST_CASE(test_request_release_resource),
	KTEST_CASE_FLAGS(test_concurrent_claims, KTEST_F_SMP),
	{}
};

static struct ktest_suite resource_suite = {
	.name = "resource",
	.cases = resource_cases,
};
KTEST_SUITE(resource_suite);
