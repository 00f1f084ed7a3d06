package org.mmemu.core.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;

/**
 * What an exploration found, and how much of its space it covered.
 *
 * <p>{@link #verdict()} is the one-word answer: {@code FOUND}, {@code NONE} (only when the
 * bounded space was covered completely) or {@code INCOMPLETE} (a bound was hit, or the policy
 * samples): a bound that is hit never reads as "no bug".
 *
 * <p>Findings are one per class (kind and site), the earliest of each in the search order, each
 * with its shrunk schedule; the trace is that of the earliest finding, replayed from its shrunk
 * schedule. Results of the shards of one search {@link #merge} into the unsharded result.
 */
public final class ExploreResult {
    /** The one-word answer. */
    public enum Verdict { FOUND, NONE, INCOMPLETE }

    private final String policy;
    private final long schedules;
    private final long pruned;
    private final long incompleteRuns;
    private final long steps;
    private final boolean complete;
    private final long elapsedMillis;
    private final List<Finding> findings;
    private final List<int[]> keys;
    private final Trace firstTrace;
    private final Map<FindingKind, Long> countsByKind;
    private final Map<FindingKind, Long> warningCounts;

    ExploreResult(String policy, long schedules, long pruned, long incompleteRuns, long steps, boolean complete,
                  long elapsedMillis, List<Finding> findings, List<int[]> keys, Trace firstTrace,
                  Map<FindingKind, Long> countsByKind, Map<FindingKind, Long> warningCounts) {
        this.policy = policy;
        this.schedules = schedules;
        this.pruned = pruned;
        this.incompleteRuns = incompleteRuns;
        this.steps = steps;
        this.complete = complete;
        this.elapsedMillis = elapsedMillis;
        this.findings = List.copyOf(findings);
        this.keys = List.copyOf(keys);
        this.firstTrace = firstTrace;
        EnumMap<FindingKind, Long> m = new EnumMap<>(FindingKind.class);
        m.putAll(countsByKind);
        this.countsByKind = Collections.unmodifiableMap(m);
        EnumMap<FindingKind, Long> w = new EnumMap<>(FindingKind.class);
        w.putAll(warningCounts);
        this.warningCounts = Collections.unmodifiableMap(w);
    }

    public String policy() {
        return policy;
    }

    /** Executions run to their end (by completion, a finding, a deadlock or a bound). */
    public long schedules() {
        return schedules;
    }

    /** Executions abandoned by partial-order reduction as covered by others. */
    public long pruned() {
        return pruned;
    }

    /** Executions cut short by the step bound or the time limit. */
    public long incompleteRuns() {
        return incompleteRuns;
    }

    /** Rows taken by all executions, pruned ones included (for throughput figures). */
    public long steps() {
        return steps;
    }

    /** Whether the bounded space was covered completely (only an exhaustive search can). */
    public boolean complete() {
        return complete;
    }

    public long elapsedMillis() {
        return elapsedMillis;
    }

    /** One finding per kind and site, earliest in search order first, each with its shrunk schedule. */
    public List<Finding> findings() {
        return findings;
    }

    /** The trace of the first finding, replayed from its shrunk schedule; null without findings. */
    public Trace firstTrace() {
        return firstTrace;
    }

    /** Per kind, how many executions had a finding of that kind. */
    public Map<FindingKind, Long> countsByKind() {
        return countsByKind;
    }

    /**
     * Per kind, how many executions (pruned ones not counted) raised a warning of that kind,
     * whether or not they also had a finding: e.g. {@code REFCOUNT_FROM_ZERO} in a clean
     * verdict shows that a get from zero happened and the protocol survived it.
     */
    public Map<FindingKind, Long> warningCounts() {
        return warningCounts;
    }

    public Verdict verdict() {
        return !findings.isEmpty() ? Verdict.FOUND : complete ? Verdict.NONE : Verdict.INCOMPLETE;
    }

    /**
     * The result of the whole search from the results of its shards (each shard's findings are
     * the earliest of their class within the shard, so the earliest across shards is the
     * unsharded search's).
     */
    public static ExploreResult merge(List<ExploreResult> parts) {
        long schedules = 0;
        long pruned = 0;
        long incomplete = 0;
        long steps = 0;
        long elapsed = 0;
        boolean complete = true;
        Map<FindingKind, Long> counts = new EnumMap<>(FindingKind.class);
        Map<FindingKind, Long> warns = new EnumMap<>(FindingKind.class);
        Map<String, Integer> byClass = new LinkedHashMap<>();
        List<Finding> fs = new ArrayList<>();
        List<int[]> ks = new ArrayList<>();
        Trace first = null;
        int[] firstKey = null;
        for (ExploreResult r : parts) {
            schedules += r.schedules;
            pruned += r.pruned;
            incomplete += r.incompleteRuns;
            steps += r.steps;
            elapsed = Math.max(elapsed, r.elapsedMillis);
            complete &= r.complete;
            r.countsByKind.forEach((k, v) -> counts.merge(k, v, Long::sum));
            r.warningCounts.forEach((k, v) -> warns.merge(k, v, Long::sum));
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
        String policy = parts.isEmpty() ? "" : parts.get(0).policy;
        return new ExploreResult(policy, schedules, pruned, incomplete, steps, complete, elapsed, sortedF, sortedK,
                first, counts, warns);
    }

    /** Findings of one class are reported once: the same kind at the same site. */
    static String classOf(Finding f) {
        return f.kind().id() + "@" + f.site();
    }

    @Override
    public String toString() {
        return verdict() + ": " + policy + ", " + schedules + " schedules (" + pruned + " pruned, "
                + incompleteRuns + " cut short), " + (complete ? "complete" : "incomplete") + ", "
                + elapsedMillis + " ms, findings " + countsByKind + ", warnings " + warningCounts;
    }
}
