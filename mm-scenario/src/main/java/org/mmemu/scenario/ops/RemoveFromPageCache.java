package org.mmemu.scenario.ops;

import org.mmemu.core.page.Page;
import org.mmemu.reclaim.AddressSpace;

/**
 * {@code remove_from_page_cache(page)} — mm/filemap.c, 2.5.31
 * ({@code AddressSpace.removeFromPageCache}); the page must be in a mapping. Form:
 * {@code remove_from_page_cache: P}.
 */
public final class RemoveFromPageCache implements OperationType {
    @Override
    public String name() {
        return "remove_from_page_cache";
    }

    @Override
    public String source() {
        return "mm/filemap.c";
    }

    @Override
    public String summary() {
        return "take the page out of its mapping";
    }

    @Override
    public Operation bind(Args args) {
        PageRef p = args.page("page", 0);
        args.done();
        return (world, cpu) -> {
            Page page = p.in(world);
            if (!(page.mappingQuietly() instanceof AddressSpace as)) {
                throw new ScenarioFailure(p.where() + ": remove_from_page_cache: page " + p.name() + " is in no mapping");
            }
            as.removeFromPageCache(cpu, page);
        };
    }
}
