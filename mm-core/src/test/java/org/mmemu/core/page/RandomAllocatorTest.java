package org.mmemu.core.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.TestMachines;
import org.mmemu.core.emu.Cpu;

/**
 * Seeded random allocation and freeing of mixed orders on two zones of sizes that are not
 * powers of two: after every step the quiescent checks find nothing (buddy lists, free_pages
 * and the shadow agree; no leak), and freeing everything coalesces back to the free areas of
 * boot. Each run prints its seed; rerun one with {@code -Dmmemu.seed=<seed>}.
 */
class RandomAllocatorTest {
    private static final int STEPS = 1500;

    static LongStream seeds() {
        Long fixed = Long.getLong("mmemu.seed");
        if (fixed != null) {
            return LongStream.of(fixed);
        }
        return LongStream.of(1L, 2002L, 0x3d6a8082L, System.nanoTime());
    }

    private record Block(Page head, int order) {
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void accountingHoldsAtEveryStepAndEverythingCoalescesBack(long seed) {
        System.out.println("RandomAllocatorTest seed " + seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        Machine m = TestMachines.boot(MachineConfig.of(2, 1000).withZone(ZoneType.DMA, 300));
        Map<Zone, int[]> initial = new HashMap<>();
        for (Zone z : m.node().zones()) {
            initial.put(z, TestMachines.freeBlocks(z));
        }
        int total = m.node().nrPages();
        List<Block> held = new ArrayList<>();
        int heldPages = 0;

        for (int step = 0; step < STEPS; step++) {
            Cpu cpu = m.cpu(rnd.nextInt(2));
            if (held.isEmpty() || rnd.nextInt(100) < 55) {
                // orders 0..6, low orders likelier
                int order = Math.min(rnd.nextInt(8), rnd.nextInt(8)) % 7;
                Page p;
                if (rnd.nextBoolean()) {
                    Zone z = m.node().zones().get(rnd.nextInt(m.node().zones().size()));
                    p = m.pageAlloc().rmqueue(cpu, z, order);
                } else {
                    cpu.setPflags(Cpu.PF_MEMALLOC); // below the watermarks too
                    int gfp = rnd.nextBoolean() ? Gfp.GFP_KERNEL : Gfp.GFP_KERNEL | Gfp.__GFP_DMA;
                    p = m.pageAlloc().allocPages(cpu, gfp, order);
                    cpu.setPflags(0);
                }
                if (p != null) {
                    assertThat(p.count()).isEqualTo(1);
                    assertThat((p.pfn() - p.zone().startPfn()) % (1 << order)).isZero();
                    held.add(new Block(p, order));
                    heldPages += 1 << order;
                }
            } else {
                Block b = held.remove(rnd.nextInt(held.size()));
                m.pageAlloc().freePages(cpu, b.head(), b.order());
                heldPages -= 1 << b.order();
            }
            assertThat(m.accounting().check()).as("seed %d step %d", seed, step).isZero();
            assertThat(m.pageAlloc().nrFreePages() + heldPages).as("seed %d step %d", seed, step).isEqualTo(total);
        }

        for (Block b : held) {
            m.pageAlloc().freePages(m.cpu(0), b.head(), b.order());
        }
        for (Zone z : m.node().zones()) {
            assertThat(TestMachines.freeBlocks(z)).as("seed %d zone %s", seed, z).isEqualTo(initial.get(z));
            assertThat(z.freePages()).isEqualTo(z.size());
        }
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).as("seed %d", seed).isEmpty();
        assertThat(m.pageAlloc().vmstat().get(VmStat.Item.pgalloc))
                .isEqualTo(m.pageAlloc().vmstat().get(VmStat.Item.pgfree));
    }
}
