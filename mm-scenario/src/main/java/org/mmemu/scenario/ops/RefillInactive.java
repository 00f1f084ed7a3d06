package org.mmemu.scenario.ops;

import org.mmemu.core.page.ZoneType;
import org.mmemu.reclaim.Reclaim;

/**
 * {@code refill_inactive_zone(zone, nr_pages)} — mm/vmscan.c, 2.5.31-mm1
 * ({@code Vmscan.refillInactiveZone}). Form: {@code refill_inactive: {zone: Normal, nr: 32}}.
 */
public final class RefillInactive implements OperationType {
    @Override
    public String name() {
        return "refill_inactive";
    }

    @Override
    public String source() {
        return "mm/vmscan.c";
    }

    @Override
    public String summary() {
        return "move up to nr pages from the active to the inactive list";
    }

    @Override
    public Operation bind(Args args) {
        ZoneType z = args.zone("zone", 0, ZoneType.NORMAL);
        int nr = args.integer("nr", 1, 32, 1, 1 << 20);
        args.done();
        return (world, cpu) -> Reclaim.of(world.machine()).vmscan()
                .refillInactiveZone(cpu, world.machine().zone(z), nr);
    }
}
