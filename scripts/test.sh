#!/usr/bin/env bash
# Sets up the tools (scripts/setup.sh), then runs every check:
#   0. cargo fmt --check, cargo clippy -D warnings, no import cycles among
#      the page's modules (scripts/module_cycles.py) (style)
#   1. cargo test --workspace            (engine and app logic, natively)
#   2. trunk build --release             (the browser bundle: page + render worker)
#   3. node --test tests/e2e/            (the bundle in headless Chromium)
#   4. tests/conformance                 (the Helm conformance runner, native)
#   4b. engine/tests/kube_validate.rs    (schema validation: corpus counts, benchmark)
#   5. scripts/difftest.sh               (random templates against real Helm: a short
#                                         run with a fixed seed; needs ../shared/oracle)
# Every stage runs even if an earlier one failed (except e2e without a bundle);
# the output ends with each runner's own summary lines; the exit status is
# non-zero if any stage failed.
#
# CHARTROOM_TARGET_DIR: cargo target dir to use (default: target/ in the clone;
#   point it outside to reuse compiled crates between fresh clones — only when no
#   two runs share it at the same time).
# CHARTROOM_SHARED: the shared conformance data (default: ../shared beside the clone).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh || { echo "setup failed" >&2; exit 1; }
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CHARTROOM_TARGET_DIR:-$ROOT/target}"
export CARGO_TERM_COLOR=never
# trunk parses NO_COLOR as a boolean ("1" is an error), so it never sees it.
unset NO_COLOR

LOGS="$ROOT/tests/artifacts/logs"
mkdir -p "$LOGS"
failed=()
stage() { printf '\n===== %s =====\n' "$*"; }

stage "style (cargo fmt --check; cargo clippy --workspace --all-targets -D warnings)"
if cargo fmt --all --check >"$LOGS/fmt.log" 2>&1; then
  echo "cargo fmt --check: clean"
else
  failed+=("fmt")
  echo "cargo fmt --check: files need formatting (run cargo fmt):"
  grep '^Diff in' "$LOGS/fmt.log" | head -n 40
fi
cargo clippy --workspace --all-targets --quiet -- -D warnings 2>&1 | tee "$LOGS/clippy.log" || failed+=("clippy")
# The page's modules form layers (docs/ARCHITECTURE.md): no import cycles.
python3 scripts/module_cycles.py 2>&1 | tee "$LOGS/module-cycles.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || failed+=("module cycles")

stage "cargo test --workspace"
# The plugin compatibility set (third-party binaries from PyPI/npm) that
# engine/tests/plugin_compat.rs runs; the test fails without it.
bash scripts/fetch_compat_plugins.sh 2>&1 | tee "$LOGS/compat-plugins.log" || failed+=("fetch compat plugins")
# The conformance runner has its own stage below (optimised build, its own summary).
cargo test --workspace --no-fail-fast --exclude chartroom-conformance 2>&1 | tee "$LOGS/cargo-test.log" || failed+=("cargo test")

stage "trunk build --release"
start=$SECONDS
built=0
if trunk build --release --skip-version-check 2>&1 | tee "$LOGS/trunk-build.log"; then
  built=1
  echo "trunk build: $((SECONDS - start)) s"
  for f in dist/*.wasm dist/*.js; do
    printf '%-28s raw %8d  gzip %8d  brotli %8d\n' "$(basename "$f")" "$(stat -c %s "$f")" \
      "$(gzip -9c "$f" | wc -c)" "$(brotli -q 11 -c "$f" | wc -c)"
  done | tee "$LOGS/sizes.log"
else
  failed+=("trunk build")
fi

stage "browser e2e (node --test tests/e2e/)"
if [ "$built" = 1 ]; then
  node --test --test-reporter=tap tests/e2e/ 2>&1 | tee "$LOGS/e2e.log" || failed+=("e2e")
else
  echo "skipped: no bundle" | tee "$LOGS/e2e.log"
  failed+=("e2e (not run)")
fi

stage "conformance (../shared/conformance, real Helm v4.2.3 outputs)"
cargo run --quiet --profile native -p chartroom-conformance --bin conformance 2>&1 | tee "$LOGS/conformance.log" \
  || failed+=("conformance")

stage "kube validate (corpus documents with a schema; kube-prometheus-stack benchmark, native build)"
# The same tests as in cargo test, built with the conformance stage's native
# profile so the printed benchmark is an optimised one.
cargo test --quiet --profile native -p chartroom-engine --test kube_validate -- --nocapture --test-threads=1 2>&1 \
  | tee "$LOGS/kube-validate.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || failed+=("kube validate")

stage "difftest (random templates, values and --set lines against real Helm v4.2.3)"
# A short run with a fixed seed; the long run is `bash scripts/difftest.sh --count 100000`.
bash scripts/difftest.sh --seed 1 --count 3000 --quiet 2>&1 | tee "$LOGS/difftest.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || failed+=("difftest")

# The runners' own summary lines, last (logs in tests/artifacts/logs/).
stage "summary"
if [ "${#failed[@]}" -gt 0 ]; then echo "failed stages: ${failed[*]}"; fi
echo "-- style:"
if [ -s "$LOGS/fmt.log" ]; then echo "cargo fmt: not clean"; else echo "cargo fmt: clean"; fi
grep -cE '^(warning|error)' "$LOGS/clippy.log" | sed 's/^/clippy findings: /'
grep -E '^module_cycles: [0-9]+ modules' "$LOGS/module-cycles.log" || echo "module_cycles: no summary"
echo "-- cargo test:"
grep -E '^test result:|^error(\[|:)' "$LOGS/cargo-test.log" || true
echo "-- e2e:"
grep -E '^# (tests|pass|fail|cancelled|skipped|todo|duration_ms) |^skipped' "$LOGS/e2e.log" || true
echo "-- conformance:"
tail -n 2 "$LOGS/conformance.log"
echo "-- kube validate:"
grep -oE '(kube validate corpus|bench kube).*' "$LOGS/kube-validate.log" || true
echo "-- difftest:"
grep -E '^[0-9]+ programs:|^difftest:' "$LOGS/difftest.log" || echo "difftest: 0 passed, 1 failed (no summary)"
[ "${#failed[@]}" -eq 0 ]
