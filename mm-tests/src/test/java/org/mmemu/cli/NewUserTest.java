package org.mmemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mmemu.scenario.run.Progress;

/** Issue 25: what a new user trips on, each item with the check that failed on the old behaviour. */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NewUserTest {
    @TempDir
    Path tmp;

    private static MainTest.Result mmemu(String... args) {
        return MainTest.mmemu(args);
    }

    /** Item 7: each command's help shows the options it takes, no more. */
    @Test
    void helpListsOnlyTheOptionsTheCommandTakes() {
        assertThat(mmemu("run", "--help").out()).doesNotContain("--max-schedules").contains("--policy");
        String replay = mmemu("replay", "--help").out();
        for (String o : List.of("--policy", "--seed", "--preemption-bound", "--skew", "--max-schedules")) {
            assertThat(replay).as(o).doesNotContain(o);
        }
        assertThat(replay).contains("--schedule").contains("--delays");
        String stress = mmemu("stress", "--help").out();
        for (String o : List.of("--policy", "--seed", "--preemption-bound", "--delays", "--skew", "--max-schedules")) {
            assertThat(stress).as(o).doesNotContain(o);
        }
        // still refused, with the reason
        assertThat(mmemu("replay", "seed-race", "--schedule", "irq:", "--seed", "3").err())
                .contains("--seed does not apply");
        MainTest.Result scale = mmemu("bench", "scale", "--help");
        assertThat(scale.status()).isZero();
        assertThat(scale.out()).startsWith("Usage: mmemu bench scale").contains("--sizes").doesNotContain("--reps");
        assertThat(mmemu("bench", "engine", "--help").out()).startsWith("Usage: mmemu bench engine").contains("--rounds");
        assertThat(mmemu("bench", "--help").out()).startsWith("Usage: mmemu bench");
        for (String cmd : List.of("explore", "compare", "demo")) {
            assertThat(mmemu(cmd, "--help").out()).as(cmd).contains("--threads");
        }
    }

    /** Item 8: every output path is checked before the work starts. */
    @Test
    void outputPathsAreCheckedBeforeAnyWork() {
        long start = System.nanoTime();
        MainTest.Result scale = mmemu("bench", "scale", "--json", tmp.toString());
        assertThat(scale.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(scale.out() + scale.err()).contains("--json").contains("is a directory");
        MainTest.Result bench = mmemu("bench", "release", "--html", tmp.resolve("no/such/dir/r.html").toString());
        assertThat(bench.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(bench.out() + bench.err()).contains("--html").contains("no such directory");
        for (String[] args : List.of(new String[] {"explore", "seed-race", "--html", tmp.toString()},
                new String[] {"compare", "seed-race", "--json", tmp.toString()},
                new String[] {"demo", "--html", tmp.toString()}, new String[] {"run", "seed-race", "--json", tmp.toString()})) {
            MainTest.Result r = mmemu(args);
            assertThat(r.status()).as(String.join(" ", args)).isEqualTo(Main.BAD_INPUT);
            assertThat(r.err()).as(String.join(" ", args)).contains("is a directory");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    /** Item 5: the HTML judges each row by its expectation: count-one's expected leak is not a red bug. */
    @Test
    void theHtmlHasAnExpectationColumnAndDemosCountOneSection() throws IOException {
        Path page = tmp.resolve("c1.html");
        MainTest.Result r = mmemu("explore", "count-one-two-releases", "--protocol", "count-one", "--html", page.toString());
        assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Main.HELD);
        String html = Files.readString(page);
        assertThat(html).contains("<th>expected</th>").contains("expect [leak]: holds").contains("outcome-holds")
                .doesNotContain("class=\"verdict-found\"");

        Path demo = tmp.resolve("demo.html");
        MainTest.Result d = mmemu("demo", "--protocol", "count-one", "--time-limit", "5s", "--html", demo.toString());
        assertThat(d.out()).contains("count-one-two-releases").contains("count-one-mop-up");
        String dh = Files.readString(demo);
        assertThat(dh).contains("count-one: count-one-two-releases").contains("count-one: count-one-mop-up");
    }

    /** Item 12: verdicts and the kinds found are the same at 1 and 2 explorer threads. */
    @Test
    void verdictsAndFindingsDoNotDependOnTheThreadCount() throws IOException {
        Map<Integer, Map<String, String>> byThreads = new TreeMap<>();
        for (int threads : new int[] {1, 2}) {
            Path json = tmp.resolve("t" + threads + ".json");
            MainTest.Result r = mmemu("compare", "seed-race", "--threads", String.valueOf(threads), "--json",
                    json.toString());
            assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Main.HELD);
            Map<String, String> rows = new TreeMap<>();
            for (JsonNode row : new ObjectMapper().readTree(json.toFile())) {
                TreeSet<String> kinds = new TreeSet<>();
                row.get("findings").forEach(f -> kinds.add(f.get("kind").asText()));
                rows.put(row.get("protocol").asText(), kinds + " hold=" + row.get("expectationsHold")
                        + " complete=" + row.get("complete"));
            }
            byThreads.put(threads, rows);
        }
        System.out.println("by threads: " + byThreads);
        assertThat(byThreads.get(2)).isEqualTo(byThreads.get(1));
        assertThat(mmemu("explore", "seed-race", "--threads", "0").status()).isEqualTo(Main.BAD_INPUT);
    }

    /** Item 9: a long verdict wraps within its column; the columns after it stay in line. */
    @Test
    void longVerdictsWrapWithinTheirColumn() {
        MainTest.Result r = mmemu("compare", "seed-race", "--protocol", "no-tests");
        String header = r.out().lines().filter(l -> l.startsWith("protocol")).findFirst().orElseThrow();
        int schedules = header.indexOf("schedules") + "schedules".length();
        List<String> lines = r.out().lines().toList();
        String row = lines.stream().filter(l -> l.startsWith("no-tests ")).findFirst().orElseThrow();
        assertThat(row.indexOf(" covered")).as(row).isEqualTo(schedules);
        for (String l : lines) {
            if (!l.contains("schedule of the")) {
                assertThat(l.length()).as(l).isLessThanOrEqualTo(TextTable.WIDTH);
            }
        }
        MainTest.Result s = mmemu("scenarios");
        s.out().lines().forEach(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(TextTable.WIDTH));
    }

    /** Item 9: progress lines are rewritten with \r only on a terminal; elsewhere, whole lines. */
    @Test
    void progressWritesWholeLinesWhereStderrIsNotATerminal() throws InterruptedException {
        Watched log = new Watched("with findings");
        try (Progress p = Progress.on(log.stream(), "x [mm1]", false, Duration.ofMillis(50))) {
            p.update(3, 1);
            log.await();
        }
        assertThat(log.text()).doesNotContain("\r").contains("x [mm1]: 3 executions, 1 with findings").endsWith("\n");
        Watched tty = new Watched("running");
        try (Progress p = Progress.on(tty.stream(), "x", true, Duration.ofMillis(50))) {
            tty.await();
        }
        assertThat(tty.text()).startsWith("\rx: running");
    }

    /**
     * An output stream a test can wait on: {@link #await} returns once the text written so far
     * contains {@code expected} (the progress timer's thread writes it), without guessing a time.
     */
    private static final class Watched extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CountDownLatch seen = new CountDownLatch(1);
        private final String expected;

        Watched(String expected) {
            this.expected = expected;
        }

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            if (b == '\n' || b == ' ') {
                if (text().contains(expected)) {
                    seen.countDown();
                }
            }
        }

        PrintStream stream() {
            return new PrintStream(this, true, StandardCharsets.UTF_8);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        void await() throws InterruptedException {
            // the class's @Timeout bounds the wait; the latch opens on the write itself
            seen.await();
        }
    }

    /** Item 9: a shard's closing line is a whole sentence. */
    @Test
    void aShardsClosingLineEndsItsSentence() {
        MainTest.Result r = mmemu("explore", "seed-race", "--shard", "1/2");
        assertThat(r.out()).contains("shard 1/2: the verdict above is this part's only; 'mmemu merge' of all 2 shards'"
                + " --json results gives the verdict of the whole search");
    }

    /** Item 10: a failed alloc_pages's error names both lines, the use and the allocation. */
    @Test
    void aFailedAllocationsErrorNamesBothLines() throws IOException {
        Path f = tmp.resolve("oom.yaml");
        Files.writeString(f, """
                name: oom
                machine: { cpus: 1, zones: { Normal: 1 } }
                pages:
                  P: { count: 1 }
                programs:
                  cpu0:
                    - alloc_pages: { gfp: GFP_ATOMIC, as: R }
                    - put_page: [R]
                """);
        MainTest.Result r = mmemu("run", f.toString());
        assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("oom.yaml:8:").contains("its alloc_pages at ").contains("oom.yaml:7:")
                .contains("failed");
    }
}
