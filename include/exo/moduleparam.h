/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Module parameters, shaped like Linux's <linux/moduleparam.h>:
 *
 *	static int debug;
 *	module_param(debug, int, 0644);
 *	MODULE_PARM_DESC(debug, "debug level (0-3)");
 *	static int irqs[4];
 *	static unsigned int nr_irqs;
 *	module_param_array(irqs, int, &nr_irqs, 0444);
 *
 * Each parameter is a struct kernel_param in the __param section.  In a
 * module the loader finds them there and sets them, before init, from the
 * kernel command line ("foo.debug=2") and then from the insmod/modprobe
 * arguments ("debug=2"); a refused value (wrong type, too many array
 * elements) fails the load.  Built in, the name is prefixed with
 * KBUILD_MODNAME "." and the command line sets it just before the
 * initcalls run; a refused value is logged and the default kept.
 *
 * Types: int, uint, ulong, bool (y/n/1/0/on/off/true/false; a bare name
 * means true), charp (a copy of the string that the kernel owns and frees
 * when the value is replaced or the module unloaded).  An array takes
 * comma-separated values and stores their count in *nump.
 * The perm argument is the mode of /sys/module/<mod>/parameters/<name>
 * (0: no file), as in Linux.
 * See Documentation/modules.rst.
 */
#ifndef _EXO_MODULEPARAM_H
#define _EXO_MODULEPARAM_H

#include <exo/compiler.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/types.h>

struct module;
struct kernel_param;

/**
 * struct kernel_param_ops - how a parameter type is set, shown and freed
 * @flags: unused, for Linux compatibility
 * @set: parse @val into the parameter: 0, or -EINVAL for a bad value
 *	(@val is NULL for a bare "name" with no '=')
 * @get: write the value as text into @buffer (at least 256 bytes):
 *	the length written
 * @free: release what @set allocated (NULL if nothing)
 * @type: the type's name for error messages and modinfo ("int", ...)
 */
struct kernel_param_ops {
	unsigned int flags;
	int (*set)(const char *val, const struct kernel_param *kp);
	int (*get)(char *buffer, const struct kernel_param *kp);
	void (*free)(void *arg);
	const char *type;
};

/* An array parameter: up to @max elements of @elemsize bytes at @elem. */
struct kparam_array {
	unsigned int max;
	unsigned int elemsize;
	unsigned int *num;
	const struct kernel_param_ops *ops;
	void *elem;
};

/**
 * struct kernel_param - one parameter, in the __param section
 * @name: "key" in a module, "modname.key" built in
 * @mod: the owning module (THIS_MODULE)
 * @ops: its type
 * @perm: mode of the parameter's file in /sys/module (0: none)
 * @level: unused (Linux: the initcall level of built-in parameters)
 * @flags: unused
 * @arg: the variable (scalars)
 * @str: unused
 * @arr: the array description (module_param_array)
 */
struct kernel_param {
	const char *name;
	struct module *mod;
	const struct kernel_param_ops *ops;
	const u16 perm;
	s8 level;
	u8 flags;
	union {
		void *arg;
		const struct kparam_array *arr;
	};
};

#define PARAM_BUF_SIZE	256

extern const struct kernel_param_ops param_ops_int;
extern const struct kernel_param_ops param_ops_uint;
extern const struct kernel_param_ops param_ops_ulong;
extern const struct kernel_param_ops param_ops_bool;
extern const struct kernel_param_ops param_ops_charp;
extern const struct kernel_param_ops param_array_ops;

int param_set_int(const char *val, const struct kernel_param *kp);
int param_get_int(char *buffer, const struct kernel_param *kp);
int param_set_uint(const char *val, const struct kernel_param *kp);
int param_get_uint(char *buffer, const struct kernel_param *kp);
int param_set_ulong(const char *val, const struct kernel_param *kp);
int param_get_ulong(char *buffer, const struct kernel_param *kp);
int param_set_bool(const char *val, const struct kernel_param *kp);
int param_get_bool(char *buffer, const struct kernel_param *kp);
int param_set_charp(const char *val, const struct kernel_param *kp);
int param_get_charp(char *buffer, const struct kernel_param *kp);
void param_free_charp(void *arg);

#ifdef MODULE
# define MODULE_PARAM_PREFIX	""
#else
# define MODULE_PARAM_PREFIX	KBUILD_MODNAME "."
#endif

/* Type checks, as Linux's: the variable must have the parameter's C type. */
#define __param_check(name, p, type) \
	static inline type __maybe_unused *__check_##name(void) { return (p); }
#define param_check_int(name, p)	__param_check(name, p, int)
#define param_check_uint(name, p)	__param_check(name, p, unsigned int)
#define param_check_ulong(name, p)	__param_check(name, p, unsigned long)
#define param_check_bool(name, p)	__param_check(name, p, bool)
#define param_check_charp(name, p)	__param_check(name, p, char *)

#define __module_param_call(prefix, name, ops, arg, perm, level, flags)	\
	static const char __param_str_##name[] = prefix #name;		\
	static const struct kernel_param __param_##name __used		\
		__section("__param") __aligned(sizeof(void *)) =	\
		{ __param_str_##name, THIS_MODULE, ops, (perm), level, flags, { arg } }

/* Its type and description in .modinfo, for modinfo (modules only). */
#define __MODULE_PARM_TYPE(name, _type)					\
	__MODULE_INFO(parmtype, #name ":" _type)
#define MODULE_PARM_DESC(_parm, desc)					\
	__MODULE_INFO(parm, #_parm ":" desc)

/**
 * module_param_cb() - a parameter with its own kernel_param_ops
 * @name: the parameter's name
 * @ops: its kernel_param_ops
 * @arg: passed to @ops through kp->arg
 * @perm: kept for Linux compatibility
 */
#define module_param_cb(name, ops, arg, perm)				\
	__module_param_call(MODULE_PARAM_PREFIX, name, ops, arg, perm, -1, 0)

/*
 * The type is pasted (param_ops_##type) before any macro sees it as an
 * argument: <stdbool.h>'s bool is a macro, which a nested macro would
 * expand to _Bool first.
 */
#define __module_param_named(name, value, check, ops, typestr, perm)	\
	check(name, &(value));						\
	module_param_cb(name, &ops, &value, perm);			\
	__MODULE_PARM_TYPE(name, typestr)

#define __module_param_array(name, array, _check, _ops, typestr, nump, perm) \
	_check(name, &(array)[0]);					\
	static const struct kparam_array __param_arr_##name = {		\
		.max = ARRAY_SIZE(array), .num = nump, .ops = &_ops,	\
		.elemsize = sizeof(array[0]), .elem = array };		\
	__module_param_call(MODULE_PARAM_PREFIX, name, &param_array_ops,	\
			    .arr = &__param_arr_##name, perm, -1, 0);	\
	__MODULE_PARM_TYPE(name, "array of " typestr)

/**
 * module_param_named() - a parameter whose name is not the variable's
 * @name: the parameter's name
 * @value: the variable
 * @type: int, uint, ulong, bool or charp
 * @perm: kept for Linux compatibility
 */
#define module_param_named(name, value, type, perm)			\
	__module_param_named(name, value, param_check_##type, param_ops_##type, #type, perm)

/**
 * module_param() - make a variable a module parameter of the same name
 * @name: the variable, and the parameter's name
 * @type: int, uint, ulong, bool or charp
 * @perm: kept for Linux compatibility
 */
#define module_param(name, type, perm)					\
	__module_param_named(name, name, param_check_##type, param_ops_##type, #type, perm)

/**
 * module_param_array_named() - an array parameter named @name
 * @name: the parameter's name
 * @array: the array variable (its size is the maximum count)
 * @type: the element type (int, uint, ulong, bool, charp)
 * @nump: where the number of values given is stored, or NULL
 * @perm: kept for Linux compatibility
 */
#define module_param_array_named(name, array, type, nump, perm)	\
	__module_param_array(name, array, param_check_##type, param_ops_##type, #type, \
			     nump, perm)

/** module_param_array() - module_param_array_named() named after @name */
#define module_param_array(name, type, nump, perm)			\
	__module_param_array(name, name, param_check_##type, param_ops_##type, #type, \
			     nump, perm)

/**
 * module_parse_args() - set a module's parameters from "key=val" words
 * @mod: the module (its kp[] array); built-in parameters are set by the
 *	command-line parser, not by this
 * @args: space-separated words; a value may be double-quoted to hold spaces
 * @source: where the words come from, for the log ("insmod", "cmdline")
 * @prefix: only words beginning with this are used, without it (the
 *	command line: "modname."), or NULL for every word
 *
 * Unknown keys are logged and ignored, as Linux does.  A refused value is
 * logged in one line naming the module, the parameter, the value and the
 * type wanted.  Return: 0, or the first error (-EINVAL bad value, -ENOMEM).
 */
int module_parse_args(struct module *mod, const char *args, const char *source,
		      const char *prefix);

/* Free what the parameters of @mod own (charp copies): the module is going. */
void module_destroy_params(struct module *mod);

/**
 * param_value_text() - @kp's value as text, as modinfo shows it
 * @kp: the parameter
 * @buf: at least PARAM_BUF_SIZE bytes
 * Return: @buf.
 */
char *param_value_text(const struct kernel_param *kp, char *buf);

/* Built-in parameters ("modname.key=value" on the command line). */
extern const struct kernel_param __start___param[], __stop___param[];

/*
 * builtin_module_param() - for kernel/params.c: set the built-in parameter
 * named by @word ("mod.key=value", @len bytes), if there is one; a refused
 * value is logged (if @log), counted in *@refused, and the default kept.
 * Return: 1 if a built-in parameter has that name, else 0.
 */
int builtin_module_param(const char *word, size_t len, bool log, unsigned int *refused);

/*
 * kernel_param_lock()/kernel_param_unlock() (kernel/module_param.c):
 * serialise a read of a charp or array parameter against a runtime write
 * through /sys/module/<mod>/parameters, which frees the old string.
 */
struct module;
void kernel_param_lock(struct module *mod);
void kernel_param_unlock(struct module *mod);

#endif /* _EXO_MODULEPARAM_H */
