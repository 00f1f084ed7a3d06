package org.mmemu.tests.ops;

/** {@code page_cache_release(page)} — mm/swap.c: the protocol's release of one page. */
public final class PageCacheRelease implements OperationType {
    @Override
    public String name() {
        return "page_cache_release";
    }

    @Override
    public String source() {
        return "mm/swap.c";
    }

    @Override
    public String summary() {
        return "drop a reference; the last one takes the page off the LRU and frees it";
    }

    @Override
    public Operation bind(Args args) {
        PageRef p = args.page("page", 0);
        args.done();
        return (world, cpu) -> org.mmemu.lru.Lru.of(cpu).protocol().pageCacheRelease(cpu, p.in(world));
    }
}
