package org.mmemu.reclaim;

import java.time.Duration;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.control.Explorer;

/**
 * Footnote condition 4 of the seed mail as a number, through the real shrink_cache/shrink_list:
 * the shortest interrupt on the releasing CPU (a handler of exactly D steps, arrival explored
 * exhaustively under the {@code irq} model) with which each protocol given (default mm1, 2.5.33,
 * pre-fix) frees the page twice in {@link ShrinkCacheDoubleFreeTest}'s program (P and 32
 * filler pages on the inactive list). Binary search over D.
 *
 * <pre>
 * mvn -B -q -o -pl mm-reclaim -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp mm-reclaim/target/test-classes:mm-reclaim/target/classes:$(cat mm-reclaim/target/cp.txt) \
 *     org.mmemu.reclaim.DoubleFreeThresholdMain
 * </pre>
 */
public final class DoubleFreeThresholdMain {
    private DoubleFreeThresholdMain() {
    }

    private static boolean doubleFrees(String protocol, int d) {
        ExploreOptions o = ExploreOptions.defaults().withDelays(DelayModel.IRQ).withPreemptionBound(0)
                .withTimeLimit(Duration.ofSeconds(120)).withThreads(2).withStopAtFirst(true).withShrink(false);
        ExploreResult r = Explorer.explore(ShrinkCacheDoubleFreeTest.race(protocol, d, true), o);
        boolean found = r.countsByKind().containsKey(org.mmemu.core.emu.FindingKind.DOUBLE_FREE);
        System.out.println(protocol + ", handler of " + d + " steps: " + r);
        if (!found && !r.complete()) {
            throw new IllegalStateException("incomplete search at " + d);
        }
        return found;
    }

    /** Arguments: the protocols to measure (default {@code mm1 2.5.33 pre-fix}). */
    public static void main(String[] args) {
        String[] protocols = args.length > 0 ? args : new String[] {"mm1", "2.5.33", "pre-fix"};
        StringBuilder summary = new StringBuilder();
        for (String protocol : protocols) {
            int lo = 1;
            int hi = 400;
            if (!doubleFrees(protocol, hi)) {
                throw new IllegalStateException(protocol + ": no double free even with " + hi + " steps");
            }
            while (lo < hi) {
                int mid = (lo + hi) / 2;
                if (doubleFrees(protocol, mid)) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            summary.append(protocol).append(": shortest interrupt that frees twice through shrink_cache/shrink_list: ")
                    .append(lo).append(" steps\n");
        }
        System.out.print(summary);
    }
}
