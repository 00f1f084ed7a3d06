package org.mmemu.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.VmStat.Item;
import org.mmemu.lru.Lru;
import org.mmemu.lru.ZoneLru;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.pagevec.Pagevec;
import org.mmemu.pagevec.Pagevecs;

/**
 * count-one's leftovers and reclaim's mop-up (seed mail, proposal (b): "Two concurrent
 * page_cache_releases will create a zero-ref unfreed page which is on the LRU. These are rare,
 * and can be mopped up in page reclaim.").
 *
 * <ol>
 * <li>16 pages sit on the inactive list, no mapping, each with count 2: CPU 0 and CPU 1 hold
 * one reference each.</li>
 * <li>Both CPUs release the same 16 pages through {@code __pagevec_release}, in lock-step.</li>
 * <li>Under count-one both read {@code page_count == 2} and both {@code atomic_dec}: every page
 * ends at count 0, on the LRU, and nobody frees it.</li>
 * <li>The next {@code shrink_cache} finds them at the tail of the list and mops every one up.</li>
 * </ol>
 */
class CountOneMopUpTest {
    private static final int PAGES = 16;

    private static Machine racingReleases(String protocol) throws InterruptedException {
        List<Page> pages = new ArrayList<>();
        return LockStep.run(gate -> {
            Machine m = Machines.boot(gate, 2, 256, x -> ProtocolRegistry.onClassPath().byName(protocol), ReclaimConfig.defaults(), 8, 16, 32);
            // Setup without steps: allocate on a free-gated twin of CPU 0 is not possible, so
            // take pages straight from the allocator's boot state through a quiet CPU.
            Cpu setup = new Cpu(99, StepGate.FREE, m.detectors());
            ZoneLru zl = Lru.of(m).zone(Machines.normal(m));
            for (int i = 0; i < PAGES; i++) {
                Page p = m.pageAlloc().allocPage(setup, Gfp.GFP_KERNEL);
                p.setCountQuietly(2);
                zl.addQuietly(p, false);
                pages.add(p);
            }
            return m;
        }, (m, cpu) -> {
            Pagevec pvec = new Pagevec();
            for (Page p : pages) {
                pvec.pagevecAdd(p);
            }
            Pagevecs.__pagevecRelease(cpu, pvec);
        });
    }

    private static List<Finding> leaks(Machine m) {
        return m.detectors().findings().stream().filter(f -> f.kind() == FindingKind.LEAK).toList();
    }

    @Test
    void concurrentReleasesLeaveZeroRefPagesThatTheNextReclaimPassMopsUp() throws InterruptedException {
        Machine m = racingReleases("count-one");
        ZoneLru zl = Lru.of(m).zone(Machines.normal(m));
        assertThat(zl.nrInactive()).isEqualTo(PAGES);
        List<Page> orphans = new ArrayList<>();
        for (int i = 0; i < Machines.normal(m).size(); i++) {
            Page p = Machines.normal(m).pageAt(i);
            if (p.hasFlag(org.mmemu.core.page.PageFlags.PG_lru)) {
                orphans.add(p);
            }
        }
        assertThat(orphans).hasSize(PAGES).allSatisfy(p -> {
            assertThat(p.count()).isZero();
            assertThat(m.detectors().isFree(p.pfn())).isFalse();
        });
        m.detectors().checkQuiescent();
        assertThat(leaks(m)).hasSize(PAGES);

        Reclaim r = Reclaim.of(m);
        assertThat(r.mopUp()).isTrue();
        int before = m.detectors().findings().size();
        r.vmscan().shrinkCache(m.cpu(0), Vmscan.SWAP_CLUSTER_MAX, Machines.normal(m), Gfp.GFP_KERNEL, 64);

        assertThat(m.pageAlloc().vmstat().get(Item.lru_mopup)).isEqualTo(PAGES);
        assertThat(orphans).allSatisfy(p -> assertThat(m.detectors().isFree(p.pfn())).isTrue());
        assertThat(zl.nrInactive()).isZero();
        assertThat(zl.inactiveList().isEmpty()).isTrue();
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).hasSize(before);
        assertThat(Machines.normal(m).freePages()).isEqualTo(256);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mm1", "always-lock", "dec-and-lock"})
    void theSameReleasesFreeEveryPageUnderTheOtherProtocols(String protocol) throws InterruptedException {
        Machine m = racingReleases(protocol);
        assertThat(Lru.of(m).zone(Machines.normal(m)).nrInactive()).isZero();
        assertThat(Machines.normal(m).freePages()).isEqualTo(256);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }
}
