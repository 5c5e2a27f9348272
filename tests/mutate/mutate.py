#!/usr/bin/env python3
"""mutate.py - mutation testing of the kernel models and the scan.

    python3 tests/mutate/mutate.py list            the mutants, one a line
    python3 tests/mutate/mutate.py run [-j N] [--limit N] [--only FILE] [--from LOG]
      (--from: only the mutants a previous run's output marks "survived")

A mutant changes one thing in one line of src/core/model*.c or
src/core/scan.c (model_freebsd_identcpu.c and model_linux_platform.c are
among model*.c): a relational operator (< <=, > >=, == !=), a logical
one (&& ||), an integer constant +1 or -1, a condition removed (if (X)
made always true or always false), a negation dropped (!x -> x), or one
byte of a 12-byte signature literal. Comments, string literals other than
signatures, preprocessor lines and printf-style arguments are left alone
(a mutant there changes text, not decisions).

Each worker has its own copy of the tree under a temporary directory (the
checkout is never written) and builds there: the mutated file, the static
library, the two unit tests that run models (test_models, test_scan) and
pvhprobe. Then, in stages that stop at the first failure: those unit
tests; the golden CLI cases (stdout, stderr, status); and, for a mutant
both missed, tests/cli/run-golden.sh and tests/corpus/run-corpus.sh over
../shared/dumps as make check runs them. A mutant
is killed when the build succeeds and a test fails (or times out);
survived when every test passes; stillborn when it does not compile (not
counted in the score). Prints one line per mutant and a summary; exit 0.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FILES = sorted(
    [f"src/core/{f}" for f in os.listdir(os.path.join(TOP, "src/core")) if re.match(r"model.*\.c$", f)]
    + ["src/core/scan.c"]
)

# Tokens: strings, chars, comments first so nothing inside them is mutated.
TOKEN = re.compile(
    r'(?P<str>"(?:\\.|[^"\\])*")|(?P<chr>\'(?:\\.|[^\'\\])*\')|(?P<lc>//.*)|(?P<bc>/\*)'
    r"|(?P<op>&&|\|\||==|!=|<=|>=|<<|>>|->|<|>)"
    r"|(?P<num>\b0[xX][0-9a-fA-F]+[uUlL]*\b|\b[0-9]+[uUlL]*\b)"
    r"|(?P<if>\bif \()"
    r"|(?P<not>!(?=[A-Za-z_(]))"
)
OPS = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "==", "&&": "||", "||": "&&"}


def c_unescape_len(lit):
    """Length in bytes of a C string literal's contents."""
    body = lit[1:-1]
    n, i = 0, 0
    while i < len(body):
        if body[i] == "\\":
            i += 1
            if body[i] == "x":
                i += 1
                while i < len(body) and body[i] in "0123456789abcdefABCDEF":
                    i += 1
                n += 1
                continue
            if body[i] in "01234567":
                j = i
                while j < len(body) and j < i + 3 and body[j] in "01234567":
                    j += 1
                i = j
                n += 1
                continue
        i += 1
        n += 1
    return n




def mutants_of(path):
    out = []
    lines = open(os.path.join(TOP, path)).read().split("\n")
    in_block = False
    in_print = 0  # paren depth inside a printing call
    for ln, line in enumerate(lines, 1):
        s = line.strip()
        if in_block:
            if "*/" in line:
                in_block = False
            continue
        if s.startswith("#"):
            continue
        printing = re.search(r"\b(trace_add|trace_add_run|hazard_add|reason_set|condition_add|fmt|_printf_)\s*\(", line)
        if printing or in_print:
            # a printing call, possibly over several lines: leave it alone
            depth = in_print
            start = printing.start() if printing and not in_print else 0
            for ch in line[start:]:
                if ch == "(":
                    depth += 1
                elif ch == ")":
                    depth -= 1
            in_print = depth if depth > 0 else 0
            continue
        for m in TOKEN.finditer(line):
            kind = m.lastgroup
            tok = m.group()
            a, b = m.span()
            if kind == "bc":
                if "*/" not in line[b:]:
                    in_block = True
                break
            if kind == "lc":
                break
            if kind == "str":
                if c_unescape_len(tok) == 12 and tok[1] != "\\":
                    c = tok[1]
                    nc = chr(ord(c) + 1) if c != "~" else "!"
                    out.append((path, ln, a, b, tok, '"' + nc + tok[2:], "signature byte 0"))
                continue
            if kind == "chr":
                continue
            if kind == "op" and tok in OPS:
                out.append((path, ln, a, b, tok, OPS[tok], f"{tok} -> {OPS[tok]}"))
            elif kind == "num":
                mm = re.match(r"(0[xX][0-9a-fA-F]+|[0-9]+)(.*)", tok)
                v = int(mm.group(1), 0)
                suf = mm.group(2)
                hexa = mm.group(1).lower().startswith("0x")
                for d in (1, -1):
                    nv = v + d
                    if nv < 0:
                        continue
                    nt = (hex(nv) if hexa else str(nv)) + suf
                    out.append((path, ln, a, b, tok, nt, f"{tok} {'+' if d > 0 else '-'}1"))
            elif kind == "if":
                out.append((path, ln, a, b, tok, "if (1 || ", "condition always true"))
                out.append((path, ln, a, b, tok, "if (0 && ", "condition always false"))
            elif kind == "not":
                out.append((path, ln, a, b, tok, "", "negation dropped"))
    return out


def all_mutants(only=None):
    ms = []
    for f in FILES:
        if only and os.path.basename(f) != only and f != only:
            continue
        ms.extend(mutants_of(f))
    return ms


def apply(src_text, m):
    path, ln, a, b, old, new, what = m
    lines = src_text.split("\n")
    line = lines[ln - 1]
    assert line[a:b] == old, (path, ln, line, old)
    lines[ln - 1] = line[:a] + new + line[b:]
    return "\n".join(lines)


def sh(cmd, cwd, timeout):
    try:
        r = subprocess.run(cmd, cwd=cwd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
        return r.returncode, r.stdout.decode(errors="replace")
    except subprocess.TimeoutExpired:
        return 124, "timeout"


BUILD = "make -s LINK=dynamic CFLAGS='-O1' build/tests/test_models build/tests/test_scan pvhprobe"
UNIT = "build/tests/test_models >/dev/null 2>&1 && build/tests/test_scan >/dev/null 2>&1"
SHARED_DUMPS = os.path.abspath(os.path.join(TOP, "..", "shared", "dumps"))
# The suite as make check runs it, for a mutant the quick stages missed.
FULL = ("sh tests/cli/run-golden.sh ./pvhprobe tests/golden >/dev/null 2>&1 && "
        f"sh tests/corpus/run-corpus.sh ./pvhprobe {SHARED_DUMPS} >/dev/null 2>&1")


def golden_quick(w):
    """The golden cases, stdout, stderr and status compared, without the
    JSON schema validation run-golden.sh adds: True when all match."""
    gdir = os.path.join(w, "tests", "golden")
    for name in sorted(os.listdir(gdir)):
        c = os.path.join(gdir, name)
        try:
            args = open(os.path.join(c, "args")).read().strip()
        except OSError:
            continue
        try:
            r = subprocess.run(f'exec "{w}/pvhprobe" {args}', cwd=c, shell=True, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        except subprocess.TimeoutExpired:
            return False
        if open(os.path.join(c, "expected.stdout"), "rb").read() != r.stdout:
            return False
        if int(open(os.path.join(c, "expected.status")).read().strip()) != r.returncode:
            return False
        e = os.path.join(c, "expected.stderr")
        if (open(e, "rb").read() if os.path.exists(e) else b"") != r.stderr:
            return False
    return True


def tests_pass(w):
    """Unit tests first (a tenth of a second), then the golden cases, then
    (only for what survived both) the full golden runner and the corpus."""
    if sh(UNIT, w, 120)[0] != 0:
        return False
    if not golden_quick(w):
        return False
    return sh(FULL, w, 900)[0] == 0


def make_worker(tmp, k):
    w = os.path.join(tmp, f"w{k}")
    ignore = shutil.ignore_patterns(".git", "build", "pvhprobe", "pvhprobe-static", "fuzz", "bench", "debian")
    shutil.copytree(TOP, w, ignore=ignore, symlinks=True)
    rc, out = sh(BUILD, w, 600)
    if rc != 0:
        sys.exit(f"baseline build failed in {w}:\n{out}")
    if not tests_pass(w):
        sys.exit(f"baseline tests fail in {w}: fix them before mutating")
    return w


ORIG = {}  # the sources as they were when the run started


def run_one(w, m):
    path = m[0]
    orig = ORIG[path]
    dst = os.path.join(w, path)
    with open(dst, "w") as f:
        f.write(apply(orig, m))
    try:
        rc, out = sh(BUILD, w, 300)
        if rc != 0:
            return "stillborn"
        return "survived" if tests_pass(w) else "killed"
    finally:
        with open(dst, "w") as f:
            f.write(orig)
        # keep the restored file newer than the objects built from the mutant
        now = time.time() + 1
        os.utime(dst, (now, now))


def main():
    args = sys.argv[1:]
    if not args or args[0] not in ("list", "run"):
        sys.exit(__doc__)
    jobs, limit, only, keep = 2, None, None, None
    i = 1
    while i < len(args):
        if args[i] == "-j":
            jobs = int(args[i + 1]); i += 2
        elif args[i] == "--limit":
            limit = int(args[i + 1]); i += 2
        elif args[i] == "--only":
            only = args[i + 1]; i += 2
        elif args[i] == "--from":
            keep = set(l.split(None, 1)[1].strip() for l in open(args[i + 1]) if l.startswith("survived"))
            i += 2
        else:
            sys.exit(f"unknown argument {args[i]}")
    for f in FILES:
        ORIG[f] = open(os.path.join(TOP, f)).read()
    ms = all_mutants(only)
    if keep is not None:
        ms = [m for m in ms if f"{m[0]}:{m[1]}: {m[6]}: {m[4]!r} -> {m[5]!r}" in keep]
    if limit:
        ms = ms[:limit]
    if args[0] == "list":
        for m in ms:
            print(f"{m[0]}:{m[1]}: {m[6]}: {m[4]!r} -> {m[5]!r}")
        print(f"{len(ms)} mutants", file=sys.stderr)
        return
    t0 = time.time()
    tmp = tempfile.mkdtemp(prefix="pvhprobe-mutate.")
    try:
        with ThreadPoolExecutor(jobs) as ex:
            workers = list(ex.map(lambda k: make_worker(tmp, k), range(jobs)))
        free = list(workers)
        import threading
        lock = threading.Lock()
        results = {"killed": 0, "survived": 0, "stillborn": 0}
        survivors = []

        def job(m):
            with lock:
                w = free.pop()
            try:
                r = run_one(w, m)
            finally:
                with lock:
                    free.append(w)
            with lock:
                results[r] += 1
                line = f"{r:9} {m[0]}:{m[1]}: {m[6]}: {m[4]!r} -> {m[5]!r}"
                print(line, flush=True)
                if r == "survived":
                    survivors.append(line)
            return r

        with ThreadPoolExecutor(jobs) as ex:
            list(ex.map(job, ms))
        valid = results["killed"] + results["survived"]
        score = 100.0 * results["killed"] / valid if valid else 0.0
        print(f"# {len(ms)} mutants: {results['killed']} killed, {results['survived']} survived, "
              f"{results['stillborn']} stillborn (do not compile); score {score:.1f}% of {valid}; "
              f"{time.time() - t0:.0f} s with {jobs} jobs")
        for s in survivors:
            print("# survivor: " + s)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
