package org.mmemu.tests.run;

import org.mmemu.tests.ops.NotWired;

/**
 * The engines the command line can run scenarios under. The controlled engine (deterministic,
 * explorable, replayable; DESIGN §3) is written in mm-core's {@code org.mmemu.core.engine};
 * {@link #controlled()} becomes an adapter to its explorer once it is there.
 */
public final class Engines {
    private Engines() {
    }

    /** The controlled engine's explorer, for explore, replay, compare, demo and run. */
    public static Explorer controlled() {
        return (program, settings, progress) -> {
            throw new NotWired("this command needs the controlled engine (org.mmemu.core.engine), which is not"
                    + " wired into mmemu yet; 'mmemu stress' runs the free engine");
        };
    }

    /** The free engine, once. */
    public static Explorer free() {
        return FreeRunner.once();
    }
}
