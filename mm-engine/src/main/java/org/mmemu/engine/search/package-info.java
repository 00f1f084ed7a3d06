/**
 * The schedule policies, one file each, behind {@link org.mmemu.engine.search.SchedulePolicy}
 * and registered by name in {@link org.mmemu.engine.search.Policies}:
 *
 * <ul>
 * <li>{@link org.mmemu.engine.search.ReplayPolicy} ({@code replay}): one recorded schedule.</li>
 * <li>{@link org.mmemu.engine.search.RandomPolicy} ({@code random}): a seeded random walk.</li>
 * <li>{@link org.mmemu.engine.search.PctPolicy} ({@code pct}): probabilistic concurrency
 *     testing (ASPLOS 2010).</li>
 * <li>{@link org.mmemu.engine.search.PosPolicy} ({@code pos}): partial order sampling (CAV 2018).</li>
 * <li>{@link org.mmemu.engine.search.ExhaustivePolicy} ({@code exhaustive}): bounded DFS with
 *     sleep sets (CHESS).</li>
 * <li>{@link org.mmemu.engine.search.DporPolicy} ({@code dpor}, with
 *     {@link org.mmemu.engine.search.DporWalk}): source-set DPOR (POPL 2014).</li>
 * </ul>
 *
 * <p>The two systematic searches share one {@link org.mmemu.engine.search.DecisionTree} (the
 * path of the last execution and its backtracking); the two samplers of the {@code irq} model
 * share the model's {@code delay.IrqWalk}, learning the program's
 * {@link org.mmemu.engine.search.IrqShape} first.
 *
 * <p><b>May import:</b> {@code org.mmemu.core}, {@code org.mmemu.engine},
 * {@code org.mmemu.engine.hb}, {@code org.mmemu.engine.delay}; not {@code run} (a policy sees a
 * run only as the decisions its delay model proposes) and not {@code control}.
 */
package org.mmemu.engine.search;
