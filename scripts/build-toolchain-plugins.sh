#!/usr/bin/env bash
# Rebuilds the example plugins made with other toolchains than Rust/npm
# (plugins/go-*, plugins/c-*, plugins/js-*) into plugins/<name>/plugin.wasm, so
# that plugins/<name> is a Helm plugin dir (`chartroom plugin run plugins/go-wasip1 -- a b`).
# The built .wasm files are committed: CI and the tests use them and need
# neither Go nor clang. They are not in public/plugins (the page's examples):
# a 3 MB Go module is no page example. Toolchains (Debian bookworm; Go from bookworm-backports,
# the standard library only, GOPROXY=off: no module download):
#   apt-get install -y -t bookworm-backports golang-1.23-go
#   apt-get install -y clang lld libclang-rt-14-dev-wasm32 wasi-libc
# (wasi-libc from bookworm itself, 0.0~git20220510: the backports build needs
# lld >= 15 for __heap_end.) GO=/path/to/go and CLANG=... override the tools.
# js-*: QuickJS's C source (2021-03-27) comes from the PyPI sdist
# quickjs==1.19.4 (`pip download`, sha256-checked; PIP=... overrides pip),
# compiled with the same clang + wasi-libc. Two build flags stand in for
# what wasm lacks: -DEMSCRIPTEN (no threads for Atomics.wait, no native stack
# check, no malloc_usable_size) and FE_DOWNWARD/FE_UPWARD (wasm has only
# round-to-nearest: toFixed/toPrecision may round an exact tie to even).
# After a rebuild, re-record the reference outcomes:
#   ~/.cache/helm-oracle-venv/bin/python scripts/gen_compat_expected.py
# Usage: scripts/build-toolchain-plugins.sh [NAME...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
GO="${GO:-$(command -v go || echo /usr/lib/go-1.23/bin/go)}"
CLANG="${CLANG:-clang}"
names=("$@")
[ ${#names[@]} -gt 0 ] || names=($(cd "$root/plugins" && ls -d go-* c-* js-* 2>/dev/null))
wasi=(--target=wasm32-wasi --sysroot=/usr -isystem /usr/include/wasm32-wasi -O2)
qjs_sdist=quickjs-1.19.4.tar.gz
qjs_sha=1205953abc24ff757f4a795304d5d61e4bf1e555c9ef6ec96a132d4b95535484
for p in "${names[@]}"; do
  src="$root/plugins/$p"
  out="$src"
  case "$p" in
    go-*)
      # Go < 1.24 has no //go:wasmexport: a command module, entry _start.
      (cd "$src" && GOOS=wasip1 GOARCH=wasm GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod \
        "$GO" build -trimpath -ldflags="-s -w" -o "$out/plugin.wasm" .)
      echo "$p: $(wc -c < "$out/plugin.wasm") bytes ($("$GO" version | cut -d' ' -f3) wasip1)" ;;
    c-*)
      # A reactor: _initialize runs libc's constructors, then the entry.
      "$CLANG" "${wasi[@]}" -mexec-model=reactor -Wl,--strip-all -o "$out/plugin.wasm" "$src"/*.c
      echo "$p: $(wc -c < "$out/plugin.wasm") bytes ($("$CLANG" --version | head -1))" ;;
    js-*)
      b="$root/target/toolchain-plugins/$p"
      mkdir -p "$b"
      q="$root/target/toolchain-plugins/quickjs"
      if [ ! -f "$q/upstream-quickjs/quickjs.c" ]; then
        mkdir -p "$q"
        [ -f "$q/$qjs_sdist" ] || "${PIP:-pip3}" download --quiet --no-deps --no-binary :all: quickjs==1.19.4 -d "$q"
        [ "$(sha256sum "$q/$qjs_sdist" | cut -d' ' -f1)" = "$qjs_sha" ] || { echo "$q/$qjs_sdist: unexpected sha256" >&2; exit 1; }
        tar xzf "$q/$qjs_sdist" -C "$q" --strip-components=1
      fi
      u="$q/upstream-quickjs"
      python3 - "$src/plugin.js" > "$b/plugin_js.h" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
print("/* plugin.js, NUL-terminated as JS_Eval needs (generated) */")
print("static const unsigned char plugin_js[] = {" + ",".join(str(x) for x in d) + ",0};")
print("static const unsigned int plugin_js_len = %d;" % len(d))
PY
      "$CLANG" "${wasi[@]}" -mexec-model=reactor -D_GNU_SOURCE -DCONFIG_VERSION="\"$(cat "$u/VERSION")\"" \
        -w -DCONFIG_BIGNUM -DEMSCRIPTEN -DFE_DOWNWARD=0x400 -DFE_UPWARD=0x800 -I"$u" -I"$b" -I"$root/plugins" \
        -Wl,--strip-all -o "$out/plugin.wasm" "$src/main.c" \
        "$u/quickjs.c" "$u/libregexp.c" "$u/libunicode.c" "$u/cutils.c" "$u/libbf.c" -lm
      echo "$p: $(wc -c < "$out/plugin.wasm") bytes (QuickJS $(cat "$u/VERSION"), $("$CLANG" --version | head -1))" ;;
    *) echo "$p: unknown toolchain (plugins/go-*, plugins/c-* or plugins/js-*)" >&2; exit 1 ;;
  esac
done
