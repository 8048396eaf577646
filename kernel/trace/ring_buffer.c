// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU overwrite ring buffer (include/exo/ring_buffer.h).
 *
 * Each CPU's ring is an array of 2^n slots and two counters that only
 * grow: head, the next position to write, and tail, the oldest position
 * still held.  A writer claims position p by advancing head with a
 * compare-and-swap (an interrupt on the same CPU may claim p + 1 between
 * the read and the swap: the swap then fails and the outer writer tries
 * again), then makes room by pushing tail past p - size.  Only after that
 * does it touch slot p % size.  The slot's stamp has RB_BUSY set while it
 * is written and is p + 1 once committed (store-release): a reader copies
 * a slot and checks the stamp before and after, so an event overwritten
 * under it is skipped and never shown torn.
 *
 * No counter is written besides head and tail.  A reset moves tail up to
 * head and records that head as base; the events written since are then
 * head - base, and those dropped are the positions from base to tail plus
 * the padding slots (below) still between tail and head.  So a reset
 * never writes anything a writer also writes, and each dropped event is
 * counted once, whether a writer or the reset moved tail past it.
 *
 * A writer interrupted between reserve and commit keeps its slot: the
 * interrupt's events take the next ones.  If the interrupts of that window
 * write a whole ring's worth (a softirq under a traced task can), one of
 * them comes back to the interrupted slot.  It finds RB_BUSY there and
 * drops its own event, leaving its position in the stamp and raising
 * pad_end past it; the interrupted writer's commit then turns the slot
 * into padding for that position, which readers skip and count as
 * dropped (its own event was already pushed past tail).  A writer
 * interrupted before it marked its slot, or before it pushed tail, may
 * find tail already past its position (moved by those interrupts or by a
 * reset): it pushes nothing, and finds a later position's stamp in its
 * slot and gives up, or writes a slot no reader looks at any more.  So no
 * slot is ever written by two events and no event is shown under
 * another's position.
 */
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/ring_buffer.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/vmalloc.h>

/*
 * The rings in vmalloc space.  The hosted build has none, and takes them
 * from the host so that its tests need no allocator set up.
 */
#ifdef CONFIG_HOSTED
void *calloc(size_t n, size_t size);
void free(void *p);
#define rb_zalloc(size)	calloc(1, size)
#define rb_free(p)	free(p)
#else
#define rb_zalloc(size)	vzalloc(size)
#define rb_free(p)	vfree(p)
#endif

struct ring_buffer_per_cpu {
	u64 head;		/* next position to claim */
	u64 tail;		/* oldest position held */
	u64 base;		/* head at the last reset: written = head - base */
	u64 pad_end;		/* above the last position a nested writer dropped */
	struct ring_buffer_event *slots;
} __aligned(64);

struct trace_buffer {
	unsigned long nr_slots;		/* power of two */
	unsigned int nr_cpus;
	int record_disabled;
	struct ring_buffer_per_cpu cpus[];
};

#define RB_MAX_BYTES	(64UL << 20)

static bool rb_cas(u64 *p, u64 old, u64 new)
{
	return __atomic_compare_exchange_n(p, &old, new, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_RELAXED);
}

static u64 rb_load(const u64 *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

struct trace_buffer *ring_buffer_alloc(unsigned long size, unsigned int nr_cpus)
{
	unsigned long slots = 8;
	struct trace_buffer *b;

	if (!size || size > RB_MAX_BYTES || !nr_cpus) {
		pr_err("ring_buffer: bad size %lu for %u CPUs (-EINVAL)\n", size, nr_cpus);
		return NULL;
	}
	while (slots * RB_SLOT_SIZE < size)
		slots <<= 1;
	b = rb_zalloc(sizeof(*b) + nr_cpus * sizeof(b->cpus[0]));
	if (!b)
		goto nomem;
	b->nr_slots = slots;
	b->nr_cpus = nr_cpus;
	for (unsigned int c = 0; c < nr_cpus; c++) {
		b->cpus[c].slots = rb_zalloc(slots * sizeof(struct ring_buffer_event));
		if (!b->cpus[c].slots) {
			ring_buffer_free(b);
			goto nomem;
		}
	}
	return b;
nomem:
	pr_err("ring_buffer: no memory for %u rings of %lu bytes (-ENOMEM)\n", nr_cpus,
	       slots * RB_SLOT_SIZE);
	return NULL;
}

void ring_buffer_free(struct trace_buffer *buffer)
{
	if (!buffer)
		return;
	for (unsigned int c = 0; c < buffer->nr_cpus; c++)
		rb_free(buffer->cpus[c].slots);
	rb_free(buffer);
}

/* Raise @cb->pad_end to @end (nested writers of one CPU may race). */
static void rb_pad_end(struct ring_buffer_per_cpu *cb, u64 end)
{
	for (u64 e = rb_load(&cb->pad_end); e < end; e = rb_load(&cb->pad_end))
		if (rb_cas(&cb->pad_end, e, end))
			break;
}

struct ring_buffer_event *ring_buffer_lock_reserve(struct trace_buffer *buffer,
						   unsigned long length)
{
	struct ring_buffer_per_cpu *cb;
	struct ring_buffer_event *ev;
	unsigned int cpu;
	u64 pos, t;

	if (length > RB_MAX_DATA)
		return NULL;
	preempt_disable();
	cpu = smp_processor_id();
	if (cpu >= buffer->nr_cpus || READ_ONCE(buffer->record_disabled))
		goto out;
	cb = &buffer->cpus[cpu];
	do
		pos = rb_load(&cb->head);
	while (!rb_cas(&cb->head, pos, pos + 1));
	/* Make room; tail may be past @pos already (see the top). */
	for (t = rb_load(&cb->tail); pos >= t + buffer->nr_slots; t = rb_load(&cb->tail))
		rb_cas(&cb->tail, t, t + 1);
	ev = &cb->slots[pos & (buffer->nr_slots - 1)];
	for (;;) {
		u64 old = rb_load(&ev->stamp);

		/* A later position has it: ours was pushed past tail and counted. */
		if ((old & ~RB_BUSY) > pos + 1)
			goto out;
		if (old & RB_BUSY) {
			/* An interrupted writer still fills it: drop ours, leave @pos. */
			if (rb_cas(&ev->stamp, old, RB_BUSY | (pos + 1))) {
				rb_pad_end(cb, pos + 1);
				goto out;
			}
			continue;
		}
		/* Seq-cst: no store of the new data moves above the busy mark. */
		if (rb_cas(&ev->stamp, old, RB_BUSY))
			break;
	}
	ev->seq = pos;
	ev->len = length;
	return ev;
out:
	preempt_enable();
	return NULL;
}

void ring_buffer_unlock_commit(struct trace_buffer *buffer, struct ring_buffer_event *event)
{
	u64 s = RB_BUSY;

	/*
	 * A nested writer that came back to this slot left its position in
	 * the stamp: this event was dropped, and the slot becomes padding
	 * for that position so that readers go past it.
	 */
	while (!__atomic_compare_exchange_n(&event->stamp, &s,
					    s == RB_BUSY ? event->seq + 1 : s & ~RB_BUSY,
					    false, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		__atomic_store_n(&event->len, RB_LEN_PAD, __ATOMIC_RELAXED);
	preempt_enable();
}

int ring_buffer_write(struct trace_buffer *buffer, unsigned long length, const void *data)
{
	struct ring_buffer_event *ev;

	if (length > RB_MAX_DATA)
		return -E2BIG;
	ev = ring_buffer_lock_reserve(buffer, length);
	if (!ev)
		return -EBUSY;
	memcpy(ev->data, data, length);
	ring_buffer_unlock_commit(buffer, ev);
	return 0;
}

/*
 * Copy @ev's data if it still holds position @pos: atomic loads,
 * as the owner may be overwriting it (the stamp check throws such a copy
 * away).
 */
static int rb_copy(const struct ring_buffer_event *ev, u64 pos, void *data)
{
	u64 *dst = data;
	u32 len;

	if (__atomic_load_n(&ev->stamp, __ATOMIC_ACQUIRE) != pos + 1)
		return -EAGAIN;
	len = __atomic_load_n(&ev->len, __ATOMIC_RELAXED);
	if (len == RB_LEN_PAD)
		return -ENOENT;
	if (len > RB_MAX_DATA)
		return -EAGAIN;
	/* Acquire loads: the stamp is read again after all of them. */
	for (unsigned int i = 0; i < DIV_ROUND_UP(len, 8); i++)
		dst[i] = __atomic_load_n(&ev->data[i], __ATOMIC_ACQUIRE);
	if (__atomic_load_n(&ev->stamp, __ATOMIC_RELAXED) != pos + 1)
		return -EAGAIN;
	return len;
}

int ring_buffer_peek(struct trace_buffer *buffer, unsigned int cpu, u64 *pos, void *data)
{
	struct ring_buffer_per_cpu *cb;

	if (cpu >= buffer->nr_cpus)
		return -EINVAL;
	cb = &buffer->cpus[cpu];
	for (u64 p = max(*pos, rb_load(&cb->tail)); p < rb_load(&cb->head); p++) {
		const struct ring_buffer_event *ev = &cb->slots[p & (buffer->nr_slots - 1)];
		int len = rb_copy(ev, p, data);

		if (len >= 0) {
			*pos = p;
			return len;
		}
		if (len == -ENOENT)
			continue;
		/* Not overwritten since: still being written, so the read ends. */
		if (p >= rb_load(&cb->tail))
			return 0;
	}
	return 0;
}

/*
 * The oldest position held since the last reset: tail, or base while a
 * reset has recorded base but not yet moved tail.  Tail is read first: a
 * reset stores base before it moves tail, so a tail from that reset comes
 * with its base.
 */
static u64 rb_first(struct ring_buffer_per_cpu *cb, u64 *base)
{
	u64 t = rb_load(&cb->tail);

	*base = rb_load(&cb->base);
	return max(t, *base);
}

unsigned long ring_buffer_entries_cpu(struct trace_buffer *buffer, unsigned int cpu)
{
	struct ring_buffer_per_cpu *cb;
	u64 base, first;

	if (cpu >= buffer->nr_cpus)
		return 0;
	cb = &buffer->cpus[cpu];
	first = rb_first(cb, &base);
	return rb_load(&cb->head) - first;
}

/* Whether position @pos is a padding slot, or being made one: a dropped event. */
static bool rb_dropped(const struct ring_buffer_event *ev, u64 pos)
{
	u64 s = __atomic_load_n(&ev->stamp, __ATOMIC_ACQUIRE);

	if (s == (RB_BUSY | (pos + 1)))
		return true;
	return s == pos + 1 && __atomic_load_n(&ev->len, __ATOMIC_RELAXED) == RB_LEN_PAD;
}

unsigned long ring_buffer_overrun_cpu(struct trace_buffer *buffer, unsigned int cpu)
{
	struct ring_buffer_per_cpu *cb;
	u64 base, first, end;
	unsigned long n;

	if (cpu >= buffer->nr_cpus)
		return 0;
	cb = &buffer->cpus[cpu];
	first = rb_first(cb, &base);
	n = first - base;
	/* Padding still held: only where a nested writer dropped an event. */
	end = min(rb_load(&cb->pad_end), rb_load(&cb->head));
	for (u64 p = first; p < end; p++)
		n += rb_dropped(&cb->slots[p & (buffer->nr_slots - 1)], p);
	return n;
}

unsigned long ring_buffer_written_cpu(struct trace_buffer *buffer, unsigned int cpu)
{
	u64 base;

	if (cpu >= buffer->nr_cpus)
		return 0;
	base = rb_load(&buffer->cpus[cpu].base);
	return rb_load(&buffer->cpus[cpu].head) - base;
}

unsigned long ring_buffer_size(struct trace_buffer *buffer)
{
	return buffer->nr_slots;
}

#ifdef CONFIG_KTEST
void (*ring_buffer_test_reset_hook)(struct trace_buffer *buffer, unsigned int cpu);
#endif

void ring_buffer_reset(struct trace_buffer *buffer)
{
	for (unsigned int c = 0; c < buffer->nr_cpus; c++) {
		struct ring_buffer_per_cpu *cb = &buffer->cpus[c];
		u64 h = rb_load(&cb->head), t;

#ifdef CONFIG_KTEST
		typeof(ring_buffer_test_reset_hook) hook = READ_ONCE(ring_buffer_test_reset_hook);

		if (hook)
			hook(buffer, c);
#endif
		/*
		 * Positions from @h on are the new writes: those a writer
		 * pushes tail past, before or after the move below, are
		 * dropped ones.  Base first (rb_first()); the tail CAS
		 * below orders it for readers, and nothing here needs a
		 * store-load order.
		 */
		__atomic_store_n(&cb->base, h, __ATOMIC_RELEASE);
		/* Never backwards: a writer may have pushed tail past @h meanwhile. */
		for (t = rb_load(&cb->tail); t < h; t = rb_load(&cb->tail))
			if (rb_cas(&cb->tail, t, h))
				break;
	}
}

void ring_buffer_record_off(struct trace_buffer *buffer)
{
	__atomic_fetch_add(&buffer->record_disabled, 1, __ATOMIC_SEQ_CST);
}

void ring_buffer_record_on(struct trace_buffer *buffer)
{
	__atomic_fetch_sub(&buffer->record_disabled, 1, __ATOMIC_SEQ_CST);
}
