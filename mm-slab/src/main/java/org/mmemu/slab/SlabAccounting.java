package org.mmemu.slab;

import static org.mmemu.core.page.PageFlags.PG_lru;
import static org.mmemu.core.page.PageFlags.PG_slab;

import org.mmemu.core.emu.Detectors;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.Zone;

/**
 * The emulator's quiescent check of the slab allocator, no part of mm/slab.c: the caches' lists,
 * PG_slab, the owner of each slab page and {@code nr_slab} must agree. Apart from
 * {@link SlabAllocator}, which registers it, because it reads every cache and every page without
 * a step and shares nothing with the mirrors.
 */
final class SlabAccounting {
    private static final Site CHECK = Site.of("slab accounting", "quiescent check");

    private SlabAccounting() {
    }

    /**
     * The quiescent check: every slab of every cache is on the list its {@code inuse} says, its
     * pages have PG_slab, belong to it and are not free, and without slab-on-LRU are not on the
     * LRU; {@code nr_slab} is the sum of their pages; and no page has PG_slab without a slab.
     */
    static void checkAccounting(SlabAllocator sa, Detectors d) {
        long pages = 0;
        for (KmemCache<?> c : sa.cachesQuietly()) {
            for (KmemCache.SlabList which : KmemCache.SlabList.values()) {
                for (Slab s : c.slabsQuietly(which)) {
                    KmemCache.SlabList should = s.inuse == 0 ? KmemCache.SlabList.FREE
                            : s.inuse == c.num() ? KmemCache.SlabList.FULL : KmemCache.SlabList.PARTIAL;
                    if (which != should) {
                        d.report(FindingKind.ACCOUNTING, null, s.page().pfn(), CHECK,
                                s + " is on slabs_" + which.name().toLowerCase() + ", should be on slabs_"
                                        + should.name().toLowerCase());
                    }
                    for (int i = 0; i < 1 << c.gfporder(); i++) {
                        Page p = s.page().zone().page(s.page().pfn() + i);
                        if (!p.hasFlag(PG_slab) || d.isFree(p.pfn()) || sa.slabOfPageQuietly(p) != s) {
                            d.report(FindingKind.ACCOUNTING, null, p.pfn(), CHECK,
                                    p + " of " + s + ": PG_slab clear, free, or owned by another slab");
                        }
                        if (!sa.options().slabOnLru() && (p.hasFlag(PG_lru) || p.isLinked())) {
                            d.report(FindingKind.ACCOUNTING, null, p.pfn(), CHECK,
                                    p + " of " + s + " is on the LRU, but slab-on-LRU is off");
                        }
                    }
                    pages += 1L << c.gfporder();
                }
            }
        }
        if (pages != sa.nrSlab()) {
            d.report(FindingKind.ACCOUNTING, null, -1, CHECK,
                    "nr_slab is " + sa.nrSlab() + " but the caches' slabs hold " + pages + " pages");
        }
        for (Zone z : sa.machine().node().zones()) {
            for (int i = 0; i < z.size(); i++) {
                Page p = z.pageIfLookedAt(i); // a page nobody looked at has no flags
                if (p != null && p.hasFlag(PG_slab) && sa.slabOfPageQuietly(p) == null) {
                    d.report(FindingKind.ACCOUNTING, null, p.pfn(), CHECK, p + " has PG_slab but belongs to no slab");
                }
            }
        }
    }
}
