package org.mmemu.scenario.ops;

import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.Zone;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * {@code alloc_pages(gfp_mask, order)} — include/linux/mm.h over mm/page_alloc.c's
 * {@code __alloc_pages()}, 2.5.31. With {@code as: Q} the block's first page gets the name Q for
 * the operations that follow in the same program; a failed allocation leaves Q without a page,
 * and an operation that then uses Q ends the run with an error naming both lines.
 * Forms: {@code alloc_pages: {order: 0, gfp: GFP_KERNEL, as: Q}}, {@code alloc_pages: [0]}, or
 * the bare name (order 0, GFP_KERNEL).
 */
public final class AllocPages implements OperationType {
    @Override
    public String name() {
        return "alloc_pages";
    }

    @Override
    public String source() {
        return "mm/page_alloc.c";
    }

    @Override
    public String summary() {
        return "__alloc_pages(gfp, order); 'as: Q' names the page for later operations";
    }

    @Override
    public Operation bind(Args args) {
        int order = args.integer("order", 0, 0, 0, Zone.MAX_ORDER - 1);
        int gfp = args.arg("gfp", 1).map(n -> parseGfp(n, args)).orElse(Gfp.GFP_KERNEL);
        String as = args.binding("as");
        String where = args.where();
        args.done();
        return (world, cpu) -> {
            Page page = world.machine().pageAlloc().allocPages(cpu, gfp, order);
            if (page != null && as != null) {
                world.bind(as, page);
            } else if (as != null) {
                world.allocFailed(as, where);
            }
        };
    }

    private static int parseGfp(Node n, Args args) {
        return GfpNames.parse(org.mmemu.scenario.yaml.Yaml.string(n, args.op() + ": gfp"), n, args.op());
    }
}
