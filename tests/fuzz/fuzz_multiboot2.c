// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the Multiboot2 information parser (arch/x86/kernel/multiboot2.c).
 *
 * Input: the information block itself, exactly as a loader would leave it
 * in memory (libFuzzer's buffer is exactly the input's size, so ASan
 * catches any read past @avail).  Checked after every parse:
 *  - the result is 0 or -EINVAL, and 0 only with an end tag inside the
 *    declared total size;
 *  - every table count is within its array, every string is terminated
 *    inside its array, no module ends before it starts;
 *  - parsing is deterministic: a second parse of the same bytes gives a
 *    byte-identical boot_info.
 */
#include <exo/bootinfo.h>
#include <exo/bootparse.h>
#include <exo/errno.h>
#include <exo/printk.h>
#include <exo/string.h>

#include "fuzz.h"

static bool terminated(const char *s, size_t n)
{
	return memchr(s, 0, n) != NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	console_loglevel = 0;	/* messages are still formatted, not printed */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info a, b;
	int err, err2;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	err = multiboot2_parse(data, size, &a);
	FUZZ_CHECK(err == 0 || err == -EINVAL);
	FUZZ_CHECK(a.nr_mmap <= BOOT_MAX_MMAP);
	FUZZ_CHECK(a.nr_modules <= BOOT_MAX_MODULES);
	FUZZ_CHECK(terminated(a.cmdline, sizeof(a.cmdline)));
	/* The kept part is the whole line or its first BOOT_CMDLINE_MAX - 1 bytes. */
	FUZZ_CHECK(strlen(a.cmdline) == (a.cmdline_len < sizeof(a.cmdline) ?
					 a.cmdline_len : sizeof(a.cmdline) - 1));
	FUZZ_CHECK(terminated(a.loader_name, sizeof(a.loader_name)));
	for (unsigned int i = 0; i < a.nr_modules; i++) {
		FUZZ_CHECK(a.modules[i].start <= a.modules[i].end);
		FUZZ_CHECK(terminated(a.modules[i].name, sizeof(a.modules[i].name)));
	}
	if (!err) {
		uint32_t total;

		FUZZ_CHECK(size >= 16);
		memcpy(&total, data, 4);
		FUZZ_CHECK(total >= 16 && total <= size);
		FUZZ_CHECK(a.protocol && !strcmp(a.protocol, "multiboot2"));
	}
	err2 = multiboot2_parse(data, size, &b);
	FUZZ_CHECK(err2 == err);
	FUZZ_CHECK(!memcmp(&a, &b, sizeof(a)));
	return 0;
}
