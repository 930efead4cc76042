#!/usr/bin/env bash
# The conformance corpus rendered in headless Chromium by the release build
# (scripts/bench-browser.mjs), next to real Helm's in-process `helm template`
# time for the same cases (the oracle's helm_template_s) measured in the same
# run, and the native engine's time (scripts/bench.sh's figure). Prints
# figures; asserts nothing.
#   bash scripts/bench-browser.sh [REPEAT] [--no-build] [--no-native] [--warm]
# Browser renders are cold (templates not parsed before) unless --warm.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
unset NO_COLOR
REPEAT=3
BUILD=1
NATIVE=1
WARM=()
for a in "$@"; do
  case "$a" in
    --no-build) BUILD=0 ;;
    --no-native) NATIVE=0 ;;
    --warm) WARM=(--warm) ;;
    *) REPEAT="$a" ;;
  esac
done
SHARED="${CHARTROOM_SHARED:-$ROOT/../shared}"
[ -d "$SHARED/conformance" ] || SHARED="$ROOT/../../shared"
LOCK=(flock /work/wt/heavy.lock)
[ -e /work/wt/heavy.lock ] || LOCK=()
OUT="${TMPDIR:-/tmp}/chartroom-bench-browser.$$"
mkdir -p "$OUT"
if [ "$BUILD" = 1 ]; then
  "${LOCK[@]}" trunk build --release --skip-version-check >"$OUT/trunk.log" 2>&1 || { cat "$OUT/trunk.log"; exit 1; }
fi
echo "== Chartroom in Chromium (release build, render worker), best of $REPEAT per case"
"${LOCK[@]}" node scripts/bench-browser.mjs "$REPEAT" "${WARM[@]}" --json "$OUT/browser.json" | tee "$OUT/browser.txt"
if [ "$NATIVE" = 1 ]; then
  echo "== Chartroom native (--profile native), best of $REPEAT per case"
  cargo build --quiet --profile native -p chartroom-conformance --bin conformance
  { "${CARGO_TARGET_DIR:-$ROOT/target}/native/conformance" --shared "$SHARED" --bench "$REPEAT" || true; } | grep -E "^bench" >"$OUT/native.txt"
  tail -1 "$OUT/native.txt"
fi
VENV="${HELM_ORACLE_VENV:-$HOME/.cache/helm-oracle-venv}"
"$SHARED/oracle/helm-oracle" --help >/dev/null 2>&1 || true   # creates the venv on first use
echo "== real Helm v4.2.3 (oracle helm_template_s), best of 3 per case"
"${LOCK[@]}" "$VENV/bin/python" "$SHARED/oracle/helm_times.py" "$SHARED/conformance" --repeat 3 >"$OUT/helm.txt"
tail -1 "$OUT/helm.txt"
python3 - "$OUT" <<'PY'
import json, os, re, sys
out = sys.argv[1]
browser = {c["id"]: c for c in json.load(open(os.path.join(out, "browser.json")))["cases"]}
helm, native = {}, {}
for line in open(os.path.join(out, "helm.txt")):
    m = re.match(r"^(\S+)\s+([\d.]+) ms$", line.strip())
    if m:
        helm[m[1]] = float(m[2])
if os.path.exists(os.path.join(out, "native.txt")):
    for line in open(os.path.join(out, "native.txt")):
        m = re.match(r"^bench (\S+)\s+([\d.]+) ms$", line.strip())
        if m:
            native[m[1]] = float(m[2])
print(f"\n{'case':48} {'browser':>9} {'native':>9} {'helm':>9} {'browser/helm':>12}  output")
tb = tn = th = 0.0
for cid, c in browser.items():
    b, n, h = c["engine_ms"], native.get(cid), helm.get(cid)
    tb += b; th += h or 0; tn += n or 0
    ratio = f"{b / h:.2f}x" if h else "-"
    nat = f"{n:9.2f}" if n is not None else f"{'-':>9}"
    print(f"{cid:48} {b:9.2f} {nat} {h or 0:9.2f} {ratio:>12}  {'equal' if c['equal'] else 'DIFFERS'}")
equal = sum(c["equal"] for c in browser.values())
print(f"{'total (ms)':48} {tb:9.1f} {tn if native else float('nan'):9.1f} {th:9.1f} {tb / th:11.2f}x  {equal}/{len(browser)} equal")
print(f"corpus total: browser {tb / 1000:.3f} s, helm {th / 1000:.3f} s, ratio {tb / th:.2f}x"
      + (f"; native {tn / 1000:.3f} s, ratio {tn / th:.2f}x" if native else ""))
PY
rm -rf "$OUT"
