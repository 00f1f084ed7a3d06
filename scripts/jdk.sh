# Sourced by ./mmemu and .ci/run: finds a JDK of release 21 or newer and exports JAVA_HOME.
# Order: $JAVA_HOME, then `java` on the PATH, then the usual /usr/lib/jvm locations (newest
# first). Returns 1, with nothing exported, when none is found. The first candidate that fits
# ends the search, and a JDK's release is read from its `release` file, so that the common case
# (JAVA_HOME set) starts no process: ./mmemu runs this on every call.

# The feature release of the JDK at $1 (a JAVA_HOME), or 0 if it is none.
mmemu_jdk_release() {
    local java="$1/bin/java" v="" line
    [[ -x "$java" && -x "$1/bin/javac" ]] || { echo 0; return; }
    if [[ -r "$1/release" ]]; then
        while IFS= read -r line; do
            if [[ "$line" =~ ^JAVA_VERSION=\"([0-9]+) ]]; then
                v="${BASH_REMATCH[1]}"
            fi
        done <"$1/release"
    fi
    if [[ ! "$v" =~ ^[0-9]+$ ]]; then
        v="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
    fi
    [[ "$v" =~ ^[0-9]+$ ]] && echo "$v" || echo 0
}

# Exports JAVA_HOME=$1 (and puts its bin first on the PATH) if it is a JDK 21+.
mmemu_try_jdk() {
    local release
    release="$(mmemu_jdk_release "$1")"
    if (( release >= 21 )); then
        export JAVA_HOME="$1"
        export PATH="$JAVA_HOME/bin:$PATH"
        return 0
    fi
    return 1
}

mmemu_find_jdk() {
    local c
    if [[ -n "${JAVA_HOME:-}" ]] && mmemu_try_jdk "$JAVA_HOME"; then
        return 0
    fi
    if command -v java >/dev/null 2>&1; then
        c="$(readlink -f "$(command -v java)")"
        mmemu_try_jdk "${c%/bin/java}" && return 0
    fi
    for c in $(ls -d /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* 2>/dev/null | sort -V -r); do
        mmemu_try_jdk "$c" && return 0
    done
    return 1
}
