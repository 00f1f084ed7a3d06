package org.mmemu.reclaim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmemu.core.page.PageFlags.PG_dirty;
import static org.mmemu.core.page.PageFlags.PG_writeback;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.ReclaimHooks;
import org.mmemu.core.page.VmStat.Item;
import org.mmemu.core.page.Zone;
import org.mmemu.lru.Lru;

/** Reclaim's behaviours, sequentially on one or two CPUs (StepGate.FREE, the test's thread). */
class ReclaimTest {

    private static long stat(Machine m, Item i) {
        return m.pageAlloc().vmstat().get(i);
    }

    /** Reads pages of {@code f} from {@code from} on until the zone's free count is below {@code below}. */
    private static long readUntilBelow(Machine m, Cpu cpu, AddressSpace f, long from, int below) {
        Filemap fm = Reclaim.of(m).filemap();
        Zone z = Machines.normal(m);
        long i = from;
        while (z.freePages() >= below) {
            assertThat(fm.read(cpu, f, i++)).isEqualTo(Filemap.Result.MISS);
        }
        return i;
    }

    @Test
    void kswapdBringsAZoneFromBelowPagesLowToPagesHigh() {
        Machine m = Machines.boot(2, 512, ReclaimConfig.defaults(), 16, 32, 64);
        Zone z = Machines.normal(m);
        Reclaim r = Reclaim.of(m);
        AddressSpace f = Reclaim.of(m).fileMapping("file");
        readUntilBelow(m, m.cpu(0), f, 0, z.pagesLow());

        assertThat(z.freePages()).isLessThan(z.pagesLow()).isGreaterThan(z.pagesMin());
        assertThat(z.needBalance()).isTrue();
        assertThat(stat(m, Item.kswapd_wakeup)).isEqualTo(1);
        assertThat(stat(m, Item.allocstall)).isZero();

        int balances = r.kswapd().kswapd(m.cpu(1), 10);

        assertThat(balances).isEqualTo(1);
        assertThat(z.freePages()).isGreaterThan(z.pagesHigh());
        assertThat(z.needBalance()).isFalse();
        assertThat(r.kswapd().sleeping()).isTrue();
        assertThat(stat(m, Item.pgsteal)).isGreaterThanOrEqualTo(z.pagesHigh() - z.pagesLow());
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void kswapdSleepsWithoutAWakeup() {
        Machine m = Machines.boot(1, 256, ReclaimConfig.defaults(), 8, 16, 32);
        Reclaim r = Reclaim.of(m);
        assertThat(r.kswapd().kswapd(m.cpu(0), 5)).isZero();
        assertThat(stat(m, Item.pgscan)).isZero();
        assertThat(r.kswapd().sleeping()).isTrue();
    }

    @Test
    void directReclaimLetsAnAllocationThatWouldFailSucceed() {
        Machine m = Machines.boot(1, 256, ReclaimConfig.defaults(), 8, 16, 32);
        Cpu cpu = m.cpu(0);
        Reclaim r = Reclaim.of(m);
        AddressSpace f = Reclaim.of(m).fileMapping("file");
        Filemap fm = Reclaim.of(m).filemap();
        // Without reclaim the zone runs dry: the read that needs one more page fails.
        m.setReclaimHooks(ReclaimHooks.NONE);
        long i = 0;
        while (fm.read(cpu, f, i) != Filemap.Result.NOMEM) {
            i++;
        }
        assertThat(m.pageAlloc().allocPage(cpu, Gfp.GFP_KERNEL)).isNull();
        long stalls = stat(m, Item.allocstall);

        // With direct reclaim the very same allocation succeeds.
        m.setReclaimHooks(r);
        Page p = m.pageAlloc().allocPage(cpu, Gfp.GFP_KERNEL);
        assertThat(p).isNotNull();
        assertThat(stat(m, Item.allocstall)).isEqualTo(stalls + 1);
        assertThat(stat(m, Item.pgsteal)).isGreaterThanOrEqualTo(1);
        assertThat(stat(m, Item.oom_kill)).isZero();
        m.pageAlloc().freePages(cpu, p, 0);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void aHotSetSurvivesAStreamingReadLargerThanMemory() {
        Machine m = Machines.boot(1, 1024, ReclaimConfig.defaults(), 8, 16, 32);
        Cpu cpu = m.cpu(0);
        AddressSpace hot = Reclaim.of(m).fileMapping("hot");
        AddressSpace stream = Reclaim.of(m).fileMapping("stream");
        Workloads.ReadStats st = new Workloads.ReadStats();
        int hotPages = 64;
        int rounds = 128;
        int chunk = 32; // 4096 stream pages: four times the zone
        Workloads.hotAndStreamingReads(m, cpu, hot, hotPages, stream, chunk, rounds, st);
        System.out.println("hot/stream: " + st + "; vmstat " + m.pageAlloc().vmstat().snapshot());

        assertThat(st.streamReads.get()).isEqualTo((long) rounds * chunk).isGreaterThan(4L * 1024 - 1);
        assertThat(st.nomem.get()).isZero();
        // Only the first round missed: the hot set was never evicted.
        assertThat(st.hotMisses.get()).isEqualTo(hotPages);
        assertThat(st.hotHits.get()).isEqualTo((long) hotPages * (rounds - 1));
        assertThat(hot.nrpages()).isEqualTo(hotPages);
        // The stream went through: most of it is gone.
        assertThat(stream.nrpages()).isLessThan(1024);
        assertThat(stream.pageQuietly(0)).isNull();
        assertThat(stat(m, Item.pgsteal)).isGreaterThan(3000);
        assertThat(stat(m, Item.pgrefill)).isGreaterThan(0);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void aSetReadOnlyOnceIsEvictedByTheSameStream() {
        // The other side: the same pages, read once, are just more stream.
        Machine m = Machines.boot(1, 1024, ReclaimConfig.defaults(), 8, 16, 32);
        Cpu cpu = m.cpu(0);
        AddressSpace cold = Reclaim.of(m).fileMapping("cold");
        AddressSpace stream = Reclaim.of(m).fileMapping("stream");
        Workloads.hotAndStreamingReads(m, cpu, cold, 64, stream, 32, 1, new Workloads.ReadStats());
        Workloads.hotAndStreamingReads(m, cpu, cold, 0, stream, 32, 127, new Workloads.ReadStats());
        assertThat(cold.nrpages()).isZero();
    }

    @Test
    void dirtyPagesAreWrittenBackBeforeTheyAreFreed() {
        Machine m = Machines.boot(1, 256, ReclaimConfig.defaults().withWritebackPasses(2), 8, 16, 32);
        Cpu cpu = m.cpu(0);
        Reclaim r = Reclaim.of(m);
        AddressSpace f = Reclaim.of(m).fileMapping("dirty");
        assertThat(Workloads.writes(m, cpu, f, 40)).isZero();
        List<Page> pages = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            pages.add(f.pageQuietly(i));
        }
        Zone z = Machines.normal(m);

        // Pass 1: every page is dirty, so each is sent to the disk and kept.
        r.vmscan().shrinkCache(cpu, 40, z, Gfp.GFP_KERNEL, 64);
        assertThat(stat(m, Item.pgsteal)).isZero();
        assertThat(stat(m, Item.pgpgout)).isEqualTo(40);
        assertThat(f.nrpages()).isEqualTo(40);
        assertThat(pages).allSatisfy(p -> {
            assertThat(p.hasFlag(PG_dirty)).isFalse();
            assertThat(p.hasFlag(PG_writeback)).isTrue();
        });
        // Pass 2: the writes are still in flight; under writeback means kept.
        r.vmscan().shrinkCache(cpu, 40, z, Gfp.GFP_KERNEL, 64);
        assertThat(stat(m, Item.pgsteal)).isZero();
        assertThat(r.writeback().inFlightQuietly()).isEqualTo(40);
        // Pass 3: the writes completed at its start; now the clean pages go.
        r.vmscan().shrinkCache(cpu, 40, z, Gfp.GFP_KERNEL, 64);
        assertThat(r.writeback().inFlightQuietly()).isZero();
        assertThat(stat(m, Item.pgsteal)).isEqualTo(40);
        assertThat(f.nrpages()).isZero();
        assertThat(pages).allSatisfy(p -> assertThat(m.detectors().isFree(p.pfn())).isTrue());
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void pagesWithExtraReferencesOrBusyBuffersAreKept() {
        Machine m = Machines.boot(1, 256, ReclaimConfig.defaults(), 8, 16, 32);
        Cpu cpu = m.cpu(0);
        Reclaim r = Reclaim.of(m);
        AddressSpace f = Reclaim.of(m).fileMapping("file");
        Filemap fm = Reclaim.of(m).filemap();
        for (int i = 0; i < 30; i++) {
            fm.read(cpu, f, i);
        }
        // Pages 0-4: someone holds an extra reference (count 2, the check wants pagecache + us).
        List<Page> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(f.findGetPage(cpu, i));
        }
        // Pages 5-9: busy buffers; 10-14: clean buffers, which are dropped and the page freed.
        for (int i = 5; i < 15; i++) {
            Page p = f.pageQuietly(i);
            r.buffers().attachBuffers(cpu, p, i < 10);
        }
        int left = r.vmscan().shrinkCache(cpu, 30, Machines.normal(m), Gfp.GFP_KERNEL, 64);

        assertThat(left).isEqualTo(10);
        assertThat(stat(m, Item.pgsteal)).isEqualTo(20);
        for (int i = 0; i < 30; i++) {
            assertThat(f.pageQuietly(i) != null).as("page %d cached", i).isEqualTo(i < 10);
        }
        Lru lru = Lru.of(m);
        assertThat(lru.zone(Machines.normal(m)).nrInactive()).isEqualTo(10);
        assertThat(lru.zone(Machines.normal(m)).inactiveList().size()).isEqualTo(10);
        assertThat(held).allSatisfy(p -> assertThat(p.count()).isEqualTo(2));
        for (Page p : held) {
            r.lruOps().pageCacheRelease(cpu, p);
        }
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void outOfMemoryIsReportedWhenNothingIsReclaimable() {
        Machine m = Machines.boot(1, 256, ReclaimConfig.defaults(), 8, 16, 32);
        Cpu cpu = m.cpu(0);
        Reclaim r = Reclaim.of(m);
        // Anonymous memory and no swap: nothing reclaim can free.
        AnonRegion region = Reclaim.of(m).anonRegion("anon", 400);
        int v = 0;
        while (v < region.size() && region.fault(cpu, v)) {
            v++;
        }
        assertThat(v).isLessThan(region.size());
        assertThat(stat(m, Item.oom_kill)).isGreaterThanOrEqualTo(1);
        assertThat(r.oom().reports()).isNotEmpty();
        assertThat(r.oom().reports().get(0).zone()).isEqualTo("Normal");
        assertThat(stat(m, Item.pgsteal)).isZero();
        assertThat(stat(m, Item.pgactivate)).isGreaterThan(0);
        region.unmap(cpu);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
        assertThat(Machines.normal(m).freePages()).isEqualTo(256);
    }

    @Test
    void withSwapTheSameAnonymousLoadIsSwappedOutInstead() {
        Machine m = Machines.boot(1, 256, ReclaimConfig.defaults().withSwapSlots(512), 8, 16, 32);
        Cpu cpu = m.cpu(0);
        Reclaim r = Reclaim.of(m);
        AnonRegion region = Reclaim.of(m).anonRegion("anon", 400);
        int failed = 0;
        for (int v = 0; v < region.size(); v++) {
            if (!region.fault(cpu, v)) {
                failed++;
            }
        }
        assertThat(failed).isZero();
        assertThat(stat(m, Item.oom_kill)).isZero();
        assertThat(region.swappedQuietly()).isGreaterThan(0);
        assertThat(region.residentQuietly() + region.swappedQuietly()).isEqualTo(400);
        assertThat(stat(m, Item.pgpgout)).isGreaterThanOrEqualTo(region.swappedQuietly());
        region.unmap(cpu);
        // Swap-cache pages left behind are reclaimable; everything comes back.
        for (int i = 0; i < 10 && Machines.normal(m).freePages() < 256; i++) {
            r.vmscan().shrinkCache(cpu, 256, Machines.normal(m), Gfp.GFP_KERNEL, 512);
        }
        assertThat(Machines.normal(m).freePages()).isEqualTo(256);
        assertThat(r.swap().nrSwapPages()).isEqualTo(512);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void truncateFreesPagesAndLeavesBusyBuffersToReclaim() {
        Machine m = Machines.boot(1, 256, ReclaimConfig.defaults(), 8, 16, 32);
        Cpu cpu = m.cpu(0);
        Reclaim r = Reclaim.of(m);
        AddressSpace f = Reclaim.of(m).fileMapping("file");
        Filemap fm = Reclaim.of(m).filemap();
        for (int i = 0; i < 20; i++) {
            fm.read(cpu, f, i);
        }
        Page busy = f.pageQuietly(3);
        r.buffers().attachBuffers(cpu, busy, true);
        r.lruOps().lruAddDrain(cpu); // the last reads' pages are still in lru_add_pvecs, referenced
        long free0 = Machines.normal(m).freePages();
        Workloads.truncate(cpu, f);
        assertThat(f.nrpages()).isZero();
        // 19 pages freed at once; the one with busy buffers stays, without a mapping, on the LRU.
        assertThat(Machines.normal(m).freePages()).isEqualTo(free0 + 19);
        assertThat(busy.mappingQuietly()).isNull();
        assertThat(busy.count()).isEqualTo(1);
        // Once its buffers are clean, reclaim frees it by the "!mapping && count == 1" path.
        r.buffers().cleanBuffers(cpu, busy);
        r.vmscan().shrinkCache(cpu, 32, Machines.normal(m), Gfp.GFP_KERNEL, 64);
        assertThat(m.detectors().isFree(busy.pfn())).isTrue();
        assertThat(stat(m, Item.pgsteal)).isEqualTo(1);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void mopUpFreesZeroRefPagesOnTheLruAndLeavesNoLeak() {
        Machine m = Machines.boot(1, 256, ReclaimConfig.defaults().withMopUp(true), 8, 16, 32);
        Cpu cpu = m.cpu(0);
        Reclaim r = Reclaim.of(m);
        AddressSpace f = Reclaim.of(m).fileMapping("file");
        Filemap fm = Reclaim.of(m).filemap();
        for (int i = 0; i < 20; i++) {
            fm.read(cpu, f, i);
        }
        // Orphan five pages as count-one's racing puts would: out of the cache, count 0, on the LRU.
        List<Page> orphans = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Page p = f.pageQuietly(i);
            f.removeFromPageCache(cpu, p);
            p.putPageNoTest(cpu, org.mmemu.core.emu.Site.of("test", "racing put"));
            orphans.add(p);
        }
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).filteredOn(x -> x.kind() == FindingKind.LEAK).hasSize(5);

        r.vmscan().shrinkCache(cpu, 5, Machines.normal(m), Gfp.GFP_KERNEL, 64);
        assertThat(stat(m, Item.lru_mopup)).isEqualTo(5);
        assertThat(orphans).allSatisfy(p -> assertThat(m.detectors().isFree(p.pfn())).isTrue());
        int before = m.detectors().findings().size();
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).hasSize(before);
    }

    @Test
    void theLeakCheckReportsExactlyTheZeroRefPagesOffTheLru() {
        Machine m = Machines.boot(1, 64, ReclaimConfig.defaults(), 4, 8, 12);
        Cpu cpu = m.cpu(0);
        Page a = m.pageAlloc().allocPage(cpu, Gfp.GFP_KERNEL);
        Page b = m.pageAlloc().allocPage(cpu, Gfp.GFP_KERNEL);
        a.setCountQuietly(0); // lost its last reference without being freed
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).hasSize(1).allSatisfy(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.LEAK);
            assertThat(f.pfn()).isEqualTo(a.pfn());
        });
        m.pageAlloc().freePagesOk(cpu, a, 0, org.mmemu.core.emu.Site.of("test", "free"));
        m.pageAlloc().freePages(cpu, b, 0);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).hasSize(1);
    }

    @Test
    void aMappedPageIsActivatedWhileYoungThenUnmappedAndFreed() {
        Machine m = Machines.boot(1, 256, ReclaimConfig.defaults(), 8, 16, 32);
        Cpu cpu = m.cpu(0);
        Reclaim r = Reclaim.of(m);
        Zone z = Machines.normal(m);
        AddressSpace f = Reclaim.of(m).fileMapping("mapped");
        Reclaim.of(m).filemap().read(cpu, f, 0);
        r.lruOps().lruAddDrain(cpu);
        Page p = f.pageQuietly(0);
        r.rmap().mapFilePage(cpu, p);
        assertThat(p.count()).isEqualTo(2); // the cache's and the pte's

        // Young and mapped: shrink_list activates it.
        r.vmscan().shrinkCache(cpu, 1, z, Gfp.GFP_KERNEL, 1);
        assertThat(p.hasFlag(org.mmemu.core.page.PageFlags.PG_active)).isTrue();
        assertThat(stat(m, Item.pgactivate)).isEqualTo(1);
        // Not touched since: refill_inactive_zone sends it back to the inactive list...
        r.vmscan().refillInactiveZone(cpu, z, 32);
        assertThat(p.hasFlag(org.mmemu.core.page.PageFlags.PG_active)).isFalse();
        assertThat(stat(m, Item.pgdeactivate)).isEqualTo(1);
        // ... and the next pass unmaps it (the pte's reference goes) and frees it.
        r.vmscan().shrinkCache(cpu, 1, z, Gfp.GFP_KERNEL, 1);
        assertThat(r.rmap().mapcountQuietly(p)).isZero();
        assertThat(m.detectors().isFree(p.pfn())).isTrue();
        assertThat(stat(m, Item.pgsteal)).isEqualTo(1);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void aTouchBetweenPassesKeepsAMappedPageActive() {
        Machine m = Machines.boot(1, 256, ReclaimConfig.defaults(), 8, 16, 32);
        Cpu cpu = m.cpu(0);
        Reclaim r = Reclaim.of(m);
        Zone z = Machines.normal(m);
        AddressSpace f = Reclaim.of(m).fileMapping("mapped");
        Reclaim.of(m).filemap().read(cpu, f, 0);
        r.lruOps().lruAddDrain(cpu);
        Page p = f.pageQuietly(0);
        r.rmap().mapFilePage(cpu, p);
        r.vmscan().shrinkCache(cpu, 1, z, Gfp.GFP_KERNEL, 1);
        r.rmap().touch(cpu, p);
        r.vmscan().refillInactiveZone(cpu, z, 32);
        assertThat(p.hasFlag(org.mmemu.core.page.PageFlags.PG_active)).isTrue();
        assertThat(stat(m, Item.pgdeactivate)).isZero();
        r.rmap().unmapFilePage(cpu, p);
        assertThat(p.count()).isEqualTo(1);
    }

    @Test
    void shrinkZoneReapsTheSlabFirstAndSkipsTheLruWhenThatIsEnough() {
        // mm1's shrink_zone(zone, priority, gfp_mask, nr_pages): priority 1 scans the whole list
        Machine m = Machines.boot(1, 256, ReclaimConfig.defaults(), 8, 16, 32);
        Cpu cpu = m.cpu(0);
        Reclaim r = Reclaim.of(m);
        AddressSpace f = Reclaim.of(m).fileMapping("file");
        for (int i = 0; i < 40; i++) {
            Reclaim.of(m).filemap().read(cpu, f, i);
        }
        int[] calls = {0};
        r.setSlabReclaim((c, gfp) -> {
            calls[0]++;
            return 32;
        });
        assertThat(r.vmscan().shrinkZone(cpu, Machines.normal(m), 1, Gfp.GFP_KERNEL, 32)).isZero();
        assertThat(calls[0]).isEqualTo(1);
        assertThat(stat(m, Item.pgscan)).isZero();

        r.setSlabReclaim((c, gfp) -> {
            calls[0]++;
            return 2;
        });
        r.vmscan().shrinkZone(cpu, Machines.normal(m), 1, Gfp.GFP_KERNEL, 32);
        assertThat(calls[0]).isEqualTo(2);
        assertThat(stat(m, Item.pgscan)).isPositive();
    }
}
