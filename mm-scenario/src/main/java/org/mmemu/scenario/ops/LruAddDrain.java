package org.mmemu.scenario.ops;

import org.mmemu.pagevec.LruAddPvecs;

/**
 * {@code lru_add_drain()} — mm/swap.c, 2.5.32: this CPU's {@code lru_add_pvecs} onto the LRU
 * ({@code LruAddPvecs.lruAddDrain}). Form: {@code - lru_add_drain}.
 */
public final class LruAddDrain implements OperationType {
    @Override
    public String name() {
        return "lru_add_drain";
    }

    @Override
    public String source() {
        return "mm/swap.c";
    }

    @Override
    public String summary() {
        return "drain this CPU's lru_add pagevec onto the LRU";
    }

    @Override
    public Operation bind(Args args) {
        args.done();
        return (world, cpu) -> LruAddPvecs.lruAddDrain(cpu);
    }
}
