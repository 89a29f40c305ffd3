#!/usr/bin/env python3
"""run-pages.py - run the examples of every rule page (doc/rules/<id>.md) so a page
cannot drift from its rule. In a page:

    <!-- file: PATH -->           a file of both repositories (context)
    <!-- example fail: PATH -->   a file of the failing repository
    <!-- example pass: PATH -->   a file of the passing repository
    <!-- args: ARGS -->           more ssolint arguments for both runs (e.g. --now 2025-06-01);
                                  `args fail:` / `args pass:` for one of them
    <!-- symlink fail: PATH -> TARGET -->   a symbolic link in the failing repository
    <!-- fifo fail: PATH -->      a FIFO in the failing repository (`pass` for the other)

each followed by a fenced code block with the file's content. The failing repository must
draw at least one finding of the page's rule; the passing one none. ssolint runs with
--select ID --format gcc -q in a fresh directory holding the repository.
Usage: run-pages.py [ID...]   (SSOLINT, TOP_SRCDIR from the environment)"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

top = os.environ.get("TOP_SRCDIR") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ssolint = os.environ.get("SSOLINT") or os.path.join(top, "src", "ssolint")
wrapper = os.environ.get("SSOLINT_WRAPPER", "").split()
env = dict(os.environ, SSOLINT_DATADIR=os.environ.get("SSOLINT_DATADIR", top), NO_COLOR="1")

MARK = re.compile(r"<!--\s*(file|example fail|example pass):\s*(.+?)\s*-->")
ARGS = re.compile(r"<!--\s*args( fail| pass)?:\s*(.+?)\s*-->")
SPECIAL = re.compile(r"<!--\s*(symlink|fifo) (fail|pass):\s*(.+?)\s*-->")


def page_specials(text):
    """{'fail': [(kind, path, target)], 'pass': [...]}: links and FIFOs (not files)."""
    out = {"fail": [], "pass": []}
    for m in SPECIAL.finditer(text):
        path, _, target = m.group(3).partition(" -> ")
        out[m.group(2)].append((m.group(1), path.strip(), target.strip()))
    return out


def page_args(text):
    """{'fail': [...], 'pass': [...]} from the page's args markers."""
    out = {"fail": [], "pass": []}
    for m in ARGS.finditer(text):
        which = (m.group(1) or "").strip()
        for k in ([which] if which else ["fail", "pass"]):
            out[k] += m.group(2).split()
    return out


def parse(text):
    """[(kind, path, content)] from the page's markers and the fenced blocks after them."""
    out = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = MARK.search(lines[i])
        i += 1
        if not m:
            continue
        while i < len(lines) and not lines[i].startswith("```"):
            i += 1
        i += 1
        body = []
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        i += 1
        out.append((m.group(1), m.group(2), "\n".join(body) + "\n"))
    return out


def run(rule, files, extra, specials=()):
    d = tempfile.mkdtemp(prefix="ssolint-page.")
    try:
        for path, content in files:
            p = os.path.join(d, path)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w", encoding="utf-8") as f:
                f.write(content)
        for kind, path, target in specials:
            p = os.path.join(d, path)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            if kind == "symlink":
                os.symlink(target, p)
            else:
                os.mkfifo(p)
        r = subprocess.run(wrapper + [ssolint, "--select", rule, "--format", "gcc", "-q"] +
                           extra + ["."],
                           cwd=d, env=env, capture_output=True, text=True, timeout=300)
        hits = [l for l in r.stdout.splitlines() if l.endswith("[%s]" % rule)]
        return r.returncode, hits, r.stdout + r.stderr
    finally:
        shutil.rmtree(d)


def check(rule, path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    blocks = parse(text)
    args = page_args(text)
    specials = page_specials(text)
    ctx = [(p, c) for k, p, c in blocks if k == "file"]
    fail = [(p, c) for k, p, c in blocks if k == "example fail"]
    good = [(p, c) for k, p, c in blocks if k == "example pass"]
    problems = []
    if not fail or not good:
        problems.append("the page needs an 'example fail' and an 'example pass'")
        return problems
    rc, hits, out = run(rule, ctx + fail, args["fail"], specials["fail"])
    if not hits:
        problems.append("the failing example draws no [%s] finding:\n%s" % (rule, out))
    if rc not in (0, 1):
        problems.append("the failing example exits %d:\n%s" % (rc, out))
    rc, hits, out = run(rule, ctx + good, args["pass"], specials["pass"])
    if hits:
        problems.append("the passing example draws a finding:\n" + out)
    if rc not in (0, 1):
        problems.append("the passing example exits %d:\n%s" % (rc, out))
    return problems


def main():
    pages = os.path.join(top, "doc", "rules")
    ids = sys.argv[1:] or sorted(f[:-3] for f in os.listdir(pages) if f.endswith(".md"))
    passed = failed = 0
    for rule in ids:
        problems = check(rule, os.path.join(pages, rule + ".md"))
        if problems:
            failed += 1
            for p in problems:
                print("FAIL %s: %s" % (rule, p))
        else:
            passed += 1
    print("pages: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
