#!/usr/bin/env python3
"""Expected `helm template` output of small hand-made charts, from real Helm.

Input:  engine/tests/chart_cases/<topic>.in.yaml — a YAML list of cases:
          - name: alias-renames-template-paths   # unique within the file
            files: {"Chart.yaml": "...", "templates/x.yaml": "..."}  # the whole chart
            values_files: ["a: 1\\n"]             # optional, `-f` files in order
            release: rel                          # optional (default release-name)
            namespace: ns                         # optional (default default)
Output: engine/tests/chart_cases/<topic>.json — the same cases with `output`
        (exactly what `helm template RELEASE top -n NS -f ...` prints on stdout,
        hooks included) or `error` (the text `helm template` prints after `Error: `).

Each case reproduces one mechanism that a real public chart exercised and
Chartroom got wrong (found by scripts/compare_charts.py); engine/tests/chart_cases.rs
renders them with the engine.

Run: ~/.cache/helm-oracle-venv/bin/python scripts/gen_chart_cases.py [topic ...]
"""
import glob
import json
import os
import shutil
import sys
import tempfile

from oracle_env import ROOT  # noqa: E402 (also puts the oracle on sys.path)

import yaml  # noqa: E402
import helm_oracle as ho  # noqa: E402

CASES = os.path.join(ROOT, "engine", "tests", "chart_cases")


def run_case(case: dict) -> dict:
    d = tempfile.mkdtemp(prefix="chartcase-")
    try:
        c = os.path.join(d, "top")
        for path, text in case["files"].items():
            p = os.path.join(c, path)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write(text)
        vfiles = []
        for i, text in enumerate(case.get("values_files") or []):
            p = os.path.join(d, f"values-{i}.yaml")
            with open(p, "w") as f:
                f.write(text)
            vfiles.append(p)
        try:
            res = ho.oracle(c, ho.build_values(vfiles), name=case.get("release", "release-name"),
                            namespace=case.get("namespace", "default"))
        except ho.OracleError as e:
            return {"error": e.cli_message}
        if res.get("hooks_verified") is False:
            sys.exit(f"{case['name']}: output is not deterministic; make the case deterministic")
        return {"output": res["helm_template"]}
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main() -> int:
    topics = sys.argv[1:] or [os.path.basename(p)[:-len(".in.yaml")]
                              for p in sorted(glob.glob(os.path.join(CASES, "*.in.yaml")))]
    for topic in topics:
        with open(os.path.join(CASES, topic + ".in.yaml")) as f:
            cases = yaml.safe_load(f)
        names = [c["name"] for c in cases]
        if len(names) != len(set(names)):
            sys.exit(f"{topic}: duplicate case names")
        out = [dict(c, **run_case(c)) for c in cases]
        with open(os.path.join(CASES, topic + ".json"), "w") as f:
            json.dump(out, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(f"{topic}: {len(out)} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
