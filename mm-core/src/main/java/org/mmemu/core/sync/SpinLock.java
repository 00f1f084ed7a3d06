package org.mmemu.core.sync;

import java.util.concurrent.atomic.AtomicReference;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;

/**
 * {@code spinlock_t} with the acquire and release forms of include/linux/spinlock.h (2.5).
 *
 * <p>The lock knows its owner, so the detectors can report an unlock by a non-owner and a
 * recursive acquire (which on real hardware spins forever). In the manner of lockdep it also
 * remembers whether it was ever taken in interrupt context and ever held with interrupts on
 * outside it: both together are the deadlock that made the LRU lock irq-safe in 2.5.32
 * (docs/FIDELITY.md, patch 11 of akpm's series).
 *
 * <p><b>Steps.</b> Each attempt to take the lock is one {@link Access#LOCK} step, each release
 * one {@link Access#UNLOCK} step, and the {@code cli}/{@code sti}/{@code pushf} of the
 * {@code _irq} forms are steps of their own (the seed mail's "3-4 instruction window" ends at
 * the {@code cli}). Under the free engine a contended lock spins for real; the controlled
 * engines do not let a CPU attempt a held lock, so the first attempt always succeeds there.
 */
public final class SpinLock {
    private final String name;
    private final AtomicReference<Cpu> owner = new AtomicReference<>();
    private final Site lockSite;
    private final Site unlockSite;
    private volatile boolean takenInIrq;
    private volatile boolean heldWithIrqsOn;
    private long acquisitions;

    public SpinLock(String name) {
        this.name = name;
        this.lockSite = Site.of("spin_lock", name);
        this.unlockSite = Site.of("spin_unlock", name);
    }

    public String name() {
        return name;
    }

    /** The CPU holding the lock, or null. */
    public Cpu owner() {
        return owner.get();
    }

    /** {@code spin_is_locked()} without a step: for engines and checks. */
    public boolean isLocked() {
        return owner.get() != null;
    }

    /** How many times the lock was taken (counted while it is held, so exact under every engine). */
    public long acquisitions() {
        return acquisitions;
    }

    /** {@code spin_lock(lock)}. */
    public void spinLock(Cpu cpu) {
        if (owner.get() == cpu) {
            throw cpu.detectors().fatal(FindingKind.LOCK_MISUSE, cpu, -1, lockSite,
                    "recursive spin_lock of " + name + " (would spin forever)");
        }
        checkIrqSafety(cpu);
        for (;;) {
            cpu.step(lockSite, this, Access.LOCK);
            if (owner.compareAndSet(null, cpu)) {
                acquisitions++;
                return;
            }
            Thread.onSpinWait();
        }
    }

    /** {@code spin_trylock(lock)}: one step; true if taken. */
    public boolean spinTrylock(Cpu cpu) {
        cpu.step(lockSite, this, Access.WRITE);
        if (owner.compareAndSet(null, cpu)) {
            checkIrqSafety(cpu);
            acquisitions++;
            return true;
        }
        return false;
    }

    /** {@code spin_unlock(lock)}. */
    public void spinUnlock(Cpu cpu) {
        cpu.step(unlockSite, this, Access.UNLOCK);
        if (!owner.compareAndSet(cpu, null)) {
            Cpu o = owner.get();
            throw cpu.detectors().fatal(FindingKind.LOCK_MISUSE, cpu, -1, unlockSite,
                    "spin_unlock of " + name + " by " + cpu + (o == null ? ", which is not locked" : ", held by " + o));
        }
    }

    /** {@code spin_lock_irq(lock)}: {@code cli}, then the lock. */
    public void spinLockIrq(Cpu cpu) {
        cpu.localIrqDisable();
        spinLock(cpu);
    }

    /** {@code spin_unlock_irq(lock)}: the unlock, then {@code sti}. */
    public void spinUnlockIrq(Cpu cpu) {
        spinUnlock(cpu);
        cpu.localIrqEnable();
    }

    /** {@code spin_lock_irqsave(lock, flags)}: returns the saved flags (whether irqs were off). */
    public boolean spinLockIrqsave(Cpu cpu) {
        boolean flags = cpu.localIrqSave();
        spinLock(cpu);
        return flags;
    }

    /** {@code spin_unlock_irqrestore(lock, flags)}. */
    public void spinUnlockIrqrestore(Cpu cpu, boolean flags) {
        spinUnlock(cpu);
        cpu.localIrqRestore(flags);
    }

    /**
     * lockdep's irq-safety rule: a lock taken in interrupt context must never be held with
     * interrupts on, or an interrupt arriving on the holder's CPU spins on it forever.
     */
    private void checkIrqSafety(Cpu cpu) {
        if (cpu.inInterrupt()) {
            takenInIrq = true;
        } else if (!cpu.irqsDisabled()) {
            heldWithIrqsOn = true;
        }
        if (takenInIrq && heldWithIrqsOn) {
            throw cpu.detectors().fatal(FindingKind.LOCK_MISUSE, cpu, -1, lockSite,
                    "{IN-HARDIRQ} and {HARDIRQ-ON} usage of " + name
                            + ": taken in interrupt context and held with irqs enabled (possible deadlock)");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
