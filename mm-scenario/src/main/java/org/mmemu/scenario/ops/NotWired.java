package org.mmemu.scenario.ops;

/**
 * A scenario asked for something whose module is not wired into the command line yet (an
 * operation of mm-lru, say, or the controlled engine). Reported as bad input: one line, exit 2.
 */
public final class NotWired extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotWired(String message) {
        super(message, null, false, false);
    }
}
