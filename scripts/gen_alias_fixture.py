#!/usr/bin/env python3
"""Expected `helm template` output of engine/tests/data/alias-chart, from real Helm.

The chart uses one subchart (`charts/sub`) three times: under the aliases
`zeta` and `alpha` and under its own name. Helm renders each copy under its
aliased path (`parent/charts/alpha/templates/cm.yaml`), which also decides
the order of the documents. Writes engine/tests/data/alias-chart.expected.

Run: ~/.cache/helm-oracle-venv/bin/python scripts/gen_alias_fixture.py
"""
import os, subprocess, sys

from oracle_env import ROOT, ORACLE  # noqa: E402 (also puts the oracle on sys.path)

CHART = os.path.join(ROOT, "engine", "tests", "data", "alias-chart")
OUT = CHART + ".expected"


def main():
    cli = os.path.join(ORACLE, "helm-oracle")
    r = subprocess.run([cli, CHART, "--name", "release-name", "--format", "helm-template"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"helm-oracle failed: {r.stderr}")
    with open(OUT, "w") as f:
        f.write(r.stdout)
    print(f"{os.path.relpath(OUT, ROOT)}: {len(r.stdout)} bytes")


if __name__ == "__main__":
    main()
