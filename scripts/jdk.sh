# Sourced by ./mmemu and .ci/run: finds a JDK of release 21 or newer and exports JAVA_HOME.
# Order: $JAVA_HOME, then `java` on the PATH, then the usual /usr/lib/jvm locations (newest
# first). Returns 1, with nothing exported, when none is found.

# The feature release of the JDK at $1 (a JAVA_HOME), or 0 if it is none.
mmemu_jdk_release() {
    local java="$1/bin/java" v
    [[ -x "$java" && -x "$1/bin/javac" ]] || { echo 0; return; }
    v="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
    [[ "$v" =~ ^[0-9]+$ ]] && echo "$v" || echo 0
}

mmemu_find_jdk() {
    local want=21 candidates=() c
    [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
    if command -v java >/dev/null 2>&1; then
        c="$(readlink -f "$(command -v java)")"
        candidates+=("${c%/bin/java}")
    fi
    for c in $(ls -d /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* 2>/dev/null | sort -V -r); do
        candidates+=("$c")
    done
    for c in "${candidates[@]}"; do
        if (( $(mmemu_jdk_release "$c") >= want )); then
            export JAVA_HOME="$c"
            export PATH="$JAVA_HOME/bin:$PATH"
            return 0
        fi
    done
    return 1
}
