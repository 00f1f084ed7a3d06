package org.mmemu.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much the library modules log to stderr: nothing but errors by default; with {@code -v}
 * what a user watching a run wants (explorations and their bounds), with {@code -vv} also the
 * details (each exploration round, kswapd wake-ups and balancing, every OOM kill). The level is
 * Logback's root level, the one piece of process-wide state the command line sets.
 */
final class Verbosity {
    private Verbosity() {
    }

    /** Sets the level for {@code count} {@code -v} flags (0: quiet). */
    static void set(int count) {
        // SLF4J initialises its provider once, holding LoggerFactory's monitor; a second thread
        // that asks meanwhile gets a stand-in logger (SubstituteLogger), not Logback's. Command
        // lines run side by side in one JVM (the tests do) therefore wait here for that to end.
        synchronized (LoggerFactory.class) {
            LoggerFactory.getILoggerFactory();
        }
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(count <= 0 ? Level.ERROR : count == 1 ? Level.INFO : Level.DEBUG);
    }
}
