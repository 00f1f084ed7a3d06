package org.mmemu.engine.delay;
import org.mmemu.engine.hb.Footprint;


/** Makes the choices of one execution on behalf of a {@link org.mmemu.engine.search.SchedulePolicy}. */
@FunctionalInterface
public interface Chooser {
    /**
     * The index of the option to take, or -1 to abandon the execution because every way on is
     * covered by another execution (partial-order reduction).
     */
    int choose(Decision d);

    /**
     * The execution ended with every unfinished CPU waiting for a lock; {@code pending} holds each
     * CPU's blocked step (null for finished CPUs). A blocked lock attempt never becomes an event,
     * so a policy that learns races from events (dpor) needs this to reverse it.
     */
    default void deadlocked(Footprint[] pending) {
    }

    /**
     * Whether this chooser merges equal states ({@link Decision#key()}): the run then keeps a
     * state key, a cost of every step that a chooser that does not merge should not pay.
     */
    default boolean merges() {
        return false;
    }

    /**
     * Whether the next decision needs its {@link Decision#key()}: a merging chooser replaying a
     * known prefix does not, and the key costs a pass over the CPUs.
     */
    default boolean wantsKey() {
        return merges();
    }

    /**
     * Whether decisions need their {@link Decision#footprints()} (what partial-order reduction and
     * the sampling policies compare); a chooser that never reads them is given null, and the
     * {@code irq} model then makes none.
     */
    default boolean wantsFootprints() {
        return true;
    }

    /** Always the model's default: the schedule {@code any:} or {@code irq:}. */
    Chooser DEFAULT = d -> 0;
}
