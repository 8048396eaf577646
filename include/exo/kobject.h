/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Uevent environments, as Linux's struct kobj_uevent_env: a bus's uevent()
 * callback adds "KEY=value" strings with add_uevent_var().  There are no
 * kobjects or user space here; the device core reads MODALIAS= to load the
 * driver module of a device nobody drives (drivers/base/modalias.c).
 */
#ifndef _EXO_KOBJECT_H
#define _EXO_KOBJECT_H

#include <exo/compiler.h>

#define UEVENT_NUM_ENVP		16
#define UEVENT_BUFFER_SIZE	512

struct kobj_uevent_env {
	char *envp[UEVENT_NUM_ENVP];
	int envp_idx;
	char buf[UEVENT_BUFFER_SIZE];
	int buflen;
};

/**
 * add_uevent_var() - append a "KEY=value" string to @env
 * @env: the environment
 * @format: printf format of the whole string
 *
 * Return: 0, or -ENOMEM when @env has no room (logged).
 */
__printf(2, 3) int add_uevent_var(struct kobj_uevent_env *env, const char *format, ...);

#endif /* _EXO_KOBJECT_H */
