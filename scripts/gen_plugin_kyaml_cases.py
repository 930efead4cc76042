#!/usr/bin/env python3
"""Expected kyaml layouts from REAL Helm v4.2.3's post-render path.

The chart engine/tests/data/kyaml-chart holds layouts kyaml re-serialises
(literal block scalars and their chomping, values a literal cannot hold,
foot comments). The oracle's `wasm-bridge` post-renderer runs the identity
plugin public/plugins/no-privileged inside Helm's pipeline (annotateAndMerge
→ plugin → splitAndDeannotate → sort); its rel.Manifest is written to
engine/tests/data/kyaml/cases.json for engine/tests/plugin_kyaml.rs.

Run: ~/.cache/helm-oracle-venv/bin/python scripts/gen_plugin_kyaml_cases.py
"""
import json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORACLE_DIR = os.environ.get("HELM_ORACLE_DIR", "/work/shared/oracle")
CHART = os.path.join(ROOT, "engine/tests/data/kyaml-chart")
OUT = os.path.join(ROOT, "engine/tests/data/kyaml/cases.json")


def main() -> int:
    env = dict(os.environ)
    env.setdefault("HELM_ORACLE_PYTHON", sys.executable)
    cmd = [os.path.join(ORACLE_DIR, "helm-oracle"), CHART, "--format", "manifest",
           "--plugins-dir", os.path.join(ORACLE_DIR, "testdata/plugins"), "--post-renderer", "wasm-bridge",
           "--post-renderer-args", os.path.join(ROOT, "public/plugins/no-privileged")]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    json.dump({"plugin": "no-privileged", "manifest": r.stdout}, open(OUT, "w"), indent=1)
    open(OUT, "a").write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
