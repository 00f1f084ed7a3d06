package org.mmemu.core.page;

import java.util.function.Consumer;

/**
 * One module's part of the accounting identity checked at quiescent points (docs/ARCHITECTURE.md §4):
 * <pre>free + on-LRU + slab + held = total pages, per zone</pre>
 * mm-lru registers the pages on its lists, mm-slab the pages its caches own; the allocator's
 * free lists are mm-core's own part, and "held" is every other allocated page. Register with
 * {@link Accounting#register}. A part walks its own structures (not its counters), so the check
 * sees what is really linked; comparing a module's counters with its lists is that module's
 * own quiescent check.
 */
public interface PageAccount {
    /** The part's name in reports, e.g. {@code lru} or {@code slab}. */
    String name();

    /** Calls {@code sink} once for each page of {@code zone} that this part holds. */
    void forEachPage(Zone zone, Consumer<Page> sink);
}
