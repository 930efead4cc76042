#!/usr/bin/env bash
# The long differential run (issue 14): COUNT programs in chunks of CHUNK, each
# chunk its own process with its own seed (SEED, SEED+1, ...). The oracle is
# real Helm inside the Python process; Go's heap does not shrink between
# batches, so one process rendering 100,000 programs outgrows run.py's memory
# guard — separate processes keep each under it.
#
#   bash scripts/difftest-long.sh [SEED] [COUNT] [CHUNK]     (defaults 1000 100000 10000)
#
# Reproducers go to tests/artifacts/difftest-long/seed-N/; the last line sums
# the chunks: `difftest-long: N programs, N same, N differ (N known), N new`.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SEED="${1:-1000}" COUNT="${2:-100000}" CHUNK="${3:-10000}"
OUT="$ROOT/tests/artifacts/difftest-long"
mkdir -p "$OUT"
programs=0 same=0 differ=0 known=0 new=0 chunks_failed=0
s=$SEED
while [ "$programs" -lt "$COUNT" ]; do
  n=$(( COUNT - programs < CHUNK ? COUNT - programs : CHUNK ))
  log="$OUT/seed-$s.log"
  bash "$ROOT/scripts/difftest.sh" --seed "$s" --count "$n" --artifacts "$OUT/seed-$s" --quiet >"$log" 2>&1
  line=$(grep -E '^[0-9]+ programs: ' "$log" | tail -1)
  if [ -z "$line" ]; then
    echo "seed $s: no summary (see $log):"; tail -3 "$log"; chunks_failed=$((chunks_failed + 1))
  else
    echo "seed $s: $line"
    read -r p _ sm _ df _ <<<"$(echo "$line" | sed -E 's/^([0-9]+) programs: ([0-9]+) same, ([0-9]+) differ.*/\1 x \2 x \3 x/')"
    same=$((same + sm)); differ=$((differ + df))
    k=$(grep -oE '\(([0-9]+) differences match known' "$log" | grep -oE '[0-9]+' | head -1)
    known=$((known + ${k:-0}))
    grep -q 'difftest: [0-9]* passed, 0 failed' "$log" || new=$((new + 1))
  fi
  programs=$((programs + n)); s=$((s + 1))
done
echo "difftest-long: $programs programs, $same same, $differ differ ($known match known divergences); chunks with new differences or failures: $((new + chunks_failed))"
[ $((new + chunks_failed)) -eq 0 ]
