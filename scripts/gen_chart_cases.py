#!/usr/bin/env python3
"""Expected `helm template` output of small hand-made charts, from real Helm.

Input:  engine/tests/chart_cases/<topic>.in.yaml — a YAML list of cases:
          - name: alias-renames-template-paths   # unique within the file
            files: {"Chart.yaml": "...", "templates/x.yaml": "..."}  # the whole chart
            values_files: ["a: 1\\n"]             # optional, `-f` files in order
            release: rel                          # optional (default release-name)
            namespace: ns                         # optional (default default)
            log: true                             # optional: also record Helm's log.Printf lines
Output: engine/tests/chart_cases/<topic>.json — the same cases with `output`
        (exactly what `helm template RELEASE top -n NS -f ...` prints on stdout,
        hooks included) or `error` (the text `helm template` prints after `Error: `),
        and with `log: true` the `log` lines Go's standard logger writes (no time).

Each case reproduces one mechanism that a real public chart exercised and
Chartroom got wrong (found by scripts/compare_charts.py); engine/tests/chart_cases.rs
renders them with the engine.

Run: ~/.cache/helm-oracle-venv/bin/python scripts/gen_chart_cases.py [topic ...]
"""
import glob
import json
import os
import re
import shutil
import sys
import tempfile

from oracle_env import ROOT  # noqa: E402 (also puts the oracle on sys.path)

import yaml  # noqa: E402
import helm_oracle as ho  # noqa: E402
import helm_python as helm  # noqa: E402
from helm_python import _native  # noqa: E402

CASES = os.path.join(ROOT, "engine", "tests", "chart_cases")


LOG_LINE = re.compile(r"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d (.*)$")


def install_log(chart_dir: str, values: dict, case: dict) -> list[str]:
    """What Go's standard logger (`log.Printf`) writes during one `helm
    template` (the install action alone; ho.oracle renders twice), without
    the time prefix. slog lines (`level=...`) are left out."""
    lines: list[str] = []
    with ho.captured_fd2(lines):
        ch = helm.Chart.load(chart_dir)
        ns = case.get("namespace", "default")
        cfg = helm.Config(kubeconfig_content=ho.OFFLINE_KUBECONFIG.format(namespace=ns), namespace=ns,
                          storage_driver="memory")
        try:
            _native.call_string("helm_install", cfg._raw(), _native.HANDLE(0), ch._raw(), None,
                                case.get("release", "release-name"), json.dumps(values),
                                json.dumps({"dry_run": "client", "namespace": ns}))
        except helm.HelmError:
            pass
        finally:
            cfg.close()
            ch.close()
    out = []
    for line in "".join(lines).splitlines():
        m = LOG_LINE.match(line)
        if m:
            out.append(m.group(1))
    return out


def run_case(case: dict) -> dict:
    d = tempfile.mkdtemp(prefix="chartcase-")
    try:
        c = os.path.join(d, "top")
        for path, text in case["files"].items():
            p = os.path.join(c, path)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write(text)
        vfiles = []
        for i, text in enumerate(case.get("values_files") or []):
            p = os.path.join(d, f"values-{i}.yaml")
            with open(p, "w") as f:
                f.write(text)
            vfiles.append(p)
        extra = {}
        if case.get("log"):
            extra["log"] = install_log(c, ho.build_values(vfiles), case)
        try:
            res = ho.oracle(c, ho.build_values(vfiles), name=case.get("release", "release-name"),
                            namespace=case.get("namespace", "default"))
        except ho.OracleError as e:
            return {"error": e.cli_message, **extra}
        if res.get("hooks_verified") is False:
            sys.exit(f"{case['name']}: output is not deterministic; make the case deterministic")
        return {"output": res["helm_template"], **extra}
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main() -> int:
    topics = sys.argv[1:] or [os.path.basename(p)[:-len(".in.yaml")]
                              for p in sorted(glob.glob(os.path.join(CASES, "*.in.yaml")))]
    for topic in topics:
        with open(os.path.join(CASES, topic + ".in.yaml")) as f:
            cases = yaml.safe_load(f)
        names = [c["name"] for c in cases]
        if len(names) != len(set(names)):
            sys.exit(f"{topic}: duplicate case names")
        out = [dict(c, **run_case(c)) for c in cases]
        with open(os.path.join(CASES, topic + ".json"), "w") as f:
            json.dump(out, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(f"{topic}: {len(out)} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
