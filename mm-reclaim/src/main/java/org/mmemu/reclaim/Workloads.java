package org.mmemu.reclaim;

import java.util.concurrent.atomic.AtomicLong;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;

/**
 * Per-CPU programs that put memory under pressure, for the engines to run: a reader with a hot
 * set and a streaming set (the case the active/inactive split exists for), anonymous memory
 * faulted in, touched and unmapped, and truncation. Each is the user side of the kernel paths
 * it calls (mm/filemap.c, mm/memory.c, mm/truncate.c, 2.5.31); what reclaim did in the
 * meantime is in {@code /proc/vmstat}'s counters ({@code pgscan}, {@code pgsteal},
 * {@code pgactivate}, {@code kswapd_wakeup}, {@code allocstall}, {@code oom_kill}).
 *
 * <p>The hit and miss counts are the workload's own, emulator-side.
 */
public final class Workloads {
    private Workloads() {
    }

    /** What a reader saw. */
    public static final class ReadStats {
        public final AtomicLong hotHits = new AtomicLong();
        public final AtomicLong hotMisses = new AtomicLong();
        public final AtomicLong streamReads = new AtomicLong();
        public final AtomicLong nomem = new AtomicLong();

        @Override
        public String toString() {
            return "hot hits " + hotHits + ", hot misses " + hotMisses + ", stream reads " + streamReads
                    + ", failed allocations " + nomem;
        }
    }

    /**
     * A reader: {@code rounds} times, reads every page of the hot file ({@code hotPages} pages),
     * then the next {@code chunk} pages of the stream file, never going back (a streaming read
     * of {@code rounds * chunk} pages).
     */
    public static void hotAndStreamingReads(Machine machine, Cpu cpu, AddressSpace hot, int hotPages,
                                            AddressSpace stream, int chunk, int rounds, ReadStats stats) {
        Filemap fm = Reclaim.of(machine).filemap();
        long next = 0;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < hotPages; i++) {
                switch (fm.read(cpu, hot, i)) {
                    case HIT -> stats.hotHits.incrementAndGet();
                    case MISS -> stats.hotMisses.incrementAndGet();
                    case NOMEM -> stats.nomem.incrementAndGet();
                    default -> throw new AssertionError();
                }
            }
            for (int i = 0; i < chunk; i++) {
                if (fm.read(cpu, stream, next++) == Filemap.Result.NOMEM) {
                    stats.nomem.incrementAndGet();
                } else {
                    stats.streamReads.incrementAndGet();
                }
            }
        }
    }

    /**
     * Anonymous memory: faults in every page of {@code region}, touches them all
     * {@code touchRounds} times, then unmaps the region. Returns the faults that failed.
     */
    public static int anonymous(Cpu cpu, AnonRegion region, int touchRounds) {
        int failed = 0;
        for (int v = 0; v < region.size(); v++) {
            if (!region.fault(cpu, v)) {
                failed++;
            }
        }
        for (int r = 0; r < touchRounds; r++) {
            for (int v = 0; v < region.size(); v++) {
                region.touch(cpu, v);
            }
        }
        region.unmap(cpu);
        return failed;
    }

    /** Writes (dirties) pages {@code 0..pages-1} of {@code file}; returns the writes that failed. */
    public static int writes(Machine machine, Cpu cpu, AddressSpace file, int pages) {
        Filemap fm = Reclaim.of(machine).filemap();
        int failed = 0;
        for (int i = 0; i < pages; i++) {
            if (!fm.write(cpu, file, i)) {
                failed++;
            }
        }
        return failed;
    }

    /** mm/filemap.c: truncate_inode_pages(file, 0) (2.5.31): truncation of the whole file. */
    public static void truncate(Cpu cpu, AddressSpace file) {
        file.truncateInodePages(cpu, 0);
    }
}
