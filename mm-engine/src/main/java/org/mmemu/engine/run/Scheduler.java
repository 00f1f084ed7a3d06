package org.mmemu.engine.run;

/**
 * Decides, for one execution, what happens next: the port through which a delay model
 * ({@code org.mmemu.engine.delay}) drives a run. Called only on the driver thread, never
 * concurrently. The engine has already checked that some CPU is unfinished and that not every
 * unfinished CPU waits for a lock.
 *
 * <p>It sees the run only through {@link RunView}, never the {@link Execution} itself, so a
 * delay model cannot step, unwind or end the run behind the driver's back.
 */
public interface Scheduler {
    Action next(RunView x);

    /**
     * Whether this scheduler asks for {@link RunView#stateKey(long)}: the run then keeps its
     * {@link TraceKey}, a cost of every step that only a merging search should pay.
     */
    default boolean keysState() {
        return false;
    }

    /** The part of the key left out, for the test that shows each is needed ({@link KeyMutation}). */
    default KeyMutation keyMutation() {
        return KeyMutation.NONE;
    }

    /** The run ends in a deadlock now; tells the chooser, for the policies that need it. */
    default void deadlocked(RunView x) {
    }
}
