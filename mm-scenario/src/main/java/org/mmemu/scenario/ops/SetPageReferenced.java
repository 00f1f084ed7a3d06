package org.mmemu.scenario.ops;

import org.mmemu.core.emu.Site;

/**
 * {@code SetPageReferenced(page)} — include/linux/page-flags.h, 2.5.31:
 * {@code set_bit(PG_referenced, &page->flags)}, one atomic step ({@code lock bts}).
 * Form: {@code set_page_referenced: P}.
 */
public final class SetPageReferenced implements OperationType {
    static final Site SITE = Site.of("SetPageReferenced", "set_bit(PG_referenced, &page->flags)");

    @Override
    public String name() {
        return "set_page_referenced";
    }

    @Override
    public String source() {
        return "include/linux/page-flags.h";
    }

    @Override
    public String summary() {
        return "set_bit(PG_referenced, &page->flags): an atomic bitop";
    }

    @Override
    public Operation bind(Args args) {
        PageRef p = args.page("page", 0);
        args.done();
        return (world, cpu) -> p.in(world).setPageReferenced(cpu, SITE);
    }
}
