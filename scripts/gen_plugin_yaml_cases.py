#!/usr/bin/env python3
"""Expected plugin.yaml load results from REAL Helm v4.2.3 (via the oracle).

Reads engine/tests/cases/plugin_yaml.in.yaml (a list of {name, yaml}), puts
each plugin.yaml (plus a dummy plugin.wasm) alone in a plugins dir and asks
Helm to find a post-renderer in it: a plugin that fails to load is skipped
with `WARN failed to load plugin (ignoring) … error="<text>"` on fd 2.
Writes engine/tests/cases/plugin_yaml.json: [{name, yaml, error|null}]
(error without Helm's `failed to load plugin "<dir>": ` prefix).

Run: ~/.cache/helm-oracle-venv/bin/python scripts/gen_plugin_yaml_cases.py
"""
import json, os, re, subprocess, sys, tempfile
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORACLE = os.environ.get("HELM_ORACLE", "/work/shared/oracle/helm-oracle")
IN = os.path.join(ROOT, "engine/tests/cases/plugin_yaml.in.yaml")
OUT = os.path.join(ROOT, "engine/tests/cases/plugin_yaml.json")


def go_unquote(s: str) -> str:
    # slog's text handler quotes with strconv.Quote; JSON reads the same
    # escapes for what Helm prints (\" \\ \n \t \uXXXX).
    return json.loads(s)


def main() -> int:
    cases = yaml.safe_load(open(IN))
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        chart = os.path.join(tmp, "chart")
        os.makedirs(os.path.join(chart, "templates"))
        open(os.path.join(chart, "Chart.yaml"), "w").write("apiVersion: v2\nname: c\nversion: 0.1.0\n")
        open(os.path.join(chart, "templates", "cm.yaml"), "w").write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n")
        for i, c in enumerate(cases):
            pdir = os.path.join(tmp, f"plugins{i}")
            d = os.path.join(pdir, "p")
            os.makedirs(d)
            open(os.path.join(d, "plugin.yaml"), "w").write(c["yaml"])
            open(os.path.join(d, "plugin.wasm"), "wb").write(b"\0asm\1\0\0\0")
            r = subprocess.run([ORACLE, chart, "--format", "manifest", "--plugins-dir", pdir,
                                "--post-renderer", "zz-none", "--verbose"], capture_output=True, text=True)
            m = re.search(r'failed to load plugin \(ignoring\) plugin_yaml=\S+ error=(".*")\s*$', r.stderr, re.M)
            err = None
            if m:
                err = go_unquote(m.group(1))
                err = re.sub(r'^failed to load plugin "[^"]*": ', "", err)
            elif "not found" not in r.stderr:
                print(f"{c['name']}: unexpected oracle output: {r.stderr}", file=sys.stderr)
                return 1
            out.append({"name": c["name"], "yaml": c["yaml"], "error": err})
            print(f"{c['name']}: {err!r}")
    json.dump(out, open(OUT, "w"), indent=1, ensure_ascii=False)
    open(OUT, "a").write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
