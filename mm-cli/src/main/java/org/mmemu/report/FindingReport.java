package org.mmemu.report;

import java.util.List;
import org.mmemu.core.emu.Finding;
import org.mmemu.scenario.run.ScenarioProgram;

/**
 * A finding as the JSON output writes it.
 *
 * @param kind     the finding kind's id, e.g. {@code double-free}
 * @param page     the scenario's name of the page, {@code pfn N} for an unnamed one, "" for none
 * @param pfn      the page frame number, -1 for none
 * @param cpu      the CPU of the failing step, -1 for none
 * @param site     {@code function: statement} of the failing step, "" for none
 * @param schedule the schedule that replays it, "" when the engine has none
 * @param message  one line for a person
 * @param related  the other sites that matter ({@code first free: cpu1 at ...})
 * @param key      the execution's position in the search order (what merges shards); empty when none
 */
public record FindingReport(String kind, String page, long pfn, int cpu, String site, String schedule,
                            String message, List<String> related, List<Integer> key) {

    public FindingReport {
        related = List.copyOf(related);
        key = key == null ? List.of() : List.copyOf(key);
    }

    /** A finding without a search key. */
    public FindingReport(String kind, String page, long pfn, int cpu, String site, String schedule,
                         String message, List<String> related) {
        this(kind, page, pfn, cpu, site, schedule, message, related, List.of());
    }

    public static FindingReport of(Finding f, ScenarioProgram program) {
        return of(f, program, null);
    }

    /** {@code f}, found at position {@code key} of the search order (null when not known). */
    public static FindingReport of(Finding f, ScenarioProgram program, int[] key) {
        return new FindingReport(f.kind().id(), program.pageName(f.pfn()), f.pfn(), f.cpu(),
                f.site() == null ? "" : f.site().toString(), f.schedule(), f.message(),
                f.related().stream().map(Finding.Related::toString).toList(),
                key == null ? List.of() : java.util.Arrays.stream(key).boxed().toList());
    }
}
