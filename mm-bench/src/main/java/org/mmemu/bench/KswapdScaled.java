package org.mmemu.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.engine.FreeEngine;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.core.page.VmStat;
import org.mmemu.lru.Lru;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.reclaim.Reclaim;
import org.mmemu.reclaim.ReclaimConfig;
import org.mmemu.reclaim.Workloads;

/**
 * The shipped {@code kswapd-pressure} scenario's mix at full size, under the free engine: the
 * scenario's zone of 64 pages becomes {@code pages}, its hot file of 8 pages and stream chunks
 * of 16 grow by the same factor, and the reader goes on until it has streamed ten times the
 * zone (the scenario streams once). CPU 0 reads, CPU 1 runs kswapd until the reader is done.
 * A line on {@code progress} every few seconds says how far the stream is; the result is the
 * run's {@code /proc/vmstat} counters and its wall time.
 */
final class KswapdScaled {
    /** The scenario's sizes: zone 64, hot 8, chunk 16. */
    private static final int ZONE = 64;
    private static final int HOT = 8;
    private static final int CHUNK = 16;

    record Result(int pages, int hotPages, int chunk, int rounds, long streamed, long hotHits, long hotMisses,
                  long nomem, Map<String, Long> vmstat, double seconds, String outcome, int findings) {
    }

    private KswapdScaled() {
    }

    static Result run(int pages, PrintStream progress) {
        int scale = Math.max(1, pages / ZONE);
        int hot = HOT * scale;
        int chunk = CHUNK * scale;
        int rounds = (int) Math.ceil(10.0 * pages / chunk);
        long total = (long) rounds * chunk;
        Workloads.ReadStats st = new Workloads.ReadStats();
        Machine[] booted = new Machine[1];
        Program p = Program.of(gate -> {
            Machine m = new Machine(MachineConfig.of(2, pages), gate);
            Lru.install(m, ProtocolRegistry.onClassPath().byName("mm1"));
            Reclaim.install(m, ReclaimConfig.defaults());
            booted[0] = m;
            return m;
        }, (m, cpu) -> {
            Reclaim rc = Reclaim.of(m);
            if (cpu.id() == 1) {
                rc.kswapd().kswapd(cpu, Integer.MAX_VALUE);
                return;
            }
            try {
                Workloads.hotAndStreamingReads(m, cpu, Reclaim.of(m).fileMapping("hot"), hot, Reclaim.of(m).fileMapping("stream"),
                        chunk, rounds, st);
            } finally {
                rc.kswapd().stop();
            }
        });
        long t0 = System.nanoTime();
        Thread ticker = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(5_000);
                    Machine m = booted[0];
                    long pgscan = m == null ? 0 : m.pageAlloc().vmstat().get(VmStat.Item.pgscan);
                    progress.printf(Locale.ROOT, "kswapd-pressure x%d: streamed %d of %d pages (%.0f%%), pgscan %d, %.0f s%n",
                            scale, st.streamReads.get(), total, 100.0 * st.streamReads.get() / total, pgscan,
                            (System.nanoTime() - t0) / 1e9);
                }
            } catch (InterruptedException e) {
                // the run is over
            }
        }, "mmemu-progress");
        ticker.setDaemon(true);
        ticker.start();
        RunResult r;
        try {
            r = new FreeEngine(Duration.ofMinutes(30)).run(p);
        } finally {
            ticker.interrupt();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(pages, hot, chunk, rounds, st.streamReads.get(), st.hotHits.get(), st.hotMisses.get(),
                st.nomem.get(), r.machine().pageAlloc().vmstat().snapshot(), seconds, r.outcome().name(),
                r.findings().size());
    }
}
