// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel command line: words are "name=value" or "name".  Handlers register
 * with __setup()/early_param() (include/exo/init.h); early ones run before
 * any initcall, the rest just before the initcalls.
 */
#include <exo/bootinfo.h>
#include <exo/init.h>
#include <exo/printk.h>
#include <exo/string.h>

char boot_command_line[BOOT_CMDLINE_MAX];

extern const struct kernel_param __setup_start[], __setup_end[];

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

/* Does handler @p take the word whose name is @word[0..@nlen)? */
static bool param_matches(const struct kernel_param *p, const char *word, size_t nlen)
{
	size_t plen = strlen(p->name);

	/* "foo=" matches foo=..., "foo" matches a bare foo */
	if (p->name[plen - 1] == '=')
		plen--;
	return plen == nlen && !strncmp(p->name, word, nlen);
}

static int run_param(const char *word, size_t len, int early)
{
	size_t nlen = 0;
	const char *val = NULL;
	int claimed = 0;

	while (nlen < len && word[nlen] != '=')
		nlen++;

	for (const struct kernel_param *p = __setup_start; p < __setup_end; p++) {
		if (!param_matches(p, word, nlen))
			continue;
		claimed = 1;
		if (!p->early != !early)
			continue;
		if (!val) {
			char *buf = param_copy(word, len);

			if (!buf) {
				pr_warn("cmdline: parameter pool full (%zu bytes), '%.*s' ignored\n",
					sizeof(param_pool), (int)len, word);
				return 0;
			}
			val = nlen < len ? buf + nlen + 1 : "";
		}
		if (p->setup(val))
			pr_warn("cmdline: bad value for %.*s: '%s'\n", (int)nlen, word, val);
	}
	return !claimed;
}

int __init parse_args(const char *cmdline, int early)
{
	int unknown = 0;

	while (*cmdline) {
		size_t len;

		while (*cmdline == ' ')
			cmdline++;
		len = 0;
		while (cmdline[len] && cmdline[len] != ' ')
			len++;
		if (len && run_param(cmdline, len, early)) {
			if (!early)
				pr_info("cmdline: unknown parameter '%.*s'\n", (int)len, cmdline);
			unknown++;
		}
		cmdline += len;
	}
	return unknown;
}
