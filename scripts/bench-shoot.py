#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Shootdown cost against CPU count, from make bench's -icount SMP boots.

    bench-shoot.py OUTDIR LOG...
    bench-shoot.py selftest

Each LOG is the serial log of one `bench=vm_shoot` boot (mm/tlb_bench.c)
at some -smp N.  Prints a Markdown table (CPUs, pages, the initiator's own
instructions per unmap_range, the other CPUs' instructions while it
waited, IPIs and rounds per operation), then the goal line (initiator at
64 CPUs <= 4x at 4, for each size both were measured at), and draws
OUTDIR/shootdown-vs-cpus.svg with gnuplot (one line per size, log-log).
The SVG's path goes to stderr.  Exit status 0 even if the goal is missed:
the table says so.
"""
import os
import re
import subprocess
import sys
import tempfile

BENCH = re.compile(r"bench (vm_shoot_(\d+)) +([0-9.]+) instr/op")
STATS = re.compile(r"bench: shoot (\d+) pages (\d+) CPUs: (\d+) IPIs/op, (\d+) rounds/op, "
                   r"others (\d+) ticks/op")


def read_logs(paths):
    """{(cpus, pages): (initiator, others, ipis, rounds)}."""
    rows = {}
    for path in paths:
        stats, med = {}, {}
        with open(path, errors="replace") as f:
            for line in f:
                m = STATS.search(line)
                if m:
                    pages, cpus = int(m.group(1)), int(m.group(2))
                    stats[pages] = (cpus, int(m.group(5)), int(m.group(3)), int(m.group(4)))
                m = BENCH.search(line)
                if m:
                    med[int(m.group(2))] = float(m.group(3))
        for pages, (cpus, others, ipis, rounds) in stats.items():
            if pages in med:
                rows[(cpus, pages)] = (med[pages], others, ipis, rounds)
    return rows


def table(rows):
    out = ["| CPUs | pages | initiator instr/op | others' instr/op | IPIs/op | rounds/op |",
           "|---:|---:|---:|---:|---:|---:|"]
    for (cpus, pages) in sorted(rows):
        ini, others, ipis, rounds = rows[(cpus, pages)]
        out.append(f"| {cpus} | {pages} | {ini:.2f} | {others} | {ipis} | {rounds} |")
    out.append("")
    for pages in sorted({p for (_, p) in rows}):
        if (4, pages) in rows and (64, pages) in rows:
            r = rows[(64, pages)][0] / rows[(4, pages)][0]
            out.append(f"- {pages} page(s): initiator at 64 CPUs / at 4 = {r:.2f} "
                       f"(goal <= 4: {'met' if r <= 4 else 'NOT met'})")
        else:
            out.append(f"- {pages} page(s): no 4- and 64-CPU pair measured")
    return "\n".join(out) + "\n"


def plot(rows, outdir):
    os.makedirs(outdir, exist_ok=True)
    svg = os.path.join(outdir, "shootdown-vs-cpus.svg")
    sizes = sorted({p for (_, p) in rows})
    plots = []
    for pages in sizes:
        data = os.path.join(outdir, f"shootdown-{pages}.dat")
        with open(data, "w") as f:
            for (cpus, p) in sorted(rows):
                if p == pages:
                    f.write(f"{cpus} {rows[(cpus, p)][0]}\n")
        plots.append(f"'{data}' using 1:2 with linespoints pt 7 title '{pages} page(s)'")
    script = f"""set terminal svg size 720,480 dynamic background '#ffffff'
set output '{svg}'
set title 'unmap\\_range: initiator instructions per operation against CPU count (QEMU -icount)'
set logscale xy
set xtics (1, 2, 4, 8, 16, 32, 64)
set xrange [0.8:80]
set xlabel 'CPUs holding the address space (-smp N)'
set ylabel 'initiator instructions per unmap\\_range'
set key top left
set grid
plot {", ".join(plots)}
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    return svg


def selftest():
    """make check: the log lines are read, the goal line computed, the SVG drawn."""
    logs = {
        4: "[ 0.07] bench: shoot 1 pages 4 CPUs: 3 IPIs/op, 1 rounds/op, others 1901 ticks/op, "
           "over 496 ops\n[ 0.07] bench vm_shoot_1     2576.68 instr/op  p10=1\n",
        64: "[ 0.2] bench: shoot 1 pages 64 CPUs: 63 IPIs/op, 1 rounds/op, others 41000 ticks/op, "
            "over 496 ops\n[ 0.2] bench vm_shoot_1     11000.00 instr/op  p10=1\n",
    }
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for cpus, text in logs.items():
            paths.append(os.path.join(d, f"shoot-smp{cpus}.log"))
            with open(paths[-1], "w") as f:
                f.write(text)
        rows = read_logs(paths)
        t = table(rows)
        ok = rows == {(4, 1): (2576.68, 1901, 3, 1), (64, 1): (11000.0, 41000, 63, 1)}
        ok = ok and "= 4.27 (goal <= 4: NOT met)" in t and "| 64 | 1 | 11000.00 | 41000 | 63 | 1 |" in t
        if ok:
            ok = "<svg" in open(plot(rows, d)).read()
    print(f"bench-shoot selftest: {'ok' if ok else 'FAILED'}")
    return 0 if ok else 1


def main():
    if sys.argv[1:] == ["selftest"]:
        return selftest()
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    rows = read_logs(sys.argv[2:])
    if not rows:
        sys.exit("bench-shoot.py: no vm_shoot result in the logs")
    sys.stdout.write(table(rows))
    try:
        print(plot(rows, sys.argv[1]), file=sys.stderr)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"bench-shoot.py: no plot: {e}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
