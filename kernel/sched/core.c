// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler entry points used by preempt_enable().  Until kernel threads
 * exist the boot context is the only thing that runs, so a pending
 * reschedule is simply acknowledged.
 */
#include <exo/preempt.h>
#include <exo/spinlock.h>

void preempt_schedule(void)
{
	clear_preempt_need_resched();
}
