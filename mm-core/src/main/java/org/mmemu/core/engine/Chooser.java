package org.mmemu.core.engine;

/** Makes the choices of one execution on behalf of a {@link SchedulePolicy}. */
@FunctionalInterface
public interface Chooser {
    /**
     * The index of the option to take, or -1 to abandon the execution because every way on is
     * covered by another execution (partial-order reduction).
     */
    int choose(Decision d);

    /** Always the model's default: the schedule {@code any:} or {@code irq:}. */
    Chooser DEFAULT = d -> 0;
}
