package org.mmemu.scenario.ops;

import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.ZoneType;
import org.mmemu.reclaim.Reclaim;
import org.mmemu.scenario.yaml.Yaml;

/**
 * {@code shrink_cache(nr_pages, zone, gfp_mask, max_scan)} — mm/vmscan.c, 2.5.31-mm1
 * ({@code Vmscan.shrinkCache}; docs/FIDELITY.md). Each batch isolates up to
 * {@code max(nr, SWAP_CLUSTER_MAX)} pages (at least 32: {@code nr: 1} does not mean one page), and
 * the loop goes on while pages are still to be freed and {@code max-scan} is not spent.
 * {@code max-scan} defaults to {@code nr}: a scenario asks for a pass over at most that many
 * pages, where shrink_zone would derive it from the priority. Form: {@code shrink_cache: {zone: Normal, nr: 1, max-scan: 1, gfp: GFP_KERNEL}}.
 */
public final class ShrinkCache implements OperationType {
    @Override
    public String name() {
        return "shrink_cache";
    }

    @Override
    public String source() {
        return "mm/vmscan.c";
    }

    @Override
    public String summary() {
        return "scan the inactive list in batches of max(nr, SWAP_CLUSTER_MAX = 32) pages, each isolated"
                + " under lru_lock and reclaimed by shrink_list, until nr pages are freed or max-scan (default nr)"
                + " scanned";
    }

    @Override
    public Operation bind(Args args) {
        ZoneType z = args.zone("zone", 0, ZoneType.NORMAL);
        int nr = args.integer("nr", 1, 32, 1, 1 << 20);
        int maxScan = args.integer("max-scan", 2, nr, 1, 1 << 20);
        int gfp = args.arg("gfp", 3).map(n -> GfpNames.parse(Yaml.string(n, args.op() + ": gfp"), n, args.op()))
                .orElse(Gfp.GFP_KERNEL);
        args.done();
        return (world, cpu) -> Reclaim.of(world.machine()).vmscan()
                .shrinkCache(cpu, nr, world.machine().zone(z), gfp, maxScan);
    }
}
