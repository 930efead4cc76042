"""Fixtures for `chartroom show`: real Helm v4.2.3's `helm show` output
(helm_python.show, the SDK's action.Show) for the charts under
engine/tests/data/show, every format. Run with the oracle's venv python:
    ~/.cache/helm-oracle-venv/bin/python scripts/gen_show_fixtures.py
Writes engine/tests/data/show/expected.json."""
import json
import os

import oracle_env  # noqa: F401  (puts the oracle on sys.path)
import helm_python

DATA = os.path.join(oracle_env.ROOT, "engine", "tests", "data", "show")
cases = []
for chart in sorted(os.listdir(DATA)):
    path = os.path.join(DATA, chart)
    if not os.path.isdir(path):
        continue
    for fmt in ["all", "chart", "values", "readme", "crds"]:
        try:
            out, err = helm_python.show(path, output_format=fmt), None
        except Exception as e:  # Helm's error text
            out, err = None, str(e)
        cases.append({"chart": chart, "format": fmt, "output": out, "error": err})
with open(os.path.join(DATA, "expected.json"), "w") as f:
    json.dump(cases, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"{len(cases)} cases")
