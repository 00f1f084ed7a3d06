package org.mmemu.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.StepGate;
import org.mmemu.engine.FreeEngine;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.ZoneType;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.ZoneLru;
import org.mmemu.lru.protocol.ProtocolRegistry;

/**
 * Benchmark 1: the release side of a protocol under the free engine (real threads), one or two
 * CPUs, on pages that are mostly shared (a release leaves the count above zero) or mostly the
 * last reference (the release frees the page, and so takes the path the mail argues about).
 *
 * <p><b>Shape.</b> Each CPU owns {@code batch} pages on the Normal zone's inactive list, every
 * tenth of them of the other kind than the mode says (so "mostly"). A round is: all CPUs meet;
 * CPU 0 refills every CPU's batch (a freed page is replaced by a fresh one from the buddy
 * allocator, put on the LRU quietly; each page gets its count: 1 for a last reference, 2 for
 * a shared one); all CPUs meet; each releases its batch ({@code page_cache_release()} or
 * {@code release_pages()} in vectors of 16) and stops its clock. A round's time is its span,
 * from the first CPU's start to the last one's end; setup is outside the clocks. Rounds go on until {@code duration} of wall time (setup
 * included) has passed, at least one. Both CPUs'
 * pages are in the one zone, so two CPUs contend on its {@code lru_lock}.
 *
 * <p><b>Counts.</b> Lock acquisitions are the zone's {@code lru_lock.acquisitions()} over the
 * timed releases only (setup takes no LRU lock), divided by releases. No release path of these
 * protocols takes the lock more than once per page, so for {@code page_cache_release()} that is
 * also the share of releases that took the lock; {@code release_pages()} takes it once per
 * vector at most, and the figure is per page.
 *
 * <p>The barrier is the harness's, not the emulated kernel's: it is Java synchronisation between
 * the engine's threads outside any emulated step, bounded by a timeout so that a stopped run
 * cannot hang.
 */
public final class ReleaseBench {
    /** What a release call is. */
    public enum Path { PAGE_CACHE_RELEASE, RELEASE_PAGES }

    /** Most pages shared (count 2) or most the last reference (count 1). */
    public enum Mode { SHARED, LAST }

    /**
     * One measurement.
     *
     * @param protocol      the protocol
     * @param threads       CPUs releasing
     * @param mode          the page mix
     * @param path          the release call
     * @param releases      pages released in timed rounds
     * @param nanos         the timed rounds' total (per round: first start to last end)
     * @param acquisitions  lru_lock acquisitions during the timed releases
     * @param lastRefs      releases of a last reference
     * @param findings      what the detectors found (a correct protocol: none)
     */
    public record Result(String protocol, int threads, Mode mode, Path path, long releases, long nanos,
                         long acquisitions, long lastRefs, List<String> findings) {
        public double releasesPerSecond() {
            return nanos == 0 ? Double.NaN : releases * 1e9 / nanos;
        }

        public double locksPerRelease() {
            return releases == 0 ? Double.NaN : acquisitions / (double) releases;
        }

        public double lastRefShare() {
            return releases == 0 ? Double.NaN : lastRefs / (double) releases;
        }
    }

    private final int batch;

    /** A bench with {@code batch} pages per CPU per round. */
    public ReleaseBench(int batch) {
        if (batch < Pagevec16.SIZE || batch % Pagevec16.SIZE != 0) {
            throw new IllegalArgumentException("batch must be a positive multiple of 16");
        }
        this.batch = batch;
    }

    /** One run of {@code duration} of timed rounds. */
    public Result run(String protocol, int threads, Mode mode, Path path, Duration duration) {
        Workload w = new Workload(protocol, threads, mode, path, duration);
        RunResult r = new FreeEngine(duration.plusSeconds(30)).run(w);
        List<String> findings = r.findings().stream().map(Object::toString).toList();
        return new Result(protocol, threads, mode, path, w.releases, w.nanos, w.acquisitions, w.lastRefs, findings);
    }

    /** The free-engine program: rounds of setup (CPU 0) and timed releases (every CPU). */
    private final class Workload implements Program {
        private final String protocol;
        private final int threads;
        private final Mode mode;
        private final Path path;
        private final long durationNanos;
        private final CyclicBarrier barrier;
        private final long[] roundStart;
        private final long[] roundEnd;
        private volatile boolean done;
        long releases;
        long nanos;
        long acquisitions;
        long lastRefs;

        Workload(String protocol, int threads, Mode mode, Path path, Duration duration) {
            this.protocol = protocol;
            this.threads = threads;
            this.mode = mode;
            this.path = path;
            this.durationNanos = duration.toNanos();
            this.barrier = new CyclicBarrier(threads);
            this.roundStart = new long[threads];
            this.roundEnd = new long[threads];
        }

        @Override
        public Machine boot(StepGate gate) {
            LruProtocol p = ProtocolRegistry.onClassPath().byName(protocol);
            Machine m = new Machine(MachineConfig.of(threads, 4 * batch * threads + 1024)
                    .withBiasedCount(p.biasedCount()), gate);
            Lru.install(m, p);
            m.extension(Page[][].class, x -> new Page[threads][batch]);
            return m;
        }

        @Override
        public void run(Machine m, Cpu cpu) {
            Page[][] pages = m.extensionOrNull(Page[][].class);
            LruProtocol p = Lru.of(m).protocol();
            ZoneLru zl = Lru.of(m).zone(m.zone(ZoneType.NORMAL));
            Page[] vec = new Page[Pagevec16.SIZE];
            try {
                rounds(m, cpu, pages, p, zl, vec);
            } finally {
                // A CPU that stops (a finding, the time limit) must not leave the others waiting.
                barrier.reset();
            }
        }

        private void rounds(Machine m, Cpu cpu, Page[][] pages, LruProtocol p, ZoneLru zl, Page[] vec) {
            long wallStart = System.nanoTime();
            long before = 0;
            boolean first = true;
            while (true) {
                meet();
                if (cpu.id() == 0) {
                    // Bounded by wall time, setup included, so a run takes what it was given.
                    done = !first && System.nanoTime() - wallStart >= durationNanos;
                    first = false;
                    if (!done) {
                        lastRefs += refill(m, cpu, zl, pages);
                        before = zl.lruLock().acquisitions();
                    }
                }
                meet();
                if (done) {
                    return;
                }
                long t0 = System.nanoTime();
                Page[] mine = pages[cpu.id()];
                if (path == Path.PAGE_CACHE_RELEASE) {
                    for (Page page : mine) {
                        p.pageCacheRelease(cpu, page);
                    }
                } else {
                    for (int i = 0; i < mine.length; i += vec.length) {
                        System.arraycopy(mine, i, vec, 0, vec.length);
                        p.releasePages(cpu, vec, vec.length);
                    }
                }
                roundStart[cpu.id()] = t0;
                roundEnd[cpu.id()] = System.nanoTime();
                meet();
                if (cpu.id() == 0) {
                    // The round's span: first CPU to start to last to finish (not the slowest
                    // CPU's own time, which overstates throughput when the CPUs did not overlap).
                    long first0 = Long.MAX_VALUE;
                    long last1 = Long.MIN_VALUE;
                    for (int c = 0; c < threads; c++) {
                        first0 = Math.min(first0, roundStart[c]);
                        last1 = Math.max(last1, roundEnd[c]);
                    }
                    nanos += last1 - first0;
                    releases += (long) threads * batch;
                    acquisitions += zl.lruLock().acquisitions() - before;
                }
            }
        }

        /** Gives every slot a live page on the LRU with its count; returns how many are last references. */
        private long refill(Machine m, Cpu cpu, ZoneLru zl, Page[][] pages) {
            long last = 0;
            // First forget every freed page: the allocator may hand one back for another slot.
            for (Page[] mine : pages) {
                for (int i = 0; i < mine.length; i++) {
                    if (mine[i] != null && m.detectors().isFree(mine[i].pfn())) {
                        mine[i] = null;
                    }
                }
            }
            for (Page[] mine : pages) {
                for (int i = 0; i < mine.length; i++) {
                    Page page = mine[i];
                    if (page == null) {
                        page = m.pageAlloc().allocPage(cpu, Gfp.GFP_KERNEL);
                        if (page == null) {
                            throw new IllegalStateException("the bench machine ran out of pages");
                        }
                        zl.addQuietly(page, false);
                        mine[i] = page;
                    }
                    // Every tenth page is of the minority kind; a shared page keeps a second reference.
                    boolean lastRef = (mode == Mode.LAST) == (i % 10 != 9);
                    page.setCountQuietly(lastRef ? 1 : 2);
                    last += lastRef ? 1 : 0;
                }
            }
            return last;
        }

        private void meet() {
            try {
                barrier.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at the bench barrier", e);
            } catch (BrokenBarrierException | TimeoutException e) {
                throw new IllegalStateException("the other bench CPU did not arrive", e);
            }
        }
    }

    /** The size of a release_pages() vector: PAGEVEC_SIZE of 2.5.33. */
    private static final class Pagevec16 {
        static final int SIZE = 16;
    }
}
