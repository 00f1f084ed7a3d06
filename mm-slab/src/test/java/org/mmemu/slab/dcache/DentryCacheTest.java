package org.mmemu.slab.dcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.Zone;
import org.mmemu.slab.KmemCache;
import org.mmemu.slab.SlabAllocator;
import org.mmemu.slab.SlabAllocator.SlabPageVerdict;
import org.mmemu.slab.shrink.ShrinkerList;

/** The dentry-like cache: unused LRU, pruning back into the slab, the shrinker, the slab-page pruner. */
class DentryCacheTest {
    private final Machine m = boot();
    private final Cpu cpu = m.cpu(0);
    private final SlabAllocator slab = SlabAllocator.of(m);

    private static Machine boot() {
        Machine m = new Machine(MachineConfig.of(2, 512), StepGate.FREE);
        for (Zone z : m.node().zones()) {
            z.overrideWatermarks(0, 0, 0);
        }
        return m;
    }

    private List<Dentry> allocAndPut(DentryCache dc, int n) {
        List<Dentry> ds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ds.add(dc.dAlloc(cpu, Gfp.GFP_KERNEL));
        }
        ds.forEach(d -> dc.dput(cpu, d));
        return ds;
    }

    @Test
    void theLastDputPutsAHashedDentryOnTheUnusedListAndLookupTakesItOff() {
        DentryCache dc = DentryCache.dcacheInit(cpu, slab, false);
        Dentry d = dc.dAlloc(cpu, Gfp.GFP_KERNEL);
        dc.dget(cpu, d);
        dc.dput(cpu, d); // 2 -> 1 on the cmpxchg fast path
        assertThat(d.onUnusedQuietly()).isFalse();
        assertThat(dc.dcacheLock().acquisitions()).isEqualTo(1); // only d_alloc's
        dc.dput(cpu, d); // 1 -> 0 under dcache_lock
        assertThat(d.onUnusedQuietly()).isTrue();
        assertThat(dc.nrUnusedQuietly()).isEqualTo(1);
        assertThat(dc.dLookup(cpu, d)).isSameAs(d);
        assertThat(d.dCountQuietly()).isEqualTo(1);
        assertThat(d.onUnusedQuietly()).isFalse();
        assertThat(dc.nrUnusedQuietly()).isZero();
    }

    @Test
    void anUnhashedDentryGoesBackToTheSlabOnItsLastDput() {
        DentryCache dc = DentryCache.dcacheInit(cpu, slab, false);
        Dentry d = dc.dAlloc(cpu, Gfp.GFP_KERNEL);
        dc.dDrop(cpu, d);
        dc.dput(cpu, d);
        assertThat(d.isAllocated()).isFalse();
        assertThat(dc.nrDentryQuietly()).isZero();
        assertThat(dc.nrUnusedQuietly()).isZero();
    }

    @Test
    void pruningSparesReferencedDentriesOnceAndFreesTheRestIntoTheSlab() {
        DentryCache dc = DentryCache.dcacheInit(cpu, slab, false);
        List<Dentry> ds = allocAndPut(dc, 10);
        // Look the oldest one up and put it again: it is referenced, at the head of the list.
        Dentry old = ds.get(0);
        dc.dLookup(cpu, old);
        dc.dput(cpu, old);
        // Scan 10 from the cold end: 9 are freed, the referenced one is rotated and spared.
        assertThat(dc.pruneDcache(cpu, 10)).isEqualTo(9);
        assertThat(old.isAllocated()).isTrue();
        assertThat(old.onUnusedQuietly()).isTrue();
        assertThat(dc.nrUnusedQuietly()).isEqualTo(1);
        assertThat(dc.unusedListSizeQuietly()).isEqualTo(1);
        assertThat(ds.subList(1, 10)).noneMatch(Dentry::isAllocated);
        // The second look finds it unreferenced.
        assertThat(dc.pruneDcache(cpu, 10)).isEqualTo(1);
        assertThat(dc.nrDentryQuietly()).isZero();
    }

    @Test
    void theShrinkerPrunesWhatShrinkSlabCreditsItWith() {
        DentryCache dc = DentryCache.dcacheInit(cpu, slab, true);
        KmemCache<Dentry> kc = dc.kmemCache();
        assertThat(kc.objsize()).isEqualTo(128);
        assertThat(kc.num()).isEqualTo(30);
        allocAndPut(dc, 120); // four slabs of dentries, all unused
        ShrinkerList shrinkers = ShrinkerList.of(m);
        shrinkers.setUsedPages(x -> 999);
        // 100 * 2 * 120 / 1000 = 24: under SHRINK_BATCH, nothing pruned yet.
        shrinkers.shrinkSlab(cpu, 100, Gfp.GFP_KERNEL);
        assertThat(dc.nrUnusedQuietly()).isEqualTo(120);
        assertThat(dc.shrinker().nrQuietly()).isEqualTo(24);
        // + 24 = 48 > 32: 48 dentries are scanned and, none referenced, freed.
        shrinkers.shrinkSlab(cpu, 100, Gfp.GFP_KERNEL);
        assertThat(dc.nrUnusedQuietly()).isEqualTo(72);
        assertThat(dc.shrinker().nrQuietly()).isZero();
        // Without __GFP_FS the shrinker is asked but prunes nothing.
        for (int i = 0; i < 4; i++) {
            shrinkers.shrinkSlab(cpu, 100, Gfp.GFP_NOFS);
        }
        assertThat(dc.nrUnusedQuietly()).isEqualTo(72);
    }

    @Test
    void prunedDentriesFreeSlabPagesThatTheReaperThenReturns() {
        DentryCache dc = DentryCache.dcacheInit(cpu, slab, false);
        dc.kmemCache().kmemTuneCpucache(cpu, 0, 0); // straight to the slabs
        long free0 = m.pageAlloc().nrFreePages();
        allocAndPut(dc, 90);
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(free0 - 3);
        assertThat(dc.pruneDcache(cpu, 90)).isEqualTo(90);
        assertThat(slab.nrSlab()).isEqualTo(3); // empty slabs stay cached...
        slab.kmemCacheReap(cpu, Gfp.GFP_KERNEL);
        slab.kmemCacheReap(cpu, Gfp.GFP_KERNEL);
        slab.kmemCacheReap(cpu, Gfp.GFP_KERNEL);
        assertThat(slab.nrSlab()).isZero(); // ...until the reaper gives them back
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(free0);
    }

    @Test
    void thePriorityFormPrunesAShareAndShrinksTheCache() {
        DentryCache dc = DentryCache.dcacheInit(cpu, slab, false);
        dc.kmemCache().kmemTuneCpucache(cpu, 0, 0);
        allocAndPut(dc, 60); // two slabs
        // priority 2: prune 60 / 2 = 30, the first slab's worth; kmem_cache_shrink frees its page.
        assertThat(dc.shrinkDcacheMemoryPriority(cpu, 2, Gfp.GFP_KERNEL)).isEqualTo(1);
        assertThat(dc.nrUnusedQuietly()).isEqualTo(30);
        assertThat(dc.shrinkDcacheMemoryPriority(cpu, 1, Gfp.GFP_NOFS)).isZero();
    }

    @Test
    void reclaimOfASlabPagePrunesItsDentriesThenFreesIt() {
        DentryCache dc = DentryCache.dcacheInit(cpu, slab, false);
        dc.kmemCache().kmemTuneCpucache(cpu, 0, 0);
        List<Dentry> ds = allocAndPut(dc, 30); // exactly one slab, every dentry unused
        Dentry busy = dc.dAlloc(cpu, Gfp.GFP_KERNEL); // a second slab, in use
        Page page = ds.get(0).slab().page();
        Page busyPage = busy.slab().page();
        assertThat(slab.reclaimSlabPage(cpu, busyPage, Gfp.GFP_KERNEL)).isEqualTo(SlabPageVerdict.BUSY);
        assertThat(slab.reclaimSlabPage(cpu, page, Gfp.GFP_NOFS)).isEqualTo(SlabPageVerdict.BUSY);
        // pruning every dentry empties the slab, which is then destroyed in the same call
        assertThat(slab.reclaimSlabPage(cpu, page, Gfp.GFP_KERNEL)).isEqualTo(SlabPageVerdict.FREED);
        assertThat(ds).noneMatch(Dentry::isAllocated);
        assertThat(dc.nrUnusedQuietly()).isZero();
        assertThat(m.detectors().isFree(page.pfn())).isTrue();
        assertThat(slab.reclaimSlabPage(cpu, page, Gfp.GFP_KERNEL)).isEqualTo(SlabPageVerdict.NOT_SLAB);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void reclaimOfASlabWithADentryInUsePrunesTheRestAndKeepsIt() {
        DentryCache dc = DentryCache.dcacheInit(cpu, slab, false);
        dc.kmemCache().kmemTuneCpucache(cpu, 0, 0);
        List<Dentry> ds = allocAndPut(dc, 29);
        Dentry busy = dc.dAlloc(cpu, Gfp.GFP_KERNEL); // the 30th object of the same slab
        Page page = busy.slab().page();
        assertThat(ds).allMatch(d -> d.slab().page() == page);
        SlabPageVerdict v = slab.reclaimSlabPage(cpu, page, Gfp.GFP_KERNEL);
        assertThat(v).isEqualTo(SlabPageVerdict.PRUNED);
        assertThat(v.freeIt()).isFalse();
        assertThat(ds).noneMatch(Dentry::isAllocated);
        assertThat(busy.isAllocated()).isTrue();
        assertThat(m.detectors().isFree(page.pfn())).isFalse();
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void destroyPrunesRemovesTheShrinkerAndReturnsEveryPage() {
        long free0 = m.pageAlloc().nrFreePages();
        DentryCache dc = DentryCache.dcacheInit(cpu, slab, true);
        allocAndPut(dc, 100);
        assertThat(dc.destroy(cpu)).isZero();
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(free0);
        assertThat(slab.cachesQuietly()).isEmpty();
        assertThat(dc.shrinker()).isNull();
    }
}
