#!/usr/bin/env bash
# Sets up the tools (scripts/setup.sh), then serves Chartroom at
# http://127.0.0.1:8080/ with the hello-world example loaded. Ctrl-C stops it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
cd "$ROOT"
# Release build: the engine is much faster optimised; trunk rebuilds on change.
unset NO_COLOR  # trunk rejects NO_COLOR=1 (it wants true/false)
exec trunk serve --release --skip-version-check --address 127.0.0.1 --port 8080
