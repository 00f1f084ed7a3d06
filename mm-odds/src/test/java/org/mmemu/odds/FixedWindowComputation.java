package org.mmemu.odds;

import java.util.List;
import org.mmemu.engine.DelayModel;

/**
 * A stand-in computation for the command's tests: it accepts only profiles named
 * {@code toy-window} and answers a fixed window, so the tests see what {@code odds} prints and
 * writes once a real computation (issue 21's) is registered, and that it says so when none accepts.
 */
public final class FixedWindowComputation implements OddsComputation {
    /** W of the double free, in cycles. */
    static final Interval WINDOW = Interval.of(29.5, 30.5);

    @Override
    public String name() {
        return "fixed-window (test)";
    }

    @Override
    public DelayModel delayModel() {
        return DelayModel.IRQ;
    }

    @Override
    public boolean accepts(OddsRequest request) {
        return request.profile().name().equals("toy-window");
    }

    @Override
    public OddsResult compute(OddsRequest request) {
        boolean cut = request.timeLimit() != null;
        return new OddsResult(request.programs().get(0).protocol(), List.of(
                new OddsResult.FindingOdds("double-free", cut ? WINDOW.plusCutTail(Interval.point(1)) : WINDOW,
                        ReleasePath.PAGEVEC_FIRST),
                new OddsResult.FindingOdds("zero-ref-on-lru", Interval.ZERO, ReleasePath.PLAIN)), !cut,
                cut ? "time limit" : "");
    }
}
