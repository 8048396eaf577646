/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error values in pointers, as in Linux: the top 4095 addresses are never
 * valid kernel pointers, so a function returning a pointer can return a
 * negative errno there instead.
 */
#ifndef _EXO_ERR_H
#define _EXO_ERR_H

#include <exo/compiler.h>
#include <exo/types.h>

#define MAX_ERRNO	4095

#define IS_ERR_VALUE(x)	((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

/** ERR_PTR() - @error (a negative errno) as a pointer */
static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

/** PTR_ERR() - the errno inside an ERR_PTR() */
static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

/** IS_ERR() - is @ptr an ERR_PTR()? */
static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}

/** IS_ERR_OR_NULL() - is @ptr NULL or an ERR_PTR()? */
static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR_VALUE((unsigned long)ptr);
}

#endif /* _EXO_ERR_H */
