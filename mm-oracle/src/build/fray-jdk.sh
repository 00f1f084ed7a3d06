#!/usr/bin/env bash
# Builds Fray's instrumented JDK: jlink with Fray's plugin (--fray-instrumentation) rewrites the
# JDK's classes so that every lock, park, atomic and volatile access calls Fray's scheduler.
#
#   fray-jdk.sh JDK OUT FRAY_VERSION CLASSPATH_FILE
#
# Fray's Maven step runs `jlink --module-path $JDK/jmods --add-modules ALL-MODULE-PATH`, which
# fails on a JDK without jmods/ (JEP 493 run-time images: Temurin ships none from 24 on). Here,
# without jmods/, jlink links from the run-time image itself, naming every module the JDK has
# except jdk.jlink and jdk.jpackage (a run-time image cannot link those again). OUT is rebuilt
# only when its fray-version differs; Fray's Maven step then finds it current and keeps it.
set -euo pipefail
jdk="$1" out="$2" version="$3" cpfile="$4"

if [[ -f "$out/fray-version" && "$(cat "$out/fray-version")" == "$version" ]]; then
    exit 0
fi
release="$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
if [[ "$release" != 25 ]]; then
    echo "fray-jdk: Fray $version instruments a JDK of release 25 only; $jdk is release ${release:-unknown} (set -Dfray.jdk=A_JDK_25)" >&2
    exit 1
fi
cp="$(cat "$cpfile")"
agent="$(tr ':' '\n' <"$cpfile" | grep '/fray-instrumentation-jdk-[^/]*\.jar$')"
if [[ -d "$jdk/jmods" ]]; then
    modules=(--module-path="$jdk/jmods" --add-modules=ALL-MODULE-PATH)
else
    modules=(--add-modules="$("$jdk/bin/java" --list-modules | sed 's/@.*//' | grep -vx 'jdk.jlink\|jdk.jpackage' | paste -sd,)")
fi
echo "fray-jdk: instrumenting $jdk into $out (about a minute, once)"
rm -rf "$out"
mkdir -p "$(dirname "$out")"
"$jdk/bin/jlink" -J-javaagent:"$agent" -J--module-path="$cp" -J--add-modules=org.pastalab.fray.instrumentation.jdk \
    -J--class-path="$cp" --output="$out" "${modules[@]}" --release-info add:IMPLEMENTOR=Fray --fray-instrumentation \
    >"$out.log" 2>&1 || { cat "$out.log" >&2; echo "fray-jdk: jlink failed" >&2; rm -rf "$out"; exit 1; }
printf '%s' "$version" >"$out/fray-version"
