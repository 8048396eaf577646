/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints.  A subsystem describes its events in one header under
 * include/trace/events/, as Linux does:
 *
 *	#undef TRACE_SYSTEM
 *	#define TRACE_SYSTEM mm
 *	#if !defined(_TRACE_MM_H) || defined(TRACE_HEADER_MULTI_READ)
 *	#define _TRACE_MM_H
 *	#include <exo/tracepoint.h>
 *
 *	TRACE_EVENT(kfree,
 *		TP_PROTO(unsigned long call_site, const void *ptr),
 *		TP_ARGS(call_site, ptr),
 *		TP_STRUCT__entry(
 *			__field(unsigned long, call_site)
 *			__field(const void *, ptr)
 *		),
 *		TP_fast_assign(
 *			__entry->call_site = call_site;
 *			__entry->ptr = ptr;
 *		),
 *		TP_printk("call_site=%pS ptr=%p", (void *)__entry->call_site, __entry->ptr)
 *	);
 *	#endif
 *
 * and calls trace_kfree(_RET_IP_, p) where the event happens.  Events
 * with the same fields share them: DECLARE_EVENT_CLASS() takes what
 * TRACE_EVENT() takes, and DEFINE_EVENT(class, name, proto, args) makes
 * each event of it (TRACE_EVENT() is a class of one).  Off, that
 * call is one 5-byte NOP, a static branch (<exo/jump_label.h>), and its
 * jump target a call to a recorder that clobbers no register (below);
 * on, it records the fields in the ring buffer.  kernel/trace/trace_events.c
 * includes every such header with CREATE_TRACE_POINTS defined, which makes
 * TRACE_EVENT() also define the record, its printer and the descriptor
 * that `trace list` shows.  Without CONFIG_TRACEPOINTS the calls compile
 * to nothing.
 *
 * TP_fast_assign() may read memory only through pointer arguments: the
 * call site's asm clobbers memory only when an argument is a pointer, so
 * for an integer-only event the compiler may still hold the caller's
 * stores in registers (Documentation/trace.rst, "Defining events").
 */
#ifndef _EXO_TRACEPOINT_H
#define _EXO_TRACEPOINT_H

#include <exo/compiler.h>
#include <exo/export.h>
#include <exo/jump_label.h>
#include <exo/trace_events.h>
#include <exo/types.h>

struct tracepoint {
	struct static_key_false key;
};

#define PARAMS(args...)			args
#define TP_PROTO(args...)		args
#define TP_ARGS(args...)		args
#define TP_STRUCT__entry(args...)	args
#define TP_fast_assign(args...)		args
#define TP_printk(fmt, args...)		fmt, ##args

#define __field(type, item)		type item;
#define __array(type, item, len)	type item[len];

#ifdef CONFIG_TRACEPOINTS
#include <asm/tracepoint.h>
/*
 * The call a disabled event's static branch skips goes to a cold function
 * that saves every register it uses (no_caller_saved_registers; the kernel
 * is built -mgeneral-regs-only), made by arch_tracepoint_call() through a
 * thunk that aligns the stack: it clobbers only the flags (and memory for
 * a pointer argument), ties no value to a register and needs no frame, so
 * a fast path keeps its register allocation and its shrink-wrapping, and
 * an event it does not record costs it the NOP.  The dead plain call
 * checks the arguments' types.
 */
/*
 * A recorder must not end in a tail call: clang's would restore the saved
 * registers and jump to a normal function, which may clobber the caller-
 * saved ones the asm call site keeps live.  The kernel's global
 * -fno-optimize-sibling-calls is not enough (mm/Makefile turns sibling
 * calls back on for some files), so clang gets disable_tail_calls.  gcc
 * makes no sibling call from a no_caller_saved_registers function.
 */
#ifdef __clang__
#define __tracepoint_no_tail	__attribute__((disable_tail_calls))
#else
#define __tracepoint_no_tail
#endif
#define __tracepoint_stub						\
	__cold __tracepoint_no_tail __attribute__((no_caller_saved_registers))
/*
 * An argument meaning "the address of this call site", for an event's
 * call_site from an inline function: _THIS_IP_ there takes a label's
 * address, and clang inlines no function that does.  Only an enabled
 * event computes it (<asm/tracepoint.h>).
 */
#define TRACE_THIS_IP		ARCH_TRACE_THIS_IP
#define __DECLARE_TRACE(name, proto, args)				\
	extern struct tracepoint __tracepoint_##name;			\
	void __tracepoint_stub __trace_##name(proto);			\
	static __always_inline void trace_##name(proto)			\
	{								\
		if (static_branch_unlikely(&__tracepoint_##name.key))		\
			arch_tracepoint_call(__trace_##name, args);	\
		else if (0)						\
			__trace_##name(args);				\
	}								\
	static __always_inline bool trace_##name##_enabled(void)		\
	{								\
		return static_branch_unlikely(&__tracepoint_##name.key);	\
	}
#else
#define TRACE_THIS_IP		0UL
#define __DECLARE_TRACE(name, proto, args)				\
	static inline void trace_##name(proto) { }			\
	static inline bool trace_##name##_enabled(void) { return false; }
#endif

/*
 * An event class: the record, its printer and the function that fills it,
 * shared by the events DEFINE_EVENT() makes of it.
 */
#define __DECLARE_EVENT_CLASS(class, proto, args, tstruct, assign, print_args)	\
	struct trace_event_raw_##class {					\
		struct trace_entry ent;						\
		tstruct								\
	};									\
	static void trace_event_print_##class(struct trace_seq *s,		\
					      const struct trace_entry *ent)	\
	{									\
		const struct trace_event_raw_##class *__entry = (const void *)ent; \
										\
		trace_seq_printf(s, print_args);				\
	}									\
	static inline void trace_event_fill_##class(struct trace_event_raw_##class *__entry, \
						    proto)			\
	{									\
		assign								\
	}

/*
 * An event of @class: its tracepoint, its descriptor in the _ftrace_events
 * section, and the out-of-line recorder the inline trace_<call>() calls.
 */
#define __DEFINE_EVENT(class, call, proto, args)				\
	struct tracepoint __tracepoint_##call = { .key = { .key = STATIC_KEY_INIT_FALSE } };	\
	EXPORT_SYMBOL_GPL(__tracepoint_##call);					\
	static struct trace_event_call event_##call = {				\
		.system = __stringify(TRACE_SYSTEM), .name = #call,		\
		.tp = &__tracepoint_##call,					\
		.size = sizeof(struct trace_event_raw_##class),			\
		.print = trace_event_print_##class,				\
	};									\
	static struct trace_event_call *const __event_ptr_##call __used	\
		__section("_ftrace_events") __aligned(8) = &event_##call;	\
	void __tracepoint_stub __trace_##call(proto)				\
	{									\
		struct trace_event_raw_##class *__entry;			\
		struct trace_event_buffer fbuffer;				\
										\
		BUILD_BUG_ON(sizeof(*__entry) > TRACE_RECORD_MAX);		\
		__entry = trace_event_buffer_reserve(&fbuffer, &event_##call);	\
		if (!__entry)							\
			return;							\
		trace_event_fill_##class(__entry, args);			\
		trace_event_buffer_commit(&fbuffer);				\
	}									\
	EXPORT_SYMBOL_GPL(__trace_##call)

#endif /* _EXO_TRACEPOINT_H */

/* Outside the guard: each event header includes this file and gets the
 * TRACE_EVENT() of the pass it is in. */
#undef DECLARE_EVENT_CLASS
#undef DEFINE_EVENT
#undef TRACE_EVENT
#if defined(CREATE_TRACE_POINTS) && defined(CONFIG_TRACEPOINTS)
#define DECLARE_EVENT_CLASS(class, proto, args, tstruct, assign, print)	\
	__DECLARE_EVENT_CLASS(class, PARAMS(proto), PARAMS(args),	\
			      PARAMS(tstruct), PARAMS(assign), PARAMS(print))
#define DEFINE_EVENT(class, name, proto, args)				\
	__DECLARE_TRACE(name, PARAMS(proto), PARAMS(args))		\
	__DEFINE_EVENT(class, name, PARAMS(proto), PARAMS(args))
#else
#define DECLARE_EVENT_CLASS(class, proto, args, tstruct, assign, print)
#define DEFINE_EVENT(class, name, proto, args)				\
	__DECLARE_TRACE(name, PARAMS(proto), PARAMS(args))
#endif
/* An event with a class of its own. */
#define TRACE_EVENT(name, proto, args, tstruct, assign, print)		\
	DECLARE_EVENT_CLASS(name, PARAMS(proto), PARAMS(args),		\
			    PARAMS(tstruct), PARAMS(assign), PARAMS(print)) \
	DEFINE_EVENT(name, name, PARAMS(proto), PARAMS(args))
