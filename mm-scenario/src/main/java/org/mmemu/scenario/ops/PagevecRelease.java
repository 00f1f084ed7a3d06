package org.mmemu.scenario.ops;

import java.util.List;
import org.mmemu.pagevec.Pagevec;
import org.mmemu.pagevec.Pagevecs;

/**
 * {@code pagevec_release(pvec)} — include/linux/pagevec.h over mm/swap.c's {@code __pagevec_release()}
 * (2.5.32): the listed pages go into a fresh on-stack pagevec in order (CPU-local, no shared
 * steps, as {@code pagevec_add} is) and are released through the machine's protocol. Form:
 * {@code pagevec_release: [P, Q]} (1 to PAGEVEC_SIZE pages).
 */
public final class PagevecRelease implements OperationType {
    @Override
    public String name() {
        return "pagevec_release";
    }

    @Override
    public String source() {
        return "mm/swap.c";
    }

    @Override
    public String summary() {
        return "__pagevec_release of the listed pages (first to last), through the protocol's release_pages";
    }

    @Override
    public Operation bind(Args args) {
        List<PageRef> ps = args.pages("pages", 1, OperationRegistry.PAGEVEC_SIZE);
        args.done();
        return (world, cpu) -> {
            Pagevec pvec = new Pagevec();
            pvec.pagevecInit();
            for (PageRef p : ps) {
                pvec.pagevecAdd(p.in(world));
            }
            Pagevecs.pagevecRelease(cpu, pvec);
        };
    }
}
