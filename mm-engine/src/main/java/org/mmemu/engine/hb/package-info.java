/**
 * Happens-before: what makes two steps of a run ordered or racing, as loom keeps it in
 * {@code src/rt/vv.rs} and {@code src/rt/access.rs}.
 *
 * <ul>
 * <li>{@link org.mmemu.engine.hb.VectorClock}: a version vector over the emulated CPUs.</li>
 * <li>{@link org.mmemu.engine.hb.Footprint}: what one step touches (target, field, access), and
 *     whether two steps are dependent.</li>
 * </ul>
 *
 * <p>The step's {@code Access} and its fields are mm-core's ({@code org.mmemu.core.emu.Access}):
 * every kernel mirror names its accesses with them, so they stay below the engine.
 *
 * <p><b>May import:</b> {@code org.mmemu.core} only; no other engine package.
 */
package org.mmemu.engine.hb;
