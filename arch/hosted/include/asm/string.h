/* SPDX-License-Identifier: GPL-2.0 */
/* Hosted build: the generic <exo/string.h> helpers are used as they are. */
#ifndef _ASM_HOSTED_STRING_H
#define _ASM_HOSTED_STRING_H

#endif
