package org.mmemu.core.sync;

import com.google.common.graph.Traverser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Lockable;
import org.mmemu.core.emu.Site;

/**
 * {@code spinlock_t} with the acquire and release forms of include/linux/spinlock.h (2.5).
 *
 * <p>The lock knows its owner, so the detectors can report an unlock by a non-owner and a
 * recursive acquire (which on real hardware spins forever). In the manner of lockdep it also
 * remembers whether it was ever taken in interrupt context and ever held with interrupts on
 * outside it: both together are the deadlock that made the LRU lock irq-safe in 2.5.32
 * (docs/FIDELITY.md, patch 11 of akpm's series). It also keeps lockdep's lock-order graph:
 * each lock knows the locks taken while it was held ({@code A -> B}); taking B while holding A
 * when A is already reachable from B in that graph is a possible ABBA deadlock, a warning even
 * if this run never deadlocks (the engines report an actual deadlock as a finding). The graph
 * is one per machine (locks belong to one machine) and is read with Guava's graph
 * {@link Traverser}.
 *
 * <p><b>Steps.</b> Each attempt to take the lock is one {@link Access#LOCK} step, each release
 * one {@link Access#UNLOCK} step, and the {@code cli}/{@code sti}/{@code pushf} of the
 * {@code _irq} forms are steps of their own (the seed mail's "3-4 instruction window" ends at
 * the {@code cli}). Under the free engine a contended lock spins for real; the controlled
 * engines do not let a CPU attempt a held lock, so the first attempt always succeeds there.
 * A CPU that folds its steps (work on pages no other CPU can reach, {@link Cpu#foldBegin()})
 * takes a free lock folded when it holds no other: no step, and the critical section must then
 * fold to its unlock ({@link Cpu#foldLock()}).
 *
 * <p><b>Uniprocessor.</b> On a CPU without {@code CONFIG_SMP} ({@link Cpu#smp()} false) there is
 * no lock word: include/linux/spinlock.h (2.5.31-2.6.7) makes {@code _raw_spin_lock(lock)}
 * {@code (void)(lock)} and {@code _raw_spin_trylock()} 1, so {@code spin_lock()} is
 * {@code preempt_disable()} and {@code spin_unlock()} {@code preempt_enable()}, one
 * {@link Access#LOCAL} step each (under {@code CONFIG_PREEMPT} the {@code incl} of the preempt
 * count; without it the kernel has no instruction at all, a departure kept so that windows
 * count the same statements on both builds). The {@code _irq} forms keep their {@code cli}.
 * Nothing waits, so the engines never see the lock held; what needs the lock word (recursion
 * that spins forever, an unlock by a non-owner, the ABBA order) is not reported. lockdep's
 * irq-safety rule is kept: on one CPU an interrupt whose handler takes a lock the interrupted
 * code holds with irqs on does not spin, it runs inside that critical section, which is the
 * same bug. The CPU still remembers what it holds, for the lock-leak check at its program's end.
 */
public final class SpinLock implements Lockable {
    private final String name;
    private final AtomicReference<Cpu> owner = new AtomicReference<>();
    private final Site lockSite;
    private final Site unlockSite;
    private final Site upLockSite;
    private final Site upUnlockSite;
    private volatile boolean takenInIrq;
    private volatile boolean heldWithIrqsOn;
    private long acquisitions;
    /** Whether the owner took this lock folded ({@link Cpu#foldLock()}); read and written by the owner only. */
    private boolean foldedHold;
    /** The locks taken while this one was held, ever: this lock's edges of the lock-order graph. */
    private final Set<SpinLock> takenAfter = ConcurrentHashMap.newKeySet();
    /** What runs after each release ({@link #onRelease}); null for none. */
    private volatile Consumer<Cpu> onRelease;
    /** The key of each CPU's list of the locks it holds, in the order taken. */
    private static final Object HELD = new Object();

    public SpinLock(String name) {
        this.name = name;
        this.lockSite = Site.of("spin_lock", name);
        this.unlockSite = Site.of("spin_unlock", name);
        this.upLockSite = Site.of("spin_lock", name + " (UP: preempt_disable)");
        this.upUnlockSite = Site.of("spin_unlock", name + " (UP: preempt_enable)");
    }

    public String name() {
        return name;
    }

    /** The CPU holding the lock, or null. */
    public Cpu owner() {
        return owner.get();
    }

    /** {@code spin_is_locked()} without a step: for engines and checks (always false on UP: no lock word). */
    @Override
    public boolean isLocked() {
        return owner.get() != null;
    }

    @Override
    public String lockName() {
        return name;
    }

    /** How many times the lock was taken (counted while it is held, so exact under every engine). */
    public long acquisitions() {
        return acquisitions;
    }

    /** {@code spin_lock(lock)}. */
    public void spinLock(Cpu cpu) {
        if (!cpu.smp()) {
            upLock(cpu);
            return;
        }
        if (owner.get() == cpu) {
            throw cpu.detectors().fatal(FindingKind.LOCK_MISUSE, cpu, -1, lockSite,
                    "recursive spin_lock of " + name + " (would spin forever)");
        }
        checkIrqSafety(cpu);
        for (;;) {
            // folded work takes a free lock folded, when it holds no other (see Cpu#foldLock)
            boolean fold = cpu.folding() && owner.get() == null && held(cpu).isEmpty();
            if (fold) {
                cpu.foldLock();
            } else {
                cpu.step(lockSite, this, Access.LOCK);
            }
            if (owner.compareAndSet(null, cpu)) {
                acquisitions++;
                foldedHold = fold;
                checkOrder(cpu);
                return;
            }
            if (fold) {
                cpu.foldUnlock(); // the free engine: another CPU took it meanwhile; the next try is a step
            }
            Thread.onSpinWait();
        }
    }

    /** {@code spin_trylock(lock)}: one step; true if taken. */
    public boolean spinTrylock(Cpu cpu) {
        if (!cpu.smp()) {
            upLock(cpu); // _raw_spin_trylock() is 1
            return true;
        }
        cpu.step(lockSite, this, Access.WRITE);
        if (owner.compareAndSet(null, cpu)) {
            checkIrqSafety(cpu);
            acquisitions++;
            checkOrder(cpu);
            return true;
        }
        return false;
    }

    /** {@code spin_unlock(lock)}. */
    public void spinUnlock(Cpu cpu) {
        if (!cpu.smp()) {
            cpu.step(upUnlockSite, this, Access.LOCAL);
            held(cpu).remove(this);
            if (cpu.preemptCount() > 0) {
                cpu.preemptEnable();
            }
            return;
        }
        cpu.step(unlockSite, this, Access.UNLOCK);
        held(cpu).remove(this);
        if (owner.get() == cpu && foldedHold) {
            foldedHold = false;
            cpu.foldUnlock();
        }
        if (!owner.compareAndSet(cpu, null)) {
            Cpu o = owner.get();
            throw cpu.detectors().fatal(FindingKind.LOCK_MISUSE, cpu, -1, unlockSite,
                    "spin_unlock of " + name + " by " + cpu + (o == null ? ", which is not locked" : ", held by " + o));
        }
        Consumer<Cpu> r = onRelease;
        if (r != null) {
            r.accept(cpu);
        }
    }

    /**
     * Emulator, not kernel: {@code check} runs after each release of this lock, told the CPU
     * that released it, with no step: how a detector checks what the lock guards whenever it
     * is free (the LRU counters against their lists, mm-lru). One per lock.
     */
    public void onRelease(Consumer<Cpu> check) {
        onRelease = check;
    }

    /** The uniprocessor {@code spin_lock()}: {@code preempt_disable()}, one local step; no lock word. */
    private void upLock(Cpu cpu) {
        checkIrqSafety(cpu);
        cpu.step(upLockSite, this, Access.LOCAL);
        cpu.preemptDisable();
        acquisitions++;
        held(cpu).add(this);
    }

    /** The spinlocks {@code cpu} holds now, in the order taken (emulator state, for the lock-leak check). */
    public static List<SpinLock> heldBy(Cpu cpu) {
        return List.copyOf(held(cpu));
    }

    /** The site of this lock's {@code spin_lock} on {@code cpu}'s build (SMP or UP). */
    Site lockSite(Cpu cpu) {
        return cpu.smp() ? lockSite : upLockSite;
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

    /**
     * lockdep's order rule, checked once this CPU holds the lock (no step): for each lock it
     * already holds, the edge {@code held -> this}; an edge that closes a cycle is a warning.
     */
    private void checkOrder(Cpu cpu) {
        List<SpinLock> held = held(cpu);
        for (int i = 0; i < held.size(); i++) { // indexed: an iterator per lock taken shows in the profile
            SpinLock h = held.get(i);
            if (h.takenAfter.contains(this)) {
                continue;
            }
            if (reaches(this, h)) {
                cpu.detectors().warn(FindingKind.LOCK_MISUSE, cpu, -1, lockSite,
                        "possible circular locking dependency: " + name + " taken while holding " + h.name
                                + ", and " + h.name + " has been taken while holding " + name);
            }
            h.takenAfter.add(this);
        }
        held.add(this);
    }

    /** Whether {@code to} is reachable from {@code from} in the lock-order graph. */
    private static boolean reaches(SpinLock from, SpinLock to) {
        for (SpinLock l : Traverser.<SpinLock>forGraph(x -> x.takenAfter).breadthFirst(from)) {
            if (l == to) {
                return true;
            }
        }
        return false;
    }

    private static List<SpinLock> held(Cpu cpu) {
        return cpu.perCpu(HELD, c -> new ArrayList<>(4));
    }

    @Override
    public String toString() {
        return name;
    }
}
