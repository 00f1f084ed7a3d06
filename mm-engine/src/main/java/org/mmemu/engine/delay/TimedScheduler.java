package org.mmemu.engine.delay;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.mmemu.core.emu.Access;
import org.mmemu.engine.CostTable;
import org.mmemu.engine.InterruptSpec;
import org.mmemu.engine.run.Action;
import org.mmemu.engine.run.RowListener;
import org.mmemu.engine.run.RunView;
import org.mmemu.engine.run.Scheduler;

/**
 * The timed engine's scheduler: a virtual clock per CPU, the enabled CPU with the smallest clock
 * goes next (ties to the lowest id), each row advances its CPU's clock by the cost table. A CPU
 * spinning on a held lock keeps up with the clock of whoever moves (it burns cycles spinning).
 * Each interrupt spec arrives by a Poisson process on its CPU's clock; an arrival that finds
 * irqs off stays pending until they are on (as a real interrupt line does), and its handler
 * runs for a duration drawn from an exponential distribution around the spec's {@code steps}.
 */
public final class TimedScheduler implements Scheduler, RowListener {
    private final CostTable costs;
    private final double meanCyclesBetweenIrqs;
    private final SplittableRandom rng;
    private long[] clock;
    private double[] nextArrival;
    private final Map<Object, Integer> lastToucher = new IdentityHashMap<>();
    private RunView x;

    public TimedScheduler(CostTable costs, double meanCyclesBetweenIrqs, long seed) {
        this.costs = costs;
        this.meanCyclesBetweenIrqs = meanCyclesBetweenIrqs;
        this.rng = new SplittableRandom(seed);
    }

    @Override
    public Action next(RunView ex) {
        if (clock == null) {
            x = ex;
            clock = new long[ex.cpus()];
            nextArrival = new double[ex.interrupts().size()];
            for (int k = 0; k < nextArrival.length; k++) {
                nextArrival[k] = draw(meanCyclesBetweenIrqs);
            }
        }
        int best = -1;
        for (int c = 0; c < clock.length; c++) {
            if (ex.enabled(c) && (best < 0 || clock[c] < clock[best])) {
                best = c;
            }
        }
        for (int k = 0; k < nextArrival.length; k++) {
            InterruptSpec spec = ex.interrupts().get(k);
            if (spec.cpu() == best && nextArrival[k] <= clock[best] && ex.canInterrupt(k)) {
                nextArrival[k] = clock[best] + draw(meanCyclesBetweenIrqs);
                int duration = spec.handler() != null ? 0
                        : spec.exact() ? spec.steps() : (int) Math.max(1, Math.round(draw(spec.steps())));
                return Action.irq(best, k, duration);
            }
        }
        return Action.step(best);
    }

    /** An exponential draw with the given mean. */
    private double draw(double mean) {
        return -mean * Math.log(1 - rng.nextDouble());
    }

    @Override
    public void row(int cpu, Object target, Access access, boolean spin) {
        long cost = spin ? costs.spin() : costs.of(access);
        if (!spin && access != Access.LOCAL && target != null) {
            Integer last = lastToucher.put(target, cpu);
            if (last != null && last != cpu) {
                cost += costs.transfer();
            }
        }
        clock[cpu] += cost;
        for (int c = 0; c < clock.length; c++) {
            if (c != cpu && x.blocked(c) && clock[c] < clock[cpu]) {
                clock[c] = clock[cpu];
            }
        }
    }

    /** The CPUs' clocks, in cycles. */
    public long[] clocks() {
        return clock == null ? new long[0] : clock.clone();
    }
}
