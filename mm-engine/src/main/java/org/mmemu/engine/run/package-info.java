/**
 * One execution of the controlled engine: emulated CPUs as coroutines on one host thread, one
 * of them advancing at a time, a {@link org.mmemu.engine.run.Scheduler} deciding which.
 *
 * <ul>
 * <li>{@link org.mmemu.engine.run.Execution}: the run and its step gate (the design essay).</li>
 * <li>{@link org.mmemu.engine.run.Driver} and {@link org.mmemu.engine.run.Coroutine}: the
 *     continuations and the handover between them.</li>
 * <li>{@link org.mmemu.engine.run.RunState}, seen by schedulers as the narrow
 *     {@link org.mmemu.engine.run.RunView}; {@link org.mmemu.engine.run.Action}, what a
 *     scheduler answers; {@link org.mmemu.engine.run.RowListener}, told of each row.</li>
 * <li>{@link org.mmemu.engine.run.IrqDelivery}: an interrupt run inside a CPU's gate.</li>
 * <li>{@link org.mmemu.engine.run.Deadlock} and {@link org.mmemu.engine.run.LivelockDetector}
 *     (through {@link org.mmemu.engine.run.LivelockView}): runs that cannot or will not move.</li>
 * <li>{@link org.mmemu.engine.run.TraceRows}: the rows of a traced run.</li>
 * </ul>
 *
 * <p><b>May import:</b> {@code org.mmemu.core}, {@code org.mmemu.engine} (the vocabulary) and
 * {@code org.mmemu.engine.hb}. It knows no delay model and no policy: they reach it only
 * through {@code Scheduler}.
 *
 * <p>Sources: the Loom continuation API ({@code jdk.internal.vm.Continuation}, JEP 425/444);
 * loom (Rust) and shuttle (Rust) run every model thread as a coroutine on one OS thread for the
 * same reason; Fray (Java) uses the park/unpark design this replaces.
 */
package org.mmemu.engine.run;
