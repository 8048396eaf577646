/* SPDX-License-Identifier: GPL-2.0 */
/* Force-included into every kernel file: the configuration and IS_ENABLED(). */
#ifndef _EXO_KCONFIG_H
#define _EXO_KCONFIG_H

#include <generated/autoconf.h>

#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define __is_defined(x)			___is_defined(x)
#define ___is_defined(val)		____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk)	__take_second_arg(arg1_or_junk 1, 0)

/* IS_ENABLED(CONFIG_FOO): 1 if FOO is y or m, usable in C expressions. */
#define IS_BUILTIN(option)	__is_defined(option)
#define IS_MODULE(option)	__is_defined(option##_MODULE)
#define IS_ENABLED(option)	(IS_BUILTIN(option) || IS_MODULE(option))

#endif
