// SPDX-License-Identifier: GPL-2.0
/*
 * The tracepoint thunks (tracepoint_64.S) are called from every
 * tracepoint site, modules' included: exported for those.
 */
#include <exo/export.h>
#include <asm/tracepoint.h>

EXPORT_SYMBOL_GPL(__tracepoint_thunk1);
EXPORT_SYMBOL_GPL(__tracepoint_thunk2);
EXPORT_SYMBOL_GPL(__tracepoint_thunk3);
EXPORT_SYMBOL_GPL(__tracepoint_thunk4);
