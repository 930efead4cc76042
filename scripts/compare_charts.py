#!/usr/bin/env python3
"""Render every chart of a folder with real Helm (the oracle) and with `chartroom
template`, and compare the outputs byte for byte.

usage: compare_charts.py CORPUS_DIR [--only NAME ...] [--bin PATH] [--cache DIR]
                         [--refresh] [-j N] [--timeout S] [--list-passed]
                         [--variant NAME]

CORPUS_DIR holds one chart per folder, dependencies vendored in its `charts/`
(`scripts/collect_charts.py` builds such a folder from checked-out chart repos).
Each chart gives one case with its default values and one per `ci/*.yaml` values
file (`helm template release-name CHART -f ci/x.yaml`). Expected: what `helm
template` prints (stdout), or `Error: <text>` on stderr, from
`helm_oracle.oracle()` (real Helm v4.2.3 in-process; hooks rebuilt as `helm
template` prints them). Oracle answers are cached in `--cache` (default
CORPUS_DIR/../oracle-cache), keyed by the chart's content, so a re-run only renders
with Chartroom.

`--variant` renders every case again with other `helm template` flags, to reach
the branches charts take on other clusters and releases (see VARIANTS):
`old-k8s` (--kube-version 1.19.0), `new-k8s` (--kube-version 1.33.2 and the
--api-versions of common CRDs), `upgrade` (--is-upgrade, another release name
and namespace, --include-crds, --skip-tests).

Charts that use randomness (randAlphaNum, genCA, uuidv4...) render differently on
every run: the oracle is then asked twice and the documents that differ between its
two answers are compared by document source and line count only.

Prints each failing case with its first differing line, then `N passed, N failed`.
Run with the oracle's venv python (~/.cache/helm-oracle-venv/bin/python); build
Chartroom first: `cargo build --profile native -p chartroom-engine --bin chartroom`.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import glob
import hashlib
import json
import os
import re
import subprocess
import sys

from oracle_env import ROOT  # noqa: E402 (also puts the oracle on sys.path)

import helm_oracle as ho  # noqa: E402

RELEASE = "release-name"
NAMESPACE = "default"

# Each variant: the oracle's keyword arguments and the same as `helm template`
# flags. The API versions are the CRDs and optional APIs charts most often
# test for with `.Capabilities.APIVersions.Has`.
NEW_APIS = ["monitoring.coreos.com/v1", "monitoring.coreos.com/v1/ServiceMonitor",
            "monitoring.coreos.com/v1/PodMonitor", "monitoring.coreos.com/v1/PrometheusRule",
            "cert-manager.io/v1", "gateway.networking.k8s.io/v1", "gateway.networking.k8s.io/v1/HTTPRoute",
            "autoscaling.k8s.io/v1", "autoscaling.k8s.io/v1/VerticalPodAutoscaler", "keda.sh/v1alpha1",
            "policy/v1/PodDisruptionBudget", "networking.k8s.io/v1/Ingress", "autoscaling/v2",
            "route.openshift.io/v1", "security.openshift.io/v1", "traefik.io/v1alpha1",
            "networking.istio.io/v1beta1", "snapshot.storage.k8s.io/v1"]
VARIANTS = {
    "": ({}, []),
    "old-k8s": ({"kube_version": "v1.19.0"}, ["--kube-version", "1.19.0"]),
    "new-k8s": ({"kube_version": "v1.33.2", "api_versions": NEW_APIS},
                ["--kube-version", "v1.33.2"] + [x for a in NEW_APIS for x in ("--api-versions", a)]),
    "upgrade": ({"is_upgrade": True, "name": "a-rather-long-release-name-for-prod", "namespace": "team-prod",
                 "include_crds": True, "skip_tests": True},
                ["--is-upgrade", "--include-crds", "--skip-tests"]),
}
VARIANT = ""
SOURCE_RE = re.compile(r"^---\n# Source: (.*)$", re.M)
GO_LOG_LINE = re.compile(r"\d{4}/\d\d/\d\d \d\d:\d\d:\d\d ")


def chart_hash(chart: str, values: str | None) -> str:
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(chart):
        dirnames.sort()
        for fn in sorted(filenames):
            p = os.path.join(dirpath, fn)
            h.update(os.path.relpath(p, chart).encode() + b"\0")
            try:
                with open(p, "rb") as f:
                    h.update(f.read())
            except OSError:
                pass
    h.update(b"values\0" + (values or "").encode())
    if VARIANT:
        h.update(b"variant\0" + VARIANT.encode())
    return h.hexdigest()[:20]


def cases(corpus: str, only: list[str]) -> list[tuple[str, str, str | None]]:
    """(case id, chart dir, values file or None)."""
    out = []
    for name in sorted(os.listdir(corpus)):
        d = os.path.join(corpus, name)
        if not os.path.exists(os.path.join(d, "Chart.yaml")):
            continue
        if only and name not in only:
            continue
        out.append((name, d, None))
        for v in sorted(glob.glob(os.path.join(d, "ci", "*.yaml"))):
            out.append((f"{name}/ci/{os.path.basename(v)}", d, v))
    return out


def oracle_once(chart: str, values_file: str | None) -> dict:
    try:
        vals = ho.build_values([values_file] if values_file else [])
        kw = dict(name=RELEASE, namespace=NAMESPACE)
        kw.update(VARIANTS[VARIANT][0])
        res = ho.oracle(chart, vals, **kw)
    except ho.OracleError as e:
        return {"error": e.cli_message}
    except Exception as e:  # noqa: BLE001 (e.g. a values file the oracle's YAML reader rejects)
        return {"oracle_failure": f"{type(e).__name__}: {e}"}
    if res.get("hooks_verified") is False and not res.get("structure_verified"):
        # The oracle rebuilds the manifest in Python to find the hooks; PyYAML
        # cannot read every document Go can (`- =` is YAML 1.1's value tag to
        # it), which puts that document out of kind order. When no hook was
        # found and the rebuilt documents are Helm's in another order, Helm's
        # own manifest is the whole `helm template` output.
        rebuilt = ho.manifest_text(ho.sort_manifests(
            {k: v for k, v in res["files"].items() if not k.endswith("NOTES.txt")})[1])
        if not res["hooks"] and sorted(documents(rebuilt)) == sorted(documents(res["manifest"])):
            return {"stdout": ho.go_trim_space(res["manifest"]) + "\n", "random": False}
        return {"oracle_failure": "hook reconstruction disagrees with Helm's manifest"}
    return {"stdout": res["helm_template"], "random": res.get("hooks_verified") is False}


def expected(chart: str, values_file: str | None, cache_dir: str, refresh: bool) -> dict:
    key = chart_hash(chart, values_file and os.path.relpath(values_file, chart))
    path = os.path.join(cache_dir, key + ".json")
    if not refresh and os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    res = oracle_once(chart, values_file)
    if res.get("random"):
        # Which documents change from one Helm run to the next?
        again = oracle_once(chart, values_file)
        a, b = documents(res["stdout"]), documents(again.get("stdout", ""))
        res["random_docs"] = sorted({s for (s, x), (t, y) in zip(a, b) if s == t and x != y})
    os.makedirs(cache_dir, exist_ok=True)
    with open(path, "w") as f:
        json.dump(res, f)
    return res


def recheck_random(chart: str, values_file: str | None, cache_dir: str, want: dict) -> dict:
    """A chart whose random output sits only in hooks looks deterministic to the
    oracle's own check (it compares the non-hook manifest): before calling a
    difference a failure, ask Helm once more and see whether it changes."""
    if want.get("rechecked") or "stdout" not in want:
        return want
    again = oracle_once(chart, values_file)
    want = dict(want, rechecked=True)
    if again.get("stdout") not in (None, want["stdout"]):
        a, b = documents(want["stdout"]), documents(again["stdout"])
        want["random"] = True
        want["random_docs"] = sorted({s for (s, x), (t, y) in zip(a, b) if s == t and x != y})
    key = chart_hash(chart, values_file and os.path.relpath(values_file, chart))
    with open(os.path.join(cache_dir, key + ".json"), "w") as f:
        json.dump(want, f)
    return want


def documents(text: str) -> list[tuple[str, str]]:
    parts = re.split(r"(?m)^---\n", text)
    out = []
    for p in parts:
        if not p:
            continue
        m = re.match(r"# Source: (.*)\n", p)
        out.append((m.group(1) if m else "", p))
    return out


def first_difference(want: str, got: str) -> str:
    wl, gl = want.split("\n"), got.split("\n")
    for i, (w, g) in enumerate(zip(wl, gl)):
        if w != g:
            return f"line {i + 1}: want {w[:160]!r}, got {g[:160]!r}"
    if len(wl) != len(gl):
        i = min(len(wl), len(gl))
        extra = (wl if len(wl) > len(gl) else gl)[i][:160]
        return f"want {len(wl)} lines, got {len(gl)} (first extra: {'want' if len(wl) > len(gl) else 'got'} {extra!r})"
    return "outputs differ"


def compare_random(want: str, got: str, random_docs: list[str]) -> str | None:
    wd, gd = documents(want), documents(got)
    if [s for s, _ in wd] != [s for s, _ in gd]:
        return "document sources differ: " + first_difference(
            "\n".join(s for s, _ in wd), "\n".join(s for s, _ in gd))
    for (s, w), (_, g) in zip(wd, gd):
        if s in random_docs:
            if w.count("\n") != g.count("\n"):
                return f"{s} (random): want {w.count(chr(10))} lines, got {g.count(chr(10))}"
        elif w != g:
            return f"{s}: {first_difference(w, g)}"
    return None


def run_chartroom(binary: str, chart: str, values_file: str | None, timeout: float) -> dict:
    kw, flags = VARIANTS[VARIANT]
    cmd = [binary, "template", kw.get("name", RELEASE), chart, "-n", kw.get("namespace", NAMESPACE)] + flags
    if values_file:
        cmd += ["-f", values_file]
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"crash": f"timed out after {timeout}s"}
    out = p.stdout.decode("utf-8", "surrogateescape")
    err = p.stderr.decode("utf-8", "surrogateescape")
    if p.returncode == 0:
        return {"stdout": out}
    # Helm's slog warnings (`level=WARN msg="this chart is deprecated"`) come
    # before the error on stderr; the oracle's error text has no such lines.
    # Go's standard logger (values coalescing's warnings) stamps its lines
    # with the time; those come before the error too.
    while err.startswith("level=") or GO_LOG_LINE.match(err):
        err = err.split("\n", 1)[1] if "\n" in err else ""
    if p.returncode == 1 and err.startswith("Error: "):
        # `helm template` prints "Error: " + the error's text + "\n".
        msg = err[len("Error: "):]
        return {"error": msg[:-1] if msg.endswith("\n") else msg}
    return {"crash": f"exit {p.returncode}: {err.strip()[:300]}"}


def normalize_error(text: str) -> str:
    """Go's resolver names the DNS server it asked (`lookup HOST on 10.0.0.1:53: no
    such host`); that address belongs to the machine, not to Helm."""
    return re.sub(r"(lookup \S+) on [0-9a-fA-F.:\[\]]+:53:", r"\1:", text)


def verdict(want: dict, got: dict) -> str | None:
    """None when the outputs agree, else why not."""
    if "crash" in got:
        return "chartroom " + got["crash"]
    if "error" in want:
        if "error" not in got:
            return f"want error {want['error'][:300]!r}, got a successful render"
        if normalize_error(got["error"]) != normalize_error(want["error"]):
            return f"error text: {first_difference(want['error'], got['error'])}"
        return None
    if "error" in got:
        return f"chartroom failed: {got['error'][:300]!r}"
    if want.get("random"):
        return compare_random(want["stdout"], got["stdout"], want.get("random_docs", []))
    if got["stdout"] != want["stdout"]:
        return first_difference(want["stdout"], got["stdout"])
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--only", action="append", default=[], help="chart folder name (repeatable)")
    ap.add_argument("--bin", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")),
                                                  "native", "chartroom"))
    ap.add_argument("--cache")
    ap.add_argument("--refresh", action="store_true", help="ask the oracle again")
    ap.add_argument("-j", type=int, default=2, help="parallel chartroom processes")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--list-passed", action="store_true")
    ap.add_argument("--variant", default="", choices=sorted(VARIANTS), help="other helm template flags")
    ap.add_argument("--oracle-only", action="store_true", help="only fill the oracle cache")
    a = ap.parse_args()
    global VARIANT
    VARIANT = a.variant
    corpus = os.path.abspath(a.corpus)
    cache = a.cache or os.path.join(os.path.dirname(corpus), "oracle-cache")
    if a.oracle_only:
        for cid, chart, vf in cases(corpus, a.only):
            want = expected(chart, vf, cache, a.refresh)
            print(cid, "error" if "error" in want else "oracle_failure" if "oracle_failure" in want else "ok",
                  flush=True)
        return 0
    if not os.access(a.bin, os.X_OK):
        print(f"no chartroom binary at {a.bin}: build it with "
              "`cargo build --profile native -p chartroom-engine --bin chartroom` or pass --bin", file=sys.stderr)
        return 2
    todo = cases(corpus, a.only)
    passed, failed, skipped = [], [], []
    with cf.ThreadPoolExecutor(max_workers=a.j) as pool:
        futures = {cid: pool.submit(run_chartroom, a.bin, chart, vf, a.timeout) for cid, chart, vf in todo}
        for cid, chart, vf in todo:
            want = expected(chart, vf, cache, a.refresh)
            got = futures[cid].result()
            if "oracle_failure" in want:
                skipped.append((cid, want["oracle_failure"]))
                continue
            why = verdict(want, got)
            if why and not want.get("random"):
                want = recheck_random(chart, vf, cache, want)
                why = verdict(want, got)
            (failed if why else passed).append((cid, why))
    if a.list_passed:
        for cid, _ in passed:
            print(f"PASS {cid}")
    for cid, why in skipped:
        print(f"SKIP {cid}: oracle could not render: {why}")
    for cid, why in failed:
        print(f"FAIL {cid}: {why}")
    charts = len({cid.split('/')[0] for cid, _, _ in todo})
    print(f"{charts} charts, {len(todo)} cases: {len(passed)} passed, {len(failed)} failed"
          + (f", {len(skipped)} skipped (oracle failure)" if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
