// SPDX-License-Identifier: GPL-2.0
/*
 * Shell commands that show the state of physical memory: meminfo (totals,
 * zones, event counters, per-CPU caches, the boot memory map and its
 * reservations), buddyinfo (free blocks per order, like /proc/buddyinfo)
 * and memcheck (full consistency check of the buddy allocator).
 */
#include <exo/errno.h>
#include <exo/memblock.h>
#include <exo/numa.h>
#include <exo/page_alloc.h>
#include <exo/printk.h>
#include <exo/shell.h>
#include <exo/smp.h>
#include <exo/string.h>

static int cmd_meminfo(int argc, char **argv)
{
	unsigned int cpu;

	page_alloc_show_meminfo();
	numa_show_meminfo();
	for_each_online_cpu(cpu) {
		struct page_alloc_cpu_stats st;
		unsigned long cached = page_alloc_cpu_stats(cpu, &st);

		printk(KERN_INFO "CPU%-3u cached %6lu pages, hits %lu, misses %lu, refills %lu, drains %lu\n",
		       cpu, cached, st.pcp_hits, st.pcp_misses, st.pcp_refills, st.pcp_drains);
	}
	memblock_dump();
	return 0;
}
DEFINE_SHELL_CMD(meminfo, "memory totals, zones, counters, boot map", cmd_meminfo);

static int cmd_buddyinfo(int argc, char **argv)
{
	char line[24 + 7 * NR_ORDERS];
	size_t n = snprintf(line, sizeof(line), "%-21s", "order:");

	for (unsigned int o = 0; o < NR_ORDERS && n < sizeof(line); o++)
		n += snprintf(line + n, sizeof(line) - n, " %6u", o);
	printk(KERN_INFO "%s\n", line);
	page_alloc_show_buddyinfo();
	return 0;
}
DEFINE_SHELL_CMD(buddyinfo, "free blocks per order and zone", cmd_buddyinfo);

static int cmd_memcheck(int argc, char **argv)
{
	unsigned long bad = page_alloc_check();

	printk(KERN_INFO "page allocator: %lu violations\n", bad);
	return bad ? -EBADMSG : 0;
}
DEFINE_SHELL_CMD(memcheck, "check every invariant of the page allocator", cmd_memcheck);
