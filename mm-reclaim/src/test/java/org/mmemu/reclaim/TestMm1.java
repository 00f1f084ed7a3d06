package org.mmemu.reclaim;

import static org.mmemu.core.page.PageFlags.PG_reserved;

import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.ZoneLru;
import org.mmemu.core.Machine;

/**
 * Test-only stand-in for mm-lru's {@code mm1} protocol (2.5.31-mm1, reference §1.6, §2.1), so
 * that reclaim can be tested before the real protocols land: isolation skips zero-count pages
 * under the lock, the releasers recheck the count under the lock.
 */
final class TestMm1 implements LruProtocol {
    private static final Site S = Site.of("test-mm1", "step");
    private final Machine machine;

    TestMm1(Machine machine) {
        this.machine = machine;
    }

    @Override
    public String name() {
        return "test-mm1";
    }

    @Override
    public String origin() {
        return "test stand-in for 2.5.31-mm1";
    }

    @Override
    public void pageCacheRelease(Cpu cpu, Page page) {
        if (page.testFlag(cpu, S, PG_reserved) || !page.putPageTestzero(cpu, S)) {
            return;
        }
        ZoneLru zl = Lru.of(machine).zoneOf(page);
        boolean flags = zl.lruLock().spinLockIrqsave(cpu);
        if (page.testClearPageLru(cpu, S)) {
            zl.delPageFromLru(cpu, page);
        }
        boolean free = page.pageCount(cpu, S) == 0;
        zl.lruLock().spinUnlockIrqrestore(cpu, flags);
        if (free) {
            machine.pageAlloc().freePagesOk(cpu, page, 0, S);
        }
    }

    @Override
    public void releasePages(Cpu cpu, Page[] pages, int nr) {
        for (int i = 0; i < nr; i++) {
            pageCacheRelease(cpu, pages[i]);
        }
    }

    @Override
    public boolean isolateLruPage(Cpu cpu, ZoneLru zl, Page page, ListHead dst, boolean fromActive) {
        if (!page.testClearPageLru(cpu, S)) {
            throw cpu.detectors().kernelBug(cpu, page.pfn(), S, "isolate: !PageLRU");
        }
        page.listDel(cpu, S);
        if (page.pageCount(cpu, S) == 0) {
            page.setPageLru(cpu, S);
            (fromActive ? zl.activeList() : zl.inactiveList()).listAdd(cpu, S, page);
            return false;
        }
        dst.listAdd(cpu, S, page);
        page.pageCacheGet(cpu, S);
        return true;
    }

    @Override
    public void putbackLruPage(Cpu cpu, ZoneLru zl, Page page) {
        if (page.testSetPageLru(cpu, S)) {
            throw cpu.detectors().kernelBug(cpu, page.pfn(), S, "putback: PageLRU");
        }
        page.listDel(cpu, S);
        if (page.pageActive(cpu, S)) {
            zl.addPageToActiveList(cpu, page);
        } else {
            zl.addPageToInactiveList(cpu, page);
        }
    }
}
