package org.mmemu.scenario.ops;

import org.mmemu.core.emu.Cpu;

/** One bound operation of a scenario program: kernel code run on a CPU of the world's machine. */
@FunctionalInterface
public interface Operation {
    void run(World world, Cpu cpu);

    /**
     * Boot-time setup this operation needs before any CPU runs (a slab cache it allocates
     * from), run on {@code cpu} behind the shut gate, so its steps are not the run's.
     */
    default void atBoot(World world, Cpu cpu) {
    }
}
