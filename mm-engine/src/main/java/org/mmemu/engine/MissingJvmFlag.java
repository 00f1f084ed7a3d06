package org.mmemu.engine;

/**
 * The JVM lacks a flag an engine needs (the controlled engine's coroutines need
 * {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}). The message is one line that
 * names the flag, for the command line to show as it is.
 */
public final class MissingJvmFlag extends IllegalStateException {
    private final String flag;

    public MissingJvmFlag(String flag, String what) {
        super(what + " needs the JVM flag " + flag);
        this.flag = flag;
    }

    /** The flag, as it goes on the java command line. */
    public String flag() {
        return flag;
    }
}
