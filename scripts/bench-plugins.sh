#!/usr/bin/env bash
# Prints instantiate+run times of the example Wasm plugins on Chartroom's
# wasmi host (native, optimised). "compile ms" ≈ first call minus a warm
# call (eager translation of the module, done once per loaded plugin);
# "median ms" = fresh instance + run, as every Helm Invoke does.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f public/plugins/add-labels/plugin.wasm ] || bash scripts/build-plugins.sh
cargo run --quiet --profile native -p chartroom-engine --example plugin_bench -- "${1:-20}"
