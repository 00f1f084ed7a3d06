package org.mmemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search split four ways as docs/DISTRIBUTED.md runs it: four {@code explore --shard I/4}
 * processes side by side, then {@code merge}, give the verdict of the whole search and, since
 * the search is exhaustive and explores on ({@code --keep-going}), the same counts and findings.
 * (The whole search and the merge run in the test's JVM: the same command line, without two
 * more JVMs to start.)
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ShardProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A process's exit status and stdout. */
    private record Ran(int status, String out) {
    }

    private static Ran await(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Ran(p.waitFor(), out);
    }

    private static void assertShardsMergeToTheWhole(Path tmp, String... search) throws Exception {
        List<Process> shards = new ArrayList<>();
        List<String> merge = new ArrayList<>(List.of("merge"));
        for (int i = 1; i <= 4; i++) {
            String out = tmp.resolve("shard-" + i + ".json").toString();
            List<String> args = new ArrayList<>(List.of(search));
            args.addAll(List.of("--shard", i + "/4", "--json", out));
            shards.add(MainProcessTest.start(args.toArray(String[]::new)));
            merge.add(out);
        }
        // the whole search and the merge run in this JVM while the four shard processes run
        List<String> whole = new ArrayList<>(List.of(search));
        whole.addAll(List.of("--json", tmp.resolve("whole.json").toString()));
        MainTest.Result single = MainTest.mmemu(whole.toArray(String[]::new));
        for (Process p : shards) {
            Ran shard = await(p);
            // a shard's part decides nothing alone: it exits 0 once its result is written
            assertThat(shard.status()).as(shard.out()).isZero();
            assertThat(shard.out()).contains("'mmemu merge' of all 4 shards");
        }
        merge.addAll(List.of("--json", tmp.resolve("merged.json").toString()));
        MainTest.Result merged = MainTest.mmemu(merge.toArray(String[]::new));
        assertThat(merged.status()).as(merged.out() + merged.err()).isEqualTo(single.status());

        JsonNode w = JSON.readTree(tmp.resolve("whole.json").toFile());
        JsonNode m = JSON.readTree(tmp.resolve("merged.json").toFile());
        for (String field : List.of("expectationsHold", "verdict", "complete", "schedules", "steps", "pruned",
                "findingCounts", "warningCounts", "preemptionBound", "incompleteReason")) {
            assertThat(m.get(field)).as(field).isEqualTo(w.get(field));
        }
        assertThat(kindsAndSchedules(m)).isEqualTo(kindsAndSchedules(w));
        assertThat(m.get("trace")).isEqualTo(w.get("trace"));
        assertThat(merged.out()).contains(single.out().lines().filter(l -> l.startsWith("expect ")).findFirst().orElseThrow());
    }

    private static List<String> kindsAndSchedules(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.get("findings").forEach(f -> out.add(f.get("kind").asText() + " " + f.get("schedule").asText()));
        return out;
    }

    @Test
    void fourShardsOfAFailingSearchMergeToTheVerdictAndCountsOfOne(@TempDir Path tmp) throws Exception {
        // no-tests without the interrupt, judged by an expect: [] (the shipped file expects its
        // double free): finds a double free and more (exit 1)
        String race = new String(org.mmemu.scenario.Shipped.text("seed-race-no-interrupt").orElseThrow(),
                StandardCharsets.UTF_8);
        Path file = tmp.resolve("no-interrupt-expect-nothing.yaml");
        java.nio.file.Files.writeString(file, race.substring(0, race.indexOf("\nexpect:")) + "\nexpect: []\n");
        assertShardsMergeToTheWhole(tmp, "explore", file.toString(), "--protocol", "no-tests", "--keep-going");
    }

    @Test
    void fourShardsOfACleanSearchMergeToTheVerdictAndCountsOfOne(@TempDir Path tmp) throws Exception {
        // mm1 backs off without the interrupt: nothing found, the bounded space covered (exit 0);
        // without state merging, which each shard does within its own part only
        // (docs/DISTRIBUTED.md), so that the counts, not only the verdict, are one process's
        assertShardsMergeToTheWhole(tmp, "explore", "seed-race-no-interrupt", "--no-merge");
    }

    /**
     * Issue 25, item 3: three CPUs, the seed race beside a third that marks a page-cache page R
     * accessed twice without a reference of its own (so R's release by reclaim makes each of its
     * later steps a use-after-free, at several sites). The shards of a capped search must merge
     * (each shard's findings come back when merge replays their schedules), and every finding a
     * shard reports must come back, same kind, page and site, when its schedule is replayed.
     */
    @Test
    void findingsOfOneKindAtSeveralSitesEachReplayAndTheirShardsMerge(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("seed-race-touch.yaml");
        java.nio.file.Files.writeString(file, """
                name: seed-race-touch
                description: The seed race, and a third CPU marking a page-cache page accessed twice.
                machine:
                  cpus: 3
                  zones: { Normal: 256 }
                  filler: { Normal: 32 }
                  protocol: mm1
                pages:
                  P: { zone: Normal, count: 1, lru: inactive, mapping: none }
                  R: { zone: Normal, count: 1, lru: inactive, mapping: file }
                programs:
                  cpu0:
                    - pagevec_release: [P]
                  cpu1:
                    - shrink_cache: { zone: Normal, nr: 1 }
                  cpu2:
                    - mark_page_accessed: [R]
                    - mark_page_accessed: [R]
                interrupts:
                  cpu0: { steps: 400, max: 1 }
                engine:
                  policy: exhaustive
                  preemption-bound: 0
                  delays: irq
                expect:
                  mm1: [double-free]
                  default: []
                """);
        List<Process> shards = new ArrayList<>();
        List<String> merge = new ArrayList<>(List.of("merge"));
        for (int i = 1; i <= 4; i++) {
            String out = tmp.resolve("shard-" + i + ".json").toString();
            shards.add(MainProcessTest.start("explore", file.toString(), "--shard", i + "/4", "--max-schedules",
                    "2000", "--keep-going", "--json", out));
            merge.add(out);
        }
        for (Process p : shards) {
            Ran shard = await(p);
            assertThat(shard.status()).as(shard.out()).isZero();
        }
        MainTest.Result merged = MainTest.mmemu(merge.toArray(String[]::new));
        assertThat(merged.status()).as(merged.out() + merged.err()).isNotEqualTo(2);
        assertThat(merged.err()).doesNotContain("does not recur");

        int sitesOfR = 0;
        for (int i = 1; i <= 4; i++) {
            JsonNode shard = JSON.readTree(tmp.resolve("shard-" + i + ".json").toFile());
            for (JsonNode f : shard.get("findings")) {
                Path again = tmp.resolve("replay.json");
                MainTest.Result r = MainTest.mmemu("replay", file.toString(), "--schedule", f.get("schedule").asText(),
                        "--json", again.toString());
                assertThat(r.status()).as(r.err()).isNotEqualTo(2);
                List<String> replayed = new ArrayList<>();
                JSON.readTree(again.toFile()).get("findings").forEach(g -> replayed.add(occurrence(g)));
                assertThat(replayed).as("replay of " + f.get("schedule").asText()).contains(occurrence(f));
                if (f.get("page").asText().equals("R")) {
                    sitesOfR++;
                }
            }
        }
        // the case that failed: several findings on R, which shrank to one schedule
        assertThat(sitesOfR).isGreaterThan(1);
    }

    private static String occurrence(JsonNode f) {
        return f.get("kind").asText() + " of " + f.get("page").asText() + " at " + f.get("site").asText();
    }
}
