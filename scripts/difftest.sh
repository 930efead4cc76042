#!/usr/bin/env bash
# Differential tester: random Go templates, values and --set lines rendered by
# Chartroom and by real Helm v4.2.3 (the shared oracle, in-process); every
# difference is minimised and written to tests/artifacts/difftest/.
#
#   bash scripts/difftest.sh [--seed N] [--count N] [--batch N] [--minimise-budget S] ...
#
# Prints `N programs: N same, N differ` and `difftest: N passed, N failed`; exit 1
# when a difference is not in scripts/difftest/known.txt. Needs the oracle's
# venv (~/.cache/helm-oracle-venv, created from ../shared/oracle/setup.sh when
# missing). CHARTROOM_SHARED: the shared data (default ../shared beside the clone).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"
SHARED="${CHARTROOM_SHARED:-$ROOT/../shared}"
VENV="${HELM_ORACLE_VENV:-$HOME/.cache/helm-oracle-venv}"
if [ ! -d "$SHARED/oracle" ]; then
  echo "difftest: FAILED: the oracle is missing: $SHARED/oracle (the shared data beside the clone, with real Helm" \
       "via helm_python; set CHARTROOM_SHARED to its folder)" >&2
  echo "difftest: 0 passed, 1 failed"
  exit 1
fi
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import helm_python' 2>/dev/null; then
  echo "difftest: creating the oracle venv ($VENV)"
  sh "$SHARED/oracle/setup.sh" || { echo "difftest: FAILED: $SHARED/oracle/setup.sh failed" >&2; exit 1; }
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
cargo build --quiet --profile native -p chartroom-engine --example difftest_render || {
  echo "difftest: FAILED: cargo build of the difftest_render example failed" >&2; exit 1; }
exec "$VENV/bin/python" scripts/difftest/run.py --binary "$CARGO_TARGET_DIR/native/examples/difftest_render" "$@"
