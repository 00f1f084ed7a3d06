package org.mmemu.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mmemu.bench.TimedRates;

/**
 * End to end: the report of a real exploration of the seed race, opened in headless Chromium.
 * The DOM Chromium renders must hold the lanes and the labels; the screenshot is kept in
 * {@code mm-tests/target/html-report/} as the test's artifact. Outside CI it is skipped when
 * there is no chromium binary; under {@code CI=true} (where .ci/run installs Debian's chromium) a
 * missing binary or a browser that cannot start fails it.
 */
class HtmlReportChromiumTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path OUT = Path.of("target", "html-report");

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void theSeedRaceReportRendersWithItsLanesAndLabels() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            assertThat(inCi()).as("CI=true but no chromium at " + CHROMIUM + " (.ci/run installs it)").isFalse();
            Assumptions.abort("no chromium at " + CHROMIUM);
        }
        ReportData data = SeedRaceReports.demo("seed-race")
                .withRates(TimedRates.measure("mm1", new long[] {2_000, 8_000}, new int[] {50, 400}, 40, 7));
        Files.createDirectories(OUT);
        Path page = OUT.resolve("seed-race.html").toAbsolutePath();
        HtmlReport.write(page, data);

        String dom = chromium(List.of("--dump-dom", page.toUri().toString()), "dump-dom");
        assertThat(dom).contains("<svg class=\"lanes\"");
        assertThat(dom).contains("data-cpu=\"0\"").contains("data-cpu=\"1\"");
        assertThat(dom).contains("shrink_cache: if (page_count(page) == 0)");
        assertThat(dom).contains("release_pages: !put_page_testzero(page))");
        assertThat(dom).contains("class=\"irq-span\"").contains("class=\"lock-span\"");
        assertThat(dom).contains("mark-fail").contains("mark-root").contains("mark-related");
        // issue 25 item 4: the free is marked on a row of __free_pages_ok, and the interrupt arrives, as in the text
        assertThat(dom).contains("\u25CF freed: __free_pages_ok").contains("interrupt: arrives")
                .doesNotContain("enter handler");
        assertThat(dom).contains("double-free").contains("unless-zero");
        assertThat(dom).contains("<svg class=\"chart\"");

        Path shot = OUT.resolve("seed-race.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        chromium(List.of("--screenshot=" + shot, "--window-size=1400,1800", page.toUri().toString()), "screenshot");
        assertThat(shot).exists();
        byte[] png = Files.readAllBytes(shot);
        assertThat(png.length).isGreaterThan(10_000);
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        System.out.println("screenshot: " + shot);
    }

    private static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Runs headless Chromium with a fresh profile and returns its standard output. */
    private static String chromium(List<String> args, String label) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("mmemu-chromium-");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
        cmd.addAll(args);
        Path err = OUT.resolve("chromium-" + label + ".log");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish: " + label);
        }
        assertThat(p.exitValue()).as("chromium exit status, log in " + err).isZero();
        deleteTree(profile);
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }
}
