#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Structural rows of `make bench`: atomic RMWs and shared-line stores.

Under -icount an atomic read-modify-write (`lock bts`, `xchg` with memory)
counts as one instruction, and a store to a cache line that other CPUs
also write costs nothing more than a store to a private one: the guest
figures cannot show either.  This script counts both from the disassembly
of each fast path of vmlinux, so that every `make bench` re-checks them:

    scripts/bench-atomics.py [--objdump OBJDUMP] [-v] vmlinux

Which instructions form the fast path.  From the entry of the function
(or of each function of a pair, in order), the walk takes the
fall-through of every conditional branch, follows unconditional jumps and
tail calls, descends into direct calls and comes back at their `ret`.
The compilers lay the likely successor out as the fall-through
(`likely()`/`unlikely()`, and the cold blocks moved to `.cold` or the end
of the function), so this is the hit path; a path that revisits an
instruction is reported as a loop and cut there.  The number of
instructions walked is printed beside the counts, to be compared with the
row's instructions per operation under -icount: where they agree the walk
took the path the benchmark takes.  A `?` after it: no loop-free path was
found within MAX_WALKS walks (the counts are then those of the last one).

Atomic RMW: any `lock`-prefixed instruction, and `xchg` with a memory
operand (locked by the CPU without the prefix).

Stores to shared cache lines.  A store is an instruction whose last AT&T
operand is memory (mov, arithmetic, set*, ...; push and call write the
stack and are local).  Each register carries one of these tags, tracked
along the walked path:
  cpu    per-CPU data: made by adding a %gs: offset (this_cpu_ptr()), or
         loaded from one of the %gs: variables of LOCAL_PERCPU, whose value
         points at this CPU's (or the running thread's) own data; kept
         through mov/lea/arithmetic.  A pointer loaded from any other %gs:
         variable (`current`) is `other`: its target may be shared;
  owned  loaded through a `cpu` pointer: an object on this CPU's own
         free list (only this CPU holds it until it hands it out);
  arg    an argument register at the path's entry: memory the caller
         owns (the object it frees, its out-parameter);
  stack  %rsp/%rbp;
  other  anything else (a global, a pointer read from shared memory).
A store through %gs:, `cpu`, `owned`, `arg` or `stack` is local; a store
through a %rip-relative address (a global) or an `other` register is
counted as a store to a shared line.  The heuristic errs towards shared:
an unknown base counts.  It cannot see false sharing of an object's line
with a neighbour that another CPU holds (`arg`/`owned` stores), which is
inherent to intrusive free lists.
"""
import argparse
import bisect
import re
import struct
import subprocess
import sys

# The fast paths: (row, [functions in call order], argument registers
# holding caller-owned memory, argument values known to the row, which
# resolve the jump tables of switches on them).
# --check fails when a row of ZERO shows an atomic RMW or a shared-line
# store, or when a row's functions are missing.
# `pair` is mm/slab_bench.c's loop with kmalloc()/kfree() inlined: the
# built-in path, one pass round the loop per operation.
PATHS = [
    ("kmalloc(64)+kfree, built in (inlined)", ["pair"], (), {"%rsi": 64}),
    ("kmalloc(64)+kfree, module (exported)", ["kmalloc", "kfree"], ("%rdi",), {"%rdi": 64}),
    ("kmalloc(2048)+kfree, tier 2", ["kmalloc", "kfree"], ("%rdi",), {"%rdi": 2048}),
    ("kmalloc(16384)+kfree, tier 3", ["kmalloc", "kfree"], ("%rdi",), {"%rdi": 16384}),
    ("alloc_frame+free_frame", ["alloc_frame", "free_frame"], ("%rdi",), {}),
    # alloc_pages(gfp, 0)/__free_pages(page, 0) with a constant order, as
    # alloc_page()/__free_page() and the page_order0_pair bench write
    # them, compile to these (<exo/page_alloc.h>).
    ("alloc_pages+__free_pages, order 0", ["alloc_pages_order0", "__free_pages_order0"],
     ("%rdi",), {}),
    ("map_page+unmap_page 4 KiB", ["map_page", "unmap_page"], (), {}),
    ("translate (cache hit)", ["translate"], ("%rsi",), {}),
]

# Walks tried (each backing up to the last branch) before giving up.
MAX_WALKS = 200

# The ZERO rows and the instructions their walk may take: a count outside
# the range means the walk went somewhere else than the fast path.
ZERO = {
    "kmalloc(64)+kfree, built in (inlined)": (12, 60),
    "kmalloc(64)+kfree, module (exported)": (12, 60),
}

# Per-CPU variables whose value points at local data: this CPU's area
# base, and the running thread's own tier-1 cache.
LOCAL_PERCPU = ("this_cpu_off", "slab_cur_cache")

ARG_REGS = ("%rdi", "%rsi", "%rdx", "%rcx", "%r8", "%r9")
CALLER_SAVED = ("%rax", "%rcx", "%rdx", "%rsi", "%rdi", "%r8", "%r9", "%r10", "%r11")
REG64 = {}
for r in "abcd":
    for n in (f"%r{r}x", f"%e{r}x", f"%{r}x", f"%{r}l"):
        REG64[n] = f"%r{r}x"
for r in ("si", "di", "bp", "sp"):
    for n in (f"%r{r}", f"%e{r}", f"%{r}", f"%{r}l"):
        REG64[n] = f"%r{r}"
for i in range(8, 16):
    for n in (f"%r{i}", f"%r{i}d", f"%r{i}w", f"%r{i}b"):
        REG64[n] = f"%r{i}"

LINE = re.compile(r"^\s*([0-9a-f]+):\s+(.*)$")
FUNC = re.compile(r"^([0-9a-f]+) <([^>]+)>:$")
TARGET = re.compile(r"^([0-9a-f]+)(?: <([^>+]+)(\+0x[0-9a-f]+)?>)?$")
MEM = re.compile(r"^(%[a-z]s:)?(-?0x[0-9a-f]+|-?\d+)?(\(([^)]*)\))?$")


def disassemble(objdump, vmlinux):
    """Return {addr: (mnemonic, operands)} and {name: addr} of the image."""
    insns, syms = {}, {}
    out = subprocess.run([objdump, "-d", "--no-show-raw-insn", "-M", "att", vmlinux],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            syms.setdefault(m.group(2), int(m.group(1), 16))
            continue
        m = LINE.match(line)
        if not m:
            continue
        text = m.group(2).split("#")[0].strip()
        if not text or text.startswith("(bad)"):
            continue
        parts = text.split(None, 1)
        if parts[0] in ("lock", "rep", "repz", "repnz", "notrack", "bnd", "ds", "cs"):
            sub = parts[1].split(None, 1) if len(parts) > 1 else [""]
            mnem = parts[0] + " " + sub[0]
            ops = sub[1] if len(sub) > 1 else ""
        else:
            mnem, ops = parts[0], parts[1] if len(parts) > 1 else ""
        insns[int(m.group(1), 16)] = (mnem, ops.strip())
    return insns, syms


def percpu_offsets(nm, vmlinux, names):
    """The %gs: offsets of the per-CPU variables @names."""
    out = subprocess.run([nm, vmlinux], capture_output=True, text=True, check=True).stdout
    offs = set()
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[2] in names:
            offs.add(int(f[0], 16))
    return offs


def read_sections(vmlinux):
    """[(addr, size, file offset)] of the image's PROGBITS sections (jump tables)."""
    with open(vmlinux, "rb") as f:
        data = f.read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3a)
    secs = []
    for i in range(shnum):
        _, typ, _, addr, off, size = struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)
        if typ == 1 and addr:
            secs.append((addr, size, off))
    return data, secs


def read_u64(image, addr):
    data, secs = image
    for a, size, off in secs:
        if a <= addr < a + size - 7:
            return struct.unpack_from("<Q", data, off + addr - a)[0]
    return None


def split_ops(ops):
    out, depth, cur = [], 0, ""
    for ch in ops:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def is_mem(op):
    return not op.startswith("%") and not op.startswith("$") and ("(" in op or ":" in op)


def mem_base(op):
    """(segment, base register or 'rip', index) of a memory operand."""
    m = MEM.match(op)
    if not m:
        return None, None, None
    seg = m.group(1)
    inner = m.group(4) or ""
    regs = [r.strip() for r in inner.split(",")] if inner else []
    base = regs[0] if regs and regs[0] else None
    if base == "%rip":
        base = "rip"
    elif base:
        base = REG64.get(base, base)
    index = REG64.get(regs[1], regs[1]) if len(regs) > 1 and regs[1] else None
    return seg, base, index


NO_STORE = ("push", "call", "cmp", "test", "bt", "nop", "prefetch", "clflush", "lea", "jmp",
            "invlpg", "lgdt", "lidt")


class Walk:
    """One fast path: the walked instructions and what each one does."""

    def __init__(self, insns, addrs, image, verbose, local_percpu=frozenset()):
        self.insns, self.addrs, self.image, self.verbose = insns, addrs, image, verbose
        self.local_percpu = local_percpu
        self.backtracked = False	# a walk gave up and backed up to a branch
        self.cycle_head = None		# (addr, call depth) of the loop head
        self.path = []		# (addr, text, is_atomic, store class or None)
        self.notes = []
        self.cycle = None	# index of the loop head when the walk closed a loop
        self.flags = None	# (a, b) of a `cmp $b, reg` whose reg holds a known a

    def tag_of(self, tags, reg):
        if reg in ("%rsp", "%rbp"):
            return "stack"
        return tags.get(reg, "other")

    def store_class(self, tags, op):
        seg, base, _ = mem_base(op)
        if seg == "%gs:":
            return "cpu"
        if base == "rip" or base is None:
            return "other"
        return self.tag_of(tags, base)

    def step(self, addr, mnem, ops, tags, consts):
        """Account one instruction; update the register tags and constants."""
        plain = mnem.split()[-1]
        operands = split_ops(ops)
        atomic = mnem.startswith("lock ") or \
            (plain.startswith("xchg") and any(is_mem(o) for o in operands))
        store = None
        if operands and is_mem(operands[-1]) and not plain.startswith(NO_STORE) \
                and not plain.startswith("j") and not plain.startswith("ret"):
            store = self.store_class(tags, operands[-1])
        self.path.append((addr, f"{mnem} {ops}".strip(), atomic, store))
        if plain.startswith(("cmp", "test", "sub", "and", "add")) or store or \
                (operands and REG64.get(operands[-1])):
            self.flags = None
        if plain.startswith("cmp") and len(operands) == 2 and operands[0].startswith("$") \
                and REG64.get(operands[1]) in consts:
            self.flags = (consts[REG64[operands[1]]], int(operands[0][1:], 0))
        if not operands:
            return
        dst = REG64.get(operands[-1])
        if not dst or plain.startswith(("cmp", "test", "bt", "push")):
            return
        src = operands[0] if len(operands) > 1 else None
        consts.pop(dst, None)
        if plain.startswith("lea"):
            _, base, _ = mem_base(src)
            tags[dst] = self.tag_of(tags, base) if base and base != "rip" else "other"
        elif plain.startswith("mov") and src:
            if src.startswith("%gs:"):
                m = MEM.match(src)
                disp = int(m.group(2), 0) if m and m.group(2) else 0
                tags[dst] = "cpu" if disp in self.local_percpu else "other"
            elif REG64.get(src):
                tags[dst] = self.tag_of(tags, REG64[src])
                if REG64[src] in consts:
                    consts[dst] = consts[REG64[src]]
            elif is_mem(src):
                seg, base, _ = mem_base(src)
                tags[dst] = "owned" if base and base != "rip" and \
                    self.tag_of(tags, base) == "cpu" else "other"
            else:
                tags[dst] = "other"
                if src.startswith("$"):
                    consts[dst] = int(src[1:], 0)
        elif plain.startswith("add") and src and src.startswith("%gs:"):
            tags[dst] = "cpu"
        elif plain.startswith("xor") and src == operands[-1]:
            tags[dst] = "other"
            consts[dst] = 0
        elif plain.startswith(("add", "sub", "and", "or", "shl", "shr", "sar", "not", "neg",
                               "inc", "dec", "xor")):
            pass  # pointer arithmetic keeps the tag
        else:
            tags[dst] = "other"

    def known_branch(self, plain):
        """Whether a branch on the flags of a compare of known values is taken."""
        if self.flags is None:
            return None
        a, b = self.flags
        ops = {"ja": a > b, "jae": a >= b, "jb": a < b, "jbe": a <= b, "je": a == b,
               "jne": a != b, "jz": a == b, "jnz": a != b, "jnb": a >= b, "jnc": a >= b,
               "jc": a < b, "jna": a <= b, "jnbe": a > b, "jnae": a < b}
        return ops.get(plain)

    def next_addr(self, addr):
        i = bisect.bisect_right(self.addrs, addr)
        return self.addrs[i] if i < len(self.addrs) else None

    def jump_table(self, ops, consts):
        """Target of `jmp *table(,%reg,8)` when %reg holds a known value."""
        m = re.match(r"^\*(-?0x[0-9a-f]+)\(,(%[a-z0-9]+),8\)$", ops)
        if not m or REG64.get(m.group(2)) not in consts:
            return None
        table = int(m.group(1), 16) & 0xffffffffffffffff
        return read_u64(self.image, table + 8 * consts[REG64[m.group(2)]])

    def run(self, entry, tags, consts, loop_row):
        """Walk from @entry to its `ret`.

        Takes the fall-through (or a backward branch) first; a walk that
        runs into a loop in a row that is not a benchmark loop (a spin
        wait after a failed `lock cmpxchg`) backs up to the last
        conditional branch and takes its other side.
        """
        state = (entry, [], tags, consts, {}, len(self.path))
        alternatives = []
        notes = len(self.notes)
        for _ in range(MAX_WALKS):
            del self.notes[notes:]	# only the last walk's notes
            ok = self.walk(state, alternatives, loop_row)
            if ok or not alternatives:
                return ok
            state = alternatives.pop()
            del self.path[state[5]:]
            self.cycle = None
            self.backtracked = True
        return False

    def walk(self, state, alternatives, loop_row):
        addr, stack, tags, consts, visited, _ = state
        stack, tags, consts, visited = list(stack), dict(tags), dict(consts), dict(visited)
        while True:
            if addr not in self.insns:
                self.notes.append(f"left the disassembly at {addr:x}")
                return False
            if addr in visited:
                self.cycle, depth = visited[addr]
                self.cycle_head = (addr, depth)
                return loop_row
            visited[addr] = (len(self.path), len(stack))
            mnem, ops = self.insns[addr]
            if self.verbose:
                print(f"    {'  ' * len(stack)}{addr:x}: {mnem} {ops}", file=sys.stderr)
            self.step(addr, mnem, ops, tags, consts)
            plain = mnem.split()[-1]
            nxt = self.next_addr(addr)
            if plain.startswith("ret"):
                if not stack:
                    return True
                addr = stack.pop()
                for r in CALLER_SAVED:
                    tags[r] = "other"
                    consts.pop(r, None)
                continue
            if plain.startswith("j") and not plain.startswith("jmp"):
                m = TARGET.match(ops)
                tgt = int(m.group(1), 16) if m else None
                # A backward branch closes a loop: the loop runs again.
                first, other = (tgt, nxt) if tgt is not None and tgt < addr else (nxt, tgt)
                taken = self.known_branch(plain)
                if taken is not None:
                    first, other = (tgt, None) if taken else (nxt, None)
                if other is not None and not loop_row:
                    alternatives.append((other, stack, tags, consts, visited, len(self.path)))
                addr = first
                continue
            if plain.startswith("jmp") or plain.startswith("call"):
                if ops.startswith("*"):
                    tgt = self.jump_table(ops, consts)
                else:
                    m = TARGET.match(ops)
                    tgt = int(m.group(1), 16) if m else None
                if tgt is None:
                    self.notes.append(f"{plain} {ops} not followed")
                    return False
                if plain.startswith("call"):
                    if len(stack) > 8:
                        self.notes.append("call depth cut")
                        return False
                    stack.append(nxt)
                addr = tgt
                continue
            if nxt is None:
                return False
            addr = nxt


def zero_row_problems(w, path, funcs, syms, ends, expect):
    """Why the walk of a ZERO row does not prove the fast path (or [])."""
    bad = []
    if w.backtracked:
        bad.append("the walk backtracked: not the straight fast path")
    if funcs == ["pair"]:
        start = syms["pair"]
        i = bisect.bisect_right(ends, start)
        end = ends[i] if i < len(ends) else float("inf")
        if w.cycle_head is None:
            bad.append("no benchmark loop closed")
        elif w.cycle_head[1] or not start <= w.cycle_head[0] < end:
            bad.append(f"loop head {w.cycle_head[0]:x} (call depth {w.cycle_head[1]}) "
                       f"not in pair's own loop")
    if any(t.split()[0].startswith("call") for _, t, _, _ in path):
        bad.append("a call on the path: not inlined")
    if not expect[0] <= len(path) <= expect[1]:
        bad.append(f"{len(path)} instructions walked, expected {expect[0]}..{expect[1]}")
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("vmlinux")
    ap.add_argument("--objdump", default="objdump")
    ap.add_argument("--nm", default="nm")
    ap.add_argument("--md", action="store_true", help="a Markdown table")
    ap.add_argument("--check", action="store_true",
                    help="fail when a ZERO row is not zero or a function is missing")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the walked paths")
    args = ap.parse_args()
    insns, syms = disassemble(args.objdump, args.vmlinux)
    addrs = sorted(insns)
    image = read_sections(args.vmlinux)
    local_percpu = percpu_offsets(args.nm, args.vmlinux, LOCAL_PERCPU)
    ends = sorted(syms.values())
    if args.md:
        print("| fast path (functions walked) | instructions walked | atomic RMW "
              "| stores to shared lines | local stores | which |")
        print("|---|---:|---:|---:|---:|---|")
    else:
        print(f"{'fast path':40} {'insns':>5} {'atomic RMW':>10} {'shared-line stores':>18} "
              f"{'local stores':>12}  which")
    failed = 0
    for row, funcs, argregs, consts0 in PATHS:
        missing = [f for f in funcs if f not in syms]
        failed += bool(missing)
        w = Walk(insns, addrs, image, args.verbose, local_percpu)
        incomplete = False
        for f in funcs:
            if f in missing:
                continue
            tags = {r: ("arg" if r in argregs else "other") for r in ARG_REGS}
            if args.verbose:
                print(f"  {row}: {f}", file=sys.stderr)
            if not w.run(syms[f], tags, dict(consts0), funcs == ["pair"]):
                w.notes.append(f"no loop-free path through {f}: the counts are of the "
                               f"last walk tried")
                incomplete = True
        # A benchmark loop: one pass round the loop is one operation.
        path = w.path[w.cycle:] if w.cycle is not None and funcs == ["pair"] else w.path
        atomics = [f"{a:x}: {t}" for a, t, at, _ in path if at]
        shared = [f"{a:x}: {t}" for a, t, _, st in path if st == "other"]
        local = sum(1 for _, _, _, st in path if st not in (None, "other"))
        if row in ZERO:
            bad = zero_row_problems(w, path, funcs, syms, ends, ZERO[row])
            w.notes += bad
            if atomics or shared or incomplete or bad:
                failed += 1
        walked = f"{len(path)}{'?' if incomplete else ''}"
        which = "; ".join([f"no symbol {m}" for m in missing] + w.notes +
                          [f"RMW `{x}`" for x in atomics] + [f"store `{x}`" for x in shared])
        if args.md:
            print(f"| {row} (`{'`, `'.join(funcs)}`) | {walked} | {len(atomics)} "
                  f"| {len(shared)} | {local} | {which.replace('|', '/')} |")
        else:
            print(f"{row:40} {walked:>5} {len(atomics):10d} {len(shared):18d} {local:12d}  "
                  f"{which.replace('`', '')}")
    if args.check and failed:
        print(f"bench-atomics: FAILED: {failed} row(s) with a missing function or not zero")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
