package org.mmemu.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.RunAborted;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.PageFlags;
import org.mmemu.core.sync.SpinLock;

/**
 * One execution of a program under the controlled engine: exactly one emulated CPU advances
 * at a time, and a {@link Scheduler} decides which.
 *
 * <p><b>Baton passing.</b> Each emulated CPU runs its kernel code on a platform thread of its
 * own (the code is the same plain Java the free engine runs), but only the thread holding the
 * baton ever runs. A CPU reaching {@link #step} records its pending step and, holding the
 * baton, asks the scheduler what happens next. If the answer is itself it simply returns: the
 * common case costs no thread switch. Otherwise it writes the chosen CPU into {@code turn} (a
 * volatile write, which publishes everything the run did so far), unparks that CPU's thread
 * and parks until its own turn comes back. A CPU whose program returns passes the baton the
 * same way and leaves. So the run is a sequential program whose control merely hops between
 * threads, and it is fully determined by the scheduler's answers.
 *
 * <p><b>Start.</b> The calling thread (the controller) hands the baton to CPU 0, which runs up
 * to its first step and hands it to CPU 1, and so on, so that even code before the first step
 * never runs concurrently; the last CPU makes the first decision. The controller only waits
 * for every CPU's code to end.
 *
 * <p><b>End.</b> The run ends when every CPU is done, or when a finding, a deadlock, a bound or
 * partial-order reduction ends it. In the latter cases the baton holder sets {@code aborted}
 * and unparks every CPU; each wakes in its gate and unwinds its kernel code by throwing
 * {@link Unwind}, a {@link RunAborted} that mirrors never catch. The controller returns only
 * when every CPU's code has ended, so no thread outlives its execution.
 *
 * <p><b>Locks.</b> A CPU whose pending step is a {@link Access#LOCK} on a held {@link SpinLock}
 * is blocked: the {@code any} model never chooses it, the {@code irq} model lets it spin (a row
 * that changes nothing). When every unfinished CPU is blocked the run ends in a
 * {@link FindingKind#DEADLOCK} finding naming each lock's holder.
 *
 * <p><b>Set-up and checks.</b> Steps made while the program boots its machine, and while
 * it runs its quiescent checks once every CPU is done, pass freely and leave no row.
 *
 * <p><b>Traces.</b> A row is opened when a step is granted and closed at the next gate (or at
 * the end), when the step and the local code after it have run: only then do the watched pages
 * show the state after the step.
 */
final class Execution implements StepGate {
    private static final int CONTROLLER = -1;
    private static final Site IRQ_ENTER = Site.of("interrupt", "irq_enter()");
    private static final Site IRQ_EXIT = Site.of("interrupt", "irq_exit()");
    static final Site HANDLER_STEP = Site.of("interrupt", "handler step");

    /** Unwinds a CPU's kernel code when the run has ended elsewhere. */
    static final class Unwind extends RunAborted {
        Unwind() {
            super(null);
        }
    }

    /** The engine's view of one CPU. */
    static final class Slot {
        final Cpu cpu;
        volatile Thread thread;
        Site site;
        Object target;
        Access access;
        boolean done;
        Action action;

        Slot(Cpu cpu) {
            this.cpu = cpu;
        }
    }

    private final Program program;
    private final DelayModel model;
    private final Scheduler scheduler;
    private final long maxSteps;
    private final long deadline;
    private final boolean recordTrace;
    private final CpuThreads threads;
    private final List<InterruptSpec> irqs;
    /** Told of every row and interrupt, for schedulers that track the run (timed engine). */
    private final RowListener listener;

    private Machine machine;
    private Slot[] slots;
    private volatile int turn = CONTROLLER;
    private volatile boolean aborted;
    private volatile Thread controller;
    /**
     * While the program boots its machine and while it runs its quiescent checks, steps pass
     * freely and leave no row: set-up and checks may call stepping code, but they are not part
     * of the interleaving.
     */
    private volatile boolean unscheduled = true;
    private CountDownLatch ended;

    // owned by the baton holder
    private boolean booting = true;
    private int lastCpu = -1;
    private long rows;
    private int[] irqCount;
    private RunResult.Outcome outcome;
    private Throwable crash;
    private final Schedule.Recorder recorder;
    private final List<TraceRow> trace = new ArrayList<>();
    private LivelockDetector livelock;
    private Slot openSlot;
    private TraceRow.Kind openKind;
    private Site openSite;
    private Access openAccess;
    private Object openTarget;
    private boolean openIrq;

    /** Receives rows as they are taken; the timed engine keeps its clocks this way. */
    interface RowListener {
        void row(int cpu, Object target, Access access, boolean spin);

        RowListener NONE = (cpu, target, access, spin) -> { };
    }

    Execution(Program program, DelayModel model, Scheduler scheduler, long maxSteps, long deadlineNanos,
              boolean recordTrace, CpuThreads threads, RowListener listener) {
        this.program = program;
        this.model = model;
        this.scheduler = scheduler;
        this.maxSteps = maxSteps;
        this.deadline = deadlineNanos;
        this.recordTrace = recordTrace;
        this.threads = threads;
        this.irqs = program.interrupts();
        this.recorder = new Schedule.Recorder(model);
        this.listener = listener;
    }

    /** Boots the program's machine, runs it to its end under the scheduler, and reports. */
    RunResult run() {
        long start = System.nanoTime();
        controller = Thread.currentThread();
        machine = program.boot(this);
        int n = machine.cpus().size();
        slots = new Slot[n];
        irqCount = new int[irqs.size()];
        ended = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            slots[i] = new Slot(machine.cpu(i));
        }
        livelock = new LivelockDetector(livelockView(), machine.detectors(), program.livelockRepeats());
        unscheduled = false;
        for (Slot s : slots) {
            threads.execute(() -> cpuMain(s));
        }
        pass(0);
        boolean interrupted = false;
        for (;;) {
            try {
                ended.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                endRun(RunResult.Outcome.TIME_LIMIT);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (crash != null) {
            throw new IllegalStateException("emulator error on a CPU thread", crash);
        }
        String schedule = recorder.schedule().toString();
        List<Finding> findings = new ArrayList<>();
        for (Finding f : machine.detectors().findings()) {
            findings.add(f.withSchedule(schedule));
        }
        return new RunResult(outcome, findings, machine.detectors().warnings(), rows, schedule,
                (System.nanoTime() - start) / 1_000_000, machine, recordTrace ? new Trace(trace) : null);
    }

    // ---- the CPU side -------------------------------------------------------------------

    private void cpuMain(Slot s) {
        s.thread = Thread.currentThread();
        try {
            awaitTurn(s);
            program.run(machine, s.cpu);
            cpuReturned(s);
        } catch (Unwind u) {
            // the run ended elsewhere
        } catch (RunAborted stop) {
            // a finding (or a kernel BUG) stopped the run on this CPU
            if (!aborted) {
                closeRow();
                endRun(RunResult.Outcome.STOPPED);
            }
        } catch (Throwable e) {
            if (!aborted) {
                crash = e;
                endRun(RunResult.Outcome.STOPPED);
            }
        } finally {
            s.done = true;
            s.thread = null;
            ended.countDown();
        }
    }

    @Override
    public void step(Cpu cpu, Site site, Object target, Access access) {
        if (unscheduled) {
            return;
        }
        Slot s = slots[cpu.id()];
        for (;;) {
            if (aborted) {
                throw new Unwind();
            }
            closeRow();
            s.site = site;
            s.target = target;
            s.access = access;
            if (booting && s.cpu.id() < slots.length - 1) {
                pass(s.cpu.id() + 1);
                awaitTurn(s);
            } else {
                booting = false;
                dispatch(s);
            }
            Action a = s.action;
            s.action = null;
            if (a.kind() == Action.Kind.IRQ) {
                deliver(s, a);
                continue;
            }
            openRow(s, TraceRow.Kind.STEP, site, access, target);
            return;
        }
    }

    private void cpuReturned(Slot s) {
        closeRow();
        s.done = true;
        if (booting && s.cpu.id() < slots.length - 1) {
            pass(s.cpu.id() + 1);
            return;
        }
        booting = false;
        if (allDone()) {
            finishRun();
        } else {
            dispatch(null);
        }
    }

    /** Runs an interrupt on {@code s}'s CPU before its pending step, with entry and exit rows. */
    private void deliver(Slot s, Action a) {
        InterruptSpec spec = irqs.get(a.irq());
        irqCount[a.irq()]++;
        Cpu cpu = s.cpu;
        openRow(s, TraceRow.Kind.IRQ_ENTER, IRQ_ENTER, Access.LOCAL, "irq" + a.irq());
        closeRow();
        int steps = a.duration();
        cpu.runInterrupt(() -> {
            if (spec.handler() != null) {
                spec.handler().accept(machine, cpu);
            } else {
                for (int i = 0; i < steps; i++) {
                    cpu.local(HANDLER_STEP);
                }
            }
            closeRow();
            openRow(s, TraceRow.Kind.IRQ_EXIT, IRQ_EXIT, Access.LOCAL, "irq" + a.irq());
        });
        closeRow();
    }

    // ---- the baton ----------------------------------------------------------------------

    private void pass(int to) {
        turn = to;
        Thread t = to == CONTROLLER ? controller : slots[to].thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void awaitTurn(Slot s) {
        int id = s.cpu.id();
        while (turn != id && !aborted) {
            LockSupport.park(this);
        }
        if (aborted) {
            throw new Unwind();
        }
    }

    /**
     * Decides what happens next and hands the baton over. {@code me} is the calling CPU, or
     * null when the caller will not wait for its turn (the controller, or a CPU whose program
     * returned). Returns when {@code me} is chosen; throws {@link Unwind} when the run ends.
     */
    private void dispatch(Slot me) {
        for (;;) {
            if (rows >= maxSteps) {
                endRun(RunResult.Outcome.STEP_LIMIT);
            } else if ((rows & 63) == 0 && System.nanoTime() - deadline > 0) {
                endRun(RunResult.Outcome.TIME_LIMIT);
            } else if (allBlocked()) {
                deadlock();
            }
            if (aborted) {
                if (me != null) {
                    throw new Unwind();
                }
                return;
            }
            int def = defaultCpu();
            Action a = scheduler.next(this);
            switch (a.kind()) {
                case PRUNE -> endRun(RunResult.Outcome.PRUNED);
                case SPIN -> {
                    Slot t = slots[a.cpu()];
                    recorder.row(a.cpu(), a.cpu() == def);
                    lastCpu = a.cpu();
                    rows++;
                    listener.row(a.cpu(), t.target, t.access, true);
                    openRow(t, TraceRow.Kind.SPIN, t.site, t.access, t.target);
                    closeRow();
                }
                case STEP, IRQ -> {
                    Slot t = slots[a.cpu()];
                    if (a.kind() == Action.Kind.STEP) {
                        recorder.row(a.cpu(), a.cpu() == def);
                        rows++;
                        listener.row(a.cpu(), t.target, t.access, false);
                        Finding loop = livelock.step(a.cpu(), t.site, t.target, t.access);
                        if (loop != null) {
                            reportLivelock(loop);
                            continue;
                        }
                    } else {
                        InterruptSpec spec = irqs.get(a.irq());
                        recorder.irq(a.irq(), spec.handler() != null || a.duration() == spec.steps() ? -1 : a.duration());
                    }
                    lastCpu = a.cpu();
                    t.action = a;
                    if (t == me) {
                        return;
                    }
                    pass(a.cpu());
                    if (me != null) {
                        awaitTurn(me);
                    }
                    return;
                }
            }
        }
    }

    private void finishRun() {
        unscheduled = true;
        try {
            program.atQuiescence(machine);
        } catch (RunAborted stop) {
            // recorded already
        }
        outcome = machine.detectors().stopped() ? RunResult.Outcome.STOPPED : RunResult.Outcome.COMPLETED;
        aborted = true;
    }

    /** Ends the run: every CPU still in its code unwinds. Keeps the first reason given. */
    private void endRun(RunResult.Outcome why) {
        if (outcome == null) {
            outcome = why;
        }
        aborted = true;
        for (Slot s : slots) {
            Thread t = s.thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
        LockSupport.unpark(controller);
    }

    private void deadlock() {
        StringBuilder msg = new StringBuilder("every CPU waits for a lock:");
        List<Finding.Related> rel = new ArrayList<>();
        int[] ids = new int[2 * slots.length];
        int k = 0;
        for (Slot s : slots) {
            if (s.done) {
                continue;
            }
            SpinLock lock = (SpinLock) s.target;
            Cpu owner = lock.owner();
            msg.append(' ').append(s.cpu).append(" waits for ").append(lock.name()).append(" held by ")
                    .append(owner).append(';');
            rel.add(new Finding.Related("waits for " + lock.name(), s.cpu.id(), s.site));
            if (owner != null) {
                List<Site> last = owner.recent().snapshot();
                rel.add(new Finding.Related("holds " + lock.name(), owner.id(),
                        last.isEmpty() ? null : last.get(last.size() - 1)));
                ids[k++] = owner.id();
            }
            ids[k++] = s.cpu.id();
        }
        Finding f = new Finding(FindingKind.DEADLOCK, -1, -1, null, msg.substring(0, msg.length() - 1), rel,
                machine.detectors().recentOf(java.util.Arrays.copyOf(ids, k)), "");
        try {
            machine.detectors().report(f);
        } catch (RunAborted stop) {
            // the deadlock ends the run below whatever the stop kinds say: nothing can move
        }
        endRun(RunResult.Outcome.DEADLOCK);
    }

    /** Ends the run in a livelock finding (see {@link LivelockDetector}). */
    private void reportLivelock(Finding f) {
        try {
            machine.detectors().report(f);
        } catch (RunAborted stop) {
            // the livelock ends the run below whatever the stop kinds say: nothing will change
        }
        endRun(RunResult.Outcome.STOPPED);
    }

    /** What the livelock detector sees of the CPUs. */
    private LivelockDetector.View livelockView() {
        return new LivelockDetector.View() {
            @Override
            public int cpus() {
                return slots.length;
            }

            @Override
            public boolean done(int cpu) {
                return slots[cpu].done;
            }

            @Override
            public boolean blocked(int cpu) {
                return Execution.this.blocked(cpu);
            }

            @Override
            public boolean inInterrupt(int cpu) {
                return slots[cpu].cpu.inInterrupt();
            }

            @Override
            public SpinLock waitsFor(int cpu) {
                return slots[cpu].target instanceof SpinLock l ? l : null;
            }

            @Override
            public boolean handlerMayArrive() {
                for (int k = 0; k < irqs.size(); k++) {
                    if (irqs.get(k).handler() != null && canInterrupt(k)) {
                        return true;
                    }
                }
                return false;
            }
        };
    }

    // ---- trace rows ---------------------------------------------------------------------

    private void openRow(Slot s, TraceRow.Kind kind, Site site, Access access, Object target) {
        if (!recordTrace) {
            return;
        }
        openSlot = s;
        openKind = kind;
        openSite = site;
        openAccess = access;
        openTarget = target;
        openIrq = s.cpu.inInterrupt();
    }

    private void closeRow() {
        if (openSlot == null) {
            return;
        }
        List<TraceRow.PageState> pages = new ArrayList<>();
        for (Page p : machine.watched()) {
            pages.add(new TraceRow.PageState(p.pfn(), p.count(), p.hasFlag(PageFlags.PG_lru)));
        }
        trace.add(new TraceRow(trace.size(), openSlot.cpu.id(), openKind, openSite, openAccess,
                describe(openTarget), openIrq, pages));
        openSlot = null;
    }

    /** A description of a step's target that names no object identity, so traces hash stably. */
    static String describe(Object target) {
        if (target == null) {
            return "-";
        }
        if (target instanceof Page p) {
            return "page " + p.pfn();
        }
        if (target instanceof SpinLock l) {
            return l.name();
        }
        if (target instanceof String s) {
            return s;
        }
        String s = target.toString();
        String identity = target.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(target));
        return s.equals(identity) ? target.getClass().getSimpleName() : s;
    }

    // ---- what schedulers see ------------------------------------------------------------

    DelayModel model() {
        return model;
    }

    int cpus() {
        return slots.length;
    }

    boolean done(int c) {
        return slots[c].done;
    }

    /** Whether {@code c}'s pending step is an attempt to take a held spinlock. */
    boolean blocked(int c) {
        Slot s = slots[c];
        return !s.done && s.access == Access.LOCK && s.target instanceof SpinLock l && l.isLocked();
    }

    boolean enabled(int c) {
        return !slots[c].done && !blocked(c);
    }

    Object pendingTarget(int c) {
        return slots[c].target;
    }

    Access pendingAccess(int c) {
        return slots[c].access;
    }

    List<InterruptSpec> interrupts() {
        return irqs;
    }

    /** Whether interrupt {@code k} may arrive now: its CPU is running with irqs on, and it has arrivals left. */
    boolean canInterrupt(int k) {
        InterruptSpec spec = irqs.get(k);
        if (spec.cpu() < 0 || spec.cpu() >= slots.length || irqCount[k] >= spec.max()) {
            return false;
        }
        Slot s = slots[spec.cpu()];
        return !s.done && !s.cpu.irqsDisabled();
    }

    int lastCpu() {
        return lastCpu;
    }

    long rows() {
        return rows;
    }

    Machine machine() {
        return machine;
    }

    /** The CPU the model's default rule picks now (see {@link Schedule}), or -1 if none can go. */
    int defaultCpu() {
        int n = slots.length;
        if (model == DelayModel.IRQ) {
            for (int i = 1; i <= n; i++) {
                int c = Math.floorMod(lastCpu + i, n);
                if (!slots[c].done) {
                    return c;
                }
            }
            return -1;
        }
        if (lastCpu >= 0 && enabled(lastCpu)) {
            return lastCpu;
        }
        for (int c = 0; c < n; c++) {
            if (enabled(c)) {
                return c;
            }
        }
        return -1;
    }

    private boolean allDone() {
        for (Slot s : slots) {
            if (!s.done) {
                return false;
            }
        }
        return true;
    }

    private boolean allBlocked() {
        boolean any = false;
        for (int c = 0; c < slots.length; c++) {
            if (!slots[c].done) {
                if (!blocked(c)) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }
}
