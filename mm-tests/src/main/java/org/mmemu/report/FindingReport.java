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
 */
public record FindingReport(String kind, String page, long pfn, int cpu, String site, String schedule,
                            String message, List<String> related) {

    public static FindingReport of(Finding f, ScenarioProgram program) {
        return new FindingReport(f.kind().id(), program.pageName(f.pfn()), f.pfn(), f.cpu(),
                f.site() == null ? "" : f.site().toString(), f.schedule(), f.message(),
                f.related().stream().map(Finding.Related::toString).toList());
    }
}
