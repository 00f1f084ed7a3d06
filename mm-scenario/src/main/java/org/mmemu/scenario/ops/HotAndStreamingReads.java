package org.mmemu.scenario.ops;

import org.mmemu.reclaim.Workloads;

/**
 * The reclaim workload {@code Workloads.hotAndStreamingReads} (mm/filemap.c reads, 2.5.31): a
 * reader that re-reads a hot file and streams through another, the case the active/inactive
 * split exists for. Form: {@code hot_and_streaming_reads: {hot: H, hot-pages: 8, stream: S,
 * chunk: 16, rounds: 4}}.
 */
public final class HotAndStreamingReads implements OperationType {
    @Override
    public String name() {
        return "hot_and_streaming_reads";
    }

    @Override
    public String source() {
        return "mm/filemap.c";
    }

    @Override
    public String summary() {
        return "workload: re-read a hot file while streaming through another (page cache reads)";
    }

    @Override
    public Operation bind(Args args) {
        String hot = args.string("hot", 0, "hot");
        int hotPages = args.integer("hot-pages", 1, 8, 0, 1 << 20);
        String stream = args.string("stream", 2, "stream");
        int chunk = args.integer("chunk", 3, 16, 0, 1 << 20);
        int rounds = args.integer("rounds", 4, 4, 1, 1 << 20);
        args.done();
        return (world, cpu) -> Workloads.hotAndStreamingReads(world.machine(), cpu, Mappings.of(world, hot), hotPages,
                Mappings.of(world, stream), chunk, rounds, new Workloads.ReadStats());
    }
}
