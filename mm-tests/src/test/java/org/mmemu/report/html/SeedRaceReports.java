package org.mmemu.report.html;

import java.time.Duration;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.control.Explorer;
import org.mmemu.bench.SeedRace;

/** Report data from real explorations of the seed race (mm-reclaim, mm-pagevec, mm-lru), for the tests. */
final class SeedRaceReports {
    private SeedRaceReports() {
    }

    /** The {@code irq} model with no slips: offsets, arrival points and durations only (docs/ARCHITECTURE.md §3). */
    static ExploreOptions options() {
        return ExploreOptions.defaults().withDelays(DelayModel.IRQ).withPreemptionBound(0)
                .withTimeLimit(Duration.ofSeconds(40)).withThreads(2);
    }

    /**
     * mm1 with a 400-step interrupt (finds the double free), and unless-zero with a 30-step one
     * (covers its bounded space; shorter than the mm1 case only to keep the test quick).
     */
    static ReportData demo(String scenarioName) {
        SeedRace mm1 = SeedRace.of("mm1", 400);
        ExploreResult found = Explorer.explore(mm1, options().withStopAtFirst(true));
        SeedRace uz = SeedRace.of("unless-zero", 30);
        ExploreResult clean = Explorer.explore(uz, options());
        System.out.println("mm1: " + found + "\nunless-zero: " + clean);
        return ReportData.of("mmemu demo", scenarioName)
                .with(ReportData.Section.explored("mm1", found, mm1, pfn -> "P"))
                .with(ReportData.Section.explored("unless-zero", clean, uz, pfn -> "P"));
    }
}
