package org.mmemu.scenario.ops;

import org.mmemu.core.emu.Site;

/**
 * {@code unlock_page(page)} — mm/filemap.c (2.5.31-2.6.7): {@code if (!TestClearPageLocked(page))
 * BUG();} and the waiters woken (mm-core {@code Page.unlockPage}). Unlocking a page that is not
 * locked is the kernel's BUG (a kernel-bug finding). Form: {@code unlock_page: P}.
 */
public final class UnlockPage implements OperationType {
    static final Site SITE = Site.of("unlock_page", "if (!TestClearPageLocked(page)) BUG()");

    @Override
    public String name() {
        return "unlock_page";
    }

    @Override
    public String source() {
        return "mm/filemap.c";
    }

    @Override
    public String summary() {
        return "release the page lock and wake its waiters (BUG if it was not locked)";
    }

    @Override
    public Operation bind(Args args) {
        PageRef p = args.page("page", 0);
        args.done();
        return (world, cpu) -> p.in(world).unlockPage(cpu, SITE);
    }
}
