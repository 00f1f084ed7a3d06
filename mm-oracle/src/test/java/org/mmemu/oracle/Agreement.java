package org.mmemu.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.mmemu.core.emu.FindingKind;

/**
 * The oracle's rule for one pair, and its entry in {@code agreement.json}.
 *
 * <p>Two conditions, both from issue 15. <b>Subset:</b> every kind Fray meets within its budget
 * is one the controlled engine meets with full coverage of the same program: Fray samples the
 * interleavings that {@code anywhere} enumerates (and maybe more, by pausing a CPU inside a step),
 * so a kind only Fray sees is an interleaving the controlled engine missed, or a step that is not
 * atomic under real threads. <b>Found:</b> on the seed race, every double free, get from zero,
 * kernel BUG and use after free that the controlled engine meets is met by Fray within
 * {@link #MUST_FIND_WITHIN} iterations: a bug both can reach and only one reports says that one
 * of the two engines (or the emulator under real threads) is wrong. Leaks, livelocks and
 * accounting need not be found: Fray may sample too few schedules to meet a rare one, and a
 * livelock is a spin Fray cuts at its step bound (docs/ORACLE.md). A controlled search that did
 * not complete gives no reference, and so no agreement.
 *
 * @param scenario            the scenario
 * @param protocol            the protocol
 * @param frayKinds           kinds Fray met
 * @param frayIterations      iterations Fray ran
 * @param mmemuKinds          kinds the controlled engine met
 * @param agree               whether both conditions hold
 * @param problems            what does not hold, one line each (empty when they agree)
 * @param frayScheduler       Fray's scheduler and seed, e.g. {@code pos seed 1}
 * @param frayFirstIteration  per kind, the iteration that first met it
 * @param frayReplay          per kind, Fray's recording
 * @param frayStepBoundRuns   iterations Fray cut at its step bound
 * @param frayMillis          Fray's wall time
 * @param mmemuPolicy         the controlled engine's policy
 * @param mmemuComplete       whether its search was complete
 * @param mmemuExecutions     executions it explored
 * @param mmemuMillis         its wall time
 * @param mmemuSchedules      per kind, a schedule that replays it ({@code mmemu replay})
 */
record Agreement(String scenario, String protocol, SortedSet<String> frayKinds, int frayIterations,
                 SortedSet<String> mmemuKinds, boolean agree, List<String> problems, String frayScheduler,
                 Map<String, Integer> frayFirstIteration, Map<String, String> frayReplay, int frayStepBoundRuns,
                 long frayMillis, String mmemuPolicy, boolean mmemuComplete, long mmemuExecutions, long mmemuMillis,
                 Map<String, String> mmemuSchedules) {

    /** Fray's budget for the seed race's bugs (issue 15). */
    static final int MUST_FIND_WITHIN = 1_000;

    /** The kinds Fray must find on the seed race when the controlled engine does. */
    static final Set<String> MUST_FIND = Set.of(FindingKind.DOUBLE_FREE.id(), FindingKind.REFCOUNT_FROM_ZERO.id(),
            FindingKind.KERNEL_BUG.id(), FindingKind.USE_AFTER_FREE.id());

    /** Judges one pair. */
    static Agreement judge(OraclePair pair, FrayVerdict fray, ControlledVerdict mmemu) {
        List<String> problems = new ArrayList<>();
        if (!mmemu.complete()) {
            problems.add("the controlled engine's " + mmemu.policy() + " search did not complete ("
                    + mmemu.executions() + " executions, " + mmemu.millis() + " ms): no reference verdict");
        }
        TreeSet<String> onlyFray = new TreeSet<>(fray.kinds());
        onlyFray.removeAll(mmemu.kinds());
        for (String k : onlyFray) {
            problems.add("Fray met " + k + " (iteration " + fray.firstIteration().get(k) + "), the controlled engine "
                    + "never did; Fray's replay: " + fray.replay().getOrDefault(k, "(none)"));
        }
        if (pair.seedRace()) {
            for (String k : mmemu.kinds()) {
                if (MUST_FIND.contains(k) && !fray.foundWithin(k, MUST_FIND_WITHIN)) {
                    problems.add("the controlled engine met " + k + " and Fray did not within " + MUST_FIND_WITHIN
                            + " iterations (" + fray.iterations() + " run); mmemu's schedule: "
                            + mmemu.schedules().getOrDefault(k, "(a warning: replay the double free's schedule)"));
                }
            }
        }
        return new Agreement(pair.scenario(), pair.protocol(), fray.kinds(), fray.iterations(), mmemu.kinds(),
                problems.isEmpty(), List.copyOf(problems), fray.scheduler() + " seed " + fray.seed(),
                fray.firstIteration(), fray.replay(), fray.stepBoundRuns(), fray.millis(), mmemu.policy(),
                mmemu.complete(), mmemu.executions(), mmemu.millis(), mmemu.schedules());
    }

    /** A disagreement as a person reads it: both verdicts, both engines' schedules. */
    String report() {
        StringBuilder b = new StringBuilder();
        b.append(scenario).append(" [").append(protocol).append("]: Fray ").append(frayKinds).append(" in ")
                .append(frayIterations).append(" iterations (").append(frayScheduler).append("), mmemu ")
                .append(mmemuKinds).append(" (").append(mmemuPolicy).append(mmemuComplete ? ", complete" : ", INCOMPLETE")
                .append(", ").append(mmemuExecutions).append(" executions)\n");
        problems.forEach(p -> b.append("  - ").append(p).append('\n'));
        frayReplay.forEach((k, path) -> b.append("  Fray replay of ").append(k).append(": ").append(path).append('\n'));
        // The schedule is of the program without interrupts (OraclePair.program): replay it there,
        // since a scenario's interrupts add choices under anywhere and shift a schedule's indices.
        mmemuSchedules.forEach((k, s) -> b.append("  mmemu schedule of ").append(k).append(": ").append(s)
                .append("   (Explorer.replay(new OraclePair(\"").append(scenario).append("\", \"").append(protocol)
                .append("\").program(Scenarios.standard()), \"").append(s).append("\"); on a copy of the scenario without ")
                .append("its interrupts: ./mmemu replay COPY.yaml --protocol ").append(protocol)
                .append(" --delays anywhere --schedule '").append(s).append("')\n"));
        return b.toString();
    }
}
