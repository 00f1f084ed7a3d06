package org.mmemu.engine.delay;

/**
 * The state of a run at a decision point, as 128 bits: the run's events (the CPUs, the memory,
 * the detectors' history; {@code org.mmemu.engine.run.TraceKey}) and the delay model's own
 * state (for {@code irq}: whose turn it is, who has started, the slips in progress). Two
 * prefixes with equal keys have the same futures, up to what the bounds still allow them.
 */
public record StateKey(long hi, long lo) {
    /** The run's key ({@code hi}, {@code lo}) with the model's own state {@code own} mixed in. */
    public static StateKey of(long[] run, long own) {
        return new StateKey(run[0] + mix(own ^ 0x632BE59BD9B4E019L), run[1] + mix(mix(own) + 0x9E3779B97F4A7C15L));
    }

    /** SplitMix64's finaliser (Steele, Lea, Flood, OOPSLA 2014). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
