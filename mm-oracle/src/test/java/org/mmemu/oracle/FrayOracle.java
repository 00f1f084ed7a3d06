package org.mmemu.oracle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.FreeEngine;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.pastalab.fray.core.TestRunner;
import org.pastalab.fray.core.command.Configuration;
import org.pastalab.fray.core.command.ExecutionInfo;
import org.pastalab.fray.core.command.LambdaExecutor;
import org.pastalab.fray.core.command.NetworkDelegateType;
import org.pastalab.fray.core.command.SystemTimeDelegateType;
import org.pastalab.fray.core.randomness.ControlledRandom;
import org.pastalab.fray.core.randomness.Randomness;
import org.pastalab.fray.core.randomness.RandomnessProvider;
import org.pastalab.fray.core.scheduler.PCTScheduler;
import org.pastalab.fray.core.scheduler.POSScheduler;
import org.pastalab.fray.core.scheduler.Scheduler;

/**
 * The independent side of the oracle: a program on mmemu's free engine (one real thread per
 * emulated CPU) with Fray (cmu-pasta/fray) choosing the interleaving, through Fray's programmatic
 * API ({@link TestRunner} over a {@link Configuration}). Must run in Fray's instrumented JVM.
 *
 * <p><b>What Fray controls.</b> Fray's instrumented JDK and agent turn every monitor, park, atomic
 * and volatile access of every thread into a point where its scheduler picks the next thread. The
 * free engine's gate reads a volatile flag before every emulated step and the emulated kernel's
 * shared state is atomics, so Fray may switch CPUs at each emulated step, and also between the
 * Java operations that make up one step: it sees at least every interleaving the controlled
 * engine's {@code anywhere} model sees, and possibly more (which is the point of an oracle).
 *
 * <p><b>Findings.</b> Each iteration boots a fresh machine and runs {@link FreeEngine}; the
 * emulator's detectors record what they see, and the iteration's kinds are read from its result.
 * An iteration that meets a kind not met before throws, so that Fray records it (its replay
 * folder) and stops; the search then goes on from the next random choices in a new Fray session
 * until the budget is spent, so every kind gets a replay of its own. Fray's own deadlock report
 * maps to {@code deadlock}; its step bound ({@link Options#maxSteps}) ends a spinning iteration
 * without a kind.
 *
 * <p><b>Determinism.</b> Fray draws its choices from {@code new Random()} unless told otherwise;
 * here every iteration's {@link ControlledRandom} draws from one {@code Random(seed)}, so a pair's
 * run is the same sequence of schedules each time.
 */
final class FrayOracle {
    /**
     * @param scheduler  {@code pos} or {@code pct} (PCT depth 3, Fray's default)
     * @param seed       seed of Fray's random choices
     * @param budget     iterations to run at least
     * @param awaited    kinds to go on looking for after the budget, until met or {@code awaitLimit}
     * @param awaitLimit the most iterations spent looking for {@code awaited}
     * @param timeoutSec wall-time budget of one Fray session
     * @param maxSteps   Fray scheduling points one iteration may take before it is cut
     * @param reports    folder under which each session writes its report and recording
     */
    record Options(String scheduler, long seed, int budget, Set<String> awaited, int awaitLimit, int timeoutSec,
                   int maxSteps, Path reports) {
        Options {
            awaited = Set.copyOf(awaited);
        }
    }

    /** Fray's choices for one pair, all drawn from one seeded generator. */
    private static final class SeededRandomness implements RandomnessProvider {
        private final Random random;

        SeededRandomness(long seed) {
            this.random = new Random(seed);
        }

        @Override
        public Randomness getRandomness() {
            return new ControlledRandom(new ArrayList<>(), new ArrayList<>(), random);
        }
    }

    /** Thrown by an iteration that met a kind not met before, so that Fray records it. */
    static final class NewKinds extends AssertionError {
        NewKinds(Set<String> kinds, RunResult r) {
            super("mmemu's detectors: " + kinds + (r == null || r.findings().isEmpty() ? "" : "\n" + r.findings().get(0).report()));
        }
    }

    private FrayOracle() {
    }

    /** Runs {@code program} under Fray within {@code o}'s budget. */
    static FrayVerdict run(Program program, Options o) {
        // One run outside Fray's control first: class initialisation (logging's configuration is
        // thousands of monitor operations) must not be scheduled, nor cut by the step bound.
        runOnce(program, new TreeSet<>(), new int[1]);
        long start = System.nanoTime();
        SeededRandomness randomness = new SeededRandomness(o.seed());
        Scheduler scheduler = scheduler(o.scheduler(), randomness.getRandomness());
        TreeSet<String> kinds = new TreeSet<>();
        Map<String, Integer> first = new LinkedHashMap<>();
        Map<String, String> replay = new LinkedHashMap<>();
        int[] stepBound = {0};
        int done = 0;
        int session = 0;
        for (;;) {
            int target = kinds.containsAll(o.awaited()) ? o.budget() : Math.max(o.budget(), o.awaitLimit());
            if (done >= target) {
                break;
            }
            Set<String> met = new TreeSet<>();
            Runnable iteration = () -> {
                met.clear();
                RunResult r = runOnce(program, met, stepBound);
                Set<String> fresh = new TreeSet<>(met);
                fresh.removeAll(kinds);
                if (!fresh.isEmpty()) {
                    throw new NewKinds(fresh, r);
                }
            };
            Path report = o.reports().resolve("session-" + session++);
            Configuration config = configuration(iteration, report, target - done, o.timeoutSec(), scheduler,
                    randomness, o.maxSteps());
            Throwable bug = new TestRunner(config).run();
            int ran = config.getCurrentIteration() + (bug != null ? 1 : 0);
            done += ran;
            if (bug == null) {
                break; // budget or time spent
            }
            if (isDeadlock(bug)) {
                met.add(FindingKind.DEADLOCK.id());
            } else if (!(bug instanceof NewKinds)) {
                throw new IllegalStateException("emulator error under Fray (" + report.resolve("recording") + ")", bug);
            }
            for (String k : met) {
                if (kinds.add(k)) {
                    first.put(k, done);
                    replay.put(k, report.resolve("recording").toString());
                }
            }
            scheduler = scheduler.nextIteration(randomness.getRandomness());
        }
        return new FrayVerdict(o.scheduler(), o.seed(), Collections.unmodifiableSortedSet(kinds),
                Collections.unmodifiableMap(first), Collections.unmodifiableMap(replay), done, stepBound[0],
                (System.nanoTime() - start) / 1_000_000);
    }

    /** One free-engine run; its kinds go into {@code met}. */
    private static RunResult runOnce(Program program, Set<String> met, int[] stepBound) {
        RunResult r;
        try {
            r = new FreeEngine(java.time.Duration.ofHours(1)).run(program);
        } catch (RuntimeException | Error e) {
            if (causedByStepBound(e)) {
                stepBound[0]++;
                return null;
            }
            throw e;
        }
        for (Finding f : r.findings()) {
            met.add(f.kind().id());
        }
        for (Finding w : r.warnings()) {
            met.add(w.kind().id());
        }
        return r;
    }

    static Scheduler scheduler(String name, Randomness r) {
        return switch (name) {
            case "pos" -> new POSScheduler(r);
            case "pct" -> new PCTScheduler(r, 3, 0);
            default -> throw new IllegalArgumentException("Fray scheduler '" + name + "': pos or pct");
        };
    }

    private static Configuration configuration(Runnable iteration, Path report, int iterations, int timeoutSec,
                                               Scheduler scheduler, RandomnessProvider randomness, int maxSteps) {
        ExecutionInfo info = new ExecutionInfo(new LambdaExecutor(() -> {
            iteration.run();
            return kotlin.Unit.INSTANCE;
        }), false, false, maxSteps);
        return new Configuration(info, report, iterations, timeoutSec, scheduler, randomness,
                true,   // fullSchedule
                false,  // exploreMode: stop at the first failing iteration (a new kind)
                true,   // noExitWhenBugFound: return to the caller
                false,  // isReplay
                false,  // noFray
                false,  // dummyRun
                NetworkDelegateType.PROACTIVE, SystemTimeDelegateType.NONE, 100_000L,
                true,   // ignoreTimedBlock: the free engine's timed joins wait until the CPUs end
                true,   // sleepAsYield
                false,  // resetClassLoader: the emulator keeps no static state
                false,  // redirectStdout
                false,  // abortThreadExecutionAfterMainExit
                false,  // resolveRacingOperationStackTraceHash
                null);  // no timeline coverage
    }

    private static boolean isDeadlock(Throwable t) {
        return t.getClass().getName().equals("org.pastalab.fray.runtime.DeadlockException");
    }

    private static boolean causedByStepBound(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getClass().getName().equals("org.pastalab.fray.runtime.LivenessException")) {
                return true;
            }
        }
        return false;
    }
}
