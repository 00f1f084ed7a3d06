package org.mmemu.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.VmStat.Item;
import org.mmemu.core.page.Zone;
import org.mmemu.lru.Lru;
import org.mmemu.lru.ZoneLru;

/**
 * shrink_zone()'s refill ratio and zone->refill_counter (2.5.31-mm1 / 2.5.33): the counter
 * grows by {@code nr_pages * nr_active / ((nr_inactive | 1) * 2) + 1} per call and
 * refill_inactive_zone(SWAP_CLUSTER_MAX) runs each time it passes SWAP_CLUSTER_MAX.
 */
class RefillTest {

    /** A zone with {@code active} pages on the active list (read twice) and {@code inactive} on the inactive one. */
    private static Machine lists(int active, int inactive) {
        Machine m = Machines.boot(1, 4096, ReclaimConfig.defaults(), 8, 16, 32);
        Cpu cpu = m.cpu(0);
        AddressSpace f = Reclaim.of(m).fileMapping("f");
        Filemap fm = Reclaim.of(m).filemap();
        for (int i = 0; i < active + inactive; i++) {
            fm.read(cpu, f, i);
        }
        Reclaim.of(m).lruOps().lruAddDrain(cpu);
        for (int i = 0; i < active; i++) {
            fm.read(cpu, f, i); // the second touch activates
        }
        ZoneLru zl = Lru.of(m).zone(Machines.normal(m));
        assertThat(zl.nrActive()).isEqualTo(active);
        assertThat(zl.nrInactive()).isEqualTo(inactive);
        return m;
    }

    @Test
    void aLargeActiveListIsRefilledAtOnce() {
        Machine m = lists(100, 10);
        Zone z = Machines.normal(m);
        ZoneLru zl = Lru.of(m).zone(z);
        Reclaim.of(m).vmscan().shrinkZone(m.cpu(0), z, 64, Gfp.GFP_KERNEL, 32);
        // ratio = 32 * 100 / ((10 | 1) * 2) = 145; 145 + 1 > 32: one refill of 32, 114 left over
        assertThat(zl.refillCounter()).isEqualTo(146 - 32);
        assertThat(m.pageAlloc().vmstat().get(Item.pgrefill)).isEqualTo(32);
        assertThat(m.pageAlloc().vmstat().get(Item.pgdeactivate)).isEqualTo(32);
        assertThat(zl.nrActive()).isEqualTo(100 - 32);
        assertThat(zl.activeList().size()).isEqualTo(zl.nrActive());
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void aSmallActiveListIsStillSiftedByThePlusOne() {
        Machine m = lists(4, 2000);
        Zone z = Machines.normal(m);
        ZoneLru zl = Lru.of(m).zone(z);
        Vmscan vm = Reclaim.of(m).vmscan();
        // ratio = 1 * 4 / (nr_inactive * 2) = 0 while the inactive list lasts (33 x 32 < 2000): +1 alone
        for (int call = 1; call <= 32; call++) {
            vm.shrinkZone(m.cpu(0), z, 1, Gfp.GFP_KERNEL, 1);
            assertThat(zl.refillCounter()).isEqualTo(call);
        }
        assertThat(m.pageAlloc().vmstat().get(Item.pgrefill)).isZero();
        vm.shrinkZone(m.cpu(0), z, 1, Gfp.GFP_KERNEL, 1);
        assertThat(zl.refillCounter()).isEqualTo(1);
        assertThat(m.pageAlloc().vmstat().get(Item.pgrefill)).isEqualTo(4);
        assertThat(zl.nrActive()).isZero();
    }
}
