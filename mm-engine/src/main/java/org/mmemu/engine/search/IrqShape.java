package org.mmemu.engine.search;

import java.util.ArrayList;
import java.util.List;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.delay.IrqDraws;
import org.mmemu.engine.delay.Option;

/**
 * What the sampling policies learn of a program in the {@code irq} model from one uncounted
 * default run: {@code turns} turns offered a choice, {@code rows} rows in all (the longest start
 * offset), {@code arrivals[c]} turns of CPU {@code c} at which an interrupt could arrive.
 */
record IrqShape(int turns, int rows, int[] arrivals) {
    /** Learns the shape from one uncounted run that always takes the default. */
    static IrqShape probe(SchedulePolicy.Runner runner) {
        int[] turns = new int[1];
        List<Integer> irqCpus = new ArrayList<>();
        RunResult r = runner.probe(d -> {
            if (!IrqDraws.leader(d)) {
                turns[0]++;
                for (Option op : d.options()) {
                    if (op.kind() == Option.Kind.IRQ) {
                        irqCpus.add(op.cpu());
                        break;
                    }
                }
            }
            return 0;
        });
        int n = r.machine().cpus().size();
        int[] arrivals = new int[n];
        for (int c : irqCpus) {
            arrivals[c]++;
        }
        return new IrqShape(Math.max(1, turns[0]), (int) Math.min(Integer.MAX_VALUE, r.steps()), arrivals);
    }
}
