/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hosted build: the portable page-table code walks x86-64 tables in the
 * fake RAM, through the x86 accessors (pure C on the entry format), and the
 * fake CPU has every page size.
 */
#ifndef _ASM_HOSTED_PGTABLE_H
#define _ASM_HOSTED_PGTABLE_H

#include <exo/types.h>
#include <exo/pgtable.h>
#include <asm/pgtable_types.h>
#include "../../../x86/include/asm/pgtable_64.h"

static inline bool arch_has_gbpages(void)
{
	return true;
}

#endif
