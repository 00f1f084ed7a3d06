package org.mmemu.odds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmemu.engine.CostTable;
import org.mmemu.scenario.yaml.ScenarioException;

/** The profile format: the shipped profiles read, round trips, and one located message per mistake. */
class ProfileReaderTest {
    static List<String> shipped() {
        return Profiles.names();
    }

    @ParameterizedTest
    @MethodSource("shipped")
    void everyShippedProfileReadsAndRoundTrips(String name) {
        TimingProfile p = Profiles.shipped(name);
        assertThat(p.name()).isEqualTo(name);
        assertThat(ProfileReader.parse("written.yaml", ProfileWriter.write(p))).isEqualTo(p);
        // what --show-profile prints (the shipped text with its comments) reads back to the same profile
        assertThat(ProfileReader.parse("copy.yaml", Profiles.text(name).orElseThrow())).isEqualTo(p);
    }

    @Test
    void theDefaultIsTheTwoWayXeonOf2002() {
        TimingProfile p = Profiles.shipped(Profiles.DEFAULT);
        assertThat(Profiles.DEFAULT).isEqualTo("xeon-2002");
        assertThat(p.cpus()).isEqualTo(2);
        assertThat(p.clockHz()).isEqualTo(2.2e9);
        assertThat(p.sourcesOn(0)).extracting(TimingProfile.InterruptSource::name).containsExactly("timer", "e1000", "disk");
        assertThat(p.sourcesOn(1)).extracting(TimingProfile.InterruptSource::name).containsExactly("timer");
        assertThat(p.interrupts().get(0).ratePerSecond()).isEqualTo(1000); // HZ=1000
        assertThat(p.costs().costTable()).isEqualTo(new CostTable(1, 2, 130, 130, 2, 370, 40));
        assertThat(p.workload().pagevecFirstShare()).isEqualTo(1.0 / 16);
        assertThat(Profiles.shipped("smp4-2004").cpus()).isEqualTo(4);
    }

    /** Each shipped value either cites a source or says it is an assumption, in a comment above it. */
    @ParameterizedTest
    @MethodSource("shipped")
    void everyShippedValueIsSourcedOrMarkedAnAssumption(String name) {
        String[] lines = Profiles.text(name).orElseThrow().split("\n");
        String comment = "";
        boolean inComment = false;
        for (String line : lines) {
            String t = line.strip();
            if (t.startsWith("#")) {
                comment = inComment ? comment + t + " " : t + " "; // a new block replaces the last
                inComment = true;
                continue;
            }
            inComment = false;
            if (t.endsWith(":")) {
                comment = ""; // a section: its values need comments of their own
                continue;
            }
            boolean value = t.matches("(- )?[a-z-]+: *[-0-9.e{\\[].*") && !t.startsWith("name:") && !t.startsWith("cpus:");
            if (value) {
                assertThat(comment).as("%s: the comment above '%s'", name, t).isNotBlank();
            }
        }
    }

    private static final String GOOD = Profiles.text("xeon-2002").orElseThrow();

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "rate-per-second: 8000|rate-per-second: -8000|bad.yaml:49:22: rate-per-second of e1000 must not be negative, not -8000",
        "distribution: exponential|distribution: pareto|bad.yaml:50:30: unknown distribution 'pareto' (fixed, uniform, exponential, table)",
        "  lru-pages: 450000|  lru-pages: 450000 NL  lru-size: 3|bad.yaml:64:3: unknown key 'lru-size' in workload (expected one of: releases-per-second, isolations-per-second, lru-pages, pagevec-first-share, plain-release-share)",
        "  atomic: 130|  atomc: 130|bad.yaml:19:3: unknown key 'atomc' in costs, did you mean 'atomic'?",
        "  plain-release-share: 0.5|  plain-release-share: 1.5|bad.yaml:68:24: plain-release-share '1.5' is out of range (0.0..1.0)",
        "clock-hz: 2.2e9|clock-hz: fast|bad.yaml:9:11: clock-hz must be a number, not 'fast'",
        "  spin: 40|  spin: 40 NLspin: 1|bad.yaml:31:1: unknown key 'spin' in the profile (expected one of: name, description, clock-hz, cpus, costs, jitter, interrupts, workload)"})
    void aBadValueIsOneMessageWithFileLineColumn(String good, String bad, String message) {
        assertThat(GOOD).contains(good);
        String text = GOOD.replaceFirst(java.util.regex.Pattern.quote(good),
                java.util.regex.Matcher.quoteReplacement(bad.replace(" NL", "\n")));
        assertThatThrownBy(() -> ProfileReader.parse("bad.yaml", text)).isInstanceOf(ScenarioException.class)
                .hasMessage(message);
    }

    @Test
    void aMissingFieldIsReportedAtItsMap() {
        String text = GOOD.replaceFirst("  isolations-per-second: 20000\n", "");
        assertThatThrownBy(() -> ProfileReader.parse("bad.yaml", text)).isInstanceOf(ScenarioException.class)
                .hasMessageMatching("bad\\.yaml:\\d+:\\d+: workload has no 'isolations-per-second:'");
    }

    @Test
    void aTableMustSumToOneAndAnInterruptMustBeOnACpuTheMachineHas() {
        String table = GOOD.replace("probability: 0.1}", "probability: 0.2}");
        assertThatThrownBy(() -> ProfileReader.parse("bad.yaml", table)).hasMessageContaining(
                "the probabilities of a table must sum to 1");
        String cpu = GOOD.replace("cpus: [0, 1]", "cpus: [0, 2]");
        assertThatThrownBy(() -> ProfileReader.parse("bad.yaml", cpu)).hasMessageContaining(
                "a CPU of interrupt source timer 2 is out of range (0..1)");
    }

    @Test
    void yamlTagsAndAliasesAreRefusedAsInScenarios() {
        assertThatThrownBy(() -> ProfileReader.parse("t.yaml", "name: !!java.io.File x\n"))
                .hasMessageContaining("YAML type tags are not allowed in timing profiles");
        assertThatThrownBy(() -> ProfileReader.parse("t.yaml", "")).hasMessage("t.yaml: empty timing profile file");
    }
}
