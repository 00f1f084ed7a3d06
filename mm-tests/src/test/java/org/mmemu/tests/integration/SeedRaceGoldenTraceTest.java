package org.mmemu.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mmemu.cli.Main;

/**
 * The two-column trace of the seed race under mm1 (2.5.31-mm1; docs/RACE.md), pinned, each row
 * a kernel statement or an {@code [insn]} the seed mail counts, the filler pages' rows folded: {@code mmemu replay
 * seed-race --schedule S} with the schedule the exhaustive search reports, compared line by line
 * with {@code src/test/resources/golden/seed-race-mm1.txt} (everything after the first line,
 * which carries the wall time). On a mismatch the new text is printed, to review and, if right,
 * copy over the golden file.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SeedRaceGoldenTraceTest {
    static final String SCHEDULE = "irq:1x11,d10,i0";
    private static final Path GOLDEN = Path.of("src/test/resources/golden/seed-race-mm1.txt");

    @Test
    void mm1sDoubleFreeTraceIsTheGoldenOne() throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new String[] {"replay", "seed-race", "--protocol", "mm1", "--schedule", SCHEDULE},
                new PrintWriter(out, true), new PrintWriter(err, true), false);
        assertThat(status).as(err.toString()).isEqualTo(Main.HELD);
        String text = out.toString();
        // everything after the first line, less the search line (both carry wall times)
        String body = text.substring(text.indexOf('\n') + 1).replaceAll("(?m)^search: .*\n", "");
        String golden = Files.readString(GOLDEN);
        if (!body.equals(golden)) {
            System.out.println("seed-race mm1 " + SCHEDULE + ": the trace changed; new text:\n" + body);
        }
        assertThat(body).isEqualTo(golden);
        // The rows that make it the mail's race: the put inside shrink_cache's window, the
        // interrupt before the cli, the two frees.
        assertThat(body).contains("release_pages: !put_page_testzero(page))")
                .contains("shrink_cache: page_cache_get(page)").contains("[irq] interrupt: arrives")
                .contains("BUG: double-free of page P");
    }
}
