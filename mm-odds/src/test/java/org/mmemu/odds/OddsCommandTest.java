package org.mmemu.odds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmemu.cli.Main;

/** {@code mmemu odds} end to end, in-process, through the command line's Main (the subcommand found by ServiceLoader). */
class OddsCommandTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), false);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void profilesListsTheShippedOnesOneLineEach() {
        Run r = run("odds", "--profiles");
        assertThat(r.status()).isZero();
        assertThat(r.out().lines()).hasSize(2);
        assertThat(r.out()).startsWith("xeon-2002").contains("smp4-2004");
    }

    @Test
    void showProfilePrintsAFileThatReadsBackEqual() throws IOException {
        Run r = run("odds", "--show-profile", "smp4-2004");
        assertThat(r.status()).isZero();
        Path copy = dir.resolve("mine.yaml");
        Files.writeString(copy, r.out());
        assertThat(ProfileReader.load(copy)).isEqualTo(Profiles.shipped("smp4-2004"));
        // and a file of one's own prints in the canonical form, which reads back equal too
        Run again = run("odds", "--show-profile", copy.toString());
        assertThat(ProfileReader.parse("again", again.out())).isEqualTo(Profiles.shipped("smp4-2004"));
    }

    @Test
    void aProfileWithANegativeRateIsExit2WithFileLineColumnAndNoStackTrace() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Profiles.text("xeon-2002").orElseThrow().replace("rate-per-second: 200", "rate-per-second: -200"));
        Run r = run("odds", "seed-race", "--profile", bad.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).matches(".*bad\\.yaml:\\d+:\\d+: rate-per-second of disk must not be negative, not -200");
        assertThat(r.err()).doesNotContain("at org.");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anUnknownProfileOrProtocolIsExit2() {
        assertThat(run("odds", "seed-race", "--profile", "vax-1980").err()).contains(
                "vax-1980: no such file, nor a shipped profile (see 'mmemu odds --profiles')");
        Run r = run("odds", "seed-race", "--protocol", "nosuch");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("unknown protocol 'nosuch'");
        assertThat(run("odds").status()).isEqualTo(2);
    }

    @Test
    void withoutAComputationThatAcceptsItSaysSoAndExits2AfterTheInputs() {
        // the shipped exact computation takes two CPUs; nothing computes three
        Run r = run("odds", "seed-race-three-cpus");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).contains("profile xeon-2002: two-way Xeon DP")
                .contains("cpu0 interrupts: timer 1000/s (table, mean 2.800 us), e1000 8000/s (exponential, mean 10.00 us),"
                        + " disk 200/s (uniform, mean 4.000 us)")
                .contains("jitter: a step costs +370 cycles with probability 0.01\n")
                .contains("releases/s x isolations/s / LRU pages x W = 20000 x 20000 / 450000 x W = 888.889 /s");
        assertThat(r.err().strip()).startsWith("odds: no computation for delay model irq").endsWith("nothing was computed");
    }

    @Test
    void theSeedRaceUnderMm1GivesANarrowWindowTheChainAndTheTimeToFailure() {
        Run r = run("odds", "seed-race", "--profile", "xeon-2002");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("note: the scenario's interrupts: (1) are ignored")
                .contains("seed-race [mm1] on xeon-2002")
                .contains("window 1, put_page_testzero lands between B's count load and its get: 394.000 cycles")
                .contains("x P(an interrupt hits cpu0 in window 2")
                .contains("x P(the handler outlasts shrink_list() and the put-back | both)")
                .contains("two or more interrupts in one run are not enumerated")
                .contains("jitter (+370 cycles with probability 0.01 per step) is not modelled");
        String line = r.out().lines().filter(l -> l.contains("enumerated part")).findFirst().orElseThrow();
        double lo = Double.parseDouble(line.replaceAll(".*W = \\[([^,]+), ([^\\]]+)\\] cycles.*", "$1"));
        double hi = Double.parseDouble(line.replaceAll(".*W = \\[([^,]+), ([^\\]]+)\\] cycles.*", "$2"));
        assertThat(lo).isPositive();
        assertThat((hi - lo) / lo).as("the enumerated window's relative width").isLessThan(0.01);
    }

    /** The seed race as shipped, with {@code odds:} appended. */
    private Path seedRaceWith(String odds) throws IOException {
        String text;
        try (var in = OddsCommandTest.class.getResourceAsStream("/scenarios/seed-race.yaml")) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Path file = dir.resolve("seed-race-odds.yaml");
        Files.writeString(file, text + "odds:\n" + odds);
        return file;
    }

    /**
     * With two CPUs only their relative start matters: W over cpu1's start offset is W over cpu0's,
     * the releaser (cpu0) still takes the chain's interrupt, and the report says which CPU t is.
     */
    @Test
    void theScenarioNamesTheOffsetCpuAndTwoCpusGiveTheSameWindowEitherWay() throws IOException {
        Path zero = dir.resolve("zero.json");
        Path one = dir.resolve("one.json");
        Run a = run("odds", "seed-race", "--json", zero.toString());
        Run b = run("odds", seedRaceWith("  offset-cpu: cpu1\n").toString(), "--json", one.toString(), "--html",
                dir.resolve("one.html").toString());
        assertThat(a.status()).as(a.err()).isZero();
        assertThat(b.status()).as(b.err()).isZero();
        assertThat(a.out()).contains("t: cpu0's start offset in cycles, the other CPU starting at 0 (odds: offset-cpu");
        assertThat(b.out()).contains("t: cpu1's start offset in cycles, the other CPU starting at 0").contains("the footnote, factor by factor (double-free, one interrupt on cpu0)");
        JsonNode x = new ObjectMapper().readTree(zero.toFile());
        JsonNode y = new ObjectMapper().readTree(one.toFile());
        assertThat(x.get("offsetCpu").asText()).isEqualTo("cpu0");
        assertThat(y.get("offsetCpu").asText()).isEqualTo("cpu1");
        JsonNode wx = x.get("enumeratedWindowCycles").get("double-free");
        JsonNode wy = y.get("enumeratedWindowCycles").get("double-free");
        assertThat(wy.get(0).asDouble()).as("the intervals overlap").isLessThanOrEqualTo(wx.get(1).asDouble());
        assertThat(wx.get(0).asDouble()).isLessThanOrEqualTo(wy.get(1).asDouble());
        assertThat(Files.readString(dir.resolve("one.html"))).contains("t, cpu1's start offset");
    }

    @Test
    void anOffsetCpuTheMachineHasNotIsExit2WithFileLineColumn() throws IOException {
        Run r = run("odds", seedRaceWith("  offset-cpu: cpu2\n").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).matches(".*seed-race-odds\\.yaml:\\d+:\\d+: offset-cpu: 'cpu2' is not a CPU of this"
                + " machine \\(cpu0\\.\\.cpu1\\)");
        assertThat(r.out()).isEmpty();
        Run unknown = run("odds", seedRaceWith("  offset: cpu1\n").toString());
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("seed-race-odds.yaml:").contains("offset");
    }

    @Test
    void aProtocolWithNoFindingUnderAnyTimingIsAnExactZero() {
        Run r = run("odds", "seed-race", "--protocol", "unless-zero");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("seed-race [unless-zero] on xeon-2002")
                .contains("no finding under any timing").contains("W = 0 exactly for every kind");
    }

    @Test
    void theExactComputationCutByItsTimeLimitIsIncompleteWithAnUnboundedUpperEnd() {
        Run r = run("odds", "seed-race", "--time-limit", "300ms");
        assertThat(r.status()).isEqualTo(4);
        assertThat(r.out()).contains("INCOMPLETE (time limit").contains("Infinity]");
    }

    @Test
    void withAComputationItPrintsTheWindowAndTimeToFailureAndWritesJson() throws IOException {
        Path toy = toyProfile();
        Path json = dir.resolve("odds.json");
        Run r = run("odds", "seed-race", "--profile", toy.toString(), "--fleet", "1000", "--json", json.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("seed-race [mm1] on toy-window\n")
                .contains("double-free: W = [29.5000, 30.5000] cycles = [13.4091, 13.8636] ns")
                .contains("zero-ref-on-lru: W = 0.00000 cycles");
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertThat(j.get("complete").asBoolean()).isTrue();
        assertThat(j.get("effectiveWindowNs").get("double-free").get(0).asDouble()).isCloseTo(13.409, within(1e-3));
        // 20000 · 20000 / 450000 · 1/16 · 30 / 2.2e9 per second: about 1.32e6 s to the first double free
        JsonNode mttf = j.get("mttfSeconds").get("double-free");
        assertThat(mttf.get(0).asDouble()).isLessThan(mttf.get(1).asDouble());
        assertThat(mttf.get(0).asDouble()).isBetween(1.2e6, 1.4e6);
        assertThat(j.get("mttfSeconds").get("zero-ref-on-lru").get(1).isNull()).isTrue(); // +inf: never
        assertThat(j.get("fleetMttfSeconds").get("double-free").get(0).asDouble()).isBetween(1.2e3, 1.4e3);
    }

    @Test
    void aComputationCutByItsTimeLimitIsIncompleteAndExit4() throws IOException {
        Run r = run("odds", "seed-race", "--profile", toyProfile().toString(), "--time-limit", "1s");
        assertThat(r.status()).isEqualTo(4);
        assertThat(r.out()).contains("INCOMPLETE (time limit)");
    }

    @Test
    void htmlDrawsTheWindowOfEachKindWithTheChainAndTheTable() throws IOException {
        Path page = dir.resolve("odds.html");
        Run r = run("odds", "seed-race", "--profile", "xeon-2002", "--html", page.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("HTML report: " + page);
        String html = Files.readString(page);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").doesNotContain("<script")
                .doesNotContain(" src=").doesNotContain("href=");
        String points = html.replaceAll("(?s).*<polyline class=\"curve\"[^>]* points=\"([^\"]*)\".*", "$1");
        assertThat(points.split(" ")).as("the curve's points").hasSizeGreaterThanOrEqualTo(4);
        assertThat(html).contains("double-free").contains("P(finding | t)").contains("cycles").contains(" ns")
                .contains("mean time to the first");
        // the chain as the text prints it, line for line
        String chain = r.out().lines().filter(l -> l.contains("window 1, put_page_testzero")).findFirst().orElseThrow();
        assertThat(html).contains(org.mmemu.report.html.Html.text(chain.strip()));
    }

    @Test
    void estimateAddsTheSampledWholeWindowBesideTheProvenIntervalInTextAndJson() throws IOException {
        Path json = dir.resolve("estimate.json");
        Path html = dir.resolve("estimate.html");
        Run r = run("odds", "seed-race", "--estimate", "3000", "--seed", "4", "--json", json.toString(), "--html",
                html.toString());
        assertThat(r.status()).isZero();
        assertThat(Files.readString(html)).contains("<h3>Estimated with every interrupt (a statistical estimate, not a"
                + " bound)</h3>").contains("double-free, estimated with every interrupt");
        assertThat(r.out()).containsPattern("double-free, estimated with every interrupt \\(importance-sampled Monte"
                + " Carlo, 3000 runs, \\d+ found it, t in \\[-?\\d+, \\d+\\); a statistical estimate, not a bound\\):"
                + " W ~ [0-9.e-]+ cycles, 99.9% interval \\[[0-9.e-]+, [0-9.e-]+\\]; mean time to the first");
        JsonNode est = new ObjectMapper().readTree(json.toFile()).get("estimatedWindowCycles").get("double-free");
        assertThat(est.get("runs").asLong()).isEqualTo(3000);
        assertThat(est.get("windowCycles").asDouble()).isPositive();
        assertThat(est.get("interval999").get(0).asDouble()).isLessThan(est.get("windowCycles").asDouble());
        // the longer W, the sooner the first finding: the upper end of the time comes from the lower end of W
        assertThat(est.get("mttfSeconds").get(1).asDouble()).isGreaterThan(est.get("mttfSeconds").get(0).asDouble());
        assertThat(run("odds", "seed-race", "--estimate", "-5").status()).isEqualTo(2);
    }

    @Test
    void anHtmlPathThatCannotBeWrittenIsExit2OnOneLineBeforeAnythingRuns() {
        Run missing = run("odds", "seed-race", "--html", dir.resolve("nosuch/odds.html").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err().strip()).contains("--html").contains("no such directory");
        assertThat(missing.err().strip().lines()).as(missing.err()).hasSize(1);
        assertThat(missing.out()).isEmpty();
        Run folder = run("odds", "seed-race", "--html", dir.toString());
        assertThat(folder.status()).isEqualTo(2);
        assertThat(folder.err()).contains("is a directory");
    }

    private Path toyProfile() throws IOException {
        Path toy = dir.resolve("toy.yaml");
        Files.writeString(toy, Profiles.text("xeon-2002").orElseThrow().replace("name: xeon-2002", "name: toy-window"));
        return toy;
    }

    private static org.assertj.core.data.Offset<Double> within(double d) {
        return org.assertj.core.data.Offset.offset(d);
    }
}
