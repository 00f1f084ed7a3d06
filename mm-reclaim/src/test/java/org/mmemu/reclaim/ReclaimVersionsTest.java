package org.mmemu.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mmemu.core.KernelProfile;
import org.mmemu.core.Machine;
import org.mmemu.core.ReclaimShape;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.VmStat.Item;
import org.mmemu.core.page.Zone;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.protocol.ForwardingLruProtocol;
import org.mmemu.lru.protocol.ProtocolRegistry;

/**
 * Issue 23, the reclaim side: each mirrored reclaim function runs at the version its kernel
 * profile names. Each test sets a machine up so that the versions' texts give different results
 * and checks each version against what that version's mm/vmscan.c does;
 * each failed on the code before the issue, which ran one shape for every version.
 */
class ReclaimVersionsTest {

    /**
     * A shipped protocol's code under another version's profile: how a kernel without a shipped
     * protocol of its own (2.5.39, 2.6.0, 2.6.6) runs its reclaim.
     */
    static LruProtocol at(String protocol, String version) {
        return new ForwardingLruProtocol(ProtocolRegistry.onClassPath().byName(protocol)) {
            @Override
            public String name() {
                return protocol + "@" + version;
            }

            @Override
            public String origin() {
                return "test";
            }

            @Override
            public String version() {
                return version;
            }

            @Override
            public KernelProfile profile() {
                return KernelProfile.of(version);
            }
        };
    }

    static Machine boot(String protocol, ReclaimConfig config, int high) {
        return Machines.boot(StepGate.FREE, 1, 256, m -> ProtocolRegistry.onClassPath().byName(protocol), config, 8, 16, high);
    }

    static Machine bootAt(String version, ReclaimConfig config, int high) {
        return Machines.boot(StepGate.FREE, 1, 256, m -> at("2.5.33", version), config, 8, 16, high);
    }

    static long stat(Machine m, Item i) {
        return m.pageAlloc().vmstat().get(i);
    }

    /** {@code pages} file pages read and drained onto the inactive list; {@code pin} keeps an extra reference on each. */
    static AddressSpace fill(Machine m, int pages, boolean pin) {
        Cpu cpu = m.cpu(0);
        Reclaim r = Reclaim.of(m);
        AddressSpace f = r.fileMapping("file");
        for (int i = 0; i < pages; i++) {
            r.filemap().read(cpu, f, i);
            if (pin) {
                f.findGetPage(cpu, i);
            }
        }
        r.lruOps().lruAddDrain(cpu);
        return f;
    }

    @Test
    void theShapesFollowTheStoredText() {
        assertThat(ReclaimShape.of("2.5.31").loops()).isEqualTo(ReclaimShape.Loops.V2_5_31);
        assertThat(ReclaimShape.of("2.5.31-bk").loops()).isEqualTo(ReclaimShape.Loops.V2_5_31);
        assertThat(ReclaimShape.of("2.5.31-mm1").loops()).isEqualTo(ReclaimShape.Loops.V2_5_31);
        assertThat(ReclaimShape.of("2.5.33").loops()).isEqualTo(ReclaimShape.Loops.V2_5_31);
        assertThat(ReclaimShape.of("2.5.39").loops()).isEqualTo(ReclaimShape.Loops.V2_5_39);
        assertThat(ReclaimShape.of("2.6.0").loops()).isEqualTo(ReclaimShape.Loops.V2_6_0);
        assertThat(ReclaimShape.of("2.6.6").loops()).isEqualTo(ReclaimShape.Loops.V2_6_6);
        assertThat(ReclaimShape.of("2.6.7").loops()).isEqualTo(ReclaimShape.Loops.V2_6_7);
        assertThat(ReclaimShape.of("2.6.16").loops()).isEqualTo(ReclaimShape.Loops.V2_6_7); // nothing newer stored
        assertThat(ReclaimShape.of("2.5.33").defPriority()).isEqualTo(6);
        assertThat(ReclaimShape.of("2.5.39").defPriority()).isEqualTo(12);
        assertThat(ReclaimShape.of("2.5.33").rereadMappingAfterAddToSwap()).isFalse();
        assertThat(ReclaimShape.of("2.5.37").rereadMappingAfterAddToSwap()).isTrue();
        assertThat(ReclaimShape.of("2.5.33").kmemCacheReap()).isTrue();
        assertThat(ReclaimShape.of("2.5.39").kmemCacheReap()).isFalse();
        assertThat(KernelProfile.V2_6_7.reclaim()).isEqualTo(ReclaimShape.of("2.6.7"));
        assertThat(ReclaimShape.of("2.5.39").refillCountsPerPagevec()).isFalse();
        assertThat(ReclaimShape.of("2.6.0").refillCountsPerPagevec()).isTrue();
        assertThat(ReclaimShape.of("2.5.33").shrinkCacheNrTaken()).isFalse();
        assertThat(ReclaimShape.of("2.5.39").shrinkCacheNrTaken()).isTrue();
    }

    // ---- item 1: try_to_free_pages / shrink_caches / shrink_zone ----------------------------

    /**
     * 2.5.33 l.436-447: {@code out_of_memory()} after the last priority whatever the caller;
     * 2.5.39 l.537/548: a {@code !__GFP_FS} caller breaks out and does not OOM. Before the issue
     * every version ran 2.5.39's.
     */
    @Test
    void aGfpNofsCallerOomsIn2533ButNotIn2539() {
        for (String v : new String[] {"2.5.33", "2.5.39"}) {
            Machine m = bootAt(v, ReclaimConfig.defaults(), 250);
            fill(m, 64, true); // nothing reclaimable
            int ret = Reclaim.of(m).vmscan().tryToFreePages(m.cpu(0), Machines.normal(m), Gfp.GFP_NOFS, 0);
            assertThat(ret).isZero();
            assertThat(stat(m, Item.oom_kill)).as(v).isEqualTo(v.equals("2.5.33") ? 1 : 0);
        }
    }

    /**
     * 2.5.33 l.439 (and 2.5.39 l.530): {@code KERNEL_STAT_INC(pageoutrun)} in try_to_free_pages,
     * so direct reclaim counts it too; 2.6.7 l.~834: in balance_pgdat() only. Before the issue
     * kswapd counted it per round for every version.
     */
    @Test
    void pageoutrunIsCountedByTryToFreePagesBefore26AndByBalancePgdatIn26() {
        Machine m = boot("2.5.33", ReclaimConfig.defaults(), 250);
        fill(m, 64, false);
        Reclaim.of(m).vmscan().tryToFreePages(m.cpu(0), Machines.normal(m), Gfp.GFP_KERNEL, 0);
        assertThat(stat(m, Item.pageoutrun)).isEqualTo(1);

        Machine t = boot("testone", ReclaimConfig.defaults(), 250);
        fill(t, 64, false);
        Reclaim.of(t).vmscan().tryToFreePages(t.cpu(0), Machines.normal(t), Gfp.GFP_KERNEL, 0);
        assertThat(stat(t, Item.pageoutrun)).isZero();
        Reclaim.of(t).vmscan().balancePgdat(t.cpu(0));
        assertThat(stat(t, Item.pageoutrun)).isEqualTo(1);
    }

    /**
     * 2.5.33 l.408: {@code max_scan = zone->nr_inactive / priority}, no floor, computed in
     * shrink_zone: 40 pinned pages at priority 6 give max_scan 6, one batch of 32. 2.5.39
     * l.486-487: {@code nr_inactive >> priority} floored at {@code to_reclaim * 2} = 64: two
     * batches. Before the issue 2.5.33 had the floor (and the division): 64 scanned.
     */
    @Test
    void maxScanHasNoFloorIn2533() {
        long[] scanned = new long[2];
        String[] versions = {"2.5.33", "2.5.39"};
        for (int i = 0; i < 2; i++) {
            Machine m = bootAt(versions[i], ReclaimConfig.defaults(), 250);
            fill(m, 40, true);
            Reclaim.of(m).vmscan().shrinkCaches(m.cpu(0), Machines.normal(m), 6, new int[1], Gfp.GFP_KERNEL, 32);
            scanned[i] = stat(m, Item.pgscan);
        }
        assertThat(scanned[0]).isEqualTo(32);
        assertThat(scanned[1]).isGreaterThan(32);
    }

    @Test
    void defPriorityIs6Before2539And12From() {
        assertThat(Reclaim.of(boot("2.5.33", ReclaimConfig.defaults(), 32)).vmscan().defPriority()).isEqualTo(6);
        assertThat(Reclaim.of(boot("mm1", ReclaimConfig.defaults(), 32)).vmscan().defPriority()).isEqualTo(6);
        assertThat(Reclaim.of(boot("testone", ReclaimConfig.defaults(), 32)).vmscan().defPriority()).isEqualTo(12);
        assertThat(Reclaim.of(bootAt("2.5.39", ReclaimConfig.defaults(), 32)).vmscan().defPriority()).isEqualTo(12);
    }

    // ---- item 2: shrink_list's mapping after add_to_swap -------------------------------------

    /**
     * 2.5.33 l.113-123: no {@code mapping = page->mapping} after add_to_swap, so the page just
     * given swap space skips try_to_unmap ({@code pte.chain && mapping}) and is kept, still
     * mapped, in that pass. Changeset 47 (2.5.39 l.134) re-reads it: the same pass unmaps it.
     */
    @Test
    void aNewlySwapAllocatedAnonymousPageIsKeptMappedIn2533AndUnmappedIn2539() {
        for (String v : new String[] {"2.5.33", "2.5.39"}) {
            Machine m = bootAt(v, ReclaimConfig.defaults().withSwapSlots(16), 32);
            Cpu cpu = m.cpu(0);
            Reclaim r = Reclaim.of(m);
            Zone z = Machines.normal(m);
            AnonRegion region = r.anonRegion("anon", 1);
            assertThat(region.fault(cpu, 0)).isTrue();
            r.lruOps().lruAddDrain(cpu);
            // young: the first pass activates it; refill clears that and deactivates it
            for (int pass = 0; pass < 4 && r.swap().nrSwapPages() == 16; pass++) {
                r.vmscan().refillInactiveZone(cpu, z, 32);
                r.vmscan().shrinkCache(cpu, 1, z, Gfp.GFP_KERNEL, 1);
            }
            assertThat(r.swap().nrSwapPages()).as(v).isEqualTo(15); // add_to_swap ran in the last pass
            if (v.equals("2.5.33")) {
                assertThat(region.residentQuietly()).isEqualTo(1);
            } else {
                assertThat(region.residentQuietly()).isZero();
                assertThat(region.swappedQuietly()).isEqualTo(1);
            }
        }
    }

    // ---- item 3: testone's (2.6.7) shrink_cache loops ----------------------------------------

    /**
     * 2.6.7 l.439-444: {@code while (max_scan > 0)} in batches of SWAP_CLUSTER_MAX, whatever
     * {@code nr_pages}: 100 clean pages, max_scan 96, asked for 8: three batches of 33
     * ({@code nr_scan} is one past), 96 freed. 2.5.33 l.243-268: {@code while (max_scan > 0 &&
     * nr_pages > 0)} with {@code nr_to_process = max(nr_pages, 32)}: one batch, 32 freed.
     * Before the issue testone ran 2.5.39's loop: 32.
     */
    @Test
    void testoneShrinksBatchesUntilMaxScanIsSpent() {
        for (String p : new String[] {"2.5.33", "testone"}) {
            Machine m = boot(p, ReclaimConfig.defaults(), 250);
            fill(m, 100, false);
            int freed = Reclaim.of(m).vmscan().shrinkCacheFreed(m.cpu(0), 8, Machines.normal(m), Gfp.GFP_KERNEL, 96);
            assertThat(freed).as(p).isEqualTo(p.equals("testone") ? 96 : 32);
        }
    }

    /** 2.6.0 l.406: {@code while (max_scan > 0 && ret < nr_pages)}: stops once nr_pages are freed. */
    @Test
    void v260StopsOnceNrPagesAreFreed() {
        Machine m = bootAt("2.6.0", ReclaimConfig.defaults(), 250);
        fill(m, 100, false);
        int freed = Reclaim.of(m).vmscan().shrinkCacheFreed(m.cpu(0), 8, Machines.normal(m), Gfp.GFP_KERNEL, 96);
        assertThat(freed).isEqualTo(32);
    }

    // ---- item 5: page_mapping_inuse -----------------------------------------------------------

    /**
     * 2.5.33 l.66-75: a referenced page of a file someone has mmap'd ({@code i_mmap} not
     * empty) is in use: activated, although no pte maps it. Before the issue only the pte test
     * ran, and the page was freed.
     */
    @Test
    void aReferencedPageOfAnMmappedFileIsActivated() {
        for (boolean mmapped : new boolean[] {false, true}) {
            Machine m = boot("2.5.33", ReclaimConfig.defaults(), 250);
            Cpu cpu = m.cpu(0);
            AddressSpace f = fill(m, 1, false);
            if (mmapped) {
                f.mmap(cpu, true);
            }
            f.pageQuietly(0).setFlagQuietly(org.mmemu.core.page.PageFlags.PG_referenced, true);
            Reclaim.of(m).vmscan().shrinkCache(cpu, 1, Machines.normal(m), Gfp.GFP_KERNEL, 1);
            assertThat(stat(m, Item.pgactivate)).as("mmapped " + mmapped).isEqualTo(mmapped ? 1 : 0);
            assertThat(stat(m, Item.pgsteal)).as("mmapped " + mmapped).isEqualTo(mmapped ? 0 : 1);
        }
    }

    /** 2.6.0 l.158-170: a referenced swap-cache page is in use (2.5.33 has no such test). */
    @Test
    void aReferencedSwapCachePageIsInUseFrom260() {
        for (String v : new String[] {"2.5.33", "2.6.0"}) {
            Machine m = bootAt(v, ReclaimConfig.defaults(), 250);
            Cpu cpu = m.cpu(0);
            Reclaim r = Reclaim.of(m);
            AddressSpace f = fill(m, 1, false);
            org.mmemu.core.page.Page p = f.pageQuietly(0);
            assertThat(r.vmscan().pageMappingInuse(cpu, p)).as(v).isFalse(); // page cache, not mmap'd
            Object cache = p.mappingQuietly();
            p.setMappingQuietly(r.swap().swapperSpace()); // PageSwapCache: mapping == &swapper_space
            assertThat(r.vmscan().pageMappingInuse(cpu, p)).as(v).isEqualTo(v.equals("2.6.0"));
            p.setMappingQuietly(cache);
        }
    }

    // ---- refill_inactive_zone's no-swap test ---------------------------------------------------

    /**
     * 2.5.39 l.397 (changeset 51): with no swap at all, an anonymous page (no mapping, no
     * buffers) that is not referenced stays on the active list; 2.5.33 l.~340-350 deactivates
     * it. Before the issue every version deactivated it.
     */
    @Test
    void withoutSwapAnAnonymousPageStaysActiveFrom2539() {
        for (String v : new String[] {"2.5.33", "2.5.39"}) {
            Machine m = bootAt(v, ReclaimConfig.defaults(), 32);
            Cpu cpu = m.cpu(0);
            Reclaim r = Reclaim.of(m);
            Zone z = Machines.normal(m);
            AnonRegion region = r.anonRegion("anon", 1);
            assertThat(region.fault(cpu, 0)).isTrue();
            r.lruOps().lruAddDrain(cpu);
            r.vmscan().shrinkCache(cpu, 1, z, Gfp.GFP_KERNEL, 1); // young and mapped: activated
            assertThat(stat(m, Item.pgactivate)).as(v).isEqualTo(1);
            r.vmscan().refillInactiveZone(cpu, z, 32); // not referenced since
            assertThat(stat(m, Item.pgdeactivate)).as(v).isEqualTo(v.equals("2.5.33") ? 1 : 0);
        }
    }

    /**
     * 2.6.6 l.~705: {@code if (!(gfp_mask & __GFP_FS)) break;} after the first priority; 2.6.7
     * (l.737-807) has no such break and goes down to priority 0. Nothing reclaimable, 64 pages:
     * at priority 12 {@code (nr_active + nr_inactive) >> 12} is 0, nothing is scanned.
     */
    @Test
    void aGfpNofsCallerLeavesAfterOnePassIn266ButNotIn267() {
        for (String v : new String[] {"2.6.6", "2.6.7"}) {
            Machine m = Machines.boot(StepGate.FREE, 1, 256, x -> at("testone", v), ReclaimConfig.defaults(), 8, 16, 250);
            fill(m, 64, true);
            int ret = Reclaim.of(m).vmscan().tryToFreePages(m.cpu(0), Machines.normal(m), Gfp.GFP_NOFS, 0);
            assertThat(ret).isZero();
            assertThat(stat(m, Item.oom_kill)).as(v).isZero();
            if (v.equals("2.6.6")) {
                assertThat(stat(m, Item.pgscan)).as(v).isZero();
            } else {
                assertThat(stat(m, Item.pgscan)).as(v).isPositive();
            }
        }
    }
}
