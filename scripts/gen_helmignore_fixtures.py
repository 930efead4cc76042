#!/usr/bin/env python3
"""Chart folders that exercise `.helmignore`, and real Helm's `helm template` of each.

Writes engine/tests/data/helmignore/charts/<case>/ (small charts, rewritten from
the table below on every run) and engine/tests/data/helmignore/expected/<case>.out
(stdout of a successful render) or <case>.err (stderr of a failing one), as
`/work/shared/oracle/helm-oracle <chart folder> --format helm-template` prints
them (its library is called directly: the CLI wrapper lets a chart-loading
error escape as a Python traceback; here it is printed as Helm's
`Error: <text>`). That is Helm v4.2.3 loading the folder with loader.LoadDir
(libhelm_c's helm_chart_load), so the expected outputs
carry Helm's `.helmignore` semantics (pkg/ignore: first match decides, a `!`
rule that does not match ignores, `dir/` rules, anchored rules, the default
`templates/.?*` rule, a subchart's own `.helmignore` not applied, refused rules).

engine/tests/helmignore_fixtures.rs compares `chartroom template <folder>` and
the engine's in-memory loading of the same files with these outputs byte for byte.

Run with the oracle's venv python:
  ~/.cache/helm-oracle-venv/bin/python scripts/gen_helmignore_fixtures.py
"""
import json
import os
import shutil
import sys
import tempfile

from oracle_env import HERE, ROOT, ORACLE  # noqa: E402,F401 (also puts the oracle on sys.path)

import helm_python as helm  # noqa: E402
import helm_oracle as ho  # noqa: E402
OUT = os.path.join(ROOT, "engine", "tests", "data", "helmignore")

BOM = "\ufeff"


def chart_yaml(name):
    return f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n"


def cm(name, body="x: \"1\""):
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  {body}\n"


# A ConfigMap naming every file the chart loaded besides templates (.Files).
FILES_CM = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Chart.Name }}-files
data:
  files: |
{{- range $path, $_ := .Files }}
    {{ $path }}
{{- end }}
"""

CASES = {
    # Rules are tried in order and the first match decides: the later `!*`
    # (which matches every name, so it ignores nothing) cannot bring back
    # what an earlier rule ignored.
    "first_match": {
        ".helmignore": "# first match decides\ntemplates/secret.yaml\n*.bak\n!*\nnotes.txt\n",
        "Chart.yaml": chart_yaml("first-match"),
        "values.yaml": "a: 1\n",
        "templates/cm.yaml": cm("kept"),
        "templates/secret.yaml": cm("ignored-by-the-first-rule"),
        "templates/old.yaml.bak": cm("ignored-bak"),
        "templates/files.yaml": FILES_CM,
        "notes.txt": "kept: !* came first\n",
        "data/x.bak": "ignored\n",
        "data/y.txt": "kept\n",
    },
    # `dir/` rules ignore folders (with everything under them) and never a
    # file of that name; a leading `/` anchors at the chart root; a `/`
    # inside matches the whole path; `*` never crosses `/`.
    "dir_rules": {
        ".helmignore": "docs/\nbuild/\n/root-only.txt\nconf/*.ini\n*.tmp\ntemplates/drafts/\n",
        "Chart.yaml": chart_yaml("dir-rules"),
        "templates/cm.yaml": cm("kept"),
        "templates/files.yaml": FILES_CM,
        "templates/drafts/draft.yaml": cm("ignored-draft"),
        "templates/sub/nested.yaml": cm("nested-kept"),
        "docs/a.md": "ignored\n",
        "docs/deep/b.md": "ignored\n",
        "notes/build": "kept: a file named build\n",
        "build/out.txt": "ignored\n",
        "root-only.txt": "ignored\n",
        "sub/root-only.txt": "kept\n",
        "conf/a.ini": "ignored\n",
        "conf/x/b.ini": "kept\n",
        "other/conf/a.ini": "kept\n",
        "scratch.tmp": "ignored\n",
        "deep/er/scratch.tmp": "ignored\n",
    },
    # Dotfiles in the chart's own templates/ are left out by LoadDir's
    # default rule (anchored: not in templates/ subfolders, not in a
    # subchart's templates/); a UTF-8 byte order mark is trimmed from files.
    "dotfiles_no_helmignore": {
        "Chart.yaml": BOM + chart_yaml("dotfiles"),
        "values.yaml": BOM + "a: bom\n",
        "templates/cm.yaml": BOM + cm("bom", "a: {{ .Values.a | quote }}"),
        "templates/.hidden.yaml": cm("ignored-hidden"),
        "templates/.x": cm("ignored-x"),
        "templates/sub/.nested.yaml": cm("nested-dotfile-kept"),
        "templates/files.yaml": FILES_CM,
        ".dotfile-at-root": "kept\n",
    },
    # The root's .helmignore applies to the whole walk, subcharts included;
    # a subchart's own .helmignore is only a file (LoadFiles ignores it).
    "subchart": {
        ".helmignore": "*.md\ncharts/sub/ignored-by-root.txt\n",
        "Chart.yaml": chart_yaml("parent") + "dependencies:\n- name: sub\n  version: 0.1.0\n",
        "README.md": "ignored\n",
        "templates/cm.yaml": cm("parent"),
        "templates/files.yaml": FILES_CM,
        "charts/sub/.helmignore": "templates/skip.yaml\n*.txt\n",
        "charts/sub/Chart.yaml": chart_yaml("sub"),
        "charts/sub/README.md": "ignored by the root's *.md\n",
        "charts/sub/ignored-by-root.txt": "ignored\n",
        "charts/sub/kept.txt": "kept: the subchart's own rules do not apply\n",
        "charts/sub/templates/skip.yaml": cm("sub-skip-rendered"),
        "charts/sub/templates/.dot.yaml": cm("sub-dotfile-rendered"),
        "charts/sub/templates/files.yaml": FILES_CM,
    },
    # A `!` rule that does not match ignores the path: here every name but
    # *.yaml, so the templates/ folder goes, and the chart renders nothing.
    "negation_ignores_non_matches": {
        ".helmignore": "!*.yaml\n",
        "Chart.yaml": chart_yaml("negation"),
        "values.yaml": "a: 1\n",
        "templates/cm.yaml": cm("never-loaded"),
    },
    # ... and here Chart.yaml itself.
    "err_negation_drops_chart_yaml": {
        ".helmignore": "*.bak\n!keep.txt\n",
        "Chart.yaml": chart_yaml("negation"),
        "keep.txt": "kept\n",
        "templates/cm.yaml": cm("x"),
    },
    # A `!dir/` rule ignores every file that is not a directory.
    "err_negated_dir_rule": {
        ".helmignore": "!templates/\n",
        "Chart.yaml": chart_yaml("negated-dir"),
        "templates/cm.yaml": cm("x"),
    },
    "err_double_star": {
        ".helmignore": "ok.txt\nfoo/**/bar\n",
        "Chart.yaml": chart_yaml("double-star"),
        "templates/cm.yaml": cm("x"),
    },
    "err_bad_pattern": {
        ".helmignore": "[z-\n",
        "Chart.yaml": chart_yaml("bad-pattern"),
        "templates/cm.yaml": cm("x"),
    },
    # A .helmignore that ignores itself is not in .Files; CRLF line ends.
    "crlf_and_self": {
        ".helmignore": ".helmignore\r\n  *.log  \r\n# comment\r\n",
        "Chart.yaml": chart_yaml("crlf"),
        "templates/files.yaml": FILES_CM,
        "app.log": "ignored\n",
        "logs/a.log": "ignored\n",
        "keep.cfg": "kept\n",
    },
}


# Cases too large to commit: built in a temporary folder here and, from the
# same description, in memory by the Rust test; Helm's output goes to
# expected/large.json. Values: text, or (byte, count, suffix).
LARGE = {
    # bufio.Scanner's limit: a .helmignore line of 64 KiB or more.
    "line_64k_minus_1": {".helmignore": ("a", 65535, "\n")},
    "line_64k": {".helmignore": ("a", 65536, "")},
    # LoadDir's limit on a file it reads (archive.MaxDecompressedFileSize)...
    "file_over_5mib": {"big.bin": ("x", 5 * 1024 * 1024 + 1, "")},
    # ... which an ignored file never meets.
    "ignored_file_over_5mib": {"big.bin": ("x", 5 * 1024 * 1024 + 1, ""), ".helmignore": "big.bin\n"},
}
LARGE_BASE = {
    "Chart.yaml": chart_yaml("large"),
    "templates/cm.yaml": cm("large"),
}


# What only a real folder has (the CLI's walk, `chartroom template DIR`):
# symbolic links (followed) and irregular files (an error unless ignored).
# Built in a temporary folder here and by the Rust test; Helm's output goes
# to expected/fs.json with the folder's path replaced by CHART.
FS = {
    "symlinks": {"files": {"data/a.txt": "hi\n"}, "symlinks": {"linked": "data", "alink.txt": "data/a.txt"}},
    "fifo": {"fifos": ["pipe"]},
    "ignored_fifo": {"files": {".helmignore": "pipe\n"}, "fifos": ["pipe"]},
}
FS_BASE = {
    "Chart.yaml": chart_yaml("fs"),
    "templates/files.yaml": FILES_CM,
}


def render(d):
    """render.py's main() for `--format helm-template`, no values: (name suffix, text)."""
    try:
        res = ho.oracle(d, ho.build_values([], [], []))
        assert res["hooks_verified"] is not False
        return "out", res["helm_template"]
    except ho.OracleError as e:
        return "err", f"Error: {e.cli_message}\n"
    except helm.HelmError as e:
        # helm_chart_load (loader.Load) failed: `helm template` prints it as is.
        return "err", f"Error: {e.detail}\n"


def write_chart(case, files, root=None):
    d = os.path.join(root or os.path.join(OUT, "charts"), case)
    shutil.rmtree(d, ignore_errors=True)
    for rel, text in files.items():
        p = os.path.join(d, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if isinstance(text, tuple):
            byte, count, suffix = text
            text = byte * count + suffix
        with open(p, "wb") as f:
            f.write(text.encode())
    return d


def main():
    exp = os.path.join(OUT, "expected")
    shutil.rmtree(exp, ignore_errors=True)
    os.makedirs(exp)
    for case, files in CASES.items():
        d = write_chart(case, files)
        kind, text = render(d)
        name = f"{case}.{kind}"
        with open(os.path.join(exp, name), "wb") as f:
            f.write(text.encode())
        print(f"{case}: {name} ({len(text)} bytes)", file=sys.stderr)
    large = {}
    tmp = tempfile.mkdtemp(prefix="helmignore-")
    try:
        for case, files in LARGE.items():
            kind, text = render(write_chart(case, {**LARGE_BASE, **files}, tmp))
            large[case] = {kind: text}
            print(f"{case}: {kind}", file=sys.stderr)
    finally:
        shutil.rmtree(tmp)
    fs = {}
    tmp = tempfile.mkdtemp(prefix="helmignore-")
    try:
        for case, spec in FS.items():
            d = write_chart(case, {**FS_BASE, **spec.get("files", {})}, tmp)
            for link, target in spec.get("symlinks", {}).items():
                os.symlink(target, os.path.join(d, link))
            for fifo in spec.get("fifos", []):
                os.mkfifo(os.path.join(d, fifo))
            kind, text = render(d)
            fs[case] = {kind: text.replace(d, "CHART")}
            print(f"{case}: {kind}", file=sys.stderr)
    finally:
        shutil.rmtree(tmp)
    with open(os.path.join(exp, "fs.json"), "w") as f:
        json.dump(fs, f, indent=1, sort_keys=True)
        f.write("\n")
    with open(os.path.join(exp, "large.json"), "w") as f:
        json.dump(large, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
