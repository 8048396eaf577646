#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""check-docs.py <src> <build dir> <work dir>: every example in the
documentation is compiled or checked.

Looks at README.md and Documentation/**/*.rst|md.  Every literal block must
say what it is: in reStructuredText ``.. code-block:: <language>`` (a bare
``::`` block is refused), in Markdown the fence's info string.  Languages:

  c       compiled as a translation unit against the tree's headers with the
          kernel's flags (taken from the configured <build dir>, so its
          autoconf.h), once built in and once as a module (-DMODULE), and
          checked by sparse; unused static functions or data are allowed
          (an example shows one piece)
  make    a Kbuild fragment: make must parse it
  shell   (or sh, console) bash -n; every "make <target>" must name a target
          of the Makefile it uses (-f file), every scripts/... command must
          exist and be executable
  text    not code (output, a diagram, kernel shell commands): not checked

``.. literalinclude:: file`` includes a file of the tree: it must exist, and
a .c file is compiled like a c block.  One line per failure and a summary;
the exit status is the number of failures.
"""
import glob
import os
import re
import shlex
import subprocess
import sys

src, build, work = (os.path.abspath(a) for a in sys.argv[1:4])
os.makedirs(work, exist_ok=True)
failures = []
counts = {}


def fail(where, msg):
    failures.append(where)
    print(f"  docs: {where}: {msg}")


def make_db(args):
    """Variables and targets of a makefile, from make's database (-p)."""
    p = subprocess.run(['make', '-C', src, '-pRrq'] + args, capture_output=True, text=True)
    targets, variables = set(), {}
    for line in p.stdout.splitlines():
        m = re.match(r'^([A-Za-z0-9_.%-]+):(?:\s|$)', line)
        if m:
            targets.add(m.group(1))
        m = re.match(r'^([A-Z_]+) :?= (.*)$', line)
        if m:
            variables[m.group(1)] = m.group(2)
    return targets, variables


top_targets, top_vars = make_db(['O=' + build, 'help'])
makefile_targets = {'Makefile': top_targets}
cc = top_vars.get('CC', 'gcc')
cflags = shlex.split(top_vars.get('KBUILD_CFLAGS', ''))
checkflags = shlex.split(top_vars.get('CHECKFLAGS', ''))
if not cflags:
    fail('setup', f'no KBUILD_CFLAGS from make -C {src} O={build}')
# Every object gets a KBUILD_MODNAME (scripts/Makefile.build), built in too.
example_flags = ['-Wno-unused-function', '-Wno-unused-variable', '-Wno-unused-const-variable',
                 '-DKBUILD_MODNAME="docexample"']


def check_c(where, path):
    name = os.path.basename(path)
    runs = [('built in', [cc] + cflags + example_flags),
            ('module', [cc] + cflags + example_flags +
             ['-DMODULE']),
            ('sparse', ['sparse'] + checkflags + cflags + example_flags)]
    for what, cmd in runs:
        extra = [] if what == 'sparse' else ['-c', '-o', os.devnull]
        p = subprocess.run(cmd + extra + [path], capture_output=True, text=True)
        if p.returncode or p.stderr.strip():
            err = (p.stderr.strip().splitlines() or ['exit %d' % p.returncode])
            fail(where, f'C example ({what}) does not compile: ' +
                 '; '.join(e.replace(path, name) for e in err[:3]))
            return


def check_make(where, path):
    with open(path, 'a') as f:
        f.write('\n__docs_noop__:\n\t@:\n')
    p = subprocess.run(['make', '-s', '-f', path, '__docs_noop__'],
                       capture_output=True, text=True, cwd=work)
    if p.returncode:
        fail(where, 'Kbuild fragment does not parse: ' + p.stderr.strip().splitlines()[0])


def targets_of(makefile):
    if makefile not in makefile_targets:
        makefile_targets[makefile] = make_db(['-f', makefile, '__docs_noop__'])[0]
    return makefile_targets[makefile]


def check_shell(where, path, body):
    p = subprocess.run(['bash', '-n', path], capture_output=True, text=True)
    if p.returncode:
        fail(where, 'shell syntax: ' + p.stderr.strip().splitlines()[0])
        return
    for line in body.splitlines():
        line = re.sub(r'(^|\s)#.*', '', line).strip()
        for cmd in re.split(r'&&|;|\|\|', line):
            try:
                words = shlex.split(cmd.replace('|', ' | ') if cmd.lstrip().startswith('make')
                                    else cmd)
            except ValueError:
                words = cmd.split()
            while words and re.match(r'^[A-Z_]+=', words[0]):
                words.pop(0)
            if not words:
                continue
            if words[0] == 'make':
                # README notation: "make a | b | c" lists alternatives.
                words = [w for w in words[1:] if w != '|']
                makefile, targets, skip = 'Makefile', [], False
                for w in words:
                    if skip:
                        makefile, skip = w, False
                    elif w == '-f':
                        skip = True
                    elif w.startswith('-') or '=' in w or w.startswith('[') or w.startswith('<'):
                        continue
                    else:
                        targets.append(w)
                known = targets_of(makefile)
                for t in targets:
                    ok = t in known or any('%' in k and re.fullmatch(
                        re.escape(k).replace('%', '.*'), t) for k in known)
                    if not ok:
                        fail(where, f'"make {t}": no such target in {makefile}')
            elif words[0].startswith('scripts/'):
                script = os.path.join(src, words[0].split('|')[0])
                if not os.access(script, os.X_OK):
                    fail(where, f'{words[0]}: no such executable script')


def check_block(doc, line, lang, body):
    where = f'{os.path.relpath(doc, src)}:{line}'
    lang = {'sh': 'shell', 'console': 'shell', 'bash': 'shell', 'makefile': 'make'}.get(lang, lang)
    counts[lang] = counts.get(lang, 0) + 1
    base = os.path.join(work, re.sub(r'[^A-Za-z0-9]+', '-', where))
    if lang == 'text':
        return
    if lang not in ('c', 'make', 'shell'):
        fail(where, f'unknown block language "{lang}" (c, make, shell or text)')
        return
    path = base + {'c': '.c', 'make': '.mk', 'shell': '.sh'}[lang]
    with open(path, 'w') as f:
        f.write(body + '\n')
    {'c': lambda: check_c(where, path), 'make': lambda: check_make(where, path),
     'shell': lambda: check_shell(where, path, body)}[lang]()


def indented_block(lines, i):
    """The literal block after line i: (first line number, text, next i)."""
    j = i + 1
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j >= len(lines):
        return None
    indent = len(lines[j]) - len(lines[j].lstrip())
    if indent == 0:
        return None
    k, body = j, []
    while k < len(lines) and (not lines[k].strip() or
                              len(lines[k]) - len(lines[k].lstrip()) >= indent):
        body.append(lines[k][indent:] if lines[k].strip() else '')
        k += 1
    while body and not body[-1].strip():
        body.pop()
    return j + 1, '\n'.join(body), k


def scan_rst(doc):
    lines = open(doc).read().split('\n')
    i = 0
    while i < len(lines):
        s = lines[i].strip()
        m = re.match(r'^\.\. (?:code-block|code|sourcecode)::\s*(\S*)', s)
        inc = re.match(r'^\.\. literalinclude::\s*(\S+)', s)
        if m:
            # Skip the directive's options (":linenos:" ...).
            j = i + 1
            while j < len(lines) and re.match(r'^\s+:\w[\w-]*:', lines[j]):
                j += 1
            blk = indented_block(lines, j - 1)
            if blk:
                check_block(doc, blk[0], m.group(1) or 'text?', blk[1])
                i = blk[2]
                continue
        elif inc:
            where = f'{os.path.relpath(doc, src)}:{i + 1}'
            path = os.path.normpath(os.path.join(os.path.dirname(doc), inc.group(1)))
            counts['literalinclude'] = counts.get('literalinclude', 0) + 1
            if not os.path.isfile(path):
                fail(where, f'literalinclude {inc.group(1)}: no such file')
            elif path.endswith('.c'):
                check_c(where, path)
        elif s.endswith('::') and not s.startswith('..'):
            blk = indented_block(lines, i)
            if blk:
                fail(f'{os.path.relpath(doc, src)}:{blk[0]}',
                     'literal block without a language: use ".. code-block:: c|make|shell|text"')
                i = blk[2]
                continue
        i += 1


def scan_md(doc):
    lines = open(doc).read().split('\n')
    i = 0
    while i < len(lines):
        m = re.match(r'^(```+|~~~+)\s*(\S*)', lines[i])
        if m:
            fence, lang, start = m.group(1), m.group(2), i + 2
            j = i + 1
            while j < len(lines) and not lines[j].startswith(fence):
                j += 1
            body = '\n'.join(lines[i + 1:j])
            if not lang:
                fail(f'{os.path.relpath(doc, src)}:{start}',
                     'fenced block without a language: ```c|make|sh|text')
            else:
                check_block(doc, start, lang, body)
            i = j + 1
            continue
        i += 1


docs = [os.path.join(src, 'README.md')]
docs += sorted(glob.glob(os.path.join(src, 'Documentation', '**', '*.rst'), recursive=True))
docs += sorted(glob.glob(os.path.join(src, 'Documentation', '**', '*.md'), recursive=True))
for d in docs:
    (scan_md if d.endswith('.md') else scan_rst)(d)

summary = ', '.join(f'{n} {k}' for k, n in sorted(counts.items()))
print(f'docs: {len(docs)} documents, blocks: {summary}; {len(failures)} failed')
sys.exit(min(len(failures), 125))
