package org.mmemu.report;

import org.mmemu.scenario.run.TraceLine;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import java.util.Map;

/**
 * The result of one command on one scenario under one protocol: what {@code --json} writes
 * and what the text output is made from.
 *
 * @param scenario         the scenario's name
 * @param file             the file it came from
 * @param protocol         the protocol
 * @param engine           free | controlled
 * @param policy           the schedule policy (exhaustive, pct, random, replay; "free" for the free engine)
 * @param seed             the seed of randomized policies
 * @param schedules        executions run
 * @param complete         whether the bounded space was covered
 * @param incomplete       which bound stopped the search short of its space, in words
 *                         ({@code the time limit (1s) hit after 0 schedules}); "" when complete
 * @param elapsedMillis    wall time
 * @param expect           the kinds the file expected of this protocol
 * @param expectationsHold whether they held: null when inconclusive (a bound hit, nothing found
 *                         contradicts them)
 * @param verdict          one line saying so
 * @param findings         the first finding of each kind
 * @param trace            the steps of the first finding's execution (empty if not recorded)
 * @param search           how the controlled engine's search went (null under the free engine);
 *                         JSON writes its fields beside the others
 * @param vmstat           the {@code /proc/vmstat} counters of the run's first execution, by name
 *                         (mm-core {@code VmStat}); null (left out of the JSON) when not kept:
 *                         {@code run} keeps them
 */
public record RunReport(String scenario, String file, String protocol, String engine, String policy, long seed,
                        long schedules, boolean complete, String incomplete, long elapsedMillis, List<String> expect,
                        Boolean expectationsHold, String verdict, List<FindingReport> findings, List<TraceLine> trace,
                        @JsonUnwrapped Search search, @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Long> vmstat) {
    public RunReport {
        vmstat = vmstat == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vmstat));
        expect = List.copyOf(expect);
        findings = List.copyOf(findings);
        trace = List.copyOf(trace);
        incomplete = complete || incomplete == null ? "" : incomplete;
    }

    /** A report without a search (the free engine). */
    public RunReport(String scenario, String file, String protocol, String engine, String policy, long seed,
                     long schedules, boolean complete, String incomplete, long elapsedMillis, List<String> expect,
                     Boolean expectationsHold, String verdict, List<FindingReport> findings, List<TraceLine> trace) {
        this(scenario, file, protocol, engine, policy, seed, schedules, complete, incomplete, elapsedMillis, expect,
                expectationsHold, verdict, findings, trace, null, null);
    }

    /** A report without the vmstat counters. */
    public RunReport(String scenario, String file, String protocol, String engine, String policy, long seed,
                     long schedules, boolean complete, String incomplete, long elapsedMillis, List<String> expect,
                     Boolean expectationsHold, String verdict, List<FindingReport> findings, List<TraceLine> trace,
                     Search search) {
        this(scenario, file, protocol, engine, policy, seed, schedules, complete, incomplete, elapsedMillis, expect,
                expectationsHold, verdict, findings, trace, search, null);
    }

    /** This report with the counters {@code vmstat} ({@code /proc/vmstat} names), or without (null). */
    public RunReport withVmstat(Map<String, Long> counters) {
        return new RunReport(scenario, file, protocol, engine, policy, seed, schedules, complete, incomplete,
                elapsedMillis, expect, expectationsHold, verdict, findings, trace, search, counters);
    }

    /** The exit status this report gives: 0 held, 1 did not, 4 inconclusive. */
    public int exitStatus() {
        return expectationsHold == null ? 4 : expectationsHold ? 0 : 1;
    }

    /**
     * What a controlled search did beyond its schedule count: the work summed over every round of
     * a deepening search, when the first finding came, and why it did not cover its space.
     *
     * @param steps                 rows taken by all executions
     * @param pruned                executions abandoned by partial-order reduction
     * @param incompleteRuns        executions cut short by the step bound or the time limit
     * @param firstFindingMillis    wall time to the first execution with a finding; -1 without
     * @param firstFindingSchedules schedules run by then, that one included; -1 without
     * @param distinctStates        states the merging search recorded ({@code irq} exhaustive; 0 without merging)
     * @param merged                executions cut at a state already explored (counted in {@code pruned} too)
     * @param incompleteReason      the bound hit ({@code time-limit}, {@code max-schedules},
     *                              {@code max-steps}), or null
     * @param decided               it stopped because the verdict on the expectation was decided
     * @param preemptionBound       when "complete" means complete within this preemption bound; null when no bound cut it
     * @param shard                 {@code I/N} when this is one shard of a search, else null
     * @param findingCounts         per finding kind, executions that had it
     * @param warningCounts         per warning kind, executions that raised it
     * @param delays                the delay model searched ({@code irq}, {@code anywhere})
     * @param skew                  the {@code irq} model's longest slip; null under {@code anywhere}
     * @param coveredBy             {@code dpor} where an {@code irq} search was answered by the complete
     *                              search of every interleaving, which found nothing (so no {@code irq}
     *                              schedule has a finding); null where the search itself ran
     */
    public record Search(long steps, long pruned, long distinctStates, long merged, long incompleteRuns,
                        long firstFindingMillis,
                        long firstFindingSchedules, String incompleteReason, boolean decided, Integer preemptionBound,
                        String shard, java.util.Map<String, Long> findingCounts,
                        java.util.Map<String, Long> warningCounts, String delays, Integer skew, String coveredBy) {
    }
}
