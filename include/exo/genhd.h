/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct gendisk and its helpers live in <exo/blkdev.h>, as in Linux 6.1
 * where <linux/genhd.h> was folded into <linux/blkdev.h>; this header is
 * kept for code that still includes it.
 */
#ifndef _EXO_GENHD_H
#define _EXO_GENHD_H

#include <exo/blkdev.h>

#endif /* _EXO_GENHD_H */
