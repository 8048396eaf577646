/* SPDX-License-Identifier: GPL-2.0 */
/* Boot-time entry points of the x86 architecture code. */
#ifndef _ASM_X86_SETUP_H
#define _ASM_X86_SETUP_H

#include <exo/bootparse.h>
#include <exo/types.h>

void early_console_init(void);
/* Fill boot_info from the loader's structures; panics on garbage. */
void parse_boot_info(u32 magic, u32 info_phys);
/* QEMU's fw_cfg when the PVH start info was overwritten (fw_cfg.c). */
int fw_cfg_boot_info(u32 info_pa, const void *info, struct boot_info *bi);
void setup_percpu_base(unsigned int cpu, unsigned long base);
void tsc_calibrate(void);
/* Map all RAM at PAGE_OFFSET (arch/x86/mm/init.c); after memblock_init(). */
void init_direct_map(void);
void init_map_range(unsigned long va, phys_addr_t pa, u64 size);
__noreturn void start_kernel(void);

#endif
