// SPDX-License-Identifier: GPL-2.0
/*
 * CONFIG_DEBUG_SPINLOCK: record which CPU holds each lock and from where, and
 * catch the classic mistakes at the moment they happen instead of as a hang:
 * taking a lock this CPU already holds (recursion), releasing a lock that
 * is not held or held by another CPU, and spinning for ~2^28 iterations
 * (a likely deadlock: the owner is printed).
 */
#include <exo/bug.h>
#include <exo/printk.h>
#include <exo/smp.h>
#include <exo/spinlock.h>

void spin_debug_before(spinlock_t *l, unsigned long ip)
{
	if (READ_ONCE(l->owner_cpu) == (int)smp_processor_id() && spin_is_locked(l))
		panic("spinlock recursion: %s (%p) already held by this CPU since %pS, "
		      "taken again at %pS", l->name ? l->name : "?", l,
		      (void *)l->owner_ip, (void *)ip);
}

void spin_debug_after(spinlock_t *l, unsigned long ip)
{
	WRITE_ONCE(l->owner_cpu, (int)smp_processor_id());
	WRITE_ONCE(l->owner_ip, ip);
}

void spin_debug_unlock(spinlock_t *l)
{
	if (!spin_is_locked(l))
		panic("spin_unlock of unlocked lock %s (%p) at %pS",
		      l->name ? l->name : "?", l, (void *)_RET_IP_);
	if (l->owner_cpu != (int)smp_processor_id())
		panic("spin_unlock of lock %s (%p) held by CPU %d from CPU %u",
		      l->name ? l->name : "?", l, l->owner_cpu, smp_processor_id());
	WRITE_ONCE(l->owner_cpu, -1);
}

void spin_debug_long_spin(spinlock_t *l, unsigned long ip)
{
	pr_err("spinlock %s (%p): CPU %u spinning at %pS; owner CPU %d took it at %pS\n",
	       l->name ? l->name : "?", l, smp_processor_id(), (void *)ip,
	       READ_ONCE(l->owner_cpu), (void *)READ_ONCE(l->owner_ip));
	dump_stack();
}
