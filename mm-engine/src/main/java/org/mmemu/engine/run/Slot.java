package org.mmemu.engine.run;

import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.engine.hb.Footprint;

/** The engine's view of one CPU: its continuation, its pending step, the interrupt it runs. */
final class Slot {
    final Cpu cpu;
    Coroutine coroutine;
    Site site;
    Object target;
    /** The field of {@link #target} the pending step touches ({@link Access#sameField}). */
    int field;
    Access access;
    boolean done;
    /** What the scheduler decided for this CPU, taken by its gate when it resumes. */
    Action action;
    /** Where the schedule recorded the interrupt being delivered. */
    int irqToken;
    /** Steps taken by the busy handler running now; whether the scheduler may end it early. */
    int handlerSteps;
    boolean handlerEndable;
    int handlerMax;
    /** Steps of the busy handler running now that the engine takes while the CPU stays parked ({@link IrqDelivery#takeBusyStep}). */
    int busyLeft;
    /** The pending step's footprint, made on first request (null until then). */
    Footprint footprint;

    Slot(Cpu cpu) {
        this.cpu = cpu;
    }

    /** Records the step the CPU asks for at its gate. */
    void pend(Site site, Object target, int field, Access access) {
        this.site = site;
        this.target = target;
        this.field = field;
        this.access = access;
        this.footprint = null;
    }
}
