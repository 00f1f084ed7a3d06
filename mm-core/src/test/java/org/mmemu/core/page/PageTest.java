package org.mmemu.core.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mmemu.core.TestMachines.cpu0;

import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.TestMachines;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.KernelBug;
import org.mmemu.core.emu.Site;

/** The count primitives of mm.h in their 2.5 and 2.6.7 (biased) forms, and the flag bitops. */
class PageTest {
    private static final Site S = Site.of("test", "op");

    private static Machine biased() {
        return TestMachines.boot(MachineConfig.of(1, 64).withBiasedCount(true));
    }

    @Test
    void unbiasedCountPrimitives() {
        Machine m = TestMachines.boot(64);
        Cpu cpu = cpu0(m);
        Page p = TestMachines.page(m, 1);
        assertThat(p.rawCount()).isEqualTo(1);
        p.getPage(cpu, S);
        p.pageCacheGet(cpu, S);
        assertThat(p.pageCount(cpu, S)).isEqualTo(3);
        assertThat(p.putPageTestzero(cpu, S)).isFalse();
        p.putPageNoTest(cpu, S);
        assertThat(p.count()).isEqualTo(1);
        assertThat(p.putPageTestzero(cpu, S)).isTrue();
        assertThat(p.count()).isZero();
        p.setPageCount(cpu, S, 5);
        assertThat(p.rawCount()).isEqualTo(5);
        assertThat(p.cmpxchgCount(cpu, S, 4, 3)).isFalse();
        assertThat(p.cmpxchgCount(cpu, S, 5, 4)).isTrue();
        assertThat(p.count()).isEqualTo(4);
        assertThat(p.atomicAddNegative(cpu, S, -4)).isFalse();
        assertThat(p.atomicAddNegative(cpu, S, -1)).isTrue();
        assertThat(m.detectors().findings()).isEmpty();
        assertThat(m.detectors().warnings()).isEmpty();
    }

    @Test
    void aFreePageHasABiasedCountOfMinusOneAndAnAllocatedOneZero() {
        Machine m = biased();
        assertThat(m.page(0).rawCount()).isEqualTo(-1);
        assertThat(m.page(0).count()).isZero();
        Page p = TestMachines.page(m, 1);
        assertThat(p.rawCount()).isZero();
        assertThat(p.pageCount(cpu0(m), S)).isEqualTo(1);
        p.setPageCount(cpu0(m), S, 3);
        assertThat(p.rawCount()).isEqualTo(2);
    }

    @Test
    void biasedPutPageTestzeroIsAtomicAddNegative() {
        Machine m = biased();
        Cpu cpu = cpu0(m);
        Page p = TestMachines.page(m, 2);
        assertThat(p.putPageTestzero(cpu, S)).isFalse();
        assertThat(p.putPageTestzero(cpu, S)).isTrue();
        assertThat(p.rawCount()).isEqualTo(-1);
        // 2.6.7's BUG_ON(page_count(page) == 0) in put_page_testzero
        assertThatThrownBy(() -> p.putPageTestzero(cpu, S)).isInstanceOf(KernelBug.class);
        assertThat(m.detectors().findings()).singleElement()
                .satisfies(f -> assertThat(f.kind()).isEqualTo(FindingKind.KERNEL_BUG));
    }

    @Test
    void getPageTestoneIsTrueExactlyWhenTheLogicalCountWentFromZeroToOne() {
        Machine m = biased();
        Cpu cpu = cpu0(m);
        Page p = TestMachines.page(m, 1);
        assertThat(p.getPageTestone(cpu, S)).isFalse(); // 1 -> 2
        p.setCountQuietly(0);
        assertThat(p.getPageTestone(cpu, S)).isTrue(); // 0 -> 1: being freed elsewhere
        assertThat(p.count()).isEqualTo(1);
        // the testone protocol puts it back with __put_page
        p.putPageNoTest(cpu, S);
        assertThat(p.count()).isZero();
        assertThat(m.detectors().warnings()).isEmpty(); // not a plain get
    }

    @Test
    void getPageUnlessZeroNeverResurrectsAPage() {
        for (boolean biased : new boolean[] {false, true}) {
            Machine m = TestMachines.boot(MachineConfig.of(1, 64).withBiasedCount(biased));
            Cpu cpu = cpu0(m);
            Page p = TestMachines.page(m, 1);
            assertThat(p.getPageUnlessZero(cpu, S)).isTrue();
            assertThat(p.count()).isEqualTo(2);
            p.setCountQuietly(0);
            assertThat(p.getPageUnlessZero(cpu, S)).isFalse();
            assertThat(p.count()).isZero();
            assertThat(m.detectors().warnings()).isEmpty();
        }
    }

    @Test
    void aPlainGetFromALogicalZeroIsTheWarningOnBothCountForms() {
        for (boolean biased : new boolean[] {false, true}) {
            Machine m = TestMachines.boot(MachineConfig.of(1, 64).withBiasedCount(biased));
            Page p = TestMachines.page(m, 0);
            p.getPage(cpu0(m), S);
            assertThat(p.count()).isEqualTo(1);
            assertThat(m.detectors().warnings()).as("biased %s", biased).singleElement()
                    .satisfies(w -> assertThat(w.kind()).isEqualTo(FindingKind.REFCOUNT_FROM_ZERO));
        }
    }

    @Test
    void biasedCmpxchgWorksOnLogicalCounts() {
        Machine m = biased();
        Page p = TestMachines.page(m, 2);
        assertThat(p.cmpxchgCount(cpu0(m), S, 2, 1)).isTrue();
        assertThat(p.rawCount()).isZero();
        assertThat(p.atomicAddNegative(cpu0(m), S, -1)).isTrue(); // raw -1: logical zero
    }

    @Test
    void flagBitopsReturnTheOldValue() {
        Machine m = TestMachines.boot(64);
        Cpu cpu = cpu0(m);
        Page p = TestMachines.page(m, 1);
        assertThat(p.testSetPageLru(cpu, S)).isFalse();
        assertThat(p.testSetPageLru(cpu, S)).isTrue();
        assertThat(p.pageLru(cpu, S)).isTrue();
        assertThat(p.testClearPageLru(cpu, S)).isTrue();
        assertThat(p.testClearPageLru(cpu, S)).isFalse();
        p.setPageActive(cpu, S);
        assertThat(p.pageActive(cpu, S)).isTrue();
        assertThat(p.testClearPageActive(cpu, S)).isTrue();
        assertThat(p.pageActive(cpu, S)).isFalse();
        p.setPageReferenced(cpu, S);
        p.setPageLru(cpu, S);
        assertThat(p.toString()).isEqualTo("page " + p.pfn() + " (Normal, count 1, referenced|lru)");
        p.clearPageReferenced(cpu, S);
        p.clearPageLru(cpu, S);
        assertThat(p.testSetPageLocked(cpu, S)).isFalse();
        assertThat(p.testSetPageLocked(cpu, S)).isTrue();
        p.unlockPage(cpu, S);
        p.setFlag(cpu, S, PageFlags.PTE_MAPPED);
        assertThat(p.pageMapped(cpu, S)).isTrue();
        assertThat(PageFlags.describe(p.flags())).isEqualTo("pte_mapped");
        assertThat(PageFlags.byName("PG_lru")).isEqualTo(PageFlags.PG_lru);
        assertThat(PageFlags.byName("nosuch")).isEqualTo(-1);
    }

    @Test
    void indexAndPrivateAreThirtyTwoBitsAsOnI386() {
        Page p = TestMachines.page(TestMachines.boot(64), 1);
        p.setIndex(0xffff_ffffL);
        p.setPrivateData(7);
        assertThat(p.index()).isEqualTo(0xffff_ffffL);
        assertThat(p.privateData()).isEqualTo(7);
        assertThatThrownBy(() -> p.setIndex(1L << 32)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachPrimitiveIsOneStepAndGetPageUnlessZeroTwo() {
        Machine m = TestMachines.boot(64);
        Cpu cpu = cpu0(m);
        Page p = TestMachines.page(m, 1);
        long before = cpu.recent().total();
        p.getPage(cpu, S);
        p.putPageTestzero(cpu, S);
        p.testClearPageLru(cpu, S);
        p.pageCount(cpu, S);
        assertThat(cpu.recent().total() - before).isEqualTo(4);
        before = cpu.recent().total();
        assertThat(p.getPageUnlessZero(cpu, S)).isTrue();
        assertThat(cpu.recent().total() - before).isEqualTo(2); // load, cmpxchg
    }
}
