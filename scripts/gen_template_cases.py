#!/usr/bin/env python3
"""Generate expected outputs for template test cases from real Helm (the oracle).

Input:  engine/tests/cases/<topic>.in.yaml  — a YAML list of cases:
          - name: trunc-basic                  # unique within the file
            template: '{{ trunc 3 "abcdef" }}'  # becomes c/templates/t.txt
            values: |                           # optional: the chart's values.yaml
              a: 1
            files: {"templates/_h.tpl": "..."} # optional extra chart files
            release: rel                        # optional (default release-name)
            namespace: ns                       # optional (default default)
Output: engine/tests/cases/<topic>.json — the same cases with `output` (Helm's
        rendered text of c/templates/t.txt) or `error` (Helm's error text).

Run with the oracle's venv python (it has PyYAML and libhelm_c):
  ~/.cache/helm-oracle-venv/bin/python scripts/gen_template_cases.py [topic ...]
(`../shared/oracle/helm-oracle --help` once creates that venv.)
"""
import json, os, sys, tempfile, shutil, glob

from oracle_env import HERE, ROOT, ORACLE  # noqa: E402,F401 (also puts the oracle on sys.path)

import yaml  # noqa: E402
import helm_python as helm  # noqa: E402
from helm_python import _native  # noqa: E402

CASES = os.path.join(ROOT, "engine", "tests", "cases")


def render_case(case):
    d = tempfile.mkdtemp(prefix="case-")
    try:
        c = os.path.join(d, "c")
        os.makedirs(os.path.join(c, "templates"))
        with open(os.path.join(c, "Chart.yaml"), "w") as f:
            f.write("apiVersion: v2\nname: c\nversion: 0.1.0\n")
        with open(os.path.join(c, "values.yaml"), "w") as f:
            f.write(case.get("values", ""))
        with open(os.path.join(c, "templates", "t.txt"), "w") as f:
            f.write(case["template"])
        for path, text in (case.get("files") or {}).items():
            p = os.path.join(c, path)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write(text)
        try:
            ch = helm.Chart.load(c)
        except helm.HelmError as exc:  # e.g. values.yaml does not parse
            return {"error": exc.detail}
        try:
            opts = {"name": case.get("release", "release-name"),
                    "namespace": case.get("namespace", "default")}
            files = json.loads(_native.call_string("helm_render", ch._raw(), None, json.dumps(opts)))
            return {"output": files.get("c/templates/t.txt", "")}
        except helm.HelmError as exc:
            return {"error": exc.detail}
        finally:
            ch.close()
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main(topics):
    paths = sorted(glob.glob(os.path.join(CASES, "*.in.yaml")))
    if topics:
        paths = [p for p in paths if os.path.basename(p)[:-len(".in.yaml")] in topics]
    for p in paths:
        with open(p) as f:
            cases = yaml.safe_load(f) or []
        names = set()
        out = []
        for case in cases:
            if case["name"] in names:
                sys.exit(f"{p}: duplicate case name {case['name']}")
            names.add(case["name"])
            res = dict(case)
            res.update(render_case(case))
            out.append(res)
        dst = p[:-len(".in.yaml")] + ".json"
        with open(dst, "w") as f:
            json.dump(out, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(f"{os.path.relpath(dst, ROOT)}: {len(out)} cases")


if __name__ == "__main__":
    main(sys.argv[1:])
