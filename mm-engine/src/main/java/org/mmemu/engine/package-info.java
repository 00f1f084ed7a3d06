/**
 * The execution engines: the same kernel code run freely, under control, or against a clock
 * (docs/ARCHITECTURE.md §3).
 *
 * <ul>
 * <li>{@link org.mmemu.engine.Program}: a fresh machine and the code each CPU runs, plus
 *     the {@link org.mmemu.engine.InterruptSpec interrupts} that may arrive.</li>
 * <li>{@link org.mmemu.engine.FreeEngine}: a real thread per CPU, for stress and speed.</li>
 * <li>{@link org.mmemu.engine.Explorer}: the controlled engine. {@code explore(program,
 *     options)} runs a {@link org.mmemu.engine.SchedulePolicy} ({@code exhaustive},
 *     {@code pct}, {@code random}, {@code replay}; see {@link org.mmemu.engine.Policies})
 *     under a {@link org.mmemu.engine.DelayModel} and returns an
 *     {@link org.mmemu.engine.ExploreResult}; {@code replay(program, schedule)} reruns one
 *     {@link org.mmemu.engine.Schedule} and returns a
 *     {@link org.mmemu.engine.RunResult} with its {@link org.mmemu.engine.Trace}.</li>
 * <li>{@link org.mmemu.engine.TimedEngine}: the controlled engine against per-CPU virtual
 *     clocks ({@link org.mmemu.engine.CostTable}) with random interrupts, and an
 *     {@link org.mmemu.engine.Estimate} of how often a finding occurs per operation.</li>
 * </ul>
 *
 * <p><b>JVM flag.</b> The controlled and timed engines run each emulated CPU as a continuation
 * of the JDK on the calling thread ({@link org.mmemu.engine.Coroutine}); the JVM needs
 * {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}, and without it they throw
 * {@link org.mmemu.engine.MissingJvmFlag}, whose one-line message names the flag.
 *
 * <p>What other modules print: {@link org.mmemu.engine.TraceRow} (one row per step, spin,
 * interrupt entry or exit, with the watched pages' count and PG_lru after it), the schedule
 * string of each finding ({@code Finding.schedule()}), and the result's counts and verdict.
 */
package org.mmemu.engine;
