/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Resources a device occupies: I/O port ranges, MMIO ranges, IRQ lines;
 * and the resource tree (kernel/resource.c) through which claims on I/O
 * ports and physical address ranges are made, so two drivers can never
 * own the same registers.
 *
 * Two roots, ioport_resource (ports 0-0xffff) and iomem_resource (the
 * physical address space).  Enumeration inserts each PCI BAR as a child
 * of its root; a driver then claims a range inside it with
 * request_mem_region()/request_region() (or pci_request_regions()), which
 * marks the new node IORESOURCE_BUSY.  A claim that overlaps a busy node,
 * or straddles a node's boundary, fails with -EBUSY (NULL from
 * __request_region()) and a log line.
 */
#ifndef _EXO_IOPORT_H
#define _EXO_IOPORT_H

#include <exo/types.h>

#define IORESOURCE_IO		0x0100
#define IORESOURCE_MEM		0x0200
#define IORESOURCE_IRQ		0x0400
#define IORESOURCE_TYPE_MASK	0x0f00
#define IORESOURCE_PREFETCH	0x1000	/* MMIO that may be prefetched */
#define IORESOURCE_MEM_64	0x2000	/* 64-bit BAR */
#define IORESOURCE_BUSY		0x80000000	/* claimed by a driver */

typedef u64 resource_size_t;

struct resource {
	u64 start;
	u64 end;		/* inclusive, as in Linux */
	unsigned long flags;
	const char *name;
	/* Tree links: NULL until request_resource() inserts the node. */
	struct resource *parent, *sibling, *child;
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

/* The roots: I/O ports 0-0xffff and the whole physical address space. */
extern struct resource ioport_resource;
extern struct resource iomem_resource;

/**
 * request_resource() - insert @new as a child of @root
 * @root: the parent range (a root or a node already in the tree)
 * @new: start/end/name/flags set, not in any tree; the caller owns it
 *
 * @new must lie inside @root and overlap none of @root's children (it may
 * not adopt them either: use it for ranges nobody inside claims yet).
 *
 * Context: may be called from any non-atomic context.
 * Return: 0; -EINVAL if @new is empty (end < start), already in a tree or
 * outside @root; -EBUSY if it overlaps a child of @root.  Each error logs
 * a line naming both ranges.
 */
int request_resource(struct resource *root, struct resource *new);

/**
 * release_resource() - take @old (inserted by request_resource()) out of
 * its tree
 *
 * Return: 0; -EINVAL if @old is not in a tree; -EBUSY if ranges are
 * still claimed inside it (its children stay, and so does @old).
 */
int release_resource(struct resource *old);

/**
 * __request_region() - claim [@start, @start + @n) under @parent
 * @parent: &ioport_resource, &iomem_resource or a node below them
 * @start: first port or physical address
 * @n: length (> 0)
 * @name: who claims it (shown by the log lines; kept by reference)
 * @flags: extra IORESOURCE_* flags for the new node
 *
 * Descends into the node that contains the whole range unless that node
 * is itself a claim (IORESOURCE_BUSY), so a driver's claim sits under its
 * BAR.  The new node is allocated here and flagged IORESOURCE_BUSY.
 *
 * Context: may sleep (allocates).
 * Return: the new node, or NULL (with a log line) if the range is empty,
 * overflows, lies outside @parent, overlaps a claim or straddles a node's
 * boundary, or if memory runs out.
 */
struct resource *__request_region(struct resource *parent, resource_size_t start,
				  resource_size_t n, const char *name, int flags);

/**
 * __release_region() - undo __request_region() of exactly that range
 *
 * Logs a line if no claim [@start, @start + @n) exists under @parent.
 */
void __release_region(struct resource *parent, resource_size_t start, resource_size_t n);

#define request_region(start, n, name)	__request_region(&ioport_resource, (start), (n), (name), 0)
#define request_mem_region(start, n, name) __request_region(&iomem_resource, (start), (n), (name), 0)
#define release_region(start, n)	__release_region(&ioport_resource, (start), (n))
#define release_mem_region(start, n)	__release_region(&iomem_resource, (start), (n))

/**
 * resource_count_busy() - number of claims (IORESOURCE_BUSY nodes) under
 * @root, at any depth; tests compare it before and after an unbind.
 */
unsigned int resource_count_busy(struct resource *root);

struct device;

/**
 * devm_request_region() / devm_request_mem_region() - managed
 * request_region()/request_mem_region(): released when @dev's binding ends
 * Return: as __request_region().
 */
struct resource *__devm_request_region(struct device *dev, struct resource *parent,
				       resource_size_t start, resource_size_t n, const char *name);
#define devm_request_region(dev, start, n, name) \
	__devm_request_region(dev, &ioport_resource, (start), (n), (name))
#define devm_request_mem_region(dev, start, n, name) \
	__devm_request_region(dev, &iomem_resource, (start), (n), (name))

#endif /* _EXO_IOPORT_H */
