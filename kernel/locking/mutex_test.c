// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of sleeping mutexes: mutual exclusion with an exact shared counter
 * and owner checks under contention from two threads per CPU, hand-over
 * to the waiters in arrival order, trylock, refusal of an unlock by a
 * thread that does not own the mutex, and (CONFIG_LOCKDEP) an A->B / B->A
 * order on a mutex pair reported once, without a real deadlock, and the
 * order of two mutexes of one class nested with mutex_lock_nested().
 */
#include <exo/completion.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/lockdep.h>
#include <exo/mutex.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/time.h>

static DEFINE_MUTEX(test_static_mutex);

static void test_mutex_basic(struct ktest *t)
{
	struct mutex m;

	mutex_init(&m);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&m));
	KTEST_EXPECT_NULL(t, mutex_owner(&m));
	mutex_lock(&m);
	KTEST_EXPECT_TRUE(t, mutex_is_locked(&m));
	KTEST_EXPECT_TRUE(t, mutex_owner(&m) == current);
	KTEST_EXPECT_TRUE(t, mutex_held_by_current(&m));
	lockdep_assert_held(&m);
	/* Not recursive: a trylock by the owner fails. */
	KTEST_EXPECT_EQ(t, mutex_trylock(&m), 0);
	mutex_unlock(&m);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&m));
	KTEST_EXPECT_EQ(t, mutex_trylock(&m), 1);
	KTEST_EXPECT_TRUE(t, mutex_owner(&m) == current);
	mutex_unlock(&m);

	mutex_lock(&test_static_mutex);
	KTEST_EXPECT_TRUE(t, mutex_is_locked(&test_static_mutex));
	mutex_unlock(&test_static_mutex);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&test_static_mutex));
}

/*
 * Threads increment one counter under the mutex with a non-atomic
 * read-modify-write, checking that they are alone (an atomic occupancy
 * count) and the owner; every few rounds the holder sleeps or yields inside
 * the critical section, so that waiters really queue and sleep.
 */
struct contention_ctx {
	struct mutex lock;
	unsigned long counter;
	atomic_t inside;
	atomic_t bad;			/* occupancy or owner violations */
	unsigned int rounds;
};

static int contention_thread(void *arg)
{
	struct contention_ctx *c = arg;

	for (unsigned int i = 0; i < c->rounds; i++) {
		mutex_lock(&c->lock);
		if (atomic_add_return(1, &c->inside) != 1 || mutex_owner(&c->lock) != current)
			atomic_inc(&c->bad);
		WRITE_ONCE(c->counter, READ_ONCE(c->counter) + 1);
		if (!(i % 16))
			yield();
		if (!(i % 64))
			msleep(1);
		atomic_sub(1, &c->inside);
		mutex_unlock(&c->lock);
	}
#ifdef CONFIG_LOCKDEP
	if (lockdep_task_depth())
		atomic_inc(&c->bad);
#endif
	return 0;
}

static void test_mutex_contention(struct ktest *t)
{
	static struct contention_ctx c;
	struct task_struct *k[2 * NR_CPUS];
	unsigned int n = 0, cpu;

	memset(&c, 0, sizeof(c));
	mutex_init(&c.lock);
	c.rounds = max(64u, 1024 / (2 * num_online_cpus()));
	for_each_online_cpu(cpu) {
		for (int j = 0; j < 2; j++) {
			k[n] = kthread_create(contention_thread, &c, "kt-mutex%u", cpu);
			KTEST_ASSERT_NOT_NULL(t, k[n]);
			KTEST_EXPECT_EQ(t, kthread_bind(k[n], cpu), 0);
			n++;
		}
	}
	for (unsigned int i = 0; i < n; i++)
		wake_up_process(k[i]);
	for (unsigned int i = 0; i < n; i++)
		KTEST_EXPECT_EQ(t, kthread_join(k[i]), 0);
	KTEST_EXPECT_EQ(t, c.counter, (unsigned long)n * c.rounds);
	KTEST_EXPECT_EQ(t, atomic_read(&c.bad), 0);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&c.lock));
	ktest_log(t, "%u threads on %u CPUs, %u rounds each", n, num_online_cpus(), c.rounds);
}

/* Waiters queue one after another; each records when it got the mutex. */
struct order_ctx {
	struct mutex lock;
	atomic_t next;
	int got[4];
};

static struct order_ctx order;

static int order_thread(void *arg)
{
	long me = (long)arg;

	mutex_lock(&order.lock);
	order.got[me] = atomic_add_return(1, &order.next) - 1;
	mutex_unlock(&order.lock);
	return 0;
}

/* Wait until @k sleeps (on the mutex: it does nothing else). */
static bool wait_blocked(struct task_struct *k)
{
	for (int i = 0; i < 2000; i++) {
		if (READ_ONCE(k->state) == TASK_UNINTERRUPTIBLE)
			return true;
		msleep(1);
	}
	return false;
}

static void test_mutex_handoff_order(struct ktest *t)
{
	struct task_struct *k[ARRAY_SIZE(order.got)];
	int cpu = -1;

	memset(&order, 0, sizeof(order));
	mutex_init(&order.lock);
	mutex_lock(&order.lock);
	for (long i = 0; i < (long)ARRAY_SIZE(k); i++) {
		k[i] = kthread_create(order_thread, (void *)i, "kt-mxord%ld", i);
		KTEST_ASSERT_NOT_NULL(t, k[i]);
		/* Spread over the CPUs: the order must not depend on placement. */
		cpu = (int)cpumask_next(cpu, &cpu_online_mask);
		if (cpu >= NR_CPUS)
			cpu = (int)cpumask_next(-1, &cpu_online_mask);
		KTEST_EXPECT_EQ(t, kthread_bind(k[i], (unsigned int)cpu), 0);
		wake_up_process(k[i]);
		KTEST_EXPECT_TRUE(t, wait_blocked(k[i]));
	}
	mutex_unlock(&order.lock);
	/* Handed over, not released: the oldest waiter owns it before it runs. */
	KTEST_EXPECT_TRUE(t, mutex_owner(&order.lock) == k[0] ||
			  atomic_read(&order.next) > 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(k); i++)
		KTEST_EXPECT_EQ(t, kthread_join(k[i]), 0);
	for (int i = 0; i < (int)ARRAY_SIZE(k); i++)
		KTEST_EXPECT_EQ(t, order.got[i], i);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&order.lock));
}

/* A thread that holds a mutex until told to let go. */
struct holder_ctx {
	struct mutex *lock;
	struct completion locked, release;
};

static int holder_thread(void *arg)
{
	struct holder_ctx *h = arg;
	int ret;

	mutex_lock(h->lock);
	complete(&h->locked);
	wait_for_completion(&h->release);
	/* Still ours after another thread's refused unlock. */
	ret = mutex_held_by_current(h->lock) ? 0 : -EPERM;
	mutex_unlock(h->lock);
	return ret;
}

static void test_mutex_trylock_and_owner(struct ktest *t)
{
	static struct holder_ctx h;
	static struct mutex m;
	struct task_struct *k;

	mutex_init(&m);
	h.lock = &m;
	init_completion(&h.locked);
	init_completion(&h.release);
	k = kthread_run(holder_thread, &h, "kt-mxhold");
	KTEST_ASSERT_NOT_NULL(t, k);
	wait_for_completion(&h.locked);
	KTEST_EXPECT_TRUE(t, mutex_owner(&m) == k);
	KTEST_EXPECT_FALSE(t, mutex_held_by_current(&m));
	KTEST_EXPECT_EQ(t, mutex_trylock(&m), 0);
	/* Not ours to unlock: refused (a warning is printed), still held. */
	ktest_log(t, "a refused mutex_unlock warning follows");
	mutex_unlock(&m);
	KTEST_EXPECT_TRUE(t, mutex_owner(&m) == k);
	complete(&h.release);
	KTEST_EXPECT_EQ(t, kthread_join(k), 0);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&m));
	KTEST_EXPECT_EQ(t, mutex_trylock(&m), 1);
	mutex_unlock(&m);
}

#ifdef CONFIG_LOCKDEP
static struct lock_class_key abba_keys[2];
static struct mutex abba[2];
static bool abba_used;

static unsigned long lockdep_reports(void)
{
	struct lockdep_stats st;

	lockdep_get_stats(&st);
	return st.nr_reports;
}

static int lock_a_then_b(void *unused)
{
	mutex_lock(&abba[0]);
	mutex_lock(&abba[1]);
	mutex_unlock(&abba[1]);
	mutex_unlock(&abba[0]);
	return 0;
}

/*
 * One thread takes A then B; later this thread takes B then A: reported
 * once, at the second acquisition and before blocking, though nothing
 * deadlocked (the two never overlapped).  Orders are per class and the
 * held stack is per thread, so the two threads' histories combine.
 */
static void test_mutex_abba_reported(struct ktest *t)
{
	unsigned long before = lockdep_reports();
	struct lockdep_stats st;
	struct task_struct *k;

	if (abba_used)
		KTEST_SKIP(t, "the classes have recorded orders (run again after a reboot)");
	abba_used = true;
	__mutex_init(&abba[0], "test_mutex_A", &abba_keys[0]);
	__mutex_init(&abba[1], "test_mutex_B", &abba_keys[1]);
	k = kthread_run(lock_a_then_b, NULL, "kt-mxab");
	KTEST_ASSERT_NOT_NULL(t, k);
	KTEST_EXPECT_EQ(t, kthread_join(k), 0);
	KTEST_EXPECT_EQ(t, lockdep_reports(), before);

	ktest_log(t, "a circular locking report follows");
	mutex_lock(&abba[1]);
	KTEST_EXPECT_EQ(t, lockdep_task_depth(), 1u);
	mutex_lock(&abba[0]);
	KTEST_EXPECT_EQ(t, lockdep_task_depth(), 2u);
	mutex_unlock(&abba[0]);
	mutex_unlock(&abba[1]);
	KTEST_EXPECT_EQ(t, lockdep_task_depth(), 0u);
	lockdep_get_stats(&st);
	KTEST_EXPECT_EQ(t, st.nr_reports, before + 1);
	KTEST_EXPECT_TRUE(t, st.last_held && !strcmp(st.last_held, "test_mutex_B"));
	KTEST_EXPECT_TRUE(t, st.last_acquired && !strcmp(st.last_acquired, "test_mutex_A"));
	/* Once: the same inversion again is not a new report. */
	mutex_lock(&abba[1]);
	mutex_lock(&abba[0]);
	mutex_unlock(&abba[0]);
	mutex_unlock(&abba[1]);
	KTEST_EXPECT_EQ(t, lockdep_reports(), before + 1);
	/* A trylock cannot deadlock: no report for it. */
	mutex_lock(&abba[1]);
	if (mutex_trylock(&abba[0]))
		mutex_unlock(&abba[0]);
	mutex_unlock(&abba[1]);
	KTEST_EXPECT_EQ(t, lockdep_reports(), before + 1);
}

static struct lock_class_key nest_key;
static struct mutex nest[2];
static bool nest_used;

/*
 * Two mutexes of one class: the inner one taken with mutex_lock_nested()
 * is subclass 1, so "subclass 0, then 1" is an order (whichever mutex
 * plays which part) and "1, then 0" closes a cycle.  A subclass out of
 * range still locks, untracked.
 */
static void test_mutex_nested_subclass(struct ktest *t)
{
	unsigned long before = lockdep_reports(), untracked;
	struct lockdep_stats st;

	if (nest_used)
		KTEST_SKIP(t, "the classes have recorded orders (run again after a reboot)");
	nest_used = true;
	__mutex_init(&nest[0], "test_mutex_nest", &nest_key);
	__mutex_init(&nest[1], "test_mutex_nest", &nest_key);
	for (int i = 0; i < 2; i++) {
		mutex_lock(&nest[i]);
		mutex_lock_nested(&nest[!i], SINGLE_DEPTH_NESTING);
		KTEST_EXPECT_EQ(t, lockdep_task_depth(), 2u);
		mutex_unlock(&nest[!i]);
		mutex_unlock(&nest[i]);
	}
	KTEST_EXPECT_EQ(t, lockdep_reports(), before);

	ktest_log(t, "a circular locking report follows");
	mutex_lock_nested(&nest[1], SINGLE_DEPTH_NESTING);
	mutex_lock(&nest[0]);
	/* Reported on taking it, with both ends named class/subclass. */
	lockdep_get_stats(&st);
	mutex_unlock(&nest[0]);
	mutex_unlock(&nest[1]);
	KTEST_EXPECT_EQ(t, st.nr_reports, before + 1);
	KTEST_EXPECT_TRUE(t, st.last_held && st.last_acquired &&
			  !strcmp(st.last_held, "test_mutex_nest") &&
			  !strcmp(st.last_acquired, st.last_held));
	KTEST_EXPECT_EQ(t, st.last_held_subclass, 1u);
	KTEST_EXPECT_EQ(t, st.last_acquired_subclass, 0u);

	untracked = st.nr_untracked;
	mutex_lock_nested(&nest[0], MAX_LOCKDEP_SUBCLASSES);
	KTEST_EXPECT_TRUE(t, mutex_held_by_current(&nest[0]));
	KTEST_EXPECT_EQ(t, lockdep_task_depth(), 0u);
	mutex_unlock(&nest[0]);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&nest[0]));
	lockdep_get_stats(&st);
	KTEST_EXPECT_EQ(t, st.nr_untracked, untracked + 1);
	KTEST_EXPECT_EQ(t, st.nr_reports, before + 1);
}
#endif

static struct ktest_case mutex_cases[] = {
	KTEST_CASE(test_mutex_basic),
	KTEST_CASE_FLAGS(test_mutex_contention, KTEST_F_SLOW),
	KTEST_CASE(test_mutex_handoff_order),
	KTEST_CASE(test_mutex_trylock_and_owner),
#ifdef CONFIG_LOCKDEP
	KTEST_CASE(test_mutex_abba_reported),
	KTEST_CASE(test_mutex_nested_subclass),
#endif
	{}
};

static struct ktest_suite mutex_suite = {
	.name = "mutex",
	.cases = mutex_cases,
};
KTEST_SUITE(mutex_suite);
