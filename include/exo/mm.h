/* SPDX-License-Identifier: GPL-2.0 */
/* Memory-management bring-up entry points called by start_kernel(). */
#ifndef _EXO_MM_H
#define _EXO_MM_H

/* memblock from the boot memory map, then the buddy allocator. */
void mm_core_init(void);
/* Return the __init sections to the page allocator. */
void free_initmem(void);

#endif
