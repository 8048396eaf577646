/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trace ring buffer: one ring of fixed-size slots per CPU, written
 * without locks by the CPU that owns it (interrupts nesting on that CPU
 * included) and read from any CPU.  When a ring is full the oldest event
 * is overwritten and counted in the ring's overrun, as Linux's
 * overwrite mode does.  The counts are derived from the ring's
 * positions, so that a reset races no writer (kernel/trace/ring_buffer.c).
 * Portable: the hosted tests run it under ASan and TSan
 * (Documentation/trace.rst).
 *
 *	ev = ring_buffer_lock_reserve(buffer, sizeof(*entry));
 *	if (ev) {
 *		entry = ring_buffer_event_data(ev);
 *		... fill entry ...
 *		ring_buffer_unlock_commit(buffer, ev);
 *	}
 */
#ifndef _EXO_RING_BUFFER_H
#define _EXO_RING_BUFFER_H

#include <exo/types.h>

struct trace_buffer;

/* Payload of one slot: an event's data must fit (checked at build time). */
#define RB_SLOT_SIZE		128
#define RB_EVENT_HEADER		24
#define RB_MAX_DATA		(RB_SLOT_SIZE - RB_EVENT_HEADER)

/* Stamp bit of a slot being written; len of a slot left as padding. */
#define RB_BUSY			(1ULL << 63)
#define RB_LEN_PAD		0xffffffffU

struct ring_buffer_event {
	u64 stamp;		/* sequence + 1 once committed, RB_BUSY while written */
	u64 seq;		/* the writer's position, for the commit */
	u32 len;		/* bytes of data */
	u32 pad;
	u64 data[RB_MAX_DATA / 8];
};

/**
 * ring_buffer_alloc() - a ring of @size bytes for each possible CPU
 * @size: bytes per CPU, rounded up to a power of two of slots (at least 8)
 * @nr_cpus: rings to make: CPUs 0 to @nr_cpus - 1 may write
 *
 * Return: the buffer, or NULL with an error logged (-ENOMEM or a size of
 * zero or over 64 MiB).
 */
struct trace_buffer *ring_buffer_alloc(unsigned long size, unsigned int nr_cpus);

/** ring_buffer_free() - free a buffer no writer can still reach */
void ring_buffer_free(struct trace_buffer *buffer);

/**
 * ring_buffer_lock_reserve() - claim the next slot of this CPU's ring
 * @buffer: the buffer
 * @length: bytes of data to be written, at most RB_MAX_DATA
 *
 * Disables preemption until ring_buffer_unlock_commit().  May be called
 * from an interrupt that arrived between another reserve and its commit
 * on the same CPU.  If the ring is full, the oldest event is dropped and
 * counted.
 * Return: the event to fill, or NULL if @length is too big, the CPU has no
 * ring, recording is off (ring_buffer_record_off()), or the slot is still
 * held by an interrupted writer a whole ring back (then counted in the
 * overrun).
 */
struct ring_buffer_event *ring_buffer_lock_reserve(struct trace_buffer *buffer,
						   unsigned long length);

/**
 * ring_buffer_unlock_commit() - publish an event from ring_buffer_lock_reserve()
 * @buffer: the buffer
 * @event: the event, filled
 */
void ring_buffer_unlock_commit(struct trace_buffer *buffer, struct ring_buffer_event *event);

static inline void *ring_buffer_event_data(struct ring_buffer_event *event)
{
	return event->data;
}

/**
 * ring_buffer_write() - reserve, copy @length bytes of @data and commit
 * @buffer: the buffer
 * @length: bytes, at most RB_MAX_DATA
 * @data: what to copy
 * Return: 0, or -EBUSY (recording off, no ring, or the slot held by an
 * interrupted writer: ring_buffer_lock_reserve()) or -E2BIG.
 */
int ring_buffer_write(struct trace_buffer *buffer, unsigned long length, const void *data);

/**
 * ring_buffer_peek() - copy an event of CPU @cpu's ring without consuming it
 * @buffer: the buffer
 * @cpu: the ring
 * @pos: in: the position to read from (0: the oldest); out: the position
 *	of the event copied, the next read passes it plus one
 * @data: RB_MAX_DATA bytes for the copy
 *
 * Events overwritten before or while they are copied are skipped; an
 * event still being written ends the read.  A peek that runs while
 * ring_buffer_reset() runs can still return events from before the
 * reset: callers serialise the two (the tracer holds trace_lock).
 * Return: the length copied, 0 if there is nothing more, -EINVAL for a
 * CPU without a ring.
 */
int ring_buffer_peek(struct trace_buffer *buffer, unsigned int cpu, u64 *pos, void *data);

/**
 * ring_buffer_entries_cpu() - positions held in CPU @cpu's ring (written since
 * the last reset, not pushed out; a dropped nested event's position counts
 * until pushed out)
 */
unsigned long ring_buffer_entries_cpu(struct trace_buffer *buffer, unsigned int cpu);
/**
 * ring_buffer_overrun_cpu() - events of CPU @cpu's ring dropped since the last
 * reset: overwritten, or dropped by a nested writer (ring_buffer_lock_reserve())
 * @buffer: the buffer
 * @cpu: the ring
 *
 * Once the writers stop, the events ring_buffer_peek() reads plus this
 * are ring_buffer_written_cpu().  Walks the positions held only when a
 * nested writer dropped an event that may still be among them.
 * Return: the count, 0 for a CPU without a ring.
 */
unsigned long ring_buffer_overrun_cpu(struct trace_buffer *buffer, unsigned int cpu);
/** ring_buffer_written_cpu() - events written to CPU @cpu's ring since the last reset */
unsigned long ring_buffer_written_cpu(struct trace_buffer *buffer, unsigned int cpu);
/** ring_buffer_size() - slots of each CPU's ring */
unsigned long ring_buffer_size(struct trace_buffer *buffer);

/**
 * ring_buffer_reset() - drop every event; the counts start again from zero
 * @buffer: the buffer
 *
 * Writers may go on meanwhile: for each ring the reset takes the head as
 * its point, and every event written from there on is read or counted in
 * the overrun, whether it lands before or after the reset returns.  The
 * reset writes no counter a writer writes: it moves the tail up (never
 * back) and records the point.  Readers must not run meanwhile
 * (ring_buffer_peek()); the counts are exact once the writers stop.
 */
void ring_buffer_reset(struct trace_buffer *buffer);

#ifdef CONFIG_KTEST
/*
 * Called by ring_buffer_reset() for each ring between its snapshot of the
 * head and the rest of the reset: the ring_buffer suite waits there for
 * the writers, as an interrupt or a preempted vCPU can make a reset wait.
 */
extern void (*ring_buffer_test_reset_hook)(struct trace_buffer *buffer, unsigned int cpu);
#endif

/* Stop and restart new reserves on every CPU (nesting, as Linux's). */
void ring_buffer_record_off(struct trace_buffer *buffer);
void ring_buffer_record_on(struct trace_buffer *buffer);

#endif /* _EXO_RING_BUFFER_H */
