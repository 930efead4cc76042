#!/usr/bin/env python3
"""Expected `toYaml .Values` of every conformance chart, from real Helm.

For each chart in ../shared/conformance/charts, a temporary copy gets its
templates replaced by one `t.txt` = `{{ toYaml .Values }}` (other templates
are removed so that required/fail checks cannot abort the render; values
coalescing does not depend on them). Helm's output is written to
engine/tests/data/yaml/<chart>.toyaml (chart files are never copied into
the repository). Charts that do not render (library charts, missing
dependencies) are listed in engine/tests/data/yaml/SKIPPED.

Run: ~/.cache/helm-oracle-venv/bin/python scripts/gen_yaml_chart_fixtures.py
"""
import json, os, sys, tempfile, shutil, glob

from oracle_env import HERE, ROOT, ORACLE  # noqa: E402,F401 (also puts the oracle on sys.path)
CHARTS = os.path.join(os.path.dirname(ORACLE), "conformance", "charts")

import helm_python as helm  # noqa: E402
from helm_python import _native  # noqa: E402

OUT = os.path.join(ROOT, "engine", "tests", "data", "yaml")


def strip_templates(chart_dir):
    for dirpath, dirnames, filenames in os.walk(chart_dir):
        if os.path.basename(dirpath) == "templates":
            for f in filenames:
                os.remove(os.path.join(dirpath, f))
            for d in list(dirnames):
                shutil.rmtree(os.path.join(dirpath, d))
            dirnames[:] = []


def main():
    os.makedirs(OUT, exist_ok=True)
    skipped = []
    for chart in sorted(os.listdir(CHARTS)):
        src = os.path.join(CHARTS, chart)
        if not os.path.isdir(src):
            continue
        d = tempfile.mkdtemp(prefix="yamlfix-")
        try:
            c = os.path.join(d, chart)
            shutil.copytree(src, c, symlinks=False)
            strip_templates(c)
            os.makedirs(os.path.join(c, "templates"), exist_ok=True)
            with open(os.path.join(c, "templates", "t.txt"), "w") as f:
                f.write("{{ toYaml .Values }}")
            try:
                ch = helm.Chart.load(c)
            except helm.HelmError as exc:
                skipped.append(f"{chart}: {exc.detail}")
                continue
            try:
                opts = {"name": "release-name", "namespace": "default"}
                files = json.loads(_native.call_string("helm_render", ch._raw(), None, json.dumps(opts)))
            except helm.HelmError as exc:
                skipped.append(f"{chart}: {exc.detail}")
                continue
            finally:
                ch.close()
            key = [k for k in files if k.endswith("/templates/t.txt") and k.count("/") == 2]
            if not key:
                skipped.append(f"{chart}: no output")
                continue
            with open(os.path.join(OUT, chart + ".toyaml"), "w") as f:
                f.write(files[key[0]])
        finally:
            shutil.rmtree(d, ignore_errors=True)
    with open(os.path.join(OUT, "SKIPPED"), "w") as f:
        f.write("".join(s.replace("\n", " ") + "\n" for s in skipped))
    print(f"{len(os.listdir(OUT)) - 1} fixtures, {len(skipped)} skipped")


if __name__ == "__main__":
    main()
