package org.mmemu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.report.html.ReportData;

/** The bench command's parsing, tables and the small pieces; nothing timed is asserted. */
class BenchMainTest {
    @Test
    void rejectsUnknownSectionsAndBadValuesWithStatus2() {
        assertThat(run("nosuch")).startsWith("2:").contains("no section 'nosuch'");
        assertThat(run("--reps", "0")).startsWith("2:").contains("--reps must be positive");
        assertThat(run("--protocols", "mm1,bogus")).startsWith("2:").contains("unknown protocol 'bogus'");
        assertThat(run("--seconds")).startsWith("2:").contains("--seconds needs a value");
    }

    @Test
    void parsesSectionsAndOptions() {
        BenchMain.Config c = BenchMain.Config.parse(new String[] {"timed", "release", "timed", "--runs", "40",
            "--protocols", "mm1, always-lock"});
        assertThat(c.sections).containsExactly("timed", "release");
        assertThat(c.runs).isEqualTo(40);
        assertThat(c.protocols).containsExactly("mm1", "always-lock");
        assertThat(BenchMain.Config.parse(new String[0]).sections).isEqualTo(BenchMain.Config.ALL);
    }

    @Test
    void printsMarkdownTables() {
        String md = BenchMain.markdown(new ReportData.Table("t", List.of("a", "b"),
                List.of(List.of("1", "2"), List.of("3", "4")), "note"));
        assertThat(md).isEqualTo("### t\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n\nnote\n");
    }

    @Test
    void mediansOfOddAndEvenCounts() {
        assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        assertThat(Stats.median(List.of())).isNaN();
    }

    @Test
    void theTimedGridHasACellPerRateAndDuration() {
        var g = TimedRates.measure("unless-zero", new long[] {300, 1000}, new int[] {1000}, 20, 5);
        assertThat(g.cells()).hasDimensions(1, 2);
        assertThat(g.cells()[0][0].runs()).isEqualTo(20);
        assertThat(g.cells()[0][0].hits()).as("unless-zero never double frees").isZero();
        assertThat(g.cells()[0][1].hits()).isZero();
    }

    @Test
    void plainJavaBaselinesRunOnOneAndTwoThreads() {
        for (Baselines.Op op : Baselines.Op.values()) {
            assertThat(Baselines.opsPerSecond(op, 1, 1000)).isPositive();
            assertThat(Baselines.opsPerSecond(op, 2, 1000)).isPositive();
        }
    }

    private static String run(String... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int status = BenchMain.run(args, new PrintStream(b, true, StandardCharsets.UTF_8));
        return status + ":" + b.toString(StandardCharsets.UTF_8);
    }
}
