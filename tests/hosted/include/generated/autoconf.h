/* SPDX-License-Identifier: GPL-2.0 */
/* Hosted build: the configuration lives in tests/hosted/hosted_config.h. */
