/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-kernel micro-benchmarks.  A benchmark runs a batch of @ops operations;
 * the framework times batches with serialised rdtsc, subtracts the cost of an
 * empty timing pair, discards warm-up batches and reports the median, p10
 * and p90 per operation, with the mean and the timer ticks and interrupts
 * that landed inside the timed batches (batches run with interrupts on, as
 * callers run the API).  Under QEMU -icount shift=0,sleep=off the TSC
 * advances by one per guest instruction, so the figure is exact guest
 * instructions per operation; elsewhere it is TSC ticks.
 *
 *	static void bench_frame_pair(struct bench *b, unsigned int ops)
 *	{
 *		for (unsigned int i = 0; i < ops; i++) { ... }
 *	}
 *	DEFINE_BENCH(frame_pair, "alloc_frame+free_frame", bench_frame_pair);
 *
 * Setup/teardown that must not be timed goes in ->setup/->teardown (use
 * DEFINE_BENCH_FULL).  bench_start()/bench_stop() let a benchmark exclude
 * part of a batch from timing.
 */
#ifndef _EXO_BENCH_H
#define _EXO_BENCH_H

#include <exo/errno.h>
#include <exo/types.h>
#include <exo/printk.h>

struct bench;

struct bench_def {
	const char *name;
	const char *desc;
	void (*run)(struct bench *b, unsigned int ops);
	int (*setup)(struct bench *b);
	void (*teardown)(struct bench *b);
	unsigned int ops;		/* operations per batch (0 = default 64) */
	unsigned int batches;		/* timed batches (0 = default 101) */
	unsigned int min_cpus;		/* skipped below this many online CPUs */
	/*
	 * The code is in this module, measured as a module calls the API:
	 * the runner loads it, runs the def of the same name the module
	 * registered with bench_register(), and unloads it.  ->run unused.
	 */
	const char *module;
};

struct bench {
	const struct bench_def *def;
	void *priv;
	u64 excluded;			/* ticks excluded by bench_pause/resume */
	u64 pause_start;
};

#define DEFINE_BENCH_FULL(_name, ...)					\
	static const struct bench_def __bench_##_name = { .name = #_name, __VA_ARGS__ }; \
	static const struct bench_def *const __bench_ptr_##_name __used	\
	__section(".benches") __aligned(8) = &__bench_##_name

#define DEFINE_BENCH(_name, _desc, _run) \
	DEFINE_BENCH_FULL(_name, .desc = _desc, .run = _run)

/*
 * A module's benchmark, run through the built-in def of the same name
 * whose .module names the module (DEFINE_BENCH_MODULE).
 */
#define DEFINE_BENCH_MODULE(_name, _desc, _module) \
	DEFINE_BENCH_FULL(_name, .desc = _desc, .module = _module)

/* Exclude the code between the two calls from the batch's time. */
void bench_pause(struct bench *b);
void bench_resume(struct bench *b);

/**
 * struct bench_tick_cost - timer ticks inside timed batches, and their cost
 * @ticks: ticks counted
 * @excess: what their batches took above their row's interrupt-free
 *	    batches, in the unit
 */
struct bench_tick_cost {
	unsigned long ticks;
	u64 excess;
};

/**
 * bench_run() - run benchmarks whose name matches and print a table
 * @filter: NULL or "all" for all, "none" for none, else a name prefix
 * Return: number of benchmarks run, or -ENOENT (the names that exist are
 * printed) if @filter is a prefix of no benchmark's name.
 */
#ifdef CONFIG_BENCH
int bench_run(const char *filter);

/**
 * bench_burst() - a burst: @ops allocations, then @ops frees, one side timed
 * @b: the batch; its ->priv is the table of bench_burst_setup()
 * @ops: objects in the burst
 * @get: allocates up to @ops objects into the table, stops at the first
 *	failure and returns how many it got
 * @put: frees the first n objects of the table
 * @time_put: time the frees (false: the allocations)
 *
 * The side not timed runs between bench_pause() and bench_resume().  Use
 * bench_burst_setup()/bench_burst_teardown() as the def's setup/teardown.
 */
void bench_burst(struct bench *b, unsigned int ops,
		 unsigned int (*get)(u64 *table, unsigned int ops),
		 void (*put)(u64 *table, unsigned int n), bool time_put);

/**
 * bench_burst_setup() - vmalloc() a table of one u64 per op into @b->priv
 * @b: the benchmark
 * Return: 0 or -ENOMEM.
 */
int bench_burst_setup(struct bench *b);

/** bench_burst_teardown() - free the table of bench_burst_setup() */
void bench_burst_teardown(struct bench *b);

/**
 * bench_count_ticks() - add one exact row's tick-only batches to @acc
 * @acc: the run's totals
 * @raw: each batch's time, in the unit, in batch order
 * @excluded: each batch's paused time (bench_pause()), or NULL for none
 * @ticks: the timer ticks taken inside each batch
 * @irqs: all the interrupts taken inside each batch
 * @batches: entries of the four arrays
 *
 * Counts the batches whose only interrupts were timer ticks and that had
 * no paused time, each by its excess over the row's batches without an
 * interrupt or pause, when those all took the same time (exact, as under
 * -icount) and every counted batch took more; else the row adds nothing.
 * The runner prints the run's mean cost of a tick.
 */
void bench_count_ticks(struct bench_tick_cost *acc, const u64 *raw, const u64 *excluded,
		       const unsigned int *ticks, const unsigned int *irqs, unsigned int batches);

/**
 * bench_register() - offer a module's benchmark to the runner
 * @d: the benchmark; a built-in def of the same name must name the module
 *
 * Called from the module's init; @d must stay valid until
 * bench_unregister().
 * Return: 0, -EINVAL if @d has no name or no run function, -EBUSY if a
 * benchmark of that name is registered already, -ENOSPC if the table is full.
 */
int bench_register(const struct bench_def *d);

/**
 * bench_unregister() - withdraw a benchmark offered by bench_register()
 * @d: as given to bench_register(); nothing happens if it is not there
 */
void bench_unregister(const struct bench_def *d);
#else
static inline int bench_run(const char *filter)
{
	printk("bench: not built in (CONFIG_BENCH=n)\n");
	return -ENOSYS;
}

static inline int bench_register(const struct bench_def *d)
{
	return -ENOSYS;
}

static inline void bench_unregister(const struct bench_def *d)
{
}

static inline void bench_count_ticks(struct bench_tick_cost *acc, const u64 *raw,
				     const u64 *excluded, const unsigned int *ticks,
				     const unsigned int *irqs, unsigned int batches)
{
}
#endif

#endif
