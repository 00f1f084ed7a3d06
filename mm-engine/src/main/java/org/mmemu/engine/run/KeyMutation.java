package org.mmemu.engine.run;

/**
 * A state key with one part left out on purpose: what the property test of state merging
 * (mm-engine StateMergingPropertyTest) runs to show that each part of the key is needed, since a
 * merged search with a key that lacks it loses final states the plain search reaches (and the same
 * for the rule that leaves out slips before the CPUs meet). A search a
 * user runs always keys every part ({@link #NONE}).
 */
public enum KeyMutation {
    /** The whole key. */
    NONE,
    /** Without the {@code irq} model's own state: who has started, the slips in progress. */
    DROP_OFFSETS,
    /**
     * Without CPU 0's own events, so that its position in its program is not keyed (the writes
     * it made still name it where the other CPUs observed them).
     */
    DROP_CPU0_POSITION,
    /**
     * Not a part of the key but the rule beside it: every slip of a two-CPU run is taken as one
     * made before the CPUs met (as if the run never noticed their meeting), and so left out.
     */
    IGNORE_CONTACT
}
