#!/usr/bin/env python3
"""Lint every chart of a corpus folder with real Helm (the oracle's action.Lint,
formatted as `helm lint` prints it by scripts/gen_lint_cases.py) and with
`chartroom lint`, and compare stdout, stderr and exit code byte for byte.

usage: compare_lint.py CORPUS_DIR [--bin PATH] [--cache DIR] [--only NAME ...]
                       [--args "--strict ..."]

Each chart is linted from CORPUS_DIR as `lint NAME ARGS`. Oracle answers are
cached in --cache (keyed by chart content and args). Run with the oracle's venv
python; build Chartroom first (`cargo build --profile native -p chartroom-engine
--bin chartroom`). Prints each difference with its first differing line, then
`N passed, N failed`.
"""
from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_charts import chart_hash  # noqa: E402
from gen_lint_cases import run_cli  # noqa: E402
import oracle_env  # noqa: E402


MISSING = re.compile(r"(chart metadata is missing these dependencies: )(\S+)")


def normalise(text: str) -> str:
    """Helm lists missing dependencies in Go map order (random per run):
    compare the list sorted."""
    text = MISSING.sub(lambda m: m.group(1) + ",".join(sorted(m.group(2).split(","))), text)
    # Go's resolver names the machine's DNS server (not Helm's choice).
    text = re.sub(r"(lookup \S+) on [0-9a-fA-F.:\[\]]+:53:", r"\1:", text)
    # Go's standard logger stamps its lines with the run's time.
    return re.sub(r"(?m)^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d ", "YYYY/MM/DD hh:mm:ss ", text)


def first_diff(a: str, b: str) -> str:
    for line in difflib.unified_diff(a.splitlines(), b.splitlines(), "helm", "chartroom", n=0, lineterm=""):
        if line.startswith(("-", "+")) and not line.startswith(("---", "+++")):
            return line[:300]
    return "(same lines; whitespace differs)"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--bin", default=os.path.join(oracle_env.ROOT, "target", "native", "chartroom"))
    ap.add_argument("--cache")
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--args", default="")
    a = ap.parse_args()
    corpus = os.path.realpath(a.corpus)
    cache = a.cache or os.path.join(os.path.dirname(corpus), "lint-cache")
    os.makedirs(cache, exist_ok=True)
    extra = shlex.split(a.args)
    passed = failed = 0
    for name in sorted(os.listdir(corpus)):
        if a.only and name not in a.only:
            continue
        if not os.path.isfile(os.path.join(corpus, name, "Chart.yaml")):
            continue
        key = chart_hash(os.path.join(corpus, name), " ".join(extra))
        cf = os.path.join(cache, f"{name}-{key}.json")
        if os.path.exists(cf):
            want = json.load(open(cf))
        else:
            want = run_cli(corpus, [name] + extra)
            json.dump(want, open(cf, "w"))
        r = subprocess.run([a.bin, "lint", name] + extra, cwd=corpus, capture_output=True, text=True, timeout=120)
        got = {"stdout": r.stdout.replace(corpus, "$CWD"), "stderr": r.stderr.replace(corpus, "$CWD"), "exit": r.returncode}
        bad = [k for k in ("stdout", "stderr", "exit") if normalise(str(got[k])) != normalise(str(want[k]))]
        if bad:
            failed += 1
            k = bad[0]
            d = first_diff(str(want[k]), str(got[k]))
            print(f"FAIL {name}: {k}: {d}", flush=True)
        else:
            passed += 1
    print(f"lint: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
