package org.mmemu.engine.run;

import org.mmemu.core.emu.Access;

/** Receives an execution's rows as they are taken; the timed engine keeps its clocks this way. */
public interface RowListener {
    void row(int cpu, Object target, Access access, boolean spin);

    RowListener NONE = (cpu, target, access, spin) -> { };
}
