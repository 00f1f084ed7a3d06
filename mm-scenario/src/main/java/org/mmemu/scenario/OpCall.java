package org.mmemu.scenario;

import org.mmemu.scenario.ops.Operation;

/**
 * One operation of a CPU's program as the file wrote it, already checked and bound.
 *
 * @param name      the kernel function it runs, e.g. {@code pagevec_release}
 * @param operation what runs
 * @param where     {@code file:line:column}
 */
public record OpCall(String name, Operation operation, String where) {
    @Override
    public String toString() {
        return name + " (" + where + ")";
    }
}
