#!/usr/bin/env python3
"""Gather public charts from checked-out chart repositories into one corpus folder
that `scripts/compare_charts.py` can render, vendoring each chart's dependencies.

usage: collect_charts.py OUT_DIR SRC_DIR [SRC_DIR ...] [--skip-names FILE]

Every `Chart.yaml` under a SRC_DIR that is not itself a vendored subchart becomes
OUT_DIR/<name>/ (bitnami charts are named bitnami-<name>; on a name clash the
owner of the source folder is prefixed). `helm dependency build` needs the network,
so each dependency that is not already in the chart's `charts/` folder is looked up
by name among all charts found in the SRC_DIRs (a `file://` repository by its path
first, then the same source folder, preferring the same major version) and copied
into `charts/<name>/`, recursively. Helm's `helm template` does not check a vendored
dependency's version against the declared range (only that the name is present),
so any version renders the same way in Helm and in Chartroom; the same major is
chosen so that the charts still fit together. Charts whose dependencies cannot be
found are left out and listed. Charts named in `--skip-names` (one per line, e.g.
the conformance corpus's chart names) are left out too.

The corpus is data fetched from public repositories: keep it outside the repository.
Runs with any python3 that has PyYAML (e.g. the oracle's venv).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys

import yaml

SKIP_PARTS = {".github", "testdata", "test", "tests", "examples", "fixtures", "node_modules"}


def load_meta(d: str) -> dict | None:
    try:
        with open(os.path.join(d, "Chart.yaml")) as f:
            m = yaml.safe_load(f)
        return m if isinstance(m, dict) else None
    except Exception:
        return None


def declared_deps(d: str, meta: dict) -> list[dict]:
    deps = meta.get("dependencies") or []
    req = os.path.join(d, "requirements.yaml")
    if not deps and os.path.exists(req):
        try:
            with open(req) as f:
                deps = (yaml.safe_load(f) or {}).get("dependencies") or []
        except Exception:
            deps = []
    return [x for x in deps if isinstance(x, dict) and x.get("name")]


def major(v) -> str:
    s = str(v or "").lstrip("~^>=< v")
    return s.split(".", 1)[0]


def find_all(src_dirs: list[str]) -> list[tuple[str, str, dict]]:
    """(source root, chart dir, metadata) for every Chart.yaml, nested ones included."""
    out = []
    for root in src_dirs:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [x for x in dirnames if x not in SKIP_PARTS]
            if "Chart.yaml" in filenames:
                m = load_meta(dirpath)
                if m and m.get("name"):
                    out.append((root, dirpath, m))
    return out


def is_vendored(d: str) -> bool:
    return os.path.basename(os.path.dirname(d)) == "charts" and os.path.exists(
        os.path.join(os.path.dirname(os.path.dirname(d)), "Chart.yaml"))


def present(d: str, name: str) -> bool:
    cd = os.path.join(d, "charts")
    if not os.path.isdir(cd):
        return False
    for e in os.listdir(cd):
        p = os.path.join(cd, e)
        if os.path.isdir(p):
            m = load_meta(p)
            if m and m.get("name") == name:
                return True
        elif e.endswith(".tgz") and e.rsplit("-", 1)[0] == name:
            return True
    return False


def vendor(dest: str, src: str, root: str, index, depth=0) -> list[str]:
    """Copies missing dependencies of the chart at dest (copied from src); returns the
    names that could not be found."""
    if depth > 6:
        return ["(dependency nesting too deep)"]
    meta = load_meta(dest) or {}
    missing = []
    for dep in declared_deps(dest, meta):
        name = dep["name"]
        if present(dest, name):
            continue
        cand = None
        repo = str(dep.get("repository") or "")
        if repo.startswith("file://"):
            p = os.path.normpath(os.path.join(src, repo[len("file://"):]))
            if os.path.exists(os.path.join(p, "Chart.yaml")):
                cand = (root, p, load_meta(p))
        if cand is None:
            options = [c for c in index if c[2].get("name") == name]
            owner = os.path.basename(root).split("+")[0]
            options.sort(key=lambda c: (c[0] != root, os.path.basename(c[0]).split("+")[0] != owner,
                                        major(c[2].get("version")) != major(dep.get("version")),
                                        is_vendored(c[1]), c[1]))
            cand = options[0] if options else None
        if cand is None:
            missing.append(name)
            continue
        target = os.path.join(dest, "charts", name)
        shutil.copytree(cand[1], target, symlinks=False, dirs_exist_ok=False, ignore_dangling_symlinks=True,
                        ignore=shutil.ignore_patterns(".git"))
        missing += vendor(target, cand[1], cand[0], index, depth + 1)
    return missing


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("src", nargs="+")
    ap.add_argument("--skip-names", help="file with chart names to leave out, one per line")
    a = ap.parse_args()
    skip = set()
    if a.skip_names:
        with open(a.skip_names) as f:
            skip = {x.strip() for x in f if x.strip()}
    index = find_all(a.src)
    os.makedirs(a.out, exist_ok=True)
    taken: set[str] = set(os.listdir(a.out))
    added, skipped = [], []
    for root, d, meta in sorted(index, key=lambda c: c[1]):
        if is_vendored(d):
            continue
        name = str(meta["name"])
        if not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
            continue  # a chart starter's placeholder (`${CHARTNAME}`)
        owner = os.path.basename(root).split("+")[0]
        if owner == "bitnami" and not name.startswith("bitnami"):
            name = "bitnami-" + name
        if name in skip:
            continue
        if name in taken:
            name = f"{owner}-{name}"
        if name in taken:
            continue
        dest = os.path.join(a.out, name)
        shutil.copytree(d, dest, symlinks=False, ignore_dangling_symlinks=True,
                        ignore=shutil.ignore_patterns(".git"))
        missing = vendor(dest, d, root, index)
        if missing:
            shutil.rmtree(dest)
            skipped.append((name, missing))
            continue
        taken.add(name)
        added.append(name)
    print(f"{len(added)} charts collected, {len(skipped)} left out (dependencies not found)")
    for name, missing in skipped:
        print(f"  left out {name}: {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
