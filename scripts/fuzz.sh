#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for SECONDS each (default 60) with
# libFuzzer, and prints executions and findings per target.
#   bash scripts/fuzz.sh [seconds] [target ...]
# FUZZ_RUNS=N stops each target after N executions instead (the figures in
# docs/fuzzing.md: FUZZ_RUNS=1000000 with a large SECONDS); FUZZ_MAX_LEN
# caps an input's length (default 65536; longer seeds are cut); FUZZ_NO_BUILD=1
# runs the binaries already built; FUZZ_TRACE_CMP=0 builds without compare
# tracing (see below).
# Needs a nightly toolchain (rustup toolchain install nightly); builds with
# cargo-fuzz's flags itself, so cargo-fuzz need not be installed.
# Corpora live in fuzz/corpus/<target> (kept in the repository); crashes go
# to fuzz/artifacts/<target> — turn each into a regression test.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(template template_ast yaml strvals schema archive plugin_yaml share plugin_host)
fi
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$PWD/target}"
flags="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
 --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
# Compare tracing (cargo-fuzz's default) lets libFuzzer lift constants from
# comparisons into its mutations, but costs about a third of each input's
# CPU in the render-heavy targets; FUZZ_TRACE_CMP=0 builds without it (edge
# coverage only) for long runs on a loaded machine.
if [ "${FUZZ_TRACE_CMP:-1}" != 0 ]; then
    flags="$flags -Cllvm-args=-sanitizer-coverage-trace-compares"
fi
# An explicit --target keeps the instrumentation out of build scripts (as
# cargo-fuzz does).
host="$(rustc +nightly -vV | sed -n 's/^host: //p')"
if [ -z "${FUZZ_NO_BUILD:-}" ]; then
    RUSTFLAGS="$flags" cargo +nightly build --release --bins --target "$host"
fi
status=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    log="$(mktemp)"
    before=$(find "artifacts/$t" -type f | wc -l)
    start=$(date +%s)
    set +e
    "$CARGO_TARGET_DIR/$host/release/$t" "corpus/$t" -artifact_prefix="artifacts/$t/" \
        -max_total_time="$secs" ${FUZZ_RUNS:+-runs=$FUZZ_RUNS} -timeout=10 -rss_limit_mb=2048 -max_len="${FUZZ_MAX_LEN:-65536}" \
        -print_final_stats=1 >"$log" 2>&1
    rc=$?
    set -e
    took=$(($(date +%s) - start))
    execs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
    found=$(($(find "artifacts/$t" -type f | wc -l) - before))
    size=$(du -sh "corpus/$t" | cut -f1)
    echo "$t: ${execs:-?} executions in ${took}s, exit $rc, findings: $found, corpus: $(ls "corpus/$t" | wc -l) files, $size"
    if [ "$rc" -ne 0 ]; then
        status=1
        grep -E 'ERROR|panicked|SUMMARY' "$log" | head -5
    fi
    rm -f "$log"
done
exit $status
