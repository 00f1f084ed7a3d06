package org.mmemu.tests.ops;

import org.mmemu.core.emu.Cpu;

/** One bound operation of a scenario program: kernel code run on a CPU of the world's machine. */
@FunctionalInterface
public interface Operation {
    void run(World world, Cpu cpu);
}
