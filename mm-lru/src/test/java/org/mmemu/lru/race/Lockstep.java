package org.mmemu.lru.race;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.RunAborted;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.engine.InterruptSpec;
import org.mmemu.core.engine.Program;
import org.mmemu.core.engine.RunResult;
import org.mmemu.core.sync.SpinLock;

/**
 * A minimal deterministic two-CPU scheduler for the race tests, kept in mm-lru's test sources
 * as a stand-in while the controlled engine of mm-core (issue 3) is being written. It
 * implements DESIGN §3's {@code irq} delay model without slips, the model of the 2002
 * discussion:
 * <ul>
 * <li>The CPUs run in lock-step, one step each in turn. One of them (the "late" one) starts
 * {@code offset} turns after the other.</li>
 * <li>A CPU spinning on a held lock spends its turn (it keeps pace, changes nothing).</li>
 * <li>A CPU falls further behind only by taking an interrupt, which arrives before its
 * {@code irqAt}-th step taken with irqs enabled and runs a handler of {@code irqSteps} local
 * steps (with irqs off), one per turn, while the other CPU goes on (a busy handler: the
 * {@code steps} of a mm-core {@link InterruptSpec}; handlers that run kernel code are not
 * supported here).</li>
 * </ul>
 * A schedule is therefore a {@link Choice}: which CPU is late, by how many turns, and where and
 * how long the one interrupt is. {@link #explore} enumerates every offset (until the two
 * programs no longer overlap), every arrival point (until the CPU has no further irq-enabled
 * step) and every duration of the program's {@link InterruptSpec}s: the bounded space, fully.
 *
 * <p>Each emulated CPU runs on its own thread, parked at every step until the scheduler (the
 * calling thread) grants it: exactly one CPU advances at a time, so a run is a function of its
 * choice, and a choice replays to the same trace.
 */
final class Lockstep {
    /** The handler's steps: a stand-in for a long interrupt handler. */
    static final Site IRQ = Site.of("do_IRQ", "handler");

    /** One schedule of the space; its {@link #toString} is what {@link #parse} reads back. */
    record Choice(int lateCpu, int offset, int irqCpu, int irqAt, int irqSteps) {
        private static final Pattern P = Pattern.compile("cpu(\\d)\\+(\\d+)(?: irq cpu(\\d)@(\\d+)x(\\d+))?");

        static Choice of(int lateCpu, int offset) {
            return new Choice(lateCpu, offset, -1, -1, 0);
        }

        boolean hasIrq() {
            return irqCpu >= 0;
        }

        static Choice parse(String s) {
            Matcher m = P.matcher(s.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("bad schedule '" + s + "'");
            }
            int late = Integer.parseInt(m.group(1));
            int off = Integer.parseInt(m.group(2));
            if (m.group(3) == null) {
                return of(late, off);
            }
            return new Choice(late, off, Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)));
        }

        @Override
        public String toString() {
            return "cpu" + lateCpu + "+" + offset + (hasIrq() ? " irq cpu" + irqCpu + "@" + irqAt + "x" + irqSteps : "");
        }
    }

    /** One executed schedule. */
    record Run(Choice choice, RunResult.Outcome outcome, List<Finding> findings, List<String> trace,
               boolean overlapped, boolean irqDelivered, Site irqSite) {
        boolean has(FindingKind kind) {
            return findings.stream().anyMatch(f -> f.kind() == kind);
        }

        Finding first(FindingKind kind) {
            return findings.stream().filter(f -> f.kind() == kind).findFirst().orElseThrow();
        }
    }

    /** The result of {@link #explore}. */
    record Exploration(List<Run> withFindings, int runs, boolean complete) {
        /** The runs that found {@code kind}, the smallest schedule first (shortest interrupt, earliest offset). */
        List<Run> found(FindingKind kind) {
            return withFindings.stream().filter(r -> r.has(kind))
                    .sorted(Comparator.comparingInt((Run r) -> r.choice().irqSteps())
                            .thenComparingInt(r -> r.choice().offset())
                            .thenComparingInt(r -> r.choice().irqAt())
                            .thenComparingInt(r -> r.choice().lateCpu()))
                    .toList();
        }
    }

    private final Program program;
    private final int maxTurns;

    Lockstep(Program program, int maxTurns) {
        this.program = program;
        this.maxTurns = maxTurns;
    }

    /**
     * Every choice of the bounded space: both CPUs as the late one, every offset while the
     * programs overlap, and for each offset no interrupt or one interrupt of each
     * {@link InterruptSpec} at every irq-enabled step of its CPU.
     */
    Exploration explore() {
        List<Run> found = new ArrayList<>();
        int runs = 0;
        boolean complete = true;
        for (int late = 1; late >= 0; late--) {
            for (int offset = 0; ; offset++) {
                boolean overlap = false;
                List<Choice> choices = new ArrayList<>();
                choices.add(Choice.of(late, offset));
                for (InterruptSpec spec : program.interrupts()) {
                    for (int at = 0; ; at++) {
                        Run r = run(new Choice(late, offset, spec.cpu(), at, spec.steps()));
                        runs++;
                        complete &= !incomplete(r);
                        overlap |= r.overlapped();
                        if (!r.findings().isEmpty()) {
                            found.add(r);
                        }
                        if (!r.irqDelivered()) {
                            break;
                        }
                    }
                }
                Run r = run(Choice.of(late, offset));
                runs++;
                complete &= !incomplete(r);
                overlap |= r.overlapped();
                if (!r.findings().isEmpty()) {
                    found.add(r);
                }
                if (!overlap) {
                    break;
                }
            }
        }
        return new Exploration(found, runs, complete);
    }

    private static boolean incomplete(Run r) {
        return r.outcome() == RunResult.Outcome.STEP_LIMIT || r.outcome() == RunResult.Outcome.TIME_LIMIT;
    }

    /** Runs one schedule on a fresh machine. */
    Run run(Choice choice) {
        return new Exec(choice).go();
    }

    /**
     * One execution. The CPUs pass a baton: the CPU holding it runs; when it arrives at a step
     * it works out whose turn comes next (lock-step order, the late CPU's idle turns, spinning
     * on a held lock, finished CPUs) and either goes on or hands the baton over and waits. Only
     * one thread ever runs kernel code, and every scheduling decision is made by the baton
     * holder, so the run is a function of the choice. Waiting spins briefly, then parks.
     */
    private final class Exec implements StepGate {
        private final Choice c;
        private final Thread[] threads = new Thread[2];
        private final boolean[] done = new boolean[2];
        private final boolean[] started = new boolean[2];
        private final Object[] pTarget = new Object[2];
        private final Access[] pAccess = new Access[2];
        private final int[] irqOnSteps = new int[2];
        private final int[] busy = new int[2];
        private final List<String> trace = new ArrayList<>();
        private volatile int baton = -1;
        private volatile boolean abort;
        private volatile boolean running;
        private Machine machine;
        private int turn;
        private int idle;
        private int turns;
        private int spinsInARow;
        private boolean overlapped;
        private boolean irqDelivered;
        private Site irqSite;
        private RunResult.Outcome outcome = RunResult.Outcome.COMPLETED;
        private Throwable crash;

        Exec(Choice c) {
            this.c = c;
        }

        @Override
        public void step(Cpu cpu, Site site, Object target, Access access) {
            if (!running) {
                return;     // boot and setup: no CPU runs yet
            }
            int id = cpu.id();
            if (abort) {
                throw new RunAborted(machine.detectors().stopFinding());
            }
            if (c.hasIrq() && c.irqCpu() == id && !irqDelivered && !cpu.irqsDisabled()) {
                if (irqOnSteps[id]++ == c.irqAt()) {
                    irqDelivered = true;
                    irqSite = site;
                    trace.add("cpu" + id + " <irq before " + site + ">");
                    // The handler is irqSteps local steps with irqs off: turns this CPU spends
                    // without touching anything, so the scheduler counts them off itself
                    // (no thread switch per handler step); runInterrupt keeps the irq state honest.
                    cpu.runInterrupt(() -> busy[id] = c.irqSteps());
                }
            }
            pTarget[id] = target;
            pAccess[id] = access;
            int next = nextTurn();
            if (next != id) {
                handTo(next);
                awaitBaton(id);
            }
            if (abort) {
                throw new RunAborted(machine.detectors().stopFinding());
            }
            pAccess[id] = null;
            trace.add("cpu" + id + " " + site);
        }

        /** Whose step comes next; -1 when the run must end (abort is then set). */
        private int nextTurn() {
            int late = c.lateCpu();
            int early = 1 - late;
            for (;;) {
                if (machine.detectors().stopped()) {
                    outcome = RunResult.Outcome.STOPPED;
                    abort = true;
                    return -1;
                }
                if (done[0] && done[1]) {
                    return -1;
                }
                if (++turns > maxTurns) {
                    outcome = RunResult.Outcome.STEP_LIMIT;
                    abort = true;
                    return -1;
                }
                int cpu = (turn++ % 2 == 0) ? early : late;
                if (cpu == late && idle < c.offset()) {
                    if (!done[early]) {
                        idle++;
                        continue;
                    }
                    idle = c.offset();    // nothing left to be late for
                }
                if (done[cpu]) {
                    continue;
                }
                if (busy[cpu] > 0) {
                    busy[cpu]--;
                    trace.add("cpu" + cpu + " " + IRQ);
                    if (cpu == late && !done[early]) {
                        overlapped = true;
                    }
                    continue;
                }
                if (pAccess[cpu] == Access.LOCK && pTarget[cpu] instanceof SpinLock lock
                        && lock.isLocked() && lock.owner() != machine.cpu(cpu)) {
                    if (++spinsInARow > 4) {    // every live CPU spins: nobody will unlock
                        outcome = RunResult.Outcome.DEADLOCK;
                        abort = true;
                        return -1;
                    }
                    continue;
                }
                spinsInARow = 0;
                if (cpu == late && !done[early]) {
                    overlapped = true;
                }
                return cpu;
            }
        }

        private void handTo(int next) {
            if (next < 0) {
                baton = -1;
                for (Thread t : threads) {
                    LockSupport.unpark(t);
                }
                return;
            }
            baton = next;
            LockSupport.unpark(threads[next]);
        }

        private void awaitBaton(int id) {
            for (int spin = 0; baton != id && !abort; spin++) {
                if (spin < 5_000) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
        }

        Run go() {
            machine = program.boot(this);
            for (int i = 0; i < 2; i++) {
                Cpu cpu = machine.cpu(i);
                int id = i;
                threads[i] = new Thread(() -> {
                    awaitBaton(id);
                    try {
                        if (!abort) {
                            started[id] = true;
                            program.run(machine, cpu);
                        }
                    } catch (RunAborted stop) {
                        // a finding, a BUG() or the scheduler ended this CPU's code
                    } catch (Throwable t) {
                        crash = t;
                        abort = true;
                    } finally {
                        done[id] = true;
                        handTo(abort ? -1 : nextTurn());
                    }
                }, "lockstep-cpu" + i);
                threads[i].setDaemon(true);
            }
            running = true;
            int first = nextTurn();
            for (Thread t : threads) {
                t.start();
            }
            handTo(first);
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            if (crash != null) {
                throw new IllegalStateException("emulator error under schedule " + c, crash);
            }
            if (machine.detectors().stopped() && outcome == RunResult.Outcome.COMPLETED) {
                outcome = RunResult.Outcome.STOPPED;
            }
            if (outcome == RunResult.Outcome.COMPLETED) {
                program.atQuiescence(machine);
            }
            List<Finding> findings = new ArrayList<>();
            for (Finding f : machine.detectors().findings()) {
                findings.add(f.withSchedule(c.toString()));
            }
            return new Run(c, outcome, findings, List.copyOf(trace), overlapped, irqDelivered, irqSite);
        }
    }
}
