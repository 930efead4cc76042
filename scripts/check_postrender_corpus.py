#!/usr/bin/env python3
"""Identity post-render over the conformance corpus: real Helm v4.2.3 (the
oracle's wasm-bridge running public/plugins/no-privileged under the Extism
Python host) against Chartroom (engine render → Wasm host → kyaml layout →
sort). Only cases whose plain render already matches Helm are compared, so
differences point at the post-render path. Diffs go to
tests/artifacts/postrender-corpus/.

Run: ~/.cache/helm-oracle-venv/bin/python scripts/check_postrender_corpus.py [CASE_SUBSTRING]
"""
import difflib, os, subprocess, sys
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("CHARTROOM_SHARED", os.path.join(os.path.dirname(ROOT), "shared"))
if not os.path.isdir(os.path.join(SHARED, "conformance")):
    SHARED = "/work/shared"
ORACLE = os.path.join(SHARED, "oracle")
CONF = os.path.join(SHARED, "conformance")
PLUGIN = os.path.join(ROOT, "public/plugins/no-privileged")
ART = os.path.join(ROOT, "tests/artifacts/postrender-corpus")


def helm(case, post: bool):
    cmd = [os.path.join(ORACLE, "helm-oracle"), os.path.join(CONF, case["chart"]), "--format", "manifest",
           "--name", case["release"], "-n", case["namespace"]]
    for v in case["values"]:
        cmd += ["-f", os.path.join(CONF, v)]
    if post:
        cmd += ["--plugins-dir", os.path.join(ORACLE, "testdata/plugins"), "--post-renderer", "wasm-bridge",
                "--post-renderer-args", PLUGIN]
    env = dict(os.environ, HELM_ORACLE_PYTHON=os.environ.get("HELM_ORACLE_PYTHON", sys.executable))
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    return r.stdout if r.returncode == 0 else None


def ours(exe, case, post: bool):
    cmd = [exe, os.path.join(CONF, case["chart"]), case["release"], case["namespace"], PLUGIN if post else "-"]
    cmd += [os.path.join(CONF, v) for v in case["values"]]
    r = subprocess.run(cmd, capture_output=True, text=True)
    return r.stdout if r.returncode == 0 else None


def main() -> int:
    flt = sys.argv[1] if len(sys.argv) > 1 else ""
    subprocess.run(["cargo", "build", "--quiet", "--profile", "native", "-p", "chartroom-engine", "--example",
                    "postrender_corpus"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    exe = os.path.join(target, "native/examples/postrender_corpus")
    os.makedirs(ART, exist_ok=True)
    cases = [c for c in yaml.safe_load(open(os.path.join(CONF, "cases.yaml")))["cases"]
             if c.get("status") == "ok" and flt in c["id"]]
    same = differ = skipped = 0
    for c in cases:
        if helm(c, False) != ours(exe, c, False):
            skipped += 1
            print(f"skip  {c['id']} (plain render differs)")
            continue
        want, got = helm(c, True), ours(exe, c, True)
        if want == got:
            same += 1
            print(f"same  {c['id']}")
        else:
            differ += 1
            name = c["id"].replace("/", "_")
            with open(os.path.join(ART, name + ".diff"), "w") as f:
                f.writelines(difflib.unified_diff((want or "<error>\n").splitlines(True), (got or "<error>\n").splitlines(True), "helm", "chartroom"))
            print(f"DIFF  {c['id']} -> tests/artifacts/postrender-corpus/{name}.diff")
    print(f"{same} same, {differ} differ, {skipped} skipped (plain render differs)")
    return 0 if differ == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
