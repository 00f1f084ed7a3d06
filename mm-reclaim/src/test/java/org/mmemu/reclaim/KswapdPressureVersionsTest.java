package org.mmemu.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.StepGate;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.protocol.ProtocolRegistry;

/**
 * The machine of the shipped scenario kswapd-pressure (mm-scenario's kswapd-pressure.yaml: two
 * CPUs, a Normal zone of 64 pages, a reader of an 8-page hot file and a 16-page-a-round stream
 * for 4 rounds, kswapd on cpu1 for 8 rounds), run one step after another (the reader's round,
 * then kswapd's) so that the result is the kernel's, not the schedule's, under 2.5.33 and under
 * testone (2.6.7). Their /proc/vmstat-style counters ({@code VmStat}) differ where their
 * reclaim loops differ (issue 23):
 * <ul>
 * <li>{@code pageoutrun}: 2.5.33 counts it in try_to_free_pages() (l.439), every direct
 * reclaim and every zone kswapd_balance_pgdat() balances; 2.6.7 once per balance_pgdat().
 * <li>{@code pgscan}, {@code pgsteal}: 2.5.33's try_to_free_pages stops as soon as 32 pages are
 * freed, each shrink_cache pass frees at most one batch of {@code max(nr_pages, 32)}; 2.6.7's
 * balance_pgdat shrinks until the zone is above pages_high, shrink_cache runs batches of 32 until
 * its {@code nr_scan_inactive} count is spent, and its priorities go 12..0
 * ({@code scan_inactive = (nr_active + nr_inactive) >> priority}) where 2.5.33's go 6..1
 * ({@code nr_inactive / priority}).
 * <li>{@code pgrefill}, {@code pgdeactivate}: 2.5.33 refills by SWAP_CLUSTER_MAX once
 * {@code refill_counter} passes 32 ({@code ratio+1} per call); 2.6.7 by the accumulated
 * {@code nr_scan_active} count.
 * </ul>
 */
class KswapdPressureVersionsTest {

    static Map<String, Long> run(String protocol) {
        LruProtocol probe = ProtocolRegistry.onClassPath().byName(protocol);
        Machine m = new Machine(MachineConfig.of(2, 64).withBiasedCount(probe.biasedCount()), StepGate.FREE);
        Lru.install(m, ProtocolRegistry.onClassPath().byName(protocol));
        Reclaim r = Reclaim.install(m, ReclaimConfig.defaults());
        Cpu reader = m.cpu(0);
        Cpu kswapd = m.cpu(1);
        AddressSpace hot = r.fileMapping("hot");
        AddressSpace stream = r.fileMapping("stream");
        Workloads.ReadStats stats = new Workloads.ReadStats();
        int kswapdRounds = 8; // the scenario's kswapd: { rounds: 8 }, two after each reader round
        for (int round = 0; round < 4; round++) {
            // hot_and_streaming_reads, one round at a time: hot pages 0..7, then stream pages
            Filemap fm = r.filemap();
            for (int i = 0; i < 8; i++) {
                fm.read(reader, hot, i);
            }
            for (int i = 0; i < 16; i++) {
                fm.read(reader, stream, round * 16L + i);
            }
            r.kswapd().kswapd(kswapd, 2);
            kswapdRounds -= 2;
        }
        assertThat(kswapdRounds).isZero();
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).as(protocol).isEmpty();
        return m.pageAlloc().vmstat().snapshot();
    }

    @Test
    void v2533AndTestoneReclaimDifferently() {
        Map<String, Long> v2533 = run("2.5.33");
        Map<String, Long> testone = run("testone");
        System.out.println("kswapd-pressure, 2.5.33: " + v2533);
        System.out.println("kswapd-pressure, testone: " + testone);
        assertThat(v2533).isNotEqualTo(testone);
        // The same reads, the same kswapd wake-ups (one per reader round), one reclaim round each
        assertThat(v2533.get("kswapd_wakeup")).isEqualTo(4);
        assertThat(testone.get("kswapd_wakeup")).isEqualTo(4);
        assertThat(v2533.get("pageoutrun")).isEqualTo(4); // try_to_free_pages per flagged zone
        assertThat(testone.get("pageoutrun")).isEqualTo(4); // balance_pgdat per wake-up
        // 2.5.33: try_to_free_pages(zone, GFP_KSWAPD) wants 32 pages; shrink_cache's batch is
        // max(nr_pages, 32), so each kswapd pass empties the zone's LRU, hot file included, and
        // every read of the hot file misses (96 allocations = 4 * (8 + 16)). 2.6.7:
        // balance_pgdat() stops once the zone is above pages_high, and shrink_zone() scans
        // (nr_active + nr_inactive) >> priority from 12 down: the hot file survives, is read
        // again and activated (mark_page_accessed), and fewer pages are allocated and stolen.
        assertThat(v2533.get("pgalloc")).isEqualTo(96);
        assertThat(testone.get("pgalloc")).isLessThan(96);
        assertThat(v2533.get("pgsteal")).isGreaterThan(testone.get("pgsteal"));
        assertThat(v2533.get("pgactivate")).isZero();
        assertThat(testone.get("pgactivate")).isPositive();
        // 2.6.7's nr_scan_active accumulator reaches 32 and refills; 2.5.33's refill_counter
        // (ratio + 1 per shrink_zone) never passes 32 in four rounds
        assertThat(v2533.get("pgrefill")).isZero();
        assertThat(testone.get("pgrefill")).isPositive();
        // 2.5.33 l.445: out_of_memory() after the last priority whatever the caller: kswapd's
        // call once the zone is above pages_high (shrink_caches skips it, nr_pages stays > 0);
        // 2.6.7's balance_pgdat() never calls it. (oom_kill counts out_of_memory() calls; the
        // rate limit of mm/oom_kill.c is not emulated.)
        assertThat(v2533.get("oom_kill")).isPositive();
        assertThat(testone.get("oom_kill")).isZero();
    }
}
