package org.mmemu.engine.delay;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.mmemu.core.emu.Access;
import org.mmemu.engine.hb.Footprint;

/**
 * Whether the CPUs of one run have met yet: whether a row of one has depended on a row of another
 * ({@link Footprint#dependsOn}: the same field of the same object, one of them writing).
 *
 * <p>Until they meet, how far one CPU is behind the other has decided nothing: every field was
 * last written by the one CPU that touches it (or by the boot), so every read saw the same write
 * it sees at any other relative start. That is what makes a slip before the meeting redundant
 * ({@link SlipWindow#beforeContact}). Kept only until the first meeting, after which it answers
 * at once.
 */
final class Contact {
    private record Touch(int cpu, Footprint step) {
    }

    /** Per object touched, the distinct footprints of the rows on it and their CPUs; null once met. */
    private Map<Object, List<Touch>> touched = new IdentityHashMap<>();

    /** Whether some row of one CPU has depended on a row of another. */
    boolean met() {
        return touched == null;
    }

    /** CPU {@code cpu} is granted a row (or spins: its attempt on the lock) with footprint {@code f}. */
    void row(int cpu, Footprint f) {
        if (touched == null || f.target() == null || f.access() == Access.LOCAL) {
            return;
        }
        List<Touch> rows = touched.computeIfAbsent(f.target(), t -> new ArrayList<>(2));
        for (Touch t : rows) {
            if (t.cpu() != cpu && t.step().dependsOn(f)) {
                touched = null;
                return;
            }
        }
        for (Touch t : rows) {
            if (t.cpu() == cpu && t.step().equals(f)) {
                return;
            }
        }
        rows.add(new Touch(cpu, f));
    }
}
