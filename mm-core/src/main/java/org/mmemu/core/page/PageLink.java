package org.mmemu.core.page;

/**
 * What a step on a page's {@code page->list} names as its target: one per zone, standing for
 * the {@code page->list} link of every page of the zone (see {@link FreeList} for why one is
 * enough). The link itself is two fields of {@link Page}; this object holds nothing.
 */
public final class PageLink {
    PageLink() {
    }
}
