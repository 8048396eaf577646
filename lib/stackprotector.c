// SPDX-License-Identifier: GPL-2.0
/*
 * Stack protector runtime: the canary and the failure path.
 *
 * The canary is one global (-mstack-protector-guard=global), set once per
 * boot by boot_init_stack_canary() (<asm/stackprotector.h>) before any
 * protected function can return; until then it is a fixed non-zero value,
 * and nothing that returns early sees it change.  This file is built
 * without the protector: __stack_chk_fail() runs on a frame that is known
 * to be corrupted.
 */
#include <exo/bug.h>
#include <exo/export.h>
#include <exo/printk.h>
#include <exo/smp.h>
#include <exo/stackprotector.h>

/* Read by every protected function: in .data, next to nothing writable. */
unsigned long __stack_chk_guard = 0x5a5aa5a55a5a0000UL;
EXPORT_SYMBOL(__stack_chk_guard);	/* modules compare against it too */

void (*stack_chk_fail_hook)(unsigned long ip);

__noreturn void __stack_chk_fail(void)
{
	unsigned long ip = _RET_IP_;
	void (*hook)(unsigned long) = READ_ONCE(stack_chk_fail_hook);

	if (hook)
		hook(ip);
	panic("stack-protector: kernel stack is corrupted in: %pS (CPU %u)", (void *)ip,
	      smp_processor_id());
}
EXPORT_SYMBOL(__stack_chk_fail);
