package org.mmemu.bench;

import com.google.common.base.Stopwatch;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.control.Explorer;
import org.mmemu.engine.FreeEngine;
import org.mmemu.engine.RunResult;

/**
 * Benchmarks 3 and 4: the controlled engine on the seed race. Time and schedules to the first
 * double free under a policy; time to cover the bounded space of a clean protocol; and the free
 * engine's stress runs of the same program for a fixed time, for what each finds.
 *
 * <p>All explorations use the {@code irq} delay model with no slips (offsets, interrupt arrival
 * points and durations only; docs/ARCHITECTURE.md §3), the model the mail's footnote is stated in.
 */
public final class ExploreBench {
    private ExploreBench() {
    }

    /** The options every figure uses: {@code irq} model, no slips, the given policy, seed and threads. */
    public static ExploreOptions options(String policy, long seed, int threads, Duration limit) {
        return ExploreOptions.defaults().withPolicy(policy).withSeed(seed).withDelays(DelayModel.IRQ)
                .withPreemptionBound(0).withThreads(threads).withTimeLimit(limit).withShrink(false)
                .withMaxSchedules(policy.equals("exhaustive") ? 1_000_000 : 200_000);
    }

    /**
     * One search for the first double free.
     *
     * @return found, schedules, milliseconds
     */
    public static First firstDoubleFree(SeedRace race, String policy, long seed, int threads, Duration limit) {
        ExploreResult r = Explorer.search(race, options(policy, seed, threads, limit).withStopAtFirst(true));
        boolean found = r.countsByKind().containsKey(FindingKind.DOUBLE_FREE);
        return new First(policy, seed, found, r.schedules(), r.elapsedMillis(),
                r.countsByKind().keySet().stream().map(FindingKind::id).toList().toString());
    }

    /** A search for the first double free, and the kinds of finding it met. */
    public record First(String policy, long seed, boolean found, long schedules, long millis, String kinds) {
    }

    /** One complete search of a protocol's bounded space. */
    public static Cover cover(SeedRace race, int threads, Duration limit) {
        ExploreResult r = Explorer.search(race, options("exhaustive", 1, threads, limit));
        return new Cover(race.protocol(), r.complete(), r.schedules(), r.pruned(), r.elapsedMillis(),
                r.countsByKind().keySet().stream().map(FindingKind::id).toList().toString(), r.verdict().name());
    }

    /** A search of the whole bounded space. */
    public record Cover(String protocol, boolean complete, long schedules, long pruned, long millis, String kinds,
                        String verdict) {
    }

    /** Free-engine runs of {@code race} one after another for {@code budget}. */
    public static Stress stress(SeedRace race, Duration budget) {
        Stopwatch watch = Stopwatch.createStarted();
        long runs = 0;
        long doubleFrees = 0;
        long withFindings = 0;
        FreeEngine engine = new FreeEngine(Duration.ofSeconds(10));
        do {
            RunResult r = engine.run(race);
            runs++;
            if (!r.findings().isEmpty()) {
                withFindings++;
            }
            if (r.findings().stream().anyMatch(f -> f.kind() == FindingKind.DOUBLE_FREE)) {
                doubleFrees++;
            }
        } while (watch.elapsed().compareTo(budget) < 0);
        return new Stress(race.protocol(), runs, withFindings, doubleFrees, watch.elapsed(TimeUnit.MILLISECONDS));
    }

    /** What a stress run found. */
    public record Stress(String protocol, long runs, long withFindings, long doubleFrees, long millis) {
    }
}
