#!/usr/bin/env bash
# scripts/engine-ab.sh REV [ROUNDS]: the engine's speed at REV against this tree, same machine,
# same run, alternating (scripts/EngineLoop.java through the public API, which REV must have;
# 005f51f does). Builds REV in a temporary worktree. docs/BENCHMARKS.md quotes its figures.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/jdk.sh"
mmemu_find_jdk
rev="$1"
rounds="${2:-32}"
old="$(mktemp -d)"
trap 'git -C "$root" worktree remove --force "$old" >/dev/null 2>&1 || true' EXIT
git -C "$root" worktree add -q --detach "$old" "$rev"
for tree in "$old" "$root"; do
    (cd "$tree" && mvn -B -q -pl mm-tests -am package -DskipTests -Dmaven.javadoc.skip -Dmaven.source.skip >/dev/null)
done
cp_of() { # the tree's module jars, then the libraries
    local tree="$1" cp="" m
    for m in mm-tests mm-core mm-lru mm-pagevec mm-slab mm-reclaim; do
        cp="$cp:$tree/$m/target/$m-0.1.0-SNAPSHOT.jar"
    done
    echo "${cp#:}:$(tr ':' '\n' <"$tree/mm-tests/target/classpath.txt" | grep -v "^$tree/" | paste -sd:)"
}
for i in 1 2; do
    for tree in "$old" "$root"; do
        label="$([[ "$tree" == "$old" ]] && echo "$rev" || echo "this tree")"
        "$JAVA_HOME/bin/java" --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -XX:+UseParallelGC \
            -cp "$(cp_of "$tree")" "$root/scripts/EngineLoop.java" 3 2 "$rounds" "$label:"
    done
done
