package org.mmemu.scenario.ops;

import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.ZoneType;
import org.mmemu.reclaim.Reclaim;
import org.mmemu.scenario.yaml.Yaml;

/**
 * {@code try_to_free_pages(classzone, gfp_mask, order)} — mm/vmscan.c, 2.5.31
 * ({@code Reclaim.tryToFreePages}). Form: {@code try_to_free_pages: {zone: Normal, order: 0, gfp: GFP_KERNEL}}.
 */
public final class TryToFreePages implements OperationType {
    @Override
    public String name() {
        return "try_to_free_pages";
    }

    @Override
    public String source() {
        return "mm/vmscan.c";
    }

    @Override
    public String summary() {
        return "direct reclaim for an allocation of the given order";
    }

    @Override
    public Operation bind(Args args) {
        ZoneType z = args.zone("zone", 0, ZoneType.NORMAL);
        int order = args.integer("order", 1, 0, 0, 9);
        int gfp = args.arg("gfp", 2).map(n -> GfpNames.parse(Yaml.string(n, args.op() + ": gfp"), n, args.op()))
                .orElse(Gfp.GFP_KERNEL);
        args.done();
        return (world, cpu) -> Reclaim.of(world.machine()).tryToFreePages(cpu, world.machine().zone(z), gfp, order);
    }
}
