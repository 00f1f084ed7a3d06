package org.mmemu.odds;

import java.util.stream.Collectors;

/**
 * A {@link TimingProfile} as a file {@link ProfileReader} reads back to an equal profile: what
 * {@code mmemu odds --show-profile FILE} prints for a profile that is not shipped (a shipped one is
 * printed as shipped, with the comments that give its sources). Numbers are written as Java prints
 * doubles, which read back to the same double.
 */
public final class ProfileWriter {
    private ProfileWriter() {
    }

    /** {@code p} in the profile format. */
    public static String write(TimingProfile p) {
        StringBuilder b = new StringBuilder();
        b.append("name: ").append(p.name()).append('\n');
        b.append("description: ").append(quoted(p.description())).append('\n');
        b.append("clock-hz: ").append(p.clockHz()).append('\n');
        b.append("cpus: ").append(p.cpus()).append('\n');
        TimingProfile.Costs c = p.costs();
        b.append("costs:\n");
        b.append("  local: ").append(c.local()).append('\n');
        b.append("  cache-hit: ").append(c.cacheHit()).append('\n');
        b.append("  atomic: ").append(c.atomic()).append('\n');
        b.append("  line-transfer: ").append(c.lineTransfer()).append('\n');
        b.append("  lock-acquire: ").append(c.lockAcquire()).append('\n');
        b.append("  lock-release: ").append(c.lockRelease()).append('\n');
        b.append("  spin: ").append(c.spin()).append('\n');
        if (p.jitter() != null) {
            b.append("jitter:\n");
            b.append("  probability: ").append(p.jitter().probability()).append('\n');
            b.append("  extra-cycles: ").append(p.jitter().extraCycles()).append('\n');
        }
        b.append(p.interrupts().isEmpty() ? "interrupts: []\n" : "interrupts:\n");
        for (TimingProfile.InterruptSource s : p.interrupts()) {
            b.append("  - name: ").append(quoted(s.name())).append('\n');
            b.append("    cpus: [").append(s.cpus().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                    .append("]\n");
            b.append("    rate-per-second: ").append(s.ratePerSecond()).append('\n');
            b.append("    duration: ").append(duration(s.duration())).append('\n');
        }
        TimingProfile.Workload w = p.workload();
        b.append("workload:\n");
        b.append("  releases-per-second: ").append(w.releasesPerSecond()).append('\n');
        b.append("  isolations-per-second: ").append(w.isolationsPerSecond()).append('\n');
        b.append("  lru-pages: ").append(w.lruPages()).append('\n');
        b.append("  pagevec-first-share: ").append(w.pagevecFirstShare()).append('\n');
        b.append("  plain-release-share: ").append(w.plainReleaseShare()).append('\n');
        return b.toString();
    }

    private static String duration(HandlerDuration d) {
        return switch (d) {
            case HandlerDuration.Fixed f -> "{distribution: fixed, cycles: " + f.cycles() + "}";
            case HandlerDuration.Uniform u -> "{distribution: uniform, min-cycles: " + u.min() + ", max-cycles: "
                    + u.max() + "}";
            case HandlerDuration.Exponential e -> "{distribution: exponential, mean-cycles: " + e.meanCycles() + "}";
            case HandlerDuration.Table t -> "{distribution: table, entries: [" + t.entries().stream()
                    .map(e -> "{cycles: " + e.cycles() + ", probability: " + e.probability() + "}")
                    .collect(Collectors.joining(", ")) + "]}";
        };
    }

    /** {@code s} as a double-quoted YAML scalar. */
    private static String quoted(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
