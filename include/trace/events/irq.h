/* SPDX-License-Identifier: GPL-2.0 */
/* Interrupt handler events, as Linux's irq:irq_handler_entry/exit. */
#include <exo/interrupt.h>
#include <exo/string.h>
#include <exo/tracepoint.h>

/* Outside the guard: a header included above may set it too. */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM irq

#if !defined(_TRACE_IRQ_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_IRQ_H

TRACE_EVENT(irq_handler_entry,
	TP_PROTO(int irq, struct irqaction *action),
	TP_ARGS(irq, action),
	TP_STRUCT__entry(
		__field(int, irq)
		__array(char, name, 24)
	),
	TP_fast_assign(
		__entry->irq = irq;
		strlcpy(__entry->name, action->name ? action->name : "", sizeof(__entry->name));
	),
	TP_printk("irq=%d name=%s", __entry->irq, __entry->name)
);

TRACE_EVENT(irq_handler_exit,
	TP_PROTO(int irq, struct irqaction *action, int ret),
	TP_ARGS(irq, action, ret),
	TP_STRUCT__entry(
		__field(int, irq)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->irq = irq;
		__entry->ret = ret;
	),
	TP_printk("irq=%d ret=%s", __entry->irq, __entry->ret ? "handled" : "unhandled")
);

#endif /* _TRACE_IRQ_H */
