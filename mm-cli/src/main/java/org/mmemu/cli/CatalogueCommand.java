package org.mmemu.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mmemu.report.CatalogueReport;
import org.mmemu.scenario.Echo;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.Shipped;
import org.mmemu.scenario.run.Shard;
import org.mmemu.scenario.yaml.ScenarioException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mmemu catalogue [NAME]}: the catalogue of real races (docs/CATALOGUE.md), each run on its
 * buggy kernel (the entry's finding) and on its fix (clean and complete), one line per entry.
 * Exit 0 when every entry holds, 1 when one fails, 4 when one is inconclusive, 2 for bad input.
 */
@Command(name = "catalogue", mixinStandardHelpOptions = true,
        description = {"Run the catalogue of real races: each entry's finding on its buggy kernel, and a clean,"
                + " complete search on its fixed kernel (docs/CATALOGUE.md).",
            "Exit 0 when every entry holds, 1 when one fails (not found on its buggy kernel, or found on its"
                + " fixed one), 4 when one is inconclusive (a search hit its limit first), 2 for bad input."})
final class CatalogueCommand implements Callable<Integer> {
    @ParentCommand
    MmemuCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
            description = "one entry: its name (01-seed-race), catalogue/NAME, or a scenario file with a catalogue:"
                    + " section; default: every entry")
    String name;

    @Option(names = "--list", description = "only list the entries (name, kernels, kind, fix), run nothing")
    boolean list;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON to FILE")
    Path json;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() {
        Context ctx = parent.context();
        OutputPath.check(spec.commandLine(), "--json", json);
        List<Scenario> entries = entries(ctx);
        if (list) {
            entries.forEach(s -> ctx.out.print(CatalogueText.listed(s.catalogue())));
            ctx.out.flush();
            return Main.HELD;
        }
        int count = threads.count(spec.commandLine());
        CatalogueRunner runner = new CatalogueRunner(ctx,
                stop -> org.mmemu.scenario.run.Engines.controlled(stop, Shard.WHOLE, count));
        List<CatalogueReport.Entry> results = new ArrayList<>();
        for (Scenario s : entries) {
            CatalogueReport.Entry e = runner.run(s);
            results.add(e);
            ctx.out.print(CatalogueText.line(e));
            ctx.out.flush();
        }
        writeJson(ctx, new CatalogueReport(results));
        return status(results);
    }

    /** The worst verdict: a failure over an inconclusive entry over one that holds. */
    static int status(List<CatalogueReport.Entry> results) {
        int status = Main.HELD;
        for (CatalogueReport.Entry e : results) {
            if (e.verdict().equals(CatalogueRunner.FAILS)) {
                return 1;
            }
            if (e.verdict().equals(CatalogueRunner.INCONCLUSIVE)) {
                status = 4;
            }
        }
        return status;
    }

    /** The entries {@code name} selects: all shipped ones, one by entry name, or a file. */
    private List<Scenario> entries(Context ctx) {
        List<Scenario> out = new ArrayList<>();
        if (name == null) {
            for (String ref : Shipped.catalogue()) {
                out.add(ctx.scenarios.resolve(ref));
            }
            return out;
        }
        String ref = Shipped.catalogue().contains(Shipped.CATALOGUE + name) ? Shipped.CATALOGUE + name : name;
        Scenario s = ctx.scenarios.resolve(ref);
        if (s.catalogue() == null) {
            throw new ScenarioException(s.source(), "not a catalogue entry: it has no catalogue: section (the"
                    + " entries: " + String.join(", ", Shipped.catalogue().stream()
                    .map(n -> n.substring(Shipped.CATALOGUE.length())).toList()) + ")");
        }
        out.add(s);
        return out;
    }

    private void writeJson(Context ctx, CatalogueReport report) {
        if (json == null) {
            return;
        }
        try {
            ctx.reports.writeJson(json, report);
        } catch (IOException | UncheckedIOException e) {
            throw new ScenarioException(Echo.cut(json.toString()), "cannot write JSON: " + Echo.cut(e.getMessage()));
        }
    }
}
