package org.mmemu.reclaim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;

/**
 * Test-only engine: the CPUs of a machine run in strict lock-step, one step each in turn, from
 * the same start (docs/ARCHITECTURE.md §3's {@code irq} delay model with offset 0, no slips, no interrupts).
 * A CPU's turn passes when it comes back for its next step, so its operations run alone. A
 * CPU whose program ended drops out of the rotation; afterwards its steps pass freely (for the
 * checks a test runs on the machine after the run).
 */
final class LockStep implements StepGate {
    private final int n;
    private final boolean[] done;
    private final boolean[] started;
    private int turn;

    private LockStep(int n) {
        this.n = n;
        this.done = new boolean[n];
        this.started = new boolean[n];
    }

    @Override
    public synchronized void step(Cpu cpu, Site site, Object target, int field, Access access) {
        int me = cpu.id();
        if (done[me]) {
            return; // the program ended: the CPU is now used outside the lock-step run
        }
        if (started[me]) {
            pass(me);
        }
        started[me] = true;
        while (turn != me) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private void pass(int me) {
        for (int k = 1; k <= n; k++) {
            int c = (me + k) % n;
            if (!done[c]) {
                turn = c;
                break;
            }
        }
        notifyAll();
    }

    private synchronized void finish(int me) {
        done[me] = true;
        if (turn == me) {
            pass(me);
        }
    }

    /** Boots a machine on a lock-step gate and runs {@code code} on each of its CPUs. */
    static Machine run(Function<StepGate, Machine> boot, BiConsumer<Machine, Cpu> code) throws InterruptedException {
        Machine[] holder = new Machine[1];
        LockStep[] gate = new LockStep[1];
        StepGate lazy = (cpu, site, target, field, access) -> gate[0].step(cpu, site, target, field, access);
        holder[0] = boot.apply(lazy);
        Machine m = holder[0];
        gate[0] = new LockStep(m.cpus().size());
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        for (Cpu cpu : m.cpus()) {
            Thread t = new Thread(() -> {
                try {
                    code.accept(m, cpu);
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                } finally {
                    gate[0].finish(cpu.id());
                }
            }, "lockstep-" + cpu);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        if (!errors.isEmpty()) {
            throw new AssertionError("a CPU's code failed", errors.get(0));
        }
        return m;
    }
}
