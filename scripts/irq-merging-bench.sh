#!/usr/bin/env bash
# The irq search with and without state merging (docs/BENCHMARKS.md, "State merging"): for each
# shipped scenario of the irq issue's table and each bound, one merged and one plain (--no-merge)
# search, side by side in the same run, --keep-going, skew 2, every core, each cut at LIMIT.
# Prints one Markdown row per (scenario, bound): schedules, distinct states, merged, wall ms, and
# whether the search completed. Usage: [SCENARIOS="..."] scripts/irq-merging-bench.sh [LIMIT] [BOUNDS...]
#   scripts/irq-merging-bench.sh 60s 0 1 2 3
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
limit="${1:-60s}"
shift || true
bounds=("${@:-0 1 2}")
maxs="--max-schedules 100000000"
# SCENARIOS="a b" overrides the five of the irq issue's table
scenarios=(${SCENARIOS:-seed-race seed-race-no-interrupt seed-race-short-interrupt seed-race-second-in-pagevec seed-race-another-page})
"$root/mmemu" --version >/dev/null
row() {  # scenario bound [--no-merge]
    local tmp
    tmp=$(mktemp)
    local start end
    start=$(date +%s%N)
    "$root/mmemu" explore "$1" --delays irq --preemption-bound "$2" --skew 2 --keep-going \
        --time-limit "$limit" $maxs --json "$tmp" ${3:-} >/dev/null 2>&1 || true
    end=$(date +%s%N)
    python3 - "$tmp" $(( (end - start) / 1000000 )) <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
kinds = ",".join(sorted(r.get("findingCounts") or {})) or "-"
done = "complete" if r["complete"] else "cut: " + str(r.get("incompleteReason"))
print(f'{r["schedules"]:,} | {r.get("distinctStates", 0):,} | {r.get("merged", 0):,} | '
      f'{r["elapsedMillis"]:,} | {int(sys.argv[2]):,} | {done} | {kinds}')
PY
    rm -f "$tmp"
}
echo "| scenario | bound | search | schedules | distinct states | merged | search ms | wall ms | coverage | findings |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for b in ${bounds[@]}; do
    for s in "${scenarios[@]}"; do
        echo "| $s | $b | merged | $(row "$s" "$b") |"
        echo "| $s | $b | plain | $(row "$s" "$b" --no-merge) |"
    done
done
