package org.mmemu.slab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmemu.core.page.PageFlags.PG_lru;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;

/**
 * The seams of the slab-on-LRU option, before mm-lru exists: where a new slab's pages would go
 * on the LRU and how a freed slab's pages would be released; and that without the option a
 * slab page is never on the LRU (the quiescent check says so if one is).
 */
class SlabOnLruSeamTest {
    /** A stand-in for mm-lru's seam: records the calls, releases with free_pages(). */
    private static final class Recording implements SlabPageLru {
        final Machine m;
        final List<Slab> grown = new ArrayList<>();
        final List<String> released = new ArrayList<>();

        Recording(Machine m) {
            this.m = m;
        }

        @Override
        public void slabGrown(Cpu cpu, Slab slab) {
            grown.add(slab);
        }

        @Override
        public void releaseSlabPages(Cpu cpu, Page page, int order) {
            released.add(page.pfn() + "/" + order);
            m.pageAlloc().freePages(cpu, page, order);
        }
    }

    @Test
    void withTheOptionEveryGrownSlabAndEveryReleaseGoesThroughTheSeam() {
        Machine m = SlabTestSupport.machine(1, 128);
        Cpu cpu = m.cpu(0);
        SlabAllocator sa = SlabAllocator.of(m);
        Recording rec = new Recording(m);
        sa.configure(SlabOptions.SLAB_ON_LRU);
        sa.setSlabPageLru(rec);
        long free0 = m.pageAlloc().nrFreePages();
        KmemCache<SlabObject> c = sa.kmemCacheCreate(cpu, "seam", 512, 0, 1, null, 0);
        SlabObject o = c.kmemCacheAlloc(cpu, Gfp.GFP_KERNEL);
        assertThat(rec.grown).containsExactly(o.slab());
        c.kmemCacheFree(cpu, o);
        assertThat(sa.kmemCacheDestroy(cpu, c)).isZero();
        assertThat(rec.released).containsExactly(o.slab().page().pfn() + "/1");
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(free0);
    }

    @Test
    void withoutTheOptionASlabPageOnTheLruIsAnAccountingFinding() {
        Machine m = new Machine(MachineConfig.of(1, 64).withStopKinds(Set.of()), StepGate.FREE);
        SlabTestSupport.lowerWatermarks(m);
        SlabAllocator sa = SlabAllocator.of(m);
        KmemCache<SlabObject> c = sa.kmemCacheCreate(m.cpu(0), "nolru", 64, 0, 0, null, 0);
        SlabObject o = c.kmemCacheAlloc(m.cpu(0), Gfp.GFP_KERNEL);
        Page page = o.slab().page();
        assertThat(page.hasFlag(PG_lru)).isFalse();
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
        page.setFlagQuietly(PG_lru, true); // as if someone had put it on the LRU
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).extracting(f -> f.kind()).containsExactly(FindingKind.ACCOUNTING);
    }

    @Test
    void optionsCannotChangeOnceSlabsExist() {
        Machine m = SlabTestSupport.machine(1, 64);
        SlabAllocator sa = SlabAllocator.of(m);
        KmemCache<SlabObject> c = sa.kmemCacheCreate(m.cpu(0), "late", 64, 0, 0, null, 0);
        c.kmemCacheAlloc(m.cpu(0), Gfp.GFP_KERNEL);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sa.configure(SlabOptions.SLAB_ON_LRU))
                .isInstanceOf(IllegalStateException.class);
    }
}
