#!/usr/bin/env bash
# Prints (never asserts) timings of the example Wasm plugins on Chartroom's
# wasmi host (native, optimised build):
#  * per plugin: compile (once per module content: lazy validation and
#    translation, a body scan for unsupported proposals),
#    instantiate (fresh store + instance + _initialize + input block, as every
#    Helm Invoke does) and run (the entry call) in ms;
#  * wasmi vs wasmtime on the `compute` plugin (the python `extism` reference
#    host from ~/.cache/helm-oracle-venv; same input, best of RUNS, call only);
#  * whole Invokes against the reference host (a 200,000-host-call module,
#    examples, the C plugin plugins/c-wc on a 200,000-byte input, and the
#    compatibility rows marked `bench`: Go (plugins/go-wasip1) and
#    JavaScript (plugins/js-quickjs) start-up, fetched third-party modules);
#  * compiling a ~2 MB module, cold and cached;
#  * how far past its 200 ms deadline the tight-loop plugin stopped.
# CHARTROOM_BENCH_ONLY=wall,compile,... runs only those sections.
# usage: scripts/bench-plugins.sh [RUNS=20] [COMPUTE_N=5000000]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f public/plugins/add-labels/plugin.wasm ] || bash scripts/build-plugins.sh
cargo run --quiet --profile native -p chartroom-engine --example plugin_bench -- "${1:-20}" "${2:-5000000}"
