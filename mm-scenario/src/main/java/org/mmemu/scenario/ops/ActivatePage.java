package org.mmemu.scenario.ops;

import org.mmemu.lru.LruCache;

/**
 * {@code activate_page(page)} — mm/swap.c, 2.5.31 with the per-zone irq-safe lock
 * ({@code LruCache.activatePage}). Form: {@code activate_page: P}.
 */
public final class ActivatePage implements OperationType {
    @Override
    public String name() {
        return "activate_page";
    }

    @Override
    public String source() {
        return "mm/swap.c";
    }

    @Override
    public String summary() {
        return "move an inactive LRU page to the active list";
    }

    @Override
    public Operation bind(Args args) {
        PageRef p = args.page("page", 0);
        args.done();
        return (world, cpu) -> LruCache.activatePage(cpu, p.in(world));
    }
}
