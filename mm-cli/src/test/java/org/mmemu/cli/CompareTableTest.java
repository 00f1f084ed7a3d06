package org.mmemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.report.FindingReport;
import org.mmemu.report.RunReport;

class CompareTableTest {
    private static RunReport row(String protocol, boolean complete, FindingReport... findings) {
        return new RunReport("seed-race", "f", protocol, "controlled", "exhaustive", 1, 1234, complete,
                complete ? "" : "the time limit (1s) hit after 1,234 schedules", 5,
                List.of("double-free"), findings.length > 0 ? Boolean.TRUE : complete ? Boolean.FALSE : null, "",
                List.of(findings), List.of());
    }

    @Test
    void eachProtocolGetsAVerdictAndTheScheduleOfItsFirstFinding() {
        FindingReport df = new FindingReport("double-free", "P", 3, 0, "s", "o1,i0@4:400", "m", List.of());
        List<RunReport> rows = List.of(row("mm1", false, df), row("always-lock", true), row("count-one", false));
        String table = CompareTable.format(rows, rows);
        List<String> lines = table.lines().toList();
        assertThat(lines.get(1)).startsWith("mm1").contains("double-free of P").contains("1,234").contains("partial");
        assertThat(lines.get(2)).startsWith("always-lock").contains("clean, bounded space covered").contains("covered");
        assertThat(lines.get(1)).contains("[double-free] holds");
        assertThat(lines.get(2)).contains("[double-free] FAILS");
        assertThat(lines.get(3)).startsWith("count-one").contains("clean so far (space not covered)")
                .contains("[double-free] INCOMPLETE");
        assertThat(lines.get(4)).isEqualTo("mm1           INCOMPLETE: the time limit (1s) hit after 1,234 schedules");
        assertThat(lines.get(5)).startsWith("count-one     INCOMPLETE:");
        assertThat(lines.get(6)).isEqualTo("mm1           schedule of the double-free: o1,i0@4:400");
        assertThat(lines).hasSize(7);
    }
}
