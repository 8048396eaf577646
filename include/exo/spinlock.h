/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ticket spinlocks.  Fair (FIFO) under contention (test-and-set under a
 * hypervisor, see virt_spin_lock()), one cache line, and
 * portable: the only arch hooks are cpu_relax() and the irq-flag helpers from
 * <asm/irqflags.h>, so the same code runs in the kernel and in the hosted
 * build (where "interrupts" are a no-op).
 *
 * spin_lock() also disables preemption; the _irqsave variants additionally
 * disable local interrupts and must be used for any lock also taken from an
 * interrupt handler.  CONFIG_DEBUG_SPINLOCK adds owner tracking, recursion
 * and long-spin detection; CONFIG_LOCKDEP adds the lock-order validator
 * (kernel/locking/lockdep.c): each lock belongs to the class of its
 * DEFINE_SPINLOCK() (the lock itself) or of its spin_lock_init() call site.
 */
#ifndef _EXO_SPINLOCK_H
#define _EXO_SPINLOCK_H

#include <exo/types.h>
#include <exo/compiler.h>
#include <exo/preempt.h>
#include <asm/irqflags.h>
#include <asm/processor.h>

/*
 * Subclasses of one lock class: nesting levels a lock of the class may be
 * taken at (mutex_lock_nested()), each validated as a class of its own.
 */
#define MAX_LOCKDEP_SUBCLASSES	8U
#define SINGLE_DEPTH_NESTING	1

/*
 * A lock class's identity is the address of a static key; subclass n's
 * is the address of byte n.
 */
struct lock_class_key {
	char subkeys[MAX_LOCKDEP_SUBCLASSES];
};

typedef struct spinlock {
	u16 owner;	/* ticket being served */
	u16 next;	/* next ticket to hand out */
#ifdef CONFIG_DEBUG_SPINLOCK
	int owner_cpu;
	const char *name;
	unsigned long owner_ip;
#endif
#ifdef CONFIG_LOCKDEP
	struct lock_class_key *key;	/* NULL: static lock, its own key */
	unsigned int class_idx;		/* cached class number + 1; 0 = unknown */
#endif
} spinlock_t;

#ifdef CONFIG_DEBUG_SPINLOCK
#define __SPIN_LOCK_UNLOCKED(n) { .owner = 0, .next = 0, .owner_cpu = -1, .name = #n }
#else
#define __SPIN_LOCK_UNLOCKED(n) { .owner = 0, .next = 0 }
#endif
#define DEFINE_SPINLOCK(n) spinlock_t n = __SPIN_LOCK_UNLOCKED(n)

static inline void __spin_lock_init(spinlock_t *l, const char *name,
				    struct lock_class_key *key)
{
	*l = (spinlock_t)__SPIN_LOCK_UNLOCKED(l);
#ifdef CONFIG_DEBUG_SPINLOCK
	l->name = name;
#endif
#ifdef CONFIG_LOCKDEP
	l->key = key;
#endif
	(void)name;
	(void)key;
}

/* Every call site is one lock class for the lock-order validator. */
#define spin_lock_init(l) do {						\
	static struct lock_class_key __key;				\
	__spin_lock_init(l, #l, &__key);				\
} while (0)

#ifdef CONFIG_LOCKDEP
void lockdep_acquire(spinlock_t *l, bool trylock);
void lockdep_release(spinlock_t *l);
#else
static inline void lockdep_acquire(spinlock_t *l, bool trylock) { (void)l; (void)trylock; }
static inline void lockdep_release(spinlock_t *l) { (void)l; }
#endif

#ifdef CONFIG_DEBUG_SPINLOCK
void spin_debug_before(spinlock_t *l, unsigned long ip);
void spin_debug_after(spinlock_t *l, unsigned long ip);
void spin_debug_unlock(spinlock_t *l);
void spin_debug_long_spin(spinlock_t *l, unsigned long ip);
#else
static inline void spin_debug_before(spinlock_t *l, unsigned long ip) { (void)l; (void)ip; }
static inline void spin_debug_after(spinlock_t *l, unsigned long ip) { (void)l; (void)ip; }
static inline void spin_debug_unlock(spinlock_t *l) { (void)l; }
#endif

static __always_inline bool arch_spin_trylock(spinlock_t *l)
{
	u32 old = __atomic_load_n((u32 *)l, __ATOMIC_RELAXED);
	u16 owner = (u16)old, next = (u16)(old >> 16);

	if (owner != next)
		return false;
	return __atomic_compare_exchange_n((u32 *)l, &old,
					   old + (1u << 16), false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/*
 * arch_spin_trylock() for a lock that is almost never held when tried
 * (the page-table fast paths): no read-only look first, the compare-
 * exchange expects the free word built from the owner half alone (free
 * is next == owner), so a held lock fails the exchange itself.  One
 * branch instead of two; the price, a held lock's cache line taken for
 * writing, is why arch_spin_trylock() keeps its look first.
 */
static __always_inline bool arch_spin_trylock_uncontended(spinlock_t *l)
{
	u32 k = 0x10001u, old;

	/* A multiply by a register: the compiler would shift and add, one more. */
	OPTIMIZER_HIDE_VAR(k);
	old = (u32)__atomic_load_n(&l->owner, __ATOMIC_RELAXED) * k;

	return __atomic_compare_exchange_n((u32 *)l, &old, old + (1u << 16), false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/*
 * Test-and-set on the ticket word (virt_spin_lock_on(), <asm/processor.h>):
 * wait until the lock looks free, then take the next ticket only if it is
 * still free.  Unfair, but no waiter has to run for the others to get in.
 * The unlock is the same in both modes.
 */
static __always_inline void virt_spin_lock(spinlock_t *l)
{
#ifdef CONFIG_DEBUG_SPINLOCK
	unsigned long spins = 0;
#endif

	while (!arch_spin_trylock(l)) {
		do {
			cpu_relax();
#ifdef CONFIG_DEBUG_SPINLOCK
			if (unlikely(++spins == (1UL << 28)))
				spin_debug_long_spin(l, _RET_IP_);
#endif
		} while (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
			 __atomic_load_n(&l->next, __ATOMIC_RELAXED));
	}
}

static __always_inline void arch_spin_lock(spinlock_t *l)
{
	u16 me;
#ifdef CONFIG_DEBUG_SPINLOCK
	unsigned long spins = 0;
#endif

	if (virt_spin_lock_on()) {
		virt_spin_lock(l);
		return;
	}
	me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me) {
		cpu_relax();
#ifdef CONFIG_DEBUG_SPINLOCK
		if (unlikely(++spins == (1UL << 28)))
			spin_debug_long_spin(l, _RET_IP_);
#endif
	}
}

static __always_inline void arch_spin_unlock(spinlock_t *l)
{
	/* Relaxed: only the holder writes owner, but a trylock reads the whole word. */
	__atomic_store_n(&l->owner, (u16)(__atomic_load_n(&l->owner, __ATOMIC_RELAXED) + 1),
			 __ATOMIC_RELEASE);
}

static __always_inline void spin_lock(spinlock_t *l) __acquires(l)
{
	preempt_disable();
	spin_debug_before(l, _RET_IP_);
	/* Before spinning: an inversion is reported even if it deadlocks now. */
	lockdep_acquire(l, false);
	arch_spin_lock(l);
	spin_debug_after(l, _RET_IP_);
	__acquire(l);
}

static __always_inline bool spin_trylock(spinlock_t *l)
{
	preempt_disable();
	if (arch_spin_trylock(l)) {
		spin_debug_after(l, _RET_IP_);
		lockdep_acquire(l, true);
		return true;
	}
	preempt_enable();
	return false;
}

static __always_inline void spin_unlock(spinlock_t *l) __releases(l)
{
	spin_debug_unlock(l);
	lockdep_release(l);
	arch_spin_unlock(l);
	preempt_enable();
	__release(l);
}

#define spin_lock_irqsave(l, flags) do {				\
	(flags) = arch_local_irq_save();				\
	spin_lock(l);							\
} while (0)

#define spin_unlock_irqrestore(l, flags) do {				\
	spin_unlock(l);							\
	arch_local_irq_restore(flags);					\
} while (0)

static __always_inline void spin_lock_irq(spinlock_t *l) __acquires(l)
{
	arch_local_irq_disable();
	spin_lock(l);
}

static __always_inline void spin_unlock_irq(spinlock_t *l) __releases(l)
{
	spin_unlock(l);
	arch_local_irq_enable();
}

static inline bool spin_is_locked(spinlock_t *l)
{
	return READ_ONCE(l->owner) != READ_ONCE(l->next);
}

#define local_irq_save(flags)	((flags) = arch_local_irq_save())
#define local_irq_restore(flags) arch_local_irq_restore(flags)
#define local_irq_disable()	arch_local_irq_disable()
#define local_irq_enable()	arch_local_irq_enable()
#define irqs_disabled()		arch_irqs_disabled()

#endif /* _EXO_SPINLOCK_H */
