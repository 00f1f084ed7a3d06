package org.mmemu.cli;

import java.util.List;
import java.util.Locale;
import org.mmemu.report.CatalogueReport;
import org.mmemu.scenario.CatalogueEntry;

/**
 * The text of {@code mmemu catalogue}: one line per entry, so that the whole catalogue reads as a
 * table (and docs/CATALOGUE.md can show the run as it came).
 */
final class CatalogueText {
    private CatalogueText() {
    }

    /** {@code --list}: the entry, its kind, its kernels and its fix. */
    static String listed(CatalogueEntry c) {
        return String.format("%-22s %-12s %s -> %s  (%s, %s, %s)%n", c.entry(), c.expect().id(), c.buggy(), c.fixed(),
                c.commit().substring(0, 10), c.date(), c.author());
    }

    /**
     * A run: {@code entry  buggy -> kind, time  |  fixed -> clean and complete (search), time  |  verdict},
     * with the other kinds found on each side in brackets.
     */
    static String line(CatalogueReport.Entry e) {
        CatalogueReport.Buggy b = e.buggy();
        CatalogueReport.Fixed f = e.fixed();
        String buggy = b.kernel() + " -> " + (b.found() ? e.expect() : "no " + e.expect()) + others(b.kinds(), e.expect())
                + ", " + runs(b.schedules(), b.millis());
        String fixedWhat = f.kinds().contains(e.expect()) ? "FOUND " + e.expect()
                : f.complete() ? "clean and complete" : "INCOMPLETE";
        String search = f.policy() + ", delays " + f.delays() + ", "
                + (f.preemptionBound() == null ? "no bound" : "bound " + f.preemptionBound());
        String fixed = f.kernel() + " -> " + fixedWhat + " (" + search + ")" + others(f.kinds(), e.expect()) + ", "
                + runs(f.schedules(), f.millis());
        return String.format("%-20s %s  |  %s  |  %s%s%n", e.name(), buggy, fixed, e.verdict(),
                e.why().isEmpty() ? "" : ": " + e.why());
    }

    /** {@code " [also a, b]"}: the kinds other than the entry's, or "". */
    private static String others(List<String> kinds, String expect) {
        List<String> o = kinds.stream().filter(k -> !k.equals(expect)).toList();
        return o.isEmpty() ? "" : " [also " + String.join(", ", o) + "]";
    }

    /** {@code 150 schedules, 0.65 s}. */
    private static String runs(long schedules, long millis) {
        return String.format(Locale.ROOT, "%,d schedule%s, %.2f s", schedules, schedules == 1 ? "" : "s",
                millis / 1000.0);
    }
}
