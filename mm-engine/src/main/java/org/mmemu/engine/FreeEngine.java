package org.mmemu.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.RunAborted;
import org.mmemu.core.emu.StepGate;

/**
 * The free engine: each emulated CPU is a real Java thread and a step costs nothing beyond
 * the real atomic or lock it stands for. For stress runs and throughput benchmarks; what it
 * finds depends on the host's timing and is not replayable (use the controlled engine for that).
 *
 * <p>The gate does one thing: it ends every CPU's code once a finding has stopped the run or
 * the time limit has passed, so a run is always bounded. It is the engine's step hook, run at
 * every step of every CPU, so it reads one volatile flag and nothing else: the detectors raise
 * the same flag when a finding stops the run ({@link org.mmemu.core.emu.Detectors#onStop}),
 * and the watchdog when time is up. On x86 that is a plain load; the bench's scale section
 * measures it against a gate that does nothing.
 */
public final class FreeEngine {
    private final Duration timeLimit;

    /** A free engine whose runs end after {@code timeLimit} at the latest. */
    public FreeEngine(Duration timeLimit) {
        this.timeLimit = timeLimit;
    }

    /** Boots the program's machine, runs every CPU's code on its own thread, and reports. */
    public RunResult run(Program program) {
        long start = System.nanoTime();
        Halt halt = new Halt();
        StepGate gate = (cpu, site, target, field, access) -> {
            if (halt.halted) {
                throw new RunAborted(cpu.detectors().stopFinding());
            }
        };
        Machine machine = program.boot(gate);
        machine.detectors().onStop(() -> halt.halted = true);
        AtomicReference<Throwable> crash = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (Cpu cpu : machine.cpus()) {
            Thread t = new Thread(() -> {
                try {
                    program.run(machine, cpu);
                } catch (RunAborted stop) {
                    // a finding or the time limit ended this CPU's code
                } catch (Throwable e) {
                    crash.compareAndSet(null, e);
                    halt.halted = true;
                }
            }, "mmemu-" + cpu);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        long deadline = start + timeLimit.toNanos();
        boolean timedOut = false;
        for (Thread t : threads) {
            try {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    t.join(Math.max(1, left / 1_000_000));
                }
                if (t.isAlive()) {
                    timedOut = true;
                    halt.halted = true;
                    t.join();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                halt.halted = true;
            }
        }
        if (crash.get() != null) {
            throw new IllegalStateException("emulator error on a CPU thread", crash.get());
        }
        RunResult.Outcome outcome;
        if (machine.detectors().stopped()) {
            outcome = RunResult.Outcome.STOPPED;
        } else if (timedOut) {
            outcome = RunResult.Outcome.TIME_LIMIT;
        } else {
            program.atQuiescence(machine);
            outcome = RunResult.Outcome.COMPLETED;
        }
        long steps = machine.cpus().stream().mapToLong(c -> c.recent().total()).sum();
        return new RunResult(outcome, machine.detectors().findings(), machine.detectors().warnings(),
                steps, "", (System.nanoTime() - start) / 1_000_000, machine);
    }

    /** Set when the run must end; read by the gate at every step. */
    private static final class Halt {
        volatile boolean halted;
    }
}
