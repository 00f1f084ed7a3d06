package org.mmemu.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mmemu.lru.LruProtocol;
import org.mmemu.report.RunReport;
import org.mmemu.scenario.run.Exploration;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.Verdict;
import org.mmemu.scenario.EngineSettings;
import org.mmemu.scenario.Scenario;
import picocli.CommandLine.Command;

/**
 * {@code mmemu demo}: the seed race under every protocol (or the one {@code --protocol} names),
 * the verdict of each, and for {@code mm1} the two-column trace of the double free (the race is
 * told in docs/RACE.md). Each protocol gets a time bound ({@link #PER_PROTOCOL}, or
 * {@code --time-limit}); a verdict reached with the bound hit says so. count-one's answer to the
 * race is not "clean" but "a leak, mopped up": that is shown with its own two scenarios (two
 * concurrent releases; the reclaim pass over the orphan). Each protocol is judged by its own
 * expectation in the seed-race scenario ({@code expect: {mm1: [double-free], ...}}); the exit
 * status is the worst of them (0 all held, 1 one failed, 4 one was inconclusive).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "The seed race under every protocol, with mm1's trace of the double free.")
final class DemoCommand extends ScenarioCommand {
    /** The default bound on each protocol's exploration. */
    static final Duration PER_PROTOCOL = Duration.ofSeconds(15);

    @picocli.CommandLine.Mixin
    HtmlOption html;

    @picocli.CommandLine.Mixin
    ThreadsOption threads;

    @Override
    public Integer call() {
        options.refuse("demo runs each protocol on its own kernel (try: mmemu explore seed-race --kernel V)",
                List.of("--kernel"));
        String named = options.protocol(ctx().protocols);
        List<String> protocols = named != null ? List.of(named) : ctx().protocols.names();
        html.check(options.spec.commandLine());
        threads.count(options.spec.commandLine());
        OutputPath.check(options.spec.commandLine(), "--json", options.json);
        Scenario s = ctx().scenarios.resolve("seed-race");
        EngineSettings settings = checked(s, s.engine().overriddenBy(new EngineSettings(null, null, null, null, null,
                null, PER_PROTOCOL, null)).overriddenBy(options.settings()).withDefaults());
        ctx().out.print(TextTable.wrap(String.format("The seed race (akpm, linux-kernel, August 2002; docs/RACE.md):"
                + " cpu0 runs __pagevec_release(P), cpu1 runs shrink_cache, an interrupt of %s on cpu0. Controlled"
                + " engine, %s, %s delays, preemption bound %d, at most %ds per protocol.",
                s.interrupts().values().stream().map(d -> d.handler().isEmpty() ? d.steps() + " steps" : "a handler")
                        .findFirst().orElse("none"),
                settings.policy(), settings.delays(), settings.preemptionBound(), settings.timeLimit().toSeconds()), "")
                + String.format("%n%n"));
        ctx().out.flush();
        List<RunReport> rows = new ArrayList<>();
        List<String> boundHit = new ArrayList<>();
        RunReport mm1 = null;
        ScenarioProgram mm1Program = null;
        Exploration mm1Exploration = null;
        int status = 0;
        for (LruProtocol lp : ctx().protocols.all()) {
            String protocol = lp.name();
            if (!protocols.contains(protocol)) {
                continue;
            }
            ScenarioProgram p = program(s, protocol);
            Exploration e = explore(threads.controlled(options.spec.commandLine()), p, settings);
            RunReport r = ctx().reports.report(p, settings, e);
            rows.add(r);
            html.add(p, e);
            status = worseOf(status, judge(s, lp, r));
            if (!e.complete() && e.findings().isEmpty()) {
                boundHit.add(protocol + " (" + String.format("%,d", e.schedules()) + " schedules in "
                        + e.elapsedMillis() / 1000 + "s)");
            }
            if (protocol.equals(ProtocolRegistry.DEFAULT)) {
                mm1 = r;
                mm1Program = p;
                mm1Exploration = e;
            }
        }
        ctx().out.print(CompareTable.format(rows, rows));
        if (!boundHit.isEmpty()) {
            ctx().out.println(TextTable.wrap("time bound hit, space not fully covered: " + String.join(", ", boundHit)
                    + " (raise --time-limit to cover it)", "  "));
        }
        for (String note : notes) {
            ctx().out.println(TextTable.wrap("note: " + note, "  "));
        }
        for (LruProtocol lp : ctx().protocols.all()) {
            if (lp.leavesZeroCountPages() && protocols.contains(lp.name())) {
                status = worseOf(status, zeroCountPages(lp.name()));
            }
        }
        if (mm1 != null) {
            ctx().out.println();
            ctx().out.println("mm1, the interleaving of the double free (cpu0 = the releaser, CPU A of the mail;"
                    + " cpu1 = shrink_cache, CPU B):");
            ctx().out.print(ctx().reports.text(mm1, mm1Program, mm1Exploration));
        }
        ctx().out.flush();
        writeJson(null, rows);
        html.write(ctx(), "mmemu demo", s.name());
        return status;
    }

    /**
     * The exit status of one protocol's row: by the seed-race file's expectation, as every
     * command judges (README's exit-status table), so that demo and explore of the same protocol
     * agree. A protocol added from a jar that the file does not name is judged by the file's
     * {@code default:}; when what the protocol declares of the seed race differs, a line says so
     * and how to judge it by its declaration instead.
     */
    private int judge(Scenario s, LruProtocol lp, RunReport r) {
        boolean declaredDoubleFree = lp.expectedOnSeedRace().doubleFree();
        boolean fileDoubleFree = s.expect().of(lp.name()).stream().anyMatch(k -> k.id().equals("double-free"));
        if (!s.expect().names(lp.name()) && declaredDoubleFree != fileDoubleFree) {
            notes.add(lp.name() + " declares " + (declaredDoubleFree ? "a double free" : "no double free")
                    + " on the seed race, but seed-race.yaml does not name it, so its default "
                    + org.mmemu.scenario.Expectations.ids(s.expect().of(lp.name())) + " judges it; to judge it by its"
                    + " declaration, explore a copy of seed-race.yaml whose expect: gives '" + lp.name() + ": "
                    + (declaredDoubleFree ? "[double-free]" : "[]") + "'");
        }
        return r.exitStatus();
    }

    private final List<String> notes = new ArrayList<>();

    private static int worseOf(int a, int b) {
        return a == 1 || b == 1 ? 1 : Math.max(a, b);
    }

    /**
     * A protocol that leaves zero-count pages (count-one) frees once under the seed race; its
     * price is the case of two concurrent releases: a zero-ref page left on the LRU, which the
     * next reclaim pass frees. Prints both.
     */
    private int zeroCountPages(String protocol) {
        int status = 0;
        ctx().out.println();
        ctx().out.println(protocol + ": no double free, but two concurrent releases can leave P on the LRU with count 0:");
        for (String name : List.of("count-one-two-releases", "count-one-mop-up")) {
            Scenario c = ctx().scenarios.resolve(name);
            EngineSettings st = c.engine().overriddenBy(new EngineSettings(null, null, null, null, null, null,
                    PER_PROTOCOL, null)).overriddenBy(options.settings()).withDefaults();
            ScenarioProgram p = program(c, protocol);
            Exploration e = explore(threads.controlled(options.spec.commandLine()), p, st);
            Verdict v = Verdict.of(p.expect(), e);
            status = worseOf(status, v.outcome().exitStatus());
            html.add(protocol + ": " + name, p, e, true);
            ctx().out.printf("  %-24s %s; %,d schedules, %s%n", name,
                    e.findings().isEmpty() ? "no findings" : "found " + String.join(", ",
                            e.findings().stream().map(f -> f.kind().id()).distinct().toList()),
                    e.schedules(), e.complete() ? "space covered" : "space NOT covered (time bound hit)");
        }
        return status;
    }
}
