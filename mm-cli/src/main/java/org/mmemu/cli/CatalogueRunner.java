package org.mmemu.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.StopRule;
import org.mmemu.report.CatalogueReport;
import org.mmemu.scenario.CatalogueEntry;
import org.mmemu.scenario.EngineSettings;
import org.mmemu.scenario.Kernels;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.run.EngineRunner;
import org.mmemu.scenario.run.Exploration;
import org.mmemu.scenario.run.KernelProtocols;
import org.mmemu.scenario.run.Progress;
import org.mmemu.scenario.run.ScenarioProgram;

/**
 * Runs one catalogue entry: its scenario once on the buggy kernel and once on the fixed one,
 * each kernel with its own protocol. Both searches stop at the first finding of the entry's
 * kind: on the buggy kernel that is the finding the entry promises; on the fixed one it is the
 * failure, and otherwise the search goes on to cover its space, which is what "clean" needs.
 *
 * <p>The fixed kernel runs the entry's {@code fixed-search} over the file's other engine settings
 * (time limit, schedules, seed); the buggy kernel runs the file's {@code engine:} over that same
 * search, so that by default both kernels are searched alike.
 */
final class CatalogueRunner {
    /** The verdicts of an entry, as JSON writes them. */
    static final String HOLDS = "holds";
    static final String FAILS = "fails";
    static final String INCONCLUSIVE = "inconclusive";

    private final Context ctx;
    private final java.util.function.Function<StopRule, EngineRunner> engines;

    CatalogueRunner(Context ctx, java.util.function.Function<StopRule, EngineRunner> engines) {
        this.ctx = ctx;
        this.engines = engines;
    }

    CatalogueReport.Entry run(Scenario s) {
        CatalogueEntry c = s.catalogue();
        EngineSettings search = c.fixedSearch();
        EngineSettings buggySettings = s.engine().overriddenBy(search).overriddenBy(only(s.engine())).withDefaults();
        EngineSettings fixedSettings = s.engine().overriddenBy(search).withDefaults();
        Exploration bug = explore(s, c.buggy(), buggySettings, c.expect());
        Exploration fix = explore(s, c.fixed(), fixedSettings, c.expect());
        boolean found = kinds(bug).contains(c.expect().id());
        boolean fixedFound = kinds(fix).contains(c.expect().id());
        String verdict;
        String why;
        if (fixedFound) {
            verdict = FAILS;
            why = c.fixed() + " still shows " + c.expect().id();
        } else if (!found) {
            verdict = bug.complete() ? FAILS : INCONCLUSIVE;
            why = c.buggy() + ": no " + c.expect().id() + (bug.complete() ? " in the whole space"
                    : " before " + bug.incompleteReason());
        } else if (!fix.complete()) {
            verdict = INCONCLUSIVE;
            why = c.fixed() + ": INCOMPLETE, " + fix.incompleteReason();
        } else {
            verdict = HOLDS;
            why = "";
        }
        Integer bound = fixedSettings.preemptionBound() == null || fixedSettings.preemptionBound() < 0 ? null
                : fixedSettings.preemptionBound();
        return new CatalogueReport.Entry(c.entry(), c.commit(), c.expect().id(),
                new CatalogueReport.Buggy(c.buggy(), kinds(bug), found, bug.schedules(), bug.elapsedMillis()),
                new CatalogueReport.Fixed(c.fixed(), kinds(fix), fix.complete(), fixedSettings.policy(),
                        fixedSettings.delays(), bound, fix.schedules(), fix.elapsedMillis()),
                verdict, why);
    }

    /** The search fields (policy, delays, bound) {@code engine} gives, and nothing else. */
    private static EngineSettings only(EngineSettings engine) {
        return new EngineSettings(engine.policy(), engine.preemptionBound(), engine.delays(), null, null, null, null,
                null);
    }

    private Exploration explore(Scenario s, String kernel, EngineSettings settings, FindingKind expect) {
        String protocol = KernelProtocols.name(ctx.protocols, Kernels.byName(kernel), null);
        ScenarioProgram program = new ScenarioProgram(s, protocol, ctx.wiring);
        StopRule stop = found -> found.contains(expect);
        PrintStream progressOut = ctx.progress ? System.err : null;
        try (Progress p = progressOut == null ? Progress.silent()
                : Progress.on(progressOut, s.catalogue().entry() + " [" + kernel + "]", Progress.stderrIsTerminal())) {
            return engines.apply(stop).explore(program, settings, p);
        }
    }

    /** The kinds found, each once, in the order found. */
    private static List<String> kinds(Exploration e) {
        List<String> out = new ArrayList<>();
        for (Finding f : e.findings()) {
            if (!out.contains(f.kind().id())) {
                out.add(f.kind().id());
            }
        }
        return out;
    }
}
