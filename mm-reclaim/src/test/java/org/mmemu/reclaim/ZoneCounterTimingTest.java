package org.mmemu.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Zone;
import org.mmemu.lru.Lru;
import org.mmemu.lru.ZoneLru;

/**
 * Issue 23 item 6: the zone counters move where each version's text moves them, not per page at
 * isolation. refill_inactive_zone() of 2.5.31-mm1 to 2.5.39 makes no step at isolation and
 * {@code zone->nr_active -= pgdeactivate; zone->nr_inactive += pgdeactivate;} after both put-back
 * loops, under the lock (2.5.33 l.378-379); 2.6.0-2.6.7 make one {@code zone->nr_active -= pgmoved}
 * after the isolation loop (2.6.0 l.509) and {@code += pgmoved} at each full pagevec and after each
 * loop (l.574-606). shrink_cache() makes one {@code zone->nr_inactive -= n} (2.5.33 l.261) /
 * {@code -= nr_taken} (2.6.0 l.426) after the isolation loop, before the unlock. Each test failed on
 * the code before: the protocol's isolation counted per page, the put-back added per page.
 */
class ZoneCounterTimingTest {

    /** One counter step: its site, the counters just before it, whether irqs were off. */
    record Seen(String site, int nrActive, int nrInactive, boolean irqsOff) {
    }

    /** Records the counter steps of {@code function} and the counters at its first {@code probe} step. */
    static final class Recorder implements StepGate {
        final List<Seen> counterSteps = new ArrayList<>();
        final List<Seen> probes = new ArrayList<>();
        ZoneLru zl;
        String function;
        String probe;

        @Override
        public void step(Cpu cpu, Site site, Object target, int field, Access access) {
            if (zl == null || !site.function().equals(function)) {
                return;
            }
            Seen seen = new Seen(site.statement(), zl.nrActive(), zl.nrInactive(), cpu.irqsDisabled());
            if (site.statement().startsWith("zone->nr_")) {
                counterSteps.add(seen);
            }
            if (site.toString().startsWith(probe)) {
                probes.add(seen);
            }
        }
    }

    /** 40 file pages on the active list (read twice), 10 on the inactive one, at {@code version}. */
    private static Machine lists(Recorder rec, String version) {
        Machine m = Machines.boot(rec, 1, 4096, x -> ReclaimVersionsTest.at("2.5.33", version),
                ReclaimConfig.defaults(), 8, 16, 32);
        Cpu cpu = m.cpu(0);
        AddressSpace f = Reclaim.of(m).fileMapping("f");
        Filemap fm = Reclaim.of(m).filemap();
        for (int i = 0; i < 50; i++) {
            fm.read(cpu, f, i);
        }
        Reclaim.of(m).lruOps().lruAddDrain(cpu);
        for (int i = 0; i < 40; i++) {
            fm.read(cpu, f, i);
        }
        ZoneLru zl = Lru.of(m).zone(Machines.normal(m));
        assertThat(zl.nrActive()).isEqualTo(40);
        assertThat(zl.nrInactive()).isEqualTo(10);
        return m;
    }

    private static Recorder refill(String version) {
        Recorder rec = new Recorder();
        Machine m = lists(rec, version);
        Zone z = Machines.normal(m);
        rec.function = "refill_inactive_zone";
        rec.probe = "refill_inactive_zone: list_empty(&l_hold)";
        rec.zl = Lru.of(m).zone(z);
        Reclaim.of(m).vmscan().refillInactiveZone(m.cpu(0), z, 32);
        rec.zl = null;
        ZoneLru zl = Lru.of(m).zone(z);
        assertThat(zl.nrActive()).isEqualTo(8);
        assertThat(zl.nrInactive()).isEqualTo(42);
        m.detectors().checkQuiescent();
        assertThat(m.detectors().findings()).isEmpty();
        return rec;
    }

    @Test
    void refillOf2533MovesTheCountersOnceAfterThePutBackAndNrActiveKeepsItsOldValueUntilThen() {
        for (String version : new String[] {"2.5.31-mm1", "2.5.33", "2.5.39"}) {
            Recorder rec = refill(version);
            assertThat(rec.probes.getFirst().nrActive())
                    .as(version + ": between isolation and put-back another reader of zone->nr_active sees the old value")
                    .isEqualTo(40);
            assertThat(rec.counterSteps).as(version).extracting(Seen::site)
                    .containsExactly("zone->nr_active -= pgdeactivate", "zone->nr_inactive += pgdeactivate");
            assertThat(rec.counterSteps.getFirst().nrActive()).as(version + ": the put-back added nothing").isEqualTo(40);
            assertThat(rec.counterSteps.getFirst().nrInactive()).isEqualTo(10);
            assertThat(rec.counterSteps).allMatch(Seen::irqsOff);
        }
    }

    @Test
    void refillOf26SubtractsAfterIsolationAndAddsBackPerPagevec() {
        for (String version : new String[] {"2.6.0", "2.6.6", "2.6.7"}) {
            Recorder rec = refill(version);
            assertThat(rec.probes.getFirst().nrActive()).as(version + ": nr_active -= pgmoved before the unlock")
                    .isEqualTo(8);
            // 32 pages to the inactive list: two full pagevecs of 16, then the one after the loop;
            // the active loop has no page: its one step after the loop
            assertThat(rec.counterSteps).as(version).extracting(Seen::site).containsExactly(
                    "zone->nr_active -= pgmoved",
                    "zone->nr_inactive += pgmoved", "zone->nr_inactive += pgmoved", "zone->nr_inactive += pgmoved",
                    "zone->nr_active += pgmoved");
            assertThat(rec.counterSteps).extracting(Seen::nrInactive).containsExactly(10, 10, 26, 42, 42);
            assertThat(rec.counterSteps).allMatch(Seen::irqsOff);
        }
    }

    @Test
    void shrinkCacheSubtractsItsBatchOnceBeforeTheUnlock() {
        for (String[] v : new String[][] {{"2.5.33", "zone->nr_inactive -= n"}, {"2.6.0", "zone->nr_inactive -= nr_taken"}}) {
            Recorder rec = new Recorder();
            Machine m = lists(rec, v[0]);
            Zone z = Machines.normal(m);
            rec.function = "shrink_cache";
            rec.probe = "shrink_cache: page_cache_get(page)";
            rec.zl = Lru.of(m).zone(z);
            Reclaim.of(m).vmscan().shrinkCacheFreed(m.cpu(0), 32, z, Gfp.GFP_KERNEL, 10);
            rec.zl = null;
            assertThat(rec.probes).as(v[0] + ": pages taken").hasSize(10);
            assertThat(rec.probes).as(v[0] + ": no per-page step at isolation").allMatch(s -> s.nrInactive() == 10);
            assertThat(rec.counterSteps).as(v[0]).extracting(Seen::site).containsExactly(v[1]);
            assertThat(rec.counterSteps.getFirst().nrInactive()).isEqualTo(10);
            assertThat(rec.counterSteps.getFirst().irqsOff()).isTrue();
            m.detectors().checkQuiescent();
            assertThat(m.detectors().findings()).isEmpty();
        }
    }
}
