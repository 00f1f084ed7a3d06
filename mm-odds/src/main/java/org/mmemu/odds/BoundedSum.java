package org.mmemu.odds;

/**
 * A sum of probability terms that knows what it left out. The exact odds sum over classes of
 * schedules, numbers of arrivals, durations; a sum that stops (more arrivals than enumerated, a
 * time limit) adds the mass it did not enumerate to the upper end only, so the result still
 * encloses the true value: issue 22's "add to the upper end whatever a bound cut off". One per
 * computation; not shared between threads.
 */
public final class BoundedSum {
    private Interval sum = Interval.ZERO;
    private double cut;

    /** Adds an enumerated term. */
    public BoundedSum add(Interval term) {
        sum = sum.add(term);
        return this;
    }

    /** Adds a part not enumerated, of which only a bound on its mass is known. */
    public BoundedSum cutOff(Interval mass) {
        cut = Rounding.addUp(cut, Math.max(0, mass.hi()));
        return this;
    }

    /** Whether anything was cut off. */
    public boolean cut() {
        return cut > 0;
    }

    /** The enclosure: the terms' sum, its upper end raised by the cut-off mass. */
    public Interval value() {
        return sum.plusCutTail(Interval.point(cut));
    }
}
