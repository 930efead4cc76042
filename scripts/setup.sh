#!/usr/bin/env bash
# Installs what Chartroom's build and tests need on a fresh Debian machine with
# rustup, cargo and node: wasm targets, Chromium, npm dev tools (binaryen's
# wasm-opt 132, playwright-core), wasm-bindgen-cli and trunk. Idempotent: every
# step is skipped when its tool is already there at the right version.
# Details and measurements: see the toolchain notes in the README.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# npm's wasm-opt must come before any other (Debian's binaryen 108 breaks the build).
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

TRUNK_VERSION=0.21.14
say() { printf '[setup] %s\n' "$*" >&2; }

for tool in rustup cargo; do
  command -v "$tool" >/dev/null || { say "$tool not found: install Rust with rustup first"; exit 1; }
done

# Root installs directly, others through sudo.
SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi
apt_install() {
  say "apt-get install $*"
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "$@" >/dev/null
}

# 1. wasm targets: the browser build and the (WASI) plugin/engine checks.
installed_targets="$(rustup target list --installed)"
for target in wasm32-unknown-unknown wasm32-wasip1; do
  if ! grep -qx "$target" <<<"$installed_targets"; then
    say "rustup target add $target"
    rustup target add "$target"
  fi
done

# 2. System packages: Chromium for the browser tests, brotli for size reports,
#    node/npm if absent.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v brotli >/dev/null || missing+=(brotli)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi

# 3. npm dev tools from package-lock.json; playwright-core never downloads
#    browsers, the flag just keeps it quiet. Re-run only when the lock changed.
stamp="node_modules/.chartroom-lock.sha256"
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
   || [ "$(cat "$stamp" 2>/dev/null)" != "$lock_sum" ]; then
  say "npm ci"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" >"$stamp"
fi

# 4. wasm-bindgen-cli at exactly Cargo.lock's wasm-bindgen version (trunk only
#    accepts an exact match). Its own lock pins a crate the index here lacks,
#    so this one is installed without --locked.
wbg_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)"
if [ -z "$wbg_version" ]; then say "no wasm-bindgen in Cargo.lock"; exit 1; fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wbg_version" ]; then
  say "cargo install wasm-bindgen-cli $wbg_version (about 5 min)"
  cargo install wasm-bindgen-cli --version "$wbg_version" --force
fi

# 5. trunk: 0.21.14 is the last release that builds on rustc 1.95; its fat-LTO
#    release profile is overridden (half the build time, same binary behaviour).
if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "cargo install trunk $TRUNK_VERSION (about 8 min)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

# 6. Crates for offline builds (Trunk.toml has offline = true).
cargo fetch --quiet

# 7. Kubernetes schema bundles for `chartroom validate` and its tests: built
#    from the PyPI package kubernetes-validate and the npm package
#    kubernetes-models (its enums; `npm pack`) (both pinned, sha256-checked) into
#    target/kube-schemas (or $CHARTROOM_KUBE_SCHEMAS); cached after the first run.
kube_py="${CHARTROOM_PIP_PYTHON:-python3}"
if ! "$kube_py" -m pip --version >/dev/null 2>&1; then kube_py="$HOME/.cache/helm-oracle-venv/bin/python"; fi
"$kube_py" scripts/kube_schemas.py >&2

say "ready: $(rustc --version), $(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version | head -n1), node $(node --version)"
