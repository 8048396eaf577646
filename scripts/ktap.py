#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check a KTAP v1 log from an Exo-OS test boot.

usage: ktap.py <log> [--expect-suites N] [--name LABEL]

Prints one line per failed/missing item and a summary
  <LABEL>: N passed, M failed, K skipped
and exits non-zero when anything failed or is missing: a suite plan that
does not match its results, fewer suites than expected, no final summary
line (hang or crash), or a kernel panic/oops in the log.
"""
import re
import sys


def main():
    args = sys.argv[1:]
    path = args[0]
    expect = None
    name = "ktest"
    if "--expect-suites" in args:
        expect = int(args[args.index("--expect-suites") + 1])
    if "--name" in args:
        name = args[args.index("--name") + 1]
    with open(path, errors="replace") as f:
        lines = [l.rstrip("\r\n") for l in f]

    passed = failed = skipped = 0
    problems = []
    top_plan = None
    suites = 0
    suite = None
    suite_plan = 0
    suite_results = 0
    summary = False
    for line in lines:
        # strip the printk timestamp
        line = re.sub(r"^\[\s*\d+\.\d+\] ", "", line)
        m = re.match(r"^1\.\.(\d+)$", line)
        if m and top_plan is None:
            top_plan = int(m.group(1))
            continue
        m = re.match(r"^    # Subtest: (\S+)", line)
        if m:
            suite, suite_results = m.group(1), 0
            continue
        m = re.match(r"^    1\.\.(\d+)$", line)
        if m:
            suite_plan = int(m.group(1))
            continue
        m = re.match(r"^    (not )?ok (\d+) (\S+)(.*)$", line)
        if m:
            suite_results += 1
            if m.group(1):
                failed += 1
                problems.append("FAIL %s.%s" % (suite, m.group(3)))
            elif "# SKIP" in m.group(4):
                skipped += 1
            else:
                passed += 1
            continue
        m = re.match(r"^(not )?ok (\d+) (\S+)", line)
        if m:
            suites += 1
            if suite_results != suite_plan:
                failed += 1
                problems.append("MISSING %s: planned %d cases, saw %d" %
                                (m.group(3), suite_plan, suite_results))
            continue
        if line.startswith("# ktest:"):
            summary = True
        if "Kernel panic" in line or line.startswith("Oops:"):
            problems.append("PANIC: " + line)
    if top_plan is None:
        problems.append("no KTAP plan in the log (kernel did not reach the tests)")
        failed += 1
    elif suites != top_plan:
        problems.append("MISSING suites: planned %d, finished %d" % (top_plan, suites))
        failed += 1
    if expect is not None and top_plan is not None and top_plan != expect:
        problems.append("MISSING suites: kernel has %d, KTAP planned %d" % (expect, top_plan))
        failed += 1
    if not summary:
        problems.append("no final '# ktest:' line (hang, crash or timeout)")
        failed += 1
    if any(p.startswith("PANIC") for p in problems):
        failed += 1
    for p in problems:
        print("  %s: %s" % (name, p))
    print("%s: %d passed, %d failed, %d skipped" % (name, passed, failed, skipped))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
