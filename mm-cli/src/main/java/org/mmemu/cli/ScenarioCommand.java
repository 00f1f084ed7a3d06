package org.mmemu.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.mmemu.report.RunReport;
import org.mmemu.scenario.run.Exploration;
import org.mmemu.scenario.run.EngineRunner;
import org.mmemu.scenario.run.Progress;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.scenario.Kernels;
import org.mmemu.scenario.run.KernelProtocols;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.ScheduleFit;
import org.mmemu.scenario.EngineSettings;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.yaml.ScenarioException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * The flow shared by the commands that take a scenario: read it, lay the command line's options
 * over the file's, run it under an engine, print the text report, write the JSON one, and turn
 * the verdict into the exit status (0 held, 1 did not, 4 inconclusive).
 */
abstract class ScenarioCommand implements Callable<Integer> {
    @ParentCommand
    MmemuCommand parent;

    @Mixin
    EngineOptions options;

    Context ctx() {
        return parent.context();
    }

    /** The scenario, with the protocol the command line or the file names. */
    ScenarioProgram program(Scenario s) {
        return program(s, protocolFor(s));
    }

    ScenarioProgram program(Scenario s, String protocol) {
        return new ScenarioProgram(s, protocol, ctx().wiring);
    }

    /**
     * The protocol a program of {@code s} carries: {@code --protocol}, else the file's
     * {@code protocol:}, else the default; on a kernel ({@code --kernel}, else the file's
     * {@code kernel:}) composed with it ({@link KernelProtocols#name}). {@code --kernel} without
     * {@code --protocol} replaces the file's protocol with the kernel's own.
     */
    String protocolFor(Scenario s) {
        String p = options.protocol(ctx().protocols);
        Kernels.Kernel cliKernel = options.kernel();
        if (p == null && cliKernel == null) {
            p = s.machine().protocol();
        }
        Kernels.Kernel kernel = cliKernel != null ? cliKernel
                : s.machine().kernel() != null ? Kernels.byName(s.machine().kernel()) : null;
        if (kernel == null) {
            return p == null ? ProtocolRegistry.DEFAULT : p;
        }
        return onKernel(kernel, p);
    }

    /** {@code protocol} (null: the kernel's own) on {@code kernel}; a composition that cannot be made is exit 2. */
    String onKernel(Kernels.Kernel kernel, String protocol) {
        try {
            return KernelProtocols.name(ctx().protocols, kernel, protocol);
        } catch (IllegalArgumentException e) {
            throw options.bad(e.getMessage());
        }
    }

    /**
     * The file's engine settings under the command line's, defaults filled in, checked: the
     * replay policy needs a schedule, and a schedule must fit the scenario.
     */
    EngineSettings settings(Scenario s) {
        return checked(s, s.engine().overriddenBy(options.settings()).withDefaults());
    }

    /** {@code settings} of scenario {@code s}, checked as {@link #settings(Scenario)} says. */
    EngineSettings checked(Scenario s, EngineSettings settings) {
        if (settings.policy().equals("replay")) {
            if (settings.schedule() == null || settings.schedule().isBlank()) {
                throw options.bad("policy replay needs a schedule: engine: schedule: in the file, or 'mmemu replay FILE"
                        + " --schedule S'");
            }
            try {
                ScheduleFit.check(settings.schedule(), program(s), settings.delays());
            } catch (IllegalArgumentException e) {
                throw new ScenarioException(s.source(), "engine: " + e.getMessage());
            }
        }
        return settings;
    }

    /** Checks the files the command will write (--json, or the file's json:), before anything runs. */
    void checkOutputs(Scenario s) {
        OutputPath.check(options.spec.commandLine(), options.json != null ? "--json" : s.source() + ": json:",
                options.json != null ? options.json : s.json() != null ? Path.of(s.json()) : null);
    }

    /** Runs {@code program} with {@code explorer}, with a progress line when it takes a while. */
    Exploration explore(EngineRunner explorer, ScenarioProgram program, EngineSettings settings) {
        PrintStream progressOut = ctx().progress ? System.err : null;
        try (Progress p = progressOut == null ? Progress.silent()
                : Progress.on(progressOut, program.scenario().name() + " [" + program.protocol() + "]",
                        Progress.stderrIsTerminal())) {
            return explorer.explore(program, settings, p);
        }
    }

    /** Prints the text report, writes JSON if asked, and returns the exit status. */
    int finish(Scenario s, ScenarioProgram program, EngineSettings settings, Exploration e) {
        RunReport r = ctx().reports.report(program, settings, e, shard());
        if (keepsVmstat()) {
            r = r.withVmstat(program.firstRunVmstat().orElse(null));
        }
        ctx().out.print(ctx().reports.text(r, program, e));
        ctx().out.flush();
        writeJson(s, r);
        return r.exitStatus();
    }

    /** The exit status of several reports: a failure over an inconclusive result over a pass. */
    static int worst(List<RunReport> reports) {
        int status = 0;
        for (RunReport r : reports) {
            int x = r.exitStatus();
            status = x == 1 || status == 1 ? 1 : Math.max(status, x);
        }
        return status;
    }

    /** Whether the report carries the first execution's {@code /proc/vmstat} counters ({@code run} does). */
    boolean keepsVmstat() {
        return false;
    }

    /** {@code I/N} when the command runs one shard of a search, else null. */
    String shard() {
        return null;
    }

    void writeJson(Scenario s, Object value) {
        Path json = options.json != null ? options.json : s != null && s.json() != null ? Path.of(s.json()) : null;
        if (json == null) {
            return;
        }
        try {
            ctx().reports.writeJson(json, value);
        } catch (IOException | UncheckedIOException e) {
            throw new ScenarioException(org.mmemu.scenario.Echo.cut(json.toString()), "cannot write JSON: "
                    + org.mmemu.scenario.Echo.cut(e.getMessage()));
        }
    }
}
