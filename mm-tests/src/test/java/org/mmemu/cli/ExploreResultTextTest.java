package org.mmemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mmemu.cli.MainTest.Result;

/**
 * What {@code explore} says of its own search: it stops once the verdict is decided unless
 * {@code --keep-going}, names a bound it hit with the real counts, and takes only well-formed
 * shards; {@code merge} takes only every shard of one search.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExploreResultTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The seed race without its interrupt under the constructed no-tests (a double free within a
     * few schedules), expecting one; the list is long, so that no schedule loops in reclaim.
     */
    private static Path expectingDoubleFree(Path tmp) throws IOException {
        Path f = tmp.resolve("no-tests-race.yaml");
        Files.writeString(f, """
                name: no-tests-race
                machine: { cpus: 2, zones: { Normal: 256 }, filler: { Normal: 32 }, protocol: no-tests }
                pages:
                  P: { zone: Normal, count: 1, lru: inactive, mapping: none }
                programs:
                  cpu0:
                    - pagevec_release: [P]
                  cpu1:
                    - shrink_cache: { zone: Normal, nr: 1 }
                engine: { policy: exhaustive, preemption-bound: 0, delays: irq }
                expect: [double-free]
                """);
        return f;
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in\n" + text).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    @Test
    void aFileExpectingADoubleFreeStopsAtTheFirstAndKeepGoingExploresOn(@TempDir Path tmp) throws IOException {
        // seed-race expects mm1's double free
        Path json = tmp.resolve("stopped.json");
        Result stopped = MainTest.mmemu("explore", "seed-race", "--json", json.toString());
        assertThat(stopped.status()).as(stopped.out() + stopped.err()).isEqualTo(Main.HELD);
        assertThat(stopped.out()).contains("BUG: double-free of page P")
                .contains("stopped: the verdict on the expectation was decided")
                .doesNotContain("INCOMPLETE");
        long stoppedAt = number(stopped.out(), "search: ([0-9,]+) schedules?");
        JsonNode s = JSON.readTree(json.toFile());
        assertThat(s.get("decided").asBoolean()).isTrue();
        assertThat(s.get("complete").asBoolean()).isFalse();
        assertThat(s.get("incompleteReason").isNull()).isTrue();
        assertThat(s.get("schedules").asLong()).isEqualTo(stoppedAt).isPositive();
        assertThat(s.get("firstFindingSchedules").asLong()).isBetween(1L, stoppedAt);
        assertThat(s.get("steps").asLong()).isGreaterThan(stoppedAt);

        // --keep-going explores past it, here up to a schedule cap that it then names
        long cap = stoppedAt + 200;
        Result on = MainTest.mmemu("explore", "seed-race", "--keep-going", "--max-schedules", String.valueOf(cap));
        assertThat(on.status()).as(on.out() + on.err()).isEqualTo(Main.HELD);
        assertThat(on.out()).contains("BUG: double-free of page P").doesNotContain("stopped:");
        assertThat(number(on.out(), "INCOMPLETE: schedule limit hit after ([0-9,]+) schedules")).isEqualTo(cap);
    }

    @Test
    void aTimeLimitThatCutsTheSearchSaysIncompleteWithTheRealCounts(@TempDir Path tmp) throws IOException {
        Path json = tmp.resolve("cut.json");
        // the plain irq search at preemption bound 3: hundreds of thousands of schedules, far beyond a second
        Result r = MainTest.mmemu("explore", "seed-race", "--protocol", "always-lock", "--preemption-bound", "3",
                "--no-merge", "--time-limit", "1s", "--json", json.toString());
        long schedules = number(r.out(), "INCOMPLETE: time limit hit after ([0-9,]+) schedules");
        assertThat(schedules).isPositive();
        assertThat(r.out()).doesNotContain(" 0 schedules");
        JsonNode n = JSON.readTree(json.toFile());
        assertThat(n.get("incompleteReason").asText()).isEqualTo("time-limit");
        assertThat(n.get("complete").asBoolean()).isFalse();
        assertThat(n.get("schedules").asLong()).isEqualTo(schedules);
        assertThat(n.get("steps").asLong()).isGreaterThan(schedules);
        assertThat(n.get("elapsedMillis").asLong()).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void aCleanProtocolIsAnsweredByTheInterleavingsAndSaysSo(@TempDir Path tmp) throws IOException {
        Path json = tmp.resolve("clean.json");
        Result r = MainTest.mmemu("explore", "seed-race", "--protocol", "always-lock", "--preemption-bound", "2",
                "--json", json.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("complete within every preemption bound (irq, skew 2): dpor covered every"
                + " interleaving, and none has a finding").contains("expect []: holds");
        JsonNode n = JSON.readTree(json.toFile());
        assertThat(n.get("coveredBy").asText()).isEqualTo("dpor");
        assertThat(n.get("complete").asBoolean()).isTrue();
        assertThat(n.get("preemptionBound").isNull()).as("no bound cut it").isTrue();
        // the plain search is the irq search itself, and says what it covered
        Result plain = MainTest.mmemu("explore", "seed-race", "--protocol", "always-lock", "--no-merge");
        assertThat(plain.out()).contains("complete within preemption bound 0 (irq, skew 2)")
                .doesNotContain("dpor covered");
    }

    @Test
    void badShardSpecsExitTwoWithOneLine() {
        for (String spec : new String[] {"0/4", "5/4", "x/y", "1/0", "-1/4", "2/4/8"}) {
            Result r = MainTest.mmemu("explore", "seed-race", "--shard", spec);
            assertThat(r.status()).as(spec).isEqualTo(Main.BAD_INPUT);
            assertThat(r.err().strip()).as(spec).contains("--shard").doesNotContain("\n").doesNotContain("Exception");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void mergeTakesEveryShardOfOneSearchOnceAndNothingElse(@TempDir Path tmp) throws IOException {
        String[] search = {"explore", "seed-race-no-interrupt", "--keep-going"};
        Path[] shard = new Path[3];
        long shardSchedules = 0;
        for (int i = 1; i <= 2; i++) {
            shard[i] = tmp.resolve("s" + i + ".json");
            Result r = MainTest.mmemu(concat(search, "--shard", i + "/2", "--json", shard[i].toString()));
            assertThat(r.status()).as(r.err()).isEqualTo(Main.HELD);
            shardSchedules += number(r.out(), "search: ([0-9,]+) schedules");
        }
        Path whole = tmp.resolve("whole.json");
        Result one = MainTest.mmemu(concat(search, "--json", whole.toString()));
        Path junk = tmp.resolve("junk.json");
        Files.writeString(junk, "{ not json");

        Result ok = MainTest.mmemu("merge", shard[1].toString(), shard[2].toString());
        assertThat(ok.status()).as(ok.err()).isEqualTo(one.status());
        assertThat(verdictLine(ok.out())).isEqualTo(verdictLine(one.out()));
        // the sum of the shards' (a merging search's count depends on which thread saw a state
        // first, and each shard merges only within its part: the unsharded count may differ)
        assertThat(number(ok.out(), "search: ([0-9,]+) schedules")).isEqualTo(shardSchedules);

        assertBad(MainTest.mmemu("merge", shard[1].toString()), "shard 2/2 is missing");
        assertBad(MainTest.mmemu("merge", shard[1].toString(), shard[1].toString()), "given twice");
        assertBad(MainTest.mmemu("merge", shard[1].toString(), whole.toString()), "not the result of one shard");
        assertBad(MainTest.mmemu("merge", junk.toString()), "not a result of 'mmemu explore --json'");
        assertBad(MainTest.mmemu("merge", tmp.resolve("absent.json").toString()), "no such file");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String verdictLine(String out) {
        return out.lines().filter(l -> l.startsWith("expect ")).findFirst().orElseThrow();
    }

    private static void assertBad(Result r, String message) {
        assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err().strip()).contains(message).doesNotContain("\n");
    }

    @Test
    void theMergedIrqSearchSaysWhatItMergedAndNoMergeTurnsItOff(@TempDir Path tmp) throws IOException {
        Path merged = tmp.resolve("merged.json");
        Path plain = tmp.resolve("plain.json");
        Result m = MainTest.mmemu("explore", "seed-race-no-interrupt", "--preemption-bound", "1", "--json",
                merged.toString());
        Result p = MainTest.mmemu("explore", "seed-race-no-interrupt", "--preemption-bound", "1", "--no-merge",
                "--json", plain.toString());
        assertThat(m.status()).as(m.out() + m.err()).isEqualTo(Main.HELD);
        assertThat(p.status()).as(p.out() + p.err()).isEqualTo(Main.HELD);
        assertThat(m.out()).contains("complete within preemption bound 1 (irq, skew 2)").contains(" merged");
        assertThat(p.out()).contains("complete within preemption bound 1 (irq, skew 2)").doesNotContain(" merged");
        JsonNode a = JSON.readTree(merged.toFile());
        JsonNode b = JSON.readTree(plain.toFile());
        assertThat(a.get("distinctStates").asLong()).isPositive();
        assertThat(a.get("merged").asLong()).isPositive();
        assertThat(b.get("distinctStates").asLong()).isZero();
        assertThat(b.get("merged").asLong()).isZero();
        assertThat(a.get("complete").asBoolean()).isTrue();
        assertThat(b.get("complete").asBoolean()).isTrue();
        assertThat(a.get("schedules").asLong()).isLessThan(b.get("schedules").asLong());
    }
}
