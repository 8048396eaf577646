// SPDX-License-Identifier: GPL-2.0
/*
 * fixdep - turn a compiler dependency file into one that depends on the
 * individual CONFIG_ symbols a file uses instead of on autoconf.h.
 *
 * usage: fixdep <depfile> <target> <cmdline>
 *
 * Kconfig (genconfig --sync-deps) touches include/config/foo/bar.h when
 * CONFIG_FOO_BAR changes, so an option change rebuilds exactly the objects
 * whose sources (or headers) mention it.  Output (stdout) is a make fragment:
 *
 *	savedcmd_<target> := <cmdline>
 *	deps_<target> := <files...> $(wildcard $(objtree)/include/config/...)
 *	<target>: $(deps_<target>)
 *	$(deps_<target>):
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SYMS 4096

static char *syms[MAX_SYMS];
static int nsyms;

static void add_sym(const char *s, size_t len)
{
	for (int i = 0; i < nsyms; i++)
		if (strlen(syms[i]) == len && !memcmp(syms[i], s, len))
			return;
	if (nsyms == MAX_SYMS)
		return;
	syms[nsyms] = strndup(s, len);
	nsyms++;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n + 1);
	if (!buf || fread(buf, 1, n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return NULL;
	}
	buf[n] = 0;
	fclose(f);
	*len = n;
	return buf;
}

static void scan_config_syms(const char *path)
{
	size_t len, i;
	char *buf = read_file(path, &len);

	if (!buf)
		return;
	for (i = 0; i + 7 < len; i++) {
		size_t j;

		if (memcmp(buf + i, "CONFIG_", 7))
			continue;
		if (i && (isalnum((unsigned char)buf[i - 1]) || buf[i - 1] == '_'))
			continue;
		for (j = i + 7; j < len && (isalnum((unsigned char)buf[j]) || buf[j] == '_'); j++)
			;
		if (j > i + 7) {
			size_t n = j - i - 7;

			/* CONFIG_FOO_MODULE comes from CONFIG_FOO=m */
			if (n > 7 && !memcmp(buf + j - 7, "_MODULE", 7))
				n -= 7;
			add_sym(buf + i + 7, n);
		}
		i = j;
	}
	free(buf);
}

/*
 * CONFIG_FOO_BAR -> $(objtree)/include/config/foo/bar.h, the name
 * kconfiglib's sync_deps() touches.  $(objtree) is left for make to expand:
 * make runs in the source tree, so a relative path would name the in-tree
 * build's stamps from an O= build.
 */
static void print_sym_dep(const char *sym)
{
	printf("    $(wildcard $(objtree)/include/config/");
	for (const char *p = sym; *p; p++)
		putchar(*p == '_' ? '/' : tolower((unsigned char)*p));
	printf(".h) \\\n");
}

int main(int argc, char **argv)
{
	size_t len;
	char *buf, *p, *tok;

	if (argc != 4) {
		fprintf(stderr, "usage: fixdep <depfile> <target> <cmdline>\n");
		return 1;
	}
	buf = read_file(argv[1], &len);
	if (!buf) {
		fprintf(stderr, "fixdep: cannot read %s\n", argv[1]);
		return 1;
	}
	printf("savedcmd_%s := %s\n\n", argv[2], argv[3]);
	printf("deps_%s := \\\n", argv[2]);

	/* Skip "target:" then treat the rest as whitespace-separated files. */
	p = strchr(buf, ':');
	p = p ? p + 1 : buf;
	for (tok = strtok(p, " \t\n\\"); tok; tok = strtok(NULL, " \t\n\\")) {
		size_t n = strlen(tok);

		if (n && tok[n - 1] == ':')
			break;	/* start of -MP phony targets */
		if (strstr(tok, "include/generated/autoconf.h"))
			continue;
		scan_config_syms(tok);
		printf("    %s \\\n", tok);
	}
	for (int i = 0; i < nsyms; i++)
		print_sym_dep(syms[i]);
	printf("\n%s: $(deps_%s)\n\n$(deps_%s):\n", argv[2], argv[2], argv[2]);
	return 0;
}
