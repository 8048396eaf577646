/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copies between kernel memory and a __user buffer, as in Linux.  There is
 * no user address space yet: every caller of a file operation passes
 * kernel memory cast to __user (fs/read_write.c), so a copy is a memcpy().
 * Drivers still use these, so that their code is already right when a
 * user space arrives and these start to check and fault.
 */
#ifndef _EXO_UACCESS_H
#define _EXO_UACCESS_H

#include <exo/string.h>
#include <exo/types.h>

/**
 * copy_to_user() - copy @n bytes from kernel @from to user @to
 * Return: bytes NOT copied (0 on success).
 */
static inline unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	memcpy((__force void *)to, from, n);
	return 0;
}

/**
 * copy_from_user() - copy @n bytes from user @from to kernel @to
 * Return: bytes NOT copied (0 on success).
 */
static inline unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	memcpy(to, (__force const void *)from, n);
	return 0;
}

#define put_user(x, ptr)	({ *(__force __typeof__(*(ptr)) *)(ptr) = (x); 0; })
#define get_user(x, ptr)	({ (x) = *(__force __typeof__(*(ptr)) *)(ptr); 0; })

#endif /* _EXO_UACCESS_H */
