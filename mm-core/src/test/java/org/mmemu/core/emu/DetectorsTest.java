package org.mmemu.core.emu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.TestMachines;
import org.mmemu.core.page.Page;

/**
 * The shadow detectors provoked on purpose (docs/ARCHITECTURE.md §4), each test asserting exactly which
 * findings and how many, in the manner of the kernel's slub KUnit tests.
 */
class DetectorsTest {
    private static final Site FIRST = Site.of("releaser_a", "__free_pages_ok(page, 0)");
    private static final Site SECOND = Site.of("releaser_b", "__free_pages_ok(page, 0)");
    private static final Site GET = Site.of("shrink_cache", "page_cache_get(page)");
    private static final Site PUT = Site.of("__pagevec_release", "put_page_testzero(page)");
    private static final Site USE = Site.of("shrink_cache", "page_count(page)");

    @Test
    void bootFreeMarksExactlyItsFramesFreeAcrossWords() {
        Detectors d = new Detectors(512);
        java.util.BitSet expected = new java.util.BitSet();
        // within a word, across two words, whole words, and a block ending mid-word
        int[][] blocks = {{3, 0}, {62, 1}, {64, 6}, {128, 7}, {260, 3}, {300, 5}};
        for (int[] b : blocks) {
            d.bootFree(b[0], b[1]);
            expected.set(b[0], b[0] + (1 << b[1]));
        }
        for (int pfn = 0; pfn < 512; pfn++) {
            assertThat(d.isFree(pfn)).as("pfn %d", pfn).isEqualTo(expected.get(pfn));
        }
        assertThat(expected.cardinality()).isEqualTo(1 + 2 + 64 + 128 + 8 + 32);
    }

    @Test
    void aPageFreedTwiceIsOneDoubleFreeWithBothFreeSites() {
        Machine m = TestMachines.boot(2, 64);
        Cpu a = m.cpu(0);
        Cpu b = m.cpu(1);
        Page p = TestMachines.page(m, 0);
        m.pageAlloc().freePagesOk(a, p, 0, FIRST);
        assertThatThrownBy(() -> m.pageAlloc().freePagesOk(b, p, 0, SECOND)).isInstanceOf(RunAborted.class);

        assertThat(m.detectors().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.DOUBLE_FREE);
            assertThat(f.pfn()).isEqualTo(p.pfn());
            assertThat(f.cpu()).isEqualTo(1);
            assertThat(f.site()).isEqualTo(SECOND);
            assertThat(f.related()).containsExactly(new Finding.Related("first free", 0, FIRST));
            assertThat(f.rootCause()).isNull();
            assertThat(f.recent()).containsOnlyKeys(0, 1);
            assertThat(f.report()).contains("BUG: double-free of page pfn " + p.pfn() + " on cpu1")
                    .contains("first free: cpu0 at " + FIRST).contains("cpu0 last steps:");
        });
        assertThat(m.detectors().stopFinding().kind()).isEqualTo(FindingKind.DOUBLE_FREE);
        assertThat(m.detectors().warnings()).isEmpty();
    }

    @Test
    void aBlockFreedTwiceIsOneFinding() {
        Machine m = TestMachines.bootNoStop(1, 64);
        Page p = m.pageAlloc().rmqueue(m.cpu(0), TestMachines.zone(m), 2);
        p.setCountQuietly(0);
        m.pageAlloc().freePagesOk(m.cpu(0), p, 2, FIRST);
        m.pageAlloc().freePagesOk(m.cpu(0), p, 2, SECOND);
        assertThat(m.detectors().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.DOUBLE_FREE);
            assertThat(f.pfn()).isEqualTo(p.pfn());
            assertThat(f.message()).isEqualTo("block of order 2 freed twice (4 of its pages were free)");
            assertThat(f.related()).containsExactly(new Finding.Related("first free", 0, FIRST));
        });
    }

    /** The seed mail's race in miniature: A's put, B's get from zero, B's free, A's free. */
    @Test
    void aGetFromZeroIsAWarningAndTheNamedRootCauseOfTheDoubleFreeThatFollows() {
        Machine m = TestMachines.boot(2, 64);
        Cpu a = m.cpu(0);
        Cpu b = m.cpu(1);
        Page p = TestMachines.page(m, 1);

        assertThat(p.putPageTestzero(a, PUT)).isTrue(); // row 5: A drops the last reference
        p.pageCacheGet(b, GET);                         // row 7: B "rescues" the page, 0 -> 1
        assertThat(m.detectors().warnings()).singleElement().satisfies(w -> {
            assertThat(w.kind()).isEqualTo(FindingKind.REFCOUNT_FROM_ZERO);
            assertThat(w.cpu()).isEqualTo(1);
            assertThat(w.site()).isEqualTo(GET);
        });
        assertThat(m.detectors().findings()).isEmpty();

        m.pageAlloc().freePages(b, p, 0);               // row 11: free #1
        assertThatThrownBy(() -> m.pageAlloc().freePagesOk(a, p, 0, SECOND)) // row 15: free #2
                .isInstanceOf(RunAborted.class);

        assertThat(m.detectors().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.DOUBLE_FREE);
            assertThat(f.rootCause()).isEqualTo(new Finding.Related(Finding.ROOT_CAUSE, 1, GET));
            assertThat(f.related()).hasSize(2);
            assertThat(f.related().get(0).label()).isEqualTo("first free");
            assertThat(f.related().get(0).cpu()).isEqualTo(1);
        });
    }

    @Test
    void aGetFromZeroThatTheProtocolSurvivesStaysAWarning() {
        Machine m = TestMachines.boot(2, 64);
        Page p = TestMachines.page(m, 1);
        assertThat(p.putPageTestzero(m.cpu(0), PUT)).isTrue();
        p.getPage(m.cpu(1), GET);
        m.pageAlloc().freePages(m.cpu(1), p, 0); // freed once, by the last owner
        m.detectors().checkQuiescent();
        assertThat(m.detectors().warnings()).hasSize(1);
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void aUseOfAFreePageIsReportedOncePerFreeWithTheFreeSite() {
        Machine m = TestMachines.boot(2, 64);
        Page p = TestMachines.page(m, 0);
        m.pageAlloc().freePagesOk(m.cpu(0), p, 0, FIRST);

        assertThat(p.pageCount(m.cpu(1), USE)).isZero();
        p.testClearPageLru(m.cpu(1), USE);
        assertThat(m.detectors().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.USE_AFTER_FREE);
            assertThat(f.cpu()).isEqualTo(1);
            assertThat(f.site()).isEqualTo(USE);
            assertThat(f.message()).isEqualTo("page_count on a page the allocator owns");
            assertThat(f.related()).containsExactly(new Finding.Related("freed", 0, FIRST));
        });
        assertThat(m.detectors().stopped()).isFalse(); // a prelude, not the end of the run

        // allocated and freed again: a new use is a new finding
        Page again = m.pageAlloc().rmqueue(m.cpu(0), TestMachines.zone(m), 0);
        assertThat(again).isSameAs(p);
        again.getPage(m.cpu(0), USE);
        assertThat(m.detectors().findings()).hasSize(1);
        again.setCountQuietly(0);
        m.pageAlloc().freePagesOk(m.cpu(0), again, 0, FIRST);
        again.getPage(m.cpu(1), GET);
        assertThat(m.detectors().findings()).extracting(Finding::kind)
                .containsExactly(FindingKind.USE_AFTER_FREE, FindingKind.USE_AFTER_FREE);
        assertThat(m.detectors().warnings()).extracting(Finding::kind)
                .containsExactly(FindingKind.REFCOUNT_FROM_ZERO);
    }

    @Test
    void aListOperationOnAFreePageIsAUseAfterFreeButTheBuddyListsAreNot() {
        Machine m = TestMachines.boot(64);
        Page p = TestMachines.page(m, 0);
        m.pageAlloc().freePagesOk(m.cpu(0), p, 0, FIRST); // page->list goes on a free list: no use
        assertThat(m.detectors().findings()).isEmpty();
        org.mmemu.core.list.ListHead lru = new org.mmemu.core.list.ListHead();
        lru.listAdd(m.cpu(0), USE, p);
        assertThat(m.detectors().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.USE_AFTER_FREE);
            assertThat(f.message()).isEqualTo("list_add on a page the allocator owns");
        });
    }

    @Test
    void aKernelBugIsDistinctFromTheShadowFindings() {
        Machine m = TestMachines.boot(64);
        Cpu cpu = m.cpu(0);
        KernelBug bug = org.assertj.core.api.Assertions.catchThrowableOfType(KernelBug.class,
                () -> m.detectors().kernelBug(cpu, 3, USE, "BUG_ON(PageLRU(page))"));
        assertThat(bug.finding().kind()).isEqualTo(FindingKind.KERNEL_BUG);
        assertThat(bug).isInstanceOf(RunAborted.class);
        assertThat(m.detectors().stopped()).isTrue();
        assertThat(bug.finding().toString()).isEqualTo("kernel-bug pfn 3 cpu0 at " + USE + ": kernel BUG: BUG_ON(PageLRU(page))");
    }

    @Test
    void stopKindsDecideWhetherAFindingEndsTheRun() {
        Machine m = TestMachines.boot(MachineConfig.of(1, 64).withStopKinds(Set.of(FindingKind.USE_AFTER_FREE)));
        Page p = TestMachines.page(m, 0);
        m.pageAlloc().freePagesOk(m.cpu(0), p, 0, FIRST);
        assertThatThrownBy(() -> p.pageCount(m.cpu(0), USE)).isInstanceOf(RunAborted.class);
        assertThat(m.detectors().stopFinding().kind()).isEqualTo(FindingKind.USE_AFTER_FREE);

        // Without double-free as a stop kind the second free goes on into the buddy lists and
        // corrupts them quietly (docs/FIDELITY.md): page 63, already inside the free 64-page
        // block, is listed again at order 0. Only the quiescent accounting sees it.
        Machine n = TestMachines.bootNoStop(1, 64);
        Page q = TestMachines.page(n, 0);
        n.pageAlloc().freePagesOk(n.cpu(0), q, 0, FIRST);
        n.pageAlloc().freePagesOk(n.cpu(0), q, 0, SECOND);
        assertThat(n.detectors().findings()).extracting(Finding::kind).containsExactly(FindingKind.DOUBLE_FREE);
        n.detectors().checkQuiescent();
        assertThat(n.detectors().findings()).extracting(Finding::kind)
                .containsExactly(FindingKind.DOUBLE_FREE, FindingKind.ACCOUNTING);
        assertThat(n.detectors().findings().get(1).message())
                .isEqualTo("zone Normal: free pages: 65 on the buddy lists, zone->free_pages 65, "
                        + "64 owned by the allocator in the shadow");
        // The corruption's consequence: the same page handed out twice.
        Page first = n.pageAlloc().rmqueue(n.cpu(0), TestMachines.zone(n), 0);
        Page second = n.pageAlloc().rmqueue(n.cpu(0), TestMachines.zone(n), 0);
        assertThat(first).isSameAs(q);
        assertThat(second).isSameAs(q);
        assertThat(n.detectors().findings()).extracting(Finding::kind).containsExactly(
                FindingKind.DOUBLE_FREE, FindingKind.ACCOUNTING, FindingKind.ACCOUNTING);
        assertThat(n.detectors().findings().get(2).message())
                .isEqualTo("allocator handed out a page it did not own (free lists corrupt)");
    }

    @Test
    void findingKindsHaveStableIds() {
        assertThat(FindingKind.byId("double-free")).isEqualTo(FindingKind.DOUBLE_FREE);
        assertThat(FindingKind.byId("refcount-from-zero")).isEqualTo(FindingKind.REFCOUNT_FROM_ZERO);
        assertThatThrownBy(() -> FindingKind.byId("nope")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Detectors.defaultStopKinds()).contains(FindingKind.DOUBLE_FREE, FindingKind.KERNEL_BUG,
                FindingKind.LIST_CORRUPTION, FindingKind.LOCK_MISUSE, FindingKind.BAD_PAGE, FindingKind.DEADLOCK)
                .doesNotContain(FindingKind.USE_AFTER_FREE, FindingKind.REFCOUNT_FROM_ZERO, FindingKind.LEAK,
                        FindingKind.ACCOUNTING);
    }
}
