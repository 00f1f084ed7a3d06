package org.mmemu.scenario.ops;

import org.mmemu.reclaim.Workloads;

/**
 * {@code truncate_inode_pages(mapping, 0)} — mm/filemap.c, 2.5.31 ({@code Workloads.truncate}):
 * the whole file truncated. Form: {@code truncate_inode_pages: F}.
 */
public final class TruncateInodePages implements OperationType {
    @Override
    public String name() {
        return "truncate_inode_pages";
    }

    @Override
    public String source() {
        return "mm/filemap.c";
    }

    @Override
    public String summary() {
        return "truncate a whole file out of the page cache";
    }

    @Override
    public Operation bind(Args args) {
        String file = args.string("file", 0, null);
        args.done();
        return (world, cpu) -> Workloads.truncate(cpu, Mappings.of(world, file));
    }
}
