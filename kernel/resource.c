// SPDX-License-Identifier: GPL-2.0
/*
 * The resource tree: who owns which I/O ports and physical address ranges.
 *
 * Each node's children are a list sorted by start address, linked through
 * ->sibling, that never overlap and lie inside the parent.  Inserting is
 * one walk of the parent's child list: the first child that does not end
 * before the new range either starts after it (insert there) or overlaps
 * it (the conflict).  __request_region() retries one level down when the
 * conflict is a non-busy node that contains the whole range: that is how
 * a driver's claim lands under the BAR that enumeration inserted.
 *
 * One spinlock guards both trees; nodes are allocated before it is taken.
 */
#define pr_fmt(fmt) "resource: " fmt

#include <exo/device.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/ioport.h>
#include <exo/kernel.h>
#include <exo/slab.h>
#include <exo/spinlock.h>

struct resource ioport_resource = {
	.name = "PCI IO",
	.start = 0,
	.end = 0xffff,
	.flags = IORESOURCE_IO,
};
EXPORT_SYMBOL_GPL(ioport_resource);

struct resource iomem_resource = {
	.name = "PCI mem",
	.start = 0,
	.end = ~0ULL,
	.flags = IORESOURCE_MEM,
};
EXPORT_SYMBOL_GPL(iomem_resource);

static DEFINE_SPINLOCK(resource_lock);

static const char *res_name(const struct resource *r)
{
	return r->name ? r->name : "<unnamed>";
}

/* NULL if @new went in, else the node it collides with (@root: out of range). */
static struct resource *__request_resource(struct resource *root, struct resource *new)
{
	struct resource **p = &root->child;

	if (new->start < root->start || new->end > root->end)
		return root;
	for (;;) {
		struct resource *tmp = *p;

		if (!tmp || tmp->start > new->end) {
			new->sibling = tmp;
			new->parent = root;
			new->child = NULL;
			*p = new;
			return NULL;
		}
		if (tmp->end >= new->start)
			return tmp;
		p = &tmp->sibling;
	}
}

int request_resource(struct resource *root, struct resource *new)
{
	struct resource *conflict;

	if (new->end < new->start || new->parent) {
		pr_err("%s [%#llx-%#llx]: %s\n", res_name(new), new->start, new->end,
		       new->parent ? "already in the tree" : "empty range");
		return -EINVAL;
	}
	spin_lock(&resource_lock);
	conflict = __request_resource(root, new);
	spin_unlock(&resource_lock);
	if (conflict == root) {
		pr_err("%s [%#llx-%#llx] is outside %s [%#llx-%#llx]\n", res_name(new),
		       new->start, new->end, res_name(root), root->start, root->end);
		return -EINVAL;
	}
	if (conflict) {
		pr_err("%s [%#llx-%#llx] conflicts with %s [%#llx-%#llx]\n", res_name(new),
		       new->start, new->end, res_name(conflict), conflict->start, conflict->end);
		return -EBUSY;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(request_resource);

int release_resource(struct resource *old)
{
	struct resource **p;
	int ret = -EINVAL;

	spin_lock(&resource_lock);
	if (!old->parent)
		goto out;
	if (old->child) {
		ret = -EBUSY;
		goto out;
	}
	for (p = &old->parent->child; *p; p = &(*p)->sibling)
		if (*p == old) {
			*p = old->sibling;
			old->parent = old->sibling = NULL;
			ret = 0;
			break;
		}
out:
	spin_unlock(&resource_lock);
	if (ret)
		pr_err("release of %s [%#llx-%#llx]: %s\n", res_name(old), old->start, old->end,
		       ret == -EBUSY ? "ranges inside are still claimed" : "not in the tree");
	return ret;
}
EXPORT_SYMBOL_GPL(release_resource);

struct resource *__request_region(struct resource *parent, resource_size_t start,
				  resource_size_t n, const char *name, int flags)
{
	struct resource *res, *conflict;
	struct resource seen;		/* the conflict, copied under the lock */

	if (!n || start + n - 1 < start) {
		pr_err("%s: bad range %#llx+%#llx\n", name, start, n);
		return NULL;
	}
	res = kzalloc(sizeof(*res), GFP_KERNEL);
	if (!res) {
		pr_err("%s: out of memory\n", name);
		return NULL;
	}
	res->name = name;
	res->start = start;
	res->end = start + n - 1;
	res->flags = resource_type(parent) | flags | IORESOURCE_BUSY;
	spin_lock(&resource_lock);
	for (;;) {
		conflict = __request_resource(parent, res);
		if (!conflict)
			break;
		/* Inside a BAR (or any range nobody claimed): go one level down. */
		if (conflict != parent && !(conflict->flags & IORESOURCE_BUSY) &&
		    conflict->start <= res->start && conflict->end >= res->end) {
			parent = conflict;
			continue;
		}
		seen = *conflict;
		break;
	}
	spin_unlock(&resource_lock);
	if (!conflict)
		return res;
	/* Rate-limited: drivers probing for a free range may collide often. */
	pr_err_ratelimited("%s [%#llx-%#llx]: %s %s [%#llx-%#llx]\n", name, res->start,
			   res->end, conflict == parent ? "outside" : "conflicts with",
			   res_name(&seen), seen.start, seen.end);
	kfree(res);
	return NULL;
}
EXPORT_SYMBOL_GPL(__request_region);

void __release_region(struct resource *parent, resource_size_t start, resource_size_t n)
{
	resource_size_t end = start + n - 1;
	struct resource **p = &parent->child, *res;

	spin_lock(&resource_lock);
	while ((res = *p)) {
		if (res->start <= start && res->end >= end) {
			if (!(res->flags & IORESOURCE_BUSY)) {
				p = &res->child;
				continue;
			}
			if (res->start != start || res->end != end)
				break;
			if (res->child) {
				/* Freeing it would leave the children pointing at freed memory. */
				spin_unlock(&resource_lock);
				pr_err("release of [%#llx-%#llx] under %s: it has claims inside: kept\n",
				       start, end, res_name(parent));
				return;
			}
			*p = res->sibling;
			spin_unlock(&resource_lock);
			kfree(res);
			return;
		}
		p = &res->sibling;
	}
	spin_unlock(&resource_lock);
	pr_err("release of [%#llx-%#llx] under %s: no such claim\n", start, end, res_name(parent));
}
EXPORT_SYMBOL_GPL(__release_region);

static unsigned int count_busy(const struct resource *r)
{
	unsigned int n = 0;

	for (r = r->child; r; r = r->sibling)
		n += !!(r->flags & IORESOURCE_BUSY) + count_busy(r);
	return n;
}

unsigned int resource_count_busy(struct resource *root)
{
	unsigned int n;

	spin_lock(&resource_lock);
	n = count_busy(root);
	spin_unlock(&resource_lock);
	return n;
}
EXPORT_SYMBOL_GPL(resource_count_busy);

struct region_devres {
	struct resource *parent;
	resource_size_t start, n;
};

static void devm_region_release(void *data)
{
	struct region_devres *dr = data;

	__release_region(dr->parent, dr->start, dr->n);
	kfree(dr);
}

struct resource *__devm_request_region(struct device *dev, struct resource *parent,
				       resource_size_t start, resource_size_t n, const char *name)
{
	struct region_devres *dr = kzalloc(sizeof(*dr), GFP_KERNEL);
	struct resource *res;

	if (!dr) {
		dev_err(dev, "%s: out of memory\n", name);
		return NULL;
	}
	res = __request_region(parent, start, n, name, 0);
	if (!res) {
		kfree(dr);
		return NULL;
	}
	dr->parent = parent;
	dr->start = start;
	dr->n = n;
	if (devm_add_action_or_reset(dev, devm_region_release, dr))
		return NULL;
	return res;
}
EXPORT_SYMBOL_GPL(__devm_request_region);
