package org.mmemu.report;

import java.util.List;

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
 * @param incompleteReason which bound stopped the search short of its space ("" when complete)
 * @param elapsedMillis    wall time
 * @param expect           the kinds the file expected of this protocol
 * @param expectationsHold whether they held: null when inconclusive (a bound hit, nothing contradicts them)
 * @param verdict          one line saying so
 * @param findings         the first finding of each kind
 * @param trace            the steps of the first finding's execution (empty if not recorded)
 */
public record RunReport(String scenario, String file, String protocol, String engine, String policy, long seed,
                        long schedules, boolean complete, String incompleteReason, long elapsedMillis,
                        List<String> expect, Boolean expectationsHold, String verdict, List<FindingReport> findings, List<TraceLine> trace) {
    public RunReport {
        expect = List.copyOf(expect);
        findings = List.copyOf(findings);
        trace = List.copyOf(trace);
    }

    /** The exit status this report gives: 0 held, 1 did not, 4 inconclusive. */
    public int exitStatus() {
        return expectationsHold == null ? 4 : expectationsHold ? 0 : 1;
    }
}
