package org.mmemu.cli;

import java.util.ArrayList;
import java.util.List;
import org.mmemu.report.RunReport;
import org.mmemu.scenario.Kernels;
import org.mmemu.scenario.run.Exploration;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.EngineSettings;
import org.mmemu.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code mmemu compare FILE}: the same scenario under every protocol (or the one given; on a
 * kernel, {@code --kernel} or {@code kernel:}, every protocol that runs on it), one
 * row each, each judged by that protocol's own expectation. A file with per-protocol
 * expectations ({@code expect: {mm1: [double-free], default: []}}) judges every row; a file
 * with one list judges the row of its own protocol (and of {@code --protocol} when given), the
 * other rows being information. The exit status is the worst judged row's.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, description = "Run a scenario under every protocol and print one table.")
final class CompareCommand extends ScenarioCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "a scenario file, or a shipped scenario's name")
    String file;

    @picocli.CommandLine.Mixin
    HtmlOption html;

    @picocli.CommandLine.Mixin
    ThreadsOption threads;

    @Override
    public Integer call() {
        Scenario s = ctx().scenarios.resolve(file);
        checkOutputs(s);
        html.check(options.spec.commandLine());
        threads.count(options.spec.commandLine());
        EngineSettings settings = settings(s);
        String own = protocolFor(s);
        String named = options.protocol(ctx().protocols);
        List<String> protocols = named != null ? List.of(named) : ctx().protocols.names();
        Kernels.Kernel kernel = options.kernel() != null ? options.kernel()
                : s.machine().kernel() != null ? Kernels.byName(s.machine().kernel()) : null;
        if (kernel != null) {
            // on a kernel: every protocol that runs on it, or the one named (refused when it cannot)
            protocols = protocols.stream().filter(p -> named != null || Kernels.check(kernel, p).isEmpty())
                    .map(p -> onKernel(kernel, p)).toList();
        }
        boolean perProtocol = s.expect().byProtocol();
        List<RunReport> rows = new ArrayList<>();
        List<RunReport> judged = new ArrayList<>();
        for (String protocol : protocols) {
            ScenarioProgram p = program(s, protocol);
            Exploration e = explore(threads.controlled(options.spec.commandLine()), p, settings);
            RunReport r = ctx().reports.report(p, settings, e);
            rows.add(r);
            boolean isJudged = perProtocol || named != null || protocol.equals(own);
            if (isJudged) {
                judged.add(r);
            }
            html.add(protocol, p, e, isJudged);
        }
        ctx().out.print(CompareTable.format(rows, judged));
        ctx().out.flush();
        writeJson(s, rows);
        html.write(ctx(), "mmemu compare", s.name());
        return worst(judged);
    }
}
