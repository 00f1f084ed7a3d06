package org.mmemu.engine.run;

import java.util.ArrayList;
import java.util.List;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.RunAborted;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.Schedule;
import org.mmemu.engine.TraceRow;

/**
 * One execution of a program under the controlled engine: exactly one emulated CPU advances
 * at a time, and a {@link Scheduler} decides which.
 *
 * <h2>Design: emulated CPUs as coroutines</h2>
 *
 * <p>Why coroutines, and not threads or virtual threads: see {@link Coroutine}.
 *
 * <p><b>The mechanism.</b> Every CPU's code is a one-shot delimited continuation
 * ({@link Coroutine}, over {@code jdk.internal.vm.Continuation}, the JDK's mechanism under
 * virtual threads) and all of them run on the one host thread that called {@link #run}, the
 * driver. A CPU reaching {@link #step} records its pending step and asks the scheduler what
 * happens next. If the answer is itself it simply returns: the common case costs nothing. If
 * it is another CPU, it writes that CPU into {@code turn} and yields; the driver's loop then
 * runs (mounts) the continuation of {@code turn}, which resumes inside its own earlier
 * {@code step} call. A handover is thus one yield and one resume, a copy of a few frames
 * between the thread's stack and the heap, with no OS call and no memory fence, and the run is
 * a sequential program fully determined by the scheduler's answers.
 *
 * <p><b>The invariant.</b> At any moment at most one CPU's continuation is mounted, and only
 * it touches the execution's state and the machine; everything runs on the driver thread, so
 * no field needs to be volatile. Nothing in the kernel code may hold a Java monitor across a
 * step: a continuation cannot yield while pinned, and the JDK would report it.
 *
 * <p><b>Parts.</b> The run's state as its scheduler sees it is {@link RunState} (a {@link RunView});
 * an interrupt's delivery inside a gate, and a busy handler's steps, are {@link IrqDelivery}'s; the
 * rows of a trace are {@link TraceRows}; a run that cannot move ends in {@link Deadlock}'s finding,
 * one that moves in circles in {@link LivelockDetector}'s; the continuations' loop, the handover and
 * the unwinding are the {@link Driver}'s; {@link DataRaces} sees every step granted. This class is
 * the gate: what a CPU does at a step, and what the scheduler's answer does to the run.
 */
public final class Execution implements StepGate {
    private final Program program;
    private final DelayModel model;
    private final Scheduler scheduler;
    private final long maxSteps;
    private final long deadline;
    /** Told of every row and interrupt, for schedulers that track the run (timed engine). */
    private final RowListener listener;
    private final Schedule.Recorder recorder;
    private final TraceRows trace;

    private Machine machine;
    private RunState state;
    private Slot[] slots;
    private Driver driver;
    private IrqDelivery irqs;
    private LivelockDetector livelock;
    private DataRaces races;
    /** While the machine boots and its quiescent checks run, steps pass freely and leave no row. */
    private boolean unscheduled = true;
    private boolean booting = true;
    private RunResult.Outcome outcome;
    private Throwable crash;

    public Execution(Program program, DelayModel model, Scheduler scheduler, long maxSteps, long deadlineNanos,
                     boolean recordTrace, RowListener listener) {
        this.program = program;
        this.model = model;
        this.scheduler = scheduler;
        this.maxSteps = maxSteps;
        this.deadline = deadlineNanos;
        this.recorder = new Schedule.Recorder(model);
        this.trace = new TraceRows(recordTrace);
        this.listener = listener;
    }

    /** Boots the program's machine, runs it to its end under the scheduler, and reports. */
    public RunResult run() {
        Coroutine.check();
        long start = System.nanoTime();
        machine = program.boot(this);
        int n = machine.cpus().size();
        slots = new Slot[n];
        for (int i = 0; i < n; i++) {
            Slot s = new Slot(machine.cpu(i));
            s.coroutine = new Coroutine(() -> cpuMain(s));
            slots[i] = s;
        }
        driver = new Driver(slots);
        state = new RunState(slots, model, program.interrupts(), scheduler.keysState() ? scheduler.keyMutation() : null);
        trace.watch(machine);
        irqs = new IrqDelivery(state, trace, recorder, machine);
        livelock = new LivelockDetector(new LivelockView(state), machine.detectors(), program.livelockRepeats());
        state.historyFree = livelock::historyFree;
        races = new DataRaces(n, machine.detectors());
        machine.detectors().setSerial(true);
        unscheduled = false;
        driver.runToEnd();
        if (crash != null) {
            throw new IllegalStateException("emulator error on an emulated CPU", crash);
        }
        String schedule = recorder.schedule().toString();
        List<Finding> findings = new ArrayList<>();
        for (Finding f : machine.detectors().findings()) {
            findings.add(f.withSchedule(schedule));
        }
        return new RunResult(outcome, findings, machine.detectors().warnings(), state.rows, schedule,
                (System.nanoTime() - start) / 1_000_000, machine, trace.trace());
    }

    // ---- the CPU side -------------------------------------------------------------------

    private void cpuMain(Slot s) {
        try {
            driver.awaitTurn(s);
            program.run(machine, s.cpu);
            cpuReturned(s);
        } catch (Driver.Unwind u) {
            // the run ended elsewhere
        } catch (RunAborted stop) {
            // a finding (or a kernel BUG) stopped the run on this CPU
            if (!driver.ended()) {
                trace.close();
                endRun(RunResult.Outcome.STOPPED);
            }
        } catch (Throwable e) {
            if (!driver.ended()) {
                crash = e;
                endRun(RunResult.Outcome.STOPPED);
            }
        } finally {
            s.done = true;
        }
    }

    /** The gate: records the CPU's pending step and returns when the scheduler grants it. */
    @Override
    public void step(Cpu cpu, Site site, Object target, int field, Access access) {
        if (unscheduled) {
            return;
        }
        Slot s = slots[cpu.id()];
        for (;;) {
            if (driver.ended()) {
                throw new Driver.Unwind();
            }
            trace.close();
            s.pend(site, target, field, access);
            if (booting && s.cpu.id() < slots.length - 1) {
                driver.pass(s.cpu.id() + 1);
                driver.awaitTurn(s);
            } else {
                booting = false;
                dispatch(s);
            }
            Action a = s.action;
            s.action = null;
            if (a.kind() == Action.Kind.IRQ) {
                irqs.deliver(s, a);
                continue;
            }
            if (a.kind() == Action.Kind.END) {
                throw IrqDelivery.END_HANDLER;
            }
            trace.open(s, TraceRow.Kind.STEP, site, access, target);
            races.step(cpu, site, target, field, access);
            return;
        }
    }

    private void cpuReturned(Slot s) {
        trace.close();
        s.done = true;
        if (booting && s.cpu.id() < slots.length - 1) {
            driver.pass(s.cpu.id() + 1);
            return;
        }
        booting = false;
        if (state.allDone()) {
            finishRun();
        } else {
            dispatch(null);
        }
    }

    /** Whether every CPU's continuation has ended (true once {@link #run} has returned). */
    public boolean quiescent() {
        return driver.quiescent();
    }

    /**
     * Decides what happens next and hands the turn over. {@code me} is the calling CPU, or
     * null when the caller will not wait for its turn (the controller, or a CPU whose program
     * returned). Returns when {@code me} is chosen; throws {@link Driver.Unwind} when the run ends.
     */
    private void dispatch(Slot me) {
        RunState x = state;
        for (;;) {
            if (x.rows >= maxSteps) {
                endRun(RunResult.Outcome.STEP_LIMIT);
            } else if ((x.rows & 63) == 0 && (System.nanoTime() - deadline > 0
                    || Thread.currentThread().isInterrupted())) {
                endRun(RunResult.Outcome.TIME_LIMIT);
            } else if (x.allBlocked()) {
                scheduler.deadlocked(x);
                Deadlock.report(slots, machine);
                endRun(RunResult.Outcome.DEADLOCK);
            }
            if (driver.ended()) {
                if (me != null) {
                    throw new Driver.Unwind();
                }
                return;
            }
            int def = x.defaultCpu();
            Action a = scheduler.next(x);
            switch (a.kind()) {
                case PRUNE -> endRun(RunResult.Outcome.PRUNED);
                case SPIN -> {
                    Slot t = slots[a.cpu()];
                    recorder.row(a.cpu(), a.cpu() == def);
                    x.lastCpu = a.cpu();
                    x.rows++;
                    listener.row(a.cpu(), t.target, t.access, true);
                    trace.open(t, TraceRow.Kind.SPIN, t.site, t.access, t.target);
                    trace.close();
                }
                case STEP, IRQ, END -> {
                    Slot t = slots[a.cpu()];
                    x.granted(a);
                    if (a.kind() == Action.Kind.STEP) {
                        recorder.row(a.cpu(), a.cpu() == def);
                        listener.row(a.cpu(), t.target, t.access, false);
                        Finding loop = livelock.step(a.cpu(), t.site, t.target, t.access);
                        if (loop != null) {
                            reportLivelock(loop);
                            continue;
                        }
                        if (irqs.takeBusyStep(t)) {
                            continue;
                        }
                    } else if (a.kind() == Action.Kind.IRQ) {
                        var spec = x.interrupts().get(a.irq());
                        t.irqToken = recorder.irq(a.irq(),
                                spec.handler() != null || a.duration() == spec.steps() ? -1 : a.duration());
                    }
                    t.action = a;
                    if (t == me) {
                        return;
                    }
                    driver.pass(a.cpu());
                    if (me != null) {
                        driver.awaitTurn(me);
                    }
                    return;
                }
            }
        }
    }

    // ---- the end ------------------------------------------------------------------------

    private void finishRun() {
        unscheduled = true;
        try {
            program.atQuiescence(machine);
        } catch (RunAborted stop) {
            // recorded already
        }
        outcome = machine.detectors().stopped() ? RunResult.Outcome.STOPPED : RunResult.Outcome.COMPLETED;
        driver.end();
    }

    /** Ends the run: every CPU still in its code will unwind. Keeps the first reason given. */
    private void endRun(RunResult.Outcome why) {
        if (outcome == null) {
            outcome = why;
        }
        driver.end();
    }

    /** Ends the run in a livelock finding (see {@link LivelockDetector}). */
    private void reportLivelock(Finding f) {
        try {
            machine.detectors().report(f);
        } catch (RunAborted stop) {
            // the livelock ends the run whatever the stop kinds say: nothing will change
        }
        endRun(RunResult.Outcome.STOPPED);
    }
}
