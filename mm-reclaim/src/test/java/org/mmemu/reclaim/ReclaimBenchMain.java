package org.mmemu.reclaim;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.StepGate;
import org.mmemu.engine.FreeEngine;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Zone;
import org.mmemu.core.page.ZoneType;
import org.mmemu.lru.Lru;
import org.mmemu.lru.protocol.ProtocolRegistry;

/**
 * Reclaim figures under the free engine (a benchmark, not a test; speed claims live here).
 *
 * <p>1. Pages scanned per second by {@code shrink_cache()} on a Normal zone of 1 Mi pages: the
 * zone is filled by reading a file through the page cache, then one CPU calls
 * {@code shrink_cache(SWAP_CLUSTER_MAX, Normal, GFP_KERNEL, max_scan)} until a given number of
 * pages were scanned; twice: clean unmapped pages (each scanned page is freed) and pages someone
 * else holds a reference to (each is put back).
 *
 * <p>2. The workloads' {@code /proc/vmstat} figures: a hot set and a stream (with kswapd on the
 * second CPU), anonymous memory with and without swap, dirty writes then truncation.
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -B -q -o -pl mm-reclaim -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx4g -cp mm-reclaim/target/test-classes:mm-reclaim/target/classes:$(cat mm-reclaim/target/cp.txt) \
 *     org.mmemu.reclaim.ReclaimBenchMain [protocol]
 * </pre>
 */
public final class ReclaimBenchMain {
    private static final int MI = 1 << 20;

    private ReclaimBenchMain() {
    }

    public static void main(String[] args) {
        String protocol = args.length > 0 ? args[0] : "mm1";
        System.out.println("protocol " + protocol + ", " + Runtime.getRuntime().availableProcessors() + " host CPUs");
        for (int rep = 0; rep < 3; rep++) {
            scanRate(protocol, false);
            scanRate(protocol, true);
        }
        workloads(protocol);
    }

    private static Machine boot(StepGate gate, int cpus, int pages, String protocol, ReclaimConfig config) {
        Machine m = new Machine(MachineConfig.of(cpus, pages), gate);
        Lru.install(m, ProtocolRegistry.onClassPath().byName(protocol));
        Reclaim.install(m, config);
        return m;
    }

    /** Scan rate of shrink_cache on a 1 Mi page zone; {@code held}: every page has an extra reference. */
    private static void scanRate(String protocol, boolean held) {
        long target = 512L * 1024;
        AtomicReference<String> line = new AtomicReference<>();
        Program p = Program.of(gate -> boot(gate, 1, MI, protocol, ReclaimConfig.defaults()), (m, cpu) -> {
            Zone z = m.zone(ZoneType.NORMAL);
            AddressSpace f = Reclaim.of(m).fileMapping("big");
            Filemap fm = Reclaim.of(m).filemap();
            long i = 0;
            while (z.freePages() > z.pagesLow() + 64) {
                fm.read(cpu, f, i);
                if (held) {
                    f.findGetPage(cpu, i); // a reference that is never dropped
                }
                i++;
            }
            Reclaim.of(m).lruOps().lruAddDrain(cpu);
            Vmscan vm = Reclaim.of(m).vmscan();
            var vmstat = m.pageAlloc().vmstat();
            long scan0 = vmstat.get(org.mmemu.core.page.VmStat.Item.pgscan);
            long t0 = System.nanoTime();
            long scanned = 0;
            while (scanned < target) {
                vm.shrinkCache(cpu, Vmscan.SWAP_CLUSTER_MAX, z, Gfp.GFP_KERNEL, 2 * Vmscan.SWAP_CLUSTER_MAX);
                scanned = vmstat.get(org.mmemu.core.page.VmStat.Item.pgscan) - scan0;
            }
            double s = (System.nanoTime() - t0) / 1e9;
            line.set(String.format("shrink_cache, zone of %d pages, %d on the LRU, %s: %d pages scanned in %.2f s = %.0f pages/s (pgsteal %d)",
                    z.size(), i, held ? "every page held (kept)" : "clean page cache (freed)", scanned, s,
                    scanned / s, vmstat.get(org.mmemu.core.page.VmStat.Item.pgsteal)));
        });
        RunResult r = new FreeEngine(Duration.ofMinutes(5)).run(p);
        System.out.println(line.get() + "; run " + r.outcome() + ", findings " + r.findings().size());
    }

    /** CPU 0 faults in, touches twice and unmaps 1.5 times memory of anonymous pages; CPU 1 runs kswapd. */
    private static Program anonWithKswapd(String protocol, int pages, int swap, int[] failed) {
        return Program.of(gate -> boot(gate, 2, pages, protocol, ReclaimConfig.defaults().withSwapSlots(swap)), (m, cpu) -> {
            Reclaim rc = Reclaim.of(m);
            if (cpu.id() == 1) {
                rc.kswapd().kswapd(cpu, Integer.MAX_VALUE);
                return;
            }
            try {
                failed[0] = Workloads.anonymous(cpu, Reclaim.of(m).anonRegion("anon", pages * 3 / 2), 2);
            } finally {
                rc.kswapd().stop();
            }
        });
    }

    private static void print(String name, RunResult r, String extra) {
        Map<String, Long> v = r.machine().pageAlloc().vmstat().snapshot();
        System.out.printf("%-34s %s pgscan %d pgsteal %d pgactivate %d pgdeactivate %d kswapd_wakeup %d allocstall %d"
                        + " oom_kill %d pgpgout %d lru_mopup %d; findings %d; %s%n", name, r.outcome(), v.get("pgscan"),
                v.get("pgsteal"), v.get("pgactivate"), v.get("pgdeactivate"), v.get("kswapd_wakeup"),
                v.get("allocstall"), v.get("oom_kill"), v.get("pgpgout"), v.get("lru_mopup"), r.findings().size(), extra);
    }

    private static void workloads(String protocol) {
        int pages = 16 * 1024;
        FreeEngine engine = new FreeEngine(Duration.ofMinutes(2));

        Workloads.ReadStats st = new Workloads.ReadStats();
        RunResult r = engine.run(Program.of(gate -> boot(gate, 2, pages, protocol, ReclaimConfig.defaults()), (m, cpu) -> {
            Reclaim rc = Reclaim.of(m);
            if (cpu.id() == 1) {
                rc.kswapd().kswapd(cpu, Integer.MAX_VALUE);
                return;
            }
            try {
                Workloads.hotAndStreamingReads(m, cpu, Reclaim.of(m).fileMapping("hot"), 1024, Reclaim.of(m).fileMapping("stream"),
                        256, 256, st); // 64 Ki stream pages: 4x memory
            } finally {
                rc.kswapd().stop();
            }
        }));
        print("hot 1Ki + stream 64Ki, kswapd", r, st.toString());

        int[] failed = new int[1];
        r = engine.run(anonWithKswapd(protocol, pages, 2 * pages, failed));
        print("anon 24Ki + kswapd, swap 32Ki", r, "failed faults " + failed[0]);
        r = engine.run(anonWithKswapd(protocol, pages, 0, failed));
        print("anon 24Ki + kswapd, no swap", r, "failed faults " + failed[0]);

        r = engine.run(Program.of(gate -> boot(gate, 2, pages, protocol, ReclaimConfig.defaults()), (m, cpu) -> {
            AddressSpace f = Reclaim.of(m).fileMapping("file" + cpu.id());
            Workloads.writes(m, cpu, f, pages);
            Workloads.truncate(cpu, f);
        }));
        print("dirty writes 2 x 16Ki + truncate", r, "");
    }
}
