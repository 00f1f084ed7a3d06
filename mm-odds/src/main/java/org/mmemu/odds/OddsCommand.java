package org.mmemu.odds;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mmemu.cli.OutputPath;
import org.mmemu.cli.Subcommand;
import org.mmemu.engine.DelayModel;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.report.Reports;
import org.mmemu.scenario.Echo;
import org.mmemu.scenario.Kernels;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.ScenarioLoader;
import org.mmemu.scenario.run.KernelProtocols;
import org.mmemu.scenario.run.KernelWiring;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.Scenarios;
import org.mmemu.scenario.yaml.ScenarioException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mmemu odds FILE [--profile NAME|FILE] [--protocol P] [--fleet N] [--json F] [--html F]}: how often a
 * scenario's findings happen on a real machine (issue 22). It reads the scenario and the timing
 * profile, prints the profile and the time-to-failure inputs, and hands the exact computation to
 * an {@link OddsComputation} found on the class path; with none there it says so and exits 2,
 * rather than print a number it did not compute. {@code --profiles} lists the shipped profiles and
 * {@code --show-profile NAME|FILE} prints one as a file to copy, edit and pass back.
 */
@Command(name = "odds", version = "mmemu 0.1.0", mixinStandardHelpOptions = true,
        description = "How often a scenario's findings happen on a real machine: the effective window W of each kind"
                + " of finding under a timing profile, as an interval, and the mean time to the first finding for one"
                + " machine and a fleet (issue 22). The scenario's interrupts: are ignored; the profile's are used.")
public final class OddsCommand implements Callable<Integer>, Subcommand {
    /** Exit status for bad input, as the command line's. */
    static final int BAD_INPUT = 2;
    /** Exit status when a bound cut the computation. */
    static final int INCONCLUSIVE = 4;
    /** {@code --protocol all}. */
    static final String ALL = "all";

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "a scenario file, or the name of a shipped scenario")
    String scenario;

    @Option(names = "--profile", paramLabel = "NAME|FILE", description = "the timing profile (default: "
            + Profiles.DEFAULT + "; see --profiles)")
    String profile = Profiles.DEFAULT;

    @Option(names = "--protocol", paramLabel = "P", description = "the protocol (default: the scenario's), or all"
            + " for each protocol in turn and a comparison")
    String protocol;

    @Option(names = "--fleet", paramLabel = "N", description = "the machines of a fleet for its time to failure"
            + " (default: 1000000)")
    long fleet = 1_000_000;

    @Option(names = "--json", paramLabel = "F", description = "also write the numbers as JSON to F")
    Path json;

    @Option(names = "--html", paramLabel = "F", description = "also write a page to F: the chart of P(finding | t)"
            + " against the offset CPU's start offset t (cpu0, or the scenario's odds: offset-cpu), the footnote's chain and the W and time-to-failure table")
    Path html;

    @Option(names = "--time-limit", paramLabel = "T", description = "stop the computation after T (500ms, 30s, 2m);"
            + " the answer is then wider and INCOMPLETE")
    String timeLimit;

    @Option(names = "--estimate", paramLabel = "N", description = "also estimate each W with every interrupt, runs with"
            + " two or more included, from N importance-sampled runs (a statistical estimate, not a bound; docs/ODDS.md)")
    long estimate;

    @Option(names = "--seed", paramLabel = "S", description = "the seed of --estimate's draws (default: 1)")
    long seed = 1;

    @Option(names = "--profiles", description = "list the shipped timing profiles")
    boolean listProfiles;

    @Option(names = "--show-profile", paramLabel = "NAME|FILE", description = "print a profile as a file to copy, edit"
            + " and pass back with --profile FILE")
    String showProfile;

    /** Made by picocli, through the service loader's provider type. */
    public OddsCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (listProfiles) {
            for (String n : Profiles.names()) {
                out.printf("%-12s %s%n", n, Profiles.shipped(n).description());
            }
            out.flush();
            return 0;
        }
        if (showProfile != null) {
            Optional<String> shipped = Profiles.text(showProfile);
            out.print(shipped.orElseGet(() -> ProfileWriter.write(Profiles.resolve(showProfile))));
            out.flush();
            return 0;
        }
        if (scenario == null) {
            throw new ParameterException(spec.commandLine(), "missing scenario FILE (or --profiles, --show-profile NAME)");
        }
        if (estimate < 0) {
            throw new ParameterException(spec.commandLine(), "--estimate must be a number of runs, not " + estimate);
        }
        if (fleet < 1) {
            throw new ParameterException(spec.commandLine(), "--fleet must be at least 1, not " + fleet);
        }
        checkOutput("--json", json);
        checkOutput("--html", html);
        Duration limit = limit();
        TimingProfile p = Profiles.resolve(profile);
        ProtocolRegistry protocols = protocols();
        Scenario s = Scenarios.standard(protocols).resolve(scenario);
        List<String> protos = ALL.equals(protocol) ? protocols.names() : List.of(protocolFor(s, protocols));
        out.print(ProfileSummary.text(p));
        out.print(ProfileSummary.inputs(p));
        out.println("t: cpu" + s.odds().offsetCpu() + "'s start offset in cycles, the other CPU starting at 0"
                + " (odds: offset-cpu of the scenario; cpu0 where it names none)");
        if (!s.interrupts().isEmpty()) {
            out.println("note: the scenario's interrupts: (" + s.interrupts().size() + ") are ignored; interrupts come"
                    + " from the profile");
        }
        out.flush();
        List<OddsReport> reports = new ArrayList<>();
        for (String proto : protos) {
            ScenarioProgram program = new ScenarioProgram(s, proto, KernelWiring.standard(protocols));
            OddsRequest request = new OddsRequest(s, List.of(program), p, limit, estimate, seed);
            Optional<OddsComputation> computation = OddsComputation.find(OddsCommand.class.getClassLoader(),
                    DelayModel.IRQ, request);
            if (computation.isEmpty()) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("odds: no computation for delay model " + DelayModel.IRQ + " (the timed model with the"
                        + " profile's interrupts) accepts " + s.name() + " [" + proto + "]: none is registered in"
                        + " META-INF/services/org.mmemu.odds.OddsComputation that computes it (the shipped one takes"
                        + " two CPUs); nothing was computed");
                err.flush();
                return BAD_INPUT;
            }
            long start = System.nanoTime();
            OddsReport report = new OddsReport(s.name(), s.odds().offsetCpu(), p, computation.get().compute(request),
                    fleet);
            out.print(report.text());
            if (protos.size() > 1) {
                out.printf(java.util.Locale.ROOT, "  (%.1f s)%n", (System.nanoTime() - start) / 1e9);
            }
            out.flush();
            reports.add(report);
        }
        if (reports.size() > 1) {
            out.print(OddsReport.compare(reports));
        }
        writeJson(reports);
        writeHtml(reports, out);
        return reports.stream().allMatch(r -> r.result().complete()) ? 0 : INCONCLUSIVE;
    }

    private Duration limit() {
        if (timeLimit == null) {
            return null;
        }
        try {
            return ScenarioLoader.parseDuration(timeLimit);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--time-limit: " + e.getMessage());
        }
    }

    /** The shipped protocols and those of {@code --classpath} (the top command's) and MMEMU_CLASSPATH. */
    private ProtocolRegistry protocols() {
        List<ProtocolRegistry.ClassPath> lists = new ArrayList<>();
        OptionSpec cp = spec.parent() == null ? null : spec.parent().findOption("--classpath");
        if (cp != null && cp.getValue() != null) {
            lists.add(new ProtocolRegistry.ClassPath("--classpath", cp.getValue()));
        }
        lists.add(new ProtocolRegistry.ClassPath("MMEMU_CLASSPATH", System.getenv("MMEMU_CLASSPATH")));
        try {
            return ProtocolRegistry.withClassPath(lists);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** {@code --protocol}, else the file's, else the default; on the file's kernel when it names one. */
    private String protocolFor(Scenario s, ProtocolRegistry protocols) {
        String p = protocol != null ? protocol : s.machine().protocol();
        if (protocol != null && KernelProtocols.find(protocols, protocol).isEmpty()) {
            throw new ParameterException(spec.commandLine(), "unknown protocol '" + Echo.cut(protocol) + "' (one of: "
                    + String.join(", ", protocols.names()) + ")");
        }
        if (s.machine().kernel() == null) {
            return p == null ? ProtocolRegistry.DEFAULT : p;
        }
        try {
            return KernelProtocols.name(protocols, Kernels.byName(s.machine().kernel()), p);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** A file to write that cannot be (a folder, no such directory) is bad input before anything runs: exit 2. */
    private void checkOutput(String option, Path file) {
        String problem = OutputPath.problem(option, file);
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), problem);
        }
    }

    private void writeHtml(List<OddsReport> reports, PrintWriter out) {
        if (html == null) {
            return;
        }
        try {
            OddsPage.write(html, reports);
        } catch (IOException | RuntimeException e) {
            throw new ScenarioException(Echo.cut(html.toString()), "cannot write HTML: " + Echo.cut(e.getMessage()));
        }
        out.println("HTML report: " + html);
        out.flush();
    }

    private void writeJson(List<OddsReport> reports) {
        if (json == null) {
            return;
        }
        try {
            new Reports().writeJson(json, reports.size() == 1 ? reports.get(0).json()
                    : java.util.Map.of("protocols", reports.stream().map(OddsReport::json).toList()));
        } catch (IOException | RuntimeException e) {
            throw new ScenarioException(Echo.cut(json.toString()), "cannot write JSON: " + Echo.cut(e.getMessage()));
        }
    }
}
