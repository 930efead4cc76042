#!/usr/bin/env python3
"""Expected results of Helm's manifest-head parsing (releaseutil.SimpleHead via
sigs.k8s.io/yaml.Unmarshal) from real `helm template`.

Input:  engine/tests/cases/yaml_manifest.in.yaml — list of {name, manifest}
        (`manifest` becomes the chart's only template, templates/a.yaml).
Output: engine/tests/cases/yaml_manifest.json — each case with `output`
        (helm template stdout) or `error` (the text after "Error: ").

Run: ~/.cache/helm-oracle-venv/bin/python scripts/gen_yaml_manifest_cases.py
"""
import json, os, subprocess, sys, tempfile, shutil

from oracle_env import HERE, ROOT, ORACLE  # noqa: E402,F401 (also puts the oracle on sys.path)
import yaml  # noqa: E402

CASES = os.path.join(ROOT, "engine", "tests", "cases")


def run(manifest):
    d = tempfile.mkdtemp(prefix="mcase-")
    try:
        c = os.path.join(d, "c")
        os.makedirs(os.path.join(c, "templates"))
        with open(os.path.join(c, "Chart.yaml"), "w") as f:
            f.write("apiVersion: v2\nname: c\nversion: 0.1.0\n")
        with open(os.path.join(c, "templates", "a.yaml"), "w") as f:
            f.write(manifest)
        p = subprocess.run([os.path.join(ORACLE, "helm-oracle"), c, "--format", "helm-template"],
                           capture_output=True, text=True)
        if p.returncode == 0:
            return {"output": p.stdout}
        err = p.stderr.strip()
        first = err.split("\n")[0]
        return {"error": first[len("Error: "):] if first.startswith("Error: ") else err}
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main():
    src = os.path.join(CASES, "yaml_manifest.in.yaml")
    with open(src) as f:
        cases = yaml.safe_load(f)
    out = []
    for case in cases:
        res = dict(case)
        res.update(run(case["manifest"]))
        out.append(res)
    dst = os.path.join(CASES, "yaml_manifest.json")
    with open(dst, "w") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{os.path.relpath(dst, ROOT)}: {len(out)} cases")


if __name__ == "__main__":
    main()
