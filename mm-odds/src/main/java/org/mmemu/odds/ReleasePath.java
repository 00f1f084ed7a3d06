package org.mmemu.odds;

/**
 * Which last-reference releases a kind of finding needs, and so which share of the workload's
 * releases can meet reclaim that way: the footnote's fifth condition (the page first in its
 * pagevec) for the pagevec release, plain {@code page_cache_release()} for the other.
 */
public enum ReleasePath {
    /** Every last-reference release. */
    ANY,
    /** Releases through a pagevec with the page first in it ({@code __pagevec_release()}). */
    PAGEVEC_FIRST,
    /** Releases through plain {@code page_cache_release()}. */
    PLAIN;

    /** The share of the releases of {@code w} that take this path. */
    public Interval share(TimingProfile.Workload w) {
        return switch (this) {
            case ANY -> Interval.ONE;
            case PAGEVEC_FIRST -> Interval.point(w.pagevecFirstShare());
            case PLAIN -> Interval.point(w.plainReleaseShare());
        };
    }
}
