package org.mmemu.tests.cli;

import java.util.List;
import org.mmemu.tests.report.FindingReport;
import org.mmemu.tests.report.RunReport;

/** The table of {@code compare} and {@code demo}: one row per protocol. */
final class CompareTable {
    private CompareTable() {
    }

    static String format(List<RunReport> rows) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-13s %-40s %12s %-9s %s%n", "protocol", "findings", "schedules", "space", "ms"));
        for (RunReport r : rows) {
            String findings = r.findings().isEmpty() ? "none"
                    : String.join(", ", r.findings().stream().map(CompareTable::brief).toList());
            b.append(String.format("%-13s %-40s %,12d %-9s %d%n", r.protocol(), findings, r.schedules(),
                    r.complete() ? "covered" : "partial", r.elapsedMillis()));
        }
        return b.toString();
    }

    private static String brief(FindingReport f) {
        return f.kind() + (f.page().isEmpty() ? "" : " of " + f.page());
    }
}
