package org.mmemu.scenario.ops;

import org.mmemu.core.emu.Site;

/**
 * {@code page_cache_get(page)} — include/linux/pagemap.h, 2.5.31: the same
 * {@code atomic_inc(&page->count)} as {@code get_page}, under the name the page cache and
 * shrink_cache use. Form: {@code page_cache_get: P}.
 */
public final class PageCacheGet implements OperationType {
    static final Site SITE = Site.of("page_cache_get", "atomic_inc(&page->count)");

    @Override
    public String name() {
        return "page_cache_get";
    }

    @Override
    public String source() {
        return "include/linux/pagemap.h";
    }

    @Override
    public String summary() {
        return "take a page cache reference: atomic_inc(&page->count)";
    }

    @Override
    public Operation bind(Args args) {
        PageRef p = args.page("page", 0);
        args.done();
        return (world, cpu) -> p.in(world).pageCacheGet(cpu, SITE);
    }
}
