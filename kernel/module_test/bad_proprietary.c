// SPDX-License-Identifier: GPL-2.0
/* Refused: a non-GPL license using a GPL-only export. */
#include <exo/device.h>
#include <exo/errno.h>
#include <exo/module.h>

static int __init bad_proprietary_init(void)
{
	return bus_find("platform") ? 0 : -ENODEV;
}
module_init(bad_proprietary_init);
MODULE_LICENSE("Proprietary");
