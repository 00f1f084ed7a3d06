package org.mmemu.odds;

/**
 * An effective window as a rate of findings and a mean time to the first one (issue 22, item 4).
 *
 * <p>A release of a page's last reference is a finding if reclaim isolates the same page within
 * the effective window W around it. With releases at R per second (the share s of them that take
 * the finding's path), isolations at I per second and N pages on the LRU, each isolation picking a
 * page uniformly and independently of the releases, a release meets an isolation of its page within
 * W with probability I · W / N (W in seconds, I · W ≪ N), so findings arrive at
 * <pre>  rate = (s · R) · I / N · W   per second</pre>
 * and, as a Poisson process, the mean time to the first is 1 / rate on one machine and
 * 1 / (n · rate) on a fleet of n. docs/ODDS.md states the assumptions (uniform choice,
 * independence, I · W ≪ N) and where they fail.
 *
 * @param findingsPerSecond the rate on one machine
 * @param meanSeconds       the mean time to the first finding on one machine (+∞ when the rate may be 0)
 * @param fleet             the machines of the fleet
 * @param fleetMeanSeconds  the mean time to the first finding anywhere in the fleet
 */
public record TimeToFailure(Interval findingsPerSecond, Interval meanSeconds, long fleet, Interval fleetMeanSeconds) {

    /** R · I / N: the pairs (release, isolation of the same page) per second per second of window. */
    public static Interval coincidenceRate(TimingProfile.Workload w) {
        return Interval.point(w.releasesPerSecond()).multiply(Interval.point(w.isolationsPerSecond()))
                .divide(Interval.point(w.lruPages()));
    }

    /** The time to failure of a window of {@code windowCycles} on {@code profile}'s workload, for a fleet of {@code fleet}. */
    public static TimeToFailure of(TimingProfile profile, Interval windowCycles, ReleasePath path, long fleet) {
        if (fleet < 1) {
            throw new IllegalArgumentException("a fleet has at least one machine");
        }
        if (windowCycles.lo() < 0) {
            throw new IllegalArgumentException("an effective window is not negative: " + windowCycles);
        }
        TimingProfile.Workload w = profile.workload();
        Interval rate = coincidenceRate(w).multiply(path.share(w)).multiply(profile.seconds(windowCycles));
        Interval fleetRate = rate.multiply(Interval.point(fleet));
        return new TimeToFailure(rate, rate.reciprocal(), fleet, fleetRate.reciprocal());
    }
}
