/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tracing core (kernel/trace/) keeps of an event and gives the
 * code TRACE_EVENT() generates: the entry header every record starts
 * with, the event's descriptor, and the text buffer an event prints its
 * fields into.  Documentation/trace.rst describes the whole.
 */
#ifndef _EXO_TRACE_EVENTS_H
#define _EXO_TRACE_EVENTS_H

#include <exo/compiler.h>
#include <exo/types.h>

struct tracepoint;
struct ring_buffer_event;
struct trace_buffer;

#define TRACE_COMM_LEN	16
/* Largest record, header included: a ring slot's data (RB_MAX_DATA). */
#define TRACE_RECORD_MAX	104

/* Latency flags of an entry, as ftrace's TRACE_FLAG_*. */
#define TRACE_FLAG_IRQS_OFF	0x01
#define TRACE_FLAG_NEED_RESCHED	0x04
#define TRACE_FLAG_HARDIRQ	0x08
#define TRACE_FLAG_SOFTIRQ	0x10

/* The header of every record: who, where, when. */
struct trace_entry {
	unsigned short type;		/* index of the event (trace_event_call.type) */
	unsigned char flags;		/* TRACE_FLAG_* */
	unsigned char preempt_count;
	int pid;			/* 0 for the idle threads, as Linux's swapper */
	u64 ts;				/* ns since boot */
	char comm[TRACE_COMM_LEN];
};

/* A line being formatted: events print their fields into it. */
struct trace_seq {
	char buffer[256];
	unsigned int len;
};

/**
 * trace_seq_printf() - append to @s, truncating at its end
 * @s: the line
 * @fmt: printf format
 */
void trace_seq_printf(struct trace_seq *s, const char *fmt, ...) __printf(2, 3);

struct trace_event_call {
	const char *system;		/* TRACE_SYSTEM: "mm", "irq", ... */
	const char *name;
	struct tracepoint *tp;
	unsigned int size;		/* the whole record, header included */
	unsigned short type;		/* set when tracing starts */
	void (*print)(struct trace_seq *s, const struct trace_entry *ent);
};

struct trace_event_buffer {
	struct trace_buffer *buffer;
	struct ring_buffer_event *event;
};

/**
 * trace_event_buffer_reserve() - a record for @call in this CPU's ring
 * @fbuffer: filled for trace_event_buffer_commit()
 * @call: the event
 *
 * Fills the header (pid, comm, CPU flags, time).
 * Return: the record, or NULL if the CPU or thread is filtered out or
 * the buffer takes nothing (none allocated, recording off, or a record
 * from inside the tracer itself).
 */
void *trace_event_buffer_reserve(struct trace_event_buffer *fbuffer,
				 struct trace_event_call *call);

/** trace_event_buffer_commit() - publish the record of trace_event_buffer_reserve() */
void trace_event_buffer_commit(struct trace_event_buffer *fbuffer);

#endif /* _EXO_TRACE_EVENTS_H */
