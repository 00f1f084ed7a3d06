/**
 * The delay models: which delays a CPU may suffer, proposed at each decision point as the
 * {@link org.mmemu.engine.delay.Option options} of a {@link org.mmemu.engine.delay.Decision},
 * of which a {@link org.mmemu.engine.delay.Chooser} (a policy's) takes one. "The model proposes,
 * the policy chooses." Each model is a {@code run.Scheduler} that sees the run only as a
 * {@code run.RunView}.
 *
 * <ul>
 * <li>{@link org.mmemu.engine.delay.AnywhereScheduler} ({@code any}): any CPU at any step.</li>
 * <li>{@link org.mmemu.engine.delay.IrqScheduler} ({@code irq}): lock-step round robin with start
 *     offsets, slips and interrupts; {@link org.mmemu.engine.delay.IrqWalk} and
 *     {@link org.mmemu.engine.delay.IrqDraws}: one sampled execution of it, for the sampling
 *     policies.</li>
 * <li>{@link org.mmemu.engine.delay.TimedScheduler}: virtual clocks and Poisson interrupts (the
 *     timed engine).</li>
 * <li>{@link org.mmemu.engine.delay.ReplayScheduler}: follows a recorded schedule.</li>
 * </ul>
 *
 * <p><b>May import:</b> {@code org.mmemu.core}, {@code org.mmemu.engine},
 * {@code org.mmemu.engine.hb}, {@code org.mmemu.engine.run}; never a policy.
 */
package org.mmemu.engine.delay;
