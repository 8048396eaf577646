// SPDX-License-Identifier: GPL-2.0
/*
 * Weak stand-in for the ACPI table lookup, so PCI links before the ACPI
 * code exists: no tables, so config access uses mechanism #1.  The strong
 * acpi_get_table() of the ACPI code replaces it at link time.  Kept in its
 * own file so no caller can inline it.
 */
#include <exo/types.h>

const void *acpi_get_table(const char *sig, unsigned int instance);

__weak const void *acpi_get_table(const char *sig, unsigned int instance)
{
	return NULL;
}
