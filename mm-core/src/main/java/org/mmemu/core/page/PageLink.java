package org.mmemu.core.page;

import org.mmemu.core.list.ListHead;

/**
 * {@code page->list}: the second list link of a 2.5 {@code struct page}, used by the buddy
 * allocator's free lists (and in the kernel by the page cache's per-mapping lists). It is
 * separate from {@code page->lru} as in the kernel, so a page freed while still linked on an
 * LRU-side list corrupts nothing more than the kernel would.
 */
public final class PageLink extends ListHead {
    private final Page page;

    PageLink(Page page) {
        this.page = page;
    }

    @Override
    protected long ownerPfn() {
        return page.pfn();
    }

    /** {@code list_entry(list, struct page, list)}. */
    public Page page() {
        return page;
    }
}
