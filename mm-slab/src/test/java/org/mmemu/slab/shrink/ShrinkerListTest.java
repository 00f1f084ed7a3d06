package org.mmemu.slab.shrink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.VmStat;

/** shrink_slab() of akpm's shrinker API (SHR, 2.5.42; docs/FIDELITY.md). */
class ShrinkerListTest {
    private final Machine m = new Machine(MachineConfig.of(2, 256), StepGate.FREE);
    private final Cpu cpu = m.cpu(0);
    private final ShrinkerList shrinkers = ShrinkerList.of(m);

    /** A shrinker that always has {@code entries} objects and records the scans it is asked for. */
    private static final class Recorder implements ShrinkerFn {
        final int entries;
        final List<Integer> scans = new ArrayList<>();
        int queries;

        Recorder(int entries) {
            this.entries = entries;
        }

        @Override
        public int shrink(Cpu cpu, int nrToScan, int gfpMask) {
            if (nrToScan == 0) {
                queries++;
            } else {
                scans.add(nrToScan);
            }
            return entries;
        }
    }

    @Test
    void creditIsScannedTimesSeeksTimesEntriesOverUsedPagesAndPaidOutPastTheBatch() {
        shrinkers.setUsedPages(x -> 999); // pages + 1 = 1000
        Recorder r = new Recorder(500);
        Shrinker s = shrinkers.setShrinker(cpu, Shrinker.DEFAULT_SEEKS, r);
        // 10 * 2 * 500 / 1000 = 10 per call: 10, 20, 30, then 40 > SHRINK_BATCH is paid out.
        for (int call = 1; call <= 3; call++) {
            shrinkers.shrinkSlab(cpu, 10, Gfp.GFP_KERNEL);
            assertThat(s.nrQuietly()).isEqualTo(10L * call);
            assertThat(r.scans).isEmpty();
        }
        shrinkers.shrinkSlab(cpu, 10, Gfp.GFP_KERNEL);
        assertThat(r.scans).containsExactly(40);
        assertThat(s.nrQuietly()).isZero();
        assertThat(r.queries).isEqualTo(4);
        assertThat(m.pageAlloc().vmstat().get(VmStat.Item.slabs_scanned)).isEqualTo(40);
    }

    @Test
    void shrinkersAreCalledInProportionToScanningAndToSeeks() {
        shrinkers.setUsedPages(x -> 4095);
        Recorder cheap = new Recorder(3000);
        Recorder dear = new Recorder(3000);
        Shrinker sc = shrinkers.setShrinker(cpu, 1, cheap);
        Shrinker sd = shrinkers.setShrinker(cpu, 4, dear);
        int calls = 200;
        long scanned = 37;
        for (int i = 0; i < calls; i++) {
            shrinkers.shrinkSlab(cpu, scanned, Gfp.GFP_KERNEL);
        }
        // Every call adds the same floor(scanned * seeks * entries / (pages + 1)); what was not
        // paid out is still in nr, and never more than SHRINK_BATCH.
        long perCallCheap = scanned * 1 * 3000 / 4096; // 27
        long perCallDear = scanned * 4 * 3000 / 4096; // 108
        assertThat(sum(cheap.scans) + sc.nrQuietly()).isEqualTo(calls * perCallCheap);
        assertThat(sum(dear.scans) + sd.nrQuietly()).isEqualTo(calls * perCallDear);
        assertThat(sc.nrQuietly()).isLessThanOrEqualTo(ShrinkerList.SHRINK_BATCH);
        assertThat(sd.nrQuietly()).isLessThanOrEqualTo(ShrinkerList.SHRINK_BATCH);
        // Four times the seeks, four times the scanning asked of the shrinker.
        assertThat(sum(dear.scans)).isBetween(4 * sum(cheap.scans) - 4 * 33, 4 * sum(cheap.scans) + 4 * 33);
        // The dear one's credit passes 32 at every call (108 > 32); the cheap one's every other call.
        assertThat(dear.scans).hasSize(calls).containsOnly(108);
        assertThat(cheap.scans).hasSize(calls / 2).containsOnly(54);
    }

    @Test
    void aShrinkerWithNothingToFreeEarnsNoCreditAndARemovedOneIsNotCalled() {
        shrinkers.setUsedPages(x -> 99);
        Recorder empty = new Recorder(0);
        Recorder full = new Recorder(1000);
        Shrinker se = shrinkers.setShrinker(cpu, 2, empty);
        Shrinker sf = shrinkers.setShrinker(cpu, 2, full);
        shrinkers.shrinkSlab(cpu, 100, Gfp.GFP_KERNEL);
        assertThat(se.nrQuietly()).isZero();
        assertThat(empty.scans).isEmpty();
        assertThat(full.scans).containsExactly(2000);
        shrinkers.removeShrinker(cpu, sf);
        shrinkers.shrinkSlab(cpu, 100, Gfp.GFP_KERNEL);
        assertThat(full.scans).hasSize(1);
        assertThat(full.queries).isEqualTo(1);
    }

    @Test
    void aBusyShrinkerSemaphoreSkipsTheWholeRound() {
        shrinkers.setUsedPages(x -> 99);
        Recorder r = new Recorder(1000);
        Shrinker s = shrinkers.setShrinker(cpu, 2, r);
        shrinkers.shrinkerSem().spinLock(m.cpu(1));
        assertThat(shrinkers.shrinkSlab(cpu, 100, Gfp.GFP_KERNEL)).isZero();
        assertThat(r.queries).isZero();
        assertThat(s.nrQuietly()).isZero();
        shrinkers.shrinkerSem().spinUnlock(m.cpu(1));
    }

    @Test
    void theStandInForUsedPagesCountsPagesThatAreNotFree() {
        assertThat(ShrinkerList.notFreePages(m)).isZero();
        m.pageAlloc().allocPages(cpu, Gfp.GFP_ATOMIC, 2);
        assertThat(ShrinkerList.notFreePages(m)).isEqualTo(4);
    }

    private static long sum(List<Integer> xs) {
        return xs.stream().mapToLong(Integer::longValue).sum();
    }
}
