package org.mmemu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code mmemu bench engine}: one row per protocol with the search's real counts; bad arguments exit 2. */
class EngineBenchTest {
    private static String run(int expected, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = BenchMain.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as(out).isEqualTo(expected);
        return out;
    }

    @Test
    void aRowGivesTheCompleteSearchsCountsAndItsRate() {
        String out = run(0, "engine", "--protocols", "always-lock", "--bound", "1", "--warmup", "0", "--rounds", "2",
                "--threads", "1");
        String row = out.lines().filter(l -> l.startsWith("| always-lock |")).findFirst().orElseThrow();
        String[] cells = row.split("\\|");
        assertThat(cells[2].strip()).isEqualTo("yes");
        long schedules = Long.parseLong(cells[3].strip().replace(",", ""));
        long steps = Long.parseLong(cells[4].strip().replace(",", ""));
        assertThat(schedules).isPositive();
        assertThat(steps).isGreaterThan(schedules);
        assertThat(Double.parseDouble(cells[8].strip())).isPositive();
    }

    @Test
    void badArgumentsExitTwoWithOneLine() {
        for (String[] bad : new String[][] {{"engine", "--rounds", "0"}, {"engine", "--bound", "x"},
            {"engine", "--frobnicate"}, {"engine", "--scenario", "no-such-scenario"}, {"engine", "--threads"},
            {"engine", "--protocols", "no-such-protocol"}}) {
            String out = run(2, bad);
            assertThat(out.lines().count()).as(out).isEqualTo(1);
            assertThat(out).startsWith("mmemu bench engine: ");
        }
    }
}
