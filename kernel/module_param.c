// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters (<exo/moduleparam.h>): the standard types' set/get
 * operations, arrays, and the parsing of "key=value" words for a module
 * being loaded.  Built-in parameters go through the command-line parser
 * (kernel/params.c), which calls the same operations.
 *
 * A charp value is a kmalloc()ed copy: the words it comes from (a shell
 * line, a boot archive) do not outlive the load.  The copies are tracked
 * on kmalloced_params so that a copy is freed when replaced or when its
 * module goes, while a default that points at the module's own string
 * literal is left alone.
 */
#define pr_fmt(fmt) "module: " fmt

#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/limits.h>
#include <exo/list.h>
#include <exo/module.h>
#include <exo/moduleparam.h>
#include <exo/mutex.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/spinlock.h>
#include <exo/string.h>

#include "module-internal.h"

/*
 * Serialises runtime get/set of parameters (/sys/module/<m>/parameters,
 * modinfo): param_set_charp() frees the string it replaces and an array
 * set writes element by element, so an unlocked reader could see freed
 * memory or a torn array.  One lock for all modules: sets are rare.
 */
static DEFINE_MUTEX(param_lock);

/**
 * kernel_param_lock() - hold off runtime parameter changes of @mod
 * @mod: the module (unused: one lock serves every module)
 *
 * Module code that reads a charp or array parameter after init takes this
 * around the read, as in Linux.  May sleep.
 */
void kernel_param_lock(struct module *mod)
{
	mutex_lock(&param_lock);
}
EXPORT_SYMBOL_GPL(kernel_param_lock);

/**
 * kernel_param_unlock() - end a kernel_param_lock() section
 * @mod: the module given to kernel_param_lock()
 */
void kernel_param_unlock(struct module *mod)
{
	mutex_unlock(&param_lock);
}
EXPORT_SYMBOL_GPL(kernel_param_unlock);

/* Longest charp value accepted (Linux's limit too). */
#define CHARP_MAX	1024

static int parse_long(const char *val, long *res)
{
	unsigned long u;
	bool neg = val && *val == '-';
	int ret;

	if (!val)
		return -EINVAL;
	ret = kstrtoul(val + neg, 0, &u);
	if (ret)
		return -EINVAL;
	if (u > (unsigned long)LONG_MAX + neg)
		return -EINVAL;
	*res = neg ? (long)(0 - u) : (long)u;
	return 0;
}

/**
 * param_set_int() - parse a decimal or 0x hex int, sign allowed
 * @val: the text
 * @kp: the parameter (kp->arg: int *)
 * Return: 0, or -EINVAL (not a number, out of range, no value).
 */
int param_set_int(const char *val, const struct kernel_param *kp)
{
	long v;

	if (parse_long(val, &v) || v < INT_MIN || v > INT_MAX)
		return -EINVAL;
	*(int *)kp->arg = v;
	return 0;
}
EXPORT_SYMBOL_GPL(param_set_int);

/*
 * param_get_<type>() - a numeric parameter as text, into PARAM_BUF_SIZE
 * bytes.  Return: the length written.
 */
#define STANDARD_PARAM_GET(name, type, fmt)				\
	int param_get_##name(char *buffer, const struct kernel_param *kp) \
	{								\
		return snprintf(buffer, PARAM_BUF_SIZE, fmt, *(type *)kp->arg); \
	}								\
	EXPORT_SYMBOL_GPL(param_get_##name)

STANDARD_PARAM_GET(int, int, "%d");
/**
 * param_set_uint() - parse a decimal or 0x hex unsigned int
 * @val: the text
 * @kp: the parameter (kp->arg: unsigned int *)
 * Return: 0, or -EINVAL (not a number, negative, out of range).
 */
int param_set_uint(const char *val, const struct kernel_param *kp)
{
	unsigned long v;

	if (!val || kstrtoul(val, 0, &v) || v > UINT_MAX)
		return -EINVAL;
	*(unsigned int *)kp->arg = v;
	return 0;
}
EXPORT_SYMBOL_GPL(param_set_uint);

STANDARD_PARAM_GET(uint, unsigned int, "%u");
/**
 * param_set_ulong() - parse a decimal or 0x hex unsigned long
 * @val: the text
 * @kp: the parameter (kp->arg: unsigned long *)
 * Return: 0, or -EINVAL.
 */
int param_set_ulong(const char *val, const struct kernel_param *kp)
{
	unsigned long v;

	if (!val || kstrtoul(val, 0, &v))
		return -EINVAL;
	*(unsigned long *)kp->arg = v;
	return 0;
}
EXPORT_SYMBOL_GPL(param_set_ulong);

STANDARD_PARAM_GET(ulong, unsigned long, "%lu");
/**
 * param_set_bool() - parse y/n, Y/N, 1/0, on/off, true/false
 * @val: the text; NULL (a bare "name") means true
 * @kp: the parameter (kp->arg: bool *)
 * Return: 0, or -EINVAL.
 */
int param_set_bool(const char *val, const struct kernel_param *kp)
{
	static const char *const yes[] = { "y", "Y", "1", "on", "true" };
	static const char *const no[] = { "n", "N", "0", "off", "false" };

	if (!val) {
		*(bool *)kp->arg = true;
		return 0;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(val, yes[i])) {
			*(bool *)kp->arg = true;
			return 0;
		}
		if (!strcmp(val, no[i])) {
			*(bool *)kp->arg = false;
			return 0;
		}
	}
	return -EINVAL;
}
EXPORT_SYMBOL_GPL(param_set_bool);

/**
 * param_get_bool() - a bool parameter as "Y" or "N"
 * @buffer: PARAM_BUF_SIZE bytes
 * @kp: the parameter
 * Return: the length written.
 */
int param_get_bool(char *buffer, const struct kernel_param *kp)
{
	return snprintf(buffer, PARAM_BUF_SIZE, "%c", *(bool *)kp->arg ? 'Y' : 'N');
}
EXPORT_SYMBOL_GPL(param_get_bool);

struct kmalloced_param {
	struct list_head list;
	char val[];
};
static LIST_HEAD(kmalloced_params);
static DEFINE_SPINLOCK(kmalloced_params_lock);

/* Free @p if it is a copy made by param_set_charp(); else leave it. */
static void maybe_kfree_parameter(void *p)
{
	struct kmalloced_param *k, *found = NULL;

	if (!p)
		return;
	spin_lock(&kmalloced_params_lock);
	list_for_each_entry(k, &kmalloced_params, list) {
		if (k->val == p) {
			list_del(&k->list);
			found = k;
			break;
		}
	}
	spin_unlock(&kmalloced_params_lock);
	kfree(found);
}

/**
 * param_set_charp() - make a string parameter a kernel-owned copy of @val
 * @val: the text (at most 1024 bytes)
 * @kp: the parameter (kp->arg: char **)
 *
 * The previous value is freed if an earlier call made it.
 * Return: 0; -EINVAL no value; -ENOSPC too long; -ENOMEM.
 */
int param_set_charp(const char *val, const struct kernel_param *kp)
{
	struct kmalloced_param *k;
	size_t len;

	if (!val)
		return -EINVAL;
	len = strnlen(val, CHARP_MAX + 1);
	if (len > CHARP_MAX)
		return -ENOSPC;
	k = kmalloc(sizeof(*k) + len + 1, GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	memcpy(k->val, val, len + 1);
	spin_lock(&kmalloced_params_lock);
	list_add(&k->list, &kmalloced_params);
	spin_unlock(&kmalloced_params_lock);
	maybe_kfree_parameter(*(char **)kp->arg);
	*(char **)kp->arg = k->val;
	return 0;
}
EXPORT_SYMBOL_GPL(param_set_charp);

/**
 * param_get_charp() - a string parameter ("(null)" if unset)
 * @buffer: PARAM_BUF_SIZE bytes
 * @kp: the parameter
 * Return: the length written (the value may be cut short).
 */
int param_get_charp(char *buffer, const struct kernel_param *kp)
{
	const char *s = *(char **)kp->arg;

	return snprintf(buffer, PARAM_BUF_SIZE, "%s", s ? s : "(null)");
}
EXPORT_SYMBOL_GPL(param_get_charp);

/**
 * param_free_charp() - free a string parameter's copy, if it is one
 * @arg: the parameter's variable (char **)
 */
void param_free_charp(void *arg)
{
	maybe_kfree_parameter(*(char **)arg);
	*(char **)arg = NULL;
}
EXPORT_SYMBOL_GPL(param_free_charp);

#define DEFINE_PARAM_OPS(name, _set, _get, _free, _type)		\
	const struct kernel_param_ops name = {				\
		.set = _set, .get = _get, .free = _free, .type = _type	\
	};								\
	EXPORT_SYMBOL_GPL(name)
#define STANDARD_PARAM_OPS(t)						\
	DEFINE_PARAM_OPS(param_ops_##t, param_set_##t, param_get_##t, NULL, #t)

STANDARD_PARAM_OPS(int);
STANDARD_PARAM_OPS(uint);
STANDARD_PARAM_OPS(ulong);
STANDARD_PARAM_OPS(bool);

DEFINE_PARAM_OPS(param_ops_charp, param_set_charp, param_get_charp, param_free_charp, "charp");

/*
 * "a,b,c": each element through the element type's set(), into a zeroed
 * copy, so that a refused list leaves the array and its count as they
 * were (and an element type that frees the value it replaces, charp,
 * frees nothing still in use).  Only then are the first n elements
 * replaced, their old values freed.
 */
static int param_array_set(const char *val, const struct kernel_param *kp)
{
	const struct kparam_array *arr = kp->arr;
	struct kernel_param elem = *kp;
	size_t esz = arr->elemsize;
	unsigned int n = 0;
	char buf[PARAM_BUF_SIZE];
	const char *p = val;
	u8 *tmp;
	int ret = 0;

	if (!val || !*val)
		return -EINVAL;
	tmp = kzalloc(arr->max * esz, GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;
	for (;;) {
		size_t len = 0;

		while (p[len] && p[len] != ',')
			len++;

		if (n == arr->max || len >= sizeof(buf)) {
			ret = -EINVAL;	/* too many, or one too long */
			break;
		}
		memcpy(buf, p, len);
		buf[len] = 0;
		elem.arg = tmp + n * esz;
		ret = arr->ops->set(buf, &elem);
		if (ret)
			break;
		n++;
		if (!p[len])
			break;
		p += len + 1;
	}
	for (unsigned int i = 0; i < n && arr->ops->free; i++)
		arr->ops->free(ret ? tmp + i * esz : (u8 *)arr->elem + i * esz);
	if (!ret) {
		memcpy(arr->elem, tmp, n * esz);
		if (arr->num)
			*arr->num = n;
	}
	kfree(tmp);
	return ret;
}

static int param_array_get(char *buffer, const struct kernel_param *kp)
{
	const struct kparam_array *arr = kp->arr;
	struct kernel_param elem = *kp;
	unsigned int n = arr->num ? *arr->num : arr->max;
	char buf[PARAM_BUF_SIZE];
	int len = 0;

	buffer[0] = 0;
	for (unsigned int i = 0; i < n && len < PARAM_BUF_SIZE - 1; i++) {
		elem.arg = (u8 *)arr->elem + i * arr->elemsize;
		arr->ops->get(buf, &elem);
		len += snprintf(buffer + len, PARAM_BUF_SIZE - len, "%s%s", i ? "," : "", buf);
	}
	return min(len, PARAM_BUF_SIZE - 1);
}

static void param_array_free(void *arg)
{
	const struct kparam_array *arr = arg;	/* kp->arr, which shares kp->arg */

	if (arr->ops->free)
		for (unsigned int i = 0; i < arr->max; i++)
			arr->ops->free((u8 *)arr->elem + i * arr->elemsize);
}

DEFINE_PARAM_OPS(param_array_ops, param_array_set, param_array_get, param_array_free, "array");

char *param_value_text(const struct kernel_param *kp, char *buf)
{
	buf[0] = 0;
	if (kp->ops->get) {
		kernel_param_lock(NULL);
		kp->ops->get(buf, kp);
		kernel_param_unlock(NULL);
	}
	return buf;
}

/* "int", or "array of int": what a refused value should have been. */
static const char *param_type(const struct kernel_param *kp, char *buf, size_t size)
{
	if (kp->ops == &param_array_ops) {
		snprintf(buf, size, "array of at most %u %s", kp->arr->max,
			 kp->arr->ops->type ? kp->arr->ops->type : "values");
		return buf;
	}
	return kp->ops->type ? kp->ops->type : "a valid value";
}

/**
 * param_apply() - set one parameter, logging a refusal
 * @owner: the module name for the log
 * @kp: the parameter
 * @key: its name as given
 * @val: the value, or NULL for a bare key
 * @source: "insmod", "cmdline", ...
 *
 * Return: 0, or the error of kp->ops->set() (-EINVAL for most refusals).
 */
int param_apply(const char *owner, const struct kernel_param *kp, const char *key,
		const char *val, const char *source)
{
	char type[64];
	int ret = kp->ops->set(val, kp);

	if (ret)
		pr_err("%s: parameter '%s': bad value '%s' from %s (%s; want %s)\n", owner, key,
		       val ? val : "(none)", source, errname(ret), param_type(kp, type, sizeof(type)));
	return ret;
}

static const struct kernel_param *module_find_param(struct module *mod, const char *key, size_t len)
{
	for (unsigned int i = 0; i < mod->num_kp; i++)
		if (!strncmp(mod->kp[i].name, key, len) && !mod->kp[i].name[len])
			return &mod->kp[i];
	return NULL;
}

/*
 * Split off the next word of @args in place: "key", "key=value" or
 * key="value with spaces" (the quotes removed).  Return: the rest.
 */
static char *next_arg(char *args, char **key, char **val)
{
	bool quoted = false;
	char *p = args, *eq = NULL;

	for (; *p && (quoted || *p != ' '); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == '=' && !eq)
			eq = p;
	}
	if (*p)
		*p++ = 0;
	*key = args;
	*val = NULL;
	if (eq) {
		char *v = eq + 1;
		size_t n;

		*eq = 0;
		if (*v == '"') {
			v++;
			n = strlen(v);
			if (n && v[n - 1] == '"')
				v[n - 1] = 0;
		}
		*val = v;
	}
	while (*p == ' ')
		p++;
	return p;
}

int module_parse_args(struct module *mod, const char *args, const char *source,
		      const char *prefix)
{
	size_t plen = prefix ? strlen(prefix) : 0;
	char *copy, *p;
	int ret = 0;

	/* Most loads have nothing for this module on the command line: no copy. */
	if (!args || !*args || (prefix && !strstr(args, prefix)))
		return 0;
	copy = kmalloc(strlen(args) + 1, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, args, strlen(args) + 1);
	p = copy;
	while (*p == ' ')
		p++;
	while (*p && !ret) {
		const struct kernel_param *kp;
		char *key, *val;

		p = next_arg(p, &key, &val);
		if (prefix && strncmp(key, prefix, plen))
			continue;
		key += plen;
		kp = module_find_param(mod, key, strlen(key));
		if (!kp) {
			pr_warn("%s: unknown parameter '%s' from %s ignored\n", mod->name, key,
				source);
			continue;
		}
		ret = param_apply(mod->name, kp, key, val, source);
	}
	kfree(copy);
	return ret;
}

void module_destroy_params(struct module *mod)
{
	for (unsigned int i = 0; i < mod->num_kp; i++) {
		const struct kernel_param *kp = &mod->kp[i];

		/* kp->arg is kp->arr for an array: param_array_free() expects it. */
		if (kp->ops->free)
			kp->ops->free(kp->arg);
	}
}

/* Is [@p, @p + @size) inside @mod's memory? */
static bool in_mod(const struct module *mod, const void *p, size_t size)
{
	unsigned long a = (unsigned long)p, b = (unsigned long)mod->base;

	return a >= b && size <= mod->size && a - b <= mod->size - size;
}

static bool ops_ok(const struct module *mod, const struct kernel_param_ops *ops)
{
	return ops == &param_ops_int || ops == &param_ops_uint || ops == &param_ops_ulong ||
	       ops == &param_ops_bool || ops == &param_ops_charp ||
	       (in_mod(mod, ops, sizeof(*ops)) && ops->set);
}

/* A key: NUL-terminated inside the module, not empty. */
static bool name_ok(const struct module *mod, const char *name)
{
	const char *end = (const char *)mod->base + mod->size;

	if (!in_mod(mod, name, 1))
		return false;
	return *name && strnlen(name, end - name) < (size_t)(end - name);
}

int module_check_params(struct module *mod)
{
	for (unsigned int i = 0; i < mod->num_kp; i++) {
		const struct kernel_param *kp = &mod->kp[i];
		const struct kparam_array *arr = kp->arr;
		bool ok = name_ok(mod, kp->name);

		if (ok && kp->ops == &param_array_ops)
			ok = in_mod(mod, arr, sizeof(*arr)) && ops_ok(mod, arr->ops) &&
			     arr->max && arr->elemsize &&
			     arr->max <= mod->size / arr->elemsize &&
			     in_mod(mod, arr->elem, arr->max * arr->elemsize) &&
			     (!arr->num || in_mod(mod, arr->num, sizeof(*arr->num)));
		else if (ok)
			ok = ops_ok(mod, kp->ops) && in_mod(mod, kp->arg, 1);
		if (!ok) {
			pr_err("%s: parameter %u is malformed (outside the module)\n", mod->name, i);
			mod->num_kp = i;	/* only the checked ones are freed */
			return -ENOEXEC;
		}
	}
	return 0;
}

/*
 * Built-in parameters are in the kernel's __param section, named
 * "mod.key".  The value is copied (charp keeps it: the parser's own copy
 * of the word is not handed on).
 */
int __init builtin_module_param(const char *word, size_t len, bool log, unsigned int *refused)
{
	size_t nlen = 0;
	char buf[PARAM_BUF_SIZE];

	while (nlen < len && word[nlen] != '=')
		nlen++;
	for (const struct kernel_param *kp = __start___param; kp < __stop___param; kp++) {
		const char *dot = strchr(kp->name, '.');
		char owner[MODULE_NAME_LEN];
		int ret;

		if (strncmp(kp->name, word, nlen) || kp->name[nlen])
			continue;
		if (len - nlen > sizeof(buf)) {
			if (log)
				pr_err("%.*s: value too long (at most %zu bytes)\n", (int)nlen, word,
				       sizeof(buf) - 1);
			(*refused)++;
			return 1;
		}
		if (nlen < len) {
			memcpy(buf, word + nlen + 1, len - nlen - 1);
			buf[len - nlen - 1] = 0;
		}
		snprintf(owner, sizeof(owner), "%.*s", dot ? (int)(dot - kp->name) : 0, kp->name);
		if (log)
			ret = param_apply(owner, kp, dot ? dot + 1 : kp->name,
					  nlen < len ? buf : NULL, "cmdline");
		else
			ret = kp->ops->set(nlen < len ? buf : NULL, kp);
		if (ret)
			(*refused)++;
		return 1;
	}
	return 0;
}
