#!/usr/bin/env bash
# The "Fray oracle" benchmark of docs/BENCHMARKS.md: executions and time to the first finding on
# one pair, under every mmemu policy (plain JDK) and under Fray's POS and PCT (Fray's JVM), in one
# run on one machine. Needs the oracle built once: mvn -B -Poracle -pl mm-oracle -am verify.
#
#   mm-oracle/bench.sh [SCENARIO [PROTOCOL [SEEDS [BUDGET]]]]     (default: seed-race mm1 1-5 1000)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../scripts/jdk.sh"
mmemu_find_jdk || { echo "bench: needs a JDK 21 or newer" >&2; exit 2; }
scenario="${1:-seed-race}" protocol="${2:-mm1}" seeds="${3:-1-5}" budget="${4:-1000}"
target="$here/target"
[[ -x "$target/fray/fray-java/bin/java" && -d "$target/test-classes" ]] \
    || { echo "bench: build the oracle first: mvn -B -Poracle -pl mm-oracle -am verify" >&2; exit 2; }
cd "$here/.."
mvn -B -q -o -Poracle -pl mm-oracle -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$target/oracle-classpath.txt" >/dev/null
cp="$target/test-classes:$(cat "$target/oracle-classpath.txt")"
flags=(--add-exports java.base/jdk.internal.vm=ALL-UNNAMED)
agent="$(tr ':' '\n' <"$target/oracle-classpath.txt" | grep -m1 '/fray-instrumentation-agent-[^/]*\.jar$' || true)"
if [[ -z "$agent" ]]; then
    agent="$(ls ~/.m2/repository/org/pastalab/fray/instrumentation/fray-instrumentation-agent/*/fray-instrumentation-agent-*.jar | head -1)"
fi
echo "bench: $(nproc) cores, $(date -u +%FT%TZ), $scenario [$protocol], seeds $seeds"
cd "$here"
"$JAVA_HOME/bin/java" "${flags[@]}" -cp "$cp" org.mmemu.oracle.ControlledTimeToBug "$scenario" "$protocol" "$seeds" 3
for s in pos pct; do
    "$target/fray/fray-java/bin/java" -javaagent:"$agent" -agentpath:"$target/fray/fray-jvmti/libjvmti.so" "${flags[@]}" \
        -cp "$cp" org.mmemu.oracle.FrayTimeToBug "$s" "$scenario" "$protocol" double-free "$seeds" "$budget" 2>/dev/null \
        | grep '^fray '
done
