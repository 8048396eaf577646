// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel command line: words are "name=value" or "name".  Handlers register
 * with __setup()/early_param() (include/exo/init.h); early ones run before
 * any initcall, the rest just before the initcalls.
 */
#include <exo/bootinfo.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/moduleparam.h>
#include <exo/printk.h>
#include <exo/string.h>

char boot_command_line[BOOT_CMDLINE_MAX];

extern const struct obs_kernel_param __setup_start[], __setup_end[];

/*
 * Handlers may keep the value pointer (ktest=, bench=...), so each word
 * handed to a handler is copied into a pool that lives as long as the
 * kernel.  Only those words are copied, once per pass that has a handler
 * for them, so the boot line's two passes together need at most one copy
 * of it (plus the rare word with both an early and a late handler).
 */
static char param_pool[2 * BOOT_CMDLINE_MAX];
static size_t param_pool_used;

static char *param_copy(const char *word, size_t len)
{
	char *p;

	if (len + 1 > sizeof(param_pool) - param_pool_used)
		return NULL;
	p = param_pool + param_pool_used;
	memcpy(p, word, len);
	p[len] = 0;
	param_pool_used += len + 1;
	return p;
}

static bool __init value_listed(const char *val, const char *const *choices)
{
	for (; *choices; choices++)
		if (!strcmp(val, *choices))
			return true;
	return false;
}

/* "want one of: a, b, c" for the log line of a refused value. */
static void __init choices_text(char *buf, size_t size, const char *const *choices)
{
	size_t n = strlcpy(buf, "want one of:", size);

	for (; *choices && n < size; choices++)
		n += snprintf(buf + n, size - n, "%s %s", n > 12 ? "," : "", *choices);
}

/*
 * Check @val against what @p accepts, then call its handler.  Return:
 * 0, or -EINVAL with @why saying what the parameter wants.
 */
static int __init apply_param(const struct obs_kernel_param *p, const char *val, bool has_value,
		       char *why, size_t size)
{
	size_t plen = strlen(p->name);

	if (p->name[plen - 1] != '=' && has_value) {
		snprintf(why, size, "%s takes no value", p->name);
		return -EINVAL;
	}
	if (p->choices && !value_listed(val, p->choices)) {
		choices_text(why, size, p->choices);
		return -EINVAL;
	}
	if (!p->setup(val))
		return 0;
	if (p->choices)
		choices_text(why, size, p->choices);
	else
		snprintf(why, size, "want %s", p->values ? p->values : "a valid value");
	return -EINVAL;
}

/* Does handler @p take the word whose name is @word[0..@nlen)? */
static bool __init param_matches(const struct obs_kernel_param *p, const char *word, size_t nlen)
{
	size_t plen = strlen(p->name);

	/* "foo=" matches foo=..., "foo" matches a bare foo */
	if (p->name[plen - 1] == '=')
		plen--;
	return plen == nlen && !strncmp(p->name, word, nlen);
}

static int __init run_param(const char *word, size_t len, int early, bool log,
			    unsigned int *refused)
{
	size_t nlen = 0;
	char *buf = NULL;
	int claimed = 0;

	while (nlen < len && word[nlen] != '=')
		nlen++;

	for (const struct obs_kernel_param *p = __setup_start; p < __setup_end; p++) {
		char why[128];

		if (!param_matches(p, word, nlen))
			continue;
		claimed = 1;
		if (!p->early != !early)
			continue;
		if (!buf) {
			buf = param_copy(word, len);
			if (!buf) {
				pr_warn("cmdline: parameter pool full (%zu bytes), '%.*s' ignored\n",
					sizeof(param_pool), (int)len, word);
				return 0;
			}
		}
		if (!apply_param(p, nlen < len ? buf + nlen + 1 : "", nlen < len, why, sizeof(why)))
			continue;
		(*refused)++;
		if (log)
			pr_warn("cmdline: '%s' ignored: %s\n", buf, why);
	}
	if (!claimed && !early)
		claimed = builtin_module_param(word, len, log, refused);
	return !claimed;
}

static bool __init has_dot(const char *word, size_t len)
{
	for (size_t i = 0; i < len && word[i] != '='; i++)
		if (word[i] == '.')
			return true;
	return false;
}

static int __init parse_words(const char *cmdline, int early, bool log, unsigned int *refused)
{
	int unknown = 0;

	while (*cmdline) {
		size_t len;

		while (*cmdline == ' ')
			cmdline++;
		len = 0;
		while (cmdline[len] && cmdline[len] != ' ')
			len++;
		if (len && run_param(cmdline, len, early, log, refused)) {
			/* "mod.key=val" may be for a module loaded later. */
			if (!early && log && !has_dot(cmdline, len))
				pr_info("cmdline: unknown parameter '%.*s'\n", (int)len, cmdline);
			unknown++;
		}
		cmdline += len;
	}
	return unknown;
}

int __init parse_args(const char *cmdline, int early)
{
	unsigned int refused = 0;

	return parse_words(cmdline, early, true, &refused);
}

int __init parse_args_quiet(const char *cmdline, int early, unsigned int *refused)
{
	unsigned int n = 0;
	int unknown = parse_words(cmdline, early, false, &n);

	if (refused)
		*refused = n;
	return unknown;
}
