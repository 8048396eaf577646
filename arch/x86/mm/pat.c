// SPDX-License-Identifier: GPL-2.0
/*
 * Memory types: the page attribute table (PAT).
 *
 * A leaf's PWT, PCD and PAT bits index the eight entries of the IA32_PAT
 * MSR.  Entries 0-3, which PWT and PCD alone select (PAGE_WRITETHROUGH,
 * PAGE_NOCACHE), keep their power-on values, so those flags mean what they
 * meant before the PAT was touched: WB, WT, UC- and UC.  Entry 4, the PAT
 * bit alone (PAGE_WRITECOMBINE), becomes write-combining, for frame
 * buffers and other memory written in bursts (ioremap_wc()); entries 5-7
 * keep their power-on values (WT, UC-, UC).
 *
 * Every CPU writes the same value at bring-up, before it loads anything
 * that could use the PAT bit.  The boot CPU writes it before any leaf with
 * the PAT bit exists, so no cached line or TLB entry can carry the old
 * type of entry 4 and the SDM's cache-disable sequence (which guards
 * against exactly that) is not needed.
 */
#define pr_fmt(fmt) "pat: " fmt

#include <exo/printk.h>
#include <exo/smp.h>
#include <asm/cpufeature.h>
#include <asm/msr-index.h>
#include <asm/pat.h>
#include <asm/processor.h>

#define PAT_UC		0x00ULL
#define PAT_WC		0x01ULL
#define PAT_WT		0x04ULL
#define PAT_WB		0x06ULL
#define PAT_UC_MINUS	0x07ULL

#define PAT_ENTRY(i, type)	((type) << (8 * (i)))
#define PAT_VALUE	(PAT_ENTRY(0, PAT_WB) | PAT_ENTRY(1, PAT_WT) | PAT_ENTRY(2, PAT_UC_MINUS) | \
			 PAT_ENTRY(3, PAT_UC) | PAT_ENTRY(4, PAT_WC) | PAT_ENTRY(5, PAT_WT) | \
			 PAT_ENTRY(6, PAT_UC_MINUS) | PAT_ENTRY(7, PAT_UC))

bool x86_pat_wc;

u64 pat_msr_value(void)
{
	return PAT_VALUE;
}

void pat_cpu_init(void)
{
	bool boot = !smp_processor_id();

	if (!this_cpu_has(X86_FEATURE_PAT)) {
		/* Every x86-64 CPU has it; an emulator might not say so. */
		if (boot)
			pr_warn("no PAT: ioremap_wc() maps uncached\n");
		else if (x86_pat_wc)
			pr_err("CPU %u has no PAT but the boot CPU has: write-combining mappings are write-back here\n",
			       smp_processor_id());
		return;
	}
	wrmsr(MSR_IA32_PAT, PAT_VALUE);
	if (boot)
		x86_pat_wc = true;
}
