package org.mmemu.scenario.ops;

import org.mmemu.core.page.Zone;

/**
 * {@code __free_pages(page, order)} — mm/page_alloc.c, 2.5.31: skip a reserved page, drop a
 * reference, and give the block back to the buddy allocator if it was the last.
 * Forms: {@code free_pages: P}, {@code free_pages: [P, 0]}, {@code free_pages: {page: P, order: 0}}.
 */
public final class FreePages implements OperationType {
    @Override
    public String name() {
        return "free_pages";
    }

    @Override
    public String source() {
        return "mm/page_alloc.c";
    }

    @Override
    public String summary() {
        return "__free_pages(page, order): drop a reference, free the block if it was the last";
    }

    @Override
    public Operation bind(Args args) {
        PageRef p = args.page("page", 0);
        int order = args.integer("order", 1, 0, 0, Zone.MAX_ORDER - 1);
        args.done();
        return (world, cpu) -> world.machine().pageAlloc().freePages(cpu, p.in(world), order);
    }
}
