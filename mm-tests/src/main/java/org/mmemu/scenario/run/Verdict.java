package org.mmemu.scenario.run;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;

/**
 * Whether a scenario's {@code expect:} held: every listed kind occurred (others may accompany
 * them), or, for an empty list, nothing at all was found. Warnings never count.
 *
 * @param holds      the expectations held
 * @param expected   what the file expected
 * @param found      the kinds found, in order
 * @param missing    expected kinds that did not occur
 */
public record Verdict(boolean holds, List<FindingKind> expected, List<FindingKind> found, List<FindingKind> missing) {

    public static Verdict of(List<FindingKind> expect, List<Finding> findings) {
        Set<FindingKind> found = new LinkedHashSet<>();
        findings.forEach(f -> found.add(f.kind()));
        List<FindingKind> missing = new ArrayList<>();
        for (FindingKind k : expect) {
            if (!found.contains(k)) {
                missing.add(k);
            }
        }
        boolean holds = expect.isEmpty() ? found.isEmpty() : missing.isEmpty();
        return new Verdict(holds, List.copyOf(expect), List.copyOf(found), missing);
    }

    /** One line: {@code expect [double-free]: holds} or what went wrong. */
    public String summary() {
        String e = "expect " + ids(expected) + ": ";
        if (holds) {
            return e + "holds";
        }
        if (expected.isEmpty()) {
            return e + "does not hold: found " + ids(found);
        }
        return e + "does not hold: missing " + ids(missing) + (found.isEmpty() ? ", found nothing" : ", found " + ids(found));
    }

    private static String ids(List<FindingKind> ks) {
        return "[" + String.join(", ", ks.stream().map(FindingKind::id).toList()) + "]";
    }
}
