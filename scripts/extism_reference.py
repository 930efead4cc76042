#!/usr/bin/env python3
"""Runs one Helm Wasm plugin under the Extism reference host (python
`extism` 1.1.1, the Rust SDK on wasmtime) and prints the outcome as JSON:
{"ok": bool, "output": str|null, "error": str|null, "elapsed_ms": float}.

usage: extism_reference.py PLUGIN_DIR [ENTRY] < input
The manifest mirrors Helm's buildManifest (runtimeConfig → Extism manifest;
zero limits are left to the SDK's defaults, as the oracle's wasm-bridge does).
"""
import json, os, sys, tempfile, time

import extism
import yaml


def main() -> int:
    pdir = sys.argv[1]
    meta = yaml.safe_load(open(os.path.join(pdir, "plugin.yaml")))
    rc = meta.get("runtimeConfig") or {}
    mem = rc.get("memory") or {}
    manifest = {"wasm": [{"path": os.path.join(pdir, "plugin.wasm")}],
                "allowed_hosts": rc.get("allowedHosts") or [],
                "config": {k: str(v) for k, v in (rc.get("config") or {}).items()}}
    limits = {}
    for src, dst in (("maxPages", "max_pages"), ("maxHttpResponseBytes", "max_http_response_bytes"),
                     ("maxVarBytes", "max_var_bytes")):
        if mem.get(src):
            limits[dst] = mem[src]
    if limits:
        manifest["memory"] = limits
    if rc.get("timeout"):
        manifest["timeout_ms"] = rc["timeout"]
    if (rc.get("fileSystem") or {}).get("createTempDir"):
        manifest["allowed_paths"] = {tempfile.mkdtemp(prefix="helm-plugin-"): "/tmp"}
    entry = sys.argv[2] if len(sys.argv) > 2 else (rc.get("entryFuncName") or "helm_plugin_main")
    data = sys.stdin.buffer.read()
    t = time.perf_counter()
    try:
        with extism.Plugin(manifest, wasi=True) as p:
            out = p.call(entry, data)
        res = {"ok": True, "output": bytes(out).decode("utf-8", "replace"), "error": None}
    except Exception as exc:  # extism.Error and wasmtime traps
        res = {"ok": False, "output": None, "error": str(exc)}
    res["elapsed_ms"] = (time.perf_counter() - t) * 1000
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
