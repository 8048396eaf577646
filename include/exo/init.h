/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Initcalls and __init sections.
 *
 * Subsystems register an init function at a level; start_kernel() runs the
 * levels in this order, each in link order:
 *
 *   early     before the page allocator: console, cpu features
 *   core      memory allocators (page_alloc, then pgtable)
 *   postcore  kernel address space, tlb
 *   arch      interrupt controllers, SMP bring-up, slab
 *   subsys    buses (pci, platform), kthreads
 *   fs        (unused; kept for parity with Linux)
 *   device    drivers: module_init() of built-in code
 *   late      shells, tests, things that want everything up
 *
 * __init code and __initdata are freed after the late level.
 */
#ifndef _EXO_INIT_H
#define _EXO_INIT_H

#include <exo/compiler.h>

#define __init		__section(".init.text") __cold
#define __initdata	__section(".init.data")
#define __initconst	__section(".init.rodata")

typedef int (*initcall_t)(void);

#define INITCALL_LEVELS(X) X(early) X(core) X(postcore) X(arch) X(subsys) \
	X(fs) X(device) X(late)

#define __define_initcall(fn, lvl)					\
	static const initcall_t __initcall_##fn##_##lvl __used		\
	__section(".initcall_" #lvl ".init") = fn

#define early_initcall(fn)	__define_initcall(fn, early)
#define core_initcall(fn)	__define_initcall(fn, core)
#define postcore_initcall(fn)	__define_initcall(fn, postcore)
#define arch_initcall(fn)	__define_initcall(fn, arch)
#define subsys_initcall(fn)	__define_initcall(fn, subsys)
#define fs_initcall(fn)		__define_initcall(fn, fs)
#define device_initcall(fn)	__define_initcall(fn, device)
#define late_initcall(fn)	__define_initcall(fn, late)

/*
 * Kernel command-line parameters: __setup("name=", fn) calls fn with the
 * text after '='; early_param() does the same before the early initcalls.
 * A name without '=' is a flag: "name" alone calls fn with "", and
 * "name=anything" is refused.
 *
 * A handler returns 0, or -EINVAL for a value it refuses; it must then
 * leave its setting alone (the default, or an earlier valid value).  The
 * parser logs every refusal in one line that names what the parameter
 * accepts: the @values text of __setup_desc()/early_param_desc(), or the
 * list of __setup_choice()/early_param_choice(), whose handlers are only
 * called with one of the listed strings.
 */
struct obs_kernel_param {
	const char *name;
	int (*setup)(const char *val);
	int early;
	const char *values;		/* what is accepted, for the log; or NULL */
	const char *const *choices;	/* NULL-terminated; NULL: any value */
};

#define __setup_param(str, fn, early, values, choices)			\
	static const struct obs_kernel_param __setup_##fn __used		\
	__section(".init.setup") __aligned(8) = { str, fn, early, values, choices }

#define __setup(str, fn)	__setup_param(str, fn, 0, NULL, NULL)
#define early_param(str, fn)	__setup_param(str, fn, 1, NULL, NULL)
#define __setup_desc(str, fn, values)	__setup_param(str, fn, 0, values, NULL)
#define early_param_desc(str, fn, values) __setup_param(str, fn, 1, values, NULL)

#define __param_choice(str, fn, early, ...)				\
	static const char *const __param_choices_##fn[] __initconst =	\
		{ __VA_ARGS__, NULL };					\
	__setup_param(str, fn, early, NULL, __param_choices_##fn)
#define __setup_choice(str, fn, ...)	__param_choice(str, fn, 0, __VA_ARGS__)
#define early_param_choice(str, fn, ...) __param_choice(str, fn, 1, __VA_ARGS__)

/* The whole command line, as the boot loader gave it. */
extern char boot_command_line[];

/**
 * parse_args() - run the handlers registered for each word of @cmdline
 * @cmdline: space-separated words, name=value or bare name
 * @early: non-zero to run only early_param() handlers, zero for the rest
 *
 * Logs each unknown word (late pass only) and each refused value.
 * Return: number of words no handler claimed.
 */
int parse_args(const char *cmdline, int early);

/**
 * parse_args_quiet() - parse_args() that logs nothing, for tests
 * @cmdline: as for parse_args()
 * @early: as for parse_args()
 * @refused: if not NULL, set to the number of values refused (by the
 *	     parser: a value for a flag, one not in a parameter's choices;
 *	     or by the handler)
 *
 * Return: number of words no handler claimed.
 */
int parse_args_quiet(const char *cmdline, int early, unsigned int *refused);

/* Addresses of the __init region, freed by free_initmem() after boot. */
extern char __init_begin[], __init_end[];

#endif /* _EXO_INIT_H */
