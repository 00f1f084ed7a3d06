package org.mmemu.core.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmemu.core.TestMachines.cpu0;

import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.TestMachines;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.list.ListHead;

/** The quiescent checks: leaks, free memory three ways, and free + parts + held = total. */
class AccountingTest {

    /** A stand-in for mm-lru's part: the pages linked on one list. */
    private static PageAccount listPart(String name, ListHead list) {
        return new PageAccount() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void forEachPage(Zone zone, Consumer<Page> sink) {
                for (ListHead e = list.next(); e != list; e = e.next()) {
                    Page p = e.entry(Page.class);
                    if (p.zone() == zone) {
                        sink.accept(p);
                    }
                }
            }
        };
    }

    @Test
    void aFreshMachineAndAnyMixOfHeldPagesAccountCleanly() {
        Machine m = TestMachines.boot(256);
        TestMachines.page(m, 1);
        m.pageAlloc().rmqueue(cpu0(m), TestMachines.zone(m), 4);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void anAllocatedPageWithCountZeroIsOneLeak() {
        Machine m = TestMachines.boot(256);
        Page leaked = TestMachines.page(m, 0);
        TestMachines.page(m, 0, PageFlags.PG_reserved); // reserved: not the allocator's business
        TestMachines.page(m, 2);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.LEAK);
            assertThat(f.pfn()).isEqualTo(leaked.pfn());
        });
    }

    @Test
    void theZeroRefPageTheCountOneProposalLeavesOnTheLruIsALeak() {
        Machine m = TestMachines.boot(256);
        ListHead lru = new ListHead();
        m.accounting().register(listPart("lru", lru));
        Page zeroRef = TestMachines.pageOn(m, lru, 0, PageFlags.PG_lru);
        TestMachines.pageOn(m, lru, 1, PageFlags.PG_lru);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).extracting(Finding::kind, Finding::pfn)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(FindingKind.LEAK, (long) zeroRef.pfn()));
    }

    @Test
    void theIdentityHoldsAndSaysWhereEveryPageIs() {
        Machine m = TestMachines.boot(256);
        ListHead lru = new ListHead();
        ListHead slab = new ListHead();
        m.accounting().register(listPart("lru", lru));
        m.accounting().register(listPart("slab", slab));
        for (int i = 0; i < 5; i++) {
            TestMachines.pageOn(m, lru, 1, PageFlags.PG_lru);
        }
        TestMachines.pageOn(m, slab, 1, PageFlags.PG_slab);
        TestMachines.page(m, 1);
        Accounting.ZoneAccount a = m.accounting().summary(TestMachines.zone(m));
        assertThat(a.free()).isEqualTo(249);
        assertThat(a.parts()).isEqualTo(Map.of("lru", 5, "slab", 1));
        assertThat(a.held()).isEqualTo(1);
        assertThat(a.toString()).isEqualTo("Normal: free 249 + lru 5 + slab 1 + held 1 = 256");
        assertThat(m.accounting().check()).isZero();
    }

    @Test
    void aPartHoldingAFreePageIsOneAccountingFinding() {
        Machine m = TestMachines.boot(256);
        ListHead lru = new ListHead();
        m.accounting().register(listPart("lru", lru));
        Page p = TestMachines.pageOn(m, lru, 0);
        p.delQuietly();
        m.pageAlloc().freePagesOk(cpu0(m), p, 0, org.mmemu.core.emu.Site.of("test", "free"));
        lru.addTailQuietly(p); // freed, yet still on the "LRU"
        assertThat(m.accounting().check()).isEqualTo(1);
        assertThat(m.detectors().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.ACCOUNTING);
            assertThat(f.pfn()).isEqualTo(p.pfn());
            assertThat(f.message()).startsWith("zone Normal: lru holds a page the allocator owns");
        });
    }

    @Test
    void aPageClaimedByTwoPartsIsOneAccountingFinding() {
        Machine m = TestMachines.boot(256);
        ListHead lru = new ListHead();
        m.accounting().register(listPart("lru", lru));
        m.accounting().register(listPart("slab", lru)); // the same pages, twice
        TestMachines.pageOn(m, lru, 1);
        assertThat(m.accounting().check()).isEqualTo(1);
        assertThat(m.detectors().findings()).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("held by both lru and slab"));
    }

    @Test
    void aFreePagesCounterOutOfStepWithTheListsIsOneAccountingFinding() {
        Machine m = TestMachines.boot(256);
        Zone z = TestMachines.zone(m);
        z.freePages--;
        assertThat(m.accounting().check()).isEqualTo(1);
        assertThat(m.detectors().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.ACCOUNTING);
            assertThat(f.message()).isEqualTo("zone Normal: free pages: 256 on the buddy lists, "
                    + "zone->free_pages 255, 256 owned by the allocator in the shadow");
        });
    }

    @Test
    void anNrFreeOutOfStepWithItsListIsOneAccountingFinding() {
        Machine m = TestMachines.boot(256);
        TestMachines.zone(m).freeArea(3).nrFree++;
        assertThat(m.accounting().check()).isEqualTo(1);
        assertThat(m.detectors().findings()).singleElement()
                .satisfies(f -> assertThat(f.message()).isEqualTo("zone Normal: free_area[3]: 0 blocks listed, nr_free 1"));
    }
}
