#!/usr/bin/env bash
# Helm's own `helm template` command tests (pkg/cmd/template_test.go,
# TestTemplateCmd) run against `chartroom template`, byte for byte
# against Helm's golden files (pkg/cmd/testdata/output/*.txt).
#
# Helm's test charts and goldens are Helm's files and are not part of this
# repository: they are extracted from a bare clone of helm/helm into a
# temporary folder. Helm's test build pins Capabilities.KubeVersion to
# v1.20.0 (pkg/chart/common/capabilities.go, testing.Testing()), so
# `--kube-version 1.20.0` is added where a case sets none; `helm` in a
# golden's Error/Usage lines is compared as `chartroom`; slog lines
# (`level=...`, which Helm's harness does not capture) are left out.
#
#   HELM_MIRROR  bare git repository of helm/helm (default /work/.mirror/helm+helm/repo;
#                get one with: git clone --bare https://github.com/helm/helm.git DIR)
#   HELM_TAG     the Helm tag whose tests run, v4.2.3 (default) or v4.2.4;
#                chartroom runs with `--helm-version $HELM_TAG`
#   CHARTROOM    the chartroom binary (default: built with cargo, release profile)
# Prints each failure's diff and `N passed, N failed`; exit 1 on a failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mirror="${HELM_MIRROR:-/work/.mirror/helm+helm/repo}"
tag="${HELM_TAG:-v4.2.3}"
if ! git --git-dir="$mirror" rev-parse --verify -q "$tag^{commit}" >/dev/null; then
  echo "FAIL: no Helm sources at $mirror (tag $tag): git clone --bare https://github.com/helm/helm.git $mirror" >&2
  exit 1
fi
if [ -z "${CHARTROOM:-}" ]; then
  (cd "$root" && cargo build --release -q -p chartroom-engine --bin chartroom)
  CHARTROOM="${CARGO_TARGET_DIR:-$root/target}/release/chartroom"
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
git --git-dir="$mirror" archive "$tag" pkg/cmd/testdata pkg/cmd/template_test.go | tar -x -C "$tmp"
cd "$tmp/pkg/cmd"
CHARTROOM="$CHARTROOM" HELM_TAG="$tag" python3 - <<'PY'
import os, re, shlex, subprocess, sys, difflib

src = open("template_test.go").read()
body = src[src.index("func TestTemplateCmd"):src.index("runTestCmd(t, tests)")]
consts = {"chartPath": "testdata/testcharts/subchart"}
for m in re.finditer(r'(\w+)\s*:?=\s*"([^"]*)"', src):
    consts.setdefault(m.group(1), m.group(2))

def go_string(expr):
    """The few Go expressions the cases use: a literal or fmt.Sprintf with
    string variables and filepath.Join."""
    expr = expr.strip()
    if expr.startswith('"'):
        return bytes(expr[1:-1], "utf-8").decode("unicode_escape")
    if expr.startswith("`"):
        return expr[1:-1]
    m = re.match(r'fmt\.Sprintf\((`[^`]*`|"(?:[^"\\]|\\.)*")\s*,(.*)\)$', expr, re.S)
    fmt_s, rest = go_string(m.group(1)), m.group(2)
    args = []
    for a in re.findall(r'filepath\.Join\([^)]*\)|"[^"]*"|\w+', rest):
        if a.startswith("filepath.Join"):
            parts = [consts.get(p.strip(), p.strip().strip('"')) for p in a[len("filepath.Join("):-1].split(",")]
            args.append(os.path.normpath("/".join(parts)))
        elif a.startswith('"'):
            args.append(a[1:-1])
        else:
            args.append(consts[a])
    return fmt_s.replace("{", "{{").replace("}", "}}").replace("%s", "{}").format(*args)

cases = []
for block in re.findall(r"\{\s*\n(.*?)\n\t\t\}", body, re.S):
    fields = dict(re.findall(r"(\w+):\s*(.*?),[ \t]*\n", block + "\n"))
    if "cmd" not in fields:
        continue
    name = go_string(fields["name"])
    cmd = go_string(fields["cmd"])
    golden = go_string(fields["golden"])
    want_error = fields.get("wantError", "false").strip() == "true"
    cases.append((name, cmd, golden, want_error))

passed = failed = 0
for name, cmd, golden, want_error in cases:
    args = shlex.split(cmd)
    if "--kube-version" not in args:
        args += ["--kube-version", "1.20.0"]
    args += ["--helm-version", os.environ["HELM_TAG"]]
    p = subprocess.run([os.environ["CHARTROOM"]] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    # Helm's test harness captures cobra's output, not slog's (os.Stderr).
    got = "".join(l for l in p.stdout.decode("utf-8", "replace").splitlines(True) if not l.startswith("level="))
    want = "".join(
        l.replace('"helm ', '"chartroom ').replace("Usage:  helm ", "Usage:  chartroom ")
        if l.startswith(("Error:", "Usage:")) else l
        for l in open(os.path.join("testdata", golden)).read().splitlines(True))
    ok = got == want and (p.returncode != 0) == want_error
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}: chartroom {' '.join(args)} (exit {p.returncode}, want error: {want_error})")
        sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), got.splitlines(True), golden, "chartroom", n=1))
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
