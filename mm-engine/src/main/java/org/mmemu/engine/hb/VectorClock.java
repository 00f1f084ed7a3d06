package org.mmemu.engine.hb;

import java.util.Arrays;

/**
 * A vector clock over the emulated CPUs: entry {@code c} counts the events of CPU {@code c} that
 * happen before (or are) the event or point the clock belongs to. Event number {@code n} of CPU
 * {@code c} (counted from 1) happens before a point with clock {@code v} exactly when
 * {@code v[c] >= n}. Used by {@code org.mmemu.engine.search.DporPolicy} for happens-before, as version vectors are in
 * loom ({@code src/rt/vv.rs}) and in Flanagan and Godefroid's DPOR (POPL 2005).
 */
public final class VectorClock {
    private final int[] v;

    public VectorClock(int cpus) {
        v = new int[cpus];
    }

    private VectorClock(int[] v) {
        this.v = v;
    }

    /** A copy that later changes to either side do not affect. */
    public VectorClock copy() {
        return new VectorClock(v.clone());
    }

    /** Counts one more event of {@code cpu}; returns its number. */
    public int tick(int cpu) {
        return ++v[cpu];
    }

    /** Takes the entrywise maximum with {@code o} (this point now also follows everything {@code o} follows). */
    public void join(VectorClock o) {
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(v[i], o.v[i]);
        }
    }

    /** Whether event number {@code n} of {@code cpu} happens before this point. */
    public boolean covers(int cpu, int n) {
        return v[cpu] >= n;
    }

    /** The number of events of {@code cpu} that happen before this point. */
    public int get(int cpu) {
        return v[cpu];
    }

    @Override
    public String toString() {
        return Arrays.toString(v);
    }
}
