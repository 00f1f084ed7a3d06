package org.mmemu.core.emu;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One thing a detector saw, as a value: what, on which page, where, on which CPU, the other
 * sites involved (the first free of a double free, the get from zero that caused it), and what
 * each CPU involved was doing just before. Engines add the schedule that led there.
 *
 * @param kind      what went wrong
 * @param pfn       the page frame number, or -1 when no page is involved
 * @param cpu       the CPU that made the failing step, or -1
 * @param site      the failing step's site, or null
 * @param message   one line for a person
 * @param related   other sites that matter, each with a label ("first free", "root cause")
 * @param recent    per CPU id, the sites it stepped through last, oldest first
 * @param schedule  the schedule that produced the finding, or "" when not known (free engine)
 */
public record Finding(FindingKind kind, long pfn, int cpu, Site site, String message,
                      List<Related> related, Map<Integer, List<Site>> recent, String schedule) {

    /** A site that matters to a finding besides the failing one. */
    public record Related(String label, int cpu, Site site) {
        @Override
        public String toString() {
            return label + ": cpu" + cpu + " at " + site;
        }
    }

    public Finding {
        Objects.requireNonNull(kind);
        related = List.copyOf(related);
        recent = Map.copyOf(recent);
        schedule = schedule == null ? "" : schedule;
    }

    /** The same finding with the schedule that produced it. */
    public Finding withSchedule(String s) {
        return new Finding(kind, pfn, cpu, site, message, related, recent, s);
    }

    /**
     * Whether {@code other} is this finding again: the same kind, on the same page, at the same
     * site. What a replay of this finding's schedule must show, whatever else it shows: several
     * findings of one kind (five use-after-frees of one page at five sites) each keep their own.
     */
    public boolean sameOccurrence(Finding other) {
        return other.kind == kind && other.pfn == pfn && Objects.equals(other.site, site);
    }

    /** The root cause if the detectors named one (e.g. the refcount-from-zero before a double free). */
    public Related rootCause() {
        return related.stream().filter(r -> r.label().equals(ROOT_CAUSE)).findFirst().orElse(null);
    }

    /** The label of the related site that caused a finding. */
    public static final String ROOT_CAUSE = "root cause";

    /** A readable, multi-line report in the manner of KASAN. */
    public String report() {
        StringBuilder b = new StringBuilder();
        b.append("BUG: ").append(kind.id());
        if (pfn >= 0) {
            b.append(" of page pfn ").append(pfn);
        }
        if (cpu >= 0) {
            b.append(" on cpu").append(cpu);
        }
        b.append('\n').append("  ").append(message).append('\n');
        if (site != null) {
            b.append("  at ").append(site).append('\n');
        }
        for (Related r : related) {
            b.append("  ").append(r).append('\n');
        }
        recent.keySet().stream().sorted().forEach(id -> {
            b.append("  cpu").append(id).append(" last steps:\n");
            for (Site s : recent.get(id)) {
                b.append("    ").append(s).append('\n');
            }
        });
        if (!schedule.isEmpty()) {
            b.append("  schedule: ").append(schedule).append('\n');
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return kind.id() + (pfn >= 0 ? " pfn " + pfn : "") + (cpu >= 0 ? " cpu" + cpu : "")
                + (site != null ? " at " + site : "") + ": " + message;
    }
}
