package org.mmemu.engine.delay;

import java.util.IdentityHashMap;
import java.util.Map;
import org.mmemu.core.emu.Access;
import org.mmemu.engine.hb.Footprint;

/**
 * Whether the CPUs of one run have met yet: whether a row of one has depended on a row of another
 * ({@link Footprint#dependsOn}: the same field of the same object, one of them writing).
 *
 * <p>Until they meet, the rows each has taken so far commute with the other's: a start of one
 * CPU one turn later moves its rows past rows of the other that none depends on, and reaches the
 * same state. That is what makes a slip before the meeting redundant
 * ({@link SlipWindow#beforeContact}). Kept only until the first meeting, after which it answers
 * at once.
 */
final class Contact {
    /** The distinct (CPU, field, writes) of the rows on one object. */
    private static final class Touches {
        private int n;
        private int[] cpus = new int[4];
        private int[] fields = new int[4];
        private boolean[] writes = new boolean[4];

        /** Whether a row of {@code cpu} on {@code field} depends on a row of another CPU here. */
        boolean meets(int cpu, int field, boolean write) {
            for (int i = 0; i < n; i++) {
                if (cpus[i] != cpu && Access.sameField(fields[i], field) && (write || writes[i])) {
                    return true;
                }
            }
            return false;
        }

        void add(int cpu, int field, boolean write) {
            for (int i = 0; i < n; i++) {
                if (cpus[i] == cpu && fields[i] == field && (writes[i] || !write)) {
                    return; // a row like it is kept already
                }
            }
            if (n == cpus.length) {
                cpus = java.util.Arrays.copyOf(cpus, n * 2);
                fields = java.util.Arrays.copyOf(fields, n * 2);
                writes = java.util.Arrays.copyOf(writes, n * 2);
            }
            cpus[n] = cpu;
            fields[n] = field;
            writes[n++] = write;
        }
    }

    /** Per object touched, its rows; null once met. */
    private Map<Object, Touches> touched = new IdentityHashMap<>();

    /** Whether some row of one CPU has depended on a row of another. */
    boolean met() {
        return touched == null;
    }

    /** CPU {@code cpu} is granted a row (or spins: its attempt on the lock) with footprint {@code f}. */
    void row(int cpu, Footprint f) {
        if (touched == null || f.target() == null || f.access() == Access.LOCAL) {
            return;
        }
        Touches t = touched.computeIfAbsent(f.target(), k -> new Touches());
        boolean write = f.access().writes();
        if (t.meets(cpu, f.field(), write)) {
            touched = null;
        } else {
            t.add(cpu, f.field(), write);
        }
    }
}
