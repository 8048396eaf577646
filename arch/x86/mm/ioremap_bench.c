// SPDX-License-Identifier: GPL-2.0
/*
 * `make bench` figures for device mappings (guest instructions per
 * operation under QEMU -icount, see Documentation/benchmarks.md):
 *
 *   vm_ioremap_iounmap  ioremap() + iounmap() of one uncached page: VA
 *                       reservation, RAM check, map_range, and on the way
 *                       back the lookup, unmap with its local flush and the
 *                       release.  The LAPIC page is used; with one CPU
 *                       online the flush is local only.  Linux's nearest is
 *                       ioremap+iounmap of one page (vmap area + vunmap).
 */
#include <exo/bench.h>
#include <exo/kernel.h>
#include <exo/printk.h>
#include <asm/io.h>
#include <asm/page.h>

#define BENCH_IO_PHYS	0xfee00000ULL	/* the xAPIC page: never RAM */

static void ioremap_iounmap(struct bench *b, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++) {
		void __iomem *p = ioremap(BENCH_IO_PHYS, PAGE_SIZE);

		if (!p) {
			pr_err("bench: ioremap failed\n");
			return;
		}
		iounmap(p);
	}
}
DEFINE_BENCH_FULL(vm_ioremap_iounmap, .desc = "ioremap+iounmap of one uncached page",
		  .run = ioremap_iounmap, .ops = 64);
