package org.mmemu.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.scenario.Kernels;
import org.mmemu.scenario.EngineSettings;
import org.mmemu.scenario.ScenarioLoader;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every scenario command takes. Each may also be given in the file
 * ({@code machine: protocol}, {@code engine: ...}, {@code json:}); the command line wins.
 */
public final class EngineOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--protocol", paramLabel = "P", description = "the refcount/LRU protocol (see 'mmemu protocols')")
    String protocol;

    @Option(names = "--kernel", paramLabel = "V", description = "the kernel the machine runs as, e.g. 2.6.7 or"
            + " 2.6.6+page-freeing-race-fix (see 'mmemu kernels'); without --protocol, the kernel's own protocol")
    String kernel;

    @Option(names = "--policy", paramLabel = "POLICY", description = "dpor | exhaustive | pct | pos | random | replay")
    String policy;

    @Option(names = "--seed", paramLabel = "N", description = "seed of the randomized policies")
    Long seed;

    @Option(names = "--preemption-bound", paramLabel = "N",
            description = "context switches away from a runnable CPU, 0-64, or none")
    String preemptionBound;

    @Option(names = "--delays", paramLabel = "MODEL", description = "irq | anywhere")
    String delays;

    @Option(names = "--skew", paramLabel = "K", description = "the most steps one slip puts a CPU behind (delays irq)")
    Integer skew;

    @Option(names = "--no-merge", description = "the plain irq search: every path, also those that reach a state"
            + " explored already, and no check of the interleavings first (for comparison)")
    boolean noMerge;

    @Option(names = "--max-schedules", paramLabel = "N", description = "the most schedules to run")
    Long maxSchedules;

    @Option(names = "--time-limit", paramLabel = "T", description = "wall-time limit, e.g. 500ms, 30s, 2m")
    String timeLimit;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the result as JSON to FILE")
    Path json;

    /** The options of the controlled engine's search, which the free engine and replay have no use for. */
    static final List<String> SEARCH = List.of("--policy", "--seed", "--preemption-bound", "--delays", "--skew",
            "--max-schedules", "--no-merge");

    /** What {@code run} refuses: it runs one execution. */
    static final List<String> NOT_RUN = List.of("--max-schedules", "--no-merge");
    /** What {@code replay} refuses: it follows one schedule, whose delay model is its own. */
    static final List<String> NOT_REPLAY = List.of("--policy", "--seed", "--preemption-bound", "--skew",
            "--max-schedules", "--no-merge");
    /** What each command refuses whatever else it is given; its help leaves them out. */
    private static final java.util.Map<String, List<String>> NOT_TAKEN = java.util.Map.of("run", NOT_RUN,
            "replay", NOT_REPLAY, "stress", SEARCH);

    /**
     * Hides from {@code sub}'s help the options of this mixin it refuses (see {@link #refuse}): they
     * are still parsed, so that giving one says why it does not apply (exit 2), but help shows
     * each command the options it takes, no more.
     */
    static void hideNotTaken(picocli.CommandLine sub) {
        CommandSpec spec = sub.getCommandSpec();
        for (String name : NOT_TAKEN.getOrDefault(sub.getCommandName(), List.of())) {
            picocli.CommandLine.Model.OptionSpec o = spec.findOption(name);
            if (o != null && !o.hidden()) {
                spec.remove(o);
                spec.addOption(picocli.CommandLine.Model.OptionSpec.builder(o).hidden(true).build());
            }
        }
    }

    /**
     * Refuses (exit 2) each of {@code names} the command line gave: an option that does not apply
     * to a command is an error, never silently ignored. {@code why} says why it does not apply.
     */
    void refuse(String why, List<String> names) {
        var parsed = spec.commandLine().getParseResult();
        for (String n : names) {
            if (parsed != null && parsed.hasMatchedOption(n)) {
                throw bad(n + " does not apply: " + why);
            }
        }
    }

    /** The protocol the command line names, checked against {@code known}, or null. */
    String protocol(ProtocolRegistry known) {
        if (protocol != null && !known.names().contains(protocol)) {
            throw bad("unknown protocol '" + org.mmemu.scenario.Echo.cut(protocol) + "' (expected one of: "
                    + String.join(", ", known.names()) + ")");
        }
        return protocol;
    }

    /** The kernel the command line names, checked (known and mirrored), or null. */
    Kernels.Kernel kernel() {
        if (kernel == null) {
            return null;
        }
        Kernels.Kernel k = Kernels.find(kernel).orElseThrow(() -> bad("unknown kernel '"
                + org.mmemu.scenario.Echo.cut(kernel) + "' (expected one of: " + String.join(", ", Kernels.names()) + ")"));
        if (!k.mirrored()) {
            throw bad("--kernel: " + Kernels.check(k, null).orElseThrow());
        }
        return k;
    }

    /** The engine settings the command line gives (null where it gives none), checked. */
    EngineSettings settings() {
        if (policy != null && !EngineSettings.POLICIES.contains(policy)) {
            throw bad("unknown policy '" + org.mmemu.scenario.Echo.cut(policy) + "' (expected one of: " + String.join(", ", EngineSettings.POLICIES) + ")");
        }
        if (delays != null && !EngineSettings.DELAYS.contains(delays)) {
            throw bad("unknown delay model '" + org.mmemu.scenario.Echo.cut(delays) + "' (expected one of: " + String.join(", ", EngineSettings.DELAYS) + ")");
        }
        Integer bound = null;
        if (preemptionBound != null) {
            try {
                bound = EngineSettings.parseBound(preemptionBound);
            } catch (IllegalArgumentException e) {
                throw bad("--preemption-bound must be between 0 and 64, or none");
            }
        }
        if (skew != null && (skew < 0 || skew > 1 << 16)) {
            throw bad("--skew must be between 0 and 65536");
        }
        if (maxSchedules != null && maxSchedules < 1) {
            throw bad("--max-schedules must be at least 1");
        }
        Duration limit = null;
        if (timeLimit != null) {
            try {
                limit = ScenarioLoader.parseDuration(timeLimit);
            } catch (IllegalArgumentException e) {
                throw bad("--time-limit: " + e.getMessage());
            }
        }
        return new EngineSettings(policy, bound, delays, seed, skew, maxSchedules, limit, null, noMerge ? false : null);
    }

    ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
