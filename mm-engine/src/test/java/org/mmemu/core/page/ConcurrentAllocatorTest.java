package org.mmemu.core.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.engine.FreeEngine;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;

/**
 * The allocator under the free engine: two CPUs on real threads allocating and freeing mixed
 * orders at once, serialised only by {@code zone->lock}, end with the buddy lists, the
 * counters and the shadow in agreement and every page back.
 */
class ConcurrentAllocatorTest {

    @Test
    void twoCpusAllocatingAndFreeingAtOnceLoseNothing() {
        Program program = Program.of(gate -> new Machine(MachineConfig.of(2, 2048), gate), (m, cpu) -> {
            Deque<Page> held = new ArrayDeque<>();
            for (int i = 0; i < 20_000; i++) {
                int order = (i + cpu.id()) % 3;
                cpu.setPflags(org.mmemu.core.emu.Cpu.PF_MEMALLOC);
                Page p = m.pageAlloc().allocPages(cpu, Gfp.GFP_KERNEL, order);
                if (p != null) {
                    p.setPrivateData(order); // remember the order, as the caller would
                    held.push(p);
                }
                if (held.size() > 40 || (p == null && !held.isEmpty())) {
                    Page q = held.removeLast();
                    m.pageAlloc().freePages(cpu, q, (int) q.privateData());
                }
            }
            while (!held.isEmpty()) {
                Page q = held.pop();
                m.pageAlloc().freePages(cpu, q, (int) q.privateData());
            }
        });
        RunResult r = new FreeEngine(Duration.ofMinutes(1)).run(program);

        assertThat(r.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
        assertThat(r.findings()).isEmpty(); // the quiescent checks ran at the end
        Zone z = r.machine().node().zones().get(0);
        assertThat(z.freePages()).isEqualTo(2048);
        assertThat(z.freeArea(Zone.MAX_ORDER - 1).nrFree()).isEqualTo(4);
        assertThat(z.lock().acquisitions()).isGreaterThanOrEqualTo(2 * 20_000);
    }
}
