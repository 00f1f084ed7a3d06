package org.mmemu.core.emu;

import java.util.ArrayList;
import java.util.List;

/**
 * A small ring of the last sites a CPU stepped through, kept so that a finding can show what
 * every CPU involved was doing (as KASAN shows the allocation and free stacks).
 * Written only by the owning CPU's thread; read after the run or under the engine's exclusion.
 */
public final class RecentSteps {
    private final Site[] ring;
    private long written;

    /** A ring of {@code capacity} sites, rounded up to a power of two (a step masks, never divides). */
    public RecentSteps(int capacity) {
        ring = new Site[Integer.highestOneBit(Math.max(1, capacity - 1)) << 1];
    }

    void record(Site site) {
        ring[(int) written++ & (ring.length - 1)] = site;
    }

    /** The recorded sites, oldest first. */
    public List<Site> snapshot() {
        int n = (int) Math.min(written, ring.length);
        List<Site> out = new ArrayList<>(n);
        for (long i = written - n; i < written; i++) {
            out.add(ring[(int) i & (ring.length - 1)]);
        }
        return out;
    }

    /** How many steps this CPU has taken in all. */
    public long total() {
        return written;
    }
}
