#!/usr/bin/env bash
# The irq issue's must-show searches, this tree against another, side by side in the same run
# (docs/BENCHMARKS.md, "The irq search at bound 3"): each of the five footnote scenarios under
# each protocol at --preemption-bound 3 --skew 2 --keep-going, then the seed race's clean
# protocols at the default bound (2), each once with this tree's ./mmemu and once with BASE's,
# alternating, every core, each cut at LIMIT. Prints one Markdown row per search pair.
# Usage: scripts/irq-bound3-bench.sh BASE_TREE [LIMIT] [PROTOCOLS...]
#   git worktree add /tmp/base 50e8013 && scripts/irq-bound3-bench.sh /tmp/base 60s
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="${1:?usage: $0 BASE_TREE [LIMIT] [PROTOCOLS...]}"
limit="${2:-60s}"
shift 2 || shift $#
protocols=("${@:-mm1 2.5.33 pre-fix count-one no-tests testone unless-zero always-lock dec-and-lock}")
protocols=(${protocols[@]})
scenarios=(seed-race seed-race-no-interrupt seed-race-short-interrupt seed-race-second-in-pagevec seed-race-another-page)
"$root/mmemu" --version >/dev/null
"$base/mmemu" --version >/dev/null
one() {  # tree scenario protocol bound -> "schedules | how | search ms | wall ms | coverage | findings"
    local tmp start end
    tmp=$(mktemp)
    start=$(date +%s%N)
    "$1/mmemu" explore "$2" --protocol "$3" --delays irq --preemption-bound "$4" --skew 2 --keep-going \
        --time-limit "$limit" --max-schedules 100000000 --json "$tmp" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    python3 - "$tmp" $(( (end - start) / 1000000 )) <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
kinds = ",".join(sorted(r.get("findingCounts") or {})) or "-"
how = "dpor (interleavings)" if r.get("coveredBy") else "irq, %s states" % format(r.get("distinctStates", 0), ",")
done = "complete" if r["complete"] else "cut: " + str(r.get("incompleteReason"))
print(f'{r["schedules"]:,} | {how} | {r["elapsedMillis"]:,} | {int(sys.argv[2]):,} | {done} | {kinds}')
PY
    rm -f "$tmp"
}
echo "| scenario | protocol | bound | tree | schedules | searched | search ms | wall ms | coverage | findings |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for s in "${scenarios[@]}"; do
    for p in "${protocols[@]}"; do
        echo "| $s | $p | 3 | this | $(one "$root" "$s" "$p" 3) |"
        echo "| $s | $p | 3 | base | $(one "$base" "$s" "$p" 3) |"
    done
done
for p in testone unless-zero always-lock dec-and-lock; do
    echo "| seed-race | $p | 2 | this | $(one "$root" seed-race "$p" 2) |"
    echo "| seed-race | $p | 2 | base | $(one "$base" seed-race "$p" 2) |"
done
