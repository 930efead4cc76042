#!/usr/bin/env bash
# Speed of the native engine on the conformance corpus, next to real Helm's
# in-process `helm template` time for the same cases (the oracle's
# helm_template_s), measured in the same run. Prints figures; asserts nothing.
#   bash scripts/bench.sh [REPEAT]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
REPEAT="${1:-5}"
SHARED="${CHARTROOM_SHARED:-$ROOT/../shared}"
cargo build --quiet --profile native -p chartroom-conformance --bin conformance
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/native/conformance"
echo "== Chartroom parser alone (native)"
"$BIN" --shared "$SHARED" --bench-parse
echo "== Chartroom (native, --profile native), best of $REPEAT per case"
{ "$BIN" --shared "$SHARED" --bench "$REPEAT" || true; } | grep -E "^bench" | tee /tmp/chartroom-bench.txt
echo "== Chartroom tracing (issue 15: source map, coverage, values read) off vs on, best of $REPEAT per case"
"$BIN" --shared "$SHARED" --bench-trace "$REPEAT" | grep -E "^bench trace total"
ours=$(awk '/^bench total/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+$/) v = $i; print v }' /tmp/chartroom-bench.txt)
VENV="${HELM_ORACLE_VENV:-$HOME/.cache/helm-oracle-venv}"
"$SHARED/oracle/helm-oracle" --help >/dev/null 2>&1 || true   # creates the venv on first use
echo "== real Helm v4.2.3 (oracle helm_template_s), best of 3 per case"
"$VENV/bin/python" "$SHARED/oracle/helm_times.py" "$SHARED/conformance" --repeat 3 | tee /tmp/helm-bench.txt
helm=$(awk '/sum of per-case minimum/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+$/) v = $i; print v }' /tmp/helm-bench.txt)
python3 - "$ours" "$helm" <<'PY'
import sys
ours, helm = float(sys.argv[1]), float(sys.argv[2])
print(f"corpus total: chartroom {ours:.3f} s, helm {helm:.3f} s, ratio {ours / helm:.2f}x")
PY
