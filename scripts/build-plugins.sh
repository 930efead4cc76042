#!/usr/bin/env bash
# Builds the example Helm 4 Wasm plugins (plugins/<name>, Rust + extism-pdk
# from crates.io) into public/plugins/<name>/{plugin.wasm,plugin.yaml}.
# Idempotent: cargo rebuilds only what changed; files are copied only when
# they differ. Usable in CI (no network beyond crates.io; targets via rustup).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/plugins"
# Plugins that use the filesystem need WASI; the others are plain
# wasm32-unknown-unknown (no WASI imports at all).
wasi_plugins=" tmp-write hello-cli output-flood list-tmp "
all=$(sed -n 's/^  "\(.*\)",\{0,1\}/\1/p' Cargo.toml | tr -d '",' | tr ' ' '\n' | grep -v '^$')
for t in wasm32-unknown-unknown wasm32-wasip1; do
  rustup target list --installed 2>/dev/null | grep -qx "$t" || rustup target add "$t"
done
uu=(); wp=()
for p in $all; do
  if [[ "$wasi_plugins" == *" $p "* ]]; then wp+=(-p "$p"); else uu+=(-p "$p"); fi
done
[ ${#uu[@]} -gt 0 ] && cargo build --release --target wasm32-unknown-unknown "${uu[@]}"
[ ${#wp[@]} -gt 0 ] && cargo build --release --target wasm32-wasip1 "${wp[@]}"
copy() { mkdir -p "$(dirname "$2")"; cmp -s "$1" "$2" || cp "$1" "$2"; }
for p in $all; do
  t=wasm32-unknown-unknown
  [[ "$wasi_plugins" == *" $p "* ]] && t=wasm32-wasip1
  out="$root/public/plugins/$p"
  copy "target/$t/release/${p//-/_}.wasm" "$out/plugin.wasm"
  copy "$p/plugin.yaml" "$out/plugin.yaml"
  echo "$p: $(wc -c < "$out/plugin.wasm") bytes ($t)"
done

# AssemblyScript plugins (plugins/as-<name>, Extism AS PDK from npm, their
# own package.json). Rebuilt only when plugin.wasm is missing or the sources
# changed since the committed build (hash in plugins/as-<name>/build.sha256),
# so CI and Rust-only contributors never need npm for them.
for d in "$root"/plugins/as-*/; do
  p=$(basename "$d")
  out="$root/public/plugins/$p"
  sum=$(cd "$d" && cat package.json package-lock.json assembly/*.ts | sha256sum | cut -d' ' -f1)
  if [ ! -f "$out/plugin.wasm" ] || [ "$(cat "$d/build.sha256" 2>/dev/null)" != "$sum" ]; then
    command -v npm >/dev/null || { echo "$p: sources changed but npm is missing" >&2; exit 1; }
    (cd "$d" && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run -s build)
    copy "$d/build/plugin.wasm" "$out/plugin.wasm"
    echo "$sum" > "$d/build.sha256"
  fi
  copy "$d/plugin.yaml" "$out/plugin.yaml"
  echo "$p: $(wc -c < "$out/plugin.wasm") bytes (AssemblyScript)"
done
