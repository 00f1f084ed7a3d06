package org.mmemu.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.StepGate;
import org.mmemu.engine.FreeEngine;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.protocol.ProtocolRegistry;

/**
 * The release figure: {@code page_cache_release()} of mm1 under the free engine, end to end on
 * one CPU, against a bare {@link AtomicInteger} decrement in the same run and on the same
 * thread; and the free engine's step hook against no hook at all.
 *
 * <p><b>Shape.</b> A machine of {@code pages} pages; {@link #SET} of them are allocated and
 * given a count far above zero, so every release is the shared case (a
 * {@code put_page_testzero()} that leaves the count above zero: the path most releases take).
 * The CPU releases them round-robin in slices of {@link #SLICE} operations, alternating with a
 * slice of bare decrements on as many {@code AtomicInteger}s, and, on a second machine booted
 * with {@link StepGate#FREE} (a gate that does nothing), a slice of the same releases. Clock:
 * the thread's CPU time (see {@link ScanScale}).
 *
 * <p>An emulated release is three steps here ({@code PageReserved}, {@code put_page_testzero},
 * the test of its result), each through the gate and the CPU's record of recent steps, two
 * detector checks (is the page free?), one real atomic, and the protocol's dispatch.
 */
final class ReleaseScale {
    /** Pages released round-robin. */
    static final int SET = 256;
    /** Operations per timed slice. */
    static final int SLICE = 1 << 16;

    /**
     * @param emulatedNanos CPU ns per release under the free engine
     * @param noHookNanos   CPU ns per release with a gate that does nothing
     * @param bareNanos     CPU ns per bare atomic decrement
     */
    record Result(int pages, double emulatedNanos, double noHookNanos, double bareNanos, int findings) {
        double ratio() {
            return emulatedNanos / bareNanos;
        }
    }

    private ReleaseScale() {
    }

    static Result run(int pages, int slices) {
        double[] out = new double[4];
        Machine quiet = boot(StepGate.FREE, pages);
        Page[] quietPages = shared(quiet, quiet.cpu(0));
        Program p = Program.of(gate -> boot(gate, pages), (m, cpu) -> {
            Page[] set = shared(m, cpu);
            LruProtocol protocol = Lru.of(m).protocol();
            LruProtocol quietProtocol = Lru.of(quiet).protocol();
            Cpu quietCpu = quiet.cpu(0);
            AtomicInteger[] bare = new AtomicInteger[SET];
            for (int i = 0; i < SET; i++) {
                bare[i] = new AtomicInteger(Integer.MAX_VALUE);
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long sink = 0;
            long[] t = new long[3];
            for (int s = -slices / 4; s < slices; s++) { // the first quarter warms up
                long t0 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < SLICE; i++) {
                    protocol.pageCacheRelease(cpu, set[i & (SET - 1)]);
                }
                long t1 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < SLICE; i++) {
                    sink += bare[i & (SET - 1)].decrementAndGet();
                }
                long t2 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < SLICE; i++) {
                    quietProtocol.pageCacheRelease(quietCpu, quietPages[i & (SET - 1)]);
                }
                long t3 = threads.getCurrentThreadCpuTime();
                if (s >= 0) {
                    t[0] += t1 - t0;
                    t[1] += t2 - t1;
                    t[2] += t3 - t2;
                }
            }
            double ops = (double) slices * SLICE;
            out[0] = t[0] / ops;
            out[1] = t[2] / ops;
            out[2] = t[1] / ops;
            out[3] = sink & 1;
        });
        RunResult r = new FreeEngine(Duration.ofMinutes(10)).run(p);
        if (r.outcome() != RunResult.Outcome.COMPLETED) {
            throw new IllegalStateException("release run at " + pages + " pages: " + r.outcome() + " " + r.findings());
        }
        return new Result(pages, out[0], out[1], out[2], r.findings().size() + quiet.detectors().findings().size());
    }

    /** {@link #SET} pages allocated and shared: a count no release in this run brings to zero. */
    private static Page[] shared(Machine m, Cpu cpu) {
        Page[] set = new Page[SET];
        for (int i = 0; i < SET; i++) {
            set[i] = m.pageAlloc().allocPage(cpu, Gfp.GFP_KERNEL);
            set[i].setCountQuietly(Integer.MAX_VALUE >> 1);
        }
        return set;
    }

    private static Machine boot(StepGate gate, int pages) {
        Machine m = new Machine(MachineConfig.of(1, pages), gate);
        Lru.install(m, ProtocolRegistry.onClassPath().byName("mm1"));
        return m;
    }
}
