#!/usr/bin/env python3
"""Expected `helm template` output of small hand-made charts, from real Helm.

Input:  engine/tests/chart_cases/<topic>.in.yaml — a YAML list of cases:
          - name: alias-renames-template-paths   # unique within the file
            files: {"Chart.yaml": "...", "templates/x.yaml": "..."}  # the whole chart
            values_files: ["a: 1\\n"]             # optional, `-f` files in order
            release: rel                          # optional (default release-name)
            namespace: ns                         # optional (default default)
            log: true                             # optional: also record what Helm logs on stderr
            include_crds: true                    # optional: `--include-crds`
Output: engine/tests/chart_cases/<topic>.json — the same cases with `output`
        (exactly what `helm template RELEASE top -n NS -f ...` prints on stdout,
        hooks included) or `error` (the text `helm template` prints after `Error: `),
        and with `log: true` the lines Helm logs on stderr: Go's standard logger's
        (`log.Printf`, without the time) and Helm's CLI slog lines (`level=WARN msg=...`).

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


# In the oracle's process slog has Go's default handler, which writes through
# the standard logger: `2009/11/10 23:00:00 WARN the message key=value`. Helm's
# CLI installs a TextHandler without the time (internal/logging.NewLogger):
# `level=WARN msg="the message" key=value`. The attributes are written the same
# way by both; the message is quoted by the TextHandler only.
SLOG_DEFAULT = re.compile(r'^(DEBUG|INFO|WARN|ERROR) (.*?)((?: [A-Za-z_][\w.]*=(?:"(?:[^"\\]|\\.)*"|\S*))*)$')


def slog_value(s: str) -> str:
    """log/slog's needsQuoting + strconv.Quote, for the message."""
    if s and not any(c in ' ="' or ord(c) < 0x20 or (ord(c) > 0x7f and (c.isspace() or not c.isprintable()))
                     for c in s):
        return s
    return json.dumps(s, ensure_ascii=False)


def install_log(chart_dir: str, values: dict, case: dict) -> list[str]:
    """What Helm logs on stderr during one `helm template` (the install
    action alone; ho.oracle renders twice): the standard logger's lines
    without the time prefix, and slog's as Helm's CLI prints them."""
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
            text = m.group(1)
            sm = SLOG_DEFAULT.match(text)
            if sm:
                text = f"level={sm.group(1)} msg={slog_value(sm.group(2))}{sm.group(3)}"
            out.append(text)
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
                            namespace=case.get("namespace", "default"),
                            include_crds=bool(case.get("include_crds")))
        except ho.OracleError as e:
            msg = e.cli_message
            # The oracle adds `helm template`'s --debug hint to every install
            # error past the values; template.go adds it only when runInstall
            # returned a release, and Install.RunWithContext returns none when
            # the release name check fails (pkg/action/install.go).
            if msg.startswith("release name check failed: "):
                msg = msg.split("\n\nUse --debug flag", 1)[0]
            return {"error": msg, **extra}
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
