#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""check-kunit-parse.py <log> <workdir>: Linux's KTAP parser on a ktest boot.
check-kunit-parse.py --unpack <workdir>: only unpack the tool (make check
does it beside the builds, so the parse after the boot takes a second).

Feeds the serial log of a full ktest boot, as it is, to
tools/testing/kunit/kunit.py parse from Debian's linux-source-6.1 (the
tarball in /usr/src, unpacked once into <workdir>: only the kunit tool),
which strips the console's timestamps itself.  Checks: the parse succeeds
with no errors (a crashed or unparsable test is one), every case kunit.py
finds is in its JSON, and its pass/fail/skip counts equal scripts/ktap.py's.
Prints one line per check, exits with the number that failed.
"""
import json
import os
import re
import subprocess
import sys

TARBALL = "/usr/src/linux-source-6.1.tar.xz"
TOP = "linux-source-6.1"
KUNIT = "tools/testing/kunit"

failed = 0


def check(what, good, detail=""):
    global failed
    failed += not good
    print("%s: %s%s" % ("ok" if good else "FAILED", what, "" if good else " (%s)" % detail))


def kunit_tool(workdir):
    """The unpacked kunit tool (unpacked on first use), or None."""
    tool = os.path.join(workdir, TOP, KUNIT, "kunit.py")
    if os.path.exists(tool):
        return tool
    if not os.path.exists(TARBALL):
        check("linux-source-6.1 installed", False, "no %s: scripts/deps.sh kunit" % TARBALL)
        return None
    os.makedirs(workdir, exist_ok=True)
    rc = subprocess.call(["tar", "-xJf", TARBALL, "-C", workdir, "--wildcards",
                          "%s/%s/*" % (TOP, KUNIT)])
    check("kunit tool unpacked from %s" % TARBALL, rc == 0 and os.path.exists(tool),
          "tar exit status %d" % rc)
    return tool if os.path.exists(tool) else None


def leaf_counts(group, counts):
    for sub in group.get("sub_groups", []):
        leaf_counts(sub, counts)
    for case in group.get("test_cases", []):
        counts[case["status"]] = counts.get(case["status"], 0) + 1
    return counts


def main():
    if sys.argv[1] == "--unpack":
        tool = kunit_tool(os.path.abspath(sys.argv[2]))
        check("kunit tool in %s" % sys.argv[2], tool is not None, "not unpacked")
        return failed
    # Absolute: kunit.py changes to the kernel tree's root before it reads.
    log, workdir = (os.path.abspath(a) for a in sys.argv[1:3])
    tool = kunit_tool(workdir)
    if not tool:
        return failed
    out_json = os.path.join(workdir, "kunit.json")
    if os.path.exists(out_json):
        os.remove(out_json)     # an earlier run's must not stand in for this one's
    p = subprocess.run([sys.executable, tool, "parse", "--json=" + out_json, log],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # The JSON goes to the file, the report to stdout: keep it for the log.
    report = p.stdout
    sys.stdout.write(report)
    check("kunit.py parse exit status 0", p.returncode == 0, "exit status %d" % p.returncode)
    m = re.search(r"Ran (\d+) tests: (.*)", report)
    check("kunit.py summary line", m is not None, "none")
    if m:
        errs = re.search(r"errors: (\d+)", m.group(2))
        check("kunit.py found no errors", errs is None, m.group(0))
    try:
        with open(out_json) as f:
            got = leaf_counts(json.load(f), {})
    except (OSError, ValueError) as e:
        check("kunit.py JSON", False, str(e))
        return failed
    ktap = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "ktap.py"),
                           log, "--name", "ktest"], stdout=subprocess.PIPE, text=True).stdout
    m = re.search(r"^ktest: (\d+) passed, (\d+) failed, (\d+) skipped", ktap, re.M)
    check("scripts/ktap.py summary line", m is not None, ktap[-200:])
    if not m:
        return failed
    want = {"PASS": int(m.group(1)), "FAIL": int(m.group(2)), "SKIP": int(m.group(3))}
    for status in ("PASS", "FAIL", "SKIP"):
        check("%s cases: kunit.py %d, ktap.py %d" % (status, got.get(status, 0), want[status]),
              got.get(status, 0) == want[status], "counts differ")
    other = {k: v for k, v in got.items() if k not in want}
    check("no case in another state", not other, str(other))
    return failed


if __name__ == "__main__":
    sys.exit(main())
