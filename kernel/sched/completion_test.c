// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of completions: a complete() before the wait is not lost, a
 * complete() after it wakes the waiter, each complete() lets exactly one
 * wait through, complete_all() wakes every waiter on every CPU and stays
 * done until reinit_completion(), and a timed wait returns 0 on timeout.
 */
#include <exo/completion.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/time.h>

static void test_complete_before_wait(struct ktest *t)
{
	DECLARE_COMPLETION(c);

	KTEST_EXPECT_FALSE(t, completion_done(&c));
	KTEST_EXPECT_FALSE(t, try_wait_for_completion(&c));
	complete(&c);
	KTEST_EXPECT_TRUE(t, completion_done(&c));
	wait_for_completion(&c);		/* returns at once */
	KTEST_EXPECT_FALSE(t, completion_done(&c));
	/* Counted: two complete()s let two waits through, not three. */
	complete(&c);
	complete(&c);
	KTEST_EXPECT_TRUE(t, try_wait_for_completion(&c));
	KTEST_EXPECT_GT(t, wait_for_completion_timeout(&c, 1), 0ul);
	KTEST_EXPECT_FALSE(t, try_wait_for_completion(&c));
}

struct waiter_ctx {
	struct completion *c;
	int woken;
};

static int completion_waiter(void *arg)
{
	struct waiter_ctx *w = arg;

	wait_for_completion(w->c);
	WRITE_ONCE(w->woken, 1);
	return 0;
}

static void test_complete_after_wait(struct ktest *t)
{
	static struct completion c;
	static struct waiter_ctx w;
	struct task_struct *k;

	init_completion(&c);
	w = (struct waiter_ctx){ .c = &c };
	k = kthread_run(completion_waiter, &w, "kt-compl");
	KTEST_ASSERT_NOT_NULL(t, k);
	msleep(5);
	KTEST_EXPECT_EQ(t, READ_ONCE(w.woken), 0);
	complete(&c);
	KTEST_EXPECT_EQ(t, kthread_join(k), 0);
	KTEST_EXPECT_EQ(t, w.woken, 1);
	KTEST_EXPECT_FALSE(t, completion_done(&c));	/* the waiter consumed it */
}

static void test_complete_all(struct ktest *t)
{
	static struct completion c;
	static struct waiter_ctx w[2 * NR_CPUS];
	struct task_struct *k[2 * NR_CPUS];
	unsigned int n = 0, cpu;

	init_completion(&c);
	for_each_online_cpu(cpu) {
		for (int j = 0; j < 2; j++) {
			w[n] = (struct waiter_ctx){ .c = &c };
			k[n] = kthread_create(completion_waiter, &w[n], "kt-compl%u", cpu);
			KTEST_ASSERT_NOT_NULL(t, k[n]);
			KTEST_EXPECT_EQ(t, kthread_bind(k[n], cpu), 0);
			wake_up_process(k[n++]);
		}
	}
	msleep(5);
	for (unsigned int i = 0; i < n; i++)
		KTEST_EXPECT_EQ(t, READ_ONCE(w[i].woken), 0);
	complete_all(&c);
	for (unsigned int i = 0; i < n; i++) {
		KTEST_EXPECT_EQ(t, kthread_join(k[i]), 0);
		KTEST_EXPECT_EQ(t, w[i].woken, 1);
	}
	/* Done for every later wait too, until reinitialised. */
	KTEST_EXPECT_TRUE(t, completion_done(&c));
	wait_for_completion(&c);
	KTEST_EXPECT_TRUE(t, try_wait_for_completion(&c));
	KTEST_EXPECT_TRUE(t, completion_done(&c));
	reinit_completion(&c);
	KTEST_EXPECT_FALSE(t, completion_done(&c));
	KTEST_EXPECT_FALSE(t, try_wait_for_completion(&c));
}

static int complete_later(void *arg)
{
	msleep(2);
	complete(arg);
	return 0;
}

static void test_completion_timeout(struct ktest *t)
{
	static struct completion c;
	struct task_struct *k;
	u64 start = ktime_get_ns();

	init_completion(&c);
	KTEST_EXPECT_EQ(t, wait_for_completion_timeout(&c, 2), 0ul);
	KTEST_EXPECT_GE(t, ktime_get_ns() - start, TICK_NSEC);	/* 1 to 2 periods */
	KTEST_EXPECT_EQ(t, wait_for_completion_timeout(&c, 0), 0ul);
	/* Completed from another thread before the time runs out: time left. */
	k = kthread_run(complete_later, &c, "kt-compl-late");
	KTEST_ASSERT_NOT_NULL(t, k);
	KTEST_EXPECT_GT(t, wait_for_completion_timeout(&c, 10 * HZ), 0ul);
	KTEST_EXPECT_EQ(t, kthread_join(k), 0);
	KTEST_EXPECT_FALSE(t, completion_done(&c));
}

/*
 * The usual pattern: a completion inside an object the waiter frees as
 * soon as it returns.  complete() must not touch it after the waiter can
 * see it done (KASAN and page poisoning catch a late touch).
 */
#define FREED_ROUNDS	200

struct freed_req {
	struct completion done;
	int result;
};

static struct freed_req *volatile freed_slot;

static int freed_completer(void *arg)
{
	for (int i = 0; i < FREED_ROUNDS; i++) {
		struct freed_req *r;

		while (!(r = READ_ONCE(freed_slot)))
			yield();
		WRITE_ONCE(freed_slot, NULL);
		r->result = i;
		complete(&r->done);
	}
	return 0;
}

static void test_completion_freed_by_waiter(struct ktest *t)
{
	struct task_struct *k;
	int bad = 0;

	freed_slot = NULL;
	k = kthread_run(freed_completer, NULL, "kt-compl-free");
	KTEST_ASSERT_NOT_NULL(t, k);
	for (int i = 0; i < FREED_ROUNDS; i++) {
		struct freed_req *r = kmalloc(sizeof(*r), GFP_KERNEL);

		if (!r) {
			bad++;
			break;
		}
		init_completion(&r->done);
		r->result = -1;
		WRITE_ONCE(freed_slot, r);
		wait_for_completion(&r->done);
		bad += r->result != i;
		kfree(r);
	}
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_EQ(t, kthread_join(k), 0);
}

static struct ktest_case completion_cases[] = {
	KTEST_CASE(test_complete_before_wait),
	KTEST_CASE(test_complete_after_wait),
	KTEST_CASE(test_complete_all),
	KTEST_CASE(test_completion_timeout),
	KTEST_CASE(test_completion_freed_by_waiter),
	{}
};

static struct ktest_suite completion_suite = {
	.name = "completion",
	.cases = completion_cases,
};
KTEST_SUITE(completion_suite);
