package org.mmemu.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.control.Explorer;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.Trace;
import org.mmemu.report.FindingReport;
import org.mmemu.report.RunReport;
import org.mmemu.scenario.EngineSettings;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.yaml.ScenarioException;
import org.mmemu.scenario.Shipped;
import org.mmemu.scenario.run.Engines;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.Shard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/**
 * {@code mmemu merge RESULT...}: the verdict of a search run as shards ({@code explore --shard
 * I/N --json RESULT}) on as many processes or machines. The shards must be the N shards of one
 * search (same scenario, protocol, policy and seed). Counts are summed, the merged search is
 * complete only when every shard is, and each class of finding is the one earliest in the search
 * order across shards, so the merge reads as the unsharded search would. Each finding is
 * replayed from its schedule on this machine, which rebuilds its trace and checks it.
 */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Combine the JSON results of 'explore --shard I/N' into one verdict.")
final class MergeCommand implements Callable<Integer> {
    @ParentCommand
    MmemuCommand parent;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RESULT", description = "the JSON result of each shard")
    List<Path> results;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the merged result as JSON to FILE")
    Path json;

    /** The largest result file read: a shard's JSON is kilobytes; anything this big is a mistake. */
    static final long MAX_RESULT_BYTES = 64L << 20;

    @Override
    public Integer call() {
        Context ctx = parent.context();
        OutputPath.check(spec.commandLine(), "--json", json);
        List<RunReport> shards = new ArrayList<>();
        for (Path p : results) {
            shards.add(read(ctx, p));
        }
        RunReport first = shards.get(0);
        checkOneSearch(shards);
        Scenario s = scenario(ctx, first.file());
        ScenarioProgram program = new ScenarioProgram(s, first.protocol(), ctx.wiring);
        List<ExploreResult> parts = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            try {
                parts.add(rebuild(program, shards.get(i), results.get(i)));
            } catch (IllegalArgumentException e) {
                throw new ScenarioException(results.get(i).toString(), e.getMessage());
            }
        }
        ExploreResult merged = ExploreResult.merge(parts);
        EngineSettings settings = s.engine().overriddenBy(new EngineSettings(first.policy(), null, null, first.seed(),
                null, null, null, null)).withDefaults();
        var exploration = Engines.exploration(program, merged);
        RunReport r = ctx.reports.report(program, settings, exploration);
        ctx.out.print(ctx.reports.text(r, program, exploration));
        ctx.out.flush();
        if (json != null) {
            try {
                ctx.reports.writeJson(json, r);
            } catch (IOException | UncheckedIOException e) {
                throw new ScenarioException(json.toString(), "cannot write JSON: " + e.getMessage());
            }
        }
        return r.exitStatus();
    }

    private static RunReport read(Context ctx, Path p) {
        if (!Files.isRegularFile(p)) {
            throw new ScenarioException(org.mmemu.scenario.Echo.cut(p.toString()), Files.exists(p)
                    ? "not a regular file (a directory, device or FIFO)" : "no such file");
        }
        try {
            if (Files.size(p) > MAX_RESULT_BYTES) {
                throw new ScenarioException(org.mmemu.scenario.Echo.cut(p.toString()), "larger than " + MAX_RESULT_BYTES
                        + " bytes: not a result of 'mmemu explore --json'");
            }
        } catch (IOException e) {
            throw new ScenarioException(org.mmemu.scenario.Echo.cut(p.toString()), "cannot read");
        }
        RunReport r;
        try {
            r = ctx.reports.readReport(p);
        } catch (IOException | RuntimeException e) {
            throw new ScenarioException(p.toString(), "not a result of 'mmemu explore --json': "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (r.search() == null || r.search().shard() == null) {
            throw new ScenarioException(p.toString(), "not the result of one shard ('mmemu explore --shard I/N --json FILE')");
        }
        return r;
    }

    /** The shards must be all N shards of one search, each once. */
    private void checkOneSearch(List<RunReport> shards) {
        RunReport first = shards.get(0);
        Map<Integer, Path> seen = new TreeMap<>();
        int n = -1;
        for (int i = 0; i < shards.size(); i++) {
            RunReport r = shards.get(i);
            Path p = results.get(i);
            Shard shard;
            try {
                shard = Shard.parse(r.search().shard());
            } catch (IllegalArgumentException e) {
                throw new ScenarioException(p.toString(), e.getMessage());
            }
            if (!r.file().equals(first.file()) || !r.protocol().equals(first.protocol())
                    || !r.policy().equals(first.policy()) || r.seed() != first.seed()) {
                throw new ScenarioException(p.toString(), "a shard of another search (" + r.file() + " [" + r.protocol()
                        + ", " + r.policy() + ", seed " + r.seed() + "]) than " + results.get(0) + " ("
                        + first.file() + " [" + first.protocol() + ", " + first.policy() + ", seed " + first.seed() + "])");
            }
            if (n >= 0 && shard.count() != n) {
                throw new ScenarioException(p.toString(), "shard " + shard + " of a search split " + shard.count()
                        + " ways, the others " + n + " ways");
            }
            n = shard.count();
            Path again = seen.put(shard.index(), p);
            if (again != null) {
                throw new ScenarioException(p.toString(), "shard " + shard + " given twice (also " + again + ")");
            }
        }
        for (int i = 1; i <= n; i++) {
            if (!seen.containsKey(i)) {
                throw new ScenarioException(results.get(0).toString(), "shard " + i + "/" + n
                        + " is missing: a merge needs every shard of the search");
            }
        }
    }

    /** The scenario a report names: its file, or the shipped scenario whose label it carries. */
    private static Scenario scenario(Context ctx, String source) {
        for (String name : Shipped.names()) {
            if (Shipped.label(name).equals(source) && !Files.exists(Path.of(source))) {
                return ctx.scenarios.resolve(name);
            }
        }
        return ctx.scenarios.resolve(source);
    }

    /** A shard's result as the explorer gave it, its findings replayed from their schedules. */
    private static ExploreResult rebuild(ScenarioProgram program, RunReport r, Path from) {
        RunReport.Search s = r.search();
        List<Finding> findings = new ArrayList<>();
        List<int[]> keys = new ArrayList<>();
        Trace firstTrace = null;
        for (FindingReport f : r.findings()) {
            RunResult replay = Explorer.replay(program, f.schedule());
            Finding again = replay.findings().stream()
                    .filter(g -> g.kind().id().equals(f.kind()) && String.valueOf(g.site()).equals(f.site()))
                    .findFirst()
                    .orElseThrow(() -> new ScenarioException(from.toString(), "the " + f.kind() + " at " + f.site()
                            + " does not recur when its schedule " + f.schedule() + " is replayed here"));
            findings.add(again.withSchedule(f.schedule()));
            keys.add(f.key().stream().mapToInt(Integer::intValue).toArray());
            if (firstTrace == null) {
                firstTrace = replay.trace();
            }
        }
        ExploreResult.Stats stats = new ExploreResult.Stats(r.policy(), r.schedules(), s.pruned(),
                s.distinctStates(), s.merged(), s.incompleteRuns(),
                s.steps(), r.elapsedMillis(), s.firstFindingMillis(), s.firstFindingSchedules(), r.complete(),
                ExploreResult.Bound.byId(s.incompleteReason()), s.decided(),
                s.preemptionBound() == null ? -1 : s.preemptionBound(), kinds(s.findingCounts()),
                kinds(s.warningCounts()));
        return new ExploreResult(stats, findings, keys, firstTrace);
    }

    private static Map<FindingKind, Long> kinds(Map<String, Long> byId) {
        Map<FindingKind, Long> m = new EnumMap<>(FindingKind.class);
        if (byId != null) {
            byId.forEach((id, n) -> m.put(FindingKind.byId(id), n));
        }
        return m;
    }
}
