/**
 * The engines' vocabulary: what a user of the engines describes a run with and gets back
 * (docs/ARCHITECTURE.md §3 and "The engine's packages").
 *
 * <ul>
 * <li>{@link org.mmemu.engine.Program}: a fresh machine and the code each CPU runs, plus
 *     the {@link org.mmemu.engine.InterruptSpec interrupts} that may arrive.</li>
 * <li>{@link org.mmemu.engine.ExploreOptions} and {@link org.mmemu.engine.DelayModel}: how to
 *     explore; {@link org.mmemu.engine.ExploreResult}, {@link org.mmemu.engine.RunResult},
 *     {@link org.mmemu.engine.Trace} and {@link org.mmemu.engine.TraceRow} (one row per step,
 *     spin, interrupt entry or exit, with the watched pages' count and PG_lru after it): what
 *     comes back; {@link org.mmemu.engine.Schedule}: a run's choices as a string that replays
 *     it; {@link org.mmemu.engine.StopRule}, {@link org.mmemu.engine.CostTable},
 *     {@link org.mmemu.engine.Estimate}.</li>
 * <li>{@link org.mmemu.engine.FreeEngine}: a real thread per CPU, for stress and speed; it needs
 *     none of the controlled engine's parts.</li>
 * </ul>
 *
 * <p>The controlled and timed engines themselves are entered through
 * {@code org.mmemu.engine.control} ({@code Explorer}, {@code TimedEngine}), built from
 * {@code hb} (happens-before), {@code run} (one execution), {@code delay} (the delay models) and
 * {@code search} (the schedule policies).
 *
 * <p><b>JVM flag.</b> The controlled and timed engines run each emulated CPU as a continuation
 * of the JDK on the calling thread; the JVM needs
 * {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}, and without it they throw
 * {@link org.mmemu.engine.MissingJvmFlag}, whose one-line message names the flag.
 *
 * <p><b>May import:</b> {@code org.mmemu.core} only. It is the bottom of the engine: every other
 * engine package uses these types, so none of them may be used here (docs/ARCHITECTURE.md, "The
 * engine's packages"; mm-tests {@code EnginePackagesTest}).
 */
package org.mmemu.engine;
