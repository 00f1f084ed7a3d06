package org.mmemu.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Detectors;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.sync.SpinLock;

/**
 * {@link DataRaces} fed steps by hand, one rule at a time: what races (a plain write against
 * any conflicting access of another context), what does not (atomic against atomic, a load
 * against an atomic write, different fields), and each happens-before edge (a lock's release
 * and acquisition, atomics on one field, the CPU's irq state against its handler); a
 * {@code data_race()} site is never reported.
 */
class DataRacesTest {
    private static final int NR = Access.member("test->nr");
    private static final int ATOMIC = Access.atomicMember("test->atomic");
    private static final Site LOAD = Site.of("f", "x = s->nr");
    private static final Site STORE = Site.of("f", "s->nr = x + 1");
    private static final Site OTHER_STORE = Site.of("g", "s->nr = 0");
    private static final Site INC = Site.of("g", "atomic_inc(&s->atomic)");
    private static final Site INC2 = Site.of("f", "atomic_inc(&s->atomic)");

    private final Detectors d = new Detectors(0);
    private final Cpu cpu0 = new Cpu(0, StepGate.FREE, d);
    private final Cpu cpu1 = new Cpu(1, StepGate.FREE, d);
    private final DataRaces races = new DataRaces(2, d);
    private final Object s = new Object();

    private List<Finding> races() {
        return d.findings().stream().filter(f -> f.kind() == FindingKind.DATA_RACE).toList();
    }

    @Test
    void twoPlainWritesOfOneFieldRaceAndTheFindingNamesBothSites() {
        races.step(cpu0, STORE, s, NR, Access.WRITE);
        races.step(cpu1, OTHER_STORE, s, NR, Access.WRITE);
        assertThat(races()).hasSize(1);
        Finding f = races().get(0);
        assertThat(f.site()).isEqualTo(OTHER_STORE);
        assertThat(f.related()).extracting(Finding.Related::site).containsExactly(STORE);
        assertThat(f.message()).contains("test->nr").contains("plain write by cpu1").contains("plain write by cpu0");
    }

    @Test
    void aLoadAgainstAPlainWriteRacesInEitherOrder() {
        races.step(cpu0, LOAD, s, NR, Access.READ);
        races.step(cpu1, OTHER_STORE, s, NR, Access.WRITE);
        assertThat(races()).hasSize(1);
    }

    @Test
    void atomicsNeverRaceWithEachOtherNorWithLoads() {
        races.step(cpu0, INC2, s, ATOMIC, Access.WRITE);
        races.step(cpu1, INC, s, ATOMIC, Access.WRITE);
        races.step(cpu0, LOAD, s, ATOMIC, Access.READ);
        races.step(cpu1, INC, s, ATOMIC, Access.WRITE);
        assertThat(races()).isEmpty();
    }

    @Test
    void differentFieldsDoNotRace() {
        races.step(cpu0, STORE, s, NR, Access.WRITE);
        races.step(cpu1, INC, s, ATOMIC, Access.WRITE);
        assertThat(races()).isEmpty();
    }

    @Test
    void aLockOrdersWhatItGuardsAndAPlainWriteOutsideItRaces() {
        SpinLock lock = new SpinLock("lock");
        races.step(cpu0, Site.of("f", "spin_lock"), lock, Access.WHOLE, Access.LOCK);
        races.step(cpu0, STORE, s, NR, Access.WRITE);
        races.step(cpu0, Site.of("f", "spin_unlock"), lock, Access.WHOLE, Access.UNLOCK);
        races.step(cpu1, Site.of("g", "spin_lock"), lock, Access.WHOLE, Access.LOCK);
        races.step(cpu1, LOAD, s, NR, Access.READ);
        races.step(cpu1, OTHER_STORE, s, NR, Access.WRITE);
        races.step(cpu1, Site.of("g", "spin_unlock"), lock, Access.WHOLE, Access.UNLOCK);
        assertThat(races()).isEmpty();
        // cpu0 again, without the lock: not ordered after cpu1's store
        races.step(cpu0, Site.of("h", "s->nr--"), s, NR, Access.WRITE);
        assertThat(races()).as("against cpu1's load and its store").hasSize(2);
    }

    @Test
    void anAtomicOrdersThePlainAccessesBeforeItAgainstThoseAfterTheNextAtomicOfItsField() {
        races.step(cpu0, STORE, s, NR, Access.WRITE);
        races.step(cpu0, INC2, s, ATOMIC, Access.WRITE);
        races.step(cpu1, INC, s, ATOMIC, Access.WRITE);
        races.step(cpu1, OTHER_STORE, s, NR, Access.WRITE);
        assertThat(races()).isEmpty();
    }

    @Test
    void aCpuRacesWithItsOwnHandlerWhereItsIrqsAreOnAndNotWhereTheyAreOff() {
        races.step(cpu0, LOAD, s, NR, Access.READ);
        cpu0.runInterrupt(() -> races.step(cpu0, OTHER_STORE, s, NR, Access.WRITE));
        races.step(cpu0, STORE, s, NR, Access.WRITE);
        assertThat(races()).extracting(Finding::message).allMatch(m -> m.contains("in interrupt")).hasSize(2);

        Object t = new Object();
        cpu1.localIrqDisable();
        races.step(cpu1, LOAD, t, NR, Access.READ);
        races.step(cpu1, STORE, t, NR, Access.WRITE);
        cpu1.localIrqEnable();
        cpu1.runInterrupt(() -> races.step(cpu1, Site.of("irq", "t->nr = 0"), t, NR, Access.WRITE));
        cpu1.localIrqDisable();
        races.step(cpu1, Site.of("f", "again"), t, NR, Access.WRITE);
        assertThat(races()).hasSize(2);
    }

    @Test
    void aSiteMarkedDataRaceIsNeverReported() {
        races.step(cpu0, Site.of("shrink_zone", "max_scan = zone->nr_inactive / priority").dataRace(), s, NR,
                Access.READ);
        races.step(cpu1, OTHER_STORE, s, NR, Access.WRITE);
        assertThat(races()).isEmpty();
    }
}
