// SPDX-License-Identifier: GPL-2.0
/* Refused: uses a GPL-only export (bus_find) without any MODULE_LICENSE. */
#include <exo/device.h>
#include <exo/errno.h>
#include <exo/module.h>

static int __init bad_nolicense_init(void)
{
	return bus_find("platform") ? 0 : -ENODEV;
}
module_init(bad_nolicense_init);
