package org.mmemu.reclaim;

import java.time.Duration;
import org.mmemu.core.engine.DelayModel;
import org.mmemu.core.engine.ExploreOptions;
import org.mmemu.core.engine.ExploreResult;
import org.mmemu.core.engine.Explorer;

/**
 * Footnote condition 4 of the seed mail as a number, through the real shrink_cache/shrink_list:
 * the shortest interrupt on the releasing CPU (a handler of exactly D steps, arrival explored
 * exhaustively under the {@code irq} model) with which {@code mm1} frees the page twice in
 * {@link ShrinkCacheDoubleFreeTest}'s program. Binary search over D.
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

    private static boolean doubleFrees(int d) {
        ExploreOptions o = ExploreOptions.defaults().withDelays(DelayModel.IRQ).withPreemptionBound(0)
                .withTimeLimit(Duration.ofSeconds(120)).withThreads(2).withStopAtFirst(true).withShrink(false);
        ExploreResult r = Explorer.explore(ShrinkCacheDoubleFreeTest.race("mm1", d, true), o);
        boolean found = r.countsByKind().containsKey(org.mmemu.core.emu.FindingKind.DOUBLE_FREE);
        System.out.println("handler of " + d + " steps: " + r);
        if (!found && !r.complete()) {
            throw new IllegalStateException("incomplete search at " + d);
        }
        return found;
    }

    public static void main(String[] args) {
        int lo = 1;
        int hi = 400;
        if (!doubleFrees(hi)) {
            throw new IllegalStateException("no double free even with " + hi + " steps");
        }
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (doubleFrees(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        System.out.println("shortest interrupt that frees twice through shrink_cache/shrink_list: " + lo + " steps");
    }
}
