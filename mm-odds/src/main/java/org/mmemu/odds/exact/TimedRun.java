package org.mmemu.odds.exact;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.engine.CostTable;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.run.Action;
import org.mmemu.engine.run.Execution;
import org.mmemu.engine.run.RowListener;
import org.mmemu.engine.run.RunView;
import org.mmemu.engine.run.Scheduler;

/**
 * One deterministic run of the timed model with scheduled interrupts (issue 22; docs/ODDS.md,
 * "Method"). As the timed engine's {@code TimedScheduler}: a clock per CPU, the enabled CPU with the
 * smallest clock goes next (ties to the lowest id), a step costs the profile's cycles by kind plus a
 * line transfer when another CPU touched its target last, a CPU waiting for a held lock keeps up
 * with the clock of whoever moves. In addition: the offset CPU starts at t; each step's folded
 * filler work ({@code Cpu#foldBegin}) costs what its steps would, by kind (never a transfer: only
 * reclaim touches fillers); and interrupts are not
 * drawn but given, either
 * <ul>
 * <li>{@link Plan#deliverAt symbolically}: one interrupt on CPU c, delivered at c's k-th step
 *     boundary with irqs on, whose handler ends at time u (the handler takes no step; c's clock
 *     becomes u). The clocks are {@link Form}s in (t, u), and every comparison that could change
 *     the run (the order of two CPUs' steps on one target, a waiting CPU's clock against the
 *     mover's, a step left pending when a finding ended the run against the last step) is kept
 *     in the run's {@link Box}: the run stands for its whole box.</li>
 * <li>{@link Plan#arrivals concretely} (Monte Carlo): arrivals of a Poisson process in each CPU's
 *     exposure time (its own time, handlers excluded), each delivered at the CPU's next boundary with
 *     irqs on, with drawn durations. No box.</li>
 * </ul>
 * Jitter is not modelled (docs/ODDS.md says so). One per run; driver thread only.
 */
public final class TimedRun implements Scheduler, RowListener {
    /** Draws for a concrete run: the next arrival's distance in exposure time, and a handler's duration. */
    public interface Draws {
        double gap(int cpu);

        double duration(int cpu);
    }

    /**
     * What interrupts the run takes: none, one delivered at a boundary (symbolic), or drawn ones.
     *
     * @param cpu      the interrupted CPU of a symbolic delivery, or -1
     * @param boundary the 1-based index of the boundary with irqs on at which it is delivered
     * @param draws    the draws of a concrete run, or null
     */
    public record Plan(int cpu, int boundary, Draws draws) {
        public static final Plan NONE = new Plan(-1, 0, null);

        public static Plan deliverAt(int cpu, int boundary) {
            return new Plan(cpu, boundary, null);
        }

        public static Plan arrivals(Draws draws) {
            return new Plan(-1, 0, draws);
        }
    }

    /**
     * What one run recorded.
     *
     * @param run        the execution's result (its findings)
     * @param box        the class the run stands for (symbolic runs)
     * @param delivered  whether the planned interrupt was delivered
     * @param windowFrom the interrupted CPU's exposure time at its boundary before the delivery
     * @param windowTo   its exposure time at the delivery (the arrival fell in (from, to])
     * @param exposure   per CPU, its exposure time (own time, handlers excluded) up to its last boundary
     *                   with irqs on at which it stepped: arrivals after that cannot be delivered, but
     *                   for one delivered there whose handler a finding of the other CPU cut short
     * @param after      the interrupted CPU's exposure time after the handler, up to its last boundary
     * @param steps      every step taken: CPU, start, end
     * @param interrupts the interrupts delivered
     */
    public record Result(RunResult run, Box box, boolean delivered, Form windowFrom, Form windowTo, Form[] exposure,
            Form after, List<Step> steps, int interrupts) {
    }

    /** A step as the chain of the footnote reads it: who, where, when. */
    public record Step(int cpu, Object target, Access access, Form start, Form end) {
    }

    private record Touch(int cpu, Form start) {
    }

    /**
     * What taking an interrupt costs besides its handler's duration: half a cycle for the entry and
     * exit. All step costs are whole cycles, so a handler's end then never ties with a step's start
     * (a fixed-length handler would otherwise end exactly when a step of the other CPU starts, and
     * the tie, broken by CPU id, would decide the outcome of a whole duration class).
     */
    public static final double ENTRY = 0.5;

    private static final Access[] ACCESSES = Access.values();

    private final CostTable costs;
    private final int offsetCpu;
    private final Plan plan;
    private final TimedProgram program;
    private final Box box;
    private final double t;
    private final double u;
    private final Map<Object, List<Touch>> touches = new IdentityHashMap<>();
    private final List<Step> steps = new ArrayList<>();
    private RunView x;
    private Form[] clock;
    private Form[] start;
    private Form[] lastOn;
    private double[] handlerTime;
    private double[] nextArrival;
    private long[] folded;
    private long[][] foldedBy;
    /** Per CPU waiting for a lock: its clock when it arrived at the lock step. */
    private Form[] arrival;
    private boolean[] done;
    private int[] boundaries;
    private Form windowFrom;
    private Form windowTo;
    private Form deliveredEnd;
    /** The interrupted CPU's last boundary with irqs on after its handler. */
    private Form lastPost;
    private int lastCpu = -1;
    private int interrupts;
    private Form lastStart;

    private TimedRun(Program p, int cpus, CostTable costs, int offsetCpu, double t, double u, Plan plan) {
        this.program = new TimedProgram(p, cpus);
        this.costs = costs;
        this.offsetCpu = offsetCpu;
        this.t = t;
        this.u = u;
        this.plan = plan;
        this.box = new Box(t, u);
    }

    /** Runs {@code p} on {@code cpus} CPUs with the offset CPU starting at {@code t} and the plan's interrupts. */
    public static Result run(Program p, int cpus, CostTable costs, int offsetCpu, double t, double u, Plan plan,
            long maxSteps) {
        TimedRun r = new TimedRun(p, cpus, costs, offsetCpu, t, u, plan);
        RunResult rr = new Execution(r.program, DelayModel.ANYWHERE, r, maxSteps, Long.MAX_VALUE / 4 + System.nanoTime(),
                false, r).run();
        return r.result(rr);
    }

    private Result result(RunResult rr) {
        if (rr.outcome() != RunResult.Outcome.COMPLETED && rr.outcome() != RunResult.Outcome.STOPPED) {
            box.inexact();
        }
        if (lastStart != null && done != null) {
            // a CPU left pending when a finding ended the run must stay behind the last step
            for (int c = 0; c < clock.length; c++) {
                if (c != lastCpu && !done[c]) {
                    box.keep(lastStart, clock[c]);
                }
            }
        }
        Form[] exposure = new Form[clock.length];
        for (int c = 0; c < clock.length; c++) {
            exposure[c] = lastOn[c] == null ? Form.ZERO : lastOn[c].minus(start[c]);
        }
        Form after = lastPost == null ? Form.ZERO : lastPost.minus(Form.U);
        return new Result(rr, box, deliveredEnd != null, windowFrom, windowTo, exposure, after, List.copyOf(steps),
                interrupts);
    }

    @Override
    public Action next(RunView view) {
        if (clock == null) {
            init(view);
        }
        int n = clock.length;
        for (int c = 0; c < n; c++) {
            chargeFolded(c);
            done[c] = view.done(c);
        }
        int best = -1;
        double bestAt = 0;
        for (int c = 0; c < n; c++) {
            if (view.enabled(c)) {
                double at = clock[c].at(t, u);
                if (best < 0 || at < bestAt) {
                    best = c;
                    bestAt = at;
                }
            }
        }
        if (!view.canInterrupt(best)) {
            return Action.step(best);
        }
        // arrivals are kept in the CPU's exposure time (its clock less its handlers' time), where
        // they are a Poisson process: one that came during a handler is taken right after it
        if (plan.draws() != null && nextArrival[best] <= bestAt - handlerTime[best]) {
            double d = Math.max(0, plan.draws().duration(best)) + ENTRY;
            nextArrival[best] += plan.draws().gap(best);
            handlerTime[best] += d;
            clock[best] = clock[best].plus(d);
            interrupts++;
            return Action.irq(best, best, 0);
        }
        if (best == plan.cpu() && deliveredEnd == null && boundaries[best] + 1 == plan.boundary()) {
            windowFrom = (boundaries[best] == 0 ? start[best] : lastOn[best]).minus(start[best]);
            windowTo = clock[best].minus(start[best]);
            deliveredEnd = Form.U;
            clock[best] = Form.U;
            interrupts++;
            return Action.irq(best, best, 0);
        }
        boundaries[best]++;
        if (deliveredEnd != null && best == plan.cpu()) {
            lastPost = clock[best];
        } else {
            lastOn[best] = clock[best].plus(-handlerTime[best]);
        }
        return Action.step(best);
    }

    /** Adds to {@code c}'s clock what the steps it folded since the last look cost, by kind. */
    private void chargeFolded(int c) {
        Cpu cpu = program.machine().cpu(c);
        if (cpu.foldedSteps() == folded[c]) {
            return;
        }
        folded[c] = cpu.foldedSteps();
        long cycles = 0;
        for (Access k : ACCESSES) {
            long now = cpu.foldedSteps(k);
            cycles += (now - foldedBy[c][k.ordinal()]) * costs.of(k);
            foldedBy[c][k.ordinal()] = now;
        }
        clock[c] = clock[c].plus(cycles);
    }

    private void init(RunView view) {
        x = view;
        int n = view.cpus();
        clock = new Form[n];
        start = new Form[n];
        lastOn = new Form[n];
        handlerTime = new double[n];
        nextArrival = new double[n];
        folded = new long[n];
        foldedBy = new long[n][ACCESSES.length];
        arrival = new Form[n];
        done = new boolean[n];
        boundaries = new int[n];
        for (int c = 0; c < n; c++) {
            clock[c] = c == offsetCpu ? Form.T : Form.ZERO;
            start[c] = clock[c];
            Cpu cpu = program.machine().cpu(c);
            folded[c] = cpu.foldedSteps();
            for (Access k : ACCESSES) {
                foldedBy[c][k.ordinal()] = cpu.foldedSteps(k);
            }
            if (plan.draws() != null) {
                nextArrival[c] = clock[c].at(t, u) + plan.draws().gap(c);
            }
        }
    }

    @Override
    public void row(int cpu, Object target, Access access, boolean spin) {
        Form begin = clock[cpu];
        // the order of two steps on one target is decided when the later one arrives at its step: a
        // CPU that then waited for the lock is compared by its arrival, not by its start after the wait
        Form arrived = arrival[cpu] != null ? arrival[cpu] : begin;
        arrival[cpu] = null;
        long cost = spin ? costs.spin() : costs.of(access);
        if (!spin && access != Access.LOCAL && target != null) {
            List<Touch> l = touches.computeIfAbsent(target, k -> new ArrayList<>(4));
            boolean transfer = !l.isEmpty() && l.get(l.size() - 1).cpu() != cpu;
            for (Touch o : l) {
                if (o.cpu() != cpu) {
                    box.keep(o.start(), arrived);
                }
            }
            l.add(new Touch(cpu, begin));
            if (transfer) {
                cost += costs.transfer();
            }
        }
        clock[cpu] = begin.plus(cost);
        steps.add(new Step(cpu, target, access, begin, clock[cpu]));
        lastCpu = cpu;
        lastStart = begin;
        double now = clock[cpu].at(t, u);
        for (int c = 0; c < clock.length; c++) {
            if (c != cpu && x.blocked(c)) {
                if (arrival[c] == null) {
                    arrival[c] = clock[c];
                }
                box.keep(clock[c], clock[cpu]);
                if (clock[c].at(t, u) < now) {
                    clock[c] = clock[cpu];
                }
            }
        }
    }
}
