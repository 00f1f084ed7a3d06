package org.mmemu.scenario.ops;

import org.mmemu.reclaim.AddressSpace;
import org.mmemu.reclaim.Reclaim;

/** The address spaces of a world by name: one mm-reclaim {@link AddressSpace} per name and machine. */
public final class Mappings {
    private Mappings() {
    }

    /** The file mapping called {@code name} in {@code world}, made on first use. */
    public static AddressSpace of(World world, String name) {
        return (AddressSpace) world.mapping(name, n -> Reclaim.of(world.machine()).fileMapping(n));
    }
}
