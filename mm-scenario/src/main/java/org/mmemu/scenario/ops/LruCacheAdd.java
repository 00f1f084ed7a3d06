package org.mmemu.scenario.ops;

import org.mmemu.pagevec.LruAddPvecs;

/**
 * {@code lru_cache_add(page)} — mm/swap.c, 2.5.32 (docs/FIDELITY.md): the deferred, per-CPU form
 * ({@code LruAddPvecs.lruCacheAdd}); the page reaches the LRU when the pagevec fills or at
 * {@code lru_add_drain}. Form: {@code lru_cache_add: P}.
 */
public final class LruCacheAdd implements OperationType {
    @Override
    public String name() {
        return "lru_cache_add";
    }

    @Override
    public String source() {
        return "mm/swap.c";
    }

    @Override
    public String summary() {
        return "add to this CPU's lru_add pagevec, drained onto the inactive list when full (2.5.32)";
    }

    @Override
    public Operation bind(Args args) {
        PageRef p = args.page("page", 0);
        args.done();
        return (world, cpu) -> LruAddPvecs.lruCacheAdd(cpu, p.in(world));
    }
}
