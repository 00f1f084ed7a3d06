package org.mmemu.engine.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Lockable;
import org.mmemu.core.emu.PageLockOwners;
import org.mmemu.core.emu.RunAborted;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.core.sync.SpinLock;

/**
 * The deadlock view: when every unfinished CPU's pending step is a {@code LOCK} on a held
 * spinlock or page lock ({@code lock_page()} of a locked page), nothing can ever move. The finding names each waiter, the lock and its holder with
 * the holder's last site, like lockdep's "circular locking dependency" report.
 *
 * <p>A CPU whose pending step is a {@code LOCK} on a held {@link SpinLock} is blocked: the
 * {@code any} model never chooses it, the {@code irq} model lets it spin (a row that changes
 * nothing). So a run ends here only when no CPU could ever take a step again.
 */
final class Deadlock {
    private Deadlock() {
    }

    /** Reports the {@link FindingKind#DEADLOCK} finding of the CPUs in {@code slots} to the machine's detectors. */
    static void report(Slot[] slots, Machine machine) {
        StringBuilder msg = new StringBuilder("every CPU waits for a lock:");
        List<Finding.Related> rel = new ArrayList<>();
        int[] ids = new int[2 * slots.length];
        int k = 0;
        for (Slot s : slots) {
            if (s.done) {
                continue;
            }
            Lockable lock = (Lockable) s.target;
            Cpu owner = holder(lock, machine);
            msg.append(' ').append(s.cpu).append(" waits for ").append(lock.lockName()).append(" held by ")
                    .append(owner == null ? "no CPU of the run" : owner.toString()).append(';');
            rel.add(new Finding.Related("waits for " + lock.lockName(), s.cpu.id(), s.site));
            if (owner != null) {
                List<Site> last = owner.recent().snapshot();
                rel.add(new Finding.Related("holds " + lock.lockName(), owner.id(),
                        last.isEmpty() ? null : last.get(last.size() - 1)));
                ids[k++] = owner.id();
            }
            ids[k++] = s.cpu.id();
        }
        Finding f = new Finding(FindingKind.DEADLOCK, -1, -1, null, msg.substring(0, msg.length() - 1), rel,
                machine.detectors().recentOf(Arrays.copyOf(ids, k)), "");
        try {
            machine.detectors().report(f);
        } catch (RunAborted stop) {
            // the deadlock ends the run whatever the stop kinds say: nothing can move
        }
    }

    /** The CPU holding {@code lock}: a spinlock's owner, a page lock's recorded holder, or null. */
    private static Cpu holder(Lockable lock, Machine machine) {
        if (lock instanceof SpinLock l) {
            return l.owner();
        }
        if (lock instanceof Page p) {
            PageLockOwners.Hold h = machine.detectors().pageLocks().holder(p.pfn());
            return h == null ? null : machine.cpu(h.cpu());
        }
        return null;
    }
}
