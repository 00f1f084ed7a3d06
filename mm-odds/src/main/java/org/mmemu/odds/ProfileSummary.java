package org.mmemu.odds;

import java.util.Locale;
import java.util.stream.Collectors;

/** A timing profile in a few lines, as {@code mmemu odds} prints it above its answer. */
final class ProfileSummary {
    private ProfileSummary() {
    }

    static String text(TimingProfile p) {
        StringBuilder b = new StringBuilder();
        TimingProfile.Costs c = p.costs();
        b.append("profile ").append(p.name()).append(": ").append(p.description()).append('\n');
        b.append(f("  clock %.4g GHz, %d CPUs; cycles: local %d, cache hit %d, atomic %d, line transfer +%d,"
                + " lock %d, unlock %d, spin %d%n", p.clockHz() / 1e9, p.cpus(), c.local(), c.cacheHit(), c.atomic(),
                c.lineTransfer(), c.lockAcquire(), c.lockRelease(), c.spin()));
        if (p.jitter() != null) {
            b.append(f("  jitter: a step costs +%d cycles with probability %s%n", p.jitter().extraCycles(),
                    num(p.jitter().probability())));
        }
        for (int cpu = 0; cpu < p.cpus(); cpu++) {
            String sources = p.sourcesOn(cpu).stream().map(s -> f("%s %s/s (%s, mean %.4g us)", s.name(),
                    num(s.ratePerSecond()), s.duration().kind(), s.duration().mean().mid() / p.clockHz() * 1e6))
                    .collect(Collectors.joining(", "));
            b.append("  cpu").append(cpu).append(" interrupts: ").append(sources.isEmpty() ? "none" : sources).append('\n');
        }
        TimingProfile.Workload w = p.workload();
        b.append(f("  workload: %s last-reference releases/s, %s isolations/s, %d LRU pages; shares: first in"
                + " pagevec %s, plain page_cache_release %s%n", num(w.releasesPerSecond()), num(w.isolationsPerSecond()),
                w.lruPages(), num(w.pagevecFirstShare()), num(w.plainReleaseShare())));
        return b.toString();
    }

    /** The time-to-failure inputs: R · I / N. */
    static String inputs(TimingProfile p) {
        TimingProfile.Workload w = p.workload();
        return f("time to failure: findings/s = releases/s x isolations/s / LRU pages x W = %s x %s / %d x W"
                + " = %s /s per second of effective window W%n", num(w.releasesPerSecond()),
                num(w.isolationsPerSecond()), w.lruPages(), TimeToFailure.coincidenceRate(w).shortText());
    }

    static String num(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? String.valueOf((long) x) : String.valueOf(x);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
