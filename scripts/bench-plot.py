#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Plots of a `make bench` run, drawn by gnuplot as SVG.

    bench-plot.py GUEST_TABLE_MD OUTDIR
    bench-plot.py selftest

From the guest table scripts/bench-table.py wrote (guest-table.md), draws
OUTDIR/bench-vs-linux.svg: for every benchmark with a Linux 6.1 figure of
the same API, Exo's and Linux's instructions per operation as bars side by
side on a logarithmic axis.  Prints the files it wrote.
"""
import os
import re
import subprocess
import sys
import tempfile

ROW = re.compile(r"^\| `([^`]+)` \| (?:[^|\\]|\\.)* \| ([0-9.]+) \|.*\| ([0-9.]+) \(`[^`]+`\) "
                 r"\| [0-9.]+ \|$")


def read_pairs(path):
    """[(benchmark, exo, linux)] of the rows that have a Linux figure."""
    pairs = []
    with open(path) as f:
        for line in f:
            m = ROW.match(line.strip())
            if m:
                pairs.append((m.group(1), float(m.group(2)), float(m.group(3))))
    return pairs


def gnuplot_script(data, svg, n):
    return f"""set terminal svg size {max(640, 60 * n + 160)},480 dynamic background '#ffffff'
set output '{svg}'
set title 'Guest instructions per operation (QEMU -icount): Exo-OS and Linux 6.1, same API'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [1:*]
set ylabel 'instructions per operation (log scale)'
set xtics rotate by -40 left noenhanced
set key top left
set grid ytics
plot '{data}' using 2:xtic(1) title 'Exo-OS' lc rgb '#1f77b4', \\
     '' using 3 title 'Linux 6.1' lc rgb '#d62728'
"""


def plot(table, outdir):
    pairs = read_pairs(table)
    if not pairs:
        sys.exit(f"bench-plot.py: no row with a Linux figure in {table}")
    os.makedirs(outdir, exist_ok=True)
    data = os.path.join(outdir, "bench-vs-linux.dat")
    svg = os.path.join(outdir, "bench-vs-linux.svg")
    with open(data, "w") as f:
        for name, exo, lin in pairs:
            f.write(f"{name} {exo} {lin}\n")
    subprocess.run(["gnuplot"], input=gnuplot_script(data, svg, len(pairs)), text=True,
                   check=True)
    print(svg)
    return svg


def selftest():
    """make check: the rows with a Linux figure are read, the SVG drawn."""
    table = """| benchmark | what | instr/op | p10..p90 | mean | ticks / irqs | Linux 6.1 (same API) | ratio |
|---|---|---:|---:|---:|---:|---:|---:|
| `kmalloc64_pair` | kmalloc(64)+kfree \\| inlined | 29.81 | 29.81 | 29.81 | 0 / 0 | 272.9 (`kmalloc64_pair`) | 0.109 |
| `page_frame_pair` | alloc_frame+free_frame | 61.40 | 61.40..61.90 | 61.45 | 2 / 3 |  |  |
"""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "t.md")
        with open(path, "w") as f:
            f.write(table)
        pairs = read_pairs(path)
        ok = pairs == [("kmalloc64_pair", 29.81, 272.9)]
        if ok:
            svg = plot(path, d)
            ok = "<svg" in open(svg).read()
    print(f"bench-plot selftest: {'ok' if ok else 'FAILED'}")
    return 0 if ok else 1


def main():
    if sys.argv[1:] == ["selftest"]:
        return selftest()
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    plot(sys.argv[1], sys.argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
