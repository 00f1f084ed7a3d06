package org.mmemu.lru.protocol;

import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.core.sync.SpinLock;

/**
 * arch/i386/lib/dec_and_lock.c: {@code atomic_dec_and_lock()} (2.4-2.5, the i386 form with the
 * {@code cmpxchg} fast path; docs/RACE.md; lib/dec_and_lock.c has only the generic
 * lock-then-decrement form, steps 5-8), on a page count: decrement, and if the result is
 * zero return true <em>with the lock held</em>; otherwise return false, unlocked. The 1 -> 0
 * transition happens only under the lock, so whoever finds objects under that lock (iput() and
 * {@code inode_lock}, dput() and {@code dcache_lock}; here reclaim and {@code lru_lock}) never
 * sees a zero count.
 *
 * <p>Fast path, one step per instruction: load the count; if it is 1, go to the slow path;
 * {@code lock cmpxchg(count, c, c - 1)}, and on failure start again. Slow path:
 * {@code spin_lock}, {@code lock decl} and test, return with the lock held if zero, else
 * unlock.
 *
 * <p>Departure: {@code zone->lru_lock} is irq-safe (patch 11) and a put may come from an
 * interrupt, so {@link #atomicDecAndLockIrqsave} disables interrupts (pushf; cli) before the
 * slow path's {@code spin_lock}, as {@code spin_lock_irqsave} would; the i386 original uses a
 * plain {@code spin_lock} because inode_lock and dcache_lock are never taken in interrupts.
 * {@link #atomicDecAndLock} is the unmodified form.
 */
public final class AtomicDecAndLock {
    static final Site LOAD = Site.of("atomic_dec_and_lock", "counter = atomic_read(atomic)");
    static final Site CMP_ONE = Site.of("atomic_dec_and_lock", "newcount = counter - 1; if (!newcount) goto slow_path");
    static final Site CMPXCHG = Site.of("atomic_dec_and_lock", "lock cmpxchg(&atomic->counter, counter, newcount)");
    static final Site DEC = Site.of("atomic_dec_and_lock", "slow_path: atomic_dec_and_test(atomic)");

    /** The result of {@link #atomicDecAndLockIrqsave}: not the last put, nothing held. */
    public static final int NOT_LAST = 0;
    /** The last put: lock held, interrupts off, and they were on before (restore: on). */
    public static final int LAST_IRQS_WERE_ON = 1;
    /** The last put: lock held, interrupts off, and they were already off (restore: off). */
    public static final int LAST_IRQS_WERE_OFF = 2;

    private AtomicDecAndLock() {
    }

    /** arch/i386/lib/dec_and_lock.c: atomic_dec_and_lock() (2.4-2.5): true means zero and {@code lock} held. */
    public static boolean atomicDecAndLock(Cpu cpu, Page page, SpinLock lock) {
        if (fastPath(cpu, page)) {
            return false;
        }
        lock.spinLock(cpu);
        if (page.putPageTestzero(cpu, DEC)) {
            return true;
        }
        lock.spinUnlock(cpu);
        return false;
    }

    /**
     * arch/i386/lib/dec_and_lock.c: atomic_dec_and_lock() (2.4-2.5) with {@code local_irq_save()}
     * before the slow path's lock (see the class comment). Returns {@link #NOT_LAST}, or on the
     * last put, with {@code lock} held and irqs off, how to restore the irq state.
     */
    public static int atomicDecAndLockIrqsave(Cpu cpu, Page page, SpinLock lock) {
        if (fastPath(cpu, page)) {
            return NOT_LAST;
        }
        boolean flags = lock.spinLockIrqsave(cpu);
        if (page.putPageTestzero(cpu, DEC)) {
            return flags ? LAST_IRQS_WERE_OFF : LAST_IRQS_WERE_ON;
        }
        lock.spinUnlockIrqrestore(cpu, flags);
        return NOT_LAST;
    }

    /** The cmpxchg loop: true if it decremented a count that did not reach zero. */
    private static boolean fastPath(Cpu cpu, Page page) {
        for (;;) {
            int counter = page.pageCount(cpu, LOAD);
            cpu.local(CMP_ONE);
            if (counter - 1 == 0) {
                return false;
            }
            if (page.cmpxchgCount(cpu, CMPXCHG, counter, counter - 1)) {
                return true;
            }
        }
    }
}
