package org.mmemu.core.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mmemu.core.TestMachines.cpu0;
import static org.mmemu.core.page.PageFlags.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.TestMachines;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.KernelBug;
import org.mmemu.core.emu.RunAborted;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;

/**
 * Every BUG() check of {@code __free_pages_ok()} and {@code prep_new_page()} (2.5.31, reference
 * docs/FIDELITY.md) raises a kernel-bug finding; with the checks compiled out, the detectors' bad-page
 * check catches what is still in use; and a page still linked through {@code page->lru}, which
 * no kernel check sees, is bad-page either way.
 */
class AllocatorBugChecksTest {
    private static final Site CALLER = Site.of("test", "free");

    @ParameterizedTest(name = "{0}")
    @CsvSource({"PG_lru, PageLRU(page)", "PG_private, PagePrivate(page)", "PG_locked, PageLocked(page)",
                "PG_active, PageActive(page)", "PG_writeback, PageWriteback(page)",
                "pte_mapped, page->pte.chain != NULL"})
    void freePagesOkBugsOnAFlagOfAPageInUse(String flag, String check) {
        Machine m = TestMachines.boot(64);
        Page p = TestMachines.page(m, 0, PageFlags.byName(flag));
        assertThatThrownBy(() -> m.pageAlloc().freePagesOk(cpu0(m), p, 0, CALLER))
                .isInstanceOf(KernelBug.class);
        if (flag.equals("PG_locked")) {
            // the shadow's lock-leak comes first, then the kernel's own check
            assertThat(m.detectors().findings()).extracting(Finding::kind)
                    .containsExactly(FindingKind.LOCK_LEAK, FindingKind.KERNEL_BUG);
            assertThat(m.detectors().findings().get(1).message()).isEqualTo("kernel BUG: __free_pages_ok: " + check);
        } else {
            assertOnlyKernelBug(m, p, "__free_pages_ok: " + check);
        }
        assertThat(m.detectors().isFree(p.pfn())).isFalse();
    }

    @Test
    void freePagesOkBugsOnAMapping() {
        Machine m = TestMachines.boot(64);
        Page p = TestMachines.page(m, 0);
        p.setMappingQuietly(new Object());
        assertThatThrownBy(() -> m.pageAlloc().freePagesOk(cpu0(m), p, 0, CALLER)).isInstanceOf(KernelBug.class);
        assertOnlyKernelBug(m, p, "__free_pages_ok: page->mapping != NULL");
    }

    @Test
    void freePagesOkBugsOnANonzeroCount() {
        Machine m = TestMachines.boot(64);
        Page p = TestMachines.page(m, 1);
        assertThatThrownBy(() -> m.pageAlloc().freePagesOk(cpu0(m), p, 0, CALLER)).isInstanceOf(KernelBug.class);
        assertOnlyKernelBug(m, p, "__free_pages_ok: page_count(page) != 0");
    }

    @Test
    void freePagesOkBugsOnABlockNotAlignedToItsOrder() {
        Machine m = TestMachines.boot(64);
        Page p = m.pageAlloc().rmqueue(cpu0(m), TestMachines.zone(m), 1);
        Page odd = m.page(p.pfn() + 1);
        assertThatThrownBy(() -> m.pageAlloc().freePagesOk(cpu0(m), odd, 1, CALLER)).isInstanceOf(KernelBug.class);
        assertOnlyKernelBug(m, odd, "__free_pages_ok: page_idx & ~mask (block not aligned to its order)");
    }

    @Test
    void freePagesOkClearsDirtySilentlyAndLeavesReferencedToPrepNewPage() {
        // 2.5.33: "if (PageDirty(page)) ClearPageDirty(page)"; PG_referenced is cleared at
        // allocation (prep_new_page), not here as 2.4 did
        Machine m = TestMachines.boot(64);
        Page p = TestMachines.page(m, 0, PG_dirty, PG_referenced, PG_uptodate);
        m.pageAlloc().freePagesOk(cpu0(m), p, 0, CALLER);
        assertThat(p.hasFlag(PG_dirty)).isFalse();
        assertThat(p.hasFlag(PG_referenced)).isTrue();
        assertThat(m.detectors().findings()).isEmpty();
        assertThat(m.detectors().isFree(p.pfn())).isTrue();
    }

    @Test
    void theLruCheckComesFirstAsPatch12PutIt() {
        Machine m = TestMachines.boot(64);
        Page p = TestMachines.page(m, 3, PG_lru, PG_private, PG_active);
        assertThatThrownBy(() -> m.pageAlloc().freePagesOk(cpu0(m), p, 0, CALLER)).isInstanceOf(KernelBug.class);
        assertOnlyKernelBug(m, p, "__free_pages_ok: PageLRU(page)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"PG_lru, PageLRU(page)", "PG_private, PagePrivate(page)", "PG_locked, PageLocked(page)",
                "PG_active, PageActive(page)", "PG_dirty, PageDirty(page)", "PG_writeback, PageWriteback(page)"})
    void prepNewPageBugsOnAFreePageWithAFlagSet(String flag, String check) {
        Machine m = TestMachines.boot(64);
        // The next page rmqueue hands out from a fresh 64-page zone is the last one.
        Page next = m.page(63);
        next.setFlagQuietly(PageFlags.byName(flag), true);
        assertThatThrownBy(() -> m.pageAlloc().rmqueue(cpu0(m), TestMachines.zone(m), 0))
                .isInstanceOf(KernelBug.class);
        assertOnlyKernelBug(m, next, "prep_new_page: " + check);
    }

    @Test
    void prepNewPageBugsOnAMapping() {
        Machine m = TestMachines.boot(64);
        m.page(63).setMappingQuietly(new Object());
        assertThatThrownBy(() -> m.pageAlloc().rmqueue(cpu0(m), TestMachines.zone(m), 0))
                .isInstanceOf(KernelBug.class);
        assertOnlyKernelBug(m, m.page(63), "prep_new_page: page->mapping");
    }

    @Test
    void prepNewPageClearsTheStaleFlagsAndSetsTheCountToOne() {
        Machine m = TestMachines.boot(64);
        Page next = m.page(63);
        for (int f : new int[] {PG_uptodate, PG_error, PG_referenced, PG_arch_1, PG_checked}) {
            next.setFlagQuietly(f, true);
        }
        next.setFlagQuietly(PG_highmem, true); // not cleared: a property of the frame
        Page p = m.pageAlloc().rmqueue(cpu0(m), TestMachines.zone(m), 0);
        assertThat(p).isSameAs(next);
        assertThat(p.count()).isEqualTo(1);
        assertThat(PageFlags.describe(p.flags())).isEqualTo("highmem");
    }

    @Test
    void withTheKernelChecksCompiledOutTheShadowReportsBadPage() {
        Machine m = TestMachines.boot(MachineConfig.of(1, 64).withAllocatorBugChecks(false));
        Page p = TestMachines.page(m, 2, PG_lru);
        assertThatThrownBy(() -> m.pageAlloc().freePagesOk(cpu0(m), p, 0, CALLER))
                .isInstanceOf(RunAborted.class).isNotInstanceOf(KernelBug.class);
        assertThat(m.detectors().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.BAD_PAGE);
            assertThat(f.pfn()).isEqualTo(p.pfn());
            assertThat(f.message()).contains("PG_lru set").contains("count 2");
        });
        assertThat(m.detectors().isFree(p.pfn())).isFalse();
    }

    @Test
    void aPageStillLinkedThroughItsLruIsBadPageEvenWithTheKernelChecks() {
        Machine m = TestMachines.boot(64);
        ListHead someList = new ListHead();
        Page p = TestMachines.pageOn(m, someList, 0);
        assertThatThrownBy(() -> m.pageAlloc().freePagesOk(cpu0(m), p, 0, CALLER))
                .isInstanceOf(RunAborted.class).isNotInstanceOf(KernelBug.class);
        assertThat(m.detectors().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.BAD_PAGE);
            assertThat(f.message()).contains("page->lru still linked");
            assertThat(f.recent()).containsKey(0);
        });
    }

    @Test
    void aBadPageThatDoesNotStopTheRunIsStillFreed() {
        Machine m = TestMachines.boot(MachineConfig.of(1, 64).withAllocatorBugChecks(false)
                .withStopKinds(java.util.Set.of()));
        Page p = TestMachines.page(m, 1);
        m.pageAlloc().freePagesOk(cpu0(m), p, 0, CALLER);
        assertThat(m.detectors().findings()).extracting(Finding::kind).containsExactly(FindingKind.BAD_PAGE);
        assertThat(m.detectors().isFree(p.pfn())).isTrue();
    }

    private static void assertOnlyKernelBug(Machine m, Page p, String message) {
        assertThat(m.detectors().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.KERNEL_BUG);
            assertThat(f.pfn()).isEqualTo(p.pfn());
            assertThat(f.message()).isEqualTo("kernel BUG: " + message);
            assertThat(f.report()).startsWith("BUG: kernel-bug of page pfn " + p.pfn() + " on cpu0");
        });
        assertThat(m.detectors().stopped()).isTrue();
    }
}
