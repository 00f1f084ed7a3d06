package org.mmemu.scenario;

import org.mmemu.scenario.yaml.ScenarioException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.page.PageFlags;
import org.mmemu.core.page.ZoneType;
import org.mmemu.scenario.run.Scenarios;

class ScenarioLoaderTest {
    private final Scenarios scenarios = Scenarios.standard();

    private static String resource(String name) throws IOException {
        try (InputStream in = ScenarioLoaderTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theIssuesExampleParsesWithEveryKeyMeaningWhatItSays() {
        // issue 7's example, verbatim (the shipped seed-race.yaml is the same race with bound 0)
        Scenario s = scenarios.resolve("src/test/resources/good/issue-example.yaml");
        assertThat(s.name()).isEqualTo("seed-race");
        assertThat(s.source()).isEqualTo("src/test/resources/good/issue-example.yaml");
        assertThat(s.machine().cpus()).isEqualTo(2);
        assertThat(s.machine().zones()).isEqualTo(Map.of(ZoneType.NORMAL, 256));
        assertThat(s.machine().protocol()).isEqualTo("mm1");
        PageSpec p = s.pages().get("P");
        assertThat(p.zone()).isEqualTo(ZoneType.NORMAL);
        assertThat(p.count()).isEqualTo(1);
        assertThat(p.lru()).isEqualTo(LruList.INACTIVE);
        assertThat(p.mapping()).isNull();
        assertThat(p.flags()).containsExactly(PageFlags.PG_lru);
        assertThat(s.program(0)).extracting(OpCall::name).containsExactly("pagevec_release");
        assertThat(s.program(1)).extracting(OpCall::name).containsExactly("shrink_cache");
        assertThat(s.program(1).get(0).where()).isEqualTo("src/test/resources/good/issue-example.yaml:12:7");
        InterruptDecl irq = s.interrupts().get(0);
        assertThat(irq.steps()).isEqualTo(400);
        assertThat(irq.max()).isEqualTo(1);
        assertThat(irq.handler()).isEmpty();
        assertThat(s.engine().policy()).isEqualTo("exhaustive");
        assertThat(s.engine().preemptionBound()).isEqualTo(3);
        assertThat(s.engine().delays()).isEqualTo("irq");
        assertThat(s.engine().seed()).isNull();
        assertThat(s.expect().of("mm1")).containsExactly(FindingKind.DOUBLE_FREE);
    }

    @Test
    void theShippedIndexAndTheShippedFilesAgreeAndAllParse() throws IOException {
        var dir = java.nio.file.Path.of("src/main/resources/scenarios");
        try (var files = java.nio.file.Files.list(dir)) {
            var onDisk = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
            assertThat(Shipped.names()).containsExactlyInAnyOrderElementsOf(onDisk);
        }
        for (String name : Shipped.names()) {
            assertThat(scenarios.resolve(name).name()).isEqualTo(name);
        }
    }

    @Test
    void pageFieldsImplyTheirFlagsAndInterruptsMayRunHandlerPrograms() throws IOException {
        Scenario s = scenarios.loader().parse("two-puts.yaml", resource("good/two-puts.yaml"));
        PageSpec d = s.pages().get("D");
        assertThat(d.zone()).isEqualTo(ZoneType.DMA);
        assertThat(d.flags()).containsExactlyInAnyOrder(PageFlags.PG_dirty, PageFlags.PG_private,
                PageFlags.PG_referenced);
        assertThat(d.privateData()).isEqualTo(7);
        assertThat(s.interrupts().get(1).handler()).extracting(OpCall::name).containsExactly("get_page");
        assertThat(s.interrupts().get(1).max()).isEqualTo(2);
        assertThat(s.engine().seed()).isEqualTo(42L);
        assertThat(s.engine().timeLimit()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.expect().of("mm1")).isEmpty();
        assertThat(s.expect().stated()).isTrue();
    }

    @Test
    void operationsTakeListScalarAndMapFormsAlike() {
        String head = "name: forms\nmachine: { cpus: 1, zones: { Normal: 64 } }\npages:\n  P: { count: 3 }\nprograms:\n  cpu0:\n";
        for (String form : new String[] {"free_pages: P", "free_pages: [P]", "free_pages: [P, 0]",
            "free_pages: { page: P }", "free_pages: { page: P, order: 0 }"}) {
            Scenario s = scenarios.loader().parse("forms.yaml", head + "    - " + form + "\n");
            assertThat(s.program(0)).extracting(OpCall::name).as(form).containsExactly("free_pages");
        }
        Scenario bare = scenarios.loader().parse("bare.yaml", head + "    - alloc_pages\n    - lru_add_drain\n");
        assertThat(bare.program(0)).extracting(OpCall::name).containsExactly("alloc_pages", "lru_add_drain");
    }

    @Test
    void aBoundNameIsVisibleOnlyLaterInTheSameProgram() {
        String head = "name: as\nmachine: { cpus: 1, zones: { Normal: 64 } }\nprograms:\n  cpu0:\n";
        assertThat(scenarios.loader().parse("ok.yaml", head + "    - alloc_pages: { as: Q }\n    - put_page: Q\n")
                .program(0)).hasSize(2);
        assertThatThrownBy(() -> scenarios.loader().parse("early.yaml",
                head + "    - put_page: Q\n    - alloc_pages: { as: Q }\n"))
                .isInstanceOf(ScenarioException.class)
                .hasMessage("early.yaml:5:17: put_page: undefined page 'Q' (defined: none)");
    }

    @Test
    void engineSettingsFromTheCommandLineWinOverTheFile() {
        EngineSettings file = new EngineSettings("exhaustive", 3, "irq", null, null, null, null, null);
        EngineSettings cli = new EngineSettings("pct", null, null, 7L, null, null, Duration.ofSeconds(5), null);
        EngineSettings s = file.overriddenBy(cli).withDefaults();
        assertThat(s.policy()).isEqualTo("pct");
        assertThat(s.preemptionBound()).isEqualTo(3);
        assertThat(s.delays()).isEqualTo("irq");
        assertThat(s.seed()).isEqualTo(7L);
        assertThat(s.timeLimit()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.maxSchedules()).isEqualTo(EngineSettings.defaults().maxSchedules());
    }

    @Test
    void anOversizedFileIsRefusedBeforeYamlSeesIt() {
        byte[] big = new byte[ScenarioLoader.MAX_BYTES + 1];
        java.util.Arrays.fill(big, (byte) '#');
        assertThatThrownBy(() -> scenarios.loader().parse("big.yaml", big))
                .isInstanceOf(ScenarioException.class)
                .hasMessage("big.yaml: file is larger than " + ScenarioLoader.MAX_BYTES + " bytes");
    }

    @Test
    void durationsReadAsFilesWriteThem() {
        assertThat(ScenarioLoader.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ScenarioLoader.parseDuration("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ScenarioLoader.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> ScenarioLoader.parseDuration("0s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScenarioLoader.parseDuration("2h")).isInstanceOf(IllegalArgumentException.class);
    }
}
