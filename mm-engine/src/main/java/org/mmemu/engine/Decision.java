package org.mmemu.engine;

import java.util.List;

/**
 * A decision point of a controlled run: the options the delay model allows, in a fixed order.
 * Option 0 is the model's default (the CPU that ran last goes on, or its turn comes); when
 * {@code continuation} is true it is that CPU going on at no cost, which is the only kind of
 * option partial-order reduction may put to sleep (see {@link ExhaustivePolicy}).
 *
 * @param options      what may happen next, never empty
 * @param continuation whether option 0 is the previous row's CPU taking its next step
 * @param step         how many rows the run has taken so far
 * @param footprints   per CPU id, its pending step's target and access (null for finished CPUs)
 */
public record Decision(List<Option> options, boolean continuation, long step, Footprint[] footprints) {
    /** What a CPU's pending step touches: the target's identity and the access. */
    public record Footprint(Object target, int field, org.mmemu.core.emu.Access access) {
        /** A footprint on the whole target. */
        public Footprint(Object target, org.mmemu.core.emu.Access access) {
            this(target, org.mmemu.core.emu.Access.WHOLE, access);
        }

        /**
         * Whether the two steps do not commute: same target (by identity), overlapping fields
         * ({@link org.mmemu.core.emu.Access#sameField}: a page's count, each of its flag bits and
         * its list link are apart) and at least one writes. LOCK and UNLOCK write, so two
         * operations on one lock are always dependent.
         */
        public boolean dependsOn(Footprint o) {
            return target != null && target == o.target && org.mmemu.core.emu.Access.sameField(field, o.field)
                    && (access.writes() || o.access.writes());
        }
    }
}
