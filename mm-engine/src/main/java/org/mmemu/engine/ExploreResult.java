package org.mmemu.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;

/**
 * What an exploration found, and how much of its space it covered.
 *
 * <p>{@link #verdict()} is the one-word answer: {@code FOUND}, {@code NONE} (only when the
 * bounded space was covered completely) or {@code INCOMPLETE} (a bound was hit, or the policy
 * samples): a bound that is hit never reads as "no bug". {@link #incompleteReason()} names the
 * bound; a search its {@link StopRule} ended early is {@link #decided()} rather than complete;
 * and {@link #preemptionBound()} says when "complete" means complete within a preemption bound.
 *
 * <p>Counts ({@link Stats}) are the work done: a search that deepens its bound sums them over
 * its rounds, shards sum them over the shards.
 *
 * <p>Findings are one per class (kind and site), the earliest of each in the search order, each
 * with its shrunk schedule; the trace is that of the earliest finding, replayed from its shrunk
 * schedule. Results of the shards of one search {@link #merge} into the unsharded result.
 */
public final class ExploreResult {
    /** The one-word answer. */
    public enum Verdict { FOUND, NONE, INCOMPLETE }

    /** A bound whose hit leaves the space not covered. */
    public enum Bound {
        /** The wall-time limit of the exploration. */
        TIME_LIMIT("time-limit", "time limit"),
        /** The cap on executions, or the sample size of a sampling policy. */
        MAX_SCHEDULES("max-schedules", "schedule limit"),
        /** The step bound of one execution: nothing is known of what would have followed. */
        MAX_STEPS("max-steps", "step bound of one execution");

        private final String id;
        private final String words;

        Bound(String id, String words) {
            this.id = id;
            this.words = words;
        }

        /** As JSON writes it, e.g. {@code time-limit}. */
        public String id() {
            return id;
        }

        /** For a person, e.g. {@code time limit}. */
        public String words() {
            return words;
        }

        /** The bound with id {@code id}, or null. */
        public static Bound byId(String id) {
            for (Bound b : values()) {
                if (b.id.equals(id)) {
                    return b;
                }
            }
            return null;
        }
    }

    /**
     * The numbers of an exploration, as JSON carries them between processes.
     *
     * @param policy                the policy's name
     * @param schedules             executions run to their end, over every round
     * @param pruned                executions abandoned by partial-order reduction or state merging
     * @param distinctStates        states the merging search recorded (shards: summed, each merges
     *                              within its own part); 0 without merging
     * @param merged                executions cut because their state had been explored (counted in
     *                              {@code pruned} too)
     * @param incompleteRuns        executions cut short by the step bound or the time limit
     * @param steps                 rows taken by all executions, pruned ones included
     * @param elapsedMillis         wall time of the whole exploration (every round, shrinking included)
     * @param firstFindingMillis    wall time to the end of the first execution with a finding; -1 without
     * @param firstFindingSchedules how many schedules had run then, that one included; -1 without
     * @param complete              the (bounded) space was covered
     * @param incompleteReason      the bound that kept it from being covered, or null
     * @param decided               the stop rule ended the search before it covered the space
     * @param preemptionBound       the preemption bound that cut options from the search (so
     *                              "complete" means within it), or -1 when none did
     * @param countsByKind          per kind, executions with a finding of that kind
     * @param warningCounts         per kind, executions with a warning of that kind
     */
    public record Stats(String policy, long schedules, long pruned, long distinctStates, long merged,
                        long incompleteRuns, long steps,
                        long elapsedMillis, long firstFindingMillis, long firstFindingSchedules, boolean complete,
                        Bound incompleteReason, boolean decided, int preemptionBound,
                        Map<FindingKind, Long> countsByKind, Map<FindingKind, Long> warningCounts) {
        public Stats {
            countsByKind = unmodifiable(countsByKind);
            warningCounts = unmodifiable(warningCounts);
            if (complete) {
                incompleteReason = null;
                decided = false;
            }
        }

        private static Map<FindingKind, Long> unmodifiable(Map<FindingKind, Long> m) {
            EnumMap<FindingKind, Long> c = new EnumMap<>(FindingKind.class);
            c.putAll(m);
            return Collections.unmodifiableMap(c);
        }
    }

    private final Stats stats;
    private final List<Finding> findings;
    private final List<int[]> keys;
    private final Trace firstTrace;

    /**
     * A result from its parts: what {@link org.mmemu.engine.control.Explorer} builds, and what a tool that carried a
     * shard's result between processes rebuilds before {@link #merge}.
     *
     * @param keys each finding's position in the search order (same length as {@code findings})
     */
    public ExploreResult(Stats stats, List<Finding> findings, List<int[]> keys, Trace firstTrace) {
        if (findings.size() != keys.size()) {
            throw new IllegalArgumentException(findings.size() + " findings but " + keys.size() + " keys");
        }
        this.stats = stats;
        this.findings = List.copyOf(findings);
        this.keys = keys.stream().map(int[]::clone).toList();
        this.firstTrace = firstTrace;
    }

    /** The numbers, as one value. */
    public Stats stats() {
        return stats;
    }

    public String policy() {
        return stats.policy();
    }

    /** Executions run to their end (by completion, a finding, a deadlock or a bound), over every round. */
    public long schedules() {
        return stats.schedules();
    }

    /** Executions abandoned by partial-order reduction as covered by others. */
    public long pruned() {
        return stats.pruned();
    }

    /** Executions cut short by the step bound or the time limit. */
    public long incompleteRuns() {
        return stats.incompleteRuns();
    }

    /** Rows taken by all executions, pruned ones included (for throughput figures). */
    public long steps() {
        return stats.steps();
    }

    /**
     * Whether the bounded space was covered completely (only an exhaustive search can); within
     * {@link #preemptionBound()} when that is not -1.
     */
    public boolean complete() {
        return stats.complete();
    }

    /** The bound that kept the search from covering its space, or null (complete, or decided without one). */
    public Bound incompleteReason() {
        return stats.incompleteReason();
    }

    /** Whether the stop rule ended the search, its question answered, before it covered the space. */
    public boolean decided() {
        return stats.decided();
    }

    /** The preemption bound that cut options from the search, or -1 when none did. */
    public int preemptionBound() {
        return stats.preemptionBound();
    }

    /** Wall time of the whole exploration. */
    public long elapsedMillis() {
        return stats.elapsedMillis();
    }

    /** Wall time to the first execution with a finding, or -1 without findings. */
    public long firstFindingMillis() {
        return stats.firstFindingMillis();
    }

    /** Schedules run up to and including the first with a finding, or -1 without findings. */
    public long firstFindingSchedules() {
        return stats.firstFindingSchedules();
    }

    /** One finding per kind and site, earliest in search order first, each with its shrunk schedule. */
    public List<Finding> findings() {
        return findings;
    }

    /** Each finding's position in the search order (copies). */
    public List<int[]> keys() {
        return keys.stream().map(int[]::clone).toList();
    }

    /** The trace of the first finding, replayed from its shrunk schedule; null without findings. */
    public Trace firstTrace() {
        return firstTrace;
    }

    /** Per kind, how many executions had a finding of that kind. */
    public Map<FindingKind, Long> countsByKind() {
        return stats.countsByKind();
    }

    /**
     * Per kind, how many executions (pruned ones not counted) raised a warning of that kind,
     * whether or not they also had a finding: e.g. {@code REFCOUNT_FROM_ZERO} in a clean
     * verdict shows that a get from zero happened and the protocol survived it.
     */
    public Map<FindingKind, Long> warningCounts() {
        return stats.warningCounts();
    }

    /** The kinds found. */
    public Set<FindingKind> kinds() {
        Set<FindingKind> s = EnumSet.noneOf(FindingKind.class);
        findings.forEach(f -> s.add(f.kind()));
        return s;
    }

    public Verdict verdict() {
        return !findings.isEmpty() ? Verdict.FOUND : complete() ? Verdict.NONE : Verdict.INCOMPLETE;
    }

    /**
     * This round of a deepening search followed by the {@code later} one: counts summed, the
     * first finding and the findings of this round first (found with fewer preemptions), then
     * the classes only {@code later} found; coverage as {@code later} says.
     */
    public ExploreResult then(ExploreResult later) {
        Stats a = stats;
        Stats b = later.stats;
        boolean firstHere = a.firstFindingSchedules() >= 0;
        Stats s = new Stats(a.policy(), a.schedules() + b.schedules(), a.pruned() + b.pruned(),
                a.distinctStates() + b.distinctStates(), a.merged() + b.merged(),
                a.incompleteRuns() + b.incompleteRuns(), a.steps() + b.steps(),
                Math.max(a.elapsedMillis(), b.elapsedMillis()),
                firstHere ? a.firstFindingMillis() : b.firstFindingMillis(),
                firstHere ? a.firstFindingSchedules()
                        : b.firstFindingSchedules() < 0 ? -1 : a.schedules() + b.firstFindingSchedules(),
                b.complete(), b.incompleteReason(), b.decided(), b.preemptionBound(),
                sum(a.countsByKind(), b.countsByKind()), sum(a.warningCounts(), b.warningCounts()));
        List<Finding> fs = new ArrayList<>(findings);
        List<int[]> ks = new ArrayList<>(keys);
        Set<String> classes = new java.util.HashSet<>();
        findings.forEach(f -> classes.add(classOf(f)));
        for (int i = 0; i < later.findings.size(); i++) {
            if (classes.add(classOf(later.findings.get(i)))) {
                fs.add(later.findings.get(i));
                ks.add(later.keys.get(i));
            }
        }
        return new ExploreResult(s, fs, ks, firstTrace != null ? firstTrace : later.firstTrace);
    }

    /** This result with its coverage restated (by the explorer, which knows why it stopped). */
    public ExploreResult withCoverage(boolean complete, Bound reason, boolean decided, long elapsedMillis) {
        Stats a = stats;
        return new ExploreResult(new Stats(a.policy(), a.schedules(), a.pruned(), a.distinctStates(), a.merged(),
                a.incompleteRuns(), a.steps(),
                elapsedMillis, a.firstFindingMillis(), a.firstFindingSchedules(), complete, reason, decided,
                a.preemptionBound(), a.countsByKind(), a.warningCounts()), findings, keys, firstTrace);
    }

    private static Map<FindingKind, Long> sum(Map<FindingKind, Long> a, Map<FindingKind, Long> b) {
        Map<FindingKind, Long> m = new EnumMap<>(FindingKind.class);
        a.forEach((k, v) -> m.merge(k, v, Long::sum));
        b.forEach((k, v) -> m.merge(k, v, Long::sum));
        return m;
    }

    /**
     * The result of the whole search from the results of its shards (each shard's findings are
     * the earliest of their class within the shard, so the earliest across shards is the
     * unsharded search's). Complete only when every shard is; counts summed; times are the
     * longest shard's (shards run side by side), the first finding the earliest one's.
     */
    public static ExploreResult merge(List<ExploreResult> parts) {
        long schedules = 0;
        long pruned = 0;
        long distinct = 0;
        long merged = 0;
        long incomplete = 0;
        long steps = 0;
        long elapsed = 0;
        long firstMillis = -1;
        long firstSchedules = -1;
        boolean complete = !parts.isEmpty();
        boolean decided = false;
        Bound reason = null;
        int bound = -1;
        Map<FindingKind, Long> counts = new EnumMap<>(FindingKind.class);
        Map<FindingKind, Long> warns = new EnumMap<>(FindingKind.class);
        Map<String, Integer> byClass = new LinkedHashMap<>();
        List<Finding> fs = new ArrayList<>();
        List<int[]> ks = new ArrayList<>();
        Trace first = null;
        int[] firstKey = null;
        for (ExploreResult r : parts) {
            Stats s = r.stats;
            schedules += s.schedules();
            pruned += s.pruned();
            distinct += s.distinctStates();
            merged += s.merged();
            incomplete += s.incompleteRuns();
            steps += s.steps();
            elapsed = Math.max(elapsed, s.elapsedMillis());
            if (s.firstFindingMillis() >= 0 && (firstMillis < 0 || s.firstFindingMillis() < firstMillis)) {
                firstMillis = s.firstFindingMillis();
                firstSchedules = s.firstFindingSchedules();
            }
            complete &= s.complete();
            decided |= s.decided();
            if (s.incompleteReason() != null && (reason == null || s.incompleteReason().ordinal() < reason.ordinal())) {
                reason = s.incompleteReason();
            }
            bound = Math.max(bound, s.preemptionBound());
            s.countsByKind().forEach((k, v) -> counts.merge(k, v, Long::sum));
            s.warningCounts().forEach((k, v) -> warns.merge(k, v, Long::sum));
            for (int i = 0; i < r.findings.size(); i++) {
                Finding f = r.findings.get(i);
                int[] key = r.keys.get(i);
                String cls = classOf(f);
                Integer at = byClass.get(cls);
                if (at == null) {
                    byClass.put(cls, fs.size());
                    fs.add(f);
                    ks.add(key);
                } else if (Arrays.compare(key, ks.get(at)) < 0) {
                    fs.set(at, f);
                    ks.set(at, key);
                }
            }
            if (!r.keys.isEmpty() && (firstKey == null || Arrays.compare(r.keys.get(0), firstKey) < 0)) {
                firstKey = r.keys.get(0);
                first = r.firstTrace;
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < fs.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Arrays.compare(ks.get(a), ks.get(b)));
        List<Finding> sortedF = new ArrayList<>();
        List<int[]> sortedK = new ArrayList<>();
        for (int i : order) {
            sortedF.add(fs.get(i));
            sortedK.add(ks.get(i));
        }
        String policy = parts.isEmpty() ? "" : parts.get(0).policy();
        Stats s = new Stats(policy, schedules, pruned, distinct, merged, incomplete, steps, elapsed, firstMillis, firstSchedules,
                complete, reason, decided, bound, counts, warns);
        return new ExploreResult(s, sortedF, sortedK, first);
    }

    /** Findings of one class are reported once: the same kind at the same site. */
    public static String classOf(Finding f) {
        return f.kind().id() + "@" + f.site();
    }

    @Override
    public String toString() {
        String coverage = complete() ? "complete" + (preemptionBound() >= 0 ? " within bound " + preemptionBound() : "")
                : decided() ? "stopped: verdict decided" + (incompleteReason() == null ? "" : ", " + incompleteReason().id() + " hit")
                : "INCOMPLETE: " + (incompleteReason() == null ? "" : incompleteReason().id() + " hit");
        return verdict() + ": " + policy() + ", " + schedules() + " schedules (" + pruned() + " pruned, "
                + (stats.distinctStates() > 0 ? stats.distinctStates() + " states, " + stats.merged() + " merged, " : "")
                + incompleteRuns() + " cut short), " + coverage + ", " + elapsedMillis() + " ms, findings "
                + countsByKind() + ", warnings " + warningCounts();
    }
}
