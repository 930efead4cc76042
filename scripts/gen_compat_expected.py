#!/usr/bin/env python3
"""Runs every case of the compatibility set (engine/tests/data/compat/cases.tsv,
laid out by scripts/fetch_compat_plugins.sh, or committed under
plugins/<name> for `repo:` rows) under the Extism reference host
(scripts/extism_reference.py: python `extism` on wasmtime, from the oracle
venv) and writes engine/tests/data/compat/expected.json:
{name: {"ok", "output", "error", "cause"}} — what engine/tests/plugin_compat.rs
compares Chartroom with.

usage: ~/.cache/helm-oracle-venv/bin/python scripts/gen_compat_expected.py
"""
import json, os, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
cache = os.environ.get("CHARTROOM_COMPAT_PLUGINS", os.path.join(root, "target", "compat-plugins"))
cases = os.path.join(root, "engine", "tests", "data", "compat", "cases.tsv")
out = {}
for line in open(cases, encoding="utf-8"):
    if not line.strip() or line.startswith("#"):
        continue
    name, src, _member, _sha, _pdk, _type, _entry, inp, _bench = line.rstrip("\n").split("\t")
    # repo:<dir>: committed with its plugin.yaml (scripts/build-toolchain-plugins.sh)
    d = os.path.join(root, src[5:]) if src.startswith("repo:") else os.path.join(cache, name)
    if not os.path.exists(os.path.join(d, "plugin.wasm")):
        sys.exit(f"{d}/plugin.wasm missing: run scripts/fetch_compat_plugins.sh first")
    r = subprocess.run([sys.executable, os.path.join(root, "scripts", "extism_reference.py"), d],
                       input=inp.encode(), capture_output=True, check=True)
    v = json.loads(r.stdout)
    out[name] = {k: v.get(k) for k in ("ok", "output", "error", "cause")}
    print(f"{name}: {'ok' if v['ok'] else v['error']}")
with open(os.path.join(root, "engine", "tests", "data", "compat", "expected.json"), "w", encoding="utf-8") as f:
    json.dump(out, f, indent=1, sort_keys=True)
    f.write("\n")
