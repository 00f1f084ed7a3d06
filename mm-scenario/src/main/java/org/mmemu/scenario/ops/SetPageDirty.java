package org.mmemu.scenario.ops;

import org.mmemu.lru.Lru;

/**
 * {@code set_page_dirty(page)} as zap_pte_range() (mm/memory.c, 2.5.30-2.5.31) makes it for a
 * dirty pte, on a page it has not locked: the {@code a_ops->set_page_dirty} of a mapping without
 * buffers, {@code __set_page_dirty_nobuffers()} (mm/page-writeback.c; mm-reclaim
 * {@code SetPageDirtyNobuffers}), in the kernel's form (2.5.31 on: the recheck of
 * {@code page->mapping} under {@code page_lock}). Form: {@code set_page_dirty: P}.
 */
public final class SetPageDirty implements OperationType {
    @Override
    public String name() {
        return "set_page_dirty";
    }

    @Override
    public String source() {
        return "mm/page-writeback.c";
    }

    @Override
    public String summary() {
        return "__set_page_dirty_nobuffers(): PG_dirty, then the page onto its mapping's dirty_pages";
    }

    @Override
    public Operation bind(Args args) {
        PageRef p = args.page("page", 0);
        args.done();
        return (world, cpu) -> org.mmemu.reclaim.SetPageDirtyNobuffers.setPageDirtyNobuffers(cpu, p.in(world),
                Lru.of(world.machine()).profile());
    }
}
