package org.mmemu.scenario.run;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.InterruptSpec;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.Schedule;
import org.mmemu.engine.TraceRow;
import org.mmemu.scenario.Echo;

/**
 * Whether a schedule fits a scenario: its delay model is the scenario's, it names only CPUs and
 * interrupts the scenario has (each interrupt no more often than its {@code max}), and the run
 * it replays takes every row it names. Replay itself is lenient (so that shrinking can edit
 * schedules freely); a schedule a person gives is checked here, and what does not fit is an
 * error saying where, never a silent "no findings".
 */
public final class ScheduleFit {
    private ScheduleFit() {
    }

    /**
     * Parses {@code text} and checks it against {@code program} run under delay model
     * {@code delays}; throws {@link IllegalArgumentException} with a one-line message.
     */
    public static Schedule check(String text, ScenarioProgram program, String delays) {
        Schedule s = Schedule.parse(text);
        String shown = Echo.cut(text.strip());
        DelayModel model = DelayModel.byId(delays);
        if (s.model() != model) {
            throw new IllegalArgumentException("schedule '" + shown + "' is for the '" + s.model().id()
                    + "' delay model but the scenario runs under '" + model.id() + "' (delays: in the file, or --delays "
                    + (s.model() == DelayModel.IRQ ? "irq" : "anywhere") + ")");
        }
        int cpus = program.scenario().machine().cpus();
        List<InterruptSpec> irqs = program.interrupts();
        Map<Integer, Integer> arrivals = new HashMap<>();
        for (int i = 0; i < s.tokens().size(); i++) {
            Schedule.Token t = s.tokens().get(i);
            String at = "token " + (i + 1) + " ('" + t + "') of schedule '" + shown + "'";
            switch (t.kind()) {
                case CPU -> {
                    if (t.value() >= cpus) {
                        throw new IllegalArgumentException(at + " names cpu" + t.value() + " but the scenario has "
                                + cpus + " CPU" + (cpus == 1 ? "" : "s") + " (cpu0..cpu" + (cpus - 1) + ")");
                    }
                }
                case IRQ -> {
                    if (t.value() >= irqs.size()) {
                        throw new IllegalArgumentException(at + " names interrupt " + t.value() + " but the scenario has "
                                + (irqs.isEmpty() ? "no interrupts" : "interrupts i0..i" + (irqs.size() - 1)
                                        + " (in the order of interrupts: by CPU)"));
                    }
                    InterruptSpec spec = irqs.get(t.value());
                    if (spec.exact() && t.count() >= 0 && t.count() != spec.steps()) {
                        throw new IllegalArgumentException(at + " gives interrupt " + t.value() + " a handler of "
                                + t.count() + " steps but its length is fixed: steps: " + spec.steps());
                    }
                    int n = arrivals.merge(t.value(), 1, Integer::sum);
                    if (n > irqs.get(t.value()).max()) {
                        throw new IllegalArgumentException(at + ": interrupt " + t.value() + " arrives " + n
                                + " times but its max is " + irqs.get(t.value()).max());
                    }
                }
                case DEFAULT -> {
                }
            }
        }
        return s;
    }

    /**
     * Checks that the run {@code r} that replayed {@code s} took the rows {@code s} names: each
     * CPU token's rows were that CPU's (not given to another because it had finished), each
     * interrupt arrived, and the run did not end before the schedule did. Throws
     * {@link IllegalArgumentException} saying where it stops fitting.
     */
    public static void checkRun(Schedule s, String text, RunResult r) {
        if (r.trace() == null) {
            return;
        }
        String shown = Echo.cut(text.strip());
        List<TraceRow> rows = r.trace().rows();
        int at = 0;
        for (int i = 0; i < s.tokens().size(); i++) {
            Schedule.Token t = s.tokens().get(i);
            String where = "token " + (i + 1) + " ('" + t + "') of schedule '" + shown + "'";
            if (t.kind() == Schedule.Token.Kind.IRQ) {
                int enter = nextIrqEnter(rows, at, t.value());
                if (enter < 0) {
                    throw new IllegalArgumentException(where + ": interrupt " + t.value() + " could not arrive there"
                            + " (its CPU had irqs off or had finished)");
                }
                at = enter + 1;
                continue;
            }
            for (int k = 0; k < t.count(); k++) {
                at = nextScheduled(rows, at);
                if (at < 0) {
                    throw new IllegalArgumentException(where + ": the run ended (" + outcome(r) + ") before the"
                            + " schedule did");
                }
                if (t.kind() == Schedule.Token.Kind.CPU && rows.get(at).cpu() != t.value()) {
                    throw new IllegalArgumentException(where + ": cpu" + t.value() + " had finished by row "
                            + (at + 1) + ", which cpu" + rows.get(at).cpu() + " took");
                }
                at++;
            }
        }
    }

    private static String outcome(RunResult r) {
        return r.outcome().name().toLowerCase().replace('_', ' ');
    }

    /**
     * The next row at or after {@code from} that the scheduler chose: a step or a spin (a
     * handler's steps are the interrupted CPU's turns too); interrupt entry and exit are not.
     */
    private static int nextScheduled(List<TraceRow> rows, int from) {
        for (int i = from; i < rows.size(); i++) {
            TraceRow x = rows.get(i);
            if (x.kind() == TraceRow.Kind.STEP || x.kind() == TraceRow.Kind.SPIN) {
                return i;
            }
        }
        return -1;
    }

    private static int nextIrqEnter(List<TraceRow> rows, int from, int irq) {
        for (int i = from; i < rows.size(); i++) {
            TraceRow x = rows.get(i);
            if (x.kind() == TraceRow.Kind.IRQ_ENTER) {
                return x.target().equals("irq" + irq) ? i : -1;
            }
            if (x.kind() == TraceRow.Kind.STEP || x.kind() == TraceRow.Kind.SPIN) {
                return -1;
            }
        }
        return -1;
    }
}
