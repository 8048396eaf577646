/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARCH=hosted, force-included before anything else (arch/hosted/Makefile):
 * glibc's <sys/cdefs.h> and <exo/compiler.h> both define __always_inline,
 * differently.  Settle on the exo text now so that neither order warns.
 */
#ifndef _ASM_HOSTED_HOST_COMPAT_H
#define _ASM_HOSTED_HOST_COMPAT_H

#include <sys/cdefs.h>
#undef __always_inline
#define __always_inline	inline __attribute__((__always_inline__))

#endif
