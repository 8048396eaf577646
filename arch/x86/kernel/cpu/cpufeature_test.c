// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the CPU-feature layer: the capability words hold what CPUID
 * says (decoded here again, by raw bit number, as an independent check),
 * every CPU agrees with the boot CPU, the control registers follow the
 * features, and the APIC runs in the mode the features allow.
 */
#include <exo/atomic.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/init.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <asm/apic.h>
#include <asm/cpufeature.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/smp.h>

/* A register of a CPUID leaf (subleaf 0), 0 when the leaf is beyond the CPU's maximum. */
static u32 raw_cpuid(u32 leaf, int reg)
{
	u32 v[4];

	cpuid_count(leaf & 0x80000000, 0, &v[0], &v[1], &v[2], &v[3]);
	if (v[0] < leaf)
		return 0;
	cpuid_count(leaf, 0, &v[0], &v[1], &v[2], &v[3]);
	return v[reg];
}

#define EBX 1
#define ECX 2
#define EDX 3

static bool raw_bit(u32 leaf, int reg, unsigned int bit)
{
	return (raw_cpuid(leaf, reg) >> bit) & 1;
}

/* The CPUID register each capability word is a copy of. */
static const struct {
	u32 leaf;
	int reg;
} word_src[NCAPINTS] = {
	[CPUID_1_EDX] = { 1, EDX }, [CPUID_1_ECX] = { 1, ECX },
	[CPUID_7_0_EBX] = { 7, EBX }, [CPUID_7_0_ECX] = { 7, ECX },
	[CPUID_8000_0001_EDX] = { 0x80000001, EDX }, [CPUID_8000_0001_ECX] = { 0x80000001, ECX },
};

/*
 * Per CPU: every named feature against its bit in raw CPUID, and against
 * the boot CPU's table.  Only named bits: others (OSXSAVE) follow CR4.
 */
static void check_this_cpu(void *arg)
{
	atomic_t *bad = arg;

	for (unsigned int i = 0; i < NCAPINTS * 32; i++) {
		if (!x86_cap_flags[i])
			continue;
		if (this_cpu_has(i) != raw_bit(word_src[i / 32].leaf, word_src[i / 32].reg, i % 32))
			atomic_inc(&bad[0]);
		if (this_cpu_has(i) != boot_cpu_has(i))
			atomic_inc(&bad[1]);
	}
}

static void test_features_match_cpuid(struct ktest *t)
{
	atomic_t bad[2] = { ATOMIC_INIT(0), ATOMIC_INIT(0) };

	/* A few features by the SDM's bit numbers, independently of the table. */
	KTEST_EXPECT_EQ(t, boot_cpu_has(X86_FEATURE_PGE), raw_bit(1, EDX, 13));
	KTEST_EXPECT_EQ(t, boot_cpu_has(X86_FEATURE_PCID), raw_bit(1, ECX, 17));
	KTEST_EXPECT_EQ(t, boot_cpu_has(X86_FEATURE_SMEP), raw_bit(7, EBX, 7));
	KTEST_EXPECT_EQ(t, boot_cpu_has(X86_FEATURE_UMIP), raw_bit(7, ECX, 2));
	KTEST_EXPECT_EQ(t, boot_cpu_has(X86_FEATURE_NX), raw_bit(0x80000001, EDX, 20));
	/* Every x86-64 CPU has long mode: a table that says otherwise is misread. */
	KTEST_EXPECT_TRUE(t, boot_cpu_has(X86_FEATURE_LM));
	KTEST_EXPECT_GE(t, boot_cpu_data.cpuid_level, 1U);
	on_each_cpu(check_this_cpu, bad, true);
	KTEST_EXPECT_EQ(t, atomic_read(&bad[0]), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&bad[1]), 0);
}

/* Per CPU: CR4 and EFER have exactly the features turned on that the CPU has. */
static void check_control_regs(void *arg)
{
	atomic_t *bad = arg;
	unsigned long cr4 = read_cr4();
	bool pcid = IS_ENABLED(CONFIG_X86_PCID) && this_cpu_has(X86_FEATURE_PGE) &&
		    this_cpu_has(X86_FEATURE_PCID);

	if (!!(cr4 & X86_CR4_PGE) != this_cpu_has(X86_FEATURE_PGE) ||
	    !!(cr4 & X86_CR4_SMEP) != this_cpu_has(X86_FEATURE_SMEP) ||
	    !!(cr4 & X86_CR4_SMAP) != this_cpu_has(X86_FEATURE_SMAP) ||
	    !!(cr4 & X86_CR4_UMIP) != this_cpu_has(X86_FEATURE_UMIP) ||
	    !!(cr4 & X86_CR4_PCIDE) != pcid ||
	    !!(rdmsr(MSR_EFER) & EFER_NXE) != this_cpu_has(X86_FEATURE_NX))
		atomic_inc(bad);
}

static void test_control_regs_follow_features(struct ktest *t)
{
	atomic_t bad = ATOMIC_INIT(0);

	on_each_cpu(check_control_regs, &bad, true);
	KTEST_EXPECT_EQ(t, atomic_read(&bad), 0);
	ktest_log(t, "CR4 %#lx on CPU %u", read_cr4(), smp_processor_id());
}

static void check_apic_id(void *arg)
{
	atomic_t *bad = arg;
	unsigned int cpu = smp_processor_id();

	if (read_apic_id() != cpu_to_apicid(cpu) || cpu_data[cpu].state != CPU_STATE_ONLINE)
		atomic_inc(bad);
}

/* Every CPU runs in the mode the boot CPU chose and has the APIC ID we think. */
static void test_apic_mode(struct ktest *t)
{
	atomic_t bad = ATOMIC_INIT(0);
	u64 base = rdmsr(MSR_IA32_APICBASE);

	KTEST_EXPECT_EQ(t, x2apic_mode,
			IS_ENABLED(CONFIG_X86_X2APIC) && boot_cpu_has(X86_FEATURE_X2APIC));
	KTEST_EXPECT_EQ(t, !!(base & MSR_IA32_APICBASE_X2APIC), x2apic_mode);
	KTEST_EXPECT_NE(t, base & MSR_IA32_APICBASE_ENABLE, 0);
	on_each_cpu(check_apic_id, &bad, true);
	KTEST_EXPECT_EQ(t, atomic_read(&bad), 0);
	KTEST_EXPECT_GT(t, apic_timer_hz, 0);
	ktest_log(t, "%s mode, timer %llu Hz", x2apic_mode ? "x2APIC" : "xAPIC", apic_timer_hz);
}

/* A bare word of the boot command line (not a prefix of a longer one). */
static bool cmdline_word(const char *word)
{
	size_t n = strlen(word);

	for (const char *p = boot_command_line; (p = strstr(p, word)); p += n)
		if ((p == boot_command_line || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ' '))
			return true;
	return false;
}

/*
 * Spinlocks run test-and-set under a hypervisor unless "nopvspin" says
 * otherwise, and mutual exclusion holds in the mode this boot runs (the
 * sched suite's counter on every CPU checks the total).
 */
static void test_virt_spin_lock_mode(struct ktest *t)
{
	bool want = boot_cpu_has(X86_FEATURE_HYPERVISOR) && !cmdline_word("nopvspin");
	DEFINE_SPINLOCK(l);
	bool busy, idle;

	KTEST_EXPECT_EQ(t, virt_spin_lock_on(), want);
	KTEST_EXPECT_EQ(t, raw_cpuid(1, ECX) >> 31,
			(u32)boot_cpu_has(X86_FEATURE_HYPERVISOR));
	/* The raw lock: spin_trylock()'s conditional context upsets sparse. */
	spin_lock(&l);
	busy = arch_spin_trylock(&l);
	spin_unlock(&l);
	idle = arch_spin_trylock(&l);
	if (idle)
		arch_spin_unlock(&l);
	KTEST_EXPECT_FALSE(t, busy);
	KTEST_EXPECT_TRUE(t, idle);
	KTEST_EXPECT_EQ(t, l.owner, l.next);
	ktest_log(t, "%s spinlocks", want ? "test-and-set" : "ticket");
}

/*
 * arch_spin_trylock_uncontended() on lock words set by hand: it takes a
 * free lock exactly as arch_spin_trylock() does (ticket 0xffff wrapping
 * to 0 included) and leaves a held or queued lock's word as it was.
 */
static void test_trylock_uncontended(struct ktest *t)
{
	static const struct {
		u16 owner, next;
		bool free;
	} w[] = {
		{ 0, 0, true },
		{ 5, 5, true },
		{ 0xffff, 0xffff, true },	/* next wraps to 0 */
		{ 5, 6, false },		/* held */
		{ 5, 8, false },		/* held, two waiting */
		{ 0xffff, 0, false },		/* held across the wrap */
		{ 6, 5, false },		/* next behind owner: not free either */
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(w); i++) {
		DEFINE_SPINLOCK(l);
		DEFINE_SPINLOCK(ref);

		l.owner = ref.owner = w[i].owner;
		l.next = ref.next = w[i].next;
		KTEST_EXPECT_EQ(t, arch_spin_trylock_uncontended(&l), w[i].free);
		KTEST_EXPECT_EQ(t, arch_spin_trylock(&ref), w[i].free);
		KTEST_EXPECT_EQ(t, l.owner, ref.owner);
		KTEST_EXPECT_EQ(t, l.next, ref.next);
		KTEST_EXPECT_EQ(t, l.owner, w[i].owner);
		KTEST_EXPECT_EQ(t, l.next, (u16)(w[i].next + w[i].free));
	}
}

static struct ktest_case cpufeature_cases[] = {
	KTEST_CASE(test_features_match_cpuid),
	KTEST_CASE(test_control_regs_follow_features),
	KTEST_CASE(test_apic_mode),
	KTEST_CASE(test_virt_spin_lock_mode),
	KTEST_CASE(test_trylock_uncontended),
	{}
};

static struct ktest_suite cpufeature_suite = {
	.name = "x86_cpu",
	.cases = cpufeature_cases,
};
KTEST_SUITE(cpufeature_suite);
