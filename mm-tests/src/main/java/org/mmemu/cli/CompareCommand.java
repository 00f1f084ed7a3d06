package org.mmemu.cli;

import java.util.ArrayList;
import java.util.List;
import org.mmemu.report.RunReport;
import org.mmemu.scenario.run.Engines;
import org.mmemu.scenario.run.Exploration;
import org.mmemu.scenario.run.ProtocolCatalog;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.EngineSettings;
import org.mmemu.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code mmemu compare FILE}: the same scenario under every protocol (or the one given), one
 * row each. The file's {@code expect:} is the expectation of its own protocol only, so the exit
 * status is that row's verdict; the other rows are information.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, description = "Run a scenario under every protocol and print one table.")
final class CompareCommand extends ScenarioCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "a scenario file, or a shipped scenario's name")
    String file;

    @picocli.CommandLine.Mixin
    HtmlOption html;

    @Override
    public Integer call() {
        Scenario s = ctx().scenarios.resolve(file);
        EngineSettings settings = settings(s);
        String own = protocolFor(s);
        String named = options.protocol(ctx().protocols);
        List<String> protocols = named != null ? List.of(named) : ctx().protocols.names();
        List<RunReport> rows = new ArrayList<>();
        for (String protocol : protocols) {
            ScenarioProgram p = program(s, protocol);
            Exploration e = explore(Engines.controlled(), p, settings);
            rows.add(ctx().reports.report(p, settings, e));
            html.add(p, e);
        }
        ctx().out.print(CompareTable.format(rows));
        ctx().out.flush();
        writeJson(s, rows);
        html.write(ctx(), "mmemu compare", s.name());
        return rows.stream().filter(r -> r.protocol().equals(own)).allMatch(RunReport::expectationsHold) ? 0 : 1;
    }
}
