package org.mmemu.slab;

import org.mmemu.lru.protocol.LruSteps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mmemu.core.page.PageFlags.PG_active;
import static org.mmemu.core.page.PageFlags.PG_lru;
import static org.mmemu.core.page.PageFlags.PG_slab;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.ZoneType;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.ZoneLru;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.pagevec.Pagevec;
import org.mmemu.pagevec.Pagevecs;
import org.mmemu.slab.SlabAllocator.SlabPageVerdict;
import org.mmemu.slab.shrink.ShrinkerList;

/**
 * Slab pages on the LRU (slablru, docs/FIDELITY.md) with mm-lru's real protocols: where a slab's
 * page goes when the cache grows, how it comes back at {@code kmem_freepages()}, and what
 * {@link SlabAllocator#reclaimSlabPage} leaves for reclaim when it holds the isolation reference.
 */
class SlabOnLruTest {
    private static final Site SL_KEEP = Site.of("shrink_list", "list_add(&page->lru, &ret_pages)");
    private static final Site SL_DEL = Site.of("shrink_list", "list_del(&page->lru)");

    static List<String> protocols() {
        return ProtocolRegistry.onClassPath().names();
    }

    /** One CPU, a Normal zone of 128 pages, the LRU with {@code protocol}, watermarks 0. */
    static Machine machine(String protocol, SlabOptions opts) {
        LruProtocol p = ProtocolRegistry.onClassPath().byName(protocol);
        Machine m = new Machine(MachineConfig.of(1, 128).withBiasedCount(p.biasedCount()), StepGate.FREE);
        SlabTestSupport.lowerWatermarks(m);
        Lru.install(m, p);
        LruSlabPages.attach(m, opts);
        return m;
    }

    private static ZoneLru zoneLru(Machine m) {
        return Lru.of(m).zone(m.zone(ZoneType.NORMAL));
    }

    private static List<Page> inactive(Machine m) {
        List<Page> l = new ArrayList<>();
        ListHead head = zoneLru(m).inactiveList();
        for (ListHead e = head.next(); e != head; e = e.next()) {
            l.add((Page) e);
        }
        return l;
    }

    @ParameterizedTest
    @MethodSource("protocols")
    void aSlabPageLivesOnTheInactiveListAndIsReleasedThroughTheProtocol(String protocol) {
        Machine m = machine(protocol, SlabOptions.SLAB_ON_LRU);
        Cpu cpu = m.cpu(0);
        SlabAllocator sa = SlabAllocator.of(m);
        long free0 = m.pageAlloc().nrFreePages();
        KmemCache<SlabObject> c = sa.kmemCacheCreate(cpu, "lru0", 256, 0, 0, null, 0);
        c.kmemTuneCpucache(cpu, 0, 0);
        SlabObject o = c.kmemCacheAlloc(cpu, Gfp.GFP_KERNEL);
        Page page = o.slab().page();
        assertThat(page.hasFlag(PG_lru)).isTrue();
        assertThat(page.hasFlag(PG_slab)).isTrue();
        assertThat(page.hasFlag(PG_active)).isFalse();
        assertThat(page.count()).isEqualTo(1);
        assertThat(inactive(m)).containsExactly(page);
        assertThat(zoneLru(m).nrInactive()).isEqualTo(1);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();

        c.kmemCacheFree(cpu, o);
        assertThat(c.kmemCacheShrink(cpu)).isEqualTo(1); // kmem_freepages: no kernel BUG
        assertThat(page.hasFlag(PG_lru)).isFalse();
        assertThat(page.hasFlag(PG_slab)).isFalse();
        assertThat(inactive(m)).isEmpty();
        assertThat(zoneLru(m).nrInactive()).isZero();
        assertThat(m.detectors().isFree(page.pfn())).isTrue();
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(free0);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("protocols")
    void aMultiPageSlabPutsItsFirstPageOnTheLruAndGivesBackTheWholeBlock(String protocol) {
        Machine m = machine(protocol, SlabOptions.SLAB_ON_LRU);
        Cpu cpu = m.cpu(0);
        SlabAllocator sa = SlabAllocator.of(m);
        long free0 = m.pageAlloc().nrFreePages();
        KmemCache<SlabObject> c = sa.kmemCacheCreate(cpu, "lru2", 2048, 0, 2, null, 0);
        SlabObject o = c.kmemCacheAlloc(cpu, Gfp.GFP_KERNEL);
        Page first = o.slab().page();
        assertThat(inactive(m)).containsExactly(first);
        for (int i = 1; i < 4; i++) {
            Page tail = m.page(first.pfn() + i);
            assertThat(tail.hasFlag(PG_slab)).isTrue();
            assertThat(tail.hasFlag(PG_lru)).isFalse();
        }
        c.kmemCacheFree(cpu, o);
        assertThat(sa.kmemCacheDestroy(cpu, c)).isZero();
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(free0);
        for (int i = 0; i < 4; i++) {
            assertThat(m.detectors().isFree(first.pfn() + i)).isTrue();
        }
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("protocols")
    void withoutTheOptionNoSlabPageEverReachesTheLru(String protocol) {
        Machine m = machine(protocol, SlabOptions.MAINLINE);
        Cpu cpu = m.cpu(0);
        SlabAllocator sa = SlabAllocator.of(m);
        KmemCache<SlabObject> small = sa.kmemCacheCreate(cpu, "small", 64, 0, 0, null, 0);
        KmemCache<SlabObject> big = sa.kmemCacheCreate(cpu, "big", 2048, 0, 1, null, 0);
        List<SlabObject> objs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            objs.add(small.kmemCacheAlloc(cpu, Gfp.GFP_KERNEL));
            if (i % 4 == 0) {
                objs.add(big.kmemCacheAlloc(cpu, Gfp.GFP_KERNEL));
            }
        }
        assertThat(sa.nrSlab()).isGreaterThan(10);
        assertThat(inactive(m)).isEmpty();
        assertThat(zoneLru(m).nrActive() + zoneLru(m).nrInactive()).isZero();
        for (SlabObject o : objs) {
            ((KmemCache<SlabObject>) o.slab().cache()).kmemCacheFree(cpu, o);
        }
        assertThat(sa.kmemCacheDestroy(cpu, small)).isZero();
        assertThat(sa.kmemCacheDestroy(cpu, big)).isZero();
        assertThat(inactive(m)).isEmpty();
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    /** Reclaim's isolation of {@code page}, through the protocol, as shrink_cache() does it. */
    private static boolean isolate(Machine m, Cpu cpu, Page page, ListHead pageList) {
        ZoneLru zl = zoneLru(m);
        zl.lruLock().spinLockIrq(cpu);
        boolean got = Lru.of(m).protocol().isolateLruPage(cpu, zl, page, pageList, false);
        LruSteps.count(cpu, zl, false, got ? 1 : 0); // zone->nr_inactive -= nr_taken
        zl.lruLock().spinUnlockIrq(cpu);
        return got;
    }

    /** shrink_list()'s free_it: drop reclaim's reference with __pagevec_release_nonlru(). */
    private static void freeIt(Cpu cpu, Page page) {
        Pagevec pv = new Pagevec();
        pv.pagevecInit();
        pv.pagevecAdd(page);
        Pagevecs.__pagevecReleaseNonlru(cpu, pv);
    }

    @ParameterizedTest
    @MethodSource("protocols")
    void aFreeSlabFoundByReclaimIsFreedWhenReclaimDropsItsReference(String protocol) {
        Machine m = machine(protocol, SlabOptions.SLAB_ON_LRU);
        Cpu cpu = m.cpu(0);
        SlabAllocator sa = SlabAllocator.of(m);
        long free0 = m.pageAlloc().nrFreePages();
        KmemCache<SlabObject> c = sa.kmemCacheCreate(cpu, "rec", 256, 0, 0, null, 0);
        c.kmemTuneCpucache(cpu, 0, 0);
        SlabObject o = c.kmemCacheAlloc(cpu, Gfp.GFP_KERNEL);
        Page page = o.slab().page();
        c.kmemCacheFree(cpu, o);

        ListHead pageList = new ListHead();
        assertThat(isolate(m, cpu, page, pageList)).isTrue();
        page.listDel(cpu, SL_DEL);
        assertThat(page.count()).isEqualTo(2);
        assertThat(sa.reclaimSlabPage(cpu, page, Gfp.GFP_KERNEL)).isEqualTo(SlabPageVerdict.FREED);
        // the slab's reference went through the protocol; reclaim's is the last one
        assertThat(page.count()).isEqualTo(1);
        assertThat(page.hasFlag(PG_slab)).isFalse();
        assertThat(m.detectors().isFree(page.pfn())).isFalse();
        assertThat(SlabPageVerdict.FREED.freeIt()).isTrue();
        freeIt(cpu, page);
        assertThat(m.detectors().isFree(page.pfn())).isTrue();
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(free0);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("protocols")
    void aSlabDestroyedWhileReclaimHoldsItsPageIsNotASlabAnyMore(String protocol) {
        Machine m = machine(protocol, SlabOptions.SLAB_ON_LRU);
        Cpu cpu = m.cpu(0);
        SlabAllocator sa = SlabAllocator.of(m);
        long free0 = m.pageAlloc().nrFreePages();
        KmemCache<SlabObject> c = sa.kmemCacheCreate(cpu, "gone", 256, 0, 0, null, 0);
        c.kmemTuneCpucache(cpu, 0, 0);
        SlabObject o = c.kmemCacheAlloc(cpu, Gfp.GFP_KERNEL);
        Page page = o.slab().page();
        c.kmemCacheFree(cpu, o);
        ListHead pageList = new ListHead();
        assertThat(isolate(m, cpu, page, pageList)).isTrue();
        // the cache is shrunk while reclaim holds the page: the release finds it off the LRU
        assertThat(c.kmemCacheShrink(cpu)).isEqualTo(1);
        assertThat(page.count()).isEqualTo(1);
        assertThat(m.detectors().isFree(page.pfn())).isFalse();
        page.listDel(cpu, SL_DEL);
        SlabPageVerdict v = sa.reclaimSlabPage(cpu, page, Gfp.GFP_KERNEL);
        assertThat(v).isEqualTo(SlabPageVerdict.NOT_SLAB);
        assertThat(v.freeIt()).isTrue();
        freeIt(cpu, page);
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(free0);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("protocols")
    void aBusySlabGoesBackOnTheLruAndStaysReclaimable(String protocol) {
        Machine m = machine(protocol, SlabOptions.SLAB_ON_LRU);
        Cpu cpu = m.cpu(0);
        SlabAllocator sa = SlabAllocator.of(m);
        KmemCache<SlabObject> c = sa.kmemCacheCreate(cpu, "busy", 256, 0, 0, null, 0);
        c.kmemTuneCpucache(cpu, 0, 0);
        SlabObject o = c.kmemCacheAlloc(cpu, Gfp.GFP_KERNEL);
        Page page = o.slab().page();
        ListHead pageList = new ListHead();
        assertThat(isolate(m, cpu, page, pageList)).isTrue();
        page.listDel(cpu, SL_DEL);
        SlabPageVerdict v = sa.reclaimSlabPage(cpu, page, Gfp.GFP_KERNEL);
        assertThat(v).isEqualTo(SlabPageVerdict.BUSY);
        assertThat(v.freeIt()).isFalse();
        pageList.listAdd(cpu, SL_KEEP, page); // keep: back onto the private list for the put-back
        // keep: put back by the protocol, then the isolation reference dropped through a pagevec
        ZoneLru zl = zoneLru(m);
        zl.lruLock().spinLockIrq(cpu);
        Lru.of(m).protocol().putbackLruPage(cpu, zl, page);
        zl.lruLock().spinUnlockIrq(cpu);
        Pagevec pv = new Pagevec();
        pv.pagevecInit();
        pv.pagevecAdd(page);
        Pagevecs.pagevecRelease(cpu, pv);
        assertThat(page.hasFlag(PG_lru)).isTrue();
        assertThat(page.count()).isEqualTo(1);
        // later the object goes, the slab is shrunk, and the page leaves the LRU as it is freed
        c.kmemCacheFree(cpu, o);
        assertThat(c.kmemCacheShrink(cpu)).isEqualTo(1);
        assertThat(m.detectors().isFree(page.pfn())).isTrue();
        assertThat(inactive(m)).isEmpty();
        assertThat(zoneLru(m).nrActive() + zoneLru(m).nrInactive()).isZero();
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void aCacheGrowingInAnInterruptPutsItsPageOnTheLruWithIrqsStillOff() {
        Machine m = machine("mm1", SlabOptions.SLAB_ON_LRU);
        Cpu cpu = m.cpu(0);
        KmemCache<SlabObject> c = SlabAllocator.of(m).kmemCacheCreate(cpu, "atomic", 128, 0, 0, null, 0);
        SlabObject[] got = new SlabObject[1];
        boolean[] irqsOffInside = new boolean[1];
        cpu.runInterrupt(() -> {
            got[0] = c.kmemCacheAlloc(cpu, Gfp.GFP_ATOMIC);
            irqsOffInside[0] = cpu.irqsDisabled();
        });
        assertThat(got[0]).isNotNull();
        assertThat(inactive(m)).containsExactly(got[0].slab().page());
        assertThat(irqsOffInside[0]).as("the irqsave add did not turn interrupts on inside the handler").isTrue();
        assertThat(cpu.irqsDisabled()).isFalse();
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void shrinkSlabWeighsScanningAgainstTheLruSize() {
        Machine m = machine("mm1", SlabOptions.SLAB_ON_LRU);
        Cpu cpu = m.cpu(0);
        // 7 slab pages on the LRU, nothing else: nr_used_zone_pages() = 7
        SlabAllocator sa = SlabAllocator.of(m);
        KmemCache<SlabObject> c = sa.kmemCacheCreate(cpu, "lrusize", 2048, 0, 0, null, 0);
        c.kmemTuneCpucache(cpu, 0, 0);
        for (int i = 0; i < 14; i++) {
            c.kmemCacheAlloc(cpu, Gfp.GFP_KERNEL);
        }
        assertThat(LruSlabPages.nrUsedZonePages(m)).isEqualTo(7);
        List<Integer> calls = new ArrayList<>();
        ShrinkerList.of(m).setShrinker(cpu, 2, (cp, nr, gfp) -> {
            if (nr > 0) {
                calls.add(nr);
            }
            return 100;
        });
        // nr += 4 * 2 * 100 / (7 + 1) = 100 > SHRINK_BATCH: called with 100. With the stand-in
        // (every page not free, ~120 here) the credit would be 4*2*100/121 = 6, and no call.
        ShrinkerList.of(m).shrinkSlab(cpu, 4, Gfp.GFP_KERNEL);
        assertThat(calls).containsExactly(100);
    }
}
