#!/usr/bin/env python3
"""Helm's nested-include limit, asked of real Helm (../shared/oracle), for
tests/e2e/include-depth.test.mjs: a recursive `include` of 1000 levels
renders; 1001 ends with Helm's `rendering template has a nested reference
name` error (pkg/engine/engine.go, recursionMaxNums). Writes
tests/e2e/fixtures/include-depth.json (the error's start and end: the whole
text repeats one frame a thousand times).

Usage: python3 scripts/gen_include_depth_fixture.py
"""
import json
import pathlib
import subprocess
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
ORACLE = ROOT.parent / "shared" / "oracle" / "helm-oracle"
TEMPLATE = ('{{- define "r" }}{{ if gt (int .) 0 }}{{ include "r" (sub (int .) 1) }}'
            '{{ else }}k: bottom{{ end }}{{ end }}{{ include "r" %d }}')


def helm(depth):
    with tempfile.TemporaryDirectory() as d:
        chart = pathlib.Path(d) / "c"
        (chart / "templates").mkdir(parents=True)
        (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
        (chart / "templates" / "t.txt").write_text(TEMPLATE % depth)
        p = subprocess.run([str(ORACLE), str(chart)], capture_output=True, text=True, timeout=300)
        return p.returncode, p.stdout, p.stderr


def main():
    cases = []
    for depth in (1000, 1001):
        rc, out, err = helm(depth)
        case = {"depth": depth, "template": TEMPLATE % depth}
        if rc == 0:
            case["output"] = json.loads(out)["c/templates/t.txt"]
        else:
            text = err.strip().removeprefix("Error: ")
            case["error_start"] = text[:160]
            case["error_end"] = text[-160:]
            case["error_frames"] = text.count("error calling include")
        cases.append(case)
    out = ROOT / "tests" / "e2e" / "fixtures" / "include-depth.json"
    out.write_text(json.dumps(cases, indent=1) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
