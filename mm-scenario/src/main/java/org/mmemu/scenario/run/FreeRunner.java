package org.mmemu.scenario.run;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.FreeEngine;
import org.mmemu.engine.RunResult;
import org.mmemu.scenario.EngineSettings;

/**
 * The free engine (real threads) behind {@link EngineRunner}: one run, or, with a budget, runs one
 * after another until the budget is spent ({@code mmemu stress}). What it finds depends on the
 * host's timing; findings carry no schedule and there is no step trace.
 */
public final class FreeRunner implements EngineRunner {
    private final Duration budget;

    private FreeRunner(Duration budget) {
        this.budget = budget;
    }

    /** One run, bounded by the settings' time limit. */
    public static FreeRunner once() {
        return new FreeRunner(null);
    }

    /** Runs until {@code budget} has passed (at least one). */
    public static FreeRunner repeatFor(Duration budget) {
        return new FreeRunner(budget);
    }

    @Override
    public Exploration explore(ScenarioProgram program, EngineSettings settings, Progress progress) {
        long start = System.nanoTime();
        long deadline = budget == null ? Long.MAX_VALUE : start + budget.toNanos();
        Map<FindingKind, Finding> first = new LinkedHashMap<>();
        long runs = 0;
        long withFindings = 0;
        do {
            Duration limit = settings.timeLimit();
            if (budget != null) {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                limit = limit.compareTo(Duration.ofMillis(left)) < 0 ? limit : Duration.ofMillis(left);
            }
            RunResult r = runOnce(program, limit);
            runs++;
            if (!r.findings().isEmpty()) {
                withFindings++;
            }
            r.findings().forEach(f -> first.putIfAbsent(f.kind(), f));
            progress.update(runs, withFindings);
        } while (budget != null && System.nanoTime() < deadline);
        return new Exploration("free", runs, false, List.copyOf(first.values()), withFindings, List.of(),
                (System.nanoTime() - start) / 1_000_000, "the free engine (real threads) covers no space:"
                + " " + String.format("%,d", runs) + " run" + (runs == 1 ? "" : "s"));
    }

    private static RunResult runOnce(ScenarioProgram program, Duration limit) {
        try {
            return new FreeEngine(limit).run(program);
        } catch (IllegalStateException e) {
            // FreeEngine wraps what a CPU thread threw; a scenario-level error keeps its own message.
            throw org.mmemu.scenario.ops.BadInput.in(e).orElse(e);
        }
    }
}
