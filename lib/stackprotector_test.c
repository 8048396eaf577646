// SPDX-License-Identifier: GPL-2.0
/*
 * Stack protector tests: the canary is random-looking and well formed, a
 * protected function that overruns its array into the canary is caught on
 * return, and an intact frame is not.
 *
 * The smash is surgical: the victim finds its own canary slot (the first
 * word above its array that holds the canary value) and overwrites only
 * that word, so the saved frame pointer and return address stay intact.
 * __stack_chk_fail() then calls the test hook, which jumps back to the test
 * with __builtin_longjmp: the victim's frame is abandoned, never used.
 */
#include <exo/ktest.h>
#include <exo/preempt.h>
#include <exo/stackprotector.h>
#include <exo/string.h>

#ifdef __CHECKER__
int __builtin_setjmp(void **buf);
__noreturn void __builtin_longjmp(void **buf, int v);
#endif

static void *escape_buf[5];
static unsigned long caught_ip;
static unsigned int nr_caught;

static __noreturn void catch_stack_chk_fail(unsigned long ip)
{
	caught_ip = ip;
	nr_caught++;
	__builtin_longjmp(escape_buf, 1);
}

/*
 * A protected function (it has a local array).  With @smash it overwrites
 * the canary slot above buf; returns how far above buf's end the slot was
 * (in words, 0-based), or -1 if it found none (then nothing was written).
 */
static noinline int victim(volatile bool smash, int *slot)
{
	char buf[24];
	unsigned long *w = (unsigned long *)(((unsigned long)(buf + sizeof(buf)) + 7) & ~7UL);

	memset(buf, 0, sizeof(buf));
	barrier();
	*slot = -1;
	/* The canary sits just above the locals, below the saved %rbp. */
	for (int i = 0; i < 4; i++) {
		if (READ_ONCE(w[i]) == READ_ONCE(__stack_chk_guard)) {
			*slot = i;
			if (smash)
				WRITE_ONCE(w[i], ~__stack_chk_guard);
			break;
		}
	}
	barrier();
	return buf[3];
}

static void test_canary_well_formed(struct ktest *t)
{
	unsigned long c = READ_ONCE(__stack_chk_guard);

	KTEST_EXPECT_NE(t, c, 0UL);
	/* The zero low byte stops string overflows at the canary. */
	KTEST_EXPECT_EQ(t, c & 0xff, 0UL);
	/* Not the link-time placeholder: boot_init_stack_canary() ran. */
	KTEST_EXPECT_NE(t, c, 0x5a5aa5a55a5a0000UL);
	ktest_log(t, "canary %#lx", c);
}

static void test_intact_frame_passes(struct ktest *t)
{
	int slot;

	nr_caught = 0;
	preempt_disable();
	stack_chk_fail_hook = catch_stack_chk_fail;
	if (__builtin_setjmp(escape_buf) == 0)
		victim(false, &slot);
	stack_chk_fail_hook = NULL;
	preempt_enable();
	KTEST_EXPECT_EQ(t, nr_caught, 0U);
	/* The victim is really protected: its frame holds the canary. */
	KTEST_EXPECT_GE(t, slot, 0);
}

static void test_smashed_canary_detected(struct ktest *t)
{
	volatile int slot = -1;
	int s;

	nr_caught = 0;
	caught_ip = 0;
	preempt_disable();
	stack_chk_fail_hook = catch_stack_chk_fail;
	if (__builtin_setjmp(escape_buf) == 0) {
		victim(true, &s);
		slot = s;
	}
	stack_chk_fail_hook = NULL;
	preempt_enable();
	KTEST_EXPECT_EQ(t, nr_caught, 1U);
	/* The report names the victim: the failing call is inside it. */
	KTEST_EXPECT_GE(t, caught_ip, (unsigned long)victim);
	KTEST_EXPECT_LT(t, caught_ip, (unsigned long)victim + 512);
	KTEST_EXPECT_EQ(t, slot, -1);	/* the victim never returned */
	ktest_log(t, "caught at %pS", (void *)caught_ip);
}

static struct ktest_case stackprotector_cases[] = {
	KTEST_CASE(test_canary_well_formed),
	KTEST_CASE(test_intact_frame_passes),
	KTEST_CASE(test_smashed_canary_detected),
	{}
};

static struct ktest_suite stackprotector_suite = {
	.name = "stackprotector",
	.cases = stackprotector_cases,
};
KTEST_SUITE(stackprotector_suite);
