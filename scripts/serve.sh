#!/usr/bin/env bash
# Sets up the tools (scripts/setup.sh), builds the release bundle and serves
# it at http://127.0.0.1:8080/ (PORT=N to change), compressed with brotli or
# gzip like a static host (scripts/serve.mjs). Ctrl-C stops it.
#
# No file watcher: `trunk serve` died silently in one of three cold starts
# (its watcher panicked: notify-debouncer-full "index out of bounds"), and
# sends the bundle uncompressed (3.1 MB). After an edit, run this again, or
# `trunk build --release` in another terminal (the server picks up new files).
#
#   bash scripts/serve.sh [--no-build]   (--no-build: serve the dist/ already built)
set -euo pipefail
build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    *) echo "serve.sh: unknown argument $arg (usage: bash scripts/serve.sh [--no-build]; PORT=N to change the port)" >&2; exit 2 ;;
  esac
done
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${PORT:-8080}"
bash "$ROOT/scripts/setup.sh" || { echo "serve.sh: scripts/setup.sh failed (see above); nothing is served" >&2; exit 1; }
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
cd "$ROOT"
unset NO_COLOR  # trunk rejects NO_COLOR=1 (it wants true/false)
# Release build: the engine is much faster optimised.
if [ "$build" = 1 ] && ! trunk build --release --skip-version-check; then
  echo "serve.sh: trunk build --release failed (see above); nothing is served" >&2
  exit 1
fi
exec node scripts/serve.mjs --dir dist --port "$PORT"
