package org.mmemu.scenario.ops;

import org.mmemu.core.emu.Site;

/**
 * {@code lock_page(page)} — mm/filemap.c (2.5.31-2.5.33; pagemap.h over {@code __lock_page()} in
 * 2.6): take the page lock, waiting while another holds it (mm-core {@code Page.lockPage}: one
 * step the engines hold back while PG_locked is set). The program holds the lock until its
 * {@code unlock_page}; a program that ends holding it is a lock-leak. Form: {@code lock_page: P}.
 */
public final class LockPage implements OperationType {
    static final Site SITE = Site.of("lock_page", "if (TestSetPageLocked(page)) __lock_page(page)");

    @Override
    public String name() {
        return "lock_page";
    }

    @Override
    public String source() {
        return "mm/filemap.c";
    }

    @Override
    public String summary() {
        return "take the page lock (PG_locked), waiting while another holds it";
    }

    @Override
    public Operation bind(Args args) {
        PageRef p = args.page("page", 0);
        args.done();
        return (world, cpu) -> p.in(world).lockPage(cpu, SITE);
    }
}
