package org.mmemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus (src/test/resources/bad, described in its EXPECTED file): each broken
 * scenario gives exit status 2 and exactly one line on stderr, naming the file and, where the
 * file has one, the line and column, with no stack trace and no output on stdout. Then the bad
 * command lines (options, schedules, paths, devices, FIFOs): the same, exit 2 and one line. A
 * hang would be caught by the timeout; the tests do not time anything.
 */
class BadInputTest {
    private static final Path DIR = Path.of("src/test/resources/bad");

    @TempDir
    static Path tmp;

    /** A command line that must be refused with exit 2 and a line containing {@code fragment}. */
    record Line(String name, List<String> args, String fragment) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Line line(String name, String fragment, String... args) {
        return new Line(name, List.of(args), fragment);
    }

    static List<Line> commandLines() throws IOException, InterruptedException {
        Path fifo = tmp.resolve("fifo");
        if (!Files.exists(fifo)) {
            Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
            assertThat(p.waitFor()).isZero();
        }
        Path huge = tmp.resolve("huge.yaml");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 20); // sparse: no disk used, but larger than any scenario may be
        }
        Path badSchedule = tmp.resolve("bad-schedule.yaml");
        Files.writeString(badSchedule, seedRace().replace("  delays: irq", "  delays: irq\n  schedule: irq:0,zz"));
        Path replayNoSchedule = tmp.resolve("replay-no-schedule.yaml");
        Files.writeString(replayNoSchedule, seedRace().replace("policy: exhaustive", "policy: replay"));
        Path fileMisfit = tmp.resolve("file-misfit.yaml");
        Files.writeString(fileMisfit, seedRace().replace("  delays: irq", "  delays: irq\n  schedule: irq:7"));
        Path badExpect = tmp.resolve("bad-expect.yaml");
        String race = seedRace();
        Files.writeString(badExpect, race.substring(0, race.indexOf("\nexpect:")) + "\nexpect: { mm9: [double-free] }\n");
        Path dir = Files.createDirectories(tmp.resolve("a-folder"));
        String seed = "seed-race";
        return List.of(
                // devices, FIFOs, folders, huge and unnamable files
                line("dev-zero", "is a device, FIFO or socket", "run", "/dev/zero"),
                line("dev-null", "is a device, FIFO or socket", "explore", "/dev/null"),
                line("dev-urandom", "is a device, FIFO or socket", "replay", "/dev/urandom", "--schedule", "irq:"),
                line("fifo", "is a device, FIFO or socket", "run", fifo.toString()),
                line("folder", "is a directory", "run", dir.toString()),
                line("sparse-3MiB", "larger than", "run", huge.toString()),
                line("nul-in-name", "not a file name", "run", "seed\0race"),
                line("very-long-name", "no such file", "run", "x".repeat(5000)),
                // schedules on the command line
                line("schedule-no-model", "lacks its model prefix", "replay", seed, "--schedule", "1x9,d10,i0"),
                line("schedule-bad-token", "bad token 'q'", "replay", seed, "--schedule", "irq:1,q"),
                line("schedule-unknown-model", "unknown delay model", "replay", seed, "--schedule", "fast:0"),
                line("schedule-zero-default", "bad token 'd0'", "replay", seed, "--schedule", "irq:d0"),
                line("schedule-wrong-model", "is for the 'any' delay model", "replay", seed, "--schedule", "any:1,0"),
                line("schedule-no-such-cpu", "names cpu5", "replay", seed, "--schedule", "irq:5"),
                line("schedule-no-such-irq", "names interrupt 3", "replay", seed, "--schedule", "irq:i3"),
                line("schedule-irq-over-max", "its max is 1", "replay", seed, "--schedule", "irq:i0,d3,i0"),
                line("schedule-longer-than-run", "before the schedule did", "replay", seed, "--schedule", "irq:d5000"),
                line("schedule-blank", "replay needs --schedule", "replay", seed, "--schedule", " "),
                // schedules and engine settings in files
                line("file-bad-schedule", "bad token 'zz'", "run", badSchedule.toString()),
                line("file-replay-without-schedule", "policy replay needs a schedule", "explore",
                        replayNoSchedule.toString()),
                line("file-schedule-misfit", "names cpu7", "explore", fileMisfit.toString(), "--policy", "replay"),
                line("file-expect-unknown-protocol", "expect: unknown protocol 'mm9'", "run", badExpect.toString()),
                line("policy-replay-without-schedule", "policy replay needs a schedule", "explore", seed, "--policy",
                        "replay"),
                // output paths
                line("html-folder", "--html " + dir + ": is a directory", "explore", seed, "--html", dir.toString()),
                line("json-folder", "is a directory", "run", seed, "--json", dir.toString()),
                line("json-no-such-dir", "no such directory", "run", seed, "--json", tmp.resolve("no/such/r.json").toString()),
                line("json-fifo", "is a device, FIFO or socket", "explore", seed, "--json", fifo.toString()),
                // options that do not apply, or bad values
                line("stress-policy", "--policy does not apply", "stress", seed, "--policy", "pct"),
                line("stress-delays", "--delays does not apply", "stress", seed, "--delays", "anywhere"),
                line("stress-preemption-bound", "--preemption-bound does not apply", "stress", seed,
                        "--preemption-bound", "1"),
                line("run-max-schedules", "--max-schedules does not apply", "run", seed, "--max-schedules", "9"),
                line("run-free-seed", "--seed does not apply", "run", seed, "--free", "--seed", "3"),
                line("replay-policy", "--policy does not apply", "replay", seed, "--schedule", "irq:", "--policy",
                        "exhaustive"),
                line("demo-bogus-protocol", "unknown protocol 'bogus'", "demo", "--protocol", "bogus"),
                line("compare-bogus-protocol", "unknown protocol 'bogus'", "compare", seed, "--protocol", "bogus"),
                line("unknown-kernel", "unknown kernel '2.6.9'", "explore", seed, "--kernel", "2.6.9"),
                line("kernel-not-mirrored", "kernel 2.5.31 cannot run", "run", seed, "--kernel", "2.5.31"),
                line("kernel-protocol-mismatch", "protocol mm1 is the release path of 2.5.31-mm1", "explore", seed,
                        "--kernel", "2.6.7", "--protocol", "mm1"),
                line("demo-kernel", "--kernel does not apply", "demo", "--kernel", "2.6.7"),
                line("time-limit-zero", "must be more than 0", "explore", seed, "--time-limit", "0"),
                line("preemption-bound-too-big", "between 0 and 64", "explore", seed, "--preemption-bound", "65"));
    }

    private static String seedRace() {
        return new String(org.mmemu.scenario.Shipped.text("seed-race").orElseThrow(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandLines")
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aBadCommandLineGivesOneLineAndExitStatus2(Line c) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(c.args().toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true),
                false);

        assertThat(status).as(err.toString() + out).isEqualTo(Main.BAD_INPUT);
        List<String> lines = err.toString().lines().toList();
        assertThat(lines).as(err.toString()).hasSize(1);
        assertThat(lines.get(0)).contains(c.fragment()).doesNotContain("Exception").doesNotContain("\tat ")
                .hasSizeLessThanOrEqualTo(Main.MAX_LINE + 200);
    }

    @Test
    void thereAreAtLeastTwentyBadCommandLines() throws Exception {
        assertThat(commandLines()).hasSizeGreaterThanOrEqualTo(20);
    }

    record Case(String file, String location, String fragment) {
        @Override
        public String toString() {
            return file;
        }
    }

    static List<Case> corpus() throws IOException {
        return Files.readAllLines(DIR.resolve("EXPECTED"), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split("\t", 3))
                .map(p -> new Case(p[0], p[1], p[2]))
                .toList();
    }

    @Test
    void theCorpusIsLargeAndEveryFileInItIsListed() throws IOException {
        List<String> listed = corpus().stream().map(Case::file).toList();
        try (Stream<Path> files = Files.list(DIR)) {
            List<String> onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).toList();
            assertThat(listed).containsExactlyInAnyOrderElementsOf(onDisk);
        }
        assertThat(listed).hasSizeGreaterThanOrEqualTo(30);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aBrokenScenarioGivesOneLineNamingItsPositionAndExitStatus2(Case c) {
        String file = DIR.resolve(c.file()).toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new String[] {"run", file}, new PrintWriter(out, true), new PrintWriter(err, true), false);

        assertThat(status).isEqualTo(Main.BAD_INPUT);
        assertThat(out.toString()).isEmpty();
        List<String> lines = err.toString().lines().toList();
        assertThat(lines).hasSize(1);
        String line = lines.get(0);
        String prefix = c.location().equals("-") ? file + ": " : file + ":" + c.location() + ": ";
        assertThat(line).startsWith(prefix).contains(c.fragment());
        assertThat(line).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
