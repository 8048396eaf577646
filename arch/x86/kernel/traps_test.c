// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the exception machinery: fixups turn expected faults into
 * -EFAULT, per-CPU accessors hit this CPU's copy, the kernel symbol table
 * resolves addresses, and the boot command line was parsed.
 */
#include <exo/bootinfo.h>
#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kallsyms.h>
#include <exo/ktest.h>
#include <exo/percpu.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <asm/page.h>

static void test_probe_fixup(struct ktest *t)
{
	static volatile u8 target = 0x42;
	u8 v = 0;

	/* A mapped byte reads fine; a write through probe_write sticks. */
	KTEST_EXPECT_EQ(t, probe_read(&target, &v), 0);
	KTEST_EXPECT_EQ(t, v, 0x42);
	KTEST_EXPECT_EQ(t, probe_write(&target, 0x43), 0);
	KTEST_EXPECT_EQ(t, target, 0x43);
	/* Unmapped (vmalloc area, nothing mapped yet) -> #PF fixed up. */
	KTEST_EXPECT_FAULT_READ(t, VMALLOC_END - PAGE_SIZE + 1);
	KTEST_EXPECT_FAULT_WRITE(t, VMALLOC_END - PAGE_SIZE + 1);
	/* Non-canonical -> #GP fixed up. */
	KTEST_EXPECT_FAULT_READ(t, 0x0000800000000000UL);
}

static DEFINE_PER_CPU(unsigned long, test_pcpu_counter);

static void test_percpu_access(struct ktest *t)
{
	unsigned int cpu = smp_processor_id();
	unsigned long before = this_cpu_read(test_pcpu_counter);

	this_cpu_inc(test_pcpu_counter);
	this_cpu_add(test_pcpu_counter, 10);
	KTEST_EXPECT_EQ(t, this_cpu_read(test_pcpu_counter), before + 11);
	KTEST_EXPECT_EQ(t, per_cpu(test_pcpu_counter, cpu), before + 11);
	KTEST_EXPECT_TRUE(t, this_cpu_ptr(&test_pcpu_counter) ==
			     per_cpu_ptr(&test_pcpu_counter, cpu));
	this_cpu_write(test_pcpu_counter, 7);
	KTEST_EXPECT_EQ(t, *this_cpu_ptr(&test_pcpu_counter), 7UL);
}

static void test_kallsyms(struct ktest *t)
{
	unsigned long off = ~0UL;
	const char *name = kallsyms_lookup((unsigned long)test_kallsyms + 3, &off);

	KTEST_ASSERT_NOT_NULL(t, name);
	KTEST_EXPECT_EQ(t, strcmp(name, "test_kallsyms"), 0);
	KTEST_EXPECT_EQ(t, off, 3UL);
	KTEST_EXPECT_EQ(t, kallsyms_lookup_name("panic"), (unsigned long)panic);
	KTEST_EXPECT_NULL(t, kallsyms_lookup(0x1000, &off));
}

/*
 * Parameters only the test below passes (any boot may name them too:
 * they record, nothing else).
 */
static int param_hits, choice_hits, flag_hits;
static const char *choice_value;
static unsigned long number_value;

static int __init param_test_setup(const char *val)
{
	param_hits++;
	return 0;
}
__setup("ktest_param_probe=", param_test_setup);

static int __init param_choice_setup(const char *val)
{
	choice_hits++;
	choice_value = val;
	return 0;
}
__setup_choice("ktest_param_choice=", param_choice_setup, "red", "green");

static int __init param_flag_setup(const char *val)
{
	flag_hits++;
	return 0;
}
__setup("ktest_param_flag", param_flag_setup);

static int __init param_number_setup(const char *val)
{
	unsigned long n;

	if (kstrtoul(val, 10, &n))
		return -EINVAL;
	number_value = n;
	return 0;
}
__setup_desc("ktest_param_number=", param_number_setup, "a number");

/*
 * parse_args() and the __setup table are __init: they are gone (filled with
 * int3) by the time tests run, so the probe runs at boot and the test
 * checks what it recorded.  It parses quietly: a test must not put an
 * "unknown parameter" line into every boot's log.
 */
static struct {
	int unknown, hits, choice_hits, flag_hits;
	unsigned int refused, refused_values;
	char choice[8];
	unsigned long number;
} probe = { .unknown = -1 };

static int __init param_probe(void)
{
	int before = param_hits;

	probe.unknown = parse_args_quiet("no_such_param=1 ktest_param_probe=x", 0, &probe.refused);
	probe.hits = param_hits - before;
	/* Refused: a value not in the list, a value for a flag, a bad number. */
	parse_args_quiet("ktest_param_choice=blue ktest_param_choice=green ktest_param_choice= "
			 "ktest_param_flag=1 ktest_param_flag ktest_param_number=12 "
			 "ktest_param_number=12x ktest_param_number=", 0, &probe.refused_values);
	probe.choice_hits = choice_hits;
	probe.flag_hits = flag_hits;
	if (choice_value)
		strlcpy(probe.choice, choice_value, sizeof(probe.choice));
	probe.number = number_value;
	return 0;
}
late_initcall(param_probe);

static void test_cmdline_params(struct ktest *t)
{
	/* Unknown words are counted, known ones dispatched to their handler. */
	KTEST_EXPECT_EQ(t, probe.unknown, 1);
	KTEST_EXPECT_EQ(t, probe.hits, 1);
	KTEST_EXPECT_EQ(t, probe.refused, 0);
	/* The boot loader's line, however the kernel was started, is terminated. */
	KTEST_EXPECT_LT(t, strnlen(boot_command_line, BOOT_CMDLINE_MAX), BOOT_CMDLINE_MAX);
}

static void test_cmdline_bad_values(struct ktest *t)
{
	/* Only the listed value and the bare flag reach their handlers. */
	KTEST_EXPECT_EQ(t, probe.refused_values, 5);
	KTEST_EXPECT_EQ(t, probe.choice_hits, 1);
	KTEST_EXPECT_EQ(t, strcmp(probe.choice, "green"), 0);
	KTEST_EXPECT_EQ(t, probe.flag_hits, 1);
	/* A refused number keeps the last good one. */
	KTEST_EXPECT_EQ(t, probe.number, 12);
}

static struct ktest_case traps_cases[] = {
	KTEST_CASE_FLAGS(test_probe_fixup, KTEST_F_NOHOST),
	KTEST_CASE(test_percpu_access),
	KTEST_CASE(test_kallsyms),
	KTEST_CASE(test_cmdline_params),
	KTEST_CASE(test_cmdline_bad_values),
	{}
};

static struct ktest_suite traps_suite = {
	.name = "x86_core",
	.cases = traps_cases,
};
KTEST_SUITE(traps_suite);
