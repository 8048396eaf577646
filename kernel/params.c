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

static int run_param(const char *word, size_t len, int early)
{
	char buf[256];
	const char *val;
	size_t nlen;
	int claimed = 0;

	if (len >= sizeof(buf)) {
		pr_warn("cmdline: parameter too long, ignored\n");
		return 1;
	}
	memcpy(buf, word, len);
	buf[len] = 0;
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

int parse_args(const char *cmdline, int early)
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
