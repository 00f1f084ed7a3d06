package org.mmemu.slab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mmemu.core.page.PageFlags.PG_slab;
import static org.mmemu.slab.KmemCache.SlabList.FREE;
import static org.mmemu.slab.KmemCache.SlabList.FULL;
import static org.mmemu.slab.KmemCache.SlabList.PARTIAL;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.KernelBug;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;

class KmemCacheTest {
    private final Machine m = SlabTestSupport.machine(2, 256);
    private final Cpu cpu0 = m.cpu(0);
    private final Cpu cpu1 = m.cpu(1);
    private final SlabAllocator slab = SlabAllocator.of(m);

    /** A cache of 100-byte objects with the per-CPU arrays off, so objects go straight to and from slabs. */
    private KmemCache<SlabObject> direct(String name, int order) {
        KmemCache<SlabObject> c = slab.kmemCacheCreate(cpu0, name, 100, 0, order, null, 0);
        assertThat(c.kmemTuneCpucache(cpu0, 0, 0)).isZero();
        return c;
    }

    @Test
    void estimateFitsObjectsDescriptorAndBufctlsInASlab() {
        // i*100 + L1_CACHE_ALIGN(24 + 4i) <= 4096: 39 objects (3900 + 192), 40 would need 4192.
        KmemCache<SlabObject> c = direct("est", 0);
        assertThat(c.num()).isEqualTo(39);
        assertThat(c.colourOff()).isEqualTo(32);
        assertThat(c.colour()).isEqualTo(0); // 4 bytes left over: no room for a second colour
        // HWCACHE_ALIGN rounds 100 up to 128: 30 objects, 3840 + L1_CACHE_ALIGN(144) = 4000.
        KmemCache<SlabObject> h = slab.kmemCacheCreate(cpu0, "hw", 100, 0, 0, null, SlabFlags.SLAB_HWCACHE_ALIGN);
        assertThat(h.objsize()).isEqualTo(128);
        assertThat(h.num()).isEqualTo(30);
        assertThat(h.colour()).isEqualTo(3); // 96 bytes left over / 32
        // 1024-byte objects keep their descriptor off the slab: exactly four per page.
        KmemCache<SlabObject> big = slab.kmemCacheCreate(cpu0, "big", 1024, 0, 0, null, 0);
        assertThat(big.num()).isEqualTo(4);
        assertThat(big.flags() & SlabFlags.CFLGS_OFF_SLAB).isNotZero();
    }

    @Test
    void objectsComeFromAndReturnToSlabs() {
        KmemCache<SlabObject> c = direct("objs", 0);
        SlabObject first = c.kmemCacheAlloc(cpu0, Gfp.GFP_KERNEL);
        assertThat(first.slab().cache()).isSameAs(c);
        assertThat(first.isAllocated()).isTrue();
        assertThat(c.slabsQuietly(PARTIAL)).containsExactly(first.slab());
        assertThat(first.slab().inuseQuietly()).isEqualTo(1);

        List<SlabObject> objs = new ArrayList<>(List.of(first));
        for (int i = 1; i < c.num(); i++) {
            objs.add(c.kmemCacheAlloc(cpu0, Gfp.GFP_KERNEL));
        }
        Set<SlabObject> distinct = new HashSet<>(objs);
        assertThat(distinct).hasSize(c.num());
        assertThat(c.slabsQuietly(FULL)).containsExactly(first.slab());
        assertThat(c.slabsQuietly(PARTIAL)).isEmpty();

        c.kmemCacheFree(cpu0, objs.get(5));
        assertThat(c.slabsQuietly(PARTIAL)).containsExactly(first.slab());
        // The freed object is the next one out (LIFO free chain of the slab).
        assertThat(c.kmemCacheAlloc(cpu0, Gfp.GFP_KERNEL)).isSameAs(objs.get(5));
        for (SlabObject o : objs) {
            c.kmemCacheFree(cpu0, o);
        }
        assertThat(c.slabsQuietly(FREE)).containsExactly(first.slab());
        assertThat(first.slab().inuseQuietly()).isZero();
        assertThat(first.isAllocated()).isFalse();
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void perCpuArraysTakeABatchAndKeepFreedObjects() {
        KmemCache<SlabObject> c = slab.kmemCacheCreate(cpu0, "cc", 100, 0, 0, null, 0);
        // enable_cpucache(): objects up to 256 bytes get limit 252 and batchcount 126.
        assertThat(c.cpuCache(0).limit()).isEqualTo(252);
        assertThat(c.batchcountQuietly()).isEqualTo(126);
        SlabObject o = c.kmemCacheAlloc(cpu0, Gfp.GFP_KERNEL);
        // The batch emptied the one new slab (39 objects) into cpu0's array; one went out.
        assertThat(c.nrSlabsQuietly()).isEqualTo(1);
        assertThat(c.slabsQuietly(FULL)).hasSize(1);
        assertThat(c.cpuCache(0).availQuietly()).isEqualTo(38);
        assertThat(c.cpuCache(1).availQuietly()).isZero();
        // Freed on cpu1, it goes into cpu1's array, not back to its slab.
        c.kmemCacheFree(cpu1, o);
        assertThat(c.cpuCache(1).availQuietly()).isEqualTo(1);
        assertThat(c.slabsQuietly(FULL)).hasSize(1);
    }

    @Test
    void aFullArrayGivesBatchcountBackToTheSlabs() {
        KmemCache<SlabObject> c = slab.kmemCacheCreate(cpu0, "small", 100, 0, 0, null, 0);
        assertThat(c.kmemTuneCpucache(cpu0, 4, 2)).isZero();
        List<SlabObject> objs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            objs.add(c.kmemCacheAlloc(cpu0, Gfp.GFP_KERNEL));
        }
        assertThat(c.cpuCache(0).availQuietly()).isZero(); // 10 = five batches of two
        for (int i = 0; i < 4; i++) {
            c.kmemCacheFree(cpu0, objs.get(i));
        }
        assertThat(c.cpuCache(0).availQuietly()).isEqualTo(4);
        assertThat(objs.get(0).slab().inuseQuietly()).isEqualTo(10);
        c.kmemCacheFree(cpu0, objs.get(4)); // full: two go back to the slab, then this one in
        assertThat(c.cpuCache(0).availQuietly()).isEqualTo(3);
        assertThat(objs.get(0).slab().inuseQuietly()).isEqualTo(8);
    }

    @Test
    void tuneRejectsWhatTheKernelRejects() {
        KmemCache<SlabObject> c = slab.kmemCacheCreate(cpu0, "tune", 100, 0, 0, null, 0);
        assertThat(c.kmemTuneCpucache(cpu0, -1, 0)).isEqualTo(-22);
        assertThat(c.kmemTuneCpucache(cpu0, 4, 5)).isEqualTo(-22);
        assertThat(c.kmemTuneCpucache(cpu0, 4, 0)).isEqualTo(-22);
        assertThat(c.cpuCache(0).limit()).isEqualTo(252);
    }

    @Test
    void aCacheGrowsAndShrinks() {
        long free0 = m.pageAlloc().nrFreePages();
        KmemCache<SlabObject> c = direct("grow", 0);
        List<SlabObject> objs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            objs.add(c.kmemCacheAlloc(cpu0, Gfp.GFP_KERNEL));
        }
        // ceil(200 / 39) = 6 slabs of one page each.
        assertThat(c.nrSlabsQuietly()).isEqualTo(6);
        assertThat(slab.nrSlab()).isEqualTo(6);
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(free0 - 6);
        assertThat(c.slabsQuietly(FULL)).hasSize(5);
        assertThat(c.slabsQuietly(PARTIAL)).hasSize(1);
        for (SlabObject o : objs.subList(0, 39)) { // the first slab's objects
            c.kmemCacheFree(cpu0, o);
        }
        assertThat(c.slabsQuietly(FREE)).hasSize(1);
        assertThat(c.kmemCacheShrink(cpu0)).isEqualTo(1);
        assertThat(c.nrSlabsQuietly()).isEqualTo(5);
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(free0 - 5);
        for (SlabObject o : objs.subList(39, 200)) {
            c.kmemCacheFree(cpu0, o);
        }
        assertThat(c.kmemCacheShrink(cpu0)).isEqualTo(5);
        assertThat(slab.nrSlab()).isZero();
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(free0);
    }

    @Test
    void pgSlabIsSetOnEveryPageOfASlabAndClearedWhenItIsFreed() {
        KmemCache<SlabObject> c = direct("order1", 1);
        SlabObject o = c.kmemCacheAlloc(cpu0, Gfp.GFP_KERNEL);
        Page first = o.slab().page();
        Page second = m.page(first.pfn() + 1);
        assertThat(first.hasFlag(PG_slab)).isTrue();
        assertThat(second.hasFlag(PG_slab)).isTrue();
        assertThat(slab.slabOfPageQuietly(second)).isSameAs(o.slab());
        assertThat(slab.nrSlab()).isEqualTo(2);
        assertThat(first.count()).isEqualTo(1);
        assertThat(first.isLinked()).isFalse(); // not on the LRU (docs/FIDELITY.md)
        c.kmemCacheFree(cpu0, o);
        assertThat(c.kmemCacheShrink(cpu0)).isEqualTo(2);
        assertThat(first.hasFlag(PG_slab)).isFalse();
        assertThat(second.hasFlag(PG_slab)).isFalse();
        assertThat(m.detectors().isFree(first.pfn())).isTrue();
        assertThat(m.detectors().isFree(second.pfn())).isTrue();
        assertThat(slab.slabOfPageQuietly(first)).isNull();
    }

    @Test
    void destroyReturnsEveryPageEvenFromOtherCpusArrays() {
        long free0 = m.pageAlloc().nrFreePages();
        KmemCache<SlabObject> c = slab.kmemCacheCreate(cpu0, "destroy", 100, 0, 0, o -> { }, 0);
        List<SlabObject> a = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            a.add(c.kmemCacheAlloc(i % 2 == 0 ? cpu0 : cpu1, Gfp.GFP_KERNEL));
        }
        for (int i = 0; i < a.size(); i++) {
            c.kmemCacheFree(i % 3 == 0 ? cpu0 : cpu1, a.get(i)); // crosswise
        }
        assertThat(c.cpuCachedQuietly()).isPositive();
        assertThat(m.pageAlloc().nrFreePages()).isLessThan(free0);
        assertThat(slab.kmemCacheDestroy(cpu0, c)).isZero();
        assertThat(slab.cachesQuietly()).doesNotContain(c);
        assertThat(slab.nrSlab()).isZero();
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(free0);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void destroyOfACacheWithObjectsInUseFailsAndKeepsIt() {
        KmemCache<SlabObject> c = slab.kmemCacheCreate(cpu0, "busy", 100, 0, 0, null, 0);
        SlabObject o = c.kmemCacheAlloc(cpu0, Gfp.GFP_KERNEL);
        assertThat(slab.kmemCacheDestroy(cpu0, c)).isEqualTo(1);
        assertThat(slab.cachesQuietly()).contains(c);
        assertThat(slab.nrSlab()).isEqualTo(1); // the slab holding o
        c.kmemCacheFree(cpu0, o);
        assertThat(slab.kmemCacheDestroy(cpu0, c)).isZero();
        assertThat(slab.nrSlab()).isZero();
    }

    @Test
    void constructorRunsOncePerObjectWhenItsSlabIsGrown() {
        int[] ctorCalls = {0};
        KmemCache<SlabObject> c = slab.kmemCacheCreate(cpu0, "ctor", 100, 0, 0, o -> ctorCalls[0]++, 0);
        c.kmemTuneCpucache(cpu0, 0, 0);
        SlabObject o = c.kmemCacheAlloc(cpu0, Gfp.GFP_KERNEL);
        assertThat(ctorCalls[0]).isEqualTo(39);
        c.kmemCacheFree(cpu0, o);
        c.kmemCacheAlloc(cpu0, Gfp.GFP_KERNEL);
        assertThat(ctorCalls[0]).isEqualTo(39); // reused, not reconstructed
    }

    @Test
    void dmaCachesGrowFromZoneDma() {
        Machine dm = new Machine(org.mmemu.core.MachineConfig.of(1, 128).withZone(org.mmemu.core.page.ZoneType.DMA, 64),
                org.mmemu.core.emu.StepGate.FREE);
        SlabTestSupport.lowerWatermarks(dm);
        SlabAllocator sa = SlabAllocator.of(dm);
        KmemCache<SlabObject> c = sa.kmemCacheCreate(dm.cpu(0), "dma", 64, 0, 0, null, SlabFlags.SLAB_CACHE_DMA);
        SlabObject o = c.kmemCacheAlloc(dm.cpu(0), Gfp.GFP_KERNEL);
        assertThat(o.slab().page().zone().type()).isEqualTo(org.mmemu.core.page.ZoneType.DMA);
    }

    @Test
    void allocReturnsNullWhenThePageAllocatorFails() {
        Machine small = SlabTestSupport.machine(1, 16);
        SlabAllocator sa = SlabAllocator.of(small);
        KmemCache<SlabObject> c = sa.kmemCacheCreate(small.cpu(0), "oom", 1024, 0, 1, null, 0);
        int got = 0;
        while (c.kmemCacheAlloc(small.cpu(0), Gfp.GFP_ATOMIC) != null) {
            got++;
        }
        // 16 pages = 8 order-1 slabs of 8 objects each.
        assertThat(got).isEqualTo(64);
        assertThat(sa.nrSlab()).isEqualTo(16);
        assertThat(c.growingQuietly()).isZero();
        small.detectors().checkQuiescent();
        assertThat(small.detectors().findings()).isEmpty();
    }

    @Test
    void atomicAllocationsInInterruptsKeepTheCacheLockIrqSafe() {
        KmemCache<SlabObject> c = slab.kmemCacheCreate(cpu0, "irq", 100, 0, 0, null, 0);
        c.kmemTuneCpucache(cpu0, 0, 0); // every alloc and free takes cachep->spinlock
        SlabObject[] got = new SlabObject[1];
        cpu0.runInterrupt(() -> got[0] = c.kmemCacheAlloc(cpu0, Gfp.GFP_ATOMIC));
        assertThat(got[0]).isNotNull();
        // The same lock in process context: taken with irqs off everywhere, so lockdep's rule holds.
        SlabObject o = c.kmemCacheAlloc(cpu0, Gfp.GFP_KERNEL);
        c.kmemCacheFree(cpu0, o);
        cpu0.runInterrupt(() -> c.kmemCacheFree(cpu0, got[0]));
        assertThat(c.kmemCacheShrink(cpu0)).isEqualTo(1);
        slab.kmemCacheReap(cpu0, Gfp.GFP_KERNEL);
        assertThat(m.detectors().findings()).isEmpty();
        assertThat(cpu0.irqsDisabled()).isFalse();
        // A sleeping allocation that must grow the cache inside an interrupt is a BUG().
        assertThatThrownBy(() -> cpu0.runInterrupt(() -> c.kmemCacheAlloc(cpu0, Gfp.GFP_KERNEL)))
                .isInstanceOf(KernelBug.class);
    }

    @Test
    void duplicateCacheNameIsAKernelBug() {
        slab.kmemCacheCreate(cpu0, "dup", 64, 0, 0, null, 0);
        assertThatThrownBy(() -> slab.kmemCacheCreate(cpu0, "dup", 64, 0, 0, null, 0)).isInstanceOf(KernelBug.class);
        assertThat(slab.cacheChainSem().isLocked()).isFalse();
    }

    @Test
    void aDoubleFreeOfAnObjectIsReported() {
        Machine nm = SlabTestSupport.machineNoStop(1, 64);
        SlabAllocator sa = SlabAllocator.of(nm);
        KmemCache<SlabObject> c = sa.kmemCacheCreate(nm.cpu(0), "df", 64, 0, 0, null, 0);
        SlabObject o = c.kmemCacheAlloc(nm.cpu(0), Gfp.GFP_KERNEL);
        c.kmemCacheFree(nm.cpu(0), o);
        assertThat(nm.detectors().findings()).isEmpty();
        c.kmemCacheFree(nm.cpu(0), o);
        assertThat(nm.detectors().findings()).hasSize(1);
        assertThat(nm.detectors().findings().get(0).kind()).isEqualTo(FindingKind.DOUBLE_FREE);
        assertThat(nm.detectors().findings().get(0).pfn()).isEqualTo(o.slab().page().pfn());
    }

    @Test
    void theAccountingCheckCatchesASlabPageWithoutPgSlab() {
        Machine nm = SlabTestSupport.machineNoStop(1, 64);
        SlabAllocator sa = SlabAllocator.of(nm);
        KmemCache<SlabObject> c = sa.kmemCacheCreate(nm.cpu(0), "acct", 64, 0, 0, null, 0);
        SlabObject o = c.kmemCacheAlloc(nm.cpu(0), Gfp.GFP_KERNEL);
        nm.detectors().checkQuiescent();
        assertThat(nm.detectors().findings()).isEmpty();
        o.slab().page().setFlagQuietly(PG_slab, false); // corrupt on purpose
        nm.detectors().checkQuiescent();
        assertThat(nm.detectors().findings()).hasSize(1);
        assertThat(nm.detectors().findings().get(0).kind()).isEqualTo(FindingKind.ACCOUNTING);
        assertThat(nm.detectors().findings().get(0).pfn()).isEqualTo(o.slab().page().pfn());
    }

    @Test
    void slabOnLruWithoutTheLruSeamsRefusesToGrow() {
        slab.configure(SlabOptions.SLAB_ON_LRU);
        KmemCache<SlabObject> c = slab.kmemCacheCreate(cpu0, "lru", 64, 0, 0, null, 0);
        assertThatThrownBy(() -> c.kmemCacheAlloc(cpu0, Gfp.GFP_KERNEL)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SlabPageLru");
    }
}
