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
    static final Site HANDLER_STEP = Site.of("interrupt", "handler step");

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
        s.localHandler = spec.local() ? spec : null;
        cpu.runInterrupt(a.irq(), () -> {
            if (spec.handler() != null) {
                spec.handler().accept(machine, cpu);
                s.localHandler = null;
            } else {
                try {
                    for (int i = 0; i < steps; i++) {
                        cpu.local(HANDLER_STEP);
                        s.handlerSteps++;
                    }
                } catch (EndHandler e) {
                    // the scheduler ended the handler before this step
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
