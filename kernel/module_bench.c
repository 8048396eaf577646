// SPDX-License-Identifier: GPL-2.0
/*
 * Module loader benchmarks for `make bench`: a whole load + unload of the
 * embedded test module modtest_a (validation, layout, symbol resolution,
 * about 20 relocations, init, exit, free) and one export lookup by name
 * (bisection of the kernel's sorted table).
 */
#include <exo/bench.h>
#include <exo/module.h>
#include <exo/string.h>

#include "module-internal.h"

static const struct modtest_blob *modtest_a(void)
{
	for (unsigned long i = 0; i < modtest_nr_blobs; i++)
		if (!strcmp(modtest_blobs[i].name, "modtest_a"))
			return &modtest_blobs[i];
	return NULL;
}

static void load_unload(struct bench *b, unsigned int ops)
{
	const struct modtest_blob *m = modtest_a();

	for (unsigned int i = 0; i < ops; i++)
		if (!m || load_module(m->start, m->end - m->start, NULL) ||
		    unload_module("modtest_a")) {
			pr_err("bench: module load/unload failed\n");
			return;
		}
}
DEFINE_BENCH_FULL(module_load_unload, .desc = "load_module+unload_module of modtest_a.ko",
		  .run = load_unload, .ops = 4, .batches = 21);

static void lookup(struct bench *b, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++)
		if (!find_exported_symbol("pci_iomap"))
			return;
}
DEFINE_BENCH_FULL(module_symbol_lookup, .desc = "find_exported_symbol (kernel table)",
		  .run = lookup, .ops = 64);
