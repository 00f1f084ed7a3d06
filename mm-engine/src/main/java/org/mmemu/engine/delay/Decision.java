package org.mmemu.engine.delay;

import org.mmemu.engine.StateKey;

import java.util.List;
import org.mmemu.engine.hb.Footprint;

/**
 * A decision point of a controlled run: the options the delay model allows, in a fixed order.
 * Option 0 is the model's default (the CPU that ran last goes on, or its turn comes); when
 * {@code continuation} is true it is that CPU going on at no cost, which is the only kind of
 * option partial-order reduction may put to sleep (see
 * {@code org.mmemu.engine.search.ExhaustivePolicy}).
 *
 * @param options      what may happen next, never empty
 * @param continuation whether option 0 is the previous row's CPU taking its next step
 * @param step         how many rows the run has taken so far
 * @param footprints   per CPU id, its pending step's target and access (null for finished CPUs); the
 *                     array is null where the chooser reads none ({@link Chooser#wantsFootprints()})
 * @param key          the state at this point, for state merging: equal keys, equal futures (null
 *                     where the model keeps none, or the state depends on history it does not key)
 * @param window       for a decision that offers slips, what each would move the step past, filled
 *                     in as the run goes on ({@link SlipWindow}); null where none is kept
 */
public record Decision(List<Option> options, boolean continuation, long step, Footprint[] footprints,
                       StateKey key, SlipWindow window) {
    /** A decision point that keys no state. */
    public Decision(List<Option> options, boolean continuation, long step, Footprint[] footprints) {
        this(options, continuation, step, footprints, null, null);
    }
}
