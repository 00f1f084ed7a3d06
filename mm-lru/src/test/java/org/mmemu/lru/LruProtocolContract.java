package org.mmemu.lru;

import org.mmemu.lru.protocol.LruSteps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mmemu.core.page.PageFlags.PG_active;
import static org.mmemu.core.page.PageFlags.PG_lru;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;

/**
 * The contract every protocol keeps when nothing runs concurrently (JCTools' MpqSanityTest
 * pattern: one abstract test, a parameterised concrete class that runs it per implementation). Races are the
 * business of the protocol-specific race tests; here every protocol must behave the same.
 */
public abstract class LruProtocolContract {
    private final LruProtocol protocol;

    protected LruProtocolContract(LruProtocol protocol) {
        this.protocol = protocol;
    }

    LruProtocol protocol() {
        return protocol;
    }

    Machine m;
    Cpu cpu;
    Lru lru;
    ZoneLru zl;

    @BeforeEach
    void boot() {
        m = TestMachines.boot(protocol(), 2, StepGate.FREE);
        cpu = m.cpu(0);
        lru = Lru.of(m);
        zl = lru.zone(TestMachines.normal(m));
    }

    @AfterEach
    void quiescentAndClean() {
        assertThat(zl.lruLock().isLocked()).as("lru_lock left held").isFalse();
        assertThat(cpu.irqsDisabled()).as("irqs left off").isFalse();
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).as("findings").isEmpty();
    }

    private void assertFreed(Page p) {
        assertThat(m.detectors().isFree(p.pfn())).as("page %d free", p.pfn()).isTrue();
        assertThat(p.hasFlag(PG_lru)).isFalse();
        assertThat(p.hasFlag(PG_active)).isFalse();
        assertThat(p.isLinked()).as("page->lru still linked").isFalse();
    }

    private void assertOnList(Page p, ListHead list, int count) {
        assertThat(m.detectors().isFree(p.pfn())).as("page %d free", p.pfn()).isFalse();
        assertThat(p.count()).isEqualTo(count);
        assertThat(p.hasFlag(PG_lru)).isTrue();
        assertThat(contains(list, p)).as("page on the expected list").isTrue();
    }

    private static boolean contains(ListHead list, Page p) {
        for (ListHead e = list.next(); e != list; e = e.next()) {
            if (e == p) {
                return true;
            }
        }
        return false;
    }

    @Test
    void namesTheKernelItMirrorsAndItsSources() {
        LruProtocol p = protocol();
        assertThat(p.version()).as("a kernel version, or constructed").matches("2\\.[56]\\.\\d+(-\\w+)?|constructed");
        if (p.version().equals("constructed")) {
            assertThat(p.origin()).contains("constructed");
            assertThat(p.changesets()).isEmpty();
        } else {
            assertThat(p.origin()).isNotBlank();
        }
    }

    @Test
    void lastPutFreesThePageAndTakesItOffTheLru() {
        Page inactive = TestMachines.lruPage(m, 1, false);
        Page active = TestMachines.lruPage(m, 1, true);
        long freeBefore = m.pageAlloc().nrFreePages();

        protocol().pageCacheRelease(cpu, inactive);
        protocol().pageCacheRelease(cpu, active);

        assertFreed(inactive);
        assertFreed(active);
        assertThat(zl.nrInactive()).isZero();
        assertThat(zl.nrActive()).isZero();
        assertThat(zl.inactiveList().isEmpty()).isTrue();
        assertThat(zl.activeList().isEmpty()).isTrue();
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(freeBefore + 2);
    }

    @Test
    void nonLastPutFreesNothing() {
        Page p = TestMachines.lruPage(m, 2, false);
        Page q = TestMachines.lruPage(m, 3, true);
        long freeBefore = m.pageAlloc().nrFreePages();

        protocol().pageCacheRelease(cpu, p);
        protocol().releasePages(cpu, new Page[] {q}, 1);

        assertOnList(p, zl.inactiveList(), 1);
        assertOnList(q, zl.activeList(), 2);
        assertThat(zl.nrInactive()).isEqualTo(1);
        assertThat(zl.nrActive()).isEqualTo(1);
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(freeBefore);
    }

    @Test
    void releasePagesFreesExactlyThePagesWhoseLastReferenceItDrops() {
        Page a = TestMachines.lruPage(m, 1, false);
        Page b = TestMachines.lruPage(m, 2, false);
        Page c = TestMachines.lruPage(m, 1, true);
        Page d = TestMachines.alloc(m);             // not on the LRU at all
        long freeBefore = m.pageAlloc().nrFreePages();

        protocol().releasePages(cpu, new Page[] {a, b, c, d}, 4);

        assertFreed(a);
        assertFreed(c);
        assertFreed(d);
        assertOnList(b, zl.inactiveList(), 1);
        assertThat(zl.nrInactive()).isEqualTo(1);
        assertThat(zl.nrActive()).isZero();
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(freeBefore + 3);
    }

    @Test
    void releasePagesHandlesMoreThanOneBatchOfSixteen() {
        Page[] pages = new Page[40];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = TestMachines.lruPage(m, 1, i % 3 == 0);
        }
        protocol().releasePages(cpu, pages, pages.length);
        for (Page p : pages) {
            assertFreed(p);
        }
        assertThat(zl.nrInactive() + zl.nrActive()).isZero();
    }

    @Test
    void isolationAndPutBackKeepCountersAndPgLruRight() {
        Page in1 = TestMachines.lruPage(m, 1, false);
        Page in2 = TestMachines.lruPage(m, 2, false);
        Page act = TestMachines.lruPage(m, 1, true);
        ListHead pageList = new ListHead();

        zl.lruLock().spinLockIrq(cpu);
        Page tail = zl.inactiveList().prev().entry(Page.class);
        assertThat(tail).isSameAs(in2);
        assertThat(protocol().isolateLruPage(cpu, zl, tail, pageList, false)).isTrue();
        assertThat(protocol().isolateLruPage(cpu, zl, act, pageList, true)).isTrue();
        assertThat(zl.nrInactive()).as("isolation does not count: the caller's batch step does").isEqualTo(2);
        assertThat(zl.nrActive()).isEqualTo(1);
        LruSteps.count(cpu, zl, false, 1);
        LruSteps.count(cpu, zl, true, 1);
        zl.lruLock().spinUnlockIrq(cpu);

        assertThat(zl.nrInactive()).isEqualTo(1);
        assertThat(zl.nrActive()).isZero();
        assertThat(zl.inactiveList().size()).isEqualTo(1);
        assertThat(zl.activeList().size()).isZero();
        assertThat(pageList.size()).isEqualTo(2);
        assertThat(in2.hasFlag(PG_lru)).isFalse();
        assertThat(act.hasFlag(PG_lru)).isFalse();
        assertThat(act.hasFlag(PG_active)).as("PG_active stays: it says where the page goes back").isTrue();
        assertThat(in2.count()).isEqualTo(3);
        assertThat(act.count()).isEqualTo(2);

        zl.lruLock().spinLockIrq(cpu);
        protocol().putbackLruPage(cpu, zl, in2);
        protocol().putbackLruPage(cpu, zl, act);
        zl.lruLock().spinUnlockIrq(cpu);

        assertThat(pageList.isEmpty()).isTrue();
        assertOnList(in1, zl.inactiveList(), 1);
        assertOnList(in2, zl.inactiveList(), 3);
        assertOnList(act, zl.activeList(), 2);
        assertThat(zl.nrInactive()).isEqualTo(2);
        assertThat(zl.nrActive()).isEqualTo(1);

        // reclaim drops the references it took at isolation, through a pagevec
        protocol().releasePages(cpu, new Page[] {in2, act}, 2);
        assertOnList(in2, zl.inactiveList(), 2);
        assertOnList(act, zl.activeList(), 1);
    }

    @Test
    void isolatedPageWhoseOtherReferencesGoIsFreedByReclaimsPut() {
        Page p = TestMachines.lruPage(m, 1, false);
        ListHead pageList = new ListHead();
        zl.lruLock().spinLockIrq(cpu);
        assertThat(protocol().isolateLruPage(cpu, zl, p, pageList, false)).isTrue();
        LruSteps.count(cpu, zl, false, 1);
        zl.lruLock().spinUnlockIrq(cpu);

        protocol().pageCacheRelease(m.cpu(1), p);    // the owner lets go while reclaim has it
        assertThat(m.detectors().isFree(p.pfn())).isFalse();
        assertThat(p.count()).isEqualTo(1);

        zl.lruLock().spinLockIrq(cpu);
        protocol().putbackLruPage(cpu, zl, p);
        zl.lruLock().spinUnlockIrq(cpu);
        protocol().releasePages(cpu, new Page[] {p}, 1);
        assertFreed(p);
        assertThat(zl.nrInactive()).isZero();
    }
}
