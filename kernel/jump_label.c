// SPDX-License-Identifier: GPL-2.0
/*
 * Static keys (<exo/jump_label.h>): flipping a key rewrites each of its
 * sites, found in the kernel's __jump_table and in the table of every
 * loaded module, in one text_poke_batch() (W^X alias, every CPU held:
 * arch/x86/kernel/text_patch.c).
 *
 * jump_label_mutex protects the keys' counts, the module tables list and
 * the text of the sites; a key's count and its sites change together
 * under it, so a module that loads meanwhile sees either the old count
 * and its sites are flipped with the others, or the new count and its
 * sites are written that way from the start.  Lock order: module_mutex,
 * then jump_label_mutex, then text_mutex.
 */
#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/jump_label.h>
#include <exo/kernel.h>
#include <exo/limits.h>
#include <exo/list.h>
#include <exo/module.h>
#include <exo/mutex.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <asm/text-patching.h>

extern struct jump_entry __start___jump_table[], __stop___jump_table[];
extern char _data[], _edata[], __bss_stack_end[], __bss_end[];

static DEFINE_MUTEX(jump_label_mutex);

struct jump_module {
	struct list_head list;
	struct module *mod;
	struct jump_entry *entries;
	unsigned int n;
};

static LIST_HEAD(jump_modules);
static bool init_text_gone;	/* __init sites are freed: skip them */

static const u8 nop5[] = { JUMP_LABEL_NOP5 };
static const u8 nop2[] = { JUMP_LABEL_NOP2 };

static struct static_key *entry_key(const struct jump_entry *e)
{
	return (struct static_key *)(e->key & ~1UL);
}

/* Whether the site jumps for @enabled: the key's state XOR the code's sense. */
static bool entry_jumps(const struct jump_entry *e, bool enabled)
{
	return enabled ^ (e->key & 1);
}

/* The JMP at @e's site, in @len bytes (2: rel8, 5: rel32); false if out of reach. */
static bool make_jmp(const struct jump_entry *e, unsigned int len, u8 *insn)
{
	long disp = (long)e->target - (long)(e->code + len);

	if (len == 2) {
		if (disp < -128 || disp > 127)
			return false;
		insn[0] = 0xeb;
		insn[1] = (u8)disp;
		return true;
	}
	if (disp < INT_MIN || disp > INT_MAX)
		return false;
	insn[0] = 0xe9;
	memcpy(&insn[1], &(s32){ disp }, 4);
	return true;
}

/*
 * The length of the instruction at @e's site (2 or 5), from its bytes:
 * one of the two NOPs or the two JMPs to the entry's target.  0 for
 * anything else: the site is not what the table says, never written.
 */
static unsigned int site_len(const struct jump_entry *e, const u8 *code)
{
	u8 jmp[5];

	if (!memcmp(code, nop5, 5) || (make_jmp(e, 5, jmp) && !memcmp(code, jmp, 5)))
		return 5;
	if (!memcmp(code, nop2, 2) || (make_jmp(e, 2, jmp) && !memcmp(code, jmp, 2)))
		return 2;
	return 0;
}

/*
 * The instruction @e's site must hold for @jumps, in the site's @len;
 * false (@insn untouched) if its JMP cannot reach the target.
 */
static bool site_insn(const struct jump_entry *e, unsigned int len, bool jumps, u8 *insn)
{
	if (jumps)
		return make_jmp(e, len, insn);
	memcpy(insn, len == 5 ? nop5 : nop2, len);
	return true;
}

static bool in_init_text(unsigned long addr)
{
	return addr >= (unsigned long)__init_begin && addr < (unsigned long)__init_end;
}

static bool kernel_key(const struct static_key *key)
{
	unsigned long a = (unsigned long)key;

	/* .bss after the boot stack (keys with no initial users live there). */
	return (a >= (unsigned long)_data && a < (unsigned long)_edata) ||
	       (a >= (unsigned long)__bss_stack_end && a < (unsigned long)__bss_end);
}

static bool in_module(const struct module *mod, unsigned long a, size_t len)
{
	unsigned long b = (unsigned long)mod->base;

	return a >= b && a + len <= b + mod->size && a + len > a;
}

/* A key we may flip: the kernel's or a live module's.  jump_label_mutex held. */
static bool key_ok(const struct static_key *key)
{
	struct jump_module *jm;

	if (kernel_key(key))
		return true;
	list_for_each_entry(jm, &jump_modules, list)
		if (in_module(jm->mod, (unsigned long)key, sizeof(*key)))
			return true;
	return false;
}

/*
 * The sites of one flip, written JL_BATCH at a time (no allocation: a
 * flip of the allocator's events must not record itself).
 * jump_label_mutex protects it.
 */
#define JL_BATCH	32
static struct text_poke_loc jl_locs[JL_BATCH];
static unsigned int jl_nr;

#ifdef CONFIG_KTEST
unsigned int jump_label_test_group;
unsigned int jump_label_test_fail_group;

static unsigned int group_size(void)
{
	return jump_label_test_group && jump_label_test_group < JL_BATCH ?
	       jump_label_test_group : JL_BATCH;
}

/* The test's forced failure: -EIO for the chosen group, once. */
static int test_fail(void)
{
	if (jump_label_test_fail_group && !--jump_label_test_fail_group) {
		pr_info("jump_label: test hook: group write fails (-EIO)\n");
		return -EIO;
	}
	return 0;
}
#else
static unsigned int group_size(void)
{
	return JL_BATCH;
}

static int test_fail(void)
{
	return 0;
}
#endif

static int flush_sites(void)
{
	int err = 0;

	if (jl_nr) {
		err = test_fail();
		if (!err) {
			mutex_lock(&text_mutex);
			err = text_poke_batch(jl_locs, jl_nr);
			mutex_unlock(&text_mutex);
		}
	}
	jl_nr = 0;
	return err;
}

/* Queue @key's sites in @entries for @enabled; a bad site is logged and skipped. */
static int queue_sites(struct static_key *key, bool enabled, struct jump_entry *entries,
		       unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		const struct jump_entry *e = &entries[i];
		struct text_poke_loc *l = &jl_locs[jl_nr];
		unsigned int len;
		int err;

		if (entry_key(e) != key || (init_text_gone && in_init_text(e->code)))
			continue;
		len = site_len(e, (const u8 *)e->code);
		if (!len) {
			pr_err("jump_label: site %pS (%p) holds no NOP or JMP of its key: skipped\n",
			       (void *)e->code, (void *)e->code);
			WARN_ON_ONCE(1);
			continue;
		}
		l->addr = (void *)e->code;
		l->len = len;
		memcpy(l->old, (const void *)e->code, len);
		if (!site_insn(e, len, entry_jumps(e, enabled), l->new)) {
			pr_err("jump_label: site %pS (%p): no %u-byte JMP reaches its target: skipped\n",
			       (void *)e->code, (void *)e->code, len);
			WARN_ON_ONCE(1);
			continue;
		}
		if (!memcmp(l->old, l->new, len))
			continue;	/* already so */
		if (++jl_nr == group_size() && (err = flush_sites()))
			return err;
	}
	return 0;
}

/*
 * Rewrite every site of @key for @enabled, a group at a time.  On error
 * the groups before the failing one are written: the caller restores them.
 * jump_label_mutex held.
 */
static int update_sites(struct static_key *key, bool enabled)
{
	struct jump_module *jm;
	int err;

	err = queue_sites(key, enabled, __start___jump_table,
			  __stop___jump_table - __start___jump_table);
	list_for_each_entry(jm, &jump_modules, list)
		if (!err)
			err = queue_sites(key, enabled, jm->entries, jm->n);
	if (err) {
		jl_nr = 0;
		return err;
	}
	return flush_sites();
}

/* Set @key's count to @count, patching on a change of state.  jump_label_mutex held. */
static int set_count(struct static_key *key, int count)
{
	bool was = key->enabled > 0, now = count > 0;
	int err;

	if (was != now) {
		err = update_sites(key, now);
		if (err) {
			/*
			 * Earlier groups may be written: put them back (sites
			 * already in the old state are skipped), so that the
			 * key's state and its sites agree.
			 */
			int rerr = update_sites(key, was);

			if (rerr) {
				pr_err("jump_label: %pS: flip failed (%d) and restoring its sites failed (%d): some sites disagree with the key\n",
				       key, err, rerr);
				WARN_ON(1);
			} else {
				pr_err("jump_label: %pS: flip failed (%d), sites restored\n",
				       key, err);
			}
			return err;
		}
	}
	WRITE_ONCE(key->enabled, count);
	return 0;
}

static int bad_key(const struct static_key *key, const char *what)
{
	pr_err("jump_label: %s of %p: not a key of the kernel or a loaded module (-EINVAL)\n",
	       what, key);
	WARN_ON(1);
	return -EINVAL;
}

int static_key_slow_inc(struct static_key *key)
{
	int err;

	mutex_lock(&jump_label_mutex);
	if (!key_ok(key))
		err = bad_key(key, "static_key_slow_inc");
	else if (key->enabled == INT_MAX)
		err = bad_key(key, "static_key_slow_inc (count overflow)");
	else
		err = set_count(key, key->enabled + 1);
	mutex_unlock(&jump_label_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(static_key_slow_inc);

int static_key_slow_dec(struct static_key *key)
{
	int err;

	mutex_lock(&jump_label_mutex);
	if (!key_ok(key)) {
		err = bad_key(key, "static_key_slow_dec");
	} else if (key->enabled <= 0) {
		pr_err("jump_label: unbalanced static_key_slow_dec of %pS (-EINVAL)\n", key);
		WARN_ON(1);
		err = -EINVAL;
	} else {
		err = set_count(key, key->enabled - 1);
	}
	mutex_unlock(&jump_label_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(static_key_slow_dec);

int static_key_enable(struct static_key *key)
{
	int err;

	mutex_lock(&jump_label_mutex);
	if (!key_ok(key))
		err = bad_key(key, "static_key_enable");
	else
		err = key->enabled > 0 ? 0 : set_count(key, 1);
	mutex_unlock(&jump_label_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(static_key_enable);

int static_key_disable(struct static_key *key)
{
	int err;

	mutex_lock(&jump_label_mutex);
	if (!key_ok(key))
		err = bad_key(key, "static_key_disable");
	else
		err = key->enabled > 0 ? set_count(key, 0) : 0;
	mutex_unlock(&jump_label_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(static_key_disable);

int jump_label_add_module(struct module *mod, struct jump_entry *entries, unsigned int n)
{
	struct jump_module *jm;

	if (!n)
		return 0;
	jm = kmalloc(sizeof(*jm), GFP_KERNEL);
	if (!jm)
		return -ENOMEM;
	mutex_lock(&jump_label_mutex);
	/* Check every entry before writing any. */
	for (unsigned int i = 0; i < n; i++) {
		const struct jump_entry *e = &entries[i];
		u8 jmp[POKE_MAX_INSN];
		unsigned int len = 0;
		const char *why = NULL;

		if (!in_module(mod, e->code, 5) || e->code >= (unsigned long)mod->base + mod->text_size)
			why = "is not in the module's text";
		else if (!(len = site_len(e, (const u8 *)e->code)))
			why = "is not a static branch of its text";
		else if (!make_jmp(e, len, jmp))
			why = "has a target its JMP cannot reach";
		if (why) {
			mutex_unlock(&jump_label_mutex);
			kfree(jm);
			pr_err("%s: __jump_table entry %u: site %p %s (-EINVAL)\n",
			       mod->name, i, (void *)e->code, why);
			return -EINVAL;
		}
	}
	for (unsigned int i = 0; i < n; i++) {
		const struct jump_entry *e = &entries[i];
		struct static_key *key = entry_key(e);
		/* A key in neither the kernel, a module nor @mod: treated as off. */
		bool on = (key_ok(key) || in_module(mod, (unsigned long)key, sizeof(*key))) &&
			  key->enabled > 0;
		unsigned int len = site_len(e, (const u8 *)e->code);
		u8 insn[POKE_MAX_INSN];

		if (WARN_ON(!site_insn(e, len, entry_jumps(e, on), insn)))
			continue;	/* checked above: never */
		text_poke_early((void *)e->code, insn, len);
	}
	jm->mod = mod;
	jm->entries = entries;
	jm->n = n;
	list_add_tail(&jm->list, &jump_modules);
	mutex_unlock(&jump_label_mutex);
	return 0;
}

void jump_label_del_module(struct module *mod)
{
	struct jump_module *jm, *tmp;

	mutex_lock(&jump_label_mutex);
	list_for_each_entry_safe(jm, tmp, &jump_modules, list)
		if (jm->mod == mod) {
			list_del(&jm->list);
			kfree(jm);
		}
	mutex_unlock(&jump_label_mutex);
}

void jump_label_invalidate_initmem(void)
{
	mutex_lock(&jump_label_mutex);
	init_text_gone = true;
	mutex_unlock(&jump_label_mutex);
}

static int site_copy(const struct jump_entry *e, struct jump_entry *out, u8 *buf)
{
	*out = *e;
	memcpy(buf, (const void *)e->code, 5);
	return site_len(e, buf) ?: -EINVAL;
}

int jump_label_site_insn(const struct static_key *key, unsigned int nth,
			 struct jump_entry *out, u8 *buf)
{
	struct jump_module *jm;
	int ret = -ENOENT;

	mutex_lock(&jump_label_mutex);
	for (struct jump_entry *e = __start___jump_table; e < __stop___jump_table; e++)
		if (entry_key(e) == key && !(init_text_gone && in_init_text(e->code)) &&
		    !nth--) {
			ret = site_copy(e, out, buf);
			goto out;
		}
	list_for_each_entry(jm, &jump_modules, list)
		for (unsigned int i = 0; i < jm->n; i++)
			if (entry_key(&jm->entries[i]) == key && !nth--) {
				ret = site_copy(&jm->entries[i], out, buf);
				goto out;
			}
out:
	mutex_unlock(&jump_label_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(jump_label_site_insn);
