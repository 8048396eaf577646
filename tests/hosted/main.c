// SPDX-License-Identifier: GPL-2.0
/*
 * Hosted test runner: the portable ktest suites (mm/page_alloc_test.c ...)
 * run on the host under ASan + UBSan, printed as KTAP by kernel/ktest.c.
 *
 *	page_alloc_test [-q|--quick] [-v] [suite[.case]]
 *
 * Ends with "# hosted: N passed, M failed"; exit status 1 on any failure.
 */
#include <exo/ktest.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <asm/hosted.h>

#include <stdio.h>
#include <string.h>

static unsigned int passed = -1U, failed, skipped;

/* Pick the runner's summary line out of the log. */
static void sniff(const char *msg)
{
	const char *p = strstr(msg, "# ktest: ");

	if (p)
		sscanf(p, "# ktest: %u passed, %u failed, %u skipped", &passed, &failed, &skipped);
}

int main(int argc, char **argv)
{
	const char *filter = NULL;
	bool quick = false;
	int err, nfailed;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quick"))
			quick = true;
		else if (!strcmp(argv[i], "-v"))
			console_loglevel = 8;
		else if (argv[i][0] == '-') {
			fprintf(stderr, "usage: %s [-q|--quick] [-v] [suite[.case]]\n", argv[0]);
			return 2;
		} else
			filter = argv[i];
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	hosted_set_cpu(0);
	err = hosted_mm_init(NULL);
	if (err) {
		fprintf(stderr, "hosted_mm_init: %d\n", err);
		return 2;
	}
	hosted_printk_hook = sniff;
	nfailed = ktest_run(filter, quick);
	if (passed == -1U) {
		printf("# hosted: 0 passed, 1 failed (no ktest summary)\n");
		return 1;
	}
	printf("# hosted: %u passed, %u failed\n", passed, failed);
	return nfailed || failed ? 1 : 0;
}
