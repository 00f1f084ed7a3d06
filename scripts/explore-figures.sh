#!/usr/bin/env bash
# The figures of docs/BENCHMARKS.md, "Issue 11 on a quiet machine": every must-show command of
# the controlled engine, timed (wall ms of the whole command, JVM included) and with its JSON
# counts. Run on a quiet machine: ./scripts/explore-figures.sh. Needs python3 for the JSON.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ms() { date +%s%N; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== load: $(uptime)"
echo "== explore seed-race (wall ms, x3)"
for i in 1 2 3; do t0=$(ms); ./mmemu explore seed-race > "$tmp"/m.out 2>&1; st=$?; t1=$(ms); echo "wall $(( (t1-t0)/1000000 )) ms exit $st; $(grep -E '^search' "$tmp"/m.out)"; done
for s in seed-race seed-race-three-cpus; do
  echo "== dpor $s"
  for p in always-lock dec-and-lock testone unless-zero pre-fix mm1; do
    t0=$(ms); ./mmemu explore $s --policy dpor --delays anywhere --preemption-bound none --protocol $p --time-limit 60s --json "$tmp"/m.json > "$tmp"/m.out 2>&1; st=$?; t1=$(ms)
    python3 -c "
import json;d=json.load(open('"$tmp"/m.json'));k=sorted({f['kind'] for f in d.get('findings',[])}) if isinstance(d.get('findings'),list) else ''
print('$p', 'exit $st', 'complete' if d['complete'] else ('decided' if d.get('decided') else 'INCOMPLETE'), d['schedules'], d['steps'], d['elapsedMillis'], 'wall', ($t1-$t0)//1000000, k)"
  done
done
echo "== time limit"
./mmemu explore seed-race --protocol always-lock --preemption-bound 3 --time-limit 2s 2>&1 | grep -E "^search|INCOMPLETE"; echo "exit ${PIPESTATUS[0]}"
echo "== pct seeds 1-5"
for seed in 1 2 3 4 5; do ./mmemu explore seed-race --policy pct --seed $seed 2>&1 | grep -E "^search|holds|does not" | tr '\n' ' '; echo; done
echo "== irq bound 2 per protocol"
for p in pre-fix mm1 2.5.33 always-lock count-one dec-and-lock testone unless-zero no-tests; do
  ./mmemu explore seed-race --preemption-bound 2 --protocol $p --time-limit 120s --json "$tmp"/m.json > "$tmp"/m.out 2>&1; st=$?
  python3 -c "
import json;d=json.load(open('"$tmp"/m.json'))
print('$p', 'exit $st', 'complete' if d['complete'] else ('decided' if d.get('decided') else 'INCOMPLETE '+str(d.get('incompleteReason'))), d['schedules'], d['steps'], d['elapsedMillis'], round(d['steps']/max(1,d['elapsedMillis'])/1000,2), 'M steps/s')"
done
echo "== exhaustive three-cpus steps/s"
for b in 3 6; do for p in always-lock dec-and-lock; do
  ./mmemu explore seed-race-three-cpus --policy exhaustive --preemption-bound $b --protocol $p --keep-going --time-limit 120s --max-schedules 1000000 --json "$tmp"/m.json > "$tmp"/m.out 2>&1
  python3 -c "
import json;d=json.load(open('"$tmp"/m.json'))
print('bound $b $p', 'complete' if d['complete'] else 'INCOMPLETE', d['schedules'], d['steps'], d['elapsedMillis'], round(d['steps']/max(1,d['elapsedMillis'])/1000,2), 'M steps/s')"
done; done
echo "== demo x3"
for i in 1 2 3; do t0=$(ms); ./mmemu demo > "$tmp"/m.out 2>&1; st=$?; t1=$(ms); echo "demo wall $(( (t1-t0)/1000000 )) ms exit $st"; done
grep -E "^[a-z0-9.-]+ +(double|clean|leak)" "$tmp"/m.out
echo "== bench engine (steps/s with the JIT amortised)"
./mmemu bench engine 2>&1 | tail -6
