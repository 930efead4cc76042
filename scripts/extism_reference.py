#!/usr/bin/env python3
"""Runs one Helm Wasm plugin under the Extism reference host (python
`extism` 1.1.1, the Rust SDK on wasmtime) and prints the outcome as JSON:
{"ok": bool, "output": str|null, "output_len": int, "error": str|null,
 "cause": str|null, "elapsed_ms": float}.
"output" is null past 1 MiB (output_len still counts it). "cause" is the
root cause the SDK logs but does not return (e.g. `wasm trap: call stack
exhausted`, a host function's error), read from Extism's error log.

usage: extism_reference.py PLUGIN_DIR [ENTRY] < input
       extism_reference.py --bench N PLUGIN_DIR < input   (best-of-N call time,
       instantiation excluded, printed as {"best_ms": …, "runs": N, "ok": …})
       extism_reference.py --bench-wall N PLUGIN_DIR < input   (best-of-N wall
       time of a whole Invoke as Helm does it: plugin creation — wasmtime's
       compilation cache warmed by a first untimed run — plus the call;
       printed as {"best_ms": …, "runs": N, "ok": …, "output": …})
The manifest mirrors Helm's buildManifest (runtimeConfig → Extism manifest;
zero limits are left to the SDK's defaults, as the oracle's wasm-bridge does).
"""
import json, os, sys, tempfile, time

import extism
import yaml


def cause_from_log(path: str) -> "str | None":
    """The first `wasm trap: …` line or the line after `Caused by:`."""
    try:
        lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
    except OSError:
        return None
    for i, l in enumerate(lines):
        t = l.strip()
        if t.startswith("wasm trap:"):
            return t
        if t == "Caused by:" and i + 1 < len(lines):
            return lines[i + 1].strip()
    return None


def main() -> int:
    bench = 0
    wall = False
    if sys.argv[1] in ("--bench", "--bench-wall"):
        wall = sys.argv[1] == "--bench-wall"
        bench = int(sys.argv[2])
        del sys.argv[1:3]
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
    if bench and wall:
        best, ok, out = float("inf"), True, None
        for i in range(bench + 1):
            t = time.perf_counter()
            try:
                with extism.Plugin(manifest, wasi=True) as p:
                    out = bytes(p.call(entry, data))
            except Exception:  # noqa: BLE001
                ok = False
            if i > 0:  # the first run fills wasmtime's cache
                best = min(best, (time.perf_counter() - t) * 1000)
        print(json.dumps({"best_ms": best, "runs": bench, "ok": ok,
                          "output": out.decode("utf-8", "replace")[:200] if out is not None else None}))
        return 0
    if bench:
        best, ok = float("inf"), True
        with extism.Plugin(manifest, wasi=True) as p:
            for _ in range(bench):
                t = time.perf_counter()
                try:
                    p.call(entry, data)
                except Exception:  # noqa: BLE001
                    ok = False
                best = min(best, (time.perf_counter() - t) * 1000)
        print(json.dumps({"best_ms": best, "runs": bench, "ok": ok}))
        return 0
    log = tempfile.NamedTemporaryFile(prefix="extism-log-", suffix=".txt", delete=False)
    log.close()
    extism.set_log_file(log.name, "error")
    t = time.perf_counter()
    try:
        with extism.Plugin(manifest, wasi=True) as p:
            out = bytes(p.call(entry, data))
        res = {"ok": True, "output": out.decode("utf-8", "replace") if len(out) <= 1 << 20 else None,
               "output_len": len(out), "error": None, "cause": None}
    except Exception as exc:  # extism.Error and wasmtime traps
        res = {"ok": False, "output": None, "output_len": 0, "error": str(exc), "cause": None}
    res["elapsed_ms"] = (time.perf_counter() - t) * 1000
    if not res["ok"]:
        res["cause"] = cause_from_log(log.name)
    os.unlink(log.name)
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
