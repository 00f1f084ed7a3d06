package org.mmemu.scenario.ops;

import org.mmemu.lru.LruCache;

/**
 * {@code page_cache_release(page)} — include/linux/pagemap.h over mm/swap.c's {@code __page_cache_release()}
 * (2.5.32): the release side of the machine's protocol for one page ({@code LruCache.pageCacheRelease}).
 * Form: {@code page_cache_release: P}.
 */
public final class PageCacheRelease implements OperationType {
    @Override
    public String name() {
        return "page_cache_release";
    }

    @Override
    public String source() {
        return "include/linux/pagemap.h";
    }

    @Override
    public String summary() {
        return "drop a reference; the last one takes the page off the LRU and frees it (the machine's protocol)";
    }

    @Override
    public Operation bind(Args args) {
        PageRef p = args.page("page", 0);
        args.done();
        return (world, cpu) -> LruCache.pageCacheRelease(cpu, p.in(world));
    }
}
