package org.mmemu.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.scenario.ops.OperationRegistry;
import org.mmemu.scenario.yaml.ScenarioException;

/** {@code catalogue:} ({@link CatalogueReader}) and the shipped catalogue's files. */
class CatalogueReaderTest {
    private final ScenarioLoader loader = new ScenarioLoader(OperationRegistry.standard(),
            ProtocolRegistry.onClassPath().names());

    private Scenario parse(String search) {
        String text = "name: c\nmachine:\n  cpus: 1\n  zones: { Normal: 8 }\npages:\n  P: { zone: Normal, count: 1 }\n"
                + "programs:\n  cpu0:\n    - put_page: P\ncatalogue:\n  entry: c\n  title: t\n"
                + "  commit: 4fac8df90b80597b4748410ca97fdd2a62040e19\n  date: 15 Oct 2002\n  author: a\n  words: w\n"
                + "  expect: livelock\n  buggy: bk-18aug\n  fixed: 2.5.33+refill-lockup-fix\n" + search;
        return loader.parse("c.yaml", text);
    }

    @Test
    void theSectionIsReadWithItsKernelsNormalisedAndDporUnboundedByDefault() {
        CatalogueEntry c = parse("").catalogue();
        assertThat(c.expect()).isEqualTo(FindingKind.LIVELOCK);
        assertThat(c.buggy()).isEqualTo("2.5.31-bk");
        assertThat(c.fixedSearch().policy()).isEqualTo("dpor");
        assertThat(c.fixedSearch().delays()).isEqualTo("anywhere");
        assertThat(c.fixedSearch().preemptionBound()).isEqualTo(EngineSettings.NO_BOUND);
        EngineSettings irq = parse("  fixed-search: { policy: exhaustive, delays: irq, preemption-bound: 3 }\n")
                .catalogue().fixedSearch();
        assertThat(irq.preemptionBound()).isEqualTo(3);
    }

    @Test
    void aSearchThatCouldMissTheRaceIsRefusedAtTheSection() {
        assertThatThrownBy(() -> parse("  fixed-search: { policy: dpor, preemption-bound: 4 }\n"))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith("c.yaml:20:17: catalogue: fixed-search: dpor judges a fixed kernel only");
        assertThatThrownBy(() -> parse("  fixed-search: { policy: exhaustive, delays: anywhere, preemption-bound: 2 }\n"))
                .hasMessageStartingWith("c.yaml:20:17: catalogue: fixed-search: the exhaustive search");
        assertThatThrownBy(() -> parse("  fixed-search: { policy: pct }\n"))
                .hasMessageContaining("policy 'pct' is not one of: dpor, exhaustive");
        assertThatThrownBy(() -> parse("  fixed-search: { policy: exhaustive, delays: irq }\n"))
                .hasMessageContaining("preemption-bound 2 or more");
    }

    @Test
    void everyShippedEntryParsesAndIsNamedAfterItsFile() {
        assertThat(Shipped.catalogue()).isNotEmpty();
        for (String ref : Shipped.catalogue()) {
            Scenario s = loader.parse(Shipped.label(ref), Shipped.text(ref).orElseThrow());
            assertThat(s.catalogue()).as(ref).isNotNull();
            assertThat(Shipped.CATALOGUE + s.catalogue().entry()).isEqualTo(ref);
            assertThat(s.description()).as(ref).isNotBlank();
        }
        assertThat(Shipped.names()).noneMatch(n -> n.startsWith(Shipped.CATALOGUE));
    }
}
