package org.mmemu.engine.delay;

import java.util.ArrayList;
import java.util.List;
import org.mmemu.core.emu.Access;
import org.mmemu.engine.InterruptSpec;
import org.mmemu.engine.StateKey;
import org.mmemu.engine.hb.Footprint;
import org.mmemu.engine.run.Action;
import org.mmemu.engine.run.KeyMutation;
import org.mmemu.engine.run.RunView;
import org.mmemu.engine.run.Scheduler;

/**
 * The {@code irq} delay model (docs/ARCHITECTURE.md §3): lock-step round robin, one row per CPU per turn.
 *
 * <p>The choices, all made at a CPU's turn: first, which CPU leads (starts at once); every other
 * CPU then may let its turns pass before it starts (its start offset, free); a started CPU may
 * slip, missing 1..K of its turns (K the skew; each slip costs one unit of the preemption
 * bound); and an interrupt may arrive on it where its irqs are on (bounded by the spec's
 * {@code max}), after which its turns run the handler. A busy handler's duration is explored
 * too, from 1 to the spec's {@code steps}, so that "the interrupt takes longer than X" becomes
 * the smallest duration that makes the race; a busy handler of exact length
 * ({@link InterruptSpec#busyExactly}, a scenario's {@code steps: N}) always runs its {@code steps},
 * is never ended early, and has its arrival classed as below. A CPU waiting for a held lock spins on
 * its turns: it keeps pace and changes nothing. A CPU may only wait or slip while another
 * started CPU can use the turns.
 *
 * <p><b>Decisions only where they change something.</b> A started CPU whose pending step is
 * {@link Access#LOCAL} (a busy handler's steps are) takes it on its turn without a decision:
 * slipping before a local step puts every shared step exactly where slipping before the next
 * shared step does, at the same cost. Only an interrupt's arrival is still offered there (irqs
 * may go off at that very local step). A not yet started CPU keeps its free start offset.
 *
 * <p><b>Duration classes.</b> With {@code durationClasses}, a busy handler is not given its
 * length when it arrives. It runs up to the spec's {@code steps}, and at each of its CPU's turns
 * after the first handler step it may return ({@link Option.Kind#END}), but that option is
 * offered only when some other CPU's pending step is shared: a handler that returned one turn
 * later would then cover a shared step this one does not. Where every other CPU's next row is
 * local (or there is none), the shorter handler covers exactly the same shared steps as the
 * longer one and is not tried. So durations are explored per class of "which of the other CPUs'
 * shared steps fall inside the handler", each class by its longest member (capped by
 * {@code steps}), and a search over handlers of up to N steps finds a race if and only if some
 * handler of at most N steps covers the steps the race needs. What a class does not keep apart
 * is the alignment of the CPU's later steps with the others' turns after the handler (the
 * shorter handler leaves the CPU one turn earlier); that is what a slip explores. Without
 * {@code durationClasses}, every length from 1 to {@code steps} is a separate option at the
 * arrival, as before (the comparison of the two is a test).
 *
 * <p><b>Arrival classes.</b> Under the same flag, a busy handler's arrival is offered once per
 * class: the positions of its CPU between two of its shared steps (issue 21, item 2). Its steps
 * are local, and so are the CPU's own steps inside the class, so a handler of k turns that
 * arrives at any of them puts the CPU's next shared step on the same turn, after the same rows of
 * the others: the first position where one can arrive stands for the class. After an arrival the
 * class is open again where the handler returns (a second handler back to back stands for two in
 * the class). A CPU that has not started takes no busy arrival: an arrival there is a wait of the
 * handler's length, which the free start offset already explores. A handler that is kernel code
 * ({@code handler:}) shifts its own shared steps with its arrival, so every position stays a
 * choice for it. The search needs one position per class and keeps no count of the others; the
 * odds (mm-odds) weigh arrival times in cycles on a timed sweep of their own.
 */
public final class IrqScheduler implements Scheduler {
    private final Chooser chooser;
    private final int skew;
    private final boolean durationClasses;
    private final KeyMutation mutation;
    /** The slip windows of this run, kept only for a merging search ({@link SlipWindow}). */
    private final SlipWindows windows;
    /** Whether the CPUs have met, kept with the windows ({@link SlipWindow#beforeContact}). */
    private final Contact contact;
    /**
     * A slip or the arrival of a busy handler that may end early was taken: this run is no longer
     * the free start offsets and the steps alone, which a later start reproduces.
     */
    private boolean reordered;
    /** The next call continues the turn of the CPU an interrupt's arrival or end was granted to. */
    private boolean sameTurn;
    private boolean led;
    private boolean[] started;
    /** Per CPU: a busy handler's arrival was offered in its current arrival class (see the class comment). */
    private boolean[] arrivalOffered;
    private int[] slipLeft;
    private int turn;

    public IrqScheduler(Chooser chooser, int skew) {
        this(chooser, skew, true);
    }

    public IrqScheduler(Chooser chooser, int skew, boolean durationClasses) {
        this(chooser, skew, durationClasses, 0, KeyMutation.NONE);
    }

    /**
     * @param windowTurns how many turns each {@link SlipWindow} watches, so that a merging search can
     *                 leave out the slips they show redundant (the skew times the bound plus one: the
     *                 longest chain of slips at one step); 0 for none. Every run of one search must
     *                 agree on it, probes too
     * @param mutation a part of the state key left out, for the test that shows each is needed
     */
    public IrqScheduler(Chooser chooser, int skew, boolean durationClasses, int windowTurns, KeyMutation mutation) {
        this.chooser = chooser;
        this.skew = skew;
        this.durationClasses = durationClasses;
        this.mutation = mutation;
        this.windows = windowTurns > 0 ? new SlipWindows(windowTurns) : null;
        this.contact = windowTurns > 0 ? new Contact() : null;
    }

    @Override
    public Action next(RunView x) {
        int n = x.cpus();
        if (!led) {
            started = new boolean[n];
            arrivalOffered = new boolean[n];
            slipLeft = new int[n];
            List<Option> leaders = new ArrayList<>();
            for (int c = 0; c < n; c++) {
                if (!x.done(c)) {
                    leaders.add(Option.step(c, 0, x.pendingTarget(c), x.pendingAccess(c)));
                }
            }
            int i = chooser.choose(new Decision(leaders, false, x.rows(), footprints(x)));
            if (i < 0) {
                return Action.PRUNE;
            }
            turn = leaders.get(i).cpu();
            started[turn] = true;
            led = true;
        }
        for (;;) {
            int c = nextUnfinished(x, turn);
            if (windows != null && !sameTurn) {
                windows.turn(c);
            }
            sameTurn = false;
            if (slipLeft[c] > 0) {
                slipLeft[c]--;
                turn = c + 1;
                continue;
            }
            if (x.busyStepsLeft(c) > 0 && x.endableHandlerSteps(c) < 0) {
                // inside a busy handler that cannot end early: irqs are off and its step is local,
                // so its turn has no other option (the last step, which resumes it, goes below)
                turn = c + 1;
                return granted(x, c, false);
            }
            boolean others = otherStarted(x, c);
            boolean blocked = x.blocked(c);
            boolean local = !blocked && x.pendingAccess(c) == Access.LOCAL;
            boolean mayWait = !started[c] && others;
            boolean maySlip = started[c] && !blocked && !local && others && skew > 0;
            int taken = x.endableHandlerSteps(c);
            boolean mayEnd = taken >= 1 && taken < x.handlerMax(c) && othersMayShare(x, c);
            if (!mayWait && !maySlip && !mayEnd && !mayArrive(x, c, busyClassOpen(c))) {
                // the turn's only option: no list, no decision (most turns of a busy handler)
                started[c] = true;
                turn = c + 1;
                return granted(x, c, blocked);
            }
            List<Option> options = new ArrayList<>(4);
            options.add(blocked ? Option.of(Option.Kind.SPIN, c, -1, 0, 0)
                    : Option.step(c, 0, x.pendingTarget(c), x.pendingAccess(c)));
            if (mayWait) {
                options.add(Option.of(Option.Kind.WAIT, c, -1, 0, 0));
            }
            if (maySlip) {
                for (int s = 1; s <= skew; s++) {
                    options.add(Option.of(Option.Kind.SLIP, c, -1, s, 1));
                }
            }
            if (mayEnd) {
                options.add(Option.of(Option.Kind.END, c, -1, taken, 0));
            }
            boolean busyOpen = busyClassOpen(c);
            for (int k = 0; k < x.interrupts().size(); k++) {
                InterruptSpec spec = x.interrupts().get(k);
                if (spec.cpu() == c && x.canInterrupt(k) && (spec.mayShare() || busyOpen)) {
                    if (spec.handler() == null && (durationClasses || spec.exact())) {
                        arrivalOffered[c] = durationClasses;
                        options.add(Option.of(Option.Kind.IRQ, c, k, spec.steps(), 0));
                    } else if (spec.handler() == null) {
                        for (int d = Math.min(1, spec.steps()); d <= spec.steps(); d++) {
                            options.add(Option.of(Option.Kind.IRQ, c, k, d, 0));
                        }
                    } else {
                        options.add(Option.of(Option.Kind.IRQ, c, k, 0, 0));
                    }
                }
            }
            SlipWindow window = maySlip && windows != null && chooser.wantsKey() ? slipWindow(x, c) : null;
            int i = options.size() == 1 ? 0 : chooser.choose(new Decision(options, false, x.rows(),
                    footprints(x), key(x, c), window));
            if (i < 0) {
                return Action.PRUNE;
            }
            Option o = options.get(i);
            switch (o.kind()) {
                case WAIT -> turn = c + 1;
                case SLIP -> {
                    reordered = true;
                    slipLeft[c] = o.slip() - 1;
                    turn = c + 1;
                }
                case IRQ -> {
                    started[c] = true;
                    turn = c;
                    sameTurn = true;
                    arrivalOffered[c] = false; // a second arrival is offered where the handler returns
                    InterruptSpec spec = x.interrupts().get(o.irq());
                    if (spec.handler() == null && durationClasses && !spec.exact()) {
                        reordered = true; // its END options depend on the other CPU's position
                        return Action.irqUpTo(c, o.irq(), spec.steps());
                    }
                    return Action.irq(c, o.irq(), o.slip());
                }
                case END -> {
                    turn = c;
                    sameTurn = true;
                    return Action.end(c);
                }
                case SPIN -> {
                    started[c] = true;
                    turn = c + 1;
                    return granted(x, c, true);
                }
                default -> {
                    started[c] = true;
                    turn = c + 1;
                    return granted(x, c, false);
                }
            }
        }
    }

    /**
     * {@code c} takes its pending step, or spins on it: a row the open slip windows see. A spin
     * counts as its lock attempt: a slip that freed the lock would let that attempt through.
     */
    private Action granted(RunView x, int c, boolean spin) {
        if (windows != null) {
            windows.row(x, c);
            if (!reordered && x.cpus() == 2 && !contact.met() && x.pendingAccess(c) != Access.LOCAL) {
                contact.row(c, x.pendingFootprint(c)); // asked only in that case (slipWindow)
            }
        }
        if (spin || x.pendingAccess(c) != Access.LOCAL) {
            arrivalOffered[c] = false; // a shared step ends the arrival class
        }
        return spin ? Action.spin(c) : Action.step(c);
    }

    /**
     * The window of a decision of {@code c} that offers slips: every slip redundant while two
     * CPUs have not met ({@link SlipWindow#beforeContact}), else what the run will see
     * ({@link SlipWindows#open}).
     */
    private SlipWindow slipWindow(RunView x, int c) {
        if (x.cpus() == 2 && (mutation == KeyMutation.IGNORE_CONTACT || !reordered && !contact.met())) {
            return SlipWindow.beforeContact(c);
        }
        return windows.open(x, c);
    }

    @Override
    public boolean keysState() {
        return chooser.merges();
    }

    @Override
    public KeyMutation keyMutation() {
        return mutation;
    }

    /**
     * The state at {@code c}'s turn: the run's key and this model's own state, the turn, who has
     * started and the slips in progress. The rest of the lock-step clock (how far each CPU is
     * behind the others) is each CPU's count of events, which the run's key holds.
     */
    private StateKey key(RunView x, int c) {
        if (!chooser.wantsKey()) {
            return null;
        }
        long own = c;
        for (int o = 0; o < started.length && mutation != KeyMutation.DROP_OFFSETS; o++) {
            own = own * 1009 + (started[o] ? 1 : 0) + 2L * slipLeft[o];
        }
        return x.stateKey(own);
    }

    /** The pending steps' footprints, where the chooser reads them. */
    private Footprint[] footprints(RunView x) {
        return chooser.wantsFootprints() ? AnywhereScheduler.footprints(x) : null;
    }

    /**
     * Whether a busy handler's arrival is offered at {@code c}'s position: under classes, only at
     * the first position of its class where one can arrive, and only once {@code c} has started.
     */
    private boolean busyClassOpen(int c) {
        return !durationClasses || started[c] && !arrivalOffered[c];
    }

    /** Whether an interrupt may arrive on {@code c} now ({@code busy}: a busy handler is offered here). */
    private static boolean mayArrive(RunView x, int c, boolean busy) {
        for (int k = 0; k < x.interrupts().size(); k++) {
            InterruptSpec spec = x.interrupts().get(k);
            if (spec.cpu() == c && x.canInterrupt(k) && (busy || spec.mayShare())) {
                return true;
            }
        }
        return false;
    }

    private static int nextUnfinished(RunView x, int from) {
        int n = x.cpus();
        for (int i = 0; i < n; i++) {
            int c = Math.floorMod(from + i, n);
            if (!x.done(c)) {
                return c;
            }
        }
        throw new IllegalStateException("no unfinished CPU");
    }

    /**
     * Whether another CPU's next row may be a shared step: its pending step is not local, or an
     * interrupt whose handler is kernel code may arrive on it.
     */
    private static boolean othersMayShare(RunView x, int c) {
        for (int o = 0; o < x.cpus(); o++) {
            if (o != c && !x.done(o) && x.pendingAccess(o) != Access.LOCAL) {
                return true;
            }
        }
        for (int k = 0; k < x.interrupts().size(); k++) {
            InterruptSpec spec = x.interrupts().get(k);
            if (spec.cpu() != c && spec.mayShare() && x.canInterrupt(k)) {
                return true;
            }
        }
        return false;
    }

    private boolean otherStarted(RunView x, int c) {
        for (int o = 0; o < x.cpus(); o++) {
            if (o != c && started[o] && !x.done(o)) {
                return true;
            }
        }
        return false;
    }
}
