package org.mmemu.lru.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.core.sync.SpinLock;
import org.mmemu.lru.TestMachines;

/** lib/dec_and_lock.c: the lock is taken only for the 1 -> 0 transition, and then kept. */
class AtomicDecAndLockTest {
    private final List<Site> sites = new ArrayList<>();
    private final Machine m = TestMachines.boot(new DecAndLockProtocol(), 1,
            (cpu, site, target, field, access) -> sites.add(site));
    private final Cpu cpu = m.cpu(0);
    private final SpinLock lock = new SpinLock("test_lock");

    @Test
    void aPutThatDoesNotReachZeroIsOneCmpxchgWithoutTheLock() {
        Page p = TestMachines.alloc(m);
        p.setCountQuietly(3);
        sites.clear();
        assertThat(AtomicDecAndLock.atomicDecAndLock(cpu, p, lock)).isFalse();
        assertThat(p.count()).isEqualTo(2);
        assertThat(lock.isLocked()).isFalse();
        assertThat(sites).containsExactly(AtomicDecAndLock.LOAD, AtomicDecAndLock.CMP_ONE, AtomicDecAndLock.CMPXCHG);
    }

    @Test
    void theLastPutReturnsWithTheLockHeld() {
        Page p = TestMachines.alloc(m);
        assertThat(AtomicDecAndLock.atomicDecAndLock(cpu, p, lock)).isTrue();
        assertThat(p.count()).isZero();
        assertThat(lock.owner()).isSameAs(cpu);
        lock.spinUnlock(cpu);
    }

    @Test
    void aFailedCmpxchgStartsAgain() {
        // another CPU's get lands between the load and the cmpxchg: the first cmpxchg fails
        boolean[] once = {true};
        Machine racy = TestMachines.boot(new DecAndLockProtocol(), 1, (c, site, target, field, access) -> {
            if (site.equals(AtomicDecAndLock.CMPXCHG) && once[0]) {
                once[0] = false;
                ((Page) target).setCountQuietly(((Page) target).count() + 1);
            }
        });
        Page q = TestMachines.alloc(racy);
        q.setCountQuietly(2);
        assertThat(AtomicDecAndLock.atomicDecAndLock(racy.cpu(0), q, lock)).isFalse();
        assertThat(q.count()).isEqualTo(2);
        assertThat(once[0]).isFalse();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void theIrqsaveFormRestoresTheIrqStateOnBothPaths() {
        Page p = TestMachines.alloc(m);
        p.setCountQuietly(2);
        assertThat(AtomicDecAndLock.atomicDecAndLockIrqsave(cpu, p, lock)).isEqualTo(AtomicDecAndLock.NOT_LAST);
        assertThat(cpu.irqsDisabled()).isFalse();
        assertThat(AtomicDecAndLock.atomicDecAndLockIrqsave(cpu, p, lock)).isEqualTo(AtomicDecAndLock.LAST_IRQS_WERE_ON);
        assertThat(cpu.irqsDisabled()).isTrue();
        lock.spinUnlockIrqrestore(cpu, false);
        assertThat(cpu.irqsDisabled()).isFalse();
    }
}
