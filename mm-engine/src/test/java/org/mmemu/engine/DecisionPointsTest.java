package org.mmemu.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.core.emu.Finding;
import org.mmemu.engine.control.Explorer;

/** Decisions only where they change something, and replay of what the search found. */
class DecisionPointsTest {
    private static final ExploreOptions UNBOUNDED = ExploreOptions.defaults().withPreemptionBound(-1)
            .withPor(false).withShrink(false).withMaxSchedules(1_000_000);

    @Test
    void localStepsAreNoDecisionPointsInTheAnywhereModel() {
        // two CPUs, each: pad local steps, load, store, pad local steps. Where a CPU goes on,
        // its local steps are no decisions; what remains per switch does not grow with the
        // padding, so neither does the search.
        ExploreResult padded = Explorer.explore(TinyPrograms.lostUpdate(2, 5), UNBOUNDED);
        ExploreResult longer = Explorer.explore(TinyPrograms.lostUpdate(2, 50), UNBOUNDED);
        assertThat(padded.complete()).isTrue();
        assertThat(longer.complete()).isTrue();
        assertThat(longer.schedules()).isEqualTo(padded.schedules());
        assertThat(longer.countsByKind()).isEqualTo(padded.countsByKind());
    }

    @Test
    void everyFindingsScheduleReplaysToTheIdenticalTrace() {
        for (Program p : List.of(TinyPrograms.lostUpdate(3, 1), TinyPrograms.lostUpdate(2, 3),
                TinyPrograms.abba())) {
            ExploreResult r = Explorer.explore(p, ExploreOptions.defaults().withPreemptionBound(2));
            assertThat(r.findings()).isNotEmpty();
            assertThat(Explorer.replay(p, r.findings().get(0).schedule()).trace().hash())
                    .isEqualTo(r.firstTrace().hash());
            for (Finding f : r.findings()) {
                RunResult once = Explorer.replay(p, f.schedule());
                RunResult twice = Explorer.replay(p, f.schedule());
                assertThat(once.findings()).extracting(Finding::kind).contains(f.kind());
                assertThat(once.schedule()).isEqualTo(f.schedule());
                assertThat(twice.trace().hash()).isEqualTo(once.trace().hash());
            }
        }
    }
}
