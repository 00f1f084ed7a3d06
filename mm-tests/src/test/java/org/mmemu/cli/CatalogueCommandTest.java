package org.mmemu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmemu.cli.MainTest.mmemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mmemu.cli.MainTest.Result;
import org.mmemu.scenario.Shipped;

/**
 * {@code mmemu catalogue} (issue 24 item 7): every shipped entry holds, the JSON has the issue's
 * shape, an entry whose fixed kernel still has the race fails (exit 1), and a bad
 * {@code catalogue:} section is exit 2 at its line and column.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CatalogueCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A catalogue entry of this test's own on the seed race; {@code catalogue} is its section's body. */
    private static String entry(String catalogue) {
        return """
                name: own-entry
                machine:
                  cpus: 2
                  zones: { Normal: 256 }
                  filler: { Normal: 32 }
                pages:
                  P: { zone: Normal, count: 1, lru: inactive, mapping: none }
                programs:
                  cpu0:
                    - pagevec_release: [P]
                  cpu1:
                    - shrink_cache: { zone: Normal, nr: 1 }
                catalogue:
                  entry: own
                  title: the seed race, judged against a kernel that still has it
                  commit: ad5d48f239c22944edf4f0e6da8da72377b9919f
                  date: 14 May 2004
                  author: Andrew Morton
                  words: 'Boom.'
                  expect: double-free
                """ + catalogue;
    }

    @Test
    void everyShippedEntryHoldsAndTheJsonHasTheIssuesShape(@TempDir Path tmp) throws IOException {
        Path json = tmp.resolve("catalogue.json");
        Result r = mmemu("catalogue", "--json", json.toString());
        assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Main.HELD);
        List<String> names = new ArrayList<>();
        for (JsonNode e : JSON.readTree(json.toFile()).get("entries")) {
            names.add(e.get("name").asText());
            assertThat(e.get("commit").asText()).matches("[0-9a-f]{40}");
            String expect = e.get("expect").asText();
            assertThat(e.get("buggy").get("kernel").isTextual()).isTrue();
            assertThat(e.get("buggy").get("kinds")).as(e.toString()).anyMatch(k -> k.asText().equals(expect));
            assertThat(e.get("buggy").get("millis").isIntegralNumber()).isTrue();
            JsonNode f = e.get("fixed");
            assertThat(f.get("kinds")).as(e.toString()).noneMatch(k -> k.asText().equals(expect));
            assertThat(f.get("complete").asBoolean()).as(e.toString()).isTrue();
            assertThat(f.get("policy").asText()).isIn("dpor", "exhaustive");
            assertThat(f.get("delays").asText()).isIn("anywhere", "irq");
            assertThat(f.has("preemptionBound")).isTrue();
            assertThat(f.get("millis").isIntegralNumber()).isTrue();
            assertThat(e.get("verdict").asText()).isEqualTo("holds");
        }
        assertThat(names).containsExactlyElementsOf(Shipped.catalogue().stream()
                .map(n -> n.substring(Shipped.CATALOGUE.length())).toList());
        assertThat(r.out().lines()).hasSize(names.size()).allMatch(l -> l.endsWith("|  holds"));
    }

    @Test
    void oneEntryByNameAndTheList() {
        Result one = mmemu("catalogue", "03-refill-livelock");
        assertThat(one.status()).as(one.err()).isEqualTo(Main.HELD);
        assertThat(one.out()).startsWith("03-refill-livelock ").contains("2.5.33 -> livelock")
                .contains("2.5.33+refill-lockup-fix -> clean and complete (dpor, delays anywhere, no bound)");
        Result list = mmemu("catalogue", "--list");
        assertThat(list.status()).isEqualTo(Main.HELD);
        assertThat(list.out().lines()).hasSize(Shipped.catalogue().size()).anyMatch(l -> l.startsWith("01-seed-race "));
    }

    @Test
    void anEntryWhoseFixedKernelStillHasTheRaceFails(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("own.yaml");
        Files.writeString(file, entry("  buggy: 2.5.31-mm1\n  fixed: 2.6.6\n"));
        Path json = tmp.resolve("own.json");
        Result r = mmemu("catalogue", file.toString(), "--json", json.toString());
        assertThat(r.status()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("2.6.6 -> FOUND double-free").contains("fails: 2.6.6 still shows double-free");
        JsonNode e = JSON.readTree(json.toFile()).get("entries").get(0);
        assertThat(e.get("verdict").asText()).isEqualTo("fails");
        assertThat(e.get("fixed").get("kinds")).anyMatch(k -> k.asText().equals("double-free"));
    }

    @Test
    void anEntryNotFoundOnItsBuggyKernelFails(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("own.yaml");
        Files.writeString(file, entry("  buggy: 2.6.7\n  fixed: 2.6.16\n"));
        Result r = mmemu("catalogue", file.toString());
        assertThat(r.status()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("2.6.7 -> no double-free").contains("in the whole space");
    }

    @Test
    void aBadCatalogueSectionIsExit2AtItsLineAndColumn(@TempDir Path tmp) throws IOException {
        Path weak = tmp.resolve("weak.yaml");
        Files.writeString(weak, entry("  buggy: 2.6.6\n  fixed: 2.6.7\n  fixed-search: { policy: exhaustive,"
                + " delays: irq, preemption-bound: 1 }\n"));
        Result r = mmemu("catalogue", weak.toString());
        assertThat(r.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err().strip()).startsWith(weak + ":23:17: catalogue: fixed-search: the exhaustive search")
                .contains("preemption-bound 2 or more").doesNotContain("\n");

        Path kernel = tmp.resolve("kernel.yaml");
        Files.writeString(kernel, entry("  buggy: 2.6.6\n  fixed: 2.6.8\n"));
        Result k = mmemu("catalogue", kernel.toString());
        assertThat(k.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(k.err()).startsWith(kernel + ":22:10: catalogue: fixed: unknown kernel '2.6.8'");

        Path commit = tmp.resolve("commit.yaml");
        Files.writeString(commit, entry("  buggy: 2.6.6\n  fixed: 2.6.7\n").replace("ad5d48f239c22944edf4f0e6da8da72377b9919f",
                "ad5d48f239"));
        Result c = mmemu("catalogue", commit.toString());
        assertThat(c.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(c.err()).startsWith(commit + ":16:11: catalogue: commit 'ad5d48f239' must be a full commit id");

        Result notEntry = mmemu("catalogue", "seed-race");
        assertThat(notEntry.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(notEntry.err()).contains("not a catalogue entry");
    }
}
