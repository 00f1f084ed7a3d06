package org.mmemu.scenario.ops;

import org.mmemu.reclaim.Workloads;

/**
 * The reclaim workload {@code Workloads.writes} (mm/filemap.c writes, 2.5.31): pages
 * {@code 0..pages-1} of a file written (dirtied). Form: {@code write_pages: {file: F, pages: 16}}.
 */
public final class WritePages implements OperationType {
    @Override
    public String name() {
        return "write_pages";
    }

    @Override
    public String source() {
        return "mm/filemap.c";
    }

    @Override
    public String summary() {
        return "workload: write (dirty) the first pages of a file";
    }

    @Override
    public Operation bind(Args args) {
        String file = args.string("file", 0, null);
        int pages = args.integer("pages", 1, 16, 1, 1 << 20);
        args.done();
        return (world, cpu) -> Workloads.writes(world.machine(), cpu, Mappings.of(world, file), pages);
    }
}
