package org.mmemu.tests.cli;

import java.util.ArrayList;
import java.util.List;
import org.mmemu.tests.report.RunReport;
import org.mmemu.tests.run.Engines;
import org.mmemu.tests.run.Exploration;
import org.mmemu.tests.run.Protocols;
import org.mmemu.tests.run.ScenarioProgram;
import org.mmemu.tests.scenario.EngineSettings;
import org.mmemu.tests.scenario.Scenario;
import picocli.CommandLine.Command;

/**
 * {@code mmemu demo}: the seed race under every protocol, the verdict of each, and for
 * {@code mm1} the two-column trace of the double free (reference §3).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "The seed race under every protocol, with mm1's trace of the double free.")
final class DemoCommand extends ScenarioCommand {
    @Override
    public Integer call() {
        Scenario s = ctx().scenarios.resolve("seed-race");
        EngineSettings settings = settings(s);
        List<RunReport> rows = new ArrayList<>();
        RunReport mm1 = null;
        ScenarioProgram mm1Program = null;
        Exploration mm1Exploration = null;
        for (String protocol : Protocols.names()) {
            ScenarioProgram p = program(s, protocol);
            Exploration e = explore(Engines.controlled(), p, settings);
            RunReport r = ctx().reports.report(p, settings, e);
            rows.add(r);
            if (protocol.equals("mm1")) {
                mm1 = r;
                mm1Program = p;
                mm1Exploration = e;
            }
        }
        ctx().out.print(CompareTable.format(rows));
        if (mm1 != null) {
            ctx().out.println();
            ctx().out.print(ctx().reports.text(mm1, mm1Program, mm1Exploration));
        }
        ctx().out.flush();
        writeJson(null, rows);
        return mm1 != null && mm1.expectationsHold() ? 0 : 1;
    }
}
