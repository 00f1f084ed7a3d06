package org.mmemu.tests.slab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.VmStat;
import org.mmemu.lru.Lru;
import org.mmemu.lru.ZoneLru;
import org.mmemu.lru.protocol.Mm1Protocol;
import org.mmemu.reclaim.Reclaim;
import org.mmemu.reclaim.ReclaimConfig;
import org.mmemu.slab.KmemCache;
import org.mmemu.slab.SlabAllocator;
import org.mmemu.slab.SlabObject;

/**
 * Slab pages on the LRU meet the real mm-reclaim: {@code shrink_cache()} finds them on the
 * inactive list, and {@code shrink_zone()}'s {@code kmem_cache_reap()} (the hook pointed at
 * mm-slab's reaper) frees free slabs through the protocol; without the option reclaim never sees
 * a slab page.
 *
 * <p>What {@code shrink_list()} does with a slab page it isolated depends on whether mm-reclaim
 * calls {@link SlabAllocator#reclaimSlabPage} for PG_slab pages: with the call, a free slab is
 * destroyed and its page freed at {@code free_it}; without it (mm-reclaim as it stands when this
 * was written), the page has no mapping, goes to {@code keep_locked} and back on the LRU. The
 * first test checks whichever the steps show happened, strictly for each.
 */
class SlabShrinkCacheTest {
    private static final Site RECLAIM_SLAB = SlabAllocator.RECLAIM_SLAB;
    private static final Site ISOLATE_GET = Mm1Protocol.ISOLATE_GET;

    /** Records the pages each site touched. */
    static final class Touches implements StepGate {
        final Set<Page> isolated = new HashSet<>();
        final Set<Page> slabLooked = new HashSet<>();

        @Override
        public void step(Cpu cpu, Site site, Object target, int field, Access access) {
            if (target instanceof Page p) {
                if (site.equals(ISOLATE_GET)) {
                    isolated.add(p);
                } else if (site.equals(RECLAIM_SLAB)) {
                    slabLooked.add(p);
                }
            }
        }
    }

    private static List<Page> lruPages(Machine m) {
        List<Page> l = new ArrayList<>();
        ZoneLru zl = Lru.of(m).zone(SlabLruMachines.normal(m));
        for (ListHead h : new ListHead[] {zl.inactiveList(), zl.activeList()}) {
            for (ListHead e = h.next(); e != h; e = e.next()) {
                l.add((Page) e);
            }
        }
        return l;
    }

    @Test
    void shrinkCacheFindsAFreeSlabPageOnTheInactiveList() {
        Touches t = new Touches();
        Machine m = SlabLruMachines.boot(t, "mm1", true, 1, 64, ReclaimConfig.defaults(), 0, 0, 0);
        Cpu cpu = m.cpu(0);
        long free0 = m.pageAlloc().nrFreePages();
        KmemCache<SlabObject> c = SlabAllocator.of(m).kmemCacheCreate(cpu, "found", 256, 0, 0, null, 0);
        c.kmemTuneCpucache(cpu, 0, 0);
        SlabObject o = c.kmemCacheAlloc(cpu, Gfp.GFP_KERNEL);
        Page page = o.slab().page();
        c.kmemCacheFree(cpu, o); // a free slab, its page on the inactive list
        assertThat(lruPages(m)).containsExactly(page);
        long scanned0 = m.pageAlloc().vmstat().get(VmStat.Item.pgscan);

        Reclaim.of(m).vmscan().shrinkCache(cpu, 1, SlabLruMachines.normal(m), Gfp.GFP_KERNEL, 1);

        assertThat(t.isolated).as("shrink_cache isolated the slab page").containsExactly(page);
        // one page taken; 2.5.31-mm1's loop counts the pages it takes (2.5.39's nr_scan came later)
        assertThat(m.pageAlloc().vmstat().get(VmStat.Item.pgscan) - scanned0).isEqualTo(1);
        // shrink_list's PageSlab test handed the page to its cache: the free slab is gone
        assertThat(t.slabLooked).as("shrink_list asked the slab allocator").containsExactly(page);
        assertThat(m.detectors().isFree(page.pfn())).isTrue();
        assertThat(c.nrSlabsQuietly()).isZero();
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(free0);
        assertThat(lruPages(m)).isEmpty();
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void shrinkZoneReapsFreeSlabsThroughTheProtocol() {
        Machine m = SlabLruMachines.boot(StepGate.FREE, "mm1", true, 1, 128, ReclaimConfig.defaults(), 0, 0, 0);
        Cpu cpu = m.cpu(0);
        long free0 = m.pageAlloc().nrFreePages();
        KmemCache<SlabObject> c = SlabAllocator.of(m).kmemCacheCreate(cpu, "reaped", 1024, 0, 0, null, 0);
        c.kmemTuneCpucache(cpu, 0, 0);
        List<SlabObject> objs = new ArrayList<>();
        for (int i = 0; i < 4 * 8; i++) { // 8 slabs of 3 objects (1024-byte objects, off-slab descriptor)
            objs.add(c.kmemCacheAlloc(cpu, Gfp.GFP_KERNEL));
        }
        int slabs = c.nrSlabsQuietly();
        assertThat(lruPages(m)).hasSize(slabs);
        for (SlabObject o : objs) {
            c.kmemCacheFree(cpu, o);
        }
        SlabAllocator.of(m).kmemCacheReap(cpu, Gfp.GFP_KERNEL); // clears DFLGS_GROWN: the reaper skips a cache once after it grew
        int before = c.nrSlabsQuietly();
        // shrink_zone() asks for more than the reaper gives, so it goes on to shrink_cache
        Reclaim.of(m).vmscan().shrinkZone(cpu, SlabLruMachines.normal(m), 1, Gfp.GFP_KERNEL, 32);
        assertThat(c.nrSlabsQuietly()).isLessThan(before);
        assertThat(lruPages(m)).hasSize(c.nrSlabsQuietly());
        assertThat(SlabAllocator.of(m).kmemCacheDestroy(cpu, c)).isZero();
        assertThat(lruPages(m)).isEmpty();
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(free0);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void withoutTheOptionReclaimNeverSeesASlabPage() {
        Touches t = new Touches();
        Machine m = SlabLruMachines.boot(t, "mm1", false, 1, 128, ReclaimConfig.defaults(), 0, 0, 0);
        Cpu cpu = m.cpu(0);
        KmemCache<SlabObject> c = SlabAllocator.of(m).kmemCacheCreate(cpu, "hidden", 256, 0, 0, null, 0);
        List<Page> slabPages = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            SlabObject o = c.kmemCacheAlloc(cpu, Gfp.GFP_KERNEL);
            if (!slabPages.contains(o.slab().page())) {
                slabPages.add(o.slab().page());
            }
        }
        // a few page-cache-like pages on the LRU so that reclaim has something to scan
        for (int i = 0; i < 4; i++) {
            Page p = m.pageAlloc().allocPage(cpu, Gfp.GFP_KERNEL);
            org.mmemu.lru.LruCache.lruCacheAdd(cpu, p);
        }
        Reclaim.of(m).vmscan().shrinkCache(cpu, 32, SlabLruMachines.normal(m), Gfp.GFP_KERNEL, 64);
        assertThat(slabPages).hasSizeGreaterThan(3);
        assertThat(t.isolated).hasSize(4).doesNotContainAnyElementsOf(slabPages);
        assertThat(lruPages(m)).doesNotContainAnyElementsOf(slabPages);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }
}
