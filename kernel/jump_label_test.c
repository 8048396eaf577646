// SPDX-License-Identifier: GPL-2.0
/*
 * Static keys (kernel/jump_label.c, arch/x86/kernel/text_patch.c): a key
 * flips both ways and counts its users, its site holds the expected NOP
 * or JMP, flips while other CPUs run the site never crash and are seen by
 * every CPU once the flip returns, a module's sites are set at load and
 * forgotten at unload, and bad calls are refused without writing text.
 */
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/jump_label.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/module.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/time.h>
#include <asm/processor.h>
#include <asm/text-patching.h>
#include "module-internal.h"

/* Also used by the test module's kernel-key site (modtest_jump.c). */
DECLARE_STATIC_KEY_FALSE(jump_label_test_key);
DEFINE_STATIC_KEY_FALSE(jump_label_test_key);
EXPORT_SYMBOL_GPL(jump_label_test_key);

static DEFINE_STATIC_KEY_FALSE(jl_bytes_key);	/* one site: jl_bytes_site() */
static DEFINE_STATIC_KEY_TRUE(jl_true_key);	/* one site, a JMP at first */
static DEFINE_STATIC_KEY_FALSE(jl_smp_key);
static DEFINE_STATIC_KEY_FALSE(jl_two_key);
static DEFINE_STATIC_KEY_FALSE(jl_init_key);	/* sites: jl_init_site() (__init), jl_live_site() */	/* two sites: jl_two_a(), jl_two_b() */

static noinline int jl_site(void)
{
	if (static_branch_unlikely(&jump_label_test_key))
		return 1;
	return 0;
}

static noinline int jl_bytes_site(void)
{
	if (static_branch_unlikely(&jl_bytes_key))
		return 1;
	return 0;
}

static noinline int jl_true_site(void)
{
	if (static_branch_unlikely(&jl_true_key))
		return 1;
	return 0;
}

static noinline int jl_smp_site(void)
{
	if (static_branch_unlikely(&jl_smp_key))
		return 1;
	return 0;
}

static noinline int jl_two_a(void)
{
	if (static_branch_unlikely(&jl_two_key))
		return 1;
	return 0;
}

static noinline int jl_two_b(void)
{
	if (static_branch_unlikely(&jl_two_key))
		return 2;
	return 0;
}

static noinline int jl_live_site(void)
{
	if (static_branch_unlikely(&jl_init_key))
		return 1;
	return 0;
}

/* Runs at boot; its text (and site) is freed before the tests run. */
static int __init jl_init_site(void)
{
	if (static_branch_unlikely(&jl_init_key))
		return -EINVAL;
	return 0;
}
late_initcall(jl_init_site);

static const u8 nop5[] = { JUMP_LABEL_NOP5 };
static const u8 nop2[] = { JUMP_LABEL_NOP2 };

static void test_flip(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, jl_site(), 0);
	KTEST_EXPECT_FALSE(t, static_key_enabled(&jump_label_test_key));
	KTEST_ASSERT_EQ(t, static_branch_enable(&jump_label_test_key), 0);
	KTEST_EXPECT_EQ(t, jl_site(), 1);
	KTEST_EXPECT_TRUE(t, static_key_enabled(&jump_label_test_key));
	KTEST_EXPECT_EQ(t, static_branch_enable(&jump_label_test_key), 0);	/* already on */
	KTEST_EXPECT_EQ(t, jl_site(), 1);
	KTEST_ASSERT_EQ(t, static_branch_disable(&jump_label_test_key), 0);
	KTEST_EXPECT_EQ(t, jl_site(), 0);
	/* Counted users: on at the first, off after the last. */
	KTEST_EXPECT_EQ(t, static_branch_inc(&jump_label_test_key), 0);
	KTEST_EXPECT_EQ(t, static_branch_inc(&jump_label_test_key), 0);
	KTEST_EXPECT_EQ(t, jl_site(), 1);
	KTEST_EXPECT_EQ(t, static_branch_dec(&jump_label_test_key), 0);
	KTEST_EXPECT_EQ(t, jl_site(), 1);
	KTEST_EXPECT_EQ(t, static_branch_dec(&jump_label_test_key), 0);
	KTEST_EXPECT_EQ(t, jl_site(), 0);
	/* A key that starts true: its unlikely site starts as a JMP. */
	KTEST_EXPECT_EQ(t, jl_true_site(), 1);
	KTEST_EXPECT_EQ(t, static_branch_disable(&jl_true_key), 0);
	KTEST_EXPECT_EQ(t, jl_true_site(), 0);
	KTEST_EXPECT_EQ(t, static_branch_enable(&jl_true_key), 0);
	KTEST_EXPECT_EQ(t, jl_true_site(), 1);
}

/* The JMP an entry's site must hold: rel8 or rel32 to its target. */
static bool is_jmp_to(const struct jump_entry *e, const u8 *b, int len)
{
	long disp;

	if (len == 2 && b[0] == 0xeb)
		disp = (s8)b[1];
	else if (len == 5 && b[0] == 0xe9)
		disp = (s32)(b[1] | b[2] << 8 | b[3] << 16 | (u32)b[4] << 24);
	else
		return false;
	return e->code + len + disp == e->target;
}

static void test_bytes(struct ktest *t)
{
	unsigned long fn = (unsigned long)jl_bytes_site;
	struct jump_entry e;
	u8 b[5];
	int len;

	len = jump_label_site_insn(&jl_bytes_key.key, 0, &e, b);
	KTEST_ASSERT_EQ(t, len, 5);
	KTEST_EXPECT_EQ(t, jump_label_site_insn(&jl_bytes_key.key, 1, &e, b) == -ENOENT, 1);
	len = jump_label_site_insn(&jl_bytes_key.key, 0, &e, b);
	/* The site is in its function, the target after it. */
	KTEST_EXPECT_TRUE(t, e.code >= fn && e.code < fn + 64);
	KTEST_EXPECT_EQ(t, e.key & 1, 0ul);
	KTEST_EXPECT_EQ(t, memcmp(b, nop5, 5), 0);
	KTEST_ASSERT_EQ(t, static_branch_enable(&jl_bytes_key), 0);
	KTEST_EXPECT_EQ(t, jump_label_site_insn(&jl_bytes_key.key, 0, &e, b), 5);
	KTEST_EXPECT_TRUE(t, is_jmp_to(&e, b, 5));
	KTEST_EXPECT_EQ(t, jl_bytes_site(), 1);
	KTEST_ASSERT_EQ(t, static_branch_disable(&jl_bytes_key), 0);
	KTEST_EXPECT_EQ(t, jump_label_site_insn(&jl_bytes_key.key, 0, &e, b), 5);
	KTEST_EXPECT_EQ(t, memcmp(b, nop5, 5), 0);
	KTEST_EXPECT_EQ(t, jl_bytes_site(), 0);

	/* The true key's site: a JMP of the assembler's size, then its NOP. */
	len = jump_label_site_insn(&jl_true_key.key, 0, &e, b);
	KTEST_ASSERT_TRUE(t, len == 2 || len == 5);
	KTEST_EXPECT_TRUE(t, is_jmp_to(&e, b, len));
	KTEST_ASSERT_EQ(t, static_branch_disable(&jl_true_key), 0);
	KTEST_EXPECT_EQ(t, jump_label_site_insn(&jl_true_key.key, 0, &e, b), len);
	KTEST_EXPECT_EQ(t, memcmp(b, len == 2 ? nop2 : nop5, len), 0);
	KTEST_ASSERT_EQ(t, static_branch_enable(&jl_true_key), 0);
	KTEST_EXPECT_TRUE(t, is_jmp_to(&e, b, jump_label_site_insn(&jl_true_key.key, 0, &e, b)));
	ktest_log(t, "false key: NOP5 / JMP rel32; true key's site: %d-byte JMP / NOP", len);
}

#define SMP_FLIPS	60

struct smp_ctx {
	int phase;		/* 2k - 1: flip k under way; 2k: flip k returned */
	int stop;
	int ack[NR_CPUS];	/* the last phase each looper saw agree */
	unsigned long runs[NR_CPUS];
	unsigned long wrong[NR_CPUS];
	int toggler_err;
	unsigned int workers;
};

/*
 * Worker 0 flips the key (flip k: on for odd k) and, after each flip,
 * waits until every other worker has run the site under the new phase.
 * The others read the phase, run the site and read the phase again: when
 * both reads saw the same returned flip, the site must answer as that
 * flip left the key (a stale answer counts as wrong).
 */
static void smp_worker(void *arg, unsigned int id)
{
	struct smp_ctx *c = arg;

	if (id) {
		while (!READ_ONCE(c->stop)) {
			int ph = __atomic_load_n(&c->phase, __ATOMIC_ACQUIRE);
			int v = jl_smp_site();

			c->runs[id]++;
			if ((ph & 1) || __atomic_load_n(&c->phase, __ATOMIC_ACQUIRE) != ph)
				continue;	/* a flip under way */
			if (v != ((ph / 2) & 1))
				c->wrong[id]++;
			else
				WRITE_ONCE(c->ack[id], ph / 2);
		}
		return;
	}
	for (int k = 1; k <= SMP_FLIPS && !c->toggler_err; k++) {
		u64 deadline = ktime_get_ns() + 10ULL * NSEC_PER_SEC;
		bool all;

		__atomic_store_n(&c->phase, 2 * k - 1, __ATOMIC_RELEASE);
		c->toggler_err = (k & 1) ? static_branch_enable(&jl_smp_key)
					 : static_branch_disable(&jl_smp_key);
		__atomic_store_n(&c->phase, 2 * k, __ATOMIC_RELEASE);
		do {
			all = true;
			for (unsigned int i = 1; i < c->workers; i++)
				all &= READ_ONCE(c->ack[i]) >= k;
			if (ktime_get_ns() > deadline) {
				c->toggler_err = -ETIMEDOUT;
				break;
			}
			cpu_relax();
		} while (!all);
	}
	WRITE_ONCE(c->stop, 1);
}

static void test_smp_flip(struct ktest *t)
{
	struct smp_ctx *c = kzalloc(sizeof(*c), GFP_KERNEL);
	unsigned long runs = 0, wrong = 0;
	int n;

	KTEST_ASSERT_NOT_NULL(t, c);
	c->workers = min_t(unsigned int, num_online_cpus(), 4);
	n = ktest_run_on_cpus(c->workers, smp_worker, c);
	KTEST_EXPECT_EQ(t, n, (int)c->workers);
	KTEST_EXPECT_EQ(t, c->toggler_err, 0);
	for (unsigned int i = 1; i < c->workers; i++) {
		runs += c->runs[i];
		wrong += c->wrong[i];
	}
	KTEST_EXPECT_EQ(t, wrong, 0ul);
	KTEST_EXPECT_GT(t, runs, (unsigned long)SMP_FLIPS);
	KTEST_EXPECT_EQ(t, static_key_enabled(&jl_smp_key), false);
	KTEST_EXPECT_EQ(t, jl_smp_site(), 0);
	ktest_log(t, "%d flips, %u CPUs running the site %lu times", SMP_FLIPS, c->workers - 1,
		  runs);
	kfree(c);
}

static void test_module(struct ktest *t)
{
	const struct modtest_blob *b = modtest_blob("modtest_jump");
	struct static_key_false *own;
	int (*own_site)(void), (*kernel_site)(void);
	struct module *mod = NULL;
	struct jump_entry e;
	u8 insn[5];

	KTEST_ASSERT_NOT_NULL(t, b);
	/* The kernel's key is on before the module loads: its site starts as a JMP. */
	KTEST_ASSERT_EQ(t, static_branch_enable(&jump_label_test_key), 0);
	KTEST_ASSERT_EQ(t, load_module(b->start, b->end - b->start, &mod), 0);
	own = (void *)find_exported_symbol("modtest_jump_key");
	own_site = (void *)find_exported_symbol("modtest_jump_own");
	kernel_site = (void *)find_exported_symbol("modtest_jump_kernel");
	KTEST_ASSERT_TRUE(t, own && own_site && kernel_site);
	KTEST_EXPECT_EQ(t, kernel_site(), 1);
	KTEST_EXPECT_EQ(t, own_site(), 0);
	KTEST_EXPECT_EQ(t, static_branch_disable(&jump_label_test_key), 0);
	KTEST_EXPECT_EQ(t, kernel_site(), 0);
	KTEST_EXPECT_EQ(t, jl_site(), 0);
	/* Its own key: found in its table, flipped both ways. */
	KTEST_EXPECT_EQ(t, jump_label_site_insn(&own->key, 0, &e, insn), 5);
	KTEST_EXPECT_TRUE(t, e.code >= (unsigned long)mod->base &&
			     e.code < (unsigned long)mod->base + mod->text_size);
	KTEST_EXPECT_EQ(t, memcmp(insn, nop5, 5), 0);
	KTEST_EXPECT_EQ(t, static_branch_enable(own), 0);
	KTEST_EXPECT_EQ(t, own_site(), 1);
	KTEST_EXPECT_EQ(t, jump_label_site_insn(&own->key, 0, &e, insn), 5);
	KTEST_EXPECT_EQ(t, insn[0], 0xe9);
	KTEST_EXPECT_EQ(t, static_branch_disable(own), 0);
	KTEST_EXPECT_EQ(t, own_site(), 0);
	KTEST_EXPECT_EQ(t, unload_module("modtest_jump"), 0);
	/* Gone: its key is refused, its sites are no longer found or written. */
	KTEST_EXPECT_EQ(t, static_branch_enable(own), -EINVAL);
	KTEST_EXPECT_EQ(t, jump_label_site_insn(&own->key, 0, &e, insn), -ENOENT);
	KTEST_EXPECT_EQ(t, static_branch_enable(&jump_label_test_key), 0);
	KTEST_EXPECT_EQ(t, jl_site(), 1);
	KTEST_EXPECT_EQ(t, static_branch_disable(&jump_label_test_key), 0);
	/* And it loads again, sites set for the current states. */
	KTEST_ASSERT_EQ(t, load_module(b->start, b->end - b->start, &mod), 0);
	kernel_site = (void *)find_exported_symbol("modtest_jump_kernel");
	KTEST_EXPECT_EQ(t, kernel_site(), 0);
	KTEST_EXPECT_EQ(t, unload_module("modtest_jump"), 0);
}

static void test_bad_input(struct ktest *t)
{
	struct static_key_false stack_key = STATIC_KEY_FALSE_INIT;
	struct static_key *heap_key = kzalloc(sizeof(*heap_key), GFP_KERNEL);
	struct jump_entry e;
	u8 insn[5];

	/* Unbalanced: a dec of a key nobody enabled leaves it off, sites untouched. */
	KTEST_EXPECT_EQ(t, static_branch_dec(&jl_bytes_key), -EINVAL);
	KTEST_EXPECT_FALSE(t, static_key_enabled(&jl_bytes_key));
	KTEST_EXPECT_EQ(t, jump_label_site_insn(&jl_bytes_key.key, 0, &e, insn), 5);
	KTEST_EXPECT_EQ(t, memcmp(insn, nop5, 5), 0);
	KTEST_EXPECT_EQ(t, jl_bytes_site(), 0);
	/* Keys outside the kernel's data and every module's. */
	KTEST_EXPECT_EQ(t, static_branch_enable(&stack_key), -EINVAL);
	KTEST_EXPECT_FALSE(t, static_key_enabled(&stack_key));
	KTEST_ASSERT_NOT_NULL(t, heap_key);
	KTEST_EXPECT_EQ(t, static_key_slow_inc(heap_key), -EINVAL);
	KTEST_EXPECT_EQ(t, static_key_disable(heap_key), -EINVAL);
	KTEST_EXPECT_EQ(t, heap_key->enabled, 0);
	kfree(heap_key);
}

/*
 * A flip whose second group of sites fails (test hook: groups of one
 * site) puts the first back: the key stays off and both sites NOPs.
 */
static void test_failed_flip(struct ktest *t)
{
	struct jump_entry e;
	u8 b[5];
	int err;

	KTEST_ASSERT_EQ(t, jump_label_site_insn(&jl_two_key.key, 1, &e, b), 5);
	KTEST_EXPECT_EQ(t, jl_two_a() + jl_two_b(), 0);
	jump_label_test_group = 1;
	jump_label_test_fail_group = 2;
	err = static_branch_enable(&jl_two_key);
	jump_label_test_group = 0;
	jump_label_test_fail_group = 0;
	KTEST_EXPECT_EQ(t, err, -EIO);
	KTEST_EXPECT_FALSE(t, static_key_enabled(&jl_two_key));
	for (unsigned int i = 0; i < 2; i++) {
		KTEST_EXPECT_EQ(t, jump_label_site_insn(&jl_two_key.key, i, &e, b), 5);
		KTEST_EXPECT_EQ(t, memcmp(b, nop5, 5), 0);
	}
	KTEST_EXPECT_EQ(t, jl_two_a() + jl_two_b(), 0);
	/* The key still flips both ways afterwards. */
	KTEST_ASSERT_EQ(t, static_branch_enable(&jl_two_key), 0);
	KTEST_EXPECT_EQ(t, jl_two_a() + jl_two_b(), 3);
	KTEST_ASSERT_EQ(t, static_branch_disable(&jl_two_key), 0);
	KTEST_EXPECT_EQ(t, jl_two_a() + jl_two_b(), 0);
}

struct irq_poke {
	struct text_poke_loc loc;
	int ret;
};

static void irq_poke(void *arg)
{
	struct irq_poke *p = arg;

	p->ret = text_poke_batch(&p->loc, 1);
}

/* text_poke_batch() from interrupt context (a cross-CPU call): -EBUSY. */
static void test_poke_in_irq(struct ktest *t)
{
	struct irq_poke p = { .ret = 1 };
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id())
			break;
	if (cpu >= NR_CPUS) {
		ktest_skip(t, "needs a second CPU");
		return;
	}
	/* The bytes of a site, unchanged: written nothing either way. */
	p.loc.addr = (void *)jl_bytes_site;
	p.loc.len = 1;
	memcpy(p.loc.old, p.loc.addr, 1);
	memcpy(p.loc.new, p.loc.addr, 1);
	KTEST_ASSERT_EQ(t, smp_call_function_single(cpu, irq_poke, &p, true), 0);
	KTEST_EXPECT_EQ(t, p.ret, -EBUSY);
}

/*
 * A module entry whose 2-byte site cannot reach its target is refused at
 * load, its bytes untouched; a reachable one is taken.  The "module" is a
 * buffer (nothing runs it; the loader only checks and writes bytes).
 */
static void test_module_unreachable(struct ktest *t)
{
	struct module *mod = kzalloc(sizeof(*mod), GFP_KERNEL);
	u8 *text = kmalloc(512, GFP_KERNEL);
	struct jump_entry e;

	KTEST_ASSERT_NOT_NULL(t, mod);
	if (!text) {
		kfree(mod);
		KTEST_ASSERT_NOT_NULL(t, text);
	}
	strlcpy(mod->name, "jl_fake", sizeof(mod->name));
	mod->base = text;
	mod->size = mod->text_size = 512;
	memset(text, 0xcc, 512);
	memcpy(text, nop2, 2);
	e.code = (unsigned long)text;
	e.target = (unsigned long)text + 400;	/* beyond a rel8 */
	e.key = (unsigned long)&jump_label_test_key.key;
	KTEST_EXPECT_EQ(t, jump_label_add_module(mod, &e, 1), -EINVAL);
	KTEST_EXPECT_EQ(t, memcmp(text, nop2, 2), 0);
	KTEST_EXPECT_EQ(t, text[2], 0xcc);
	e.target = (unsigned long)text + 100;
	KTEST_EXPECT_EQ(t, jump_label_add_module(mod, &e, 1), 0);
	KTEST_EXPECT_EQ(t, memcmp(text, nop2, 2), 0);
	jump_label_del_module(mod);
	kfree(text);
	kfree(mod);
}

/* Once the init text is freed, a key's __init site is neither read nor written. */
static void test_init_site_gone(struct ktest *t)
{
	unsigned long fn = (unsigned long)jl_live_site;
	struct jump_entry e;
	u8 b[5];

	KTEST_ASSERT_EQ(t, jump_label_site_insn(&jl_init_key.key, 0, &e, b), 5);
	KTEST_EXPECT_TRUE(t, e.code >= fn && e.code < fn + 64);
	KTEST_EXPECT_EQ(t, jump_label_site_insn(&jl_init_key.key, 1, &e, b), -ENOENT);
	KTEST_ASSERT_EQ(t, static_branch_enable(&jl_init_key), 0);
	KTEST_EXPECT_EQ(t, jl_live_site(), 1);
	KTEST_ASSERT_EQ(t, static_branch_disable(&jl_init_key), 0);
	KTEST_EXPECT_EQ(t, jl_live_site(), 0);
}

static struct ktest_case jump_label_cases[] = {
	KTEST_CASE(test_flip),
	KTEST_CASE(test_bytes),
	KTEST_CASE_FLAGS(test_smp_flip, KTEST_F_SMP),
	KTEST_CASE(test_module),
	KTEST_CASE(test_bad_input),
	KTEST_CASE(test_failed_flip),
	KTEST_CASE(test_module_unreachable),
	KTEST_CASE(test_init_site_gone),
	KTEST_CASE_FLAGS(test_poke_in_irq, KTEST_F_SMP),
	{}
};

static struct ktest_suite jump_label_suite = {
	.name = "jump_label",
	.cases = jump_label_cases,
};
KTEST_SUITE(jump_label_suite);
