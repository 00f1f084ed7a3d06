package org.mmemu.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.TestMachines;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;

/**
 * A lock taken while a CPU folds its steps (reclaim's work on filler pages): taken free and with
 * no other lock held, the whole critical section passes without the engine; anything that would
 * make part of it visible is refused, since the engine would then see an unlock, or a second
 * lock, of a lock it never saw taken.
 */
class FoldedLockTest {
    private final Machine m = TestMachines.boot(2, 64);
    private final List<String> steps = new ArrayList<>();
    private final Cpu cpu = new Cpu(1, (c, site, target, field, access) -> steps.add(access + " " + target),
            m.detectors());
    private final SpinLock lru = new SpinLock("zone->lru_lock");
    private final SpinLock other = new SpinLock("zone->lock");
    private final Site work = Site.of("release_pages", "put_page_testzero(filler)");

    @Test
    void aFreeLockTakenFoldedMakesNoStepAndIsTakenAndReleased() {
        cpu.foldBegin();
        lru.spinLockIrq(cpu);
        assertThat(lru.owner()).isSameAs(cpu);
        cpu.step(work, this, Access.WRITE);
        lru.spinUnlockIrq(cpu);
        cpu.foldEnd();

        assertThat(steps).isEmpty();
        assertThat(lru.isLocked()).isFalse();
        assertThat(lru.acquisitions()).isEqualTo(1);
        assertThat(cpu.foldedSteps()).isEqualTo(5); // cli, lock, the work, unlock, sti
    }

    @Test
    void aLockTakenWhileHoldingAnotherIsAStepEvenFolded() {
        other.spinLock(cpu);
        cpu.foldBegin();
        lru.spinLock(cpu);
        lru.spinUnlock(cpu);
        cpu.foldEnd();
        other.spinUnlock(cpu);

        // a CPU that holds a lock may be part of a deadlock, so its attempt stays the engine's
        assertThat(steps).containsExactly("LOCK zone->lock", "LOCK zone->lru_lock", "UNLOCK zone->lock");
    }

    @Test
    void aFoldedCriticalSectionMayNotOutliveItsFold() {
        cpu.foldBegin();
        lru.spinLock(cpu);
        assertThatThrownBy(cpu::foldEnd).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("taken folded");
    }

    @Test
    void aFoldedCriticalSectionMayNotTakeALockTheEngineSees() {
        cpu.foldBegin();
        lru.spinLock(cpu);
        assertThatThrownBy(() -> other.spinLock(cpu)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("taken folded");
        assertThat(steps).isEmpty();
    }

    @Test
    void outsideAFoldEveryLockOperationIsAStep() {
        lru.spinLock(cpu);
        lru.spinUnlock(cpu);
        assertThat(steps).containsExactly("LOCK zone->lru_lock", "UNLOCK zone->lru_lock");
        assertThat(cpu.foldedSteps()).isZero();
    }
}
