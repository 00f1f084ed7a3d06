package org.mmemu.scenario.ops;


/**
 * {@code add_to_page_cache(page, mapping, index)} — mm/filemap.c, 2.5.31
 * ({@code AddressSpace.addToPageCache}). A failure (-EEXIST, the index is taken) is the kernel's
 * return value and not a finding. Form: {@code add_to_page_cache: {page: P, mapping: F, index: 0}}.
 */
public final class AddToPageCache implements OperationType {
    @Override
    public String name() {
        return "add_to_page_cache";
    }

    @Override
    public String source() {
        return "mm/filemap.c";
    }

    @Override
    public String summary() {
        return "insert the page into a mapping at an index (takes the page cache reference)";
    }

    @Override
    public Operation bind(Args args) {
        PageRef p = args.page("page", 0);
        String mapping = args.string("mapping", 1, null);
        int index = args.integer("index", 2, 0, 0, Integer.MAX_VALUE);
        args.done();
        return (world, cpu) -> Mappings.of(world, mapping).addToPageCache(cpu, p.in(world), index);
    }
}
