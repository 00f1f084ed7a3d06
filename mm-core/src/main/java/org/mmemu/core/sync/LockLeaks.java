package org.mmemu.core.sync;

import java.util.List;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.PageLockOwners;

/**
 * Emulator, not kernel: the lock-leak check at the end of a CPU's program or of an interrupt
 * handler. What a CPU holds then that it did not hold at the start (a spinlock, a page lock it
 * took with {@code lock_page()} or {@code TestSetPageLocked()}, a PG_chainlock bit it set with a
 * bare {@code test_and_set_bit()}) is a {@code lock-leak} finding
 * at the site that took it: the lost {@code unlock_page()} of a path that returns early, or a
 * handler that returns with a lock held. Take a {@link #snapshot} where the program or handler
 * begins and {@link #check} it where it ends.
 */
public final class LockLeaks {
    /** What a CPU held at one point. */
    public record Held(List<SpinLock> spinlocks, List<PageLockOwners.Hold> pages, List<PageLockOwners.Hold> chainBits) {
    }

    private LockLeaks() {
    }

    /** What {@code cpu} holds now. */
    public static Held snapshot(Cpu cpu) {
        return new Held(SpinLock.heldBy(cpu), cpu.detectors().pageLocks().heldBy(cpu.id()),
                cpu.detectors().pageLocks().chainBitsHeldBy(cpu.id()));
    }

    /** Reports each lock {@code cpu} holds now and did not hold at {@code before}. */
    public static void check(Cpu cpu, Held before) {
        for (SpinLock l : SpinLock.heldBy(cpu)) {
            if (!before.spinlocks().contains(l)) {
                cpu.detectors().heldAtEnd(cpu, -1, l.name(), l.lockSite(cpu));
            }
        }
        for (PageLockOwners.Hold h : cpu.detectors().pageLocks().heldBy(cpu.id())) {
            if (!before.pages().contains(h)) {
                // reported once: the page stays locked, its holder is forgotten (no CPU will unlock it)
                cpu.detectors().pageLocks().released(h.pfn());
                cpu.detectors().heldAtEnd(cpu, h.pfn(), "the lock of page pfn " + h.pfn() + " (PG_locked)", h.site());
            }
        }
        for (PageLockOwners.Hold h : cpu.detectors().pageLocks().chainBitsHeldBy(cpu.id())) {
            if (!before.chainBits().contains(h)) {
                cpu.detectors().pageLocks().chainBitReleased(h.pfn());
                cpu.detectors().heldAtEnd(cpu, h.pfn(), "the bit spinlock PG_chainlock of page pfn " + h.pfn()
                        + " (set by a test_and_set_bit that no clear_bit undid)", h.site());
            }
        }
    }
}
