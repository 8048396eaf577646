// SPDX-License-Identifier: GPL-2.0
/* Refused: exports a name the kernel already exports. */
#include <exo/errno.h>
#include <exo/module.h>
#include <exo/page_alloc.h>

unsigned long nr_free_pages(void)
{
	return 0;
}
EXPORT_SYMBOL(nr_free_pages);
MODULE_LICENSE("GPL");
