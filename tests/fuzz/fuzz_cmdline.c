// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the kernel command-line parser (kernel/params.c).
 *
 * params.c is included here so that the target owns its statics (the
 * value pool is reset for every input) and its table of handlers (the
 * linker-built __setup section is replaced by a fuzz_setup section of test
 * handlers: bare and "name=" parameters, early and late ones, one name
 * registered twice, one that rejects a value, one with a list of
 * accepted values).  Each input is a command
 * line, parsed twice (early, then late) as at boot.  Checked: every
 * handler call, its order, its value and the number of unclaimed words
 * equal what an independent model of the documented grammar predicts, and
 * every value a handler kept is still intact after both passes (handlers
 * may keep the pointer).
 */
#define __setup_start __start_fuzz_setup
#define __setup_end __stop_fuzz_setup
#include "../../kernel/params.c"

#include <exo/errno.h>

#include "fuzz.h"

/* No built-in module parameters: their words stay unknown, as in the model. */
int builtin_module_param(const char *word, size_t len, bool log, unsigned int *refused)
{
	return 0;
}

#define MAX_CALLS 4096

struct call {
	int param;
	const char *val;	/* the pointer the handler got */
	char copy[BOOT_CMDLINE_MAX * 2];
};

static struct call calls[MAX_CALLS], want[MAX_CALLS];
static unsigned int nr_calls, nr_want;

static int record(int param, const char *val)
{
	struct call *c = &calls[nr_calls < MAX_CALLS ? nr_calls++ : MAX_CALLS - 1];

	c->param = param;
	c->val = val;
	strlcpy(c->copy, val, sizeof(c->copy));
	return strcmp(val, "bad") ? 0 : -EINVAL;
}

#define HANDLER(n) static int h##n(const char *val) { return record(n, val); }
HANDLER(0) HANDLER(1) HANDLER(2) HANDLER(3) HANDLER(4) HANDLER(5) HANDLER(6) HANDLER(7)

static const char *const colors[] = { "red", "green", "", NULL };

static const struct obs_kernel_param fuzz_params[] __attribute__((section("fuzz_setup"), used,
							       aligned(8))) = {
	{ "loglevel=", h0, 1 },
	{ "quiet", h1, 1 },
	{ "ktest=", h2, 0 },
	{ "poweroff", h3, 0 },
	{ "dup=", h4, 0 },
	{ "dup=", h5, 1 },
	{ "a", h6, 0 },
	{ "color=", h7, 0, NULL, colors },
};

/* The grammar of <exo/init.h>, written independently of params.c. */
static size_t model_pool;

static bool model_listed(const char *val, const char *const *list)
{
	for (unsigned int i = 0; list[i]; i++)
		if (!strcmp(list[i], val))
			return true;
	return false;
}

static unsigned int model_word(const char *w, size_t len, int early)
{
	size_t nlen = len;
	bool claimed = false, copied = false;

	for (size_t i = 0; i < len; i++)
		if (w[i] == '=') {
			nlen = i;
			break;
		}
	for (unsigned int p = 0; p < ARRAY_SIZE(fuzz_params); p++) {
		const char *name = fuzz_params[p].name;
		size_t plen = strlen(name) - (name[strlen(name) - 1] == '=');
		struct call *c;

		if (plen != nlen || memcmp(name, w, nlen))
			continue;
		claimed = true;
		if (fuzz_params[p].early != early)
			continue;
		/* Copied once per pass, only for a handler of this pass. */
		if (!copied) {
			if (len + 1 > sizeof(param_pool) - model_pool)
				return 0;	/* pool exhausted: the word is dropped */
			model_pool += len + 1;
			copied = true;
		}
		if (nr_want >= MAX_CALLS)
			continue;
		/* A flag given a value, a value not listed: the handler is not called. */
		if (name[strlen(name) - 1] != '=' && nlen < len)
			continue;
		c = &want[nr_want];
		c->param = (int)p;
		if (nlen < len) {
			memcpy(c->copy, w + nlen + 1, len - nlen - 1);
			c->copy[len - nlen - 1] = 0;
		} else {
			c->copy[0] = 0;
		}
		if (fuzz_params[p].choices && !model_listed(c->copy, fuzz_params[p].choices))
			continue;
		nr_want++;
	}
	return !claimed;
}

static unsigned int model(const char *s, int early)
{
	unsigned int unknown = 0;

	while (*s) {
		size_t len = 0;

		while (*s == ' ')
			s++;
		while (s[len] && s[len] != ' ')
			len++;
		if (len)
			unknown += model_word(s, len, early);
		s += len;
	}
	return unknown;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	console_loglevel = 0;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char line[BOOT_CMDLINE_MAX * 3];
	unsigned int got, expect;

	if (size >= sizeof(line))
		size = sizeof(line) - 1;
	memcpy(line, data, size);
	line[size] = 0;
	param_pool_used = 0;
	model_pool = 0;
	nr_calls = nr_want = 0;
	for (int early = 1; early >= 0; early--) {
		got = (unsigned int)parse_args(line, early);
		expect = model(line, early);
		FUZZ_CHECK(got == expect);
	}
	FUZZ_CHECK(nr_calls == nr_want);
	FUZZ_CHECK(param_pool_used == model_pool);
	for (unsigned int i = 0; i < nr_calls; i++) {
		FUZZ_CHECK(calls[i].param == want[i].param);
		FUZZ_CHECK(!strcmp(calls[i].copy, want[i].copy));
		/* The kept pointer still reads the same value: in the pool, or "". */
		FUZZ_CHECK((calls[i].val >= param_pool &&
			    calls[i].val < param_pool + sizeof(param_pool)) || !calls[i].val[0]);
		FUZZ_CHECK(!strcmp(calls[i].val, calls[i].copy));
	}
	return 0;
}
