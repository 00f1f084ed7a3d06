package org.mmemu.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.TestMachines;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.RunAborted;

/** spinlock_t: owners, the irq forms, and lockdep-style misuse. */
class SpinLockTest {
    private final Machine m = TestMachines.boot(2, 64);
    private final Cpu a = m.cpu(0);
    private final Cpu b = m.cpu(1);
    private final SpinLock lock = new SpinLock("zone->lru_lock");

    @Test
    void theLockKnowsItsOwner() {
        lock.spinLock(a);
        assertThat(lock.owner()).isSameAs(a);
        assertThat(lock.isLocked()).isTrue();
        assertThat(lock.spinTrylock(b)).isFalse();
        lock.spinUnlock(a);
        assertThat(lock.owner()).isNull();
        assertThat(lock.spinTrylock(b)).isTrue();
        assertThat(lock.owner()).isSameAs(b);
        lock.spinUnlock(b);
        assertThat(lock.acquisitions()).isEqualTo(2);
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void theIrqFormsFollowTheKernelNotADepth() {
        lock.spinLockIrq(a);
        assertThat(a.irqsDisabled()).isTrue();
        lock.spinUnlockIrq(a);
        assertThat(a.irqsDisabled()).isFalse();

        // irqsave inside irqs-off keeps them off on restore; spin_unlock_irq would not
        a.localIrqDisable();
        boolean flags = lock.spinLockIrqsave(a);
        assertThat(flags).isTrue();
        lock.spinUnlockIrqrestore(a, flags);
        assertThat(a.irqsDisabled()).isTrue();
        lock.spinLockIrq(a);
        lock.spinUnlockIrq(a);
        assertThat(a.irqsDisabled()).isFalse();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void anUnlockByAnotherCpuIsLockMisuse() {
        lock.spinLock(a);
        assertThatThrownBy(() -> lock.spinUnlock(b)).isInstanceOf(RunAborted.class);
        assertOneMisuse(1, "spin_unlock of zone->lru_lock by cpu1, held by cpu0");
        assertThat(lock.owner()).isSameAs(a);
    }

    @Test
    void anUnlockOfAFreeLockIsLockMisuse() {
        assertThatThrownBy(() -> lock.spinUnlock(a)).isInstanceOf(RunAborted.class);
        assertOneMisuse(0, "spin_unlock of zone->lru_lock by cpu0, which is not locked");
    }

    @Test
    void aRecursiveLockIsLockMisuseInsteadOfSpinningForever() {
        lock.spinLock(a);
        assertThatThrownBy(() -> lock.spinLock(a)).isInstanceOf(RunAborted.class);
        assertOneMisuse(0, "recursive spin_lock of zone->lru_lock (would spin forever)");
    }

    @Test
    void aLockTakenInAnInterruptAndHeldWithIrqsOnIsLockMisuse() {
        // 2.5.31's pagemap_lru_lock: a plain spin_lock in process context...
        lock.spinLock(a);
        lock.spinUnlock(a);
        // ...and the same lock taken from an interrupt handler (a page freed in irq context)
        assertThatThrownBy(() -> b.runInterrupt(() -> {
            lock.spinLock(b);
            lock.spinUnlock(b);
        })).isInstanceOf(RunAborted.class);
        assertOneMisuse(1, "{IN-HARDIRQ} and {HARDIRQ-ON} usage of zone->lru_lock: taken in interrupt context"
                + " and held with irqs enabled (possible deadlock) (cpu1 in irq handler)");
    }

    @Test
    void anIrqSafeLockMayBeTakenInInterrupts() {
        lock.spinLockIrq(a);
        lock.spinUnlockIrq(a);
        b.runInterrupt(() -> {
            boolean f = lock.spinLockIrqsave(b);
            lock.spinUnlockIrqrestore(b, f);
        });
        boolean f = lock.spinLockIrqsave(a);
        lock.spinUnlockIrqrestore(a, f);
        assertThat(m.detectors().findings()).isEmpty();
        assertThat(b.inInterrupt()).isFalse();
        assertThat(b.irqsDisabled()).isFalse();
    }

    @Test
    void takingTwoLocksInBothOrdersIsAPossibleDeadlockEvenWithoutOne() {
        SpinLock zoneLock = new SpinLock("zone->lock");
        lock.spinLock(a);
        zoneLock.spinLock(a);             // lru_lock -> zone->lock, as a free under the LRU lock
        zoneLock.spinUnlock(a);
        lock.spinUnlock(a);
        lock.spinLock(b);                 // the same order again is fine
        zoneLock.spinLock(b);
        lock.spinUnlock(b);               // released out of order: still fine
        zoneLock.spinUnlock(b);
        assertThat(m.detectors().findings()).isEmpty();

        zoneLock.spinLock(b);             // zone->lock -> lru_lock closes the cycle: a warning, the run goes on
        lock.spinLock(b);
        assertThat(m.detectors().findings()).isEmpty();
        assertThat(m.detectors().warnings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.LOCK_MISUSE);
            assertThat(f.message()).isEqualTo("possible circular locking dependency: zone->lru_lock taken while"
                    + " holding zone->lock, and zone->lock has been taken while holding zone->lru_lock");
        });
        assertThat(lock.owner()).isSameAs(b);
    }

    private void assertOneMisuse(int cpu, String message) {
        assertThat(m.detectors().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.LOCK_MISUSE);
            assertThat(f.cpu()).isEqualTo(cpu);
            assertThat(f.message()).isEqualTo(message);
        });
        assertThat(m.detectors().stopped()).isTrue();
    }
}
