package org.mmemu.odds.exact;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.control.Explorer;
import org.mmemu.odds.Interval;
import org.mmemu.odds.OddsComputation;
import org.mmemu.odds.OddsRequest;
import org.mmemu.odds.OddsResult;
import org.mmemu.odds.ReleasePath;
import org.mmemu.odds.SampledWindow;
import org.mmemu.odds.TimingProfile;
import org.mmemu.odds.WindowCurve;
import org.mmemu.scenario.OpCall;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.run.ScenarioProgram;

/**
 * The exact odds of a two-CPU scenario (issue 22, item 2), registered for {@code mmemu odds}.
 *
 * <p>Two searches. First the controlled engine's complete search under the {@code anywhere} delay
 * model (any CPU may be delayed at any step, which covers every timing there is): a kind it never
 * finds cannot happen under any profile, and its W is an exact 0. Then the {@link Sweep} of the
 * timed model for the kinds that can happen: W with no and with one interrupt enumerated exactly,
 * and the mass of runs with two or more interrupts added to the upper end. docs/ODDS.md, "Method".
 */
public final class ExactOdds implements OddsComputation {
    /** Without a time limit, the sweep gives up after this long (and says so). */
    static final Duration DEFAULT_LIMIT = Duration.ofMinutes(2);
    /** The most steps a kind's curve keeps for the report (more are averaged): enough for a chart. */
    static final int CURVE_STEPS = 400;

    /** Made by the service loader. */
    public ExactOdds() {
    }

    @Override
    public String name() {
        return "exact";
    }

    @Override
    public DelayModel delayModel() {
        return DelayModel.IRQ;
    }

    @Override
    public boolean accepts(OddsRequest request) {
        return request.scenario().machine().cpus() == 2 && request.profile().cpus() >= 2
                && request.programs().size() == 1;
    }

    @Override
    public OddsResult compute(OddsRequest request) {
        ScenarioProgram program = request.programs().get(0);
        int offsetCpu = program.scenario().odds().offsetCpu();
        int releaser = releaser(program.scenario(), offsetCpu);
        TimingProfile profile = request.profile();
        Duration limit = request.timeLimit() == null ? DEFAULT_LIMIT : request.timeLimit();
        long deadline = System.nanoTime() + limit.toNanos();
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(workers + 1, r -> {
            Thread t = new Thread(r, "odds");
            t.setDaemon(true);
            return t;
        });
        ExploreResult any;
        SweepTotals tot;
        List<SampledWindow> sampled = List.of();
        try {
            // first the search with arbitrary delays (a clean protocol needs nothing more), then the sweep
            Future<ExploreResult> search = pool.submit(() -> Explorer.explore(program, ExploreOptions.defaults()
                    .withPolicy("dpor").withDelays(DelayModel.ANYWHERE).withPreemptionBound(-1).withStopAtFirst(false).withShrink(false)
                    .withTimeLimit(limit)));
            any = search.get();
            if (any.complete() && any.kinds().isEmpty()) {
                return new OddsResult(program.protocol(), List.of(), true, "", List.of("no finding under any timing:"
                        + " the complete search with arbitrary delays (" + any.schedules() + " schedules) finds none, so"
                        + " W = 0 exactly for every kind"));
            }
            SweepSetup setup = new SweepSetup(program, 2, profile.costs().costTable(), offsetCpu, releaser, profile,
                    deadline, 100_000);
            tot = ParallelSweep.run(setup, pool, workers);
            if (request.estimateRuns() > 0 && !tot.timedOut) {
                sampled = ImportanceSampling.run(setup, tot, request.estimateRuns(), request.seed(), pool, workers);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the search with arbitrary delays failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        boolean searched = any.complete();
        Set<String> possible = new TreeSet<>();
        any.kinds().forEach(k -> possible.add(k.id()));
        List<String> notes = new ArrayList<>();
        possible.addAll(tot.windows.keySet());
        Interval cut = tot.moreArrivals.value().plusCutTail(tot.unknown.value());
        boolean complete = searched && !tot.timedOut;
        List<OddsResult.FindingOdds> findings = new ArrayList<>();
        ReleasePath path = pathOf(program);
        for (String kind : possible) {
            Interval enumerated = tot.windows.containsKey(kind) ? tot.windows.get(kind).value() : Interval.ZERO;
            if (tot.timedOut) {
                enumerated = Interval.of(enumerated.lo(), Double.POSITIVE_INFINITY);
            }
            findings.add(new OddsResult.FindingOdds(kind, enumerated.plusCutTail(cut), path, enumerated,
                    WindowCurve.of(tot.curve.getOrDefault(kind, List.of()), CURVE_STEPS)));
        }
        if (findings.isEmpty() && !complete) {
            // cut before any kind was known: say that anything may happen, rather than nothing
            Interval unknown = Interval.of(0, Double.POSITIVE_INFINITY);
            findings.add(new OddsResult.FindingOdds("any", unknown, ReleasePath.ANY, unknown));
        }
        notes.add(String.format(Locale.ROOT, "enumerated: %d runs; %d classes of t without an interrupt, %d classes"
                + " of (t, u) with one; %s", tot.runs, tot.noInterruptClasses, tot.interruptClasses,
                searched ? "the search with arbitrary delays (" + any.schedules() + " schedules) bounds the kinds"
                        : "the search with arbitrary delays was cut, so kinds it did not reach may be missing"));
        notes.add("two or more interrupts in one run are not enumerated: where the CPUs meet without an interrupt,"
                + " each run with one adds the probability that it takes another, and where they do not, the handler"
                + " time that could bring them together; together at most " + cut.shortText()
                + " cycles on each upper end");
        if (profile.jitter() != null) {
            notes.add(String.format(Locale.ROOT, "jitter (+%d cycles with probability %s per step) is not modelled:"
                    + " every W above is for the profile's costs without it", profile.jitter().extraCycles(),
                    profile.jitter().probability()));
        }
        if (!any.kinds().isEmpty() || !tot.windows.isEmpty()) {
            notes.addAll(Chain.lines(tot, profile, releaser));
        }
        if (request.estimateRuns() > 0) {
            long done = sampled.isEmpty() ? 0 : sampled.get(0).runs();
            if (done < request.estimateRuns()) {
                notes.add(done > 0 ? "the estimate was cut by the time limit after " + done + " of "
                        + request.estimateRuns() + " runs" : "no estimate: the time limit came first, or no run found"
                        + " anything");
            }
        }
        String reason = tot.timedOut ? "time limit " + limit : searched ? "" : "search with arbitrary delays cut";
        return new OddsResult(program.protocol(), findings, complete, reason, notes, sampled);
    }

    /**
     * The release path of the releaser's program (the first CPU whose program releases a page): a
     * pagevec release, a plain one, or any.
     */
    static ReleasePath pathOf(ScenarioProgram program) {
        Scenario s = program.scenario();
        return pathOf(s.program(releaser(s, s.odds().offsetCpu())));
    }

    /** The first CPU whose program releases a page (the footnote's "A"), or {@code otherwise}. */
    static int releaser(Scenario s, int otherwise) {
        for (int c = 0; c < s.machine().cpus(); c++) {
            if (pathOf(s.program(c)) != ReleasePath.ANY) {
                return c;
            }
        }
        return otherwise;
    }

    private static ReleasePath pathOf(List<OpCall> program) {
        for (OpCall op : program) {
            if (op.name().contains("pagevec")) {
                return ReleasePath.PAGEVEC_FIRST;
            }
            if (op.name().equals("page_cache_release") || op.name().equals("put_page")) {
                return ReleasePath.PLAIN;
            }
        }
        return ReleasePath.ANY;
    }
}
