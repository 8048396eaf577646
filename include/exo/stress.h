/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SMP soak (kernel/stress.c, CONFIG_STRESS): `stress=SECONDS` on the
 * command line runs every concurrent stress worker on every online CPU for
 * that long, then checks the allocators and ends the run.  See
 * Documentation/stress.rst.
 */
#ifndef _EXO_STRESS_H
#define _EXO_STRESS_H

#include <exo/types.h>

#ifdef CONFIG_STRESS
/**
 * stress_requested() - whether the command line asked for a soak (stress=N)
 */
bool stress_requested(void);

/**
 * stress_run() - run the soak for the requested duration
 *
 * Spawns the workers bound to every online CPU, waits for the deadline,
 * joins them, drains every cache and checks the frame allocator and slab
 * invariants and the free-frame count against the value before the start.
 * Prints one line per worker kind and "stress: N operations, M errors".
 * Must run in thread context with interrupts on.
 *
 * Return: the number of errors found (0 = pass); -ENOMEM if the workers
 * could not be created.
 */
long stress_run(void);
#else
static inline bool stress_requested(void) { return false; }
static inline long stress_run(void) { return 0; }
#endif

#endif /* _EXO_STRESS_H */
