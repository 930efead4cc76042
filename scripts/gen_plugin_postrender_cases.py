#!/usr/bin/env python3
"""Expected post-rendered manifests from REAL Helm v4.2.3.

Released Helm cannot run Wasm post-renderers (helm/helm#31832), so the
oracle's `wasm-bridge` subprocess post-renderer runs our plugin under the
Extism Python host with the intended string protocol, inside real Helm's
pipeline (annotateAndMerge → plugin → splitAndDeannotate → sort). Writes
engine/tests/cases/plugin_postrender.json: [{name, plugin, args, set,
manifest|error}] for the chart engine/tests/data/plugin-chart.

Run: ~/.cache/helm-oracle-venv/bin/python scripts/gen_plugin_postrender_cases.py
(after scripts/build-plugins.sh).
"""
import json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORACLE_DIR = os.environ.get("HELM_ORACLE_DIR", "/work/shared/oracle")
CHART = os.path.join(ROOT, "engine/tests/data/plugin-chart")
OUT = os.path.join(ROOT, "engine/tests/cases/plugin_postrender.json")

CASES = [
    {"name": "no-post-renderer", "plugin": None, "args": [], "set": []},
    {"name": "add-labels-config-label", "plugin": "add-labels", "args": [], "set": []},
    {"name": "add-labels-arg-label", "plugin": "add-labels", "args": ["team=platform"], "set": []},
    {"name": "no-privileged-passes", "plugin": "no-privileged", "args": [], "set": []},
    {"name": "add-labels-replicas-3", "plugin": "add-labels", "args": ["tier=web"], "set": ["replicas=3"]},
]


def main() -> int:
    env = dict(os.environ)
    env.setdefault("HELM_ORACLE_PYTHON", sys.executable)
    out = []
    for c in CASES:
        cmd = [os.path.join(ORACLE_DIR, "helm-oracle"), CHART, "--format", "manifest"]
        for s in c["set"]:
            cmd += ["--set", s]
        if c["plugin"]:
            cmd += ["--plugins-dir", os.path.join(ORACLE_DIR, "testdata/plugins"), "--post-renderer", "wasm-bridge",
                    "--post-renderer-args", os.path.join(ROOT, "public/plugins", c["plugin"])]
            for a in c["args"]:
                cmd += ["--post-renderer-args", a]
        r = subprocess.run(cmd, capture_output=True, text=True, env=env)
        rec = dict(c)
        if r.returncode == 0:
            rec["manifest"] = r.stdout
        else:
            rec["error"] = r.stderr.strip().removeprefix("Error: ")
        out.append(rec)
        print(c["name"], "ok" if r.returncode == 0 else rec["error"])
    json.dump(out, open(OUT, "w"), indent=1)
    open(OUT, "a").write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
