/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Configuration of the hosted build, force-included into every file
 * (-include).  Mirrors the Kconfig symbols the portable code reads; the
 * kernel gets the same names from include/generated/autoconf.h.
 */
#ifndef _HOSTED_CONFIG_H
#define _HOSTED_CONFIG_H

#define CONFIG_NR_CPUS		8
#define CONFIG_SMP		1
#define CONFIG_KTEST		1
/* The mm knobs can be overridden: make ... HOSTED_EXTRA_CFLAGS=-DCONFIG_MAX_ORDER=18 */
#ifndef CONFIG_MAX_ORDER
#define CONFIG_MAX_ORDER	12
#endif
#ifndef CONFIG_PCP_BATCH
#define CONFIG_PCP_BATCH	63
#endif
#ifndef CONFIG_PCP_HIGH
#define CONFIG_PCP_HIGH		1024
#endif

/*
 * kmalloc: all tiers on.  HOSTED_EXTRA_CFLAGS=-DCONFIG_SLAB_DEBUG=1 adds the
 * debugging checks; -DHOSTED_SLAB_NO_TIER1 / -DHOSTED_SLAB_NO_TIER2 turn a
 * tier off (use a separate O= for each).
 */
#ifndef HOSTED_SLAB_NO_TIER1
#define CONFIG_SLAB_TIER_THREAD	1
#endif
#ifndef HOSTED_SLAB_NO_TIER2
#define CONFIG_SLAB_TIER_PERCPU	1
#endif

/* Page tables: every page size; the fake CPU has 1 GiB pages. */
#define CONFIG_HUGEPAGES_2M	1
#define CONFIG_HUGEPAGES_1G	1
#define CONFIG_TLB_FLUSH_CEILING 33

/* The benchmark measures the production configuration: no poisoning. */
#if !defined(HOSTED_BENCH) && !defined(HOSTED_NO_POISONING)
#define CONFIG_PAGE_POISONING	1
#endif

/*
 * glibc's <sys/cdefs.h> and <exo/compiler.h> both define __always_inline,
 * differently.  Settle on the exo text now so that neither order warns.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* before any libc header: CPU_SET, sched_getcpu */
#endif
#include <sys/cdefs.h>
#undef __always_inline
#define __always_inline	inline __attribute__((__always_inline__))

/* IS_ENABLED() and friends, as in the kernel. */
#include <exo/kconfig.h>

#endif
