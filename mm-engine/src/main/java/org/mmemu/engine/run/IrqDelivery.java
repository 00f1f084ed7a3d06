package org.mmemu.engine.run;

import java.util.List;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.engine.InterruptSpec;
import org.mmemu.engine.Schedule;
import org.mmemu.engine.TraceRow;

/**
 * Runs an interrupt on a CPU before its pending step, inside that CPU's gate: an entry row, the
 * handler (kernel code given by the program, or a busy handler of local steps), an exit row.
 *
 * <p>A busy handler of the {@code irq} model's duration classes is not told its length: it runs
 * up to its longest, and the scheduler ends it at one of its CPU's turns with
 * {@link Action.Kind#END}, which the gate turns into {@link #END_HANDLER} thrown out of the
 * handler's step. Only then is its length known, and written into the schedule where its
 * arrival was recorded.
 */
final class IrqDelivery {
    private static final Site IRQ_ENTER = Site.of("interrupt", "irq_enter()");
    private static final Site IRQ_EXIT = Site.of("interrupt", "irq_exit()");
    static final Site HANDLER_STEP = Site.of("interrupt", "handler work");

    /** Ends a busy handler early ({@link Action.Kind#END}); thrown and caught inside the engine only. */
    static final class EndHandler extends RuntimeException {
        EndHandler() {
            super(null, null, false, false);
        }
    }

    static final EndHandler END_HANDLER = new EndHandler();

    private final List<InterruptSpec> irqs;
    private final int[] irqCount;
    private final TraceRows rows;
    private final Schedule.Recorder recorder;
    private final Machine machine;

    IrqDelivery(RunState state, TraceRows rows, Schedule.Recorder recorder, Machine machine) {
        this.irqs = state.interrupts();
        this.irqCount = state.irqCount;
        this.rows = rows;
        this.recorder = recorder;
        this.machine = machine;
    }

    /**
     * Takes one step of the busy handler {@code s}'s CPU is in, without resuming the CPU, where
     * it is not the handler's last: what the CPU's own code would do between two of its steps,
     * done by the engine. A busy handler pends one step and is resumed only for the last (or
     * ended by the scheduler), so a handler of N steps is not 2N switches of its continuation.
     * The step is {@code LOCAL}, which the race detector ignores. Returns false where the granted
     * step is not such a step (the caller resumes the CPU).
     */
    boolean takeBusyStep(Slot s) {
        if (s.busyLeft == 0) {
            return false;
        }
        s.busyLeft--;
        s.handlerSteps++;
        rows.open(s, TraceRow.Kind.STEP, s.site, s.access, s.target);
        rows.close();
        s.cpu.repeatedLocal(s.site);
        return true;
    }

    /** Runs interrupt {@code a.irq()} on {@code s}'s CPU; returns when its handler has returned. */
    void deliver(Slot s, Action a) {
        InterruptSpec spec = irqs.get(a.irq());
        irqCount[a.irq()]++;
        Cpu cpu = s.cpu;
        rows.open(s, TraceRow.Kind.IRQ_ENTER, IRQ_ENTER, Access.LOCAL, "irq" + a.irq());
        rows.close();
        int steps = a.duration();
        int token = s.irqToken;
        s.handlerSteps = 0;
        s.handlerMax = steps;
        s.handlerEndable = a.endable() && spec.handler() == null;
        cpu.runInterrupt(a.irq(), () -> {
            if (spec.handler() != null) {
                spec.handler().accept(machine, cpu);
            } else {
                try {
                    if (steps > 0) {
                        s.busyLeft = steps - 1; // taken by takeBusyStep while this CPU stays parked
                        cpu.local(HANDLER_STEP);
                        s.handlerSteps++;
                    }
                } catch (EndHandler e) {
                    // the scheduler ended the handler before this step
                } finally {
                    s.busyLeft = 0;
                }
            }
            rows.close();
            rows.open(s, TraceRow.Kind.IRQ_EXIT, IRQ_EXIT, Access.LOCAL, "irq" + a.irq());
        });
        rows.close();
        if (s.handlerEndable) {
            recorder.irqDuration(token, s.handlerSteps == spec.steps() ? -1 : s.handlerSteps);
            s.handlerEndable = false;
        }
    }
}
