# SPDX-License-Identifier: GPL-2.0
"""Exo-OS gdb helpers (scripts/gdb/exo-gdb.py loads them)."""
