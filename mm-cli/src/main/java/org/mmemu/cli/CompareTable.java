package org.mmemu.cli;

import java.util.List;
import org.mmemu.report.FindingReport;
import org.mmemu.report.RunReport;

/** The table of {@code compare} and {@code demo}: one row per protocol. */
final class CompareTable {
    private CompareTable() {
    }

    /**
     * The table of {@code rows}; those in {@code judged} say whether their protocol's expectation
     * held. Schedules stay on one line each, whatever their length: they are copied whole into
     * {@code mmemu replay}.
     */
    static String format(List<RunReport> rows, List<RunReport> judged) {
        StringBuilder b = new StringBuilder();
        // 13 wide, or as wide as the longest name (a protocol on a kernel: always-lock@2.6.7)
        int w = Math.max(13, rows.stream().mapToInt(r -> r.protocol().length()).max().orElse(0));
        String name = "%-" + w + "s ";
        TextTable t = new TextTable(new int[] {w, 44, 12, 9, 26, 8}, new boolean[] {false, false, true, false, false, true});
        b.append(t.row("protocol", "verdict", "schedules", "space", "expectation", "ms"));
        for (RunReport r : rows) {
            b.append(t.row(r.protocol(), verdict(r), String.format("%,d", r.schedules()),
                    r.complete() ? "covered" : "partial", judged.contains(r) ? expectation(r) : "-",
                    String.valueOf(r.elapsedMillis())));
        }
        rows.stream().filter(r -> !r.complete() && judged.contains(r)).forEach(r ->
                b.append(String.format(name, r.protocol()))
                        .append(TextTable.wrap("INCOMPLETE: " + r.incomplete(), " ".repeat(w + 1), w + 1)).append('\n'));
        for (RunReport r : rows) {
            // the double free is the finding a reader replays, whichever the search met first
            r.findings().stream().filter(f -> !f.schedule().isEmpty())
                    .min(java.util.Comparator.comparingInt(f -> f.kind().equals("double-free") ? 0 : 1)).ifPresent(f ->
                    b.append(String.format(name + "schedule of the %s: %s%n", r.protocol(), f.kind(), f.schedule())));
        }
        return b.toString();
    }

    /** The protocol's expectation and whether it held: {@code [] holds}, {@code [double-free] FAILS}. */
    static String expectation(RunReport r) {
        String e = "[" + String.join(", ", r.expect()) + "] ";
        return e + (r.expectationsHold() == null ? "INCOMPLETE" : r.expectationsHold() ? "holds" : "FAILS");
    }

    /** One phrase: what the protocol did on this scenario. */
    static String verdict(RunReport r) {
        if (r.findings().isEmpty()) {
            return r.complete() ? "clean, bounded space covered" : "clean so far (space not covered)";
        }
        // The double free first: it is the verdict; the rest follow from it.
        List<String> kinds = r.findings().stream().map(CompareTable::brief).distinct()
                .sorted(java.util.Comparator.comparing((String k) -> !k.startsWith("double-free"))).toList();
        return String.join(", ", kinds);
    }

    private static String brief(FindingReport f) {
        return f.kind() + (f.page().isEmpty() ? "" : " of " + f.page());
    }
}
