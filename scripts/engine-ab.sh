#!/usr/bin/env bash
# scripts/engine-ab.sh REV [ROUNDS]: the engine's speed at REV against this tree, same machine,
# same run, alternating (each tree's own scripts/EngineLoop.java, the same loop through the public API
# under the package names of that tree; REV must have one;
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
    # the product's last module: mm-bench since the module split, mm-tests before it
    app=mm-bench; [[ -d "$tree/mm-bench" ]] || app=mm-tests
    (cd "$tree" && mvn -B -q -pl "$app" -am package -DskipTests -Dmaven.javadoc.skip -Dmaven.source.skip >/dev/null)
done
cp_of() { # the tree's module jars, then the libraries
    local tree="$1" cp="" m app=mm-bench
    [[ -d "$tree/mm-bench" ]] || app=mm-tests
    for m in "$tree"/mm-*/target/mm-*-0.1.0-SNAPSHOT.jar; do
        cp="$cp:$m"
    done
    echo "${cp#:}:$(tr ':' '\n' <"$tree/$app/target/classpath.txt" | grep -v "^$tree/" | paste -sd:)"
}
for i in 1 2; do
    for tree in "$old" "$root"; do
        label="$([[ "$tree" == "$old" ]] && echo "$rev" || echo "this tree")"
        "$JAVA_HOME/bin/java" --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -XX:+UseParallelGC \
            -cp "$(cp_of "$tree")" "$tree/scripts/EngineLoop.java" 3 2 "$rounds" "$label:"
    done
done
