package org.mmemu.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.engine.FreeEngine;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.core.page.VmStat.Item;
import org.mmemu.lru.protocol.ProtocolRegistry;

/**
 * Reclaim running beside its workloads on real threads (the free engine): CPU 0 reads a hot set
 * and a stream three times the size of memory, CPU 1 runs kswapd until the reader is done. What
 * the timing does is the host's; what must hold whatever it does is checked.
 */
class FreeEngineReclaimTest {

    @Test
    void kswapdAndAReaderRunSideBySideWithoutFindings() {
        Workloads.ReadStats stats = new Workloads.ReadStats();
        java.util.concurrent.atomic.AtomicInteger balances = new java.util.concurrent.atomic.AtomicInteger();
        Program p = new Program() {
            @Override
            public Machine boot(org.mmemu.core.emu.StepGate gate) {
                // always-lock, not mm1: mm1's release leaves a zero-count page on the LRU until it
                // gets lru_lock, which its pre-2.5.39 shrink_cache can loop on for ever (a finding)
                Machine m = Machines.boot(gate, 2, 1024, x -> ProtocolRegistry.onClassPath().byName("always-lock"), ReclaimConfig.defaults(),
                        8, 16, 48);
                Reclaim.of(m).fileMapping("warm-up"); // reclaim is installed
                return m;
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                Reclaim r = Reclaim.of(m);
                if (cpu.id() == 1) {
                    balances.set(r.kswapd().kswapd(cpu, Integer.MAX_VALUE));
                    return;
                }
                try {
                    AddressSpace hot = m.extension("hot", x -> Reclaim.of(x).fileMapping("hot"));
                    AddressSpace stream = m.extension("stream", x -> Reclaim.of(x).fileMapping("stream"));
                    Workloads.hotAndStreamingReads(m, cpu, hot, 64, stream, 32, 96, stats);
                } finally {
                    r.kswapd().stop();
                }
            }
        };
        RunResult res = new FreeEngine(Duration.ofSeconds(30)).run(p);
        Machine m = res.machine();
        System.out.println("free engine: " + stats + "; vmstat " + m.pageAlloc().vmstat().snapshot());

        assertThat(res.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
        assertThat(res.findings()).isEmpty();
        assertThat(stats.nomem.get()).isZero();
        assertThat(stats.streamReads.get()).isEqualTo(96 * 32);
        // kswapd took part: woken from its sleep, or (when the reader had already pulled a zone
        // under pages_high before kswapd's first look, so that it never slept) balancing from the
        // start; which of the two is the host's timing (a fresh-clone run had no wake-up at all)
        assertThat(m.pageAlloc().vmstat().get(Item.kswapd_wakeup) + balances.get())
                .as("kswapd's wake-ups and kswapd_balance() runs").isGreaterThanOrEqualTo(1);
        assertThat(m.pageAlloc().vmstat().get(Item.pgsteal)).isGreaterThan(1024);
    }
}
