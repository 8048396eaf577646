/* SPDX-License-Identifier: GPL-2.0 */
/* Hosted build: the fake RAM holds x86-64 page tables (see arch/hosted/arena.c). */
#ifndef _ASM_HOSTED_PGTABLE_TYPES_H
#define _ASM_HOSTED_PGTABLE_TYPES_H

#include "../../../x86/include/asm/pgtable_types.h"

#endif
