package org.mmemu.slab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmemu.slab.KmemCache.SlabList.FREE;
import static org.mmemu.slab.KmemCache.SlabList.FULL;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.page.Gfp;

/** kmem_cache_reap() of mm/slab.c 2.5.31 (docs/FIDELITY.md). */
class KmemCacheReapTest {
    private final Machine m = SlabTestSupport.machine(2, 512);
    private final Cpu cpu0 = m.cpu(0);
    private final Cpu cpu1 = m.cpu(1);
    private final SlabAllocator slab = SlabAllocator.of(m);

    /** A cache with the per-CPU arrays off and {@code freeSlabs} free slabs. */
    private KmemCache<SlabObject> withFreeSlabs(String name, int order, boolean ctor, int flags, int freeSlabs) {
        KmemCache<SlabObject> c = slab.kmemCacheCreate(cpu0, name, 100, 0, order, ctor ? o -> { } : null, flags);
        c.kmemTuneCpucache(cpu0, 0, 0);
        List<SlabObject> objs = new ArrayList<>();
        for (int i = 0; i < freeSlabs * c.num(); i++) {
            objs.add(c.kmemCacheAlloc(cpu0, Gfp.GFP_KERNEL));
        }
        objs.forEach(o -> c.kmemCacheFree(cpu0, o));
        assertThat(c.slabsQuietly(FREE)).hasSize(freeSlabs);
        return c;
    }

    @Test
    void reapingFreesHalfTheFreeSlabsOnceTheCacheHasNotGrownSinceTheLastLook() {
        long free0 = m.pageAlloc().nrFreePages();
        KmemCache<SlabObject> a = withFreeSlabs("a", 0, false, 0, 4);
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(free0 - 4);
        // DFLGS_GROWN: the first look only clears the flag.
        assertThat(slab.kmemCacheReap(cpu0, Gfp.GFP_KERNEL)).isZero();
        assertThat(a.slabsQuietly(FREE)).hasSize(4);
        // Then (4 + 1) / 2, (2 + 1) / 2, (1 + 1) / 2 slabs, and nothing.
        assertThat(slab.kmemCacheReap(cpu0, Gfp.GFP_KERNEL)).isEqualTo(2);
        assertThat(a.slabsQuietly(FREE)).hasSize(2);
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(free0 - 2);
        assertThat(slab.kmemCacheReap(cpu0, Gfp.GFP_KERNEL)).isEqualTo(1);
        assertThat(slab.kmemCacheReap(cpu0, Gfp.GFP_KERNEL)).isEqualTo(1);
        assertThat(slab.kmemCacheReap(cpu0, Gfp.GFP_KERNEL)).isZero();
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(free0);
        assertThat(slab.nrSlab()).isZero();
    }

    @Test
    void aConstructorWeighsAFreeSlabAtFourFifths() {
        KmemCache<SlabObject> plain = withFreeSlabs("plain", 0, false, 0, 3);
        KmemCache<SlabObject> ctor = withFreeSlabs("ctor", 0, true, 0, 3);
        slab.kmemCacheReap(cpu0, Gfp.GFP_KERNEL); // clears DFLGS_GROWN on both
        // plain: 3 pages; ctor: (3 * 4 + 1) / 5 = 2 pages. plain wins whatever the scan order.
        assertThat(slab.kmemCacheReap(cpu0, Gfp.GFP_KERNEL)).isEqualTo(2);
        assertThat(plain.slabsQuietly(FREE)).hasSize(1);
        assertThat(ctor.slabsQuietly(FREE)).hasSize(3);
    }

    @Test
    void multiPageSlabsReturnTheirPages() {
        KmemCache<SlabObject> c = withFreeSlabs("order1", 1, false, 0, 3);
        slab.kmemCacheReap(cpu0, Gfp.GFP_KERNEL);
        assertThat(slab.kmemCacheReap(cpu0, Gfp.GFP_KERNEL)).isEqualTo(4); // 2 slabs << 1
        assertThat(c.slabsQuietly(FREE)).hasSize(1);
    }

    @Test
    void aPerfectCacheEndsTheSearchAndAdvancesTheClock() {
        KmemCache<SlabObject> a = withFreeSlabs("a", 0, false, 0, 12);
        KmemCache<SlabObject> b = withFreeSlabs("b", 0, false, 0, 11);
        slab.kmemCacheReap(cpu0, Gfp.GFP_KERNEL); // clears DFLGS_GROWN on both; the clock is back at a
        // a has 12 >= REAP_PERFECT pages: reaped at once, the clock moves on to b.
        assertThat(slab.kmemCacheReap(cpu0, Gfp.GFP_KERNEL)).isEqualTo(6);
        assertThat(a.slabsQuietly(FREE)).hasSize(6);
        assertThat(b.slabsQuietly(FREE)).hasSize(11);
        // Now the clock starts at b, which is perfect too, though a has fewer left anyway.
        assertThat(slab.kmemCacheReap(cpu0, Gfp.GFP_KERNEL)).isEqualTo(6);
        assertThat(b.slabsQuietly(FREE)).hasSize(5);
        assertThat(a.slabsQuietly(FREE)).hasSize(6);
    }

    @Test
    void noReapCachesAreNeverReaped() {
        KmemCache<SlabObject> c = withFreeSlabs("noreap", 0, false, SlabFlags.SLAB_NO_REAP, 3);
        assertThat(slab.kmemCacheReap(cpu0, Gfp.GFP_KERNEL)).isZero();
        assertThat(slab.kmemCacheReap(cpu0, Gfp.GFP_KERNEL)).isZero();
        assertThat(c.slabsQuietly(FREE)).hasSize(3);
    }

    @Test
    void theReaperDrainsOnlyItsOwnCpusArray() {
        KmemCache<SlabObject> c = slab.kmemCacheCreate(cpu0, "cc", 100, 0, 0, null, 0);
        SlabObject o = c.kmemCacheAlloc(cpu0, Gfp.GFP_KERNEL);
        c.kmemCacheFree(cpu0, o);
        assertThat(c.cpuCache(0).availQuietly()).isEqualTo(39); // the whole slab sits in cpu0's array
        assertThat(c.slabsQuietly(FULL)).hasSize(1);
        assertThat(slab.kmemCacheReap(cpu1, Gfp.GFP_KERNEL)).isZero(); // DFLGS_GROWN
        assertThat(slab.kmemCacheReap(cpu1, Gfp.GFP_KERNEL)).isZero(); // cpu1's array is empty
        assertThat(c.cpuCache(0).availQuietly()).isEqualTo(39);
        assertThat(slab.kmemCacheReap(cpu0, Gfp.GFP_KERNEL)).isEqualTo(1);
        assertThat(c.cpuCache(0).availQuietly()).isZero();
        assertThat(c.nrSlabsQuietly()).isZero();
    }

    @Test
    void withoutGfpWaitTheReaperOnlyTriesTheSemaphore() {
        KmemCache<SlabObject> c = withFreeSlabs("try", 0, false, 0, 2);
        slab.kmemCacheReap(cpu0, Gfp.GFP_KERNEL);
        slab.cacheChainSem().spinLock(cpu1); // down(&cache_chain_sem) elsewhere
        assertThat(slab.kmemCacheReap(cpu0, Gfp.GFP_ATOMIC)).isZero();
        assertThat(c.slabsQuietly(FREE)).hasSize(2);
        slab.cacheChainSem().spinUnlock(cpu1);
        assertThat(slab.kmemCacheReap(cpu0, Gfp.GFP_ATOMIC)).isEqualTo(1);
    }

    @Test
    void directReclaimFromAGrowingCacheReapsAnotherCachesFreeSlabs() {
        Machine small = SlabTestSupport.machine(1, 64);
        small.zone(org.mmemu.core.page.ZoneType.NORMAL).overrideWatermarks(8, 8, 8);
        Cpu c0 = small.cpu(0);
        SlabAllocator sa = SlabAllocator.of(small);
        KmemCache<SlabObject> idle = sa.kmemCacheCreate(c0, "idle", 100, 0, 0, null, 0);
        idle.kmemTuneCpucache(c0, 0, 0);
        List<SlabObject> objs = new ArrayList<>();
        while (small.pageAlloc().nrFreePages() > 12) {
            objs.add(idle.kmemCacheAlloc(c0, Gfp.GFP_KERNEL));
        }
        objs.forEach(o -> idle.kmemCacheFree(c0, o));
        int idleSlabs = idle.slabsQuietly(FREE).size();
        KmemCache<SlabObject> grower = sa.kmemCacheCreate(c0, "grower", 100, 0, 0, null, 0);
        grower.kmemTuneCpucache(c0, 0, 0);
        List<int[]> calls = new ArrayList<>(); // {grower's growing, pages reaped}
        small.setReclaimHooks(new org.mmemu.core.page.ReclaimHooks() {
            @Override
            public void wakeupKswapd(Cpu cpu, org.mmemu.core.page.Zone classzone) {
            }

            @Override
            public int tryToFreePages(Cpu cpu, org.mmemu.core.page.Zone classzone, int gfpMask, int order) {
                // shrink_caches() of 2.5.31 calls kmem_cache_reap() first
                calls.add(new int[] {grower.growingQuietly(), sa.kmemCacheReap(cpu, gfpMask)});
                return calls.get(calls.size() - 1)[1];
            }
        });
        for (int i = 0; i < 10 * grower.num() && calls.isEmpty(); i++) {
            assertThat(grower.kmemCacheAlloc(c0, Gfp.GFP_KERNEL)).isNotNull();
        }
        // The first reap only cleared idle's DFLGS_GROWN; the retry reaped half its free slabs.
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).containsExactly(1, 0);
        assertThat(calls.get(1)).containsExactly(1, (idleSlabs + 1) / 2);
        assertThat(idle.slabsQuietly(FREE)).hasSize(idleSlabs - (idleSlabs + 1) / 2);
        assertThat(grower.growingQuietly()).isZero();
        small.detectors().checkQuiescent();
        assertThat(small.detectors().findings()).isEmpty();
    }

    @Test
    void reapingAnEmptyChainFreesNothing() {
        assertThat(slab.kmemCacheReap(cpu0, Gfp.GFP_KERNEL)).isZero();
        assertThat(slab.cacheChainSem().isLocked()).isFalse();
    }
}
