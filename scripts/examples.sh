#!/usr/bin/env bash
# Builds and tests the standalone projects of examples/ against the mmemu artifacts, the way a
# user would: install the reactor into a Maven local repository, build each example with its own
# pom, then give the example protocol's jar to ./mmemu and check that it is listed and that the
# seed race finds its double free.
#
#   scripts/examples.sh                 install into ~/.m2/repository (what CI does)
#   scripts/examples.sh --repo DIR -o   a throwaway repository DIR (seed it with a copy of
#                                       ~/.m2/repository), offline
#
# Never point it at a shared ~/.m2 on a machine where several checkouts build: an installed
# snapshot there would shadow the others' reactor builds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn_args=(-B -q)
while [[ $# -gt 0 ]]; do
    case "$1" in
        --repo) mvn_args+=("-Dmaven.repo.local=$(cd "$2" && pwd)"); shift 2 ;;
        -o) mvn_args+=(-o); shift ;;
        *) echo "examples: unknown argument $1" >&2; exit 2 ;;
    esac
done

echo "examples: installing mmemu (mvn install -DskipTests)"
mvn "${mvn_args[@]}" install -DskipTests
for e in core-alloc release-path my-protocol; do
    echo "examples: $e"
    mvn "${mvn_args[@]}" -f "examples/$e/pom.xml" verify
done

jar="$root/examples/my-protocol/target/my-protocol-1.0-SNAPSHOT.jar"
listed="$(MMEMU_CLASSPATH="$jar" ./mmemu protocols)"
if ! grep -q '^unlocked-put ' <<<"$listed"; then
    echo "examples: FAILED: 'MMEMU_CLASSPATH=$jar ./mmemu protocols' does not list unlocked-put" >&2
    exit 1
fi
# The seed race says nothing of unlocked-put, so its default (no finding may occur) judges it:
# the tool must catch the protocol, with the double free among what it finds, and exit 1.
status=0
verdict="$(MMEMU_CLASSPATH="$jar" ./mmemu explore seed-race --protocol unlocked-put --keep-going 2>/dev/null)" || status=$?
if [[ $status -ne 1 ]] || ! grep -q '^BUG: double-free of page P' <<<"$verdict" || ! grep -q 'expect \[\]: does not hold' <<<"$verdict"; then
    echo "examples: FAILED: the seed race under unlocked-put (exit $status) did not catch its double free:" >&2
    echo "$verdict" >&2
    exit 1
fi
echo "examples: ok (unlocked-put: $(grep -m1 'schedules' <<<"$verdict"))"
