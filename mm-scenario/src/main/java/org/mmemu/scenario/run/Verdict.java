package org.mmemu.scenario.run;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.scenario.Expectations;

/**
 * Whether a scenario's {@code expect:} held, never claiming more than was searched: every listed
 * kind occurred (others may accompany them), or, for an empty list, nothing was found <em>and the
 * bounded space was covered</em>. When a bound cut the search short and nothing found contradicts
 * the expectation, the answer is {@link Outcome#INCONCLUSIVE}. Warnings never count.
 *
 * @param outcome  holds, fails or inconclusive
 * @param expected what the file expected
 * @param found    the kinds found, in order
 * @param missing  expected kinds that did not occur
 * @param bound    why the search did not cover its space ("" when it did)
 */
public record Verdict(Outcome outcome, List<FindingKind> expected, List<FindingKind> found, List<FindingKind> missing,
                      String bound) {

    /** The three answers, with the exit status each gives. */
    public enum Outcome {
        HOLDS(0), FAILS(1), INCONCLUSIVE(4);

        private final int exitStatus;

        Outcome(int exitStatus) {
            this.exitStatus = exitStatus;
        }

        public int exitStatus() {
            return exitStatus;
        }

        /** The worse of two outcomes: a failure over an unknown over a pass. */
        public Outcome and(Outcome o) {
            return this == FAILS || o == FAILS ? FAILS : this == INCONCLUSIVE || o == INCONCLUSIVE ? INCONCLUSIVE : HOLDS;
        }
    }

    /**
     * The verdict on {@code findings} of a search that {@code complete}ly covered its space, or
     * else stopped at {@code bound}.
     */
    public static Verdict of(List<FindingKind> expect, List<Finding> findings, boolean complete, String bound) {
        Set<FindingKind> found = new LinkedHashSet<>();
        findings.forEach(f -> found.add(f.kind()));
        List<FindingKind> missing = new ArrayList<>();
        for (FindingKind k : expect) {
            if (!found.contains(k)) {
                missing.add(k);
            }
        }
        Outcome o;
        if (expect.isEmpty()) {
            o = !found.isEmpty() ? Outcome.FAILS : complete ? Outcome.HOLDS : Outcome.INCONCLUSIVE;
        } else {
            o = missing.isEmpty() ? Outcome.HOLDS : complete ? Outcome.FAILS : Outcome.INCONCLUSIVE;
        }
        return new Verdict(o, List.copyOf(expect), List.copyOf(found), missing, complete ? "" : bound);
    }

    /** The verdict of {@code exploration} against {@code expect}. */
    public static Verdict of(List<FindingKind> expect, Exploration exploration) {
        return of(expect, exploration.findings(), exploration.complete(), exploration.incompleteReason());
    }

    public boolean holds() {
        return outcome == Outcome.HOLDS;
    }

    /** JSON's {@code expectationsHold}: true, false, or null when inconclusive. */
    public Boolean holdsOrNull() {
        return outcome == Outcome.INCONCLUSIVE ? null : outcome == Outcome.HOLDS;
    }

    /** One line: {@code expect [double-free]: holds}, what went wrong, or INCOMPLETE and why. */
    public String summary() {
        String e = "expect " + Expectations.ids(expected) + ": ";
        return switch (outcome) {
            case HOLDS -> e + "holds";
            case FAILS -> expected.isEmpty() ? e + "does not hold: found " + Expectations.ids(found)
                    : e + "does not hold: missing " + Expectations.ids(missing)
                            + (found.isEmpty() ? ", found nothing" : ", found " + Expectations.ids(found));
            case INCONCLUSIVE -> e + "INCOMPLETE, inconclusive: " + bound + "; nothing found contradicts it, but the"
                    + " space was not covered" + (missing.isEmpty() ? "" : " (not found yet: " + Expectations.ids(missing) + ")");
        };
    }
}
