package org.mmemu.engine;

import java.util.ArrayList;
import java.util.List;
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
 * <h2>Design: emulated CPUs as coroutines</h2>
 *
 * <p><b>The problem.</b> The kernel mirrors are plain Java that call {@link StepGate#step}
 * before every operation on shared state, deep inside their own call stacks; the engine must be
 * able to stop a CPU there and run another one, millions of times per second. The first engine
 * gave each CPU a platform thread and passed a baton with {@code LockSupport.park/unpark}: each
 * handover was two futex calls and a trip through the OS scheduler, 0.1 to 0.4 M handovers/s,
 * and with more CPU threads than host cores worse still. Spinning instead of parking is fast
 * only while threads do not outnumber cores, which they always do when one explorer runs per
 * core.
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
 * <p><b>Why continuations and not virtual threads.</b> Virtual threads would give the same
 * one-thread execution if their scheduler were an executor run by the driver (one carrier, the
 * caller), but that scheduler is not public API (it takes {@code --add-opens java.base/java.lang}
 * and reflection), and each handover then adds a task submission, a queue and the virtual
 * thread's state machine around the same yield. Measured in one run on JDK 25 (mm-tests
 * {@code HandoffBench}, docs/BENCHMARKS.md "Controlled engine v2") continuations hand over
 * faster at every CPU count from 2 to 8, flat in the number of CPUs; they also need only
 * {@code --add-exports}, which {@link Coroutine#check} demands with one line when missing.
 *
 * <p><b>The invariant.</b> At any moment at most one CPU's continuation is mounted, and only
 * it touches the execution's state and the machine; everything runs on the driver thread, so
 * no field needs to be volatile. Nothing in the kernel code may hold a Java monitor across a
 * step: a continuation cannot yield while pinned, and the JDK would report it.
 *
 * <p><b>Start.</b> The driver runs CPU 0 up to its first step, which hands the turn to CPU 1,
 * and so on, so that code before the first step runs in CPU order; the last CPU makes the first
 * decision.
 *
 * <p><b>End.</b> The run ends when every CPU is done, or when a finding, a deadlock, a bound or
 * partial-order reduction ends it. In the latter cases the CPU that ends it sets
 * {@code aborted}; the driver then resumes every live continuation once more, and each, inside
 * its gate, unwinds its kernel code by throwing {@link Unwind}, a {@link RunAborted} that
 * mirrors never catch. {@link #run} returns only when every continuation has ended, so nothing
 * outlives its execution.
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
 *
 * <p>Sources: the Loom continuation API ({@code jdk.internal.vm.Continuation}, JEP 425/444);
 * loom (Rust) and shuttle (Rust) run every model thread as a coroutine on one OS thread for the
 * same reason; Fray (Java) uses the park/unpark design this replaces.
 */
final class Execution implements StepGate {
    private static final Site IRQ_ENTER = Site.of("interrupt", "irq_enter()");
    private static final Site IRQ_EXIT = Site.of("interrupt", "irq_exit()");
    static final Site HANDLER_STEP = Site.of("interrupt", "handler step");

    /** Unwinds a CPU's kernel code when the run has ended elsewhere. */
    static final class Unwind extends RunAborted {
        Unwind() {
            super(null);
        }
    }

    /** Ends a busy handler early ({@link Action.Kind#END}); thrown and caught inside the engine only. */
    private static final class EndHandler extends RuntimeException {
        EndHandler() {
            super(null, null, false, false);
        }
    }

    private static final EndHandler END_HANDLER = new EndHandler();

    /** The engine's view of one CPU. */
    static final class Slot {
        final Cpu cpu;
        Coroutine coroutine;
        Site site;
        Object target;
        /** The field of {@link #target} the pending step touches ({@link Access#sameField}). */
        int field;
        Access access;
        boolean done;
        Action action;
        /** Where the schedule recorded the interrupt being delivered. */
        int irqToken;
        /** Steps taken by the busy handler running now; whether the scheduler may end it early. */
        int handlerSteps;
        boolean handlerEndable;
        int handlerMax;
        /** The pending step's footprint, made on first request (null until then). */
        Decision.Footprint footprint;

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
    private final List<InterruptSpec> irqs;
    /** Told of every row and interrupt, for schedulers that track the run (timed engine). */
    private final RowListener listener;

    private Machine machine;
    private Slot[] slots;
    /** The CPU whose continuation the driver runs next. */
    private int turn;
    private boolean aborted;
    /**
     * While the program boots its machine and while it runs its quiescent checks, steps pass
     * freely and leave no row: set-up and checks may call stepping code, but they are not part
     * of the interleaving.
     */
    private boolean unscheduled = true;

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
              boolean recordTrace, RowListener listener) {
        this.program = program;
        this.model = model;
        this.scheduler = scheduler;
        this.maxSteps = maxSteps;
        this.deadline = deadlineNanos;
        this.recordTrace = recordTrace;
        this.irqs = program.interrupts();
        this.recorder = new Schedule.Recorder(model);
        this.listener = listener;
    }

    /** Boots the program's machine, runs it to its end under the scheduler, and reports. */
    RunResult run() {
        Coroutine.check();
        long start = System.nanoTime();
        machine = program.boot(this);
        int n = machine.cpus().size();
        slots = new Slot[n];
        irqCount = new int[irqs.size()];
        for (int i = 0; i < n; i++) {
            Slot s = new Slot(machine.cpu(i));
            s.coroutine = new Coroutine(() -> cpuMain(s));
            slots[i] = s;
        }
        livelock = new LivelockDetector(livelockView(), machine.detectors(), program.livelockRepeats());
        unscheduled = false;
        try {
            while (!aborted) {
                slots[turn].coroutine.run();
            }
        } finally {
            unwind();
        }
        if (crash != null) {
            throw new IllegalStateException("emulator error on an emulated CPU", crash);
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
        }
    }

    @Override
    public void step(Cpu cpu, Site site, Object target, int field, Access access) {
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
            s.field = field;
            s.access = access;
            s.footprint = null;
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
            if (a.kind() == Action.Kind.END) {
                throw END_HANDLER;
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
        int token = s.irqToken;
        s.handlerSteps = 0;
        s.handlerMax = steps;
        s.handlerEndable = a.endable() && spec.handler() == null;
        cpu.runInterrupt(() -> {
            if (spec.handler() != null) {
                spec.handler().accept(machine, cpu);
            } else {
                try {
                    for (int i = 0; i < steps; i++) {
                        cpu.local(HANDLER_STEP);
                        s.handlerSteps++;
                    }
                } catch (EndHandler e) {
                    // the scheduler ended the handler before this step
                }
            }
            closeRow();
            openRow(s, TraceRow.Kind.IRQ_EXIT, IRQ_EXIT, Access.LOCAL, "irq" + a.irq());
        });
        closeRow();
        if (s.handlerEndable) {
            recorder.irqDuration(token, s.handlerSteps == spec.steps() ? -1 : s.handlerSteps);
            s.handlerEndable = false;
        }
    }

    // ---- the handover -------------------------------------------------------------------

    private void pass(int to) {
        turn = to;
    }

    /** Yields until the driver resumes this CPU with its turn, or the run has ended. */
    private void awaitTurn(Slot s) {
        int id = s.cpu.id();
        while (turn != id && !aborted) {
            Coroutine.yield();
        }
        if (aborted) {
            throw new Unwind();
        }
    }

    /**
     * Once the run has ended: resumes every continuation that has not ended so that it unwinds
     * (or, never started, starts and unwinds at once), leaving nothing alive.
     */
    private void unwind() {
        aborted = true;
        for (Slot s : slots) {
            while (!s.coroutine.done()) {
                s.coroutine.run();
            }
        }
    }

    /** Whether every CPU's continuation has ended (true once {@link #run} has returned). */
    boolean quiescent() {
        for (Slot s : slots) {
            if (!s.coroutine.done()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decides what happens next and hands the turn over. {@code me} is the calling CPU, or
     * null when the caller will not wait for its turn (the controller, or a CPU whose program
     * returned). Returns when {@code me} is chosen; throws {@link Unwind} when the run ends.
     */
    private void dispatch(Slot me) {
        for (;;) {
            if (rows >= maxSteps) {
                endRun(RunResult.Outcome.STEP_LIMIT);
            } else if ((rows & 63) == 0 && (System.nanoTime() - deadline > 0
                    || Thread.currentThread().isInterrupted())) {
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
                case STEP, IRQ, END -> {
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
                    } else if (a.kind() == Action.Kind.IRQ) {
                        InterruptSpec spec = irqs.get(a.irq());
                        t.irqToken = recorder.irq(a.irq(),
                                spec.handler() != null || a.duration() == spec.steps() ? -1 : a.duration());
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

    /** Ends the run: every CPU still in its code will unwind. Keeps the first reason given. */
    private void endRun(RunResult.Outcome why) {
        if (outcome == null) {
            outcome = why;
        }
        aborted = true;
    }

    private void deadlock() {
        scheduler.deadlocked(this);
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
            public Site pendingSite(int cpu) {
                return slots[cpu].site;
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

    int pendingField(int c) {
        return slots[c].field;
    }

    Object pendingTarget(int c) {
        return slots[c].target;
    }

    Access pendingAccess(int c) {
        return slots[c].access;
    }

    /** The footprint of {@code c}'s pending step, made once per step however many decisions ask. */
    Decision.Footprint pendingFootprint(int c) {
        Slot s = slots[c];
        if (s.footprint == null) {
            s.footprint = new Decision.Footprint(s.target, s.field, s.access);
        }
        return s.footprint;
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

    /**
     * For a CPU running a busy handler that the scheduler may end early: the handler steps it has
     * taken; -1 otherwise.
     */
    int endableHandlerSteps(int c) {
        Slot s = slots[c];
        return s.handlerEndable && s.cpu.inInterrupt() ? s.handlerSteps : -1;
    }

    /** The longest length of the busy handler running on {@code c}. */
    int handlerMax(int c) {
        return slots[c].handlerMax;
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
