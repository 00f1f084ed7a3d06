package org.mmemu.engine.control;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.Schedule;

/**
 * Shrinks a failing schedule: fewer departures from the default rule (context switches and
 * interrupts) first, then fewer steps, as long as the replay still ends in a finding of the same
 * kind at the same site (a merge of shards replays each finding by its kind and site, so a
 * shrunk schedule that ends in another finding of the kind would not stand for it). Greedy, in the manner of delta debugging: drop one token, or shorten one, keep the first
 * change that helps, and start over, within an attempt and time budget. Every candidate is
 * replayed and measured by the canonical schedule its run records, so what comes out replays
 * exactly.
 */
final class ScheduleShrinker {
    private final Function<Schedule, RunResult> replay;
    private final int maxAttempts;
    private final long deadline;

    ScheduleShrinker(Function<Schedule, RunResult> replay, int maxAttempts, long deadlineNanos) {
        this.replay = replay;
        this.maxAttempts = maxAttempts;
        this.deadline = deadlineNanos;
    }

    /**
     * The shrunk canonical schedule, still ending in a {@code kind} finding at {@code site} (any
     * site when null); {@code schedule} itself (canonical) if nothing helps.
     */
    Schedule shrink(Schedule schedule, FindingKind kind, Site site) {
        RunResult base = replay.apply(schedule);
        if (!has(base, kind, site)) {
            return schedule;
        }
        Schedule best = Schedule.parse(base.schedule());
        long[] bestMeasure = measure(best, base);
        int attempts = 0;
        boolean improved = true;
        while (improved && attempts < maxAttempts && System.nanoTime() - deadline < 0) {
            improved = false;
            for (Schedule c : candidates(best)) {
                if (attempts++ >= maxAttempts || System.nanoTime() - deadline >= 0) {
                    break;
                }
                RunResult r = replay.apply(c);
                if (!has(r, kind, site)) {
                    continue;
                }
                Schedule canon = Schedule.parse(r.schedule());
                long[] m = measure(canon, r);
                if (m[0] < bestMeasure[0] || (m[0] == bestMeasure[0] && m[1] < bestMeasure[1])) {
                    best = canon;
                    bestMeasure = m;
                    improved = true;
                    break;
                }
            }
        }
        return best;
    }

    private static boolean has(RunResult r, FindingKind kind, Site site) {
        return r.findings().stream().anyMatch(f -> f.kind() == kind && (site == null || site.equals(f.site())));
    }

    private static long[] measure(Schedule s, RunResult r) {
        return new long[] {s.departures(), r.steps()};
    }

    /** Candidates, most promising first: drop a token (from the end), then shorten one. */
    private static List<Schedule> candidates(Schedule s) {
        List<Schedule> out = new ArrayList<>();
        List<Schedule.Token> t = s.tokens();
        for (int i = t.size() - 1; i >= 0; i--) {
            List<Schedule.Token> c = new ArrayList<>(t);
            c.remove(i);
            out.add(new Schedule(s.model(), c));
        }
        for (int i = t.size() - 1; i >= 0; i--) {
            Schedule.Token x = t.get(i);
            if (x.kind() != Schedule.Token.Kind.IRQ && x.count() > 1) {
                List<Schedule.Token> c = new ArrayList<>(t);
                c.set(i, new Schedule.Token(x.kind(), x.value(), x.count() - 1));
                out.add(new Schedule(s.model(), c));
            } else if (x.kind() == Schedule.Token.Kind.IRQ && x.count() > 0) {
                List<Schedule.Token> c = new ArrayList<>(t);
                c.set(i, new Schedule.Token(x.kind(), x.value(), x.count() / 2));
                out.add(new Schedule(s.model(), c));
            }
        }
        return out;
    }
}
