// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the per-CPU overwrite ring buffer: order, overwrite of the
 * oldest with the drops counted, reset, an interrupt's reserve nested in
 * another (and interrupts writing a whole ring over it), the error
 * paths, writers on every CPU at once (with, in the kernel, a reader
 * checking that no record is ever seen torn) and resets under writers.
 * The same file runs hosted, under ASan and TSan
 * (ring_buffer.test_smp_writers, ring_buffer.test_reset_under_writers).
 */
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/percpu.h>
#include <exo/preempt.h>
#include <exo/ring_buffer.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <asm/processor.h>

#define WORDS	(RB_MAX_DATA / 8)

/* A record: every word the same, so that a torn copy shows. */
static void fill(u64 *rec, u64 v)
{
	for (unsigned int i = 0; i < WORDS; i++)
		rec[i] = v;
}

static bool whole(const u64 *rec)
{
	for (unsigned int i = 1; i < WORDS; i++)
		if (rec[i] != rec[0])
			return false;
	return true;
}

static unsigned int this_cpu(void)
{
	unsigned int cpu;

	preempt_disable();
	cpu = smp_processor_id();
	preempt_enable();
	return cpu;
}

static void test_write_read_order(struct ktest *t)
{
	struct trace_buffer *b = ring_buffer_alloc(8 * RB_SLOT_SIZE, NR_CPUS);
	u64 rec[WORDS], pos = 0;
	unsigned int cpu;

	KTEST_ASSERT_NOT_NULL(t, b);
	preempt_disable();
	cpu = smp_processor_id();
	for (u64 v = 1; v <= 5; v++) {
		fill(rec, v);
		KTEST_EXPECT_EQ(t, ring_buffer_write(b, 8 * v, rec), 0);
	}
	preempt_enable();
	for (u64 v = 1; v <= 5; v++, pos++) {
		KTEST_EXPECT_EQ(t, ring_buffer_peek(b, cpu, &pos, rec), (int)(8 * v));
		KTEST_EXPECT_EQ(t, rec[0], v);
	}
	KTEST_EXPECT_EQ(t, ring_buffer_peek(b, cpu, &pos, rec), 0);
	KTEST_EXPECT_EQ(t, ring_buffer_entries_cpu(b, cpu), 5);
	KTEST_EXPECT_EQ(t, ring_buffer_written_cpu(b, cpu), 5);
	KTEST_EXPECT_EQ(t, ring_buffer_overrun_cpu(b, cpu), 0);
	ring_buffer_free(b);
}

static void test_overwrite_counts_drops(struct ktest *t)
{
	struct trace_buffer *b = ring_buffer_alloc(8 * RB_SLOT_SIZE, NR_CPUS);
	u64 rec[WORDS], pos = 0, v;
	unsigned int cpu;

	KTEST_ASSERT_NOT_NULL(t, b);
	KTEST_ASSERT_EQ(t, ring_buffer_size(b), 8);
	preempt_disable();
	cpu = smp_processor_id();
	for (v = 0; v < 20; v++) {
		fill(rec, v);
		KTEST_EXPECT_EQ(t, ring_buffer_write(b, sizeof(rec), rec), 0);
	}
	preempt_enable();
	KTEST_EXPECT_EQ(t, ring_buffer_overrun_cpu(b, cpu), 12);
	KTEST_EXPECT_EQ(t, ring_buffer_written_cpu(b, cpu), 20);
	KTEST_EXPECT_EQ(t, ring_buffer_entries_cpu(b, cpu), 8);
	/* The 8 newest remain, oldest first. */
	for (v = 12; ring_buffer_peek(b, cpu, &pos, rec) > 0; v++, pos++) {
		KTEST_EXPECT_EQ(t, rec[0], v);
		KTEST_EXPECT_TRUE(t, whole(rec));
	}
	KTEST_EXPECT_EQ(t, v, 20);
	ring_buffer_free(b);
}

static void test_reset(struct ktest *t)
{
	struct trace_buffer *b = ring_buffer_alloc(1, NR_CPUS);
	u64 rec[WORDS], pos = 0;
	unsigned int cpu;

	KTEST_ASSERT_NOT_NULL(t, b);
	fill(rec, 7);
	for (int i = 0; i < 11; i++)
		ring_buffer_write(b, sizeof(rec), rec);
	ring_buffer_reset(b);
	cpu = this_cpu();
	KTEST_EXPECT_EQ(t, ring_buffer_peek(b, cpu, &pos, rec), 0);
	KTEST_EXPECT_EQ(t, ring_buffer_entries_cpu(b, cpu), 0);
	KTEST_EXPECT_EQ(t, ring_buffer_written_cpu(b, cpu), 0);
	KTEST_EXPECT_EQ(t, ring_buffer_overrun_cpu(b, cpu), 0);
	preempt_disable();
	cpu = smp_processor_id();
	fill(rec, 9);
	KTEST_EXPECT_EQ(t, ring_buffer_write(b, 16, rec), 0);
	preempt_enable();
	pos = 0;
	KTEST_EXPECT_EQ(t, ring_buffer_peek(b, cpu, &pos, rec), 16);
	KTEST_EXPECT_EQ(t, rec[1], 9);
	ring_buffer_free(b);
}

/* An interrupt that writes between another writer's reserve and commit. */
static void test_nested_reserve(struct ktest *t)
{
	struct trace_buffer *b = ring_buffer_alloc(8 * RB_SLOT_SIZE, NR_CPUS);
	struct ring_buffer_event *outer, *inner;
	u64 rec[WORDS], pos = 0;
	unsigned int cpu;

	KTEST_ASSERT_NOT_NULL(t, b);
	outer = ring_buffer_lock_reserve(b, sizeof(rec));
	KTEST_ASSERT_NOT_NULL(t, outer);
	cpu = smp_processor_id();
	fill(ring_buffer_event_data(outer), 1);
	inner = ring_buffer_lock_reserve(b, sizeof(rec));
	KTEST_ASSERT_NOT_NULL(t, inner);
	fill(ring_buffer_event_data(inner), 2);
	ring_buffer_unlock_commit(b, inner);
	/* The outer record is not committed yet: a reader stops before it. */
	KTEST_EXPECT_EQ(t, ring_buffer_peek(b, cpu, &pos, rec), 0);
	ring_buffer_unlock_commit(b, outer);
	KTEST_EXPECT_EQ(t, ring_buffer_peek(b, cpu, &pos, rec), (int)sizeof(rec));
	KTEST_EXPECT_EQ(t, rec[0], 1);
	pos++;
	KTEST_EXPECT_EQ(t, ring_buffer_peek(b, cpu, &pos, rec), (int)sizeof(rec));
	KTEST_EXPECT_EQ(t, rec[0], 2);
	ring_buffer_free(b);
}

/*
 * Interrupts that write a whole ring while another writer holds its slot
 * (a softirq under a traced task): the one that comes back to the held
 * slot is dropped and counted, the held event is dropped, and no record
 * is shown under another's position.
 */
static void test_nested_wraps_ring(struct ktest *t)
{
	struct trace_buffer *b = ring_buffer_alloc(8 * RB_SLOT_SIZE, NR_CPUS);
	struct ring_buffer_event *outer;
	u64 rec[WORDS], pos = 0, want = 5;
	unsigned int cpu;

	KTEST_ASSERT_NOT_NULL(t, b);
	outer = ring_buffer_lock_reserve(b, sizeof(rec));
	KTEST_ASSERT_NOT_NULL(t, outer);
	cpu = smp_processor_id();
	fill(ring_buffer_event_data(outer), 1000);
	for (u64 v = 1; v <= 12; v++) {
		fill(rec, v);
		/* Position 8 is the outer's slot, 0, again. */
		KTEST_EXPECT_EQ(t, ring_buffer_write(b, sizeof(rec), rec), v == 8 ? -EBUSY : 0);
	}
	fill(ring_buffer_event_data(outer), 1000);
	ring_buffer_unlock_commit(b, outer);
	/* Positions 0 to 4 pushed out, and position 8 dropped. */
	KTEST_EXPECT_EQ(t, ring_buffer_overrun_cpu(b, cpu), 6);
	KTEST_EXPECT_EQ(t, ring_buffer_written_cpu(b, cpu), 13);
	for (; ring_buffer_peek(b, cpu, &pos, rec) > 0; pos++, want += want == 7 ? 2 : 1) {
		KTEST_EXPECT_TRUE(t, whole(rec));
		KTEST_EXPECT_EQ(t, pos, want);
		KTEST_EXPECT_EQ(t, rec[0], want);
	}
	KTEST_EXPECT_EQ(t, want, 13);
	/* Once pushed out, the padding of position 8 is not counted again. */
	preempt_disable();
	KTEST_EXPECT_EQ(t, smp_processor_id(), cpu);
	for (u64 v = 13; v <= 16; v++) {
		fill(rec, v);
		KTEST_EXPECT_EQ(t, ring_buffer_write(b, sizeof(rec), rec), 0);
	}
	preempt_enable();
	KTEST_EXPECT_EQ(t, ring_buffer_overrun_cpu(b, cpu), 9);
	KTEST_EXPECT_EQ(t, ring_buffer_written_cpu(b, cpu), 17);
	KTEST_EXPECT_EQ(t, ring_buffer_entries_cpu(b, cpu), 8);
	ring_buffer_free(b);
}

static void test_errors(struct ktest *t)
{
	struct trace_buffer *b;
	u64 rec[WORDS + 1] = { 0 }, pos = 0;

	KTEST_EXPECT_NULL(t, ring_buffer_alloc(0, NR_CPUS));
	KTEST_EXPECT_NULL(t, ring_buffer_alloc(1UL << 40, NR_CPUS));
	KTEST_EXPECT_NULL(t, ring_buffer_alloc(4096, 0));
	b = ring_buffer_alloc(4096, NR_CPUS);
	KTEST_ASSERT_NOT_NULL(t, b);
	KTEST_EXPECT_EQ(t, ring_buffer_write(b, RB_MAX_DATA + 1, rec), -E2BIG);
	KTEST_EXPECT_NULL(t, ring_buffer_lock_reserve(b, RB_MAX_DATA + 1));
	KTEST_EXPECT_EQ(t, ring_buffer_peek(b, NR_CPUS, &pos, rec), -EINVAL);
	ring_buffer_record_off(b);
	KTEST_EXPECT_EQ(t, ring_buffer_write(b, 8, rec), -EBUSY);
	ring_buffer_record_on(b);
	KTEST_EXPECT_EQ(t, ring_buffer_write(b, 8, rec), 0);
	ring_buffer_free(b);
}

#define SMP_WRITES	20000

struct smp_ctx {
	struct trace_buffer *b;
	int stop;			/* writers done */
	int writers;
	unsigned long torn, seen;
};

static void smp_worker(void *arg, unsigned int id)
{
	struct smp_ctx *c = arg;
	u64 rec[WORDS];

#ifndef __HOSTED__
	/* Worker 0 reads the others' rings while they wrap. */
	if (id == 0) {
		while (__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE) < c->writers)
			for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
				for (u64 pos = 0; ring_buffer_peek(c->b, cpu, &pos, rec) > 0; pos++) {
					c->torn += !whole(rec);
					c->seen++;
				}
		return;
	}
#endif
	for (u64 i = 0; i < SMP_WRITES; i++) {
		fill(rec, ((u64)id << 32) | i);
		ring_buffer_write(c->b, sizeof(rec), rec);
	}
	__atomic_fetch_add(&c->stop, 1, __ATOMIC_RELEASE);
}

/* Every CPU writes its ring at once; each ring holds one writer's newest, in order. */
static void test_smp_writers(struct ktest *t)
{
	struct smp_ctx c = { .b = ring_buffer_alloc(64 * RB_SLOT_SIZE, NR_CPUS) };
	unsigned long total = 0;
	u64 rec[WORDS];
	int n;

	KTEST_ASSERT_NOT_NULL(t, c.b);
#ifndef __HOSTED__
	c.writers = (int)min(4U, num_online_cpus()) - 1;
#endif
	n = ktest_run_on_cpus(4, smp_worker, &c);
	KTEST_ASSERT_GT(t, n, 1);
	KTEST_EXPECT_EQ(t, c.torn, 0);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		u64 pos = 0, last = 0;
		bool first = true;

		total += ring_buffer_written_cpu(c.b, cpu);
		KTEST_EXPECT_EQ(t, ring_buffer_written_cpu(c.b, cpu),
				ring_buffer_overrun_cpu(c.b, cpu) +
				min(ring_buffer_entries_cpu(c.b, cpu), 64UL));
		for (; ring_buffer_peek(c.b, cpu, &pos, rec) > 0; pos++, first = false) {
			KTEST_EXPECT_TRUE(t, whole(rec));
			if (!first)
				KTEST_EXPECT_EQ(t, rec[0], last + 1);
			last = rec[0];
		}
		if (!first)
			KTEST_EXPECT_EQ(t, last & 0xffffffff, SMP_WRITES - 1);
	}
#ifdef __HOSTED__
	KTEST_EXPECT_EQ(t, total, (unsigned long)n * SMP_WRITES);
#else
	KTEST_EXPECT_EQ(t, total, (unsigned long)(n - 1) * SMP_WRITES);
	ktest_log(t, "reader saw %lu records while the rings wrapped", c.seen);
#endif
	ring_buffer_free(c.b);
}

/*
 * ring_buffer_reset() while writers on the other CPUs keep overwriting
 * their full rings: once they stop, every event written since the reset
 * must have been read or counted dropped, once.  Each round, the reader
 * lets the writers fill their rings, resets, lets them overwrite them
 * again, stops them and checks.  Every other reset waits in the middle
 * (ring_buffer_test_reset_hook) until each ring's writer has written
 * RESET_WAIT more events, as an interrupt or a preempted vCPU can make
 * it wait.
 */
#define RESET_SLOTS	8
#define RESET_ROUNDS	32
#define RESET_WAIT	(3 * RESET_SLOTS)
#define RESET_CPUS	4		/* the reader and up to three writers */

struct reset_ctx {
	struct trace_buffer *b;
	int writers;
	int round;			/* the round the writers may write in */
	int stopped;			/* rounds stopped */
	bool wait;			/* this reset waits in the hook */
	unsigned long waited, torn, bad[2];	/* rounds failing, by wait */
	unsigned int cpu[RESET_CPUS];	/* each writer's CPU + 1, by id */
	u64 done[RESET_CPUS];		/* writes each writer has completed */
	int acked[RESET_CPUS];		/* rounds each writer has stopped */
	int err[RESET_CPUS];		/* a write that failed, by id */
	/* The first failing round's figures, for the log. */
	u64 bad_round, bad_written, bad_read, bad_overrun, bad_lo, bad_hi;
};

static struct reset_ctx *reset_ctx;

static u64 reset_done(struct reset_ctx *c, int w)
{
	return __atomic_load_n(&c->done[w], __ATOMIC_ACQUIRE);
}

/* Until each writer has written @n events more than @from[w] (or @n). */
static void reset_wait_writes(struct reset_ctx *c, const u64 *from, u64 n)
{
	for (int w = 1; w <= c->writers; w++)
		while (reset_done(c, w) < (from ? from[w] : 0) + n)
			cpu_relax();
}

static void reset_hook(struct trace_buffer *buffer, unsigned int cpu)
{
	struct reset_ctx *c = reset_ctx;

	if (!c || buffer != c->b || !c->wait)
		return;
	for (int w = 1; w <= c->writers; w++) {
		u64 end = reset_done(c, w) + RESET_WAIT;

		if (READ_ONCE(c->cpu[w]) != cpu + 1)
			continue;
		while (reset_done(c, w) < end)
			cpu_relax();
		c->waited++;
	}
}

/* Writer @w's ring after round @r, whose reset took its head in [@lo, @hi]. */
static void reset_check(struct reset_ctx *c, int w, u64 r, u64 lo, u64 hi)
{
	unsigned int cpu = c->cpu[w] - 1;
	u64 end = c->done[w], rec[WORDS], pos = 0, read = 0;
	u64 written = ring_buffer_written_cpu(c->b, cpu);
	u64 overrun = ring_buffer_overrun_cpu(c->b, cpu);
	bool ok;

	/* Write i took position i: the reset kept those from its head on. */
	ok = written >= end - hi && written <= end - lo;
	for (; ring_buffer_peek(c->b, cpu, &pos, rec) > 0; pos++, read++) {
		c->torn += !whole(rec);
		ok &= rec[0] == pos && pos == end - written + overrun + read;
	}
	ok &= pos == end && read + overrun == written;
	if (!ok && !c->bad[0] && !c->bad[1]) {
		c->bad_round = r;
		c->bad_written = written;
		c->bad_read = read;
		c->bad_overrun = overrun;
		c->bad_lo = end - hi;
		c->bad_hi = end - lo;
	}
	c->bad[c->wait] += !ok;
}

static void reset_writer(struct reset_ctx *c, unsigned int id)
{
	u64 rec[WORDS], i = 0;

	WRITE_ONCE(c->cpu[id], this_cpu() + 1);
	for (int r = 0; r < RESET_ROUNDS; r++) {
		while (__atomic_load_n(&c->round, __ATOMIC_ACQUIRE) < r)
			cpu_relax();
		do {
			int err;

			fill(rec, i);
			err = ring_buffer_write(c->b, sizeof(rec), rec);
			if (err)
				c->err[id] = err;
			__atomic_store_n(&c->done[id], ++i, __ATOMIC_RELEASE);
		} while (__atomic_load_n(&c->stopped, __ATOMIC_ACQUIRE) <= r);
		__atomic_store_n(&c->acked[id], r + 1, __ATOMIC_RELEASE);
	}
}

static void reset_worker(void *arg, unsigned int id)
{
	struct reset_ctx *c = arg;
	u64 from[RESET_CPUS], lo[RESET_CPUS], hi[RESET_CPUS];

	if (id) {
		reset_writer(c, id);
		return;
	}
	for (int r = 0; r < RESET_ROUNDS; r++) {
		for (int w = 1; w <= c->writers; w++)
			from[w] = reset_done(c, w);
		__atomic_store_n(&c->round, r, __ATOMIC_RELEASE);
		/* Reset with the rings full and the writers going on. */
		reset_wait_writes(c, from, 2 * RESET_SLOTS);
		for (int w = 1; w <= c->writers; w++)
			lo[w] = reset_done(c, w);
		c->wait = r & 1;
		ring_buffer_reset(c->b);
		/* One more write may have claimed its position. */
		for (int w = 1; w <= c->writers; w++)
			hi[w] = reset_done(c, w) + 1;
		reset_wait_writes(c, hi, 2 * RESET_SLOTS);
		__atomic_store_n(&c->stopped, r + 1, __ATOMIC_RELEASE);
		for (int w = 1; w <= c->writers; w++)
			while (__atomic_load_n(&c->acked[w], __ATOMIC_ACQUIRE) <= r)
				cpu_relax();
		for (int w = 1; w <= c->writers; w++)
			reset_check(c, w, r, lo[w], hi[w]);
	}
}

static void test_reset_under_writers(struct ktest *t)
{
	static struct reset_ctx c;
	int n;

	c = (struct reset_ctx){ .b = ring_buffer_alloc(RESET_SLOTS * RB_SLOT_SIZE, NR_CPUS) };
	KTEST_ASSERT_NOT_NULL(t, c.b);
	KTEST_ASSERT_EQ(t, ring_buffer_size(c.b), RESET_SLOTS);
#ifdef __HOSTED__
	c.writers = RESET_CPUS - 1;
#else
	c.writers = (int)min((unsigned int)RESET_CPUS, num_online_cpus()) - 1;
#endif
	reset_ctx = &c;
	WRITE_ONCE(ring_buffer_test_reset_hook, reset_hook);
	n = ktest_run_on_cpus(c.writers + 1, reset_worker, &c);
	WRITE_ONCE(ring_buffer_test_reset_hook, NULL);
	reset_ctx = NULL;
	KTEST_ASSERT_EQ(t, n, c.writers + 1);
	for (int w = 1; w <= c.writers; w++)
		KTEST_EXPECT_EQ(t, c.err[w], 0);
	KTEST_EXPECT_EQ(t, c.torn, 0);
	KTEST_EXPECT_GT(t, c.waited, 0);
	/* Each event written since the reset is read or counted dropped. */
	KTEST_EXPECT_EQ(t, c.bad[0], 0);
	KTEST_EXPECT_EQ(t, c.bad[1], 0);
	if (c.bad[0] || c.bad[1])
		ktest_log(t, "round %llu: written %llu (expected %llu to %llu), read %llu, dropped %llu",
			  c.bad_round, c.bad_written, c.bad_lo, c.bad_hi, c.bad_read,
			  c.bad_overrun);
	ktest_log(t, "%d rounds of %d writers, a reset in each, %lu waits", RESET_ROUNDS,
		  c.writers, c.waited);
	ring_buffer_free(c.b);
}

static struct ktest_case ring_buffer_cases[] = {
	KTEST_CASE(test_write_read_order),
	KTEST_CASE(test_overwrite_counts_drops),
	KTEST_CASE(test_reset),
	KTEST_CASE(test_nested_reserve),
	KTEST_CASE(test_nested_wraps_ring),
	KTEST_CASE(test_errors),
	KTEST_CASE_FLAGS(test_smp_writers, KTEST_F_SMP),
	KTEST_CASE_FLAGS(test_reset_under_writers, KTEST_F_SMP),
	{}
};

static struct ktest_suite ring_buffer_suite = {
	.name = "ring_buffer", .cases = ring_buffer_cases,
};
KTEST_SUITE(ring_buffer_suite);
