/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Static keys: a branch that is almost never taken, tested where it
 * costs least.  static_key_false() compiles to one compare of a flag in
 * memory and a branch the compiler lays out as not taken, the unlikely
 * code out of line; static_key_enable()/static_key_disable() flip it.
 * Linux patches a jump over a NOP instead; Documentation/trace.rst gives
 * what the flag test costs.
 */
#ifndef _EXO_JUMP_LABEL_H
#define _EXO_JUMP_LABEL_H

#include <exo/compiler.h>
#include <exo/types.h>

struct static_key {
	int enabled;
};

#define STATIC_KEY_INIT_FALSE	{ .enabled = 0 }

static __always_inline bool static_key_false(const struct static_key *key)
{
	return unlikely(READ_ONCE(key->enabled));
}

static inline void static_key_enable(struct static_key *key)
{
	__atomic_store_n(&key->enabled, 1, __ATOMIC_RELEASE);
}

static inline void static_key_disable(struct static_key *key)
{
	__atomic_store_n(&key->enabled, 0, __ATOMIC_RELEASE);
}

static inline bool static_key_enabled(const struct static_key *key)
{
	return READ_ONCE(key->enabled);
}

#endif /* _EXO_JUMP_LABEL_H */
