// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the exception machinery: fixups turn expected faults into
 * -EFAULT, per-CPU accessors hit this CPU's copy, the kernel symbol table
 * resolves addresses, and the boot command line was parsed.
 */
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

static int param_hits;
static int __init param_test_setup(const char *val)
{
	param_hits++;
	return 0;
}
__setup("ktest_param_probe=", param_test_setup);

/*
 * parse_args() and the __setup table are __init: they are gone (filled with
 * int3) by the time tests run, so the probe runs at boot and the test
 * checks what it recorded.
 */
static int param_probe_unknown = -1, param_probe_hits = -1;

static int __init param_probe(void)
{
	int before = param_hits;

	param_probe_unknown = parse_args("no_such_param=1 ktest_param_probe=x", 0);
	param_probe_hits = param_hits - before;
	return 0;
}
late_initcall(param_probe);

static void test_cmdline_params(struct ktest *t)
{
	/* Unknown words are counted, known ones dispatched to their handler. */
	KTEST_EXPECT_EQ(t, param_probe_unknown, 1);
	KTEST_EXPECT_EQ(t, param_probe_hits, 1);
	KTEST_EXPECT_TRUE(t, strstr(boot_command_line, "ktest=") != NULL);
}

static struct ktest_case traps_cases[] = {
	KTEST_CASE_FLAGS(test_probe_fixup, KTEST_F_NOHOST),
	KTEST_CASE(test_percpu_access),
	KTEST_CASE(test_kallsyms),
	KTEST_CASE(test_cmdline_params),
	{}
};

static struct ktest_suite traps_suite = {
	.name = "x86_core",
	.cases = traps_cases,
};
KTEST_SUITE(traps_suite);
