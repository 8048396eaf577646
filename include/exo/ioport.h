/* SPDX-License-Identifier: GPL-2.0 */
/* Resources a device occupies: I/O port ranges, MMIO ranges, IRQ lines. */
#ifndef _EXO_IOPORT_H
#define _EXO_IOPORT_H

#include <exo/types.h>

#define IORESOURCE_IO		0x0100
#define IORESOURCE_MEM		0x0200
#define IORESOURCE_IRQ		0x0400
#define IORESOURCE_TYPE_MASK	0x0f00
#define IORESOURCE_PREFETCH	0x1000	/* MMIO that may be prefetched */
#define IORESOURCE_MEM_64	0x2000	/* 64-bit BAR */

struct resource {
	u64 start;
	u64 end;		/* inclusive, as in Linux */
	unsigned long flags;
	const char *name;
};

#define DEFINE_RES_IO(s, n)	{ .start = (s), .end = (s) + (n) - 1, .flags = IORESOURCE_IO }
#define DEFINE_RES_MEM(s, n)	{ .start = (s), .end = (s) + (n) - 1, .flags = IORESOURCE_MEM }
#define DEFINE_RES_IRQ(i)	{ .start = (i), .end = (i), .flags = IORESOURCE_IRQ }

static inline u64 resource_size(const struct resource *r)
{
	return r->end - r->start + 1;
}

static inline unsigned long resource_type(const struct resource *r)
{
	return r->flags & IORESOURCE_TYPE_MASK;
}

#endif /* _EXO_IOPORT_H */
