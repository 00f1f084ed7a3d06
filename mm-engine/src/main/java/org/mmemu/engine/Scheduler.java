package org.mmemu.engine;

/**
 * Decides, for one execution, what happens next. Called only by the thread that holds the
 * baton, never concurrently. The engine has already checked that some CPU is unfinished and
 * that not every unfinished CPU waits for a lock.
 */
interface Scheduler {
    Action next(Execution x);

    /** The run ends in a deadlock now; tells the chooser, for the policies that need it. */
    default void deadlocked(Execution x) {
    }
}
