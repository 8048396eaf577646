/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Static keys: a branch that is almost never taken (or almost always),
 * flipped at run time by rewriting the instruction at each of its sites,
 * as Linux's jump labels:
 *
 *	DEFINE_STATIC_KEY_FALSE(my_key);
 *
 *	if (static_branch_unlikely(&my_key))	// a 5-byte NOP while off
 *		do_rare_thing();
 *
 *	static_branch_enable(&my_key);		// NOP -> JMP at every site
 *	static_branch_disable(&my_key);		// JMP -> NOP
 *
 * With CONFIG_JUMP_LABEL each static_branch_*() is one instruction and a
 * __jump_table entry; kernel/jump_label.c finds a key's sites in the
 * kernel's and every loaded module's table and patches them through the
 * architecture's text_poke_batch() (W^X kept, every CPU held while the
 * text changes).  Without it, a site tests the key's count in memory.
 * Flipping sleeps: thread context only, no spinlock held.
 * Documentation/trace.rst describes the design.
 */
#ifndef _EXO_JUMP_LABEL_H
#define _EXO_JUMP_LABEL_H

#include <exo/compiler.h>
#include <exo/types.h>

struct static_key {
	int enabled;		/* users (static_key_slow_inc()); > 0: on */
};

/* One site, in the __jump_table section (absolute addresses). */
struct jump_entry {
	unsigned long code;	/* the NOP / JMP instruction */
	unsigned long target;	/* where the JMP goes */
	unsigned long key;	/* struct static_key *, bit 0: the branch's sense */
};

/* Typed wrappers: the type says what the sites hold initially. */
struct static_key_true {
	struct static_key key;
};

struct static_key_false {
	struct static_key key;
};

#define STATIC_KEY_INIT_TRUE	{ .enabled = 1 }
#define STATIC_KEY_INIT_FALSE	{ .enabled = 0 }
#define STATIC_KEY_TRUE_INIT	(struct static_key_true) { .key = STATIC_KEY_INIT_TRUE }
#define STATIC_KEY_FALSE_INIT	(struct static_key_false) { .key = STATIC_KEY_INIT_FALSE }

#define DEFINE_STATIC_KEY_TRUE(name)	struct static_key_true name = STATIC_KEY_TRUE_INIT
#define DEFINE_STATIC_KEY_FALSE(name)	struct static_key_false name = STATIC_KEY_FALSE_INIT
#define DECLARE_STATIC_KEY_TRUE(name)	extern struct static_key_true name
#define DECLARE_STATIC_KEY_FALSE(name)	extern struct static_key_false name

static inline bool static_key_enabled_raw(const struct static_key *key)
{
	return READ_ONCE(key->enabled) > 0;
}

#define static_key_enabled(x)						\
	({								\
		_Static_assert(__builtin_types_compatible_p(typeof(*(x)), struct static_key) || \
			       __builtin_types_compatible_p(typeof(*(x)), struct static_key_true) || \
			       __builtin_types_compatible_p(typeof(*(x)), struct static_key_false), \
			       "static_key_enabled() of something not a key"); \
		static_key_enabled_raw((const struct static_key *)(x));	\
	})

#if defined(CONFIG_JUMP_LABEL) && defined(CONFIG_X86_64)
#include <asm/jump_label.h>

extern bool ____wrong_branch_error(void);

/*
 * The entry's bit 0 is the sense the code tests: likely sites (true)
 * fall through to the likely code, unlikely ones (false) to the code
 * after the if.  A site jumps when the key's state differs from what its
 * type started with, XOR that sense: jump_label.c's entry_jumps().
 */
#define static_branch_likely(x)						\
({									\
	bool branch;							\
	if (__builtin_types_compatible_p(typeof(*(x)), struct static_key_true)) \
		branch = !arch_static_branch(&(x)->key, true);		\
	else if (__builtin_types_compatible_p(typeof(*(x)), struct static_key_false)) \
		branch = !arch_static_branch_jump(&(x)->key, true);	\
	else								\
		branch = ____wrong_branch_error();			\
	likely(branch);							\
})

#define static_branch_unlikely(x)					\
({									\
	bool branch;							\
	if (__builtin_types_compatible_p(typeof(*(x)), struct static_key_true)) \
		branch = arch_static_branch_jump(&(x)->key, false);	\
	else if (__builtin_types_compatible_p(typeof(*(x)), struct static_key_false)) \
		branch = arch_static_branch(&(x)->key, false);		\
	else								\
		branch = ____wrong_branch_error();			\
	unlikely(branch);						\
})

#else /* !CONFIG_JUMP_LABEL */

#define static_branch_likely(x)		likely(static_key_enabled_raw(&(x)->key))
#define static_branch_unlikely(x)	unlikely(static_key_enabled_raw(&(x)->key))

#endif /* CONFIG_JUMP_LABEL */

struct module;

#ifdef CONFIG_JUMP_LABEL
/**
 * static_key_slow_inc() - add a user of @key; the first turns it on
 * @key: a key in the kernel's data or a live module's
 *
 * Patches every site of the key when it goes from off to on.  Thread
 * context, no spinlock held (it sleeps and stops the other CPUs).
 * Return: 0; -EINVAL (logged, WARN) for a key outside the kernel's data
 * and every live module (e.g. in an unloaded module's freed memory) or a
 * count that would overflow; an error of text_poke_batch() (logged)
 * when a site cannot be written: the sites already written are put back
 * first.  Nothing changes on error (but for a logged WARN if putting
 * them back fails too).
 */
int static_key_slow_inc(struct static_key *key);

/**
 * static_key_slow_dec() - drop a user of @key; the last turns it off
 * @key: as static_key_slow_inc()
 *
 * Return: 0; -EINVAL (logged, WARN) for a bad key or a key with no user
 * (an unbalanced disable); a write error as static_key_slow_inc().
 * Nothing changes on error.
 */
int static_key_slow_dec(struct static_key *key);

/**
 * static_key_enable() - turn @key on, whatever its count (one user)
 * @key: as static_key_slow_inc()
 * Return: 0, or an error as static_key_slow_inc().
 */
int static_key_enable(struct static_key *key);

#ifdef CONFIG_KTEST
/*
 * Test hooks (kernel/jump_label_test.c), under the static keys' lock's
 * callers' control: a flip writes its sites in groups of
 * jump_label_test_group (0: the normal size), and the
 * jump_label_test_fail_group-th group written from now fails with -EIO
 * (0: none), once.
 */
extern unsigned int jump_label_test_group;
extern unsigned int jump_label_test_fail_group;
#endif

/**
 * static_key_disable() - turn @key off, whatever its count
 * @key: as static_key_slow_inc()
 * Return: 0, -EINVAL for a bad key (logged, WARN), or a write error as
 * static_key_slow_inc().
 */
int static_key_disable(struct static_key *key);

#endif /* CONFIG_JUMP_LABEL */

#define static_branch_inc(x)		static_key_slow_inc(&(x)->key)
#define static_branch_dec(x)		static_key_slow_dec(&(x)->key)
#define static_branch_enable(x)		static_key_enable(&(x)->key)
#define static_branch_disable(x)	static_key_disable(&(x)->key)

#ifdef CONFIG_JUMP_LABEL

/**
 * jump_label_add_module() - set a module's sites and make its keys flippable
 * @mod: the module, its text still writable (before it is made RX)
 * @entries: its __jump_table section, relocated
 * @n: entries in it
 *
 * Writes each site as its key's state asks (the key may be the kernel's,
 * another module's or @mod's own), under the lock static_key_enable()
 * takes, then records the table so that later flips reach it.
 * Return: 0; -EINVAL (logged) for an entry whose site is not in @mod's
 * text, whose bytes are not a NOP or JMP of the expected form, or whose
 * JMP (of the site's length) cannot reach its target; -ENOMEM.
 * Nothing is recorded on error.
 */
int jump_label_add_module(struct module *mod, struct jump_entry *entries, unsigned int n);

/**
 * jump_label_del_module() - forget @mod's table before its memory is freed
 * @mod: a module jump_label_add_module() took, or any other (no-op)
 *
 * After it no flip writes into @mod's text, and its keys are refused.
 */
void jump_label_del_module(struct module *mod);

/* The __init text is about to be freed: its sites are never written again. */
void jump_label_invalidate_initmem(void);

/**
 * jump_label_site_insn() - what a key's site holds now, for tests
 * @key: the key
 * @nth: which of its live sites (0 = first): the kernel's table, then
 *	each loaded module's in load order; __init sites count only until
 *	the init text is freed
 * @out: receives a copy of the entry
 * @buf: receives the instruction's bytes (5)
 * Return: the instruction's length (2 or 5); -ENOENT the key has no
 * @nth site; -EINVAL the site holds neither a NOP nor a JMP to the
 * entry's target.
 */
int jump_label_site_insn(const struct static_key *key, unsigned int nth,
			 struct jump_entry *e, u8 *buf);

#else /* !CONFIG_JUMP_LABEL: the count is all there is */

static inline int static_key_slow_inc(struct static_key *key)
{
	__atomic_add_fetch(&key->enabled, 1, __ATOMIC_RELEASE);
	return 0;
}

static inline int static_key_slow_dec(struct static_key *key)
{
	__atomic_sub_fetch(&key->enabled, 1, __ATOMIC_RELEASE);
	return 0;
}

static inline int static_key_enable(struct static_key *key)
{
	if (!static_key_enabled_raw(key))
		__atomic_store_n(&key->enabled, 1, __ATOMIC_RELEASE);
	return 0;
}

static inline int static_key_disable(struct static_key *key)
{
	__atomic_store_n(&key->enabled, 0, __ATOMIC_RELEASE);
	return 0;
}

static inline void jump_label_del_module(struct module *mod) { }
static inline void jump_label_invalidate_initmem(void) { }

#endif /* CONFIG_JUMP_LABEL */

#endif /* _EXO_JUMP_LABEL_H */
