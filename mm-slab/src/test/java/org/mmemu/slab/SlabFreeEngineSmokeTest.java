package org.mmemu.slab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.engine.FreeEngine;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.core.page.Gfp;
import org.mmemu.slab.dcache.Dentry;
import org.mmemu.slab.dcache.DentryCache;
import org.mmemu.slab.shrink.ShrinkerList;

/**
 * Real threads, one per emulated CPU, allocating and freeing from one cache (with small per-CPU
 * arrays so that batches move often), freeing each other's objects, draining every CPU's array
 * (kmem_cache_shrink) while they run, reaping, and creating, putting and pruning dentries
 * through the shrinker. The run must end without a finding, the quiescent slab accounting must
 * hold, and destroying the caches must give back every page.
 */
class SlabFreeEngineSmokeTest {
    private static final int CPUS = 4;
    private static final int PAGES = 1024;
    private static final int OPS = 15_000;

    @Test
    void concurrentAllocFreeReapAndPruneLeaveNoFindings() {
        long seed = System.nanoTime();
        System.out.println("SlabFreeEngineSmokeTest seed " + seed);
        AtomicReference<KmemCache<SlabObject>> cacheRef = new AtomicReference<>();
        AtomicReference<DentryCache> dcacheRef = new AtomicReference<>();
        Queue<SlabObject> exchange = new ConcurrentLinkedQueue<>();

        Program program = Program.of(gate -> {
            Machine m = new Machine(MachineConfig.of(CPUS, PAGES), gate);
            SlabTestSupport.lowerWatermarks(m);
            SlabAllocator sa = SlabAllocator.of(m);
            KmemCache<SlabObject> c = sa.kmemCacheCreate(m.cpu(0), "smoke", 64, 0, 0, o -> { }, 0);
            c.kmemTuneCpucache(m.cpu(0), 8, 4);
            cacheRef.set(c);
            dcacheRef.set(DentryCache.dcacheInit(m.cpu(0), sa, true));
            return m;
        }, (m, cpu) -> runCpu(m, cpu, new Random(seed + cpu.id()), cacheRef.get(), dcacheRef.get(), exchange));

        RunResult r = new FreeEngine(Duration.ofSeconds(60)).run(program);
        assertThat(r.outcome()).as("seed %d", seed).isEqualTo(RunResult.Outcome.COMPLETED);
        assertThat(r.findings()).as("seed %d", seed).isEmpty();

        Machine m = r.machine();
        Cpu cpu0 = m.cpu(0);
        SlabAllocator sa = SlabAllocator.of(m);
        assertThat(sa.nrSlab()).isPositive();
        for (SlabObject o; (o = exchange.poll()) != null; ) {
            cacheRef.get().kmemCacheFree(cpu0, o);
        }
        assertThat(dcacheRef.get().destroy(cpu0)).isZero();
        assertThat(sa.kmemCacheDestroy(cpu0, cacheRef.get())).isZero();
        assertThat(sa.nrSlab()).isZero();
        assertThat(m.pageAlloc().nrFreePages()).isEqualTo(PAGES);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).as("seed %d", seed).isEmpty();
    }

    private static void runCpu(Machine m, Cpu cpu, Random rnd, KmemCache<SlabObject> c, DentryCache dc,
                               Queue<SlabObject> exchange) {
        SlabAllocator sa = SlabAllocator.of(m);
        List<SlabObject> mine = new ArrayList<>();
        for (int op = 0; op < OPS; op++) {
            int p = rnd.nextInt(100);
            if (p < 40) {
                if (mine.size() < 200) {
                    SlabObject o = c.kmemCacheAlloc(cpu, Gfp.GFP_KERNEL);
                    if (o != null) {
                        mine.add(o);
                    }
                }
            } else if (p < 70) {
                if (!mine.isEmpty()) {
                    c.kmemCacheFree(cpu, mine.remove(rnd.nextInt(mine.size())));
                }
            } else if (p < 80) {
                if (!mine.isEmpty()) {
                    exchange.add(mine.remove(mine.size() - 1));
                }
            } else if (p < 90) {
                SlabObject o = exchange.poll();
                if (o != null) {
                    c.kmemCacheFree(cpu, o); // an object another CPU allocated
                }
            } else if (p < 95) {
                Dentry d = dc.dAlloc(cpu, Gfp.GFP_KERNEL);
                if (d != null) {
                    dc.dget(cpu, d);
                    dc.dput(cpu, d);
                    dc.dput(cpu, d); // now unused, prunable by anyone
                }
            } else if (p < 97) {
                dc.pruneDcache(cpu, 4);
            } else if (p < 98) {
                sa.kmemCacheReap(cpu, Gfp.GFP_KERNEL);
            } else if (p < 99) {
                ShrinkerList.of(m).shrinkSlab(cpu, 64, Gfp.GFP_KERNEL);
            } else {
                c.kmemCacheShrink(cpu); // drains every CPU's array while they use them
            }
        }
        for (SlabObject o : mine) {
            c.kmemCacheFree(cpu, o);
        }
    }
}
