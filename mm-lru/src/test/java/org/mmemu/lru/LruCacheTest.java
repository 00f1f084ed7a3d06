package org.mmemu.lru;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mmemu.core.page.PageFlags.PG_active;
import static org.mmemu.core.page.PageFlags.PG_lru;
import static org.mmemu.core.page.PageFlags.PG_referenced;

import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Page;
import org.mmemu.lru.protocol.Mm1Protocol;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.lru.protocol.TestoneProtocol;

/** lru_cache_add (2.5.31), activate_page, mark_page_accessed, the registry, install and the quiescent checks. */
class LruCacheTest {
    private final Machine m = TestMachines.boot(new Mm1Protocol(), 2, StepGate.FREE);
    private final Cpu cpu = m.cpu(0);
    private final ZoneLru zl = Lru.of(m).zone(TestMachines.normal(m));

    @Test
    void directLruCacheAddPutsThePageOnTheInactiveListOnce() {
        Page p = TestMachines.alloc(m);
        LruCache.lruCacheAdd(cpu, p);
        LruCache.lruCacheAdd(cpu, p);      // PG_lru already set: nothing
        assertThat(p.hasFlag(PG_lru)).isTrue();
        assertThat(zl.inactiveList().size()).isEqualTo(1);
        assertThat(zl.nrInactive()).isEqualTo(1);
        assertThat(p.count()).as("the direct form takes no reference").isEqualTo(1);
    }

    @Test
    void markPageAccessedTwiceActivates() {
        Page p = TestMachines.alloc(m);
        LruCache.lruCacheAdd(cpu, p);
        LruCache.markPageAccessed(cpu, p);
        assertThat(p.hasFlag(PG_referenced)).isTrue();
        assertThat(p.hasFlag(PG_active)).isFalse();
        LruCache.markPageAccessed(cpu, p);
        assertThat(p.hasFlag(PG_active)).isTrue();
        assertThat(p.hasFlag(PG_referenced)).isFalse();
        assertThat(zl.nrActive()).isEqualTo(1);
        assertThat(zl.nrInactive()).isZero();
        assertThat(zl.activeList().next()).isSameAs(p);
        LruCache.activatePage(cpu, p);     // already active: nothing
        assertThat(zl.nrActive()).isEqualTo(1);
        assertThat(m.pageAlloc().vmstat().get(org.mmemu.core.page.VmStat.Item.pgactivate)).isEqualTo(1);
    }

    @Test
    void pageCacheReleaseAndPutPageGoThroughTheProtocol() {
        Page p = TestMachines.lruPage(m, 2, false);
        LruCache.putPage(cpu, p);
        assertThat(p.count()).isEqualTo(1);
        LruCache.pageCacheRelease(cpu, p);
        assertThat(m.detectors().isFree(p.pfn())).isTrue();
        assertThat(zl.nrInactive()).isZero();
    }

    @Test
    void quiescentChecksReportAZeroRefPageOnTheLruAndBadCounters() {
        Page p = TestMachines.lruPage(m, 0, false);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).extracting(f -> f.kind()).containsExactly(FindingKind.LEAK);
        assertThat(m.detectors().findings().get(0).pfn()).isEqualTo(p.pfn());

        zl.addNrActive(cpu, org.mmemu.core.emu.Site.of("test", "corrupt nr_active"), 1);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).extracting(f -> f.kind())
                .containsExactly(FindingKind.LEAK, FindingKind.LEAK, FindingKind.ACCOUNTING);
    }

    @Test
    void registryListsTheProtocolsInDesignOrder() {
        assertThat(ProtocolRegistry.onClassPath().names()).containsExactly("pre-fix", "mm1", "2.5.33", "always-lock", "count-one",
                "dec-and-lock", "testone", "unless-zero", "no-tests");
        for (LruProtocol p : ProtocolRegistry.onClassPath().all()) {
            assertThat(ProtocolRegistry.onClassPath().byName(p.name()).getClass()).isEqualTo(p.getClass());
            assertThat(p.origin()).isNotBlank();
            assertThat(p.version()).matches("2\\.[56]\\.\\d+.*|constructed");
        }
        assertThatThrownBy(() -> ProtocolRegistry.onClassPath().byName("mm2")).hasMessageContaining("mm1");
    }

    @Test
    void installRefusesAProtocolWhoseCountBiasDoesNotMatchTheMachine() {
        Machine unbiased = new Machine(MachineConfig.of(1, 64), StepGate.FREE);
        assertThatThrownBy(() -> Lru.install(unbiased, new TestoneProtocol())).hasMessageContaining("biased");
        assertThatThrownBy(() -> Lru.install(m, new Mm1Protocol())).hasMessageContaining("already");
        assertThat(Lru.of(m.cpu(1))).isSameAs(Lru.of(m));
        assertThatThrownBy(() -> Lru.of(unbiased.cpu(0))).hasMessageContaining("no LRU");
    }
}
