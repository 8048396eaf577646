/* SPDX-License-Identifier: GPL-2.0 */
/* Error numbers.  Functions return them negated (-ENOMEM). Values match Linux. */
#ifndef _EXO_ERRNO_H
#define _EXO_ERRNO_H

#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EINTR		4
#define EIO		5
#define ENXIO		6
#define E2BIG		7
#define ENOEXEC		8
#define EAGAIN		11
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EINVAL		22
#define ENOSPC		28
#define ERANGE		34
#define EDEADLK		35
#define ENOSYS		38
#define ENOTEMPTY	39
#define EOVERFLOW	75
#define EBADMSG		74
#define EOPNOTSUPP	95
#define ETIMEDOUT	110
#define EPROBE_DEFER	517
/* Networking (net/). */
#define ENFILE		23
#define EADDRNOTAVAIL	99
#define ENETDOWN	100
#define ENOBUFS		105
/* Files and devices (fs/). */
#define EBADF		9
#define ENOTDIR		20
#define EISDIR		21
#define ENOTTY		25
#define ESPIPE		29
#define ENAMETOOLONG	36

const char *errname(int err);

#endif /* _EXO_ERRNO_H */
