#!/usr/bin/env python3
"""Expected `helm template` output (or error) of small fixture charts, from real Helm.

- engine/tests/data/alias-chart: one subchart (`charts/sub`) used three times,
  under the aliases `zeta` and `alpha` and under its own name. Helm renders
  each copy under its aliased path (`parent/charts/alpha/templates/cm.yaml`),
  which also decides the order of the documents.
- engine/tests/data/broken-utf8-chart: `trunc` cuts a UTF-8 sequence and
  `b64dec` yields a byte that is not UTF-8; go-yaml's reader rejects the
  manifest when Helm sorts it.

Writes engine/tests/data/<chart>.expected: stdout, or `Error: …` from stderr.

Run: ~/.cache/helm-oracle-venv/bin/python scripts/gen_chart_fixtures.py
"""
import os, subprocess

from oracle_env import ROOT, ORACLE  # noqa: E402 (also puts the oracle on sys.path)

DATA = os.path.join(ROOT, "engine", "tests", "data")
CHARTS = ["alias-chart", "broken-utf8-chart"]


def main():
    cli = os.path.join(ORACLE, "helm-oracle")
    for name in CHARTS:
        chart = os.path.join(DATA, name)
        r = subprocess.run([cli, chart, "--name", "release-name", "--format", "helm-template"], capture_output=True)
        out = r.stdout if r.returncode == 0 else r.stderr
        with open(chart + ".expected", "wb") as f:
            f.write(out)
        print(f"{os.path.relpath(chart, ROOT)}.expected: {len(out)} bytes (exit {r.returncode})")


if __name__ == "__main__":
    main()
