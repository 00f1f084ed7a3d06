package org.mmemu.scenario;

import java.util.List;

/**
 * {@code interrupts: cpuN: {...}}: an interrupt that may arrive on a CPU, at most {@code max}
 * times, busying it for {@code steps} steps, running a handler program, or both (the program,
 * then the steps).
 *
 * @param cpu     the CPU
 * @param steps   the busy steps, after the handler program if there is one (0: none)
 * @param max     the most arrivals per run
 * @param handler operations run in interrupt context, empty for a busy handler
 * @param where   {@code file:line:column}
 */
public record InterruptDecl(int cpu, int steps, int max, List<OpCall> handler, String where) {
    public InterruptDecl {
        handler = List.copyOf(handler);
    }
}
