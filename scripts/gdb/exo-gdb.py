# SPDX-License-Identifier: GPL-2.0
#
# Exo-OS gdb helpers: `source scripts/gdb/exo-gdb.py` (make gdb does it)
# adds the lx-* commands; `help user-defined` lists them.  See
# Documentation/debugging.rst.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import exo.utils        # noqa: E402,F401
import exo.symbols      # noqa: E402,F401
import exo.dmesg        # noqa: E402,F401
import exo.tasks        # noqa: E402,F401
import exo.cpus         # noqa: E402,F401
import exo.mm           # noqa: E402,F401
