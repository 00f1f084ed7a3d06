#!/usr/bin/env bash
# scripts/behaviour-snapshot.sh OUT: what a refactoring must not change, in one file. Every
# shipped scenario under every shipped protocol, explored with bounds that end the search the same
# way on every run (exhaustive at preemption bound 1 and a schedule cap; dpor under anywhere), and
# the demo's text: per run the schedules, whether it completed, the verdict and every finding
# (kind, page, site, schedule), sorted: findings of equal rank come in the order explorer threads
# found them. Timings are dropped. Compare two trees' OUT files with diff.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
: >"$out"
protocols=$("$root/mmemu" protocols | awk '$0 !~ /^ / && $1 ~ /^[a-z0-9.-]+$/ {print $1}')
for s in $("$root/mmemu" scenarios | awk '$1 ~ /^[a-z0-9-]+$/ {print $1}'); do
    for p in $protocols; do
        for search in "--policy exhaustive --preemption-bound 1 --max-schedules 3000" "--policy dpor --delays anywhere --max-schedules 3000"; do
            rc=0
            "$root/mmemu" explore "$s" --protocol "$p" $search --keep-going --json "$tmp/r.json" >"$tmp/r.txt" 2>&1 || rc=$?
            if [[ -s "$tmp/r.json" ]]; then
                jq -c --arg s "$s" --arg p "$p" --arg q "$search" --arg rc "$rc" \
                    '{s:$s,p:$p,q:$q,rc:$rc,schedules,complete,verdict,findings:([.findings[]|[.kind,.page,.site,.schedule]]|sort)}' \
                    "$tmp/r.json" >>"$out"
            else
                echo "{\"s\":\"$s\",\"p\":\"$p\",\"q\":\"$search\",\"rc\":\"$rc\",\"out\":$(head -c 300 "$tmp/r.txt" | jq -Rs .)}" >>"$out"
            fi
            rm -f "$tmp/r.json"
        done
    done
done
# the demo's text without what depends on the host: times, the table's milliseconds column, and
# which schedule found the first finding (explorer threads race for it)
"$root/mmemu" demo --time-limit 60s 2>/dev/null | sed -E 's/[0-9]+(\.[0-9]+)? ?(ms|s)\b/<t>/g;
    s/(holds|FAILS|fails) +[0-9]+$/\1/; s/first finding after [0-9,]+ schedules/first finding after <n> schedules/' >>"$out" || true
