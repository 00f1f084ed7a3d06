package org.mmemu.lru;

import org.mmemu.lru.protocol.LruSteps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mmemu.core.page.PageFlags.PG_lru;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.lru.protocol.ProtocolRegistry;

/**
 * What each protocol's isolation does with a page whose count is already zero (a releaser is
 * between its last put and its lock): the protocols with a test leave it on the LRU, at the
 * head of its list, and never raise the count; the ones without take it, and the get from zero
 * is recorded (the seed mail's "If this goes from 0->1, we die").
 */
class ZeroCountIsolationTest {

    private static Machine machine(String name) {
        return TestMachines.boot(ProtocolRegistry.onClassPath().byName(name), 2, StepGate.FREE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.5.33", "testone", "unless-zero"})
    void protocolsWithATestLeaveAZeroCountPageOnTheLru(String name) {
        Machine m = machine(name);
        ZoneLru zl = Lru.of(m).zone(TestMachines.normal(m));
        Page other = TestMachines.lruPage(m, 1, true);
        Page p = TestMachines.lruPage(m, 0, true);
        Cpu b = m.cpu(1);
        ListHead pageList = new ListHead();

        zl.lruLock().spinLockIrq(b);
        assertThat(Lru.of(m).protocol().isolateLruPage(b, zl, p, pageList, true)).isFalse();
        zl.lruLock().spinUnlockIrq(b);

        assertThat(p.count()).isZero();
        assertThat(p.hasFlag(PG_lru)).isTrue();
        assertThat(zl.activeList().next()).as("back at the head of the active list").isSameAs(p);
        assertThat(zl.activeList().prev()).isSameAs(other);
        assertThat(zl.nrActive()).isEqualTo(2);
        assertThat(pageList.isEmpty()).isTrue();
        assertThat(m.detectors().warnings()).noneMatch(w -> w.kind() == FindingKind.REFCOUNT_FROM_ZERO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"no-tests", "always-lock", "dec-and-lock"})
    void protocolsWithoutATestTakeItAndTheGetFromZeroIsRecorded(String name) {
        Machine m = machine(name);
        ZoneLru zl = Lru.of(m).zone(TestMachines.normal(m));
        Page p = TestMachines.lruPage(m, 0, false);
        Cpu b = m.cpu(1);
        ListHead pageList = new ListHead();

        zl.lruLock().spinLockIrq(b);
        assertThat(Lru.of(m).protocol().isolateLruPage(b, zl, p, pageList, false)).isTrue();
        LruSteps.count(b, zl, false, 1); // zone->nr_inactive -= nr_taken
        zl.lruLock().spinUnlockIrq(b);

        assertThat(p.count()).isEqualTo(1);
        assertThat(p.hasFlag(PG_lru)).isFalse();
        assertThat(pageList.next()).isSameAs(p);
        assertThat(zl.nrInactive()).isZero();
        assertThat(m.detectors().warnings()).filteredOn(w -> w.kind() == FindingKind.REFCOUNT_FROM_ZERO)
                .singleElement().satisfies(w -> assertThat(w.pfn()).isEqualTo(p.pfn()));
    }

    /**
     * refill_inactive_zone() before "LRU race semi-fix" (14-3f76fabd72): 2.5.31-mm1 and the BK
     * of 18 Aug take a reference on a zero-count page of the active list, the get from zero of
     * Ehrhardt's refill race.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mm1", "pre-fix", "count-one"})
    void refillBeforeTheSemiFixTakesAZeroCountPageFromTheActiveList(String name) {
        Machine m = machine(name);
        ZoneLru zl = Lru.of(m).zone(TestMachines.normal(m));
        Page p = TestMachines.lruPage(m, 0, true);
        Cpu b = m.cpu(1);
        ListHead hold = new ListHead();

        zl.lruLock().spinLockIrq(b);
        assertThat(Lru.of(m).protocol().isolateLruPage(b, zl, p, hold, true)).isTrue();
        zl.lruLock().spinUnlockIrq(b);

        assertThat(p.count()).isEqualTo(1);
        assertThat(hold.next()).isSameAs(p);
        assertThat(m.detectors().warnings()).filteredOn(w -> w.kind() == FindingKind.REFCOUNT_FROM_ZERO)
                .singleElement().satisfies(w -> assertThat(w.pfn()).isEqualTo(p.pfn()));
    }
}
