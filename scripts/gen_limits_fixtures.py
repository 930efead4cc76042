#!/usr/bin/env python3
"""Heavy but legal templates, asked of real Helm (../shared/oracle), for
engine/tests/limits.rs: loops that build and drop far more values over the
render than the memory budget, while holding little at any moment, must
render as in Helm (issue 19: the budget bounds what a render holds, not what
it created). Writes engine/tests/data/limits/heavy_loops.json: each
template, Helm's output and Helm's time (`helm_template_s`, for the printed
comparison only).

Usage: python3 scripts/gen_limits_fixtures.py
"""
import json
import pathlib
import subprocess
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
ORACLE = ROOT.parent / "shared" / "oracle" / "helm-oracle"
# (Outputs are YAML: the oracle's timed call installs.) The test renders the first; the second is the full-size loop (160 million
# iterations), rendered natively in release by hand.
CASES = [
    ("until-lists-dropped", 'x: {{ range $i := until 400 }}{{ range $j := until 4000 }}{{ end }}{{ end }}done'),
    ("until-lists-dropped-full", 'x: {{ range $i := until 40000 }}{{ range $j := until 4000 }}{{ end }}{{ end }}done'),
    ("strings-dropped",
     'x: {{ $n := 0 }}{{ range $i := until 300 }}{{ $s := repeat 100000 "x" }}{{ $n = add $n (len $s) }}{{ end }}{{ $n }}'),
]


def helm(template):
    with tempfile.TemporaryDirectory() as d:
        chart = pathlib.Path(d) / "c"
        (chart / "templates").mkdir(parents=True)
        (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
        (chart / "templates" / "t.txt").write_text(template)
        p = subprocess.run([str(ORACLE), str(chart), "--format", "oracle"], capture_output=True, text=True,
                           timeout=900)
        if p.returncode != 0:
            raise SystemExit(f"oracle failed: {p.stderr}")
        out = json.loads(p.stdout)
        return out["files"]["c/templates/t.txt"], out["helm_template_s"]


def main():
    cases = []
    for name, template in CASES:
        output, secs = helm(template)
        cases.append({"name": name, "template": template, "output": output, "helm_template_s": secs})
        print(f"{name}: {output!r} in {secs:.2f} s")
    out = ROOT / "engine" / "tests" / "data" / "limits" / "heavy_loops.json"
    out.write_text(json.dumps(cases, indent=1) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
