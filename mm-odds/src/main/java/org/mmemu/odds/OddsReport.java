package org.mmemu.odds;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The answer of {@code mmemu odds} for one protocol: per kind of finding the effective window in
 * cycles and nanoseconds and the time to failure, as text and as the JSON of issue 22, item 6
 * ({@code effectiveWindowNs} and {@code mttfSeconds}, maps from kind to {@code [low, high]}, and
 * {@code complete}; an unbounded end is {@code null}). W is over {@code offsetCpu}'s start offset t
 * (the scenario's {@code odds: offset-cpu}, cpu0 by default).
 */
record OddsReport(String scenario, int offsetCpu, TimingProfile profile, OddsResult result, long fleet) {

    Interval windowNs(OddsResult.FindingOdds f) {
        return f.windowCycles().multiply(Interval.point(1e9)).divide(Interval.point(profile.clockHz()));
    }

    TimeToFailure ttf(OddsResult.FindingOdds f) {
        return TimeToFailure.of(profile, f.windowCycles(), f.path(), fleet);
    }

    /** The time to failure over an estimate's 99.9% interval, on the release path of its kind. */
    TimeToFailure ttf(SampledWindow e) {
        ReleasePath path = result.findings().stream().filter(f -> f.kind().equals(e.kind()))
                .map(OddsResult.FindingOdds::path).findFirst().orElse(ReleasePath.ANY);
        return TimeToFailure.of(profile, Interval.of(e.interval()[0], e.interval()[1]), path, fleet);
    }

    String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s [%s] on %s%s%n", scenario, result.protocol(), profile.name(),
                result.complete() ? "" : ": INCOMPLETE (" + result.incompleteReason() + "), upper ends include what was cut"));
        for (OddsResult.FindingOdds f : result.findings()) {
            TimeToFailure t = ttf(f);
            b.append(String.format(Locale.ROOT, "  %s: W = %s cycles = %s ns; %s findings/s; mean time to the first:"
                    + " %s s on one machine, %s s on a fleet of %d%n", f.kind(), f.windowCycles().shortText(),
                    windowNs(f).shortText(), t.findingsPerSecond().shortText(), t.meanSeconds().shortText(),
                    t.fleetMeanSeconds().shortText(), fleet));
            if (!f.enumerated().equals(f.windowCycles())) {
                TimeToFailure e = TimeToFailure.of(profile, f.enumerated(), f.path(), fleet);
                b.append(String.format(Locale.ROOT, "    enumerated part (runs with at most one interrupt): W = %s cycles"
                        + " = %s ns; mean time to the first: %s s on one machine, %s s on the fleet%n",
                        f.enumerated().shortText(), f.enumerated().multiply(Interval.point(1e9))
                                .divide(Interval.point(profile.clockHz())).shortText(),
                        e.meanSeconds().shortText(), e.fleetMeanSeconds().shortText()));
            }
        }
        for (SampledWindow e : result.sampled()) {
            b.append(estimate(e));
        }
        for (String n : result.notes()) {
            b.append("  ").append(n).append(System.lineSeparator());
        }
        return b.toString();
    }

    /**
     * An estimate's line: the mean, its 99.9% interval, the runs, the mean time to the first finding
     * it gives (over that interval), and its check against the enumerated part.
     */
    String estimate(SampledWindow e) {
        double[] i = e.interval();
        TimeToFailure t = ttf(e);
        return String.format(Locale.ROOT, "  %s, estimated with every interrupt (importance-sampled Monte Carlo,"
                + " %d runs, %d found it, t in [%.0f, %.0f); a statistical estimate, not a bound): W ~ %.6g cycles,"
                + " 99.9%% interval [%.6g, %.6g]; mean time to the first %s s on one machine, %s s on the fleet; of it,"
                + " runs with at most one interrupt ~ %.6g +- %.2g (the enumerated part is exact for those)%n", e.kind(),
                e.runs(), e.hits(), e.tFrom(), e.tTo(), e.windowCycles(), i[0], i[1], t.meanSeconds().shortText(),
                t.fleetMeanSeconds().shortText(), e.atMostOne(), SampledWindow.Z * e.atMostOneStdError());
    }

    /**
     * One line per protocol and kind, W's enumerated part and the time to failure it gives, sorted as
     * given: compare's table; with {@code --estimate}, the estimate with every interrupt beside it.
     */
    static String compare(List<OddsReport> reports) {
        boolean sampled = reports.stream().anyMatch(r -> !r.result().sampled().isEmpty());
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%ncompare: %-12s %-18s %-28s %-50s%s",
                "protocol", "kind", "W, cycles (enumerated)", "mean time to the first, one machine (enumerated)",
                sampled ? "W, cycles, estimated with every interrupt (99.9%)" : "").stripTrailing())
                .append(System.lineSeparator());
        for (OddsReport r : reports) {
            if (r.result().findings().isEmpty()) {
                b.append(String.format(Locale.ROOT, "         %-12s %-18s %-28s %s%n", r.result().protocol(), "(none)",
                        r.result().complete() ? "0 exactly" : "not computed", "never"));
            }
            for (OddsResult.FindingOdds f : r.result().findings()) {
                TimeToFailure e = TimeToFailure.of(r.profile(), f.enumerated(), f.path(), r.fleet());
                String est = r.result().sampled().stream().filter(x -> x.kind().equals(f.kind())).findFirst()
                        .map(x -> String.format(Locale.ROOT, "%.6g [%.6g, %.6g]", x.windowCycles(), x.interval()[0],
                                x.interval()[1])).orElse(sampled ? "-" : "");
                b.append(String.format(Locale.ROOT, "         %-12s %-18s %-28s %-50s%s%n", r.result().protocol(),
                        f.kind(), f.enumerated().shortText(), e.meanSeconds().shortText() + " s", est).stripTrailing())
                        .append(System.lineSeparator());
            }
        }
        return b.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> windows = new LinkedHashMap<>();
        Map<String, Object> cycles = new LinkedHashMap<>();
        Map<String, Object> mttf = new LinkedHashMap<>();
        Map<String, Object> fleetMttf = new LinkedHashMap<>();
        Map<String, Object> rates = new LinkedHashMap<>();
        Map<String, Object> enumerated = new LinkedHashMap<>();
        for (OddsResult.FindingOdds f : result.findings()) {
            TimeToFailure t = ttf(f);
            enumerated.put(f.kind(), ends(f.enumerated()));
            windows.put(f.kind(), ends(windowNs(f)));
            cycles.put(f.kind(), ends(f.windowCycles()));
            mttf.put(f.kind(), ends(t.meanSeconds()));
            fleetMttf.put(f.kind(), ends(t.fleetMeanSeconds()));
            rates.put(f.kind(), ends(t.findingsPerSecond()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", scenario);
        m.put("protocol", result.protocol());
        m.put("profile", profile.name());
        m.put("offsetCpu", "cpu" + offsetCpu);
        m.put("complete", result.complete());
        m.put("incompleteReason", result.incompleteReason());
        m.put("effectiveWindowNs", windows);
        m.put("effectiveWindowCycles", cycles);
        m.put("findingsPerSecond", rates);
        m.put("mttfSeconds", mttf);
        m.put("fleet", fleet);
        m.put("fleetMttfSeconds", fleetMttf);
        m.put("coincidenceRate", ends(TimeToFailure.coincidenceRate(profile.workload())));
        m.put("enumeratedWindowCycles", enumerated);
        m.put("notes", result.notes());
        if (!result.sampled().isEmpty()) {
            Map<String, Object> est = new LinkedHashMap<>();
            for (SampledWindow e : result.sampled()) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("windowCycles", e.windowCycles());
                one.put("standardError", e.stdError());
                one.put("interval999", java.util.Arrays.asList(e.interval()[0], e.interval()[1]));
                one.put("atMostOneInterruptCycles", e.atMostOne());
                one.put("atMostOneInterruptStandardError", e.atMostOneStdError());
                one.put("runs", e.runs());
                one.put("hits", e.hits());
                one.put("offsets", java.util.Arrays.asList(e.tFrom(), e.tTo()));
                one.put("mttfSeconds", ends(ttf(e).meanSeconds()));
                est.put(e.kind(), one);
            }
            m.put("estimatedWindowCycles", est);
        }
        return m;
    }

    /** {@code [low, high]}, an infinite end as null (JSON has no infinity). */
    static List<Double> ends(Interval i) {
        return java.util.Arrays.asList(finite(i.lo()), finite(i.hi()));
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }
}
