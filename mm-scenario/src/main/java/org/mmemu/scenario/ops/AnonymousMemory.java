package org.mmemu.scenario.ops;

import org.mmemu.reclaim.Reclaim;
import org.mmemu.reclaim.Workloads;

/**
 * The reclaim workload {@code Workloads.anonymous} (mm/memory.c faults, 2.5.31): a fresh
 * anonymous region of {@code pages} pages faulted in, touched {@code rounds} times, unmapped.
 * Form: {@code anonymous_memory: {pages: 32, rounds: 2}}.
 */
public final class AnonymousMemory implements OperationType {
    @Override
    public String name() {
        return "anonymous_memory";
    }

    @Override
    public String source() {
        return "mm/memory.c";
    }

    @Override
    public String summary() {
        return "workload: fault in an anonymous region, touch it, unmap it";
    }

    @Override
    public Operation bind(Args args) {
        int pages = args.integer("pages", 0, 32, 1, 1 << 20);
        int rounds = args.integer("rounds", 1, 1, 0, 1 << 20);
        String where = args.where();
        args.done();
        return (world, cpu) -> Workloads.anonymous(cpu, Reclaim.of(world.machine()).anonRegion(where, pages), rounds);
    }
}
