package org.mmemu.pagevec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mmemu.core.page.PageFlags.PG_lru;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.KernelBug;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.ZoneType;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.ZoneLru;

/**
 * The pagevec contract every protocol keeps (JCTools' MpqSanityTest pattern: this abstract
 * test, run per protocol by {@link PagevecContractTest}): the deferred lru_cache_add() batches
 * sixteen pages, lru_add_drain() empties this CPU's vector, pagevec_release() drops the
 * vector's references through the protocol and frees the last ones.
 */
public abstract class PagevecContract {
    private static final Site TEST_FREE = Site.of("test", "pagevec_free");

    private final LruProtocol protocol;
    Machine m;
    Cpu cpu;
    ZoneLru zl;

    protected PagevecContract(LruProtocol protocol) {
        this.protocol = protocol;
    }

    @BeforeEach
    void boot() {
        m = new Machine(MachineConfig.of(2, 256).withBiasedCount(protocol.biasedCount()), StepGate.FREE);
        Lru.install(m, protocol);
        cpu = m.cpu(0);
        zl = Lru.of(m).zone(m.zone(ZoneType.NORMAL));
    }

    @AfterEach
    void clean() {
        assertThat(zl.lruLock().isLocked()).isFalse();
        assertThat(cpu.irqsDisabled()).isFalse();
        assertThat(cpu.preemptCount()).isZero();
    }

    private Page alloc() {
        return m.pageAlloc().rmqueue(cpu, m.zone(ZoneType.NORMAL), 0);
    }

    @Test
    void deferredLruCacheAddFlushesAtSixteen() {
        Page[] pages = new Page[Pagevec.PAGEVEC_SIZE];
        for (int i = 0; i < 15; i++) {
            pages[i] = alloc();
            LruAddPvecs.lruCacheAdd(cpu, pages[i]);
        }
        assertThat(LruAddPvecs.of(cpu).pagevecCount()).isEqualTo(15);
        assertThat(zl.nrInactive()).isZero();
        for (int i = 0; i < 15; i++) {
            assertThat(pages[i].hasFlag(PG_lru)).isFalse();
            assertThat(pages[i].count()).as("the vector holds a reference").isEqualTo(2);
        }
        pages[15] = alloc();
        LruAddPvecs.lruCacheAdd(cpu, pages[15]);

        assertThat(LruAddPvecs.of(cpu).pagevecCount()).isZero();
        assertThat(zl.nrInactive()).isEqualTo(16);
        assertThat(zl.inactiveList().size()).isEqualTo(16);
        for (Page p : pages) {
            assertThat(p.hasFlag(PG_lru)).isTrue();
            assertThat(p.count()).as("the vector's reference dropped").isEqualTo(1);
        }
        assertThat(LruAddPvecs.of(m.cpu(1)).pagevecCount()).as("per CPU").isZero();
    }

    @Test
    void lruAddDrainEmptiesThisCpusVector() {
        Page a = alloc();
        Page b = alloc();
        LruAddPvecs.lruCacheAdd(cpu, a);
        LruAddPvecs.lruCacheAdd(m.cpu(1), b);
        LruAddPvecs.lruAddDrain(cpu);

        assertThat(LruAddPvecs.of(cpu).pagevecCount()).isZero();
        assertThat(a.hasFlag(PG_lru)).isTrue();
        assertThat(a.count()).isEqualTo(1);
        assertThat(LruAddPvecs.of(m.cpu(1)).pagevecCount()).as("the other CPU's vector stays").isEqualTo(1);
        assertThat(b.hasFlag(PG_lru)).isFalse();
        assertThat(zl.nrInactive()).isEqualTo(1);

        LruAddPvecs.lruAddDrain(m.cpu(1));
        assertThat(zl.nrInactive()).isEqualTo(2);
        LruAddPvecs.lruAddDrain(cpu);      // empty: nothing
        assertThat(zl.nrInactive()).isEqualTo(2);
    }

    @Test
    void pagevecReleaseDropsTheReferencesAndFreesTheLastOnes() {
        Pagevec pvec = new Pagevec();
        Page[] pages = new Page[Pagevec.PAGEVEC_SIZE];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = alloc();
            LruAddPvecs.lruCacheAdd(cpu, pages[i]);
        }
        pages[3].setCountQuietly(2);       // someone else still holds this one
        for (Page p : pages) {
            assertThat(pvec.pagevecAdd(p)).isEqualTo(Pagevec.PAGEVEC_SIZE - pvec.pagevecCount());
        }
        Pagevecs.pagevecRelease(cpu, pvec);

        assertThat(pvec.pagevecCount()).isZero();
        for (int i = 0; i < pages.length; i++) {
            assertThat(m.detectors().isFree(pages[i].pfn())).as("page %d", i).isEqualTo(i != 3);
        }
        assertThat(zl.nrInactive()).isEqualTo(1);
        assertThat(zl.inactiveList().next()).isSameAs(pages[3]);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void releaseNonlruFreesPagesOffTheLruAndBugsOnAnLruPage() {
        Pagevec pvec = new Pagevec();
        Page a = alloc();
        Page b = alloc();
        b.setCountQuietly(2);
        pvec.pagevecAdd(a);
        pvec.pagevecAdd(b);
        Pagevecs.__pagevecReleaseNonlru(cpu, pvec);
        assertThat(m.detectors().isFree(a.pfn())).isTrue();
        assertThat(b.count()).isEqualTo(1);
        assertThat(pvec.pagevecCount()).isZero();

        LruAddPvecs.lruCacheAdd(cpu, b);
        LruAddPvecs.lruAddDrain(cpu);
        pvec.pagevecAdd(b);
        assertThatThrownBy(() -> Pagevecs.__pagevecReleaseNonlru(cpu, pvec)).isInstanceOf(KernelBug.class);
        assertThat(m.detectors().findings()).extracting(f -> f.kind()).containsExactly(FindingKind.KERNEL_BUG);
    }

    @Test
    void pagevecFreeFreesEveryPageWithTheCallersSite() {
        Pagevec pvec = new Pagevec();
        Page a = alloc();
        a.setCountQuietly(0);
        pvec.pagevecAdd(a);
        Pagevecs.pagevecFree(cpu, pvec, TEST_FREE);
        assertThat(m.detectors().isFree(a.pfn())).isTrue();
        assertThat(pvec.pagevecCount()).isZero();
        // a second free of the same page is a double free naming both callers' sites
        pvec.pagevecAdd(a);
        try {
            Pagevecs.pagevecFree(cpu, pvec, TEST_FREE);
        } catch (RuntimeException stop) {
            // the double free stops the run
        }
        assertThat(m.detectors().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.DOUBLE_FREE);
            assertThat(f.site()).isEqualTo(TEST_FREE);
        });
    }
}
