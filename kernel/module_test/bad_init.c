// SPDX-License-Identifier: GPL-2.0
/* Loaded, then unloaded by the loader: init fails (after using memory). */
#include <exo/errno.h>
#include <exo/module.h>
#include <exo/page_alloc.h>

static int __init bad_init_init(void)
{
	struct page *p = alloc_pages(GFP_KERNEL, 1);

	if (p)
		__free_pages(p, 1);
	return -EIO;
}
module_init(bad_init_init);
MODULE_LICENSE("GPL");
