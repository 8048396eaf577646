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
 * Handlers may keep the value pointer (ktest=, bench=...), so each word is
 * copied into a pool that lives as long as the kernel.
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

static int run_param(const char *word, size_t len, int early)
{
	char *buf = param_copy(word, len);
	const char *val;
	size_t nlen;
	int claimed = 0;

	if (!buf) {
		pr_warn("cmdline: parameters too long, '%.*s' ignored\n", (int)len, word);
		return 1;
	}
	val = strchr(buf, '=');
	nlen = val ? (size_t)(val - buf) : len;
	val = val ? val + 1 : "";
	for (const struct kernel_param *p = __setup_start; p < __setup_end; p++) {
		size_t plen = strlen(p->name);

		/* "foo=" matches foo=..., "foo" matches a bare foo */
		if (p->name[plen - 1] == '=')
			plen--;
		if (plen != nlen || strncmp(p->name, buf, nlen))
			continue;
		claimed = 1;
		if (!p->early != !early)
			continue;
		if (p->setup(val))
			pr_warn("cmdline: bad value for %.*s: '%s'\n", (int)nlen, buf, val);
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
