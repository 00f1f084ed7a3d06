package org.mmemu.scenario.ops;

import org.mmemu.lru.LruCache;

/**
 * {@code mark_page_accessed(page)} — mm/swap.c, 2.5.31 ({@code LruCache.markPageAccessed}).
 * Form: {@code mark_page_accessed: P}.
 */
public final class MarkPageAccessed implements OperationType {
    @Override
    public String name() {
        return "mark_page_accessed";
    }

    @Override
    public String source() {
        return "mm/swap.c";
    }

    @Override
    public String summary() {
        return "referenced, then active on the second access";
    }

    @Override
    public Operation bind(Args args) {
        PageRef p = args.page("page", 0);
        args.done();
        return (world, cpu) -> LruCache.markPageAccessed(cpu, p.in(world));
    }
}
