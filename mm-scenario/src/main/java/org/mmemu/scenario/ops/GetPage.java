package org.mmemu.scenario.ops;

import org.mmemu.core.emu.Site;

/**
 * {@code get_page(page)} — include/linux/mm.h, 2.5.31: {@code atomic_inc(&page->count)}, one
 * step. Takes a reference the program holds until a later {@code put_page} or release.
 * Form: {@code get_page: P}.
 */
public final class GetPage implements OperationType {
    static final Site SITE = Site.of("get_page", "atomic_inc(&page->count)");

    @Override
    public String name() {
        return "get_page";
    }

    @Override
    public String source() {
        return "include/linux/mm.h";
    }

    @Override
    public String summary() {
        return "take a reference: atomic_inc(&page->count)";
    }

    @Override
    public Operation bind(Args args) {
        PageRef p = args.page("page", 0);
        args.done();
        return (world, cpu) -> p.in(world).getPage(cpu, SITE);
    }
}
