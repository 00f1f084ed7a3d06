package org.mmemu.engine;

/**
 * The state of a run at a decision point, as 128 bits: the run's events (the CPUs, the memory,
 * the detectors' history; {@code org.mmemu.engine.run.TraceKey}) with the delay model's own
 * state mixed in (for {@code irq}: whose turn it is, who has started, the slips in progress).
 * Two prefixes with equal keys have the same futures, up to what the bounds still allow them.
 */
public record StateKey(long hi, long lo) {
}
