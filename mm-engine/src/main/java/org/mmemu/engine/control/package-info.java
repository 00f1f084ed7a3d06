/**
 * The controlled and timed engines' entry points, which put the parts together:
 * {@link org.mmemu.engine.control.Explorer} ({@code explore}: a policy under a delay model, on
 * threads or shards; {@code replay}: one schedule with its trace),
 * {@link org.mmemu.engine.control.TimedEngine} (virtual clocks and random interrupts, and the
 * {@code Estimate} of a finding's rate) and
 * {@link org.mmemu.engine.control.ScheduleShrinker} (a finding's schedule made short).
 *
 * <p><b>May import:</b> every engine package; none imports it. It sits on top of the engine
 * because it names the parts below, while those parts and the user's code share the vocabulary
 * of {@code org.mmemu.engine} at the bottom.
 */
package org.mmemu.engine.control;
