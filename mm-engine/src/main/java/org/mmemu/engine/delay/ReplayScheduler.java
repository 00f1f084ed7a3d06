package org.mmemu.engine.delay;

import java.util.List;
import org.mmemu.engine.InterruptSpec;
import org.mmemu.engine.Schedule;
import org.mmemu.engine.run.Action;
import org.mmemu.engine.run.RunView;
import org.mmemu.engine.run.Scheduler;

/**
 * Follows a {@link Schedule}: each token names who takes the next rows, or that the default rule
 * does, or that an interrupt arrives; after the last token the default rule runs to the end.
 * Lenient as the schedule grammar says: a token naming a finished CPU falls back to the default
 * rule, an interrupt that cannot arrive now is skipped.
 */
public final class ReplayScheduler implements Scheduler {
    private final List<Schedule.Token> tokens;
    private int pos;
    private int used;

    public ReplayScheduler(Schedule schedule) {
        this.tokens = schedule.tokens();
    }

    @Override
    public Action next(RunView x) {
        while (pos < tokens.size()) {
            Schedule.Token t = tokens.get(pos);
            switch (t.kind()) {
                case IRQ -> {
                    pos++;
                    if (t.value() < x.interrupts().size() && x.canInterrupt(t.value())) {
                        InterruptSpec spec = x.interrupts().get(t.value());
                        // a handler of exact length keeps it whatever the token says (ScheduleFit refuses a
                        // person's /D there; a shrinker's edit only ever drops tokens)
                        return Action.irq(spec.cpu(), t.value(),
                                t.count() < 0 || spec.exact() ? spec.steps() : t.count());
                    }
                }
                case DEFAULT -> {
                    consume(t);
                    return row(x, x.defaultCpu());
                }
                case CPU -> {
                    consume(t);
                    int c = t.value();
                    return row(x, c < x.cpus() && !x.done(c) ? c : x.defaultCpu());
                }
            }
        }
        return row(x, x.defaultCpu());
    }

    private void consume(Schedule.Token t) {
        if (++used == t.count()) {
            used = 0;
            pos++;
        }
    }

    private static Action row(RunView x, int c) {
        return x.blocked(c) ? Action.spin(c) : Action.step(c);
    }
}
