package org.mmemu.engine.search;

import java.util.SplittableRandom;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.delay.Chooser;
import org.mmemu.engine.delay.Decision;
import org.mmemu.engine.delay.IrqDraws;
import org.mmemu.engine.delay.IrqWalk;
import org.mmemu.engine.delay.Option;
import org.mmemu.engine.hb.Footprint;

/**
 * {@code pos}: partial order sampling, after Yuan, Yang and Gu, "Partial Order Aware
 * Concurrency Sampling", CAV 2018. A random walk picks each interleaving about equally often,
 * so partial orders with many interleavings crowd out the rest; POS aims at each partial order
 * instead. Every pending event carries a random priority, the enabled event with the highest
 * runs, and when an event runs, the events that race with it (dependent on it: its CPU's next
 * step, other CPUs' pending steps on the same target where one writes) get fresh priorities,
 * while independent events keep theirs (the paper's POS, with its race-based reassignment).
 * An interrupt's arrival is an event of its own, dependent on its CPU's steps.
 *
 * <p><b>The {@code irq} model.</b> CPUs run in lock-step, so the partial order of an execution
 * is fixed by the start offsets, where each interrupt arrives among its CPU's turns (and for how
 * long), and the slips. POS's aim becomes: draw each of these uniformly, so that each arrival
 * point is as likely as any other, however many interleavings it has. Each CPU's start offset
 * is uniform from 0 to the length of the default run; each interrupt's arrival is uniform among
 * its CPU's interruptible turns of the default run and "never", with a duration class drawn
 * uniformly; and up to the preemption bound of turns, uniform among all, slip.
 *
 * <p>Execution {@code i} is seeded by {@code (seed, i)} as in {@link RandomPolicy}; the
 * preemption bound limits only the {@code irq} model's slips.
 */
final class PosPolicy implements SchedulePolicy {
    static final String NAME = "pos";
    private final ExploreOptions o;
    private volatile IrqShape shape;

    PosPolicy(ExploreOptions o) {
        this.o = o;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String origin() {
        return "partial order sampling (Yuan, Yang and Gu, CAV 2018)";
    }

    @Override
    public int plan(Runner runner) {
        if (o.delays() == DelayModel.IRQ) {
            shape = IrqShape.probe(runner);
        }
        return (int) Math.min(Integer.MAX_VALUE, o.maxSchedules());
    }

    @Override
    public void runUnit(int unit, Runner runner) {
        SplittableRandom rng = new SplittableRandom(RandomPolicy.seedOf(o.seed(), unit));
        Chooser c = shape != null ? irqWalk(rng, shape, Math.max(0, o.preemptionBound())) : new Walk(rng);
        runner.run(c, () -> new int[] {unit});
    }

    @Override
    public boolean exhaustive() {
        return false;
    }

    /** One POS execution of the {@code anywhere} model. */
    static final class Walk implements Chooser {
        private final SplittableRandom rng;
        private double[] cpu;
        private double[] irq;

        Walk(SplittableRandom rng) {
            this.rng = rng;
        }

        @Override
        public int choose(Decision d) {
            if (cpu == null) {
                cpu = new double[d.footprints().length];
                irq = new double[64];
                for (int c = 0; c < cpu.length; c++) {
                    cpu[c] = rng.nextDouble();
                }
                for (int k = 0; k < irq.length; k++) {
                    irq[k] = rng.nextDouble();
                }
            }
            int best = 0;
            for (int i = 1; i < d.options().size(); i++) {
                if (priority(d.options().get(i)) > priority(d.options().get(best))) {
                    best = i;
                }
            }
            Option x = d.options().get(best);
            Footprint fx = x.kind() == Option.Kind.STEP ? d.footprints()[x.cpu()] : null;
            for (int c = 0; c < cpu.length; c++) {
                Footprint fc = d.footprints()[c];
                if (c == x.cpu() || (fx != null && fc != null && fc.dependsOn(fx))) {
                    cpu[c] = rng.nextDouble();
                }
            }
            for (Option op : d.options()) {
                if (op.kind() == Option.Kind.IRQ && op.cpu() == x.cpu()) {
                    irq[op.irq()] = rng.nextDouble();
                }
            }
            return best;
        }

        private double priority(Option op) {
            return op.kind() == Option.Kind.IRQ ? irq[op.irq() & 63] : cpu[op.cpu()];
        }
    }

    /**
     * One POS execution of the {@code irq} model (see the class comment): the model's
     * {@link IrqWalk}, led by a uniform draw, each interrupt's arrival drawn uniformly among its
     * CPU's interruptible turns and "never", up to {@code bound} slips at uniform turns.
     */
    static IrqWalk irqWalk(SplittableRandom rng, IrqShape shape, int bound) {
        int n = shape.arrivals().length;
        int[] waits = IrqDraws.offsets(rng, n, shape.rows());
        int[] arriveAt = new int[n];
        int[] irqTurns = new int[n];
        for (int c = 0; c < n; c++) {
            arriveAt[c] = 1 + rng.nextInt(shape.arrivals()[c] + 1);
        }
        long[] slipAt = new long[rng.nextInt(bound + 1)];
        for (int i = 0; i < slipAt.length; i++) {
            slipAt[i] = 1 + rng.nextInt(shape.turns());
        }
        return new IrqWalk(rng, waits, slipAt, d -> rng.nextInt(d.options().size()),
                cpu -> ++irqTurns[cpu] == arriveAt[cpu]);
    }
}
