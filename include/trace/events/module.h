/* SPDX-License-Identifier: GPL-2.0 */
/* Module events: a module loaded (before its init runs), a module freed. */
#include <exo/module.h>
#include <exo/string.h>
#include <exo/tracepoint.h>

/* Outside the guard: a header included above may set it too. */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM module

#if !defined(_TRACE_MODULE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_MODULE_H

DECLARE_EVENT_CLASS(module_name,
	TP_PROTO(struct module *mod),
	TP_ARGS(mod),
	TP_STRUCT__entry(
		__array(char, name, MODULE_NAME_LEN)
	),
	TP_fast_assign(
		strlcpy(__entry->name, mod->name, MODULE_NAME_LEN);
	),
	TP_printk("%s", __entry->name)
);

DEFINE_EVENT(module_name, module_load,
	TP_PROTO(struct module *mod),
	TP_ARGS(mod)
);

DEFINE_EVENT(module_name, module_free,
	TP_PROTO(struct module *mod),
	TP_ARGS(mod)
);

#endif /* _TRACE_MODULE_H */
