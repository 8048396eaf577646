/* SPDX-License-Identifier: GPL-2.0 */
/* Hosted build: the fake CPU has every page size. */
#ifndef _ASM_HOSTED_PGTABLE_H
#define _ASM_HOSTED_PGTABLE_H

#include <exo/types.h>

static inline bool arch_has_gbpages(void)
{
	return true;
}

#endif
