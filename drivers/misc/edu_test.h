/* SPDX-License-Identifier: GPL-2.0 */
/* Cases of the edu ktest suite (drivers/misc/edu_test.c) in other files. */
#ifndef _DRIVERS_MISC_EDU_TEST_H
#define _DRIVERS_MISC_EDU_TEST_H

struct ktest;
struct pci_dev;

/* Unbind @p while threads call its ops->factorial(): -ENODEV, no fault. */
void edu_test_unbind_during_ops(struct ktest *t, struct pci_dev *p);

/* Bind a test driver to @p: its pcim_/devm_ resources go newest first. */
void edu_test_devres_order(struct ktest *t, struct pci_dev *p);

#endif
