// SPDX-License-Identifier: GPL-2.0
/*
 * Micro-benchmark runner (see include/exo/bench.h for the method).  Batches
 * run with interrupts on, as the API's callers run it: every irq-restore
 * in the measured path pays its sti, and a timer tick that lands inside a
 * batch is counted in it.  The median leaves such a batch out; the mean
 * and the interrupt count printed beside it show what the ticks cost, and
 * the run ends with the mean cost of one tick: the excess over its row's
 * median of every batch whose only interrupts were timer ticks.
 * Results are per operation, in hundredths for two decimals.
 */
#include <exo/bench.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/export.h>
#include <exo/kmod.h>
#include <exo/module.h>
#include <exo/mutex.h>
#include <exo/printk.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/vmalloc.h>
#include <asm/processor.h>

#define WARMUP_BATCHES	10
#define MAX_BATCHES	201

extern const struct bench_def *const __benches_start[], *const __benches_end[];

static const char *bench_unit = "ticks/op";

/* Timer ticks inside the timed batches of this run, and what they took. */
static struct bench_tick_cost tick_cost;

/* Benchmarks of loaded modules (bench_register()), few at a time. */
#define MAX_MODULE_BENCHES	8
static const struct bench_def *module_benches[MAX_MODULE_BENCHES];
static DEFINE_MUTEX(module_benches_lock);

int bench_register(const struct bench_def *d)
{
	int free_slot = -1, ret = 0;

	if (!d || !d->name || !d->run) {
		pr_err("bench: bench_register() of an incomplete benchmark\n");
		return -EINVAL;
	}
	mutex_lock(&module_benches_lock);
	for (int i = 0; i < MAX_MODULE_BENCHES; i++) {
		if (!module_benches[i]) {
			if (free_slot < 0)
				free_slot = i;
		} else if (!strcmp(module_benches[i]->name, d->name)) {
			ret = -EBUSY;
		}
	}
	if (!ret && free_slot < 0)
		ret = -ENOSPC;
	if (!ret)
		module_benches[free_slot] = d;
	mutex_unlock(&module_benches_lock);
	if (ret)
		pr_err("bench: cannot register %s: %d\n", d->name, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(bench_register);

void bench_unregister(const struct bench_def *d)
{
	mutex_lock(&module_benches_lock);
	for (int i = 0; i < MAX_MODULE_BENCHES; i++)
		if (module_benches[i] == d)
			module_benches[i] = NULL;
	mutex_unlock(&module_benches_lock);
}
EXPORT_SYMBOL_GPL(bench_unregister);

static const struct bench_def *module_bench_find(const char *name)
{
	const struct bench_def *d = NULL;

	mutex_lock(&module_benches_lock);
	for (int i = 0; i < MAX_MODULE_BENCHES && !d; i++)
		if (module_benches[i] && !strcmp(module_benches[i]->name, name))
			d = module_benches[i];
	mutex_unlock(&module_benches_lock);
	return d;
}

static int __init bench_unit_setup(const char *val)
{
	bench_unit = strcmp(val, "instructions") ? "ticks/op" : "instr/op";
	return 0;
}
__setup_choice("bench_unit=", bench_unit_setup, "ticks", "cycles", "instructions");

void bench_pause(struct bench *b)
{
	b->pause_start = rdtsc_ordered();
}

void bench_resume(struct bench *b)
{
	b->excluded += rdtsc_ordered() - b->pause_start;
}

int bench_burst_setup(struct bench *b)
{
	b->priv = vmalloc(b->def->ops * sizeof(u64));
	return b->priv ? 0 : -ENOMEM;
}

void bench_burst_teardown(struct bench *b)
{
	vfree(b->priv);
	b->priv = NULL;
}

void bench_burst(struct bench *b, unsigned int ops,
		 unsigned int (*get)(u64 *table, unsigned int ops),
		 void (*put)(u64 *table, unsigned int n), bool time_put)
{
	unsigned int n;

	if (time_put) {
		bench_pause(b);
		n = get(b->priv, ops);
		bench_resume(b);
		put(b->priv, n);
	} else {
		n = get(b->priv, ops);
		bench_pause(b);
		put(b->priv, n);
		bench_resume(b);
	}
	if (n < ops)
		pr_err("bench: %s: allocation %u of %u failed\n", b->def->name, n + 1, ops);
}

static u64 timing_overhead(void)
{
	u64 best = ~0ULL;

	for (int i = 0; i < 32; i++) {
		u64 t0 = rdtsc_ordered();
		u64 t1 = rdtscp_ordered();

		if (t1 - t0 < best)
			best = t1 - t0;
	}
	return best;
}

static void sort_u64(u64 *v, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++) {
		u64 x = v[i];
		unsigned int j = i;

		while (j && v[j - 1] > x) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

static void print_fixed(char *buf, size_t size, u64 hundredths)
{
	snprintf(buf, size, "%llu.%02llu", hundredths / 100, hundredths % 100);
}

/*
 * Under -icount every batch of a row without an interrupt takes the same
 * instructions, so a batch's excess over them is its ticks' own work.
 * Only such exact rows count: a batch with paused time is skipped (its
 * ticks may have come while paused, their cost subtracted), and a row
 * whose interrupt-free batches differ, or whose tick batch is not above
 * them, is left out (KVM cycles, a row whose work varies).
 */
void bench_count_ticks(struct bench_tick_cost *acc, const u64 *raw, const u64 *excluded,
		       const unsigned int *ticks, const unsigned int *irqs, unsigned int batches)
{
	unsigned long n = 0;
	u64 base = 0, excess = 0;
	bool have_base = false;

	for (unsigned int i = 0; i < batches; i++) {
		if (irqs[i] || (excluded && excluded[i]))
			continue;
		if (have_base && raw[i] != base)
			return;
		base = raw[i];
		have_base = true;
	}
	if (!have_base)
		return;
	for (unsigned int i = 0; i < batches; i++) {
		if (!ticks[i] || ticks[i] != irqs[i] || (excluded && excluded[i]))
			continue;
		if (raw[i] <= base)
			return;
		n += ticks[i];
		excess += raw[i] - base;
	}
	acc->ticks += n;
	acc->excess += excess;
}

static void run_one(const struct bench_def *d, u64 overhead)
{
	static u64 samples[MAX_BATCHES], raw[MAX_BATCHES], excluded[MAX_BATCHES];
	static unsigned int batch_ticks[MAX_BATCHES], batch_irqs[MAX_BATCHES];
	unsigned int ops = d->ops ? d->ops : 64;
	unsigned int batches = d->batches ? d->batches : 101;
	struct bench b = { .def = d };
	char med[24], p10[24], p90[24], mean[24];
	struct smp_cpu_stats st0, st1;
	unsigned long ticks_in = 0, irqs_in = 0;
	u64 sum = 0;

	if (batches > MAX_BATCHES)
		batches = MAX_BATCHES;
	if (d->min_cpus && num_online_cpus() < d->min_cpus) {
		printk("bench %-28s skipped (needs %u CPUs)\n", d->name, d->min_cpus);
		return;
	}
	if (d->setup && d->setup(&b)) {
		printk("bench %-28s setup failed\n", d->name);
		return;
	}
	for (unsigned int i = 0; i < WARMUP_BATCHES + batches; i++) {
		unsigned int cpu = raw_smp_processor_id();
		u64 t0, t1, ticks;

		smp_cpu_stats(cpu, &st0);
		b.excluded = 0;
		t0 = rdtsc_ordered();
		d->run(&b, ops);
		t1 = rdtscp_ordered();
		smp_cpu_stats(cpu, &st1);
		ticks = t1 - t0;
		ticks = ticks > overhead + b.excluded ? ticks - overhead - b.excluded : 0;
		if (i < WARMUP_BATCHES)
			continue;
		samples[i - WARMUP_BATCHES] = ticks * 100 / ops;
		raw[i - WARMUP_BATCHES] = ticks;
		excluded[i - WARMUP_BATCHES] = b.excluded;
		batch_ticks[i - WARMUP_BATCHES] = st1.timer_ticks - st0.timer_ticks;
		batch_irqs[i - WARMUP_BATCHES] = st1.irqs - st0.irqs;
		sum += ticks * 100 / ops;
		/* Taken on this CPU inside the bracket (a migration loses a batch's count). */
		ticks_in += st1.timer_ticks - st0.timer_ticks;
		irqs_in += st1.irqs - st0.irqs;
	}
	if (d->teardown)
		d->teardown(&b);
	sort_u64(samples, batches);
	bench_count_ticks(&tick_cost, raw, excluded, batch_ticks, batch_irqs, batches);
	print_fixed(med, sizeof(med), samples[batches / 2]);
	print_fixed(p10, sizeof(p10), samples[batches / 10]);
	print_fixed(p90, sizeof(p90), samples[batches * 9 / 10]);
	print_fixed(mean, sizeof(mean), sum / batches);
	printk("bench %-28s %10s %s  p10=%s p90=%s mean=%s n=%ux%u ticks=%lu irqs=%lu  # %s\n",
	       d->name, med, bench_unit, p10, p90, mean, batches, ops, ticks_in, irqs_in,
	       d->desc ? d->desc : "");
}

/*
 * The module stays loaded while its benchmark runs (run_one() calls into
 * it) and is unloaded after, so a bench run leaves no module behind.  A
 * module built in (allyesconfig) registered its benchmark at boot.
 */
static void run_module(const struct bench_def *d, u64 overhead)
{
	const struct bench_def *m = module_bench_find(d->name);
	bool loaded = false;

	if (!m && IS_ENABLED(CONFIG_MODULES)) {
		int err = request_module("%s", d->module);

		if (err) {
			printk("bench %-28s skipped (module %s: %d)\n", d->name, d->module, err);
			return;
		}
		loaded = true;
		m = module_bench_find(d->name);
	}
	if (m)
		run_one(m, overhead);
	else
		printk("bench %-28s skipped (%s registers no such benchmark)\n", d->name, d->module);
	if (loaded) {
		int err = modprobe_remove(d->module);

		if (err)
			pr_warn("bench: cannot unload %s: %d\n", d->module, err);
	}
}

static bool bench_selected(const struct bench_def *d, const char *filter)
{
	return !filter || !strncmp(d->name, filter, strlen(filter));
}

/* Nothing matches @filter: name what exists, several to a line. */
static void no_match(const char *filter)
{
	char line[80];
	size_t len = 0;

	printk("bench: no benchmark name starts with '%s'; they are:\n", filter);
	for (const struct bench_def *const *d = __benches_start; d < __benches_end; d++) {
		if (len && len + 1 + strlen((*d)->name) >= 72) {
			printk("bench:%s\n", line);
			len = 0;
		}
		len += snprintf(line + len, sizeof(line) - len, " %s", (*d)->name);
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
	}
	if (len)
		printk("bench:%s\n", line);
}

int bench_run(const char *filter)
{
	u64 overhead;
	int n = 0;

	if (filter && !strcmp(filter, "none"))
		return 0;
	if (filter && !strcmp(filter, "all"))
		filter = NULL;
	for (const struct bench_def *const *d = __benches_start; d < __benches_end; d++)
		n += bench_selected(*d, filter);
	if (!n) {
		no_match(filter ? filter : "");
		return -ENOENT;
	}
	overhead = timing_overhead();
	printk("bench: timing overhead %llu ticks subtracted; unit %s\n", overhead, bench_unit);
	tick_cost = (struct bench_tick_cost){ 0 };
	for (const struct bench_def *const *d = __benches_start; d < __benches_end; d++)
		if (bench_selected(*d, filter))
			(*d)->module ? run_module(*d, overhead) : run_one(*d, overhead);
	printk("bench: %d benchmarks run\n", n);
	if (tick_cost.ticks) {
		/* The unit without its "/op": instr, cycles, ticks. */
		const char *slash = strchr(bench_unit, '/');
		int len = slash ? (int)(slash - bench_unit) : (int)strlen(bench_unit);
		char each[24];

		print_fixed(each, sizeof(each), tick_cost.excess * 100 / tick_cost.ticks);
		printk("bench: timer tick: %s %.*s per tick, the mean over the %lu ticks inside "
		       "timed batches of exact rows (their batches' excess over the row's "
		       "interrupt-free batches)\n", each, len, bench_unit, tick_cost.ticks);
	} else {
		printk("bench: timer tick: no tick inside a timed batch of an exact row\n");
	}
	return n;
}

/* The framework's own floor: an empty batch and a bare loop. */
static void bench_empty(struct bench *b, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++)
		barrier();
}
DEFINE_BENCH(empty_loop, "loop overhead per iteration", bench_empty);
