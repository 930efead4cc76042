#!/usr/bin/env bash
# Rebuilds the example plugins made with other toolchains than Rust/npm
# (plugins/go-*, plugins/c-*) into public/plugins/<name>/{plugin.wasm,plugin.yaml}.
# The built .wasm files are committed: CI and the tests use them and need
# neither Go nor clang. Toolchains (Debian bookworm; Go from bookworm-backports,
# the standard library only, GOPROXY=off: no module download):
#   apt-get install -y -t bookworm-backports golang-1.23-go
#   apt-get install -y clang lld libclang-rt-14-dev-wasm32 wasi-libc
# (wasi-libc from bookworm itself, 0.0~git20220510: the backports build needs
# lld >= 15 for __heap_end.) GO=/path/to/go and CLANG=... override the tools.
# After a rebuild, re-record the reference outcomes:
#   ~/.cache/helm-oracle-venv/bin/python scripts/gen_compat_expected.py
# Usage: scripts/build-toolchain-plugins.sh [NAME...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
GO="${GO:-$(command -v go || echo /usr/lib/go-1.23/bin/go)}"
CLANG="${CLANG:-clang}"
names=("$@")
[ ${#names[@]} -gt 0 ] || names=($(cd "$root/plugins" && ls -d go-* c-* 2>/dev/null))
for p in "${names[@]}"; do
  src="$root/plugins/$p"
  out="$root/public/plugins/$p"
  mkdir -p "$out"
  case "$p" in
    go-*)
      # Go < 1.24 has no //go:wasmexport: a command module, entry _start.
      (cd "$src" && GOOS=wasip1 GOARCH=wasm GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod \
        "$GO" build -trimpath -ldflags="-s -w" -o "$out/plugin.wasm" .)
      echo "$p: $(wc -c < "$out/plugin.wasm") bytes ($("$GO" version | cut -d' ' -f3) wasip1)" ;;
    c-*)
      # A reactor: _initialize runs libc's constructors, then the entry.
      "$CLANG" --target=wasm32-wasi --sysroot=/usr -isystem /usr/include/wasm32-wasi -O2 \
        -mexec-model=reactor -Wl,--strip-all -o "$out/plugin.wasm" "$src"/*.c
      echo "$p: $(wc -c < "$out/plugin.wasm") bytes ($("$CLANG" --version | head -1))" ;;
    *) echo "$p: unknown toolchain (plugins/go-* or plugins/c-*)" >&2; exit 1 ;;
  esac
  cp "$src/plugin.yaml" "$out/plugin.yaml"
done
