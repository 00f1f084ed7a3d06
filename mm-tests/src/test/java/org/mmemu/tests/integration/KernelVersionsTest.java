package org.mmemu.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.run.Engines;
import org.mmemu.scenario.run.Exploration;
import org.mmemu.scenario.run.KernelWiring;
import org.mmemu.scenario.run.Progress;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.Scenarios;

/**
 * What the history shows, kernel by kernel, through the shipped scenarios (docs/RACE.md): the
 * seed race double-frees under 2.5.31-mm1 and 2.5.33; Ehrhardt's second scenario is a kernel
 * BUG on -mm1 only; a lone zero-count page livelocks reclaim before 2.5.39 and not on 2.6.16;
 * Ehrhardt's refill race frees twice on the BK of 18 Aug and on -mm1.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KernelVersionsTest {
    private static Exploration explore(Scenario s, String protocol) {
        ScenarioProgram program = new ScenarioProgram(s, protocol, KernelWiring.standard());
        Exploration e = Engines.controlled().explore(program, s.engine().withDefaults(), Progress.silent());
        System.out.println(s.name() + " under " + protocol + ": " + e.findings().stream().map(Finding::kind).distinct().toList()
                + (e.complete() ? ", complete" : ", INCOMPLETE"));
        return e;
    }

    private static Exploration explore(String name, String protocol) {
        return explore(Scenarios.standard().resolve(name), protocol);
    }

    /** The shipped file with {@code machine: filler} taken out: a list of the named pages alone. */
    private static Scenario lone(String name) throws IOException {
        String text;
        try (InputStream in = KernelVersionsTest.class.getResourceAsStream("/scenarios/" + name + ".yaml")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String without = text.lines().filter(l -> !l.trim().startsWith("filler:")).reduce("", (a, b) -> a + b + "\n");
        assertThat(without).isNotEqualTo(text);
        return Scenarios.standard().loader().parse(name + " (lone page)", without);
    }

    private static List<FindingKind> kinds(Exploration e) {
        return e.findings().stream().map(Finding::kind).distinct().toList();
    }

    @Test
    void protocolsListsEachKernelWithItsVersionAndChangesets() {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int status = org.mmemu.cli.Main.run(new String[] {"protocols"}, new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(err, true), false);
        assertThat(status).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).contains("mm1", "version: 2.5.31-mm1", "2.5.33", "version: 2.5.33", "version: 2.5.31-bk",
                "version: 2.6.7", "version: 2.6.16", "no-tests", "version: constructed",
                "changeset: 13-88d4b53801", "changeset: 14-3f76fabd72 LRU race semi-fix",
                "changeset: 19-3e866fad90");
        // mm1's block names 13 but not the semi-fix; 2.5.33's names both
        String mm1 = text.substring(text.indexOf("\nmm1 "), text.indexOf("\n2.5.33 "));
        assertThat(mm1).contains("13-88d4b53801").doesNotContain("14-3f76fabd72");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mm1", "2.5.33"})
    void theSeedRaceDoubleFreesUnderMm1And2533(String protocol) {
        assertThat(kinds(explore("seed-race", protocol))).contains(FindingKind.DOUBLE_FREE);
    }

    @Test
    void ehrhardtsSecondScenarioIsAKernelBugOnMm1() {
        Exploration e = explore("ehrhardt-bug", "mm1");
        assertThat(kinds(e)).contains(FindingKind.KERNEL_BUG);
        assertThat(e.findings()).filteredOn(f -> f.kind() == FindingKind.KERNEL_BUG)
                .anySatisfy(f -> assertThat(f.site().statement()).isEqualTo("BUG_ON(page_count(page) != 0)"));
    }

    @Test
    void ehrhardtsSecondScenarioIsNeitherABugNorADoubleFreeOn2533() {
        Exploration e = explore("ehrhardt-bug", "2.5.33");
        assertThat(e.complete()).isTrue();
        assertThat(kinds(e)).doesNotContain(FindingKind.KERNEL_BUG, FindingKind.DOUBLE_FREE, FindingKind.LIVELOCK);
    }

    @Test
    void ehrhardtsSecondScenarioWithALonePageIsALivelockOn2533() throws IOException {
        Exploration e = explore(lone("ehrhardt-bug"), "2.5.33");
        assertThat(kinds(e)).contains(FindingKind.LIVELOCK).doesNotContain(FindingKind.KERNEL_BUG, FindingKind.DOUBLE_FREE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mm1", "2.5.33"})
    void aLoneZeroCountPageLivelocksReclaimBefore2539(String protocol) {
        Exploration e = explore("lone-zero-count-page", protocol);
        Finding f = e.findings().stream().filter(x -> x.kind() == FindingKind.LIVELOCK).findFirst().orElseThrow();
        // the report: the looping CPU, the spinning one, the lock, the repeating steps
        assertThat(f.cpu()).isEqualTo(1);
        assertThat(f.message()).contains("cpu1 repeats the same", "cpu0 spins on Normal->lru_lock held by cpu1",
                "shrink_cache: if (page_count(page) == 0)", "shrink_cache: SetPageLRU(page)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"unless-zero", "testone"})
    void aLoneZeroCountPageIsNoLivelockWithTheBoundedLoopsOf26(String protocol) {
        Exploration e = explore("lone-zero-count-page", protocol);
        assertThat(e.complete()).isTrue();
        assertThat(kinds(e)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pre-fix", "mm1"})
    void ehrhardtsRefillRaceFreesTwice(String protocol) {
        String name = protocol.equals("mm1") ? "ehrhardt-refill-mm1" : "ehrhardt-pre-fix";
        assertThat(kinds(explore(name, protocol))).contains(FindingKind.DOUBLE_FREE);
    }

    /**
     * "Partial fix for the LRU race": 2.5.33's refill tests the count and takes its reference in
     * the next statement. Under the anywhere model a delay between the two (vCPU preemption)
     * still lets the releaser's decrement in, and the double free remains; the entry BUG_ON is
     * gone. With the page alone on the active list, the skip also loops (livelock).
     */
    @Test
    void ehrhardtsRefillRaceIsOnlyNarrowedByTheSemiFix() {
        Exploration e = explore("ehrhardt-refill-mm1", "2.5.33");
        assertThat(kinds(e)).contains(FindingKind.DOUBLE_FREE, FindingKind.LIVELOCK).doesNotContain(FindingKind.KERNEL_BUG);
        Finding df = e.findings().stream().filter(f -> f.kind() == FindingKind.DOUBLE_FREE).findFirst().orElseThrow();
        assertThat(df.rootCause().site().toString()).isEqualTo("refill_inactive_zone: page_cache_get(page)");
    }
}
